"""Seed the SLA policies of 2025 and 2026 and give every open case its current stage visit."""

from django.db import migrations
from django.db.models import Max

# Working days per stage and gate, as seeded (the admin can change them per year).
DEFAULTS = {
    "proposal": 10,
    "proposal_gate": 3,
    "mentoring": 20,
    "packaging": 15,
    "packaging_gate": 3,
    "verification": 10,
    "reporting": 10,
    "report_gate": 3,
    "close": 5,
    "reminder_lead_days": 2,
    "escalation_grace_days": 3,
}
HOLDERS = {
    "proposal": "opd",
    "proposal_gate": "head",
    "mentoring": "mentor",
    "packaging": "opd",
    "packaging_gate": "head",
    "verification": "verifier",
    "reporting": "opd",
    "report_gate": "head",
    "close": "admin",
}


def seed(apps, schema_editor):
    from django.utils import timezone

    from workflow.deadlines import WorkingCalendar

    SlaPolicy = apps.get_model("workflow", "SlaPolicy")
    StageVisit = apps.get_model("workflow", "StageVisit")
    Innovation = apps.get_model("mentoring", "Innovation")
    for year in (2025, 2026):
        SlaPolicy.objects.get_or_create(year=year, defaults=DEFAULTS)
    policies = {p.year: p for p in SlaPolicy.objects.all()}
    cal = WorkingCalendar()
    visits = []
    rows = Innovation.objects.filter(stage__in=list(HOLDERS)).annotate(
        last_move=Max("history__at")
    )
    for innovation in rows.iterator():
        entered = innovation.last_move or innovation.created_at
        days_by = policies.get(innovation.year)
        days = getattr(days_by, innovation.stage) if days_by else DEFAULTS[innovation.stage]
        lead = days_by.reminder_lead_days if days_by else DEFAULTS["reminder_lead_days"]
        grace = days_by.escalation_grace_days if days_by else DEFAULTS["escalation_grace_days"]
        due = cal.add(timezone.localdate(entered), days)
        remind = cal.subtract(due, lead)
        visits.append(
            StageVisit(
                innovation_id=innovation.pk,
                stage=innovation.stage,
                holder=HOLDERS[innovation.stage],
                entered_at=entered,
                sla_days=days,
                due_date=due,
                remind_on=remind,
                escalate_on=cal.add(due, grace),
                next_alert_on=remind,
            )
        )
    StageVisit.objects.bulk_create(visits, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_deadlines")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
