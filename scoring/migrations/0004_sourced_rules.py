"""Each ruleset and predicate band names its source; 2025 gets its published band ("Sangat
Inovatif" from 65.01, Kepmendagri 400.10.11-6097/2025) and the 2026 rows for the others."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "master_data"


def load(apps, schema_editor):
    Source = apps.get_model("mentoring", "Source")
    Ruleset = apps.get_model("scoring", "Ruleset")
    PredicateThreshold = apps.get_model("scoring", "PredicateThreshold")
    sources = {source.key: source for source in Source.objects.all()}
    for row in json.loads((DATA / "rulesets.json").read_text())["rulesets"]:
        ruleset = Ruleset.objects.filter(year=row["year"]).first()
        if ruleset is None:  # deleted by an admin: leave it so
            continue
        ruleset.source = sources.get(row["source"])
        ruleset.note = row["note"]
        ruleset.save(update_fields=["source", "note"])
        for band in row["thresholds"]:
            PredicateThreshold.objects.update_or_create(
                ruleset=ruleset,
                name=band["name"],
                defaults={
                    "lower": band["lower"],
                    "upper": band["upper"],
                    "source": sources.get(band["source"]),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("scoring", "0003_sources"), ("mentoring", "0010_national_master_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
