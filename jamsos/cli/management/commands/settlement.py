"""``jamsos settlement import FILE --channel X``: receive a bank's settlement file and reconcile
it (progress shown; run it again to resume, or to see that a file sent twice changes nothing);
``jamsos settlement report ID [--csv OUT]``; ``jamsos settlement list``."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.models import User
from jamsos.contributions.settlement import (
    settlement_files,
    settlement_report,
    settlement_report_csv,
    settlement_submit,
)
from jamsos.core.errors import DomainError
from jamsos.jobs.models import JobStatus
from jamsos.jobs.worker import job_run_here


class Command(BaseCommand):
    help = "Bank settlement files: receive and reconcile one, show a report, list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("import", help="receive a settlement file and reconcile it")
        run.add_argument("file", help="the CSV file (docs/payments.md)")
        run.add_argument("--channel", required=True, help="the payment channel's code")
        run.add_argument("--as", dest="username", help="act as this user (default: operator)")
        run.add_argument(
            "--queue", action="store_true", help="leave the reconciliation to the worker"
        )
        run.add_argument("--json", dest="as_json", action="store_true", help="print JSON")
        report = sub.add_parser("report", help="counts and sums per outcome of a file")
        report.add_argument("id", type=int)
        report.add_argument("--csv", dest="csv_path", help="write the report file here")
        sub.add_parser("list", help="the latest 100 files")

    def handle(self, *args: Any, action: str, **o: Any) -> None:
        user = None
        if o.get("username"):
            user = User.objects.filter(username=o["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"--as: no active user {o['username']}")
        try:
            if action == "import":
                self._import(user, o)
            elif action == "report":
                if o["csv_path"]:
                    _name, content = settlement_report_csv(acting_user=user, file_id=o["id"])
                    Path(o["csv_path"]).write_bytes(content)
                self._print(settlement_report(acting_user=user, file_id=o["id"]).as_json())
            else:
                for f in settlement_files(acting_user=user):
                    state = "reconciled" if f.reconciled_at else "pending"
                    self.stdout.write(
                        f"{f.pk:>6} {f.channel.code:<10} {f.received_at:%Y-%m-%d %H:%M} "
                        f"{f.lines:>9} lines {f.amount_idr:>16} {state}  {f.name}"
                    )
        except DomainError as exc:
            named = exc.message.startswith(("line ", f"{exc.field}:"))
            raise CommandError(
                exc.message if named else f"{exc.field or 'error'}: {exc.message}"
            ) from None

    def _import(self, user: User | None, o: dict[str, Any]) -> None:
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"file: {path} is not a file")
        started = time.monotonic()
        file, new, job = settlement_submit(
            acting_user=user, channel=o["channel"], data=path.read_bytes(), name=path.name
        )
        say = self.stderr.write
        say(
            f"file {file.pk}: {file.lines} lines, Rp{file.amount_idr:,}"
            f"{'' if new else ' (received before)'}"
            f"  {time.monotonic() - started:.1f} s"
        )
        if job is not None and o["queue"]:
            say(f"job {job.pk} queued: jamsos jobs show {job.pk}")
            return
        if job is not None:

            def echo(stage: str, done: int, total: int) -> None:
                print(
                    f"\r{stage}: {done}/{total} lines  {time.monotonic() - started:6.1f} s",
                    end="\n" if done == total else "",
                    file=sys.stderr,
                    flush=True,
                )

            job = job_run_here(job, echo=echo)
            if job.status != JobStatus.SUCCEEDED:
                raise CommandError(
                    f"job {job.pk} {job.status}: {job.error_code} {job.error_message} "
                    "(run the command again to resume)"
                )
        self._print(settlement_report(acting_user=user, file_id=file.pk).as_json(), o)

    def _print(self, report: dict[str, Any], o: dict[str, Any] | None = None) -> None:
        if o is not None and o.get("as_json"):
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(
            f"file {report['id']} {report['channel']} {report['name']}: {report['lines']} lines, "
            f"Rp{report['amount_idr']:,}; pending {report['pending']}"
        )
        for outcome, row in report["outcomes"].items():
            self.stdout.write(
                f"  {outcome:<16} {row['lines']:>9} lines  Rp{row['amount_idr']:>18,}"
            )
