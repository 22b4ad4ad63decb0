"""``jamsos billing run --period YYYY-MM [--json]``: the monthly PU billing run."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from jamsos.contributions.billing import billing_run
from jamsos.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue the month's bills to every active employer (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="bill a month")
        run.add_argument("--period", required=True, help="YYYY-MM")
        run.add_argument(
            "--json", dest="as_json", action="store_true", help="print the result as JSON"
        )
        run.add_argument(
            "--workers",
            type=int,
            help="chunks issued in parallel (PostgreSQL; default 2 there, 1 on SQLite)",
        )
        run.add_argument(
            "--no-refresh",
            action="store_true",
            help="do not refresh the month's report summaries afterwards",
        )

    def handle(
        self,
        *args: Any,
        action: str,
        period: str,
        as_json: bool,
        workers: int | None,
        no_refresh: bool = False,
        **options: Any,
    ) -> None:
        if workers is None:
            workers = 2 if connection.vendor == "postgresql" else 1
        if not 1 <= workers <= 8:
            raise CommandError("--workers: must be 1 to 8")
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            print(
                f"\rbilling {period}: {done}/{total} chunks  {time.monotonic() - started:6.1f} s",
                end="\n" if done == total else "",
                file=sys.stderr,
                flush=True,
            )

        try:
            result = billing_run(
                acting_user=None, period=period, progress=progress, workers=workers
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if not no_refresh:
            from jamsos.reporting.refresh import report_refresh

            refresh_started = time.monotonic()
            report_refresh(periods=[period], retention=False)
            print(
                f"reports {period}: refreshed in {time.monotonic() - refresh_started:.1f} s",
                file=sys.stderr,
            )
        if as_json:
            self.stdout.write(json.dumps(result.as_json()))
        else:
            self.stdout.write(
                f"{period}: {result.bills_created} bills issued ({result.bills_existing} existed), "
                f"{result.lines} lines, total Rp{result.total_idr:,}"
            )
