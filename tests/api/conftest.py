import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def bearer(user) -> APIClient:
    """An API client that sends `Authorization: Bearer <token>` for `user`."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client


@pytest.fixture
def as_user():
    return bearer


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every Org() creates six users; the production hasher makes that ~3 s per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
