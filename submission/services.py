"""Writes of the national submission: recording a case's entry in the ministry's portal."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ActionConflict, ActionForbidden, GuardFailed
from mentoring.models import COMMUNITY_KINDS, VERIFIED_STAGES, Innovation
from mentoring.people import actor_for
from workflow import events

from .models import NationalEntry

REFERENCE_MAX = NationalEntry._meta.get_field("reference").max_length or 120


@transaction.atomic
def record_entry(*, user: User, innovation_id: int, reference: str) -> NationalEntry:
    """Record that BRIDA entered the case in the national portal (or correct its reference).

    Only admins enter cases nationally, and only cases BRIDA's verification passed. The
    reference also fills the report's national reference when that is still empty.
    """
    if not actor_for(user).is_admin:
        raise ActionForbidden(_("Hanya admin BRIDA yang mencatat entri portal nasional."))
    innovation = (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=innovation_id)
    )
    if innovation.unit.kind in COMMUNITY_KINDS:
        raise ActionConflict(
            _(
                "Inovasi sekolah, BUMDes dan kelompok masyarakat diikutkan Pekan Inovasi daerah, "
                "tidak dilaporkan ke portal nasional."
            )
        )
    if innovation.stage not in VERIFIED_STAGES:
        raise ActionConflict(
            _("Kasus belum lolos verifikasi BRIDA (tahap %(stage)s).")
            % {"stage": innovation.get_stage_display()}
        )
    reference = reference.strip()
    if not reference or len(reference) > REFERENCE_MAX:
        raise GuardFailed(
            _("Rujukan portal nasional tidak valid."),
            fields={
                "reference": [
                    _("Isi nomor atau rujukan dari portal nasional (paling banyak %(n)d huruf).")
                    % {"n": REFERENCE_MAX}
                ]
            },
        )
    entry, _created = NationalEntry.objects.update_or_create(
        innovation=innovation,
        defaults={"reference": reference, "entered_by": user, "entered_at": timezone.now()},
    )
    if not innovation.report_national_ref:
        innovation.report_national_ref = reference
        innovation.save(update_fields=["report_national_ref", "updated_at"])
    events.entered_nationally(innovation=innovation, actor=user, reference=reference)
    return entry
