from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.twofactor import second_factor_reset
from jamsos.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes (a lost phone); staff set up a "
        "new one at their next sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        try:
            removed = second_factor_reset(acting_user=None, username=username)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        self.stdout.write(f"removed {removed} device(s) of {username}")
