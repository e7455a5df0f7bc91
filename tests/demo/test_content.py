"""The demo's data files load, and the codes in them exist in the master data and the models."""

import json
from collections import Counter
from pathlib import Path

import pytest

import mentoring
from demo import content
from demo import seed as demo
from mentoring.models import (
    COMMUNITY_KINDS,
    Bentuk,
    Jenis,
    MentoringSession,
    PekanCategory,
    Stage,
    UnitKind,
)
from recognition.models import AwardLevel, HkiKind, HkiStatus
from tests.demo.test_default_demo import NOT_INNOVATIONS

URUSAN_JSON = Path(mentoring.__file__).resolve().parent / "master_data" / "urusan.json"


def test_every_data_file_loads_and_its_codes_exist() -> None:
    units, ideas, texts, plan = content.units(), content.ideas(), content.texts(), content.plan()
    assert content.people().last_names
    assert sorted(path.name for path in content.DATA_DIR.iterdir()) == [
        "ideas.toml",
        "people.toml",
        "plan.toml",
        "recognition.toml",
        "texts.toml",
        "units.toml",
    ]

    urusan = {row["code"] for row in json.loads(URUSAN_JSON.read_text())["urusan"]}
    for idea in ideas.all():
        assert idea.urusan in urusan, idea.name
        assert set(idea.related) <= urusan and idea.urusan not in idea.related, idea.name
        assert idea.jenis in Jenis.values and idea.bentuk in Bentuk.values, idea.name

    codes = [row.code for row in units.rows]
    assert len(codes) == len(set(codes))
    assert {row.kind for row in units.rows} <= set(UnitKind.values)
    assert set(ideas.by_unit) <= set(codes)
    assert set(content.people().observing_heads) <= set(codes)
    assert {topic.mode for topic in texts.session_topics} <= set(MentoringSession.Mode.values)
    assert {year for year, _stage in demo.stage_weights()} == set(demo.YEARS)  # stages parse
    assert set(plan.spd_scores) == set(demo.YEARS)
    for pin in plan.pinned:
        assert pin.year in demo.YEARS and pin.stage in Stage.values
        assert (pin.unit in codes) != bool(pin.mentor), pin
    assert texts.perkembangan


def test_pekan_inovasi_proposers_have_categories_and_ideas_for_their_pinned_cases() -> None:
    community = content.units().community
    assert community and all(row.kind in COMMUNITY_KINDS for row in community)
    assert {row.category for row in community} == set(PekanCategory.values)
    assert not [row for row in content.units().rows if row.category and row not in community]
    pins = Counter(pin.unit for pin in content.plan().pinned if pin.unit in demo.community_codes())
    assert set(pins) == {row.code for row in community}  # each has cases, and no more than ideas
    for code, n in pins.items():
        assert n <= len(content.ideas().by_unit[code]), code


def test_continued_innovations_are_offices_with_an_idea_to_carry() -> None:
    offices = {row.code for row in content.units().rows if row.kind not in COMMUNITY_KINDS}
    continued = content.plan().continued
    assert len({row.unit for row in continued}) == len(continued)
    for row in continued:
        assert row.unit in offices and content.ideas().by_unit[row.unit], row
        assert row.stage in Stage.values and row.stage not in ("rejected", "withdrawn"), row


def test_recognition_names_known_codes_and_the_cases_the_plan_pins() -> None:
    found = content.recognition()
    codes = {row.code for row in content.units().rows}
    plan = content.plan()
    first, last = min(demo.YEARS), max(demo.YEARS)
    pinned = {(pin.unit, pin.year) for pin in plan.pinned if pin.unit}
    pinned |= {(row.unit, year) for row in plan.continued for year in (first, last)}
    rows = [*found.replications, *found.awards, *found.hki, *found.featured]
    for row in rows:
        assert (row.unit, row.year) in pinned, row
    for replication in found.replications:
        by_unit = replication.by_unit in codes and replication.by_unit != replication.unit
        assert by_unit != bool(replication.region and replication.replicator), replication
    assert {award.level for award in found.awards} == set(AwardLevel.values)
    assert all(award.rank and award.award_year <= last for award in found.awards)
    assert all(row.kind in HkiKind.values and row.status in HkiStatus.values for row in found.hki)
    # One inovasi unggulan a year (the master data's featured_limit), presented in its year.
    assert Counter(pick.year for pick in found.featured) == {last: 1}
    assert all(pick.presentation_date.year == pick.year for pick in found.featured)


def test_a_badly_typed_record_is_a_content_error(tmp_path, monkeypatch) -> None:
    (tmp_path / "recognition.toml").write_text(
        '[[replications]]\nunit = "dinkes"\nyear = "2025"\ndate = 2025-01-02\nby_unit = "x"\n'
    )
    monkeypatch.setattr(content, "DATA_DIR", tmp_path)
    content.recognition.cache_clear()
    try:
        with pytest.raises(content.ContentError, match=r"replications\[0\]\.year: expected int"):
            content.recognition()
    finally:
        content.recognition.cache_clear()


def test_every_unit_has_its_own_ideas_enough_for_the_default_run() -> None:
    ideas = content.ideas()
    for row in content.units().rows:
        # One per programme year at least: a unit never borrows another's idea.
        assert len(ideas.by_unit.get(row.code, ())) >= len(demo.YEARS), row.code
    names = [idea.name for idea in ideas.all()]
    assert len(names) == len(set(names))
    assert not [name for name in names if NOT_INNOVATIONS.search(name)]
    assert not [name for name in names if "{" in name]  # no per-place pattern
    # Continued cases and the Pekan Inovasi proposers' pinned ones leave ideas to spare.
    assert demo.capacity() >= demo.DEFAULT_INNOVATIONS


def test_evidence_settings_are_within_the_indicator_catalogue() -> None:
    evidence = content.plan().evidence
    low, high = evidence.optional
    assert 0 <= low <= high <= 15  # the catalogue has 15 optional indicators
    assert sum(evidence.parameter_weights) > 0 and 0 <= evidence.lowered_percent <= 100
