"""What must hold before an action may move a case (beyond role and stage)."""

from django.utils.translation import gettext as _

from mentoring.models import EvidenceItem, Indicator, Innovation, MentoringSession, Stage

from .prepared import PreparedQuery

MIN_RANCANG_BANGUN_WORDS = 300


def _missing_evidence(innovation: Innovation) -> list[Indicator]:
    covered = EvidenceItem.objects.filter(innovation=innovation).values("indicator_id")
    return list(
        Indicator.objects.filter(year=innovation.year, mandatory=True).exclude(pk__in=covered)
    )


def _packaging_errors(innovation: Innovation) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    words = innovation.rancang_bangun_words
    if words < MIN_RANCANG_BANGUN_WORDS:
        errors["rancang_bangun"] = [
            _("Rancang bangun minimal %(min)d kata (saat ini %(n)d kata).")
            % {"min": MIN_RANCANG_BANGUN_WORDS, "n": words}
        ]
    for name in ("tujuan", "manfaat", "hasil"):
        if not getattr(innovation, name).strip():
            errors[name] = [_("Kolom ini wajib diisi sebelum pengemasan diajukan.")]
    missing = _missing_evidence(innovation)
    if missing:
        errors["evidence"] = [
            _("Data dukung indikator wajib belum diunggah: %(list)s.")
            % {"list": ", ".join(str(ind) for ind in missing)}
        ]
    return errors


def _report_errors(innovation: Innovation) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not innovation.report_results.strip():
        errors["report_results"] = [_("Hasil akhir wajib diisi.")]
    if innovation.report_beneficiaries is None:
        errors["report_beneficiaries"] = [_("Jumlah penerima manfaat wajib diisi.")]
    if not innovation.report_national_ref.strip():
        errors["report_national_ref"] = [_("Rujukan laporan sistem nasional wajib diisi.")]
    return errors


def invalid_evidence(innovation: Innovation) -> list[EvidenceItem]:
    return list(
        EvidenceItem.objects.filter(
            innovation=innovation, review=EvidenceItem.Review.INVALID
        ).select_related("indicator")
    )


# Accept runs this on every attempt: compiled once (workflow.prepared).
_NOT_VALID_MANDATORY = PreparedQuery(
    lambda year, innovation: (
        Indicator.objects.filter(year=year, mandatory=True)
        .exclude(
            pk__in=EvidenceItem.objects.filter(
                innovation_id=innovation, review=EvidenceItem.Review.VALID
            ).values("indicator_id")
        )
        .values_list("pk")
    )
)


def _accept_errors(innovation: Innovation) -> dict[str, list[str]]:
    ids = [
        pk for (pk,) in _NOT_VALID_MANDATORY.rows(year=innovation.year, innovation=innovation.pk)
    ]
    if ids:
        not_valid = Indicator.objects.filter(pk__in=ids)
        return {
            "evidence": [
                _("Data dukung indikator wajib belum valid: %(list)s.")
                % {"list": ", ".join(str(ind) for ind in not_valid)}
            ]
        }
    return {}


def action_errors(innovation: Innovation, action: str) -> dict[str, list[str]]:
    """Field errors that stop `action` on the case now; empty when it may go."""
    if action == "complete":
        if not MentoringSession.objects.filter(innovation=innovation).exists():
            return {"sessions": [_("Catat minimal satu sesi pendampingan sebelum menyelesaikan.")]}
    elif action == "submit" and innovation.stage == Stage.PACKAGING:
        return _packaging_errors(innovation)
    elif action == "submit" and innovation.stage == Stage.REPORTING:
        return _report_errors(innovation)
    elif action == "accept":
        return _accept_errors(innovation)
    elif (
        action == "return"
        and innovation.stage == Stage.VERIFICATION
        and not invalid_evidence(innovation)
    ):
        return {
            "evidence": [_("Tandai minimal satu data dukung tidak valid sebelum mengembalikan.")]
        }
    return {}
