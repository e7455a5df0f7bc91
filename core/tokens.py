"""API tokens (django-rest-knox, whose TokenAuthentication checks them; the "Bearer" keyword comes
from REST_KNOX's AUTH_HEADER_PREFIX): `Authorization: Bearer <token>`, stored only as digests,
expiring after REST_KNOX's TOKEN_TTL, listed and revocable by their owner, and all revoked
when the owner's password changes."""

from django.contrib.auth.models import User
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from knox.settings import knox_settings
from rest_framework.exceptions import AuthenticationFailed

from core.errors import ActionConflict

# Sent when a credential stops being valid, so that what was opened with it closes (the open
# WebSockets, notifications.receivers). kwargs: user_id, credential ("session:<key>",
# "token:<digest>", or ALL for every credential of the person).
credentials_revoked = Signal()
ALL = "*"


def session_credential(session_key: str) -> str:
    return f"session:{session_key}"


def token_credential(token: AuthToken) -> str:
    return f"token:{token.digest}"


def token_owner(raw: str) -> tuple[User, AuthToken] | None:
    """The active owner and the token row of a raw token; None when unknown or expired."""
    try:
        user, token = TokenAuthentication().authenticate_credentials(raw.encode())
    except AuthenticationFailed:
        return None
    return user, token


def active_tokens(*, user: User):
    """The user's tokens that still work, newest first."""
    now = timezone.now()
    return AuthToken.objects.filter(user=user, expiry__gt=now).order_by("-created")


@transaction.atomic
def issue_token(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user`: the row (kept as a digest) and the raw token, shown once.

    Expired tokens are dropped on the way; past TOKEN_LIMIT_PER_USER working tokens the
    owner must revoke one first (silently dropping the oldest could cut off an integration)."""
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    # Locks the owner's row: two logins at once cannot both take the last free place.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if limit is not None and active_tokens(user=user).count() >= limit:
        raise ActionConflict(
            _("Batas %(limit)s token aktif tercapai: cabut token yang tidak dipakai dulu.")
            % {"limit": limit}
        )
    return AuthToken.objects.create(user=user)


@transaction.atomic
def revoke_tokens(*, user: User, token_key: str | None = None) -> int:
    """Delete the user's token with that key (its first characters), or all of them; each
    deletion also closes the sockets opened with it (notifications.receivers)."""
    tokens = AuthToken.objects.filter(user=user)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    # Deleted row by row by Django (post_delete has a receiver), in one transaction.
    _total, per_model = tokens.delete()
    return per_model.get(AuthToken._meta.label, 0)


class RevokeTokensOnPasswordChange:
    """Not a rule on passwords: Django calls password_changed on every validator when a
    password is set, which is the one place every password change passes through."""

    def validate(self, password: str, user: User | None = None) -> None:
        return None

    def get_help_text(self) -> str:
        return ""

    def password_changed(self, password: str, user: User | None = None) -> None:
        if user is not None and user.pk is not None:
            revoke_tokens(user=user)
            # The other sessions are no longer valid either (Django's session hash).
            credentials_revoked.send(sender=User, user_id=user.pk, credential=ALL)
