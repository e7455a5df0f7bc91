"""Finding 2: API tokens never expired, were stored in clear and survived logout and a password
change; open sockets kept receiving after their token or session ended. Now tokens are knox
digests with an expiry, listed and revoked by their owner, all revoked with a password
change, and a revoked credential closes the sockets opened with it."""

import asyncio
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import make_user
from tests.notifications.test_socket import TIMEOUT, connect, receive, run, socket

API = "/api/v1"


def token_for(user) -> tuple[dict, str]:
    response = APIClient().post(
        f"{API}/auth/token", {"username": user.username, "password": "rahasia123"}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json(), response.json()["token"]


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def bearer_headers(raw: str) -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"Bearer {raw}".encode())]


@pytest.mark.django_db
def test_tokens_are_new_each_time_stored_as_digests_and_expire_in_30_days():
    user = make_user()
    body, raw = token_for(user)
    _other_body, other = token_for(user)
    assert raw != other
    assert body["token_key"] == raw[:15]
    expiry = AuthToken.objects.get(token_key=body["token_key"]).expiry
    assert abs(expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    # Nothing in the table holds the raw token.
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, token_key FROM knox_authtoken")
        stored = {value for row in cursor.fetchall() for value in row}
    assert raw not in stored and other not in stored
    assert bearer(raw).get(f"{API}/me").status_code == 200


@pytest.mark.django_db
def test_an_expired_token_is_refused():
    user = make_user()
    body, raw = token_for(user)
    AuthToken.objects.filter(token_key=body["token_key"]).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )
    response = bearer(raw).get(f"{API}/me")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.django_db
def test_owner_lists_and_revokes_their_own_tokens_only():
    user, stranger = make_user(), make_user()
    first, raw = token_for(user)
    second, other = token_for(user)
    theirs, _ = token_for(stranger)

    listed = bearer(raw).get(f"{API}/auth/tokens/").json()
    assert {t["token_key"]: t["current"] for t in listed} == {
        first["token_key"]: True,
        second["token_key"]: False,
    }
    # Someone else's key is not theirs to revoke.
    assert bearer(raw).delete(f"{API}/auth/tokens/{theirs['token_key']}/").status_code == 404
    assert bearer(raw).delete(f"{API}/auth/tokens/{second['token_key']}/").status_code == 204
    assert bearer(other).get(f"{API}/me").status_code == 401
    assert bearer(raw).get(f"{API}/me").status_code == 200
    # DELETE on the list logs every client of the owner out, this one included.
    assert bearer(raw).delete(f"{API}/auth/tokens/").status_code == 204
    assert bearer(raw).get(f"{API}/me").status_code == 401
    assert AuthToken.objects.filter(user=stranger).count() == 1


@pytest.mark.django_db
def test_a_password_change_revokes_every_token():
    user = make_user()
    _, raw = token_for(user)
    user.set_password("kata-sandi-baru-9")
    user.save()
    assert bearer(raw).get(f"{API}/me").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_past_the_limit_a_new_token_needs_an_old_one_revoked(settings):
    from knox.settings import knox_settings

    user = make_user()
    for _ in range(knox_settings.TOKEN_LIMIT_PER_USER):
        AuthToken.objects.create(user=user)
    response = APIClient().post(
        f"{API}/auth/token", {"username": user.username, "password": "rahasia123"}, format="json"
    )
    assert response.status_code == 409
    assert "cabut token" in response.json()["detail"]


# --- sockets: a revoked credential closes what it opened ---------------------------------------

sockets = pytest.mark.django_db(transaction=True, serialized_rollback=True)


async def closed_with(comm, code: int) -> None:
    """The socket closes with `code` within TIMEOUT (pings and counts before it are skipped)."""

    async def until_close():
        while (output := await comm.receive_output(timeout=TIMEOUT))["type"] != "websocket.close":
            pass
        return output

    assert (await asyncio.wait_for(until_close(), TIMEOUT))["code"] == code


@sockets
def test_revoking_a_token_closes_its_socket_and_not_the_others():
    user = make_user()
    body, raw = token_for(user)
    _, other = token_for(user)

    async def scenario():
        revoked, kept = socket(bearer_headers(raw)), socket(bearer_headers(other))
        await connect(revoked)
        await connect(kept)
        assert (await receive(revoked))["type"] == "unread"
        assert (await receive(kept))["type"] == "unread"
        response = await database_sync_to_async(bearer(other).delete)(
            f"{API}/auth/tokens/{body['token_key']}/"
        )
        assert response.status_code == 204
        await closed_with(revoked, 4401)
        await kept.send_to(text_data='{"type": "ping"}')
        assert await receive(kept) == {"type": "pong"}
        await kept.disconnect()

    run(scenario)


@sockets
def test_logout_closes_the_sessions_sockets():
    user = make_user()
    browser = Client()
    browser.force_login(user)
    cookie = f"sessionid={browser.cookies['sessionid'].value}".encode()
    headers = [(b"cookie", cookie), (b"origin", b"http://testserver"), (b"host", b"testserver")]

    async def scenario():
        comm = socket(headers)
        await connect(comm)
        assert (await receive(comm))["type"] == "unread"
        response = await database_sync_to_async(browser.post)("/accounts/logout/")
        assert response.status_code == 302
        await closed_with(comm, 4401)

    run(scenario)


@sockets
def test_a_password_change_closes_every_socket_of_the_person():
    user = make_user()
    _, raw = token_for(user)

    def change_password():
        user.set_password("kata-sandi-baru-9")
        user.save()

    async def scenario():
        comm = socket(bearer_headers(raw))
        await connect(comm)
        assert (await receive(comm))["type"] == "unread"
        await database_sync_to_async(change_password)()
        await closed_with(comm, 4401)

    run(scenario)


@sockets
def test_a_socket_ends_when_its_token_expires(settings):
    settings.NOTIFICATIONS_PING_SECONDS = 0.2
    user = make_user()
    body, raw = token_for(user)
    AuthToken.objects.filter(token_key=body["token_key"]).update(
        expiry=timezone.now() + timedelta(seconds=1)
    )

    async def scenario():
        comm = socket(bearer_headers(raw))
        await connect(comm)
        assert (await receive(comm))["type"] == "unread"
        await closed_with(comm, 4401)

    run(scenario)
