"""`Authorization: Bearer <token>` on top of DRF's token table."""

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"
