"""An audit log of who downloaded which evidence file, export and package, readable by admins
(issue 11, "What to reach")."""

import pytest
from django.test import Client

from audit.models import DownloadKind, DownloadRecord
from mentoring.models import EvidenceItem
from tests.factories import Org, advance, new_innovation, pdf
from tests.reports.helpers import body
from tests.security.test_uploads import upload

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_downloads_are_logged_with_who_what_and_which_case(org):
    innovation = advance(org, new_innovation(org), "packaging")
    assert upload(org.operator, innovation, pdf()).status_code == 201
    item = EvidenceItem.objects.get()
    mentor = browser(org.mentor)
    assert mentor.get(f"/files/evidence/{item.pk}/?download=1").status_code == 200
    admin = browser(org.admin)
    body(admin.get("/reports/innovations/csv/", {"stage": "packaging"}))
    body(admin.get(f"/national/innovations/{innovation.pk}/package.zip"))

    log = list(DownloadRecord.objects.order_by("id"))
    assert [(r.username, r.kind) for r in log] == [
        (org.mentor.username, DownloadKind.EVIDENCE),
        (org.admin.username, DownloadKind.EXPORT),
        (org.admin.username, DownloadKind.PACKAGE),
    ]
    assert log[0].innovation == innovation and "bukti.pdf" in log[0].target
    assert "stage=packaging" in log[1].target
    assert log[2].target == f"paket-iid-{innovation.year}-{innovation.pk}.zip"
    assert log[0].address == "127.0.0.1"


def test_a_refused_download_is_not_logged(org):
    innovation = advance(org, new_innovation(org), "packaging")
    upload(org.operator, innovation, pdf())
    item = EvidenceItem.objects.get()
    stranger = Org().operator
    assert browser(stranger).get(f"/files/evidence/{item.pk}/").status_code == 403
    assert not DownloadRecord.objects.exists()


def test_admins_read_the_log_and_nobody_edits_it(org):
    DownloadRecord.objects.create(
        user=org.mentor, username=org.mentor.username, kind=DownloadKind.EXPORT, target="x.csv"
    )
    org.admin.is_staff = org.admin.is_superuser = True
    org.admin.save()
    admin = browser(org.admin)
    page = admin.get("/admin/audit/downloadrecord/")
    assert page.status_code == 200 and "x.csv" in page.content.decode()
    assert admin.get("/admin/audit/downloadrecord/add/").status_code == 403
    record = DownloadRecord.objects.get()
    assert admin.post(f"/admin/audit/downloadrecord/{record.pk}/delete/").status_code == 403
    assert DownloadRecord.objects.count() == 1
    # Not for anyone else.
    assert browser(org.operator).get("/admin/audit/downloadrecord/").status_code == 302
