"""``jamsos jp payroll --month YYYY-MM [--json]``: pay the month's JP pensions (idempotent)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.benefits.pensions import pension_payroll_run


class Command(BaseCommand):
    help = "Pay the month's JP pensions, indexed as the JP limits (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("payroll", help="pay a month's pensions")
        run.add_argument("--month", required=True, help="YYYY-MM")
        run.add_argument("--json", dest="as_json", action="store_true", help="print JSON")

    def handle(self, *args: Any, action: str, month: str, as_json: bool, **options: Any) -> None:
        try:
            year, number = (int(x) for x in month.split("-"))
            first = date(year, number, 1)
        except ValueError:
            raise CommandError(f"--month: must be YYYY-MM, not {month!r}") from None
        result = pension_payroll_run(month=first)
        if as_json:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            self.stdout.write(
                f"JP payroll {result.month}: {result.pensions} pensions, Rp{result.total_idr:,}"
            )
