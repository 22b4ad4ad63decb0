from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.services import tokens_revoke_all
from jamsos.core.errors import DomainError


class Command(BaseCommand):
    help = "Revoke every active API token of a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, username: str, reason: str, **options: Any) -> None:
        try:
            count = tokens_revoke_all(acting_user=None, username=username, reason=reason)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        self.stdout.write(f"revoked {count} token(s) of {username}")
