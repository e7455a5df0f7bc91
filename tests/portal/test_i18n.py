"""The language switch: Indonesian by default, English when the cookie asks for it."""

import pytest
from django.conf import settings

from tests.factories import new_innovation

pytestmark = pytest.mark.django_db

# (Indonesian source, English translation) pairs from the menu and the innovation list.
HOME = [("Tugas saya", "My tasks"), ("Daftar inovasi", "Innovations"), ("Laporan", "Reports")]
LIST = [("Nama inovasi", "Innovation name"), ("Urusan utama", "Main government affair")]


@pytest.mark.parametrize(("path", "pairs"), [("/", HOME), ("/innovations/", HOME + LIST)])
def test_english_only_when_the_cookie_chooses_it(client, org, path, pairs):
    new_innovation(org)  # so the list has rows and its column headers
    client.force_login(org.admin)

    indonesian = client.get(path).content.decode()
    for source, english in pairs:
        assert source in indonesian
        assert english not in indonesian

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(path)
    assert page.status_code == 200
    content = page.content.decode()
    for source, english in pairs:
        assert english in content
        assert source not in content
