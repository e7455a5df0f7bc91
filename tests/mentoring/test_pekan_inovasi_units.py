"""Innovators beyond the offices (issue 13 point 6): schools, BUMDes and community groups are
units with a Pekan Inovasi category, go through the same lifecycle, and are imported by CSV."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentoring.imports import import_units
from mentoring.models import COMMUNITY_KINDS, OFFICE_KINDS, PekanCategory, Unit, UnitKind
from submission import selectors as submission
from tests.factories import advance, make_unit, new_innovation

pytestmark = pytest.mark.django_db


def test_kinds_split_into_offices_and_community():
    assert set(COMMUNITY_KINDS) == {UnitKind.SEKOLAH, UnitKind.BUMDES, UnitKind.KELOMPOK}
    assert UnitKind.BUMD in OFFICE_KINDS and not set(OFFICE_KINDS) & set(COMMUNITY_KINDS)
    assert set(PekanCategory.values) == {
        "sekolah",
        "petani_nelayan",
        "perempuan",
        "disabilitas",
        "pemuda",
        "bumdes",
    }


def test_category_belongs_to_community_units_only():
    school = Unit(code="sd-1", name="SD 1", kind=UnitKind.SEKOLAH)
    with pytest.raises(ValidationError) as caught:
        school.full_clean()
    assert "category" in caught.value.message_dict
    office = Unit(code="dinas-x", name="Dinas X", kind=UnitKind.DINAS, category="pemuda")
    with pytest.raises(ValidationError) as caught:
        office.full_clean()
    assert "category" in caught.value.message_dict
    for bad in (school, office):  # the database refuses it too
        with pytest.raises(IntegrityError), transaction.atomic():
            bad.save()
    Unit.objects.create(code="kt-1", name="Karang Taruna", kind="kelompok", category="pemuda")
    assert not Unit.objects.get(code="kt-1").is_office and make_unit().is_office


def test_a_community_innovation_goes_through_the_whole_lifecycle_outside_the_national_count(org):
    org.unit.kind, org.unit.category = UnitKind.BUMDES, PekanCategory.BUMDES
    org.unit.save()
    case = advance(org, new_innovation(org), "done")
    assert case.stage == "done"
    assert not submission.package_cases(user=org.admin, year=org.year)


def test_units_import_takes_the_category():
    report = import_units(
        data="code,name,kind,category\n"
        "sdn-1,SDN 001 Tenggarong,sekolah,sekolah\n"
        "kwt-1,KWT Melati,kelompok,perempuan\n"
        "dinkes,Dinas Kesehatan,dinas,\n"
    )
    assert (report.errors, report.created) == ([], 3)
    assert Unit.objects.get(code="kwt-1").category == "perempuan"
    bad = import_units(
        data="code,name,kind,category\n"
        "sdn-2,SDN 002,sekolah,\n"
        "kt-2,Karang Taruna,kelompok,pelaut\n"
        "dinsos,Dinas Sosial,dinas,pemuda\n"
    )
    assert [(e.row, e.column) for e in bad.errors] == [
        (2, "category"),
        (3, "category"),
        (4, "category"),
    ]
    assert not Unit.objects.filter(code__in=["sdn-2", "kt-2", "dinsos"]).exists()
    # A file without the column still imports offices.
    assert import_units(data="code,name,kind\ndishub,Dinas Perhubungan,dinas\n").created == 1
