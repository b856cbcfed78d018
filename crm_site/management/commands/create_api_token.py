from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm_site.tokens import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print it (only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="lifetime in days (0: no expiry; default API_TOKEN_TTL_DAYS)",
        )

    def handle(self, *args: Any, username: str, days: int | None, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        token, raw = api_token_create(user=user, days=days)
        expiry = token.expiry.isoformat() if token.expiry else "never"
        self.stderr.write(f"Token for {username} (expires {expiry}); send it as 'Authorization: Token <token>':")
        self.stdout.write(raw)
