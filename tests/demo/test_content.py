"""The demo's data files load, and the codes in them exist in the master data and the models."""

import json
from pathlib import Path

import mentoring
from demo import content
from demo import seed as demo
from mentoring.models import Bentuk, Jenis, MentoringSession, UnitKind

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
        assert idea.jenis in Jenis.values and idea.bentuk in Bentuk.values, idea.name

    codes = [row.code for row in units.rows]
    assert len(codes) == len(set(codes))
    assert {row.kind for row in units.rows} <= set(UnitKind.values)
    assert set(ideas.by_unit) <= set(codes) and set(ideas.by_kind) <= set(UnitKind.values)
    assert {topic.mode for topic in texts.session_topics} <= set(MentoringSession.Mode.values)
    assert {year for year, _stage in demo.stage_weights()} == set(demo.YEARS)  # stages parse
    assert set(plan.spd_scores) == set(demo.YEARS)
