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
