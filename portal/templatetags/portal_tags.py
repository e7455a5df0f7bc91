"""Template filters of the portal pages."""

import datetime as dt

from django import template

from mentoring.models import Role
from mentoring.people import actor_for
from workflow import deadlines

register = template.Library()


@register.filter
def days_overdue(due_date: dt.date | None) -> int:
    """Working days a stage is overdue today (0 when on time or without a clock)."""
    return deadlines.days_overdue(due_date)


@register.simple_tag
def menu_for(user) -> dict[str, bool]:
    """What the menu offers this person: a task list only to someone who acts on cases (an
    observer's home is the regency's overview), and the substitutes page to admins, heads
    and whoever stands in for someone."""
    actor = actor_for(user)  # kept on the user object: read once per request
    stands_in = actor.stands_in
    return {
        "tasks": stands_in or any(actor.has(role) for role in Role if role != Role.OBSERVER),
        "substitutes": stands_in or actor.has(Role.ADMIN) or actor.has(Role.OPD_HEAD),
    }
