"""``jamsos rules horizon [--days N] [--json]``: the rule tables that end, turn provisional or
are due for their yearly renewal within N days, soonest first, with what depends on each."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jamsos.rules.horizon import DEFAULT_DAYS, horizon

KINDS = {"ends": "ends", "provisional": "turns provisional", "renewal_due": "due for renewal"}


class Command(BaseCommand):
    help = "Rule data: which tables end or need renewing soon (jamsos rules horizon)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "horizon", help="tables that end, turn provisional or are due within N days"
        )
        check.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help=f"days ahead (default {DEFAULT_DAYS})"
        )
        check.add_argument(
            "--json", dest="as_json", action="store_true", help="print the result as JSON"
        )

    def handle(self, *args: Any, action: str, days: int, as_json: bool, **options: Any) -> None:
        if not 0 <= days <= 3660:
            raise CommandError("--days: must be 0 to 3660")
        result = horizon(timezone.localdate(), days)
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
            return
        until = result.as_json()["until"]
        if not result.findings:
            self.stdout.write(
                f"rules: ok - every table is in force and needs nothing until {until} ({days} days)"
            )
            return
        self.stdout.write(
            f"rules: expiring - {len(result.findings)} tables need attention by {until} "
            f"({days} days from {result.today}), soonest first:"
        )
        for f in result.findings:
            left = (f.on - result.today).days
            self.stdout.write(f"\n{f.on}  ({left:+d} days)  {f.table}: {KINDS[f.kind]}")
            self.stdout.write(f"    {f.detail}")
            self.stdout.write(f"    used by: {', '.join(f.used_by)}")
            self.stdout.write(f"    renewed by: {f.renewed_by}")
