"""Load the seed IID rulesets (2025, 2026) from scoring/master_data/rulesets.json."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "master_data"


def load(apps, schema_editor):
    Ruleset = apps.get_model("scoring", "Ruleset")
    PredicateThreshold = apps.get_model("scoring", "PredicateThreshold")
    # The file has grown a source per ruleset and band since (0004 loads them).
    known = {field.name for field in Ruleset._meta.fields}
    band_fields = {"name", "lower", "upper"}
    for row in json.loads((DATA / "rulesets.json").read_text())["rulesets"]:
        row = dict(row)
        thresholds = row.pop("thresholds")
        values = {key: value for key, value in row.items() if key in known}
        ruleset, _ = Ruleset.objects.update_or_create(year=row["year"], defaults=values)
        for band in thresholds:
            PredicateThreshold.objects.update_or_create(
                ruleset=ruleset,
                name=band["name"],
                defaults={key: band[key] for key in band_fields},
            )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
