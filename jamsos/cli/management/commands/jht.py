"""``jamsos jht credit-returns --year YYYY [--json]``: the yearly JHT return for every account."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.contributions.jht import jht_credit_returns
from jamsos.core.errors import DomainError


class Command(BaseCommand):
    help = "Credit a year's JHT return to every JHT account (once; safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("credit-returns", help="credit a finished year's return")
        run.add_argument("--year", required=True, type=int)
        run.add_argument("--json", dest="as_json", action="store_true", help="print JSON")

    def handle(self, *args: Any, action: str, year: int, as_json: bool, **options: Any) -> None:
        def progress(stage: str) -> None:
            print(f"JHT return {year}: {stage}", file=sys.stderr, flush=True)

        try:
            result = jht_credit_returns(acting_user=None, year=year, progress=progress)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json()))
            return
        done = " (already credited earlier; nothing changed)" if result.already_done else ""
        self.stdout.write(
            f"JHT return {year} at {result.rate} ({result.status}): {result.accounts:,} accounts, "
            f"Rp{result.total_idr:,}{done}"
        )
