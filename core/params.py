"""Numbers from query strings, forms and paths: ASCII digits only (str.isdigit also takes "²"
and "١٢", which int() then refuses or reads), and small enough for every database's 64-bit
integer (SQLite raises OverflowError on more, PostgreSQL an error)."""

import re

from django.utils.translation import gettext_lazy as _

# Up to 18 digits: every such number is below 2**63.
ID_PATTERN = "[0-9]{1,18}"
MAX_ID = 2**63 - 1
_ID = re.compile(ID_PATTERN)
MIN_YEAR, MAX_YEAR = 2000, 2100
YEAR_ERROR = _("Tahun harus berupa tahun antara 2000 dan 2100.")


def whole_number(raw: object) -> int | None:
    """The number written in `raw`, or None when it is not plain digits that fit 64 bits."""
    text = str(raw).strip() if raw is not None else ""
    return int(text) if _ID.fullmatch(text) else None


def year(raw: object) -> int | None:
    """A programme year (2000-2100) or None."""
    value = whole_number(raw)
    return value if value is not None and MIN_YEAR <= value <= MAX_YEAR else None


class IdConverter:
    """`<id:pk>` in URL patterns: a database id; anything longer is a 404, not a 500."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
