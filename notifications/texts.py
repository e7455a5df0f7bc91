"""What each kind of notification says: one small function per kind, in the site language.

The texts are stored with the row, so every device shows the same words.
"""

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from django.contrib.auth.models import User
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.models import Innovation, Stage
from workflow.models import CaseEvent

from .models import Kind


class Text(NamedTuple):
    title: str
    body: str


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _stage(value: str) -> str:
    return str(Stage(value).label) if value else ""


def _with(body: str, label: str, comment: str) -> str:
    return f"{body} {label % {'comment': comment}}" if comment else body


def approval_requested(event: CaseEvent, innovation: Innovation) -> Text:
    return Text(
        _("Menunggu persetujuan Anda: %(name)s") % {"name": innovation.name},
        _("%(actor)s mengajukan tahap %(stage)s untuk disetujui.")
        % {"actor": _person(event.actor), "stage": _stage(event.from_stage)},
    )


def task_assigned(event: CaseEvent, innovation: Innovation) -> Text:
    return Text(
        _("Tugas baru: %(name)s") % {"name": innovation.name},
        _("Inovasi ini masuk tahap %(stage)s dan menunggu tindakan Anda.")
        % {"stage": _stage(event.to_stage)},
    )


def stage_advanced(event: CaseEvent, innovation: Innovation) -> Text:
    return Text(
        _("Tahap maju: %(name)s") % {"name": innovation.name},
        _("%(actor)s memindahkan inovasi dari %(from)s ke %(to)s.")
        % {
            "actor": _person(event.actor),
            "from": _stage(event.from_stage),
            "to": _stage(event.to_stage),
        },
    )


def returned(event: CaseEvent, innovation: Innovation) -> Text:
    body = _("%(actor)s mengembalikan inovasi ke tahap %(stage)s.") % {
        "actor": _person(event.actor),
        "stage": _stage(event.to_stage),
    }
    body = _with(body, _("Catatan: %(comment)s"), event.comment)
    invalid = event.data.get("invalid_evidence") or []
    if invalid:
        body += " " + _("%(count)d data dukung perlu diperbaiki.") % {"count": len(invalid)}
    return Text(_("Dikembalikan: %(name)s") % {"name": innovation.name}, body)


def rejected(event: CaseEvent, innovation: Innovation) -> Text:
    body = _("oleh %(actor)s.") % {"actor": _person(event.actor)}
    return Text(
        _("Ditolak: %(name)s") % {"name": innovation.name},
        _with(body, _("Alasan: %(comment)s"), event.comment),
    )


def withdrawn(event: CaseEvent, innovation: Innovation) -> Text:
    body = _("oleh %(actor)s.") % {"actor": _person(event.actor)}
    return Text(
        _("Ditarik: %(name)s") % {"name": innovation.name},
        _with(body, _("Alasan: %(comment)s"), event.comment),
    )


CASE_TEXTS: dict[str, Callable[[CaseEvent, Innovation], Text]] = {
    Kind.APPROVAL_REQUESTED: approval_requested,
    Kind.TASK_ASSIGNED: task_assigned,
    Kind.STAGE_ADVANCED: stage_advanced,
    Kind.RETURNED: returned,
    Kind.REJECTED: rejected,
    Kind.WITHDRAWN: withdrawn,
}


# `due_date` is the stage visit's last working day to act (workflow.deadlines).
def _deadline_values(stage: str, due_date: dt.date) -> dict[str, str]:
    return {"stage": _stage(stage), "date": date_format(due_date, "j F Y")}


def due_soon(innovation: Innovation, stage: str, due_date: dt.date) -> Text:
    return Text(
        _("Tenggat mendekat: %(name)s") % {"name": innovation.name},
        _("Tahap %(stage)s jatuh tempo pada %(date)s.") % _deadline_values(stage, due_date),
    )


def overdue(innovation: Innovation, stage: str, due_date: dt.date) -> Text:
    return Text(
        _("Lewat tenggat: %(name)s") % {"name": innovation.name},
        _("Tenggat tahap %(stage)s, %(date)s, sudah lewat.") % _deadline_values(stage, due_date),
    )


def escalated(innovation: Innovation, stage: str, due_date: dt.date) -> Text:
    return Text(
        _("Eskalasi: %(name)s") % {"name": innovation.name},
        _("Tenggat tahap %(stage)s, %(date)s, sudah lewat dan masa tenggang sudah habis.")
        % _deadline_values(stage, due_date),
    )


DEADLINE_TEXTS: dict[str, Callable[[Innovation, str, dt.date], Text]] = {
    Kind.DUE_SOON: due_soon,
    Kind.OVERDUE: overdue,
    Kind.ESCALATED: escalated,
}
