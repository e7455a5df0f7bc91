"""Load the sourced yearly master data: sources, submission rules, the national calendar, the
national priorities, the regency's bounds (every unit belongs to it), and the indicators' new
columns (source, short name, video link, consistency bounds)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "master_data"


def _rows(name: str, key: str) -> list[dict]:
    return json.loads((DATA / name).read_text())[key]


def load(apps, schema_editor):
    model = {name: apps.get_model("mentoring", name) for name in (
        "Source", "SubmissionRules", "Milestone", "NationalPriority", "Region", "Unit", "Indicator"
    )}
    sources = {}
    for row in _rows("sources.json", "sources"):
        sources[row["key"]], _ = model["Source"].objects.update_or_create(
            key=row["key"], defaults=row
        )

    def sourced(row: dict) -> dict:
        return {**row, "source": sources.get(row.get("source"))}

    for row in _rows("submission_rules.json", "rules"):
        model["SubmissionRules"].objects.update_or_create(year=row["year"], defaults=sourced(row))
    for row in _rows("calendar.json", "milestones"):
        model["Milestone"].objects.update_or_create(
            year=row["year"], kind=row["kind"], defaults=sourced(row)
        )
    for row in _rows("priorities.json", "priorities"):
        model["NationalPriority"].objects.update_or_create(
            year=row["year"], kind=row["kind"], number=row["number"], defaults=sourced(row)
        )
    regions = [
        model["Region"].objects.update_or_create(code=row["code"], defaults=sourced(row))[0]
        for row in _rows("regions.json", "regions")
    ]
    if len(regions) == 1:  # one regency per installation so far: its units are its
        model["Unit"].objects.filter(region__isnull=True).update(region=regions[0])
    for row in _rows("indicators.json", "indicators"):
        model["Indicator"].objects.update_or_create(
            year=row["year"], number=row["number"], defaults=sourced(row)
        )


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0009_remove_innovation_rancang_bangun")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
