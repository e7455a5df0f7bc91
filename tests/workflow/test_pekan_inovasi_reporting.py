"""A Pekan Inovasi proposer (school, BUMDes, community group) goes through the same flow but is
not reported to the national portal (issue 13, point 6): its report cites no national reference,
and BRIDA cannot record a national entry for it."""

import pytest

from core.errors import ActionConflict
from mentoring.models import Innovation, PekanCategory, Stage, UnitKind
from submission.models import NationalEntry
from submission.services import record_entry
from tests.factories import Org, new_innovation
from workflow import guards

pytestmark = pytest.mark.django_db


def reported_case(org: Org, stage: str = Stage.REPORTING) -> Innovation:
    innovation = new_innovation(org)
    Innovation.objects.filter(pk=innovation.pk).update(
        stage=stage, report_results="Hasil akhir uji.", report_beneficiaries=40
    )
    return Innovation.objects.select_related("unit").get(pk=innovation.pk)


def school() -> Org:
    org = Org()
    org.unit.kind, org.unit.category = UnitKind.SEKOLAH, PekanCategory.SEKOLAH
    org.unit.full_clean()
    org.unit.save()
    return org


def test_an_office_report_needs_the_national_reference_a_schools_does_not(org):
    assert list(guards.report_complete(reported_case(org))) == ["report_national_ref"]
    assert guards.report_complete(reported_case(school())) == {}


def test_no_national_entry_for_a_pekan_inovasi_proposer(org):
    proposer = school()
    innovation = reported_case(proposer)
    with pytest.raises(ActionConflict, match="Pekan Inovasi"):
        record_entry(user=proposer.admin, innovation_id=innovation.pk, reference="IID-1")
    assert not NationalEntry.objects.exists()
    assert Innovation.objects.get(pk=innovation.pk).report_national_ref == ""
    # An office's verified case still goes in.
    office_case = reported_case(org)
    record_entry(user=org.admin, innovation_id=office_case.pk, reference="IID-2")
    assert NationalEntry.objects.get().innovation_id == office_case.pk
