"""``jamsos payroll --month YYYY-MM [--json]``: pay the month's JP pensions and benefit
instalments (JKP), once (idempotent)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.benefits.pensions import pension_payroll_run


class Command(BaseCommand):
    help = "Pay the month's JP pensions (indexed) and benefit instalments (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--json", dest="as_json", action="store_true", help="print JSON")

    def handle(self, *args: Any, month: str, as_json: bool, **options: Any) -> None:
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
                f"Payroll {result.month}: {result.pensions} pensions, "
                f"{result.instalments} instalments, Rp{result.total_idr:,}"
            )
