"""Request body parsers: DRF's, with input that would crash the parser answered as a 400."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a document nested deeper than Python's recursion limit (a few
    thousand levels) is refused as invalid JSON instead of ending in a RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("Struktur JSON terlalu dalam.")) from None
