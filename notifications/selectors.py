"""Reads: a person's notifications, unread counts and e-mail preferences."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import QuerySet

from .models import DEFAULT_EMAIL_MODE, Kind, Notification, NotificationPreference

# Ids per statement in the IN lists below (well under SQLite's parameter limit).
IDS_CHUNK = 500


def notifications_for(
    *, user: AbstractBaseUser, since: int | None = None, unread: bool | None = None
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


def _rows_for_ids(sql: str, ids: set[int]) -> list[tuple]:
    """Run `sql` (its `{ids}` a placeholder list) over `ids` in chunks; all the rows."""
    ordered = sorted(ids)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), IDS_CHUNK):
            chunk = ordered[start : start + IDS_CHUNK]
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(chunk))), chunk)
            rows.extend(cursor.fetchall())
    return rows


# The two reads below run in every action that notifies someone: raw SQL, because the ORM
# took longer to compile them than the database to run them.


def unread_counts(*, user_ids: set[int]) -> dict[int, int]:
    """Unread counts for several people (people with none are absent -> 0); walks the partial
    index `notification_unread`."""
    counts = dict.fromkeys(user_ids, 0)
    table = Notification._meta.db_table
    counts.update(
        _rows_for_ids(
            f"SELECT recipient_id, COUNT(*) FROM {table} WHERE read_at IS NULL"
            " AND recipient_id IN ({ids}) GROUP BY recipient_id",
            user_ids,
        )
    )
    return counts


def addresses_and_modes(*, user_ids: set[int]) -> list[tuple[int, str, str | None, str | None]]:
    """(user id, e-mail, kind, mode) per stored preference; (user id, e-mail, None, None) for
    someone with none."""
    users = get_user_model()._meta.db_table
    prefs = NotificationPreference._meta.db_table
    return _rows_for_ids(
        f"SELECT u.id, u.email, p.kind, p.email FROM {users} u"
        f" LEFT JOIN {prefs} p ON p.user_id = u.id WHERE u.id IN ({{ids}})",
        user_ids,
    )


def latest_id(*, user_id: int) -> int:
    last = (
        Notification.objects.filter(recipient_id=user_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


def email_preferences(*, user: AbstractBaseUser) -> dict[str, str]:
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
