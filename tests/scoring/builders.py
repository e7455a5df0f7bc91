"""Scoring fixtures built as rows: the formula only reads stages and evidence, and a dozen cases
driven through the whole lifecycle would take a minute. The lifecycle itself is exercised by
test_verified_parameter.py through tests.factories.advance()."""

from mentoring.models import (
    Bentuk,
    EvidenceItem,
    Indicator,
    Inisiator,
    Innovation,
    Jenis,
    Stage,
    Unit,
    Urusan,
)
from tests.factories import Org

YANDAS = [
    "pendidikan",
    "kesehatan",
    "pekerjaan-umum-dan-penataan-ruang",
    "perumahan-rakyat-dan-kawasan-permukiman",
    "ketenteraman-ketertiban-umum-dan-pelindungan-masyarakat",
    "sosial",
]
ALL_THREE = {number: 3 for number in range(16, 36)}  # scores 111 with the 2026 weights


def case(
    org: Org,
    *,
    params: dict[int, int],
    urusan: str = "kesehatan",
    stage: str = Stage.REPORTING,
    review: str = EvidenceItem.Review.VALID,
    verified: dict[int, int] | None = None,
    related: tuple[str, ...] = (),
    unit: Unit | None = None,
) -> Innovation:
    """An innovation in `stage` with one evidence item per indicator in `params` (chosen
    parameter); `verified` overrides the verified parameter of some of them."""
    innovation = Innovation.objects.create(
        unit=unit or org.unit,
        year=org.year,
        name=f"Inovasi {Innovation.objects.count() + 1}",
        bentuk=Bentuk.PELAYANAN_PUBLIK,
        jenis=Jenis.DIGITAL,
        inisiator=Inisiator.ASN,
        main_urusan=Urusan.objects.get(code=urusan),
        stage=stage,
        created_by=org.operator,
    )
    if related:
        innovation.related_urusan.set(Urusan.objects.filter(code__in=related))
    evidence(org, innovation, params, review=review, verified=verified)
    return innovation


def evidence(
    org: Org,
    innovation: Innovation,
    params: dict[int, int],
    *,
    review: str = EvidenceItem.Review.VALID,
    verified: dict[int, int] | None = None,
) -> None:
    indicators = {i.number: i for i in Indicator.objects.filter(year=innovation.year)}
    verified = verified or {}
    EvidenceItem.objects.bulk_create(
        EvidenceItem(
            innovation=innovation,
            indicator=indicators[number],
            parameter=p,
            review=review,
            verified_parameter=(
                verified.get(number, p) if review == EvidenceItem.Review.VALID else None
            ),
            file=f"cases/{innovation.year}/{innovation.pk}/bukti-{number}.pdf",
            original_name=f"bukti-{number}.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=org.operator,
        )
        for number, p in params.items()
    )
