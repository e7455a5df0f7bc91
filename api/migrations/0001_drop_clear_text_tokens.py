"""API tokens moved to django-rest-knox, which keeps only digests: the old table of clear-text
tokens (rest_framework.authtoken) goes, and with it every old token (owners issue new ones)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knox", "0009_extend_authtoken_field")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop)
    ]
