import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient


def bearer(user) -> APIClient:
    """An API client that sends `Authorization: Bearer <token>` for `user`."""
    client = APIClient()
    _token, raw = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def as_user():
    return bearer
