from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.lockout import signin_unlock
from jamsos.core.errors import DomainError


class Command(BaseCommand):
    help = "Lift a sign-in lockout of an account (--username) or a client address (--address)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="")
        parser.add_argument("--address", default="")

    def handle(self, *args: Any, username: str, address: str, **options: Any) -> None:
        try:
            count = signin_unlock(acting_user=None, username=username, address=address)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        self.stdout.write(f"unlocked {count} lock(s)")
