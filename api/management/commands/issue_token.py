"""Issue a new API token for a user and print it (only its digest is kept)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.errors import ServiceError
from core.tokens import issue_token


class Command(BaseCommand):
    help = "Issue and print a new API token for USER: Authorization: Bearer <token>."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        try:
            token, raw = issue_token(user=user)
        except ServiceError as error:
            raise CommandError(error.message) from error
        self.stderr.write(f"Valid until {token.expiry:%Y-%m-%d %H:%M %Z}.")
        self.stdout.write(raw)
