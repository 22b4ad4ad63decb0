"""``jamsos report refresh --period YYYY-MM`` (the summary tables) and
``jamsos report coverage --office CODE --year YYYY [--json]``."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.core.errors import DomainError
from jamsos.reporting.coverage import coverage_refresh, coverage_report


class Command(BaseCommand):
    help = "Refresh the report summaries, or print a coverage report."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="recompute a month's summaries")
        refresh.add_argument("--period", required=True, help="YYYY-MM")
        report = sub.add_parser("coverage", help="coverage of an office in a year")
        report.add_argument("--office", required=True, help="regional or branch office code")
        report.add_argument("--year", required=True, type=int)
        report.add_argument("--json", dest="as_json", action="store_true")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "refresh":
                rows = coverage_refresh(period=options["period"])
                self.stdout.write(f"{options['period']}: {rows} summary rows")
                return
            today = timezone.localdate()
            year = options["year"]
            month = 12 if year < today.year else today.month
            auditor = User(role=Role.SYSTEM_ADMIN)  # the operator sees every office
            result = coverage_report(
                user=auditor, office=options["office"], period=f"{year}-{month:02d}"
            )
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        if options["as_json"]:
            self.stdout.write(json.dumps(result))
            return
        rate = result["participation_rate"]
        self.stdout.write(
            f"{result['name']} {result['period']}: {result['active']:,} active "
            f"{result['by_segment']}; participation "
            f"{'n/a' if rate is None else f'{rate:.2%}'}"
        )
