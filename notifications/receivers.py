"""Domain-event receivers: `workflow` sends, this app listens (workflow never imports us)."""

from django.dispatch import receiver

from workflow.signals import case_moved, deadline_alerts

from . import services


@receiver(case_moved, dispatch_uid="notifications.case_moved")
def on_case_moved(sender, *, event, innovation, transition, **kwargs) -> None:
    # Inside the action's transaction: an error here rolls the action back, by design,
    # so that an action never commits without its notifications.
    services.notify_case_moved(event=event, innovation=innovation, move=transition)


@receiver(deadline_alerts, dispatch_uid="notifications.deadline_alerts")
def on_deadline_alerts(sender, *, alerts, **kwargs) -> None:
    # Inside the scan's transaction, like case_moved: the alerts and their rows commit together.
    services.notify_deadlines(alerts=alerts)
