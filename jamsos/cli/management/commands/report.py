"""``jamsos report refresh`` (the summary tables) and the reports as text or JSON:

jamsos report refresh --period 2026-10 | --months 12 [--no-retention]
jamsos report coverage --office CODE --year YYYY [--period YYYY-MM] [--province 63] [--json]
jamsos report money --office CODE --year YYYY [--json]
jamsos report employers --office CODE --period YYYY-MM [--json]
jamsos report compliance --office CODE --period YYYY-MM [--kind K] [--json]
jamsos report retention --office CODE --year YYYY [--by payer_type] [--json]
jamsos report regional --office CODE --year YYYY [--json]
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jamsos.core.errors import DomainError
from jamsos.reporting.coverage import coverage_report
from jamsos.reporting.employers import compliance_list, employers_report
from jamsos.reporting.money import money_report
from jamsos.reporting.refresh import months_back, report_refresh
from jamsos.reporting.retention import retention_report
from jamsos.reporting.summary import regional_summary


def _rupiah(n: int) -> str:
    return f"Rp{n:,}".replace(",", ".")


def _rate(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.2%}"


class Command(BaseCommand):
    help = "Refresh the report summaries, or print a report of an office."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="recompute the summaries of some months")
        which = refresh.add_mutually_exclusive_group(required=True)
        which.add_argument("--period", help="one month, YYYY-MM")
        which.add_argument("--months", type=int, help="the last N months, this one included")
        refresh.add_argument("--no-retention", action="store_true", help="skip BPU retention")
        for name, helptext in (
            ("coverage", "active participants and the participation rate"),
            ("money", "contributions, collection rate, growth, arrears, claims"),
            ("employers", "employers, projects and compliance flags"),
            ("compliance", "the flagged employers"),
            ("retention", "BPU members still paying after 3, 6 and 12 months"),
            ("regional", "the regional summary of a year"),
        ):
            report = sub.add_parser(name, help=helptext)
            report.add_argument("--office", required=True, help="regional or branch office code")
            report.add_argument("--year", type=int)
            report.add_argument("--period", help="YYYY-MM (default: the year's last month)")
            report.add_argument("--json", dest="as_json", action="store_true")
            if name == "coverage":
                report.add_argument("--province", default="", help="province code, e.g. 63")
                report.add_argument("--regency", default="", help="regency code, e.g. 63.71")
            if name == "compliance":
                report.add_argument("--kind", default="")
            if name == "retention":
                report.add_argument("--by", default="occupation", help="occupation|payer_type")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "refresh":
                self._refresh(options)
                return
            result = self._report(action, options)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        if options["as_json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(self._text(action, result))

    def _refresh(self, options: dict[str, Any]) -> None:
        today = timezone.localdate()
        if options["months"] is not None:
            if not 1 <= options["months"] <= 60:
                raise CommandError("--months: must be 1 to 60")
            periods = months_back(f"{today.year}-{today.month:02d}", options["months"])
        else:
            periods = [options["period"]]
        started = time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            print(
                f"{stage:<10} {done:>3}/{total:<3} {time.monotonic() - started:7.1f} s",
                file=sys.stderr,
                flush=True,
            )

        done = report_refresh(
            periods=periods, retention=not options["no_retention"], progress=progress
        )
        for period, rows in done.items():
            self.stdout.write(f"{period}: {rows} coverage rows")

    def _report(self, action: str, options: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        operator = None  # the operator at the command line sees every office
        period = options.get("period")
        year = options.get("year") or (int(period[:4]) if period else today.year)
        if not period:
            month = 12 if year < today.year else today.month
            period = f"{year}-{month:02d}"
        office = options["office"]
        if action == "coverage":
            return coverage_report(
                user=operator,
                office=office,
                period=period,
                province=options["province"],
                regency=options["regency"],
            )
        if action == "money":
            return money_report(user=operator, office=office, year=year)
        if action == "employers":
            return employers_report(user=operator, office=office, period=period)
        if action == "compliance":
            return compliance_list(
                user=operator, office=office, period=period, kind=options["kind"]
            )
        if action == "retention":
            return retention_report(
                user=operator,
                office=office,
                year=year,
                today_period=f"{today.year}-{today.month:02d}",
                by=options["by"],
            )
        return regional_summary(user=operator, office=office, year=year)

    def _text(self, action: str, r: dict[str, Any]) -> str:
        if action == "coverage":
            return (
                f"{r['name']} {r['period']}: {r['active']:,} active {r['by_segment']}; "
                f"participation {_rate(r['participation_rate'])}"
            )
        if action == "money":
            return (
                f"{r['name']} {r['year']}: billed {_rupiah(r['totals']['billed_idr'])}, "
                f"received {_rupiah(r['totals']['received_idr'])}, collection "
                f"{_rate(r['collection_rate'])}, growth {_rate(r['growth'])}"
            )
        if action == "employers":
            return (
                f"{r['name']} {r['period']}: {r['employers']:,} employers "
                f"({r['active_employers']:,} active); flags "
                + ", ".join(f"{k} {v['employers']}" for k, v in r["compliance"].items())
            )
        if action == "compliance":
            lines = [
                f"{r['name']} {r['period']}: {r['count']} flags (page {r['page']}/{r['pages']})"
            ]
            lines += [
                f"{f['npp']} {f['employer'][:40]:<40} {f['kind']:<24} {f['workers']:>6} "
                f"{f['detail']}"
                for f in r["flags"]
            ]
            return "\n".join(lines)
        if action == "retention":
            lines = [f"{r['name']} {r['year']}: joined, still paying after 3/6/12 months"]
            lines += [
                f"{c['cohort']} {c['joined']:>7} {_rate(c['rate_3']):>8} {_rate(c['rate_6']):>8} "
                f"{_rate(c['rate_12']):>8}"
                for c in r["cohorts"]
            ]
            return "\n".join(lines)
        return (
            f"{r['name']} {r['year']} (as of {r['as_of']}): participation "
            f"{_rate(r['participation_rate'])}, {r['active']:,} active {r['by_segment']}, "
            f"{r['employers']:,} employers, {r['projects_registered']:,} projects, contributions "
            f"{_rupiah(r['contributions_received_idr'])} (growth {_rate(r['growth'])}), "
            f"{r['claims_paid']:,} claims paid {_rupiah(r['benefits_paid_idr'])}"
        )
