"""Indicator 31 (replikasi) counts replications: its parameters 1/2/3 are 1x/2x/3x replicated
(domain brief), kept as the indicator's consistency bounds so the desk check and the evidence
form can suggest the parameter from the replications recorded (recognition app)."""

from django.db import migrations, models

BOUNDS = [[1, 1], [2, 2], [3, None]]


def mark_replication_indicators(apps, schema_editor):
    Indicator = apps.get_model("mentoring", "Indicator")
    Indicator.objects.filter(number=31, name__iexact="Replikasi", measure="").update(
        measure="replications", parameter_bounds=BOUNDS
    )


def unmark(apps, schema_editor):
    Indicator = apps.get_model("mentoring", "Indicator")
    Indicator.objects.filter(measure="replications").update(measure="", parameter_bounds=[])


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0012_substitutes_for_heads_and_mentors")]

    operations = [
        migrations.AlterField(
            model_name="indicator",
            name="measure",
            field=models.CharField(
                blank=True,
                choices=[
                    ("beneficiaries", "Jumlah penerima manfaat"),
                    ("months_to_adopt", "Bulan dari uji coba sampai penerapan"),
                    ("replications", "Jumlah replikasi tercatat"),
                ],
                max_length=20,
                verbose_name="ukuran yang dibandingkan",
            ),
        ),
        migrations.RunPython(mark_replication_indicators, unmark, elidable=False),
    ]
