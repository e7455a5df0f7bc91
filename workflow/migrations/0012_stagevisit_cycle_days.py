"""StageVisit keeps its case's programme year and its local entry and exit days (issue 14).

The cycle-time figures group a year's finished visits by stage and local days: with the three
columns and their partial index they read one index instead of joining every visit to its case.
Existing visits get them in one UPDATE (the index is built after it); going back drops them.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone


def fill(apps, schema_editor):
    StageVisit = apps.get_model("workflow", "StageVisit")
    Innovation = apps.get_model("mentoring", "Innovation")
    zone = timezone.get_default_timezone()
    StageVisit.objects.update(
        year=Subquery(Innovation.objects.filter(pk=OuterRef("innovation_id")).values("year")[:1]),
        entered_on=TruncDate("entered_at", tzinfo=zone),
        left_on=TruncDate("left_at", tzinfo=zone),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0011_caseevent_continuation_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="stagevisit",
            name="year",
            field=models.PositiveIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="stagevisit",
            name="entered_on",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="stagevisit",
            name="left_on",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="stagevisit",
            index=models.Index(
                condition=models.Q(left_on__isnull=False),
                fields=["year", "stage", "entered_on", "left_on"],
                name="stagevisit_cycle",
            ),
        ),
    ]
