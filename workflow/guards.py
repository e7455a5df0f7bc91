"""What must hold before a move (beyond role and stage): one function per rule, named in the
lifecycle table. Each returns field errors, empty when the move may go."""

from typing import TypedDict

from django.utils.translation import gettext as _

from mentoring.models import (
    COMMUNITY_KINDS,
    EvidenceItem,
    Indicator,
    Innovation,
    MentoringSession,
)

from . import eligibility

Errors = dict[str, list[str]]


class InvalidEvidence(TypedDict):
    """One evidence item a verifier found invalid, as a return lists it."""

    id: int
    indicator: str
    note: str


def _indicator_list(indicators) -> str:
    return ", ".join(str(indicator) for indicator in indicators)


def has_session(innovation: Innovation) -> Errors:
    if MentoringSession.objects.filter(innovation=innovation).exists():
        return {}
    return {"sessions": [_("Catat minimal satu sesi pendampingan sebelum menyelesaikan.")]}


def package_complete(innovation: Innovation) -> Errors:
    """The desk check passes: a complete, eligible national entry (workflow.eligibility)."""
    return eligibility.desk_check(innovation).errors()


def report_complete(innovation: Innovation) -> Errors:
    errors: Errors = {}
    if not innovation.report_results.strip():
        errors["report_results"] = [_("Hasil akhir wajib diisi.")]
    if innovation.report_beneficiaries is None:
        errors["report_beneficiaries"] = [_("Jumlah penerima manfaat wajib diisi.")]
    # A Pekan Inovasi proposer's innovation is not reported nationally: nothing to cite.
    reported_nationally = innovation.unit.kind not in COMMUNITY_KINDS
    if reported_nationally and not innovation.report_national_ref.strip():
        errors["report_national_ref"] = [_("Rujukan laporan sistem nasional wajib diisi.")]
    return errors


def mandatory_evidence_valid(innovation: Innovation) -> Errors:
    valid = EvidenceItem.objects.filter(
        innovation=innovation, review=EvidenceItem.Review.VALID
    ).values("indicator_id")
    not_valid = Indicator.objects.filter(year=innovation.year, mandatory=True).exclude(pk__in=valid)
    if not_valid:
        return {
            "evidence": [
                _("Data dukung indikator wajib belum valid: %(list)s.")
                % {"list": _indicator_list(not_valid)}
            ]
        }
    return {}


def some_evidence_invalid(innovation: Innovation) -> Errors:
    """A verification return names what to fix: at least one item marked invalid."""
    if EvidenceItem.objects.filter(
        innovation=innovation, review=EvidenceItem.Review.INVALID
    ).exists():
        return {}
    return {"evidence": [_("Tandai minimal satu data dukung tidak valid sebelum mengembalikan.")]}


def invalid_evidence_findings(innovation: Innovation) -> list[InvalidEvidence]:
    items = EvidenceItem.objects.filter(
        innovation=innovation, review=EvidenceItem.Review.INVALID
    ).select_related("indicator")
    return [
        InvalidEvidence(id=item.pk, indicator=str(item.indicator), note=item.review_note)
        for item in items
    ]
