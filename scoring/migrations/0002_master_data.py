"""Load the seed IID rulesets (2025, 2026) from scoring/master_data/rulesets.json."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "master_data"


def load(apps, schema_editor):
    Ruleset = apps.get_model("scoring", "Ruleset")
    PredicateThreshold = apps.get_model("scoring", "PredicateThreshold")
    for row in json.loads((DATA / "rulesets.json").read_text())["rulesets"]:
        row = dict(row)
        thresholds = row.pop("thresholds")
        ruleset, _ = Ruleset.objects.update_or_create(year=row["year"], defaults=row)
        for band in thresholds:
            PredicateThreshold.objects.update_or_create(
                ruleset=ruleset, name=band["name"], defaults=band
            )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
