"""Template filters of the portal pages."""

import datetime as dt

from django import template

from workflow import deadlines

register = template.Library()


@register.filter
def days_overdue(due_date: dt.date | None) -> int:
    """Working days a stage is overdue today (0 when on time or without a clock)."""
    return deadlines.days_overdue(due_date)
