"""The old one-text rancang bangun is gone; its content lives in the six sections (0008)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0008_rancang_bangun_sections")]

    operations = [migrations.RemoveField(model_name="innovation", name="rancang_bangun")]
