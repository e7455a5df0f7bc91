# Issue 14: the overdue list reads the open cases in list order, not the ended cases of every
# past year. Reversible (RemoveIndex).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0015_innovation_list_order_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="innovation",
            index=models.Index(
                condition=models.Q(("stage__in", ["done", "rejected", "withdrawn"]), _negated=True),
                fields=["-year", "-id"],
                name="innovation_open_list_order",
            ),
        ),
    ]
