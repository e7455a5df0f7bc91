"""Finding 1: fifty wrong passwords in a row, then the right one, worked everywhere. Now every
password entry point counts failures per account and per address (django-axes) and answers
429 with Retry-After and an Indonesian message, the right password included."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import make_user

API_TOKEN = "/api/v1/auth/token"
WEB_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def api_login(username: str, password: str, address: str = "10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        API_TOKEN, {"username": username, "password": password}, format="json"
    )


def form_login(url: str, username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(url, {"username": username, "password": password})


def assert_locked(response, *, json_body: bool) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    if json_body:
        body = response.json()
        assert body["detail"].startswith("Terlalu banyak percobaan masuk yang gagal")
        assert body["errors"] == {}
    else:
        assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()


@pytest.mark.django_db
def test_api_token_endpoint_locks_the_account_then_refuses_the_right_password():
    user = make_user()
    for attempt in range(LIMIT - 1):
        assert api_login(user.username, "salah", f"10.0.1.{attempt}").status_code == 400
    # The failure that reaches the limit is already refused...
    assert_locked(api_login(user.username, "salah", "10.0.2.1"), json_body=True)
    # ...and so is the right password, from any address: the account itself is locked.
    assert_locked(api_login(user.username, "rahasia123", "10.9.9.9"), json_body=True)


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_locked():
    people = [make_user() for _ in range(LIMIT + 1)]
    for person in people[: LIMIT - 1]:
        assert api_login(person.username, "salah").status_code == 400
    assert_locked(api_login(people[LIMIT - 1].username, "salah"), json_body=True)
    assert_locked(api_login(people[-1].username, "rahasia123"), json_body=True)
    # Another address still gets in with the right password.
    assert api_login(people[-1].username, "rahasia123", "10.0.0.2").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", [WEB_LOGIN, ADMIN_LOGIN])
def test_web_and_admin_logins_lock_out_with_a_page(url):
    user = make_user()
    user.is_staff = True
    user.save()
    for _ in range(LIMIT - 1):
        assert form_login(url, user.username, "salah").status_code == 200  # form error
    assert_locked(form_login(url, user.username, "salah"), json_body=False)
    assert_locked(form_login(url, user.username, "rahasia123"), json_body=False)


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_accounts_count():
    # Each from its own address: only the account's count is in play (an address's count is
    # never reset by a success, or one valid login would clear a guessing address).
    user = make_user()
    addresses = iter(f"10.0.3.{i}" for i in range(10))
    for _ in range(LIMIT - 1):
        assert api_login(user.username, "salah", next(addresses)).status_code == 400
    assert api_login(user.username, "rahasia123", next(addresses)).status_code == 200
    for _ in range(LIMIT - 1):
        assert api_login(user.username, "salah", next(addresses)).status_code == 400
    assert api_login(user.username, "rahasia123", next(addresses)).status_code == 200
