"""Load the government-affairs list and the IID indicator catalogue (yearly master data)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "master_data"


def load(apps, schema_editor):
    Urusan = apps.get_model("mentoring", "Urusan")
    Indicator = apps.get_model("mentoring", "Indicator")
    for row in json.loads((DATA / "urusan.json").read_text())["urusan"]:
        Urusan.objects.update_or_create(code=row["code"], defaults=row)
    # The catalogue file has grown columns since (0009 loads them): only this model's fields.
    known = {field.name for field in Indicator._meta.fields}
    for row in json.loads((DATA / "indicators.json").read_text())["indicators"]:
        values = {key: value for key, value in row.items() if key in known}
        Indicator.objects.update_or_create(year=row["year"], number=row["number"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
