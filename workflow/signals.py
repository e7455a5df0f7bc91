"""Domain events of the case engine, sent inside the action's transaction.

Receivers (the notifications app) write their rows in the same transaction and push on commit;
`workflow` itself knows nothing about delivery.
"""

from django.dispatch import Signal

# kwargs: event (CaseEvent), innovation (Innovation), transition (lifecycle.Transition, or None
# for a new case)
case_moved = Signal()

# kwargs: alerts (list[workflow.scans.DeadlineNotice]: visit, kind, recipients), sent once per
# scan batch inside the scan's transaction so that receivers can write their rows in bulk.
deadline_alerts = Signal()
