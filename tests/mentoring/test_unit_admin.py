"""The Django admin's unit pages (issue 13 point 6): an admin sets a Pekan Inovasi proposer's
category without a CSV import, and a kind/category pair the model refuses is shown on the
category field with nothing written."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from mentoring.models import Region, Unit

pytestmark = pytest.mark.django_db

NEEDS_CATEGORY = "Sekolah, BUMDes dan kelompok masyarakat wajib punya kategori."
OFFICES_HAVE_NONE = "Kategori Pekan Inovasi hanya untuk pengusul di luar perangkat daerah."


@pytest.fixture
def superuser_client(client):
    user = User.objects.create_superuser("root", "root@kukar.example.org", "rahasia-admin")
    client.force_login(user)
    return client


def add(client, **data):
    return client.post(reverse("admin:mentoring_unit_add"), {"region": "", **data})


def test_a_school_without_a_category_gets_the_error_on_the_field_and_no_row(superuser_client):
    response = add(superuser_client, code="sman-2", name="SMA Negeri 2 Tenggarong", kind="sekolah")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"category": [NEEDS_CATEGORY]}
    assert NEEDS_CATEGORY in response.content.decode()
    assert not Unit.objects.filter(code="sman-2").exists()


def test_an_office_with_a_category_gets_the_error_on_the_field_and_no_row(superuser_client):
    response = add(
        superuser_client, code="dispora", name="Dinas Pemuda", kind="dinas", category="pemuda"
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"category": [OFFICES_HAVE_NONE]}
    assert not Unit.objects.filter(code="dispora").exists()


def test_an_admin_adds_a_community_unit_with_its_category_and_edits_it(superuser_client):
    region = Region.objects.first()
    response = add(
        superuser_client,
        code="kwt-melati",
        name="KWT Melati",
        kind="kelompok",
        category="perempuan",
        region=region.pk if region else "",
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="kwt-melati")
    assert (unit.kind, unit.category, unit.is_office) == ("kelompok", "perempuan", False)
    change = reverse("admin:mentoring_unit_change", args=[unit.pk])
    moved = superuser_client.post(
        change,
        {
            "code": "kwt-melati",
            "name": "KWT Melati",
            "kind": "kelompok",
            "category": "petani_nelayan",
        },
    )
    assert moved.status_code == 302
    unit.refresh_from_db()
    assert unit.category == "petani_nelayan"
    # Turning it into an office while it keeps its category is refused on the field.
    refused = superuser_client.post(
        change,
        {"code": "kwt-melati", "name": "KWT Melati", "kind": "desa", "category": "petani_nelayan"},
    )
    assert refused.context["adminform"].form.errors == {"category": [OFFICES_HAVE_NONE]}
    unit.refresh_from_db()
    assert unit.kind == "kelompok"


def test_the_list_filters_by_kind_and_category_and_searches_code_and_name(superuser_client):
    Unit.objects.create(
        code="sdn-7", name="SD Negeri 007 Loa Kulu", kind="sekolah", category="sekolah"
    )
    Unit.objects.create(
        code="kt-9", name="Karang Taruna Sebulu", kind="kelompok", category="pemuda"
    )
    Unit.objects.create(code="dinkes", name="Dinas Kesehatan", kind="dinas")
    url = reverse("admin:mentoring_unit_changelist")

    def listed(**query) -> set[str]:
        response = superuser_client.get(url, query)
        assert response.status_code == 200
        return {unit.code for unit in response.context["cl"].result_list}

    assert listed(category__exact="pemuda") == {"kt-9"}
    assert listed(kind__exact="sekolah") == {"sdn-7"}
    assert listed(q="loa kulu") == {"sdn-7"}
    assert listed(q="dinkes") == {"dinkes"}
    page = superuser_client.get(url).content.decode()
    assert "Pelajar/sekolah" in page and "Karang Taruna Sebulu" in page
