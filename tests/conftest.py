import pytest


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    # Private uploads go to a per-test folder; MD5 hashing keeps user creation cheap in tests.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # Users made by class-scoped fixtures, before this one applies, still verify.
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def org(db):
    from tests.factories import Org

    return Org()
