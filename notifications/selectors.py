"""Reads: a person's notifications, unread counts and e-mail preferences."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Count, Max, QuerySet

from .models import DEFAULT_EMAIL_MODE, Kind, Notification, NotificationPreference


def notifications_for(
    *, user: User, since: int | None = None, unread: bool | None = None
) -> QuerySet[Notification]:
    """The user's own notifications: after `since` oldest first (catching up), else newest first."""
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread is not None:
        qs = qs.filter(read_at__isnull=unread)
    if since is not None:
        return qs.filter(pk__gt=since).order_by("pk")
    return qs.order_by("-pk")


def unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def unread_counts(*, user_ids: set[int]) -> dict[int, int]:
    """Unread counts for several people (0 for people with none); one grouped query on the
    partial index `notification_unread`."""
    counts = dict.fromkeys(user_ids, 0)
    counts.update(
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("recipient_id", "unread")
        .order_by()
    )
    return counts


def latest_ids(*, user_ids: set[int], before: int | None = None) -> dict[int, int]:
    """Each person's newest notification id (below `before` when given); people with none are
    left out. One grouped query on the (recipient, id) index."""
    qs = Notification.objects.filter(recipient_id__in=user_ids)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return dict(
        qs.values("recipient_id")
        .annotate(last=Max("pk"))
        .values_list("recipient_id", "last")
        .order_by()
    )


def addresses_and_modes(*, user_ids: set[int]) -> list[tuple[int, str, str | None, str | None]]:
    """(user id, e-mail, kind, mode) per stored preference; (user id, e-mail, None, None) for
    someone with none: one query."""
    return list(
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .values_list(
            "pk", "email", "notification_preferences__kind", "notification_preferences__email"
        )
    )


def latest_id(*, user_id: int) -> int:
    last = (
        Notification.objects.filter(recipient_id=user_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


def email_preferences(*, user: User) -> dict[str, str]:
    """The e-mail mode of every kind for this user (stored choice, else the default)."""
    modes = dict(DEFAULT_EMAIL_MODE)
    modes.update(
        NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "email")
    )
    return {kind: str(modes[kind]) for kind in Kind.values}


def email_mode(*, user_id: int, kind: str) -> str:
    """One person's e-mail mode for one kind (for the e-mail delivery)."""
    stored = (
        NotificationPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("email", flat=True)
        .first()
    )
    return stored or str(DEFAULT_EMAIL_MODE[kind])
