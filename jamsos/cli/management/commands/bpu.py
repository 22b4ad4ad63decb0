"""``jamsos bpu remind [--days N] [--date YYYY-MM-DD]``: reminders before informal members'
cover ends (run daily; each member is reminded once per cover end)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.contributions.bpu import bpu_reminders_send


class Command(BaseCommand):
    help = "Queue reminders to members (and their sponsors) whose cover ends soon."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="queue the reminders")
        remind.add_argument("--days", type=int, default=7, help="cover ending within N days")
        remind.add_argument("--date", dest="on", help="today's date (default: today)")

    def handle(self, *args: Any, action: str, days: int, on: str | None, **options: Any) -> None:
        if not 1 <= days <= 31:
            raise CommandError("--days: must be 1 to 31")
        try:
            today = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"--date: not a date (YYYY-MM-DD): {on!r}") from None
        sent = bpu_reminders_send(today=today, days=days)
        self.stdout.write(f"{sent} reminder(s) queued")
