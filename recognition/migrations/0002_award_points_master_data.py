"""Seed the yearly award points of heads' performance agreements (national 200, provincial 160,
regency 130 [K8, unconfirmed]) and one "inovasi unggulan" per year, for the years the
catalogue already has. Yearly data: admins edit or add years in the Django admin."""

from django.db import migrations

K8 = {
    "document": "Pemberitaan Pekan Inovasi Kukar: poin penghargaan dalam perjanjian kinerja kepala perangkat daerah",
    "url": "https://updateikn.com",
    "confirmed": False,
    "note": "Penghargaan nasional / provinsi / kabupaten: 200 / 160 / 130 poin (belum dikonfirmasi).",
}
POINTS = {"points_national": 200, "points_provincial": 160, "points_regency": 130}


def seed(apps, schema_editor):
    Source = apps.get_model("mentoring", "Source")
    Indicator = apps.get_model("mentoring", "Indicator")
    RecognitionYear = apps.get_model("recognition", "RecognitionYear")
    source, _ = Source.objects.get_or_create(key="K8", defaults=K8)
    years = set(Indicator.objects.values_list("year", flat=True).distinct())
    for year in sorted(years):
        RecognitionYear.objects.get_or_create(
            year=year, defaults={**POINTS, "featured_limit": 1, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_replications_awards_hki_featured")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop, elidable=False)]
