"""Paging of the innovation list: page numbers for the clients that use them, positions (keyset)
for any depth (issue 14).

`?page=N` reads OFFSET rows and counts the whole filtered list: exact, but slower the deeper the
page; so page numbers reach the first `LIST_COUNT_CAP` rows (10,000, as far as the web list
counts), and a deeper page answers 400 naming `after` (at 500,000 innovations page 10,000 took
~900 ms). `?after=<year>.<id>` (empty for the first page) reads the page
off the list's `(-year, -id)` index from that position, as the web list does
(workflow.selectors.keyset_page): a page deep in 500,000 costs what the first does, and nothing
is counted (`count` is null).
"""

from typing import cast

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.params import whole_number
from mentoring.models import Innovation
from workflow import selectors

CURSOR_PARAM = "after"
CURSOR_ERROR = _(
    "Posisi harus berbentuk <tahun>.<id> (angka saja, seperti pada tautan next), atau kosong "
    "untuk halaman pertama."
)
DEPTH_ERROR = _(
    "Nomor halaman hanya sampai %(last)d (%(rows)d baris pertama); untuk membaca lebih jauh "
    "gunakan posisi (after), seperti pada tautan next."
)
RANKED_ERROR = _(
    "Hasil pencarian teks (q) diurutkan menurut kecocokan: gunakan nomor halaman (page), bukan "
    "posisi (after)."
)
CURSOR_DESCRIPTION = (
    "Keyset paging, fast at any depth: the position after which the page starts, "
    "`<year>.<id>` as in the `next` link; empty (`after=`) for the first page. `count` is "
    "then null (nothing is counted) and `previous` null. A walk along the `next` links "
    "misses no row and repeats none, even while cases are added. Not with a text search "
    "(`q`) on PostgreSQL, which lists the best matches first: it pages by `page` (400 "
    "otherwise). Without `after`, `page` numbers the pages: it counts the whole filtered "
    "list and reads past every earlier row, so page numbers stop at the first 10,000 rows."
)


class InnovationPagination(PageNumberPagination):
    """Page numbers with an exact count, or (with `after`) keyset pages without a count."""

    page_size = cast(int, api_settings.PAGE_SIZE)  # set in settings.REST_FRAMEWORK

    @property
    def last_numbered_page(self) -> int:
        return selectors.LIST_COUNT_CAP // self.page_size

    def depth_error(self) -> str:
        return str(DEPTH_ERROR) % {
            "last": self.last_numbered_page,
            "rows": selectors.LIST_COUNT_CAP,
        }

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = CURSOR_PARAM in request.query_params
        if not self.keyset:
            number = whole_number(request.query_params.get(self.page_query_param, ""))
            if number is not None and number > self.last_numbered_page:
                raise ValidationError({self.page_query_param: [self.depth_error()]})
            return super().paginate_queryset(queryset, request, view)
        raw = request.query_params[CURSOR_PARAM]
        after = selectors.parse_cursor(raw)
        if raw and after is None:
            raise ValidationError({CURSOR_PARAM: [str(CURSOR_ERROR)]})
        # As on the web list: a ranked text search keeps page numbers (its order is not an
        # index's, and walking the index for a rare word would read every row).
        if "search_rank" in queryset.query.annotations:
            raise ValidationError({CURSOR_PARAM: [str(RANKED_ERROR)]})
        if after is None:
            rows, next_after = _first_page(queryset, size=self.page_size)
        else:
            rows, next_after = selectors.keyset_page(queryset, after=after, size=self.page_size)
        self.next_link = None
        if next_after is not None:
            url = remove_query_param(request.build_absolute_uri(), self.page_query_param)
            self.next_link = replace_query_param(url, CURSOR_PARAM, next_after)
        return rows

    def get_paginated_response(self, data):
        if not self.keyset:
            return super().get_paginated_response(data)
        return Response({"count": None, "next": self.next_link, "previous": None, "results": data})

    def get_paginated_response_schema(self, schema):
        document = super().get_paginated_response_schema(schema)
        document["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": "Rows of the filtered list with `page`; null with `after` "
            "(keyset pages count nothing).",
        }
        document["properties"]["next"]["description"] = (
            "The next page: `page=N+1` with page numbers, `after=<year>.<id>` with `after`; "
            "null on the last page."
        )
        return document

    def get_schema_operation_parameters(self, view):
        page, *rest = super().get_schema_operation_parameters(view)
        page["description"] = (
            "A page number (counts the whole filtered list). Page numbers reach the first "
            f"{selectors.LIST_COUNT_CAP:,} rows; a deeper page answers 400: read on with "
            "`after`."
        )
        page["schema"] = {"type": "integer", "minimum": 1, "maximum": self.last_numbered_page}
        after = {
            "name": CURSOR_PARAM,
            "required": False,
            "in": "query",
            "description": CURSOR_DESCRIPTION,
            "schema": {"type": "string", "pattern": r"^([0-9]{1,4}\.[0-9]{1,18})?$"},
        }
        return [page, after, *rest]


def _first_page(qs: QuerySet[Innovation], *, size: int) -> tuple[list[Innovation], str | None]:
    """The first `size` rows and the position after them (None when they are all)."""
    rows = list(qs[: size + 1])
    if len(rows) > size:
        return rows[:size], selectors.cursor_of(rows[size - 1])
    return rows, None
