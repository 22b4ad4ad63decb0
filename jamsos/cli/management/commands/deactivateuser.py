from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.services import user_deactivate
from jamsos.core.errors import DomainError


class Command(BaseCommand):
    help = "Deactivate a user: no sign-in, every API token revoked, every web session ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, username: str, reason: str, **options: Any) -> None:
        try:
            user_deactivate(acting_user=None, username=username, reason=reason)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        self.stdout.write(f"deactivated {username}")
