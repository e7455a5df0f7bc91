"""Writes on the organisation that do not depend on a case's stage: mentor assignments.

(Writes on a case, which the lifecycle allows or refuses by stage, are workflow.services.)
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ActionForbidden, GuardFailed

from .models import MentorAssignment, Role, Unit
from .people import actor_for


@dataclass(frozen=True)
class ReassignResult:
    """What reassign_lead_mentor changed: units that got the new lead, and former leads kept on
    as co-mentors (unit id -> username)."""

    changed: list[int]
    unchanged: list[int]
    demoted: dict[int, str]


@transaction.atomic
def reassign_lead_mentor(
    *, user: User, unit_ids: list[int], year: int, mentor_id: int
) -> ReassignResult:
    """Make `mentor_id` the lead mentor of every unit in `unit_ids` for `year`: all or nothing.

    The former lead is demoted to co-mentor, not removed: they keep seeing the cases they
    mentored and the session history stays with a current mentor of the unit; an admin removes
    a co-mentor separately when that is wanted. A unit where the mentor already leads is left
    as it is; one where they are a co-mentor is promoted.
    """
    if not actor_for(user).is_admin:
        raise ActionForbidden(_("Hanya admin BRIDA yang dapat mengganti pendamping."))
    errors: dict[str, list[str]] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Tahun program harus antara 2000 dan 2100.")]
    wanted = sorted(set(unit_ids))
    if not wanted:
        errors["unit_ids"] = [_("Pilih sedikitnya satu unit.")]
    units = list(Unit.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    if len(units) != len(wanted):
        errors["unit_ids"] = [_("Sebagian unit yang dipilih tidak ditemukan.")]
    mentor = User.objects.filter(pk=mentor_id, is_active=True, groups__name=Role.MENTOR).first()
    if mentor is None:
        errors["mentor_id"] = [_("Pilih pengguna aktif yang berperan sebagai pendamping.")]
    if errors or mentor is None:
        raise GuardFailed(_("Penggantian pendamping tidak dapat disimpan."), fields=errors)

    assignments = list(
        MentorAssignment.objects.select_for_update()
        .filter(unit_id__in=wanted, year=year)
        .select_related("mentor")
    )
    current_lead = {a.unit_id: a for a in assignments if a.is_lead}
    existing = {a.unit_id: a for a in assignments if a.mentor_id == mentor.pk}
    changed: list[int] = []
    unchanged: list[int] = []
    demoted: dict[int, str] = {}
    for unit_id in wanted:
        lead = current_lead.get(unit_id)
        if lead is not None and lead.mentor_id == mentor.pk:
            unchanged.append(unit_id)
            continue
        if lead is not None:
            # Demote first: the one-lead-per-unit-and-year constraint holds at every statement.
            lead.is_lead = False
            lead.save(update_fields=["is_lead"])
            demoted[unit_id] = lead.mentor.username
        if (mine := existing.get(unit_id)) is not None:
            mine.is_lead = True
            mine.save(update_fields=["is_lead"])
        else:
            MentorAssignment.objects.create(unit_id=unit_id, mentor=mentor, year=year, is_lead=True)
        changed.append(unit_id)
    return ReassignResult(changed=changed, unchanged=unchanged, demoted=demoted)
