"""The demo's data files load, and the codes in them exist in the master data and the models."""

import json
from pathlib import Path

import mentoring
from demo import content
from demo import seed as demo
from mentoring.models import Bentuk, Jenis, MentoringSession, Stage, UnitKind
from tests.demo.test_default_demo import NOT_INNOVATIONS

URUSAN_JSON = Path(mentoring.__file__).resolve().parent / "master_data" / "urusan.json"


def test_every_data_file_loads_and_its_codes_exist() -> None:
    units, ideas, texts, plan = content.units(), content.ideas(), content.texts(), content.plan()
    assert content.people().last_names
    assert sorted(path.name for path in content.DATA_DIR.iterdir()) == [
        "ideas.toml",
        "people.toml",
        "plan.toml",
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


def test_every_unit_has_its_own_ideas_enough_for_the_default_run() -> None:
    ideas = content.ideas()
    for row in content.units().rows:
        # One per programme year at least: a unit never borrows another's idea.
        assert len(ideas.by_unit.get(row.code, ())) >= len(demo.YEARS), row.code
    names = [idea.name for idea in ideas.all()]
    assert len(names) == len(set(names))
    assert not [name for name in names if NOT_INNOVATIONS.search(name)]
    assert not [name for name in names if "{" in name]  # no per-place pattern
    assert demo.capacity() >= demo.DEFAULT_INNOVATIONS


def test_evidence_settings_are_within_the_indicator_catalogue() -> None:
    evidence = content.plan().evidence
    low, high = evidence.optional
    assert 0 <= low <= high <= 15  # the catalogue has 15 optional indicators
    assert sum(evidence.parameter_weights) > 0 and 0 <= evidence.lowered_percent <= 100
