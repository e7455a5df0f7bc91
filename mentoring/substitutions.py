"""Substitutes: naming someone to stand in for an absent head (Plt./Plh.) or a mentor on leave,
ending it early, and reading which substitutions are in force.

Rules (README, "Substitutes"):
- A head names a Plt./Plh. for a unit they head in their own right; the substitute must be an
  active member (operator) of that unit. An admin names one for any unit's head and may pick any
  active user (an acting official from another office, say).
- Only an admin names a substitute for a mentor on leave: the absent person must be assigned to
  the unit for the programme year, the substitute must be an active user with the mentor role
  (a co-mentor of the unit or any other mentor).
- Dates are WITA calendar dates, both inclusive; the range alone decides when the substitute
  acts (nothing needs to run when it starts or ends). Two substitutions for the same absent
  person and scope may not overlap.
- During the range the substitute has the absent person's powers for that unit (and year);
  the absent person keeps theirs too (they may still act, e.g. from their phone).
"""

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ActionForbidden, GuardFailed

from .models import SUBSTITUTE_HEAD_KINDS, Membership, MentorAssignment, Role, Substitution, Unit
from .names import full_name
from .people import actor_for

# Longest range one naming may cover (a Plt. is renewed, not named for ever).
MAX_DAYS = 366
NOTE_MAX_LENGTH = 300


def _head_of(unit: Unit) -> User | None:
    membership = (
        Membership.objects.filter(unit=unit, position=Membership.Position.HEAD)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def substitution_errors(
    *,
    kind: str,
    unit: Unit | None,
    substitute: User | None,
    starts: dt.date | None,
    ends: dt.date | None,
    absent: User | None = None,
    year: int | None = None,
    note: str = "",
    by_admin: bool,
    exclude_pk: int | None = None,
) -> dict[str, list[str]]:
    """Field errors of a substitution to name (empty: it may be saved). Shared by the service
    and the admin site's form."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if kind not in Substitution.Kind.values:
        add("kind", _("Pilih jenis: Plt., Plh. atau pengganti pendamping."))
    if unit is None:
        add("unit", _("Pilih unit."))
    if starts is None:
        add("starts", _("Isi tanggal mulai."))
    if ends is None:
        add("ends", _("Isi tanggal selesai."))
    if starts and ends:
        if ends < starts:
            add("ends", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        elif (ends - starts).days >= MAX_DAYS:
            add(
                "ends",
                _("Paling lama %(days)d hari; perpanjang dengan penunjukan baru.")
                % {"days": MAX_DAYS},
            )
    if ends and ends < timezone.localdate():
        add("ends", _("Tanggal selesai sudah lewat."))
    if len(note) > NOTE_MAX_LENGTH:
        add("note", _("Paling banyak %(n)d karakter.") % {"n": NOTE_MAX_LENGTH})
    if substitute is None:
        add("substitute", _("Pilih pengganti."))
    elif not substitute.is_active:
        add("substitute", _("Pengganti harus pengguna yang aktif."))

    if kind in SUBSTITUTE_HEAD_KINDS and unit is not None:
        if year is not None:
            add("year", _("Tahun program hanya untuk pengganti pendamping."))
        if absent is None:
            add(
                "unit",
                _(
                    "Unit ini belum memiliki kepala; tetapkan kepala (atau Plt.) sebagai "
                    "kepala unit di halaman admin."
                ),
            )
        if substitute is not None and not by_admin:
            member = Membership.objects.filter(unit=unit, user=substitute).exists()
            if not member:
                add(
                    "substitute",
                    _(
                        "Pengganti harus pegawai (operator) unit ini; pengganti dari "
                        "luar unit ditunjuk oleh admin BRIDA."
                    ),
                )
    elif kind == Substitution.Kind.MENTOR_LEAVE:
        if year is None:
            add("year", _("Isi tahun program penugasan pendamping."))
        if absent is None:
            add("absent", _("Pilih pendamping yang cuti."))
        elif unit is not None and year is not None:
            assigned = MentorAssignment.objects.filter(unit=unit, mentor=absent, year=year)
            if not assigned.exists():
                add(
                    "absent",
                    _("Pendamping ini tidak ditugaskan ke unit tersebut pada tahun %(year)d.")
                    % {"year": year},
                )
        if substitute is not None and not substitute.groups.filter(name=Role.MENTOR).exists():
            add("substitute", _("Pengganti pendamping harus pengguna berperan pendamping."))

    if substitute is not None and absent is not None and substitute.pk == absent.pk:
        add("substitute", _("Pengganti tidak boleh orang yang digantikan."))
    if not errors and unit is not None and absent is not None and starts and ends:
        overlapping = Substitution.objects.filter(
            ended_at__isnull=True,
            absent=absent,
            unit=unit,
            year=year,
            starts__lte=ends,
            ends__gte=starts,
        )
        if exclude_pk is not None:
            overlapping = overlapping.exclude(pk=exclude_pk)
        if kind in SUBSTITUTE_HEAD_KINDS:
            overlapping = overlapping.filter(kind__in=SUBSTITUTE_HEAD_KINDS)
        else:
            overlapping = overlapping.filter(kind=kind)
        clash = overlapping.select_related("substitute").first()
        if clash is not None:
            add(
                "starts",
                _("Bertumpang tindih dengan pengganti lain (%(name)s, %(starts)s s.d. %(ends)s).")
                % {
                    "name": full_name(clash.substitute),
                    "starts": clash.starts.isoformat(),
                    "ends": clash.ends.isoformat(),
                },
            )
    return errors


@transaction.atomic
def name_substitute(
    *,
    named_by: User,
    kind: str,
    unit: Unit | None,
    substitute: User | None,
    starts: dt.date | None,
    ends: dt.date | None,
    absent: User | None = None,
    year: int | None = None,
    note: str = "",
) -> Substitution:
    """Name `substitute` to stand in for the unit's head (kind Plt./Plh.; the absent person is
    the unit's head) or for `absent`, a mentor of the unit in `year`, on leave (kind
    mentor_leave). Bad input raises GuardFailed naming each field; nothing is written."""
    actor = actor_for(named_by)
    note = note.strip()
    if kind in SUBSTITUTE_HEAD_KINDS:
        if unit is not None:
            # Lock the unit so that two namings for it cannot both pass the overlap check.
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
        if not actor.is_admin and not (unit is not None and actor.heads_in_own_right(unit.pk)):
            raise ActionForbidden(
                _("Hanya kepala unit ini atau admin BRIDA yang dapat menunjuk Plt./Plh.")
            )
        absent = _head_of(unit) if unit is not None else None
    elif kind == Substitution.Kind.MENTOR_LEAVE:
        if not actor.is_admin:
            raise ActionForbidden(_("Hanya admin BRIDA yang dapat menunjuk pengganti pendamping."))
        if unit is not None:
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
    errors = substitution_errors(
        kind=kind,
        unit=unit,
        substitute=substitute,
        starts=starts,
        ends=ends,
        absent=absent,
        year=year,
        note=note,
        by_admin=actor.is_admin,
    )
    if errors:
        raise GuardFailed(_("Pengganti tidak dapat disimpan."), fields=errors)
    assert unit is not None and substitute is not None and absent is not None
    assert starts is not None and ends is not None
    return Substitution.objects.create(
        kind=kind,
        unit=unit,
        year=year if kind == Substitution.Kind.MENTOR_LEAVE else None,
        absent=absent,
        substitute=substitute,
        starts=starts,
        ends=ends,
        note=note,
        named_by=named_by,
    )


def can_manage(*, user: User, substitution: Substitution) -> bool:
    """Admins manage every substitution; a head those for a unit they head in their own right."""
    actor = actor_for(user)
    return actor.is_admin or (
        substitution.for_head and actor.heads_in_own_right(substitution.unit_id)
    )


@transaction.atomic
def end_substitution(*, user: User, substitution_id: int) -> Substitution:
    """End a substitution now (before its last day, or cancel one not begun yet): from this
    moment the substitute no longer acts for the absent person."""
    substitution = Substitution.objects.select_for_update().filter(pk=substitution_id).first()
    if substitution is None:
        raise GuardFailed(
            _("Pengganti tidak ditemukan."), fields={"substitution": [_("Pilih pengganti.")]}
        )
    if not can_manage(user=user, substitution=substitution):
        raise ActionForbidden(
            _("Hanya kepala unit ini atau admin BRIDA yang dapat mengakhiri pengganti ini.")
        )
    if substitution.ended_at is not None or substitution.ends < timezone.localdate():
        raise GuardFailed(
            _("Penunjukan pengganti ini sudah berakhir."),
            fields={"substitution": [_("Penunjukan pengganti ini sudah berakhir.")]},
        )
    substitution.ended_at = timezone.now()
    substitution.ended_by = user
    substitution.save(update_fields=["ended_at", "ended_by"])
    return substitution


# --- reads ------------------------------------------------------------------------------------


def in_force(*, on: dt.date | None = None) -> QuerySet[Substitution]:
    """Substitutions in force on `on` (default: today, WITA)."""
    return Substitution.objects.filter(Substitution.in_force(on or timezone.localdate()))


def current_and_upcoming(*, user: User, on: dt.date | None = None) -> QuerySet[Substitution]:
    """Substitutions not over yet that `user` may see on the substitutes page: all for an admin;
    else those of units they head, and those where they are the substitute or the absent one."""
    today = on or timezone.localdate()
    qs = Substitution.objects.filter(ended_at__isnull=True, ends__gte=today)
    actor = actor_for(user)
    if not actor.is_admin:
        qs = qs.filter(
            Q(unit_id__in=actor.units_headed_in_own_right, kind__in=SUBSTITUTE_HEAD_KINDS)
            | Q(substitute=user)
            | Q(absent=user)
        )
    return qs.select_related("unit", "absent", "substitute", "named_by").order_by(
        "starts", "unit__name", "id"
    )


def units_to_name_for(*, user: User) -> QuerySet[Unit]:
    """Units whose head's substitute `user` may name: all for an admin, else those they head."""
    actor = actor_for(user)
    if actor.is_admin:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=actor.units_headed_in_own_right)
