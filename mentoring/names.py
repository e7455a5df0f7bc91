"""How a person is named wherever one appears (pages, exports, PDF, filters, history): the full
name from the account, falling back on the username only when no name was entered."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, F, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Concat, NullIf, Trim


def full_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """ "First Last", or the username when the account has no name."""
    if user is None:
        return ""
    name = getattr(user, "get_full_name", lambda: "")()
    return (name or "").strip() or user.get_username()


def full_name_expression(path: str = "") -> Combinable:
    """The same as full_name() in SQL, for the user reached by `path` ("mentor__", say)."""
    return Coalesce(
        NullIf(
            Trim(
                Concat(
                    F(f"{path}first_name"),
                    Value(" "),
                    F(f"{path}last_name"),
                    output_field=CharField(),
                )
            ),
            Value(""),
        ),
        F(f"{path}username"),
        output_field=CharField(),
    )
