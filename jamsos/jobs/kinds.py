"""What each kind of job does, who may start it and what its period looks like.

Each runner takes the job's period, the user who asked (None for the schedule) and a
``progress(stage, done, total)`` callback, calls the same domain service the CLI calls, and
returns a JSON-ready result. Every service is safe to run again (what is done is not done
twice), which is what lets the worker retry a job whose worker was killed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

from jamsos.accounts.policy import Action
from jamsos.core.errors import field_error
from jamsos.jobs.models import JobKind

if TYPE_CHECKING:
    from jamsos.accounts.models import User

Progress = Callable[[str, int, int], None]
Runner = Callable[[str, "User | None", Progress], dict[str, object]]

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR = re.compile(r"^\d{4}$")
FILE_ID = re.compile(r"^[1-9]\d{0,9}$")


def _billing(period: str, user: User | None, progress: Progress) -> dict[str, object]:
    from jamsos.contributions.billing import billing_run
    from jamsos.reporting.refresh import report_refresh

    result = billing_run(
        period=period,
        acting_user=user,
        progress=lambda done, total: progress("bills", done, total),
    ).as_json()
    # the dashboards read the month's summaries: refresh them as the CLI does
    report_refresh(periods=[period], retention=False, progress=progress)
    return result


def _refresh(period: str, user: User | None, progress: Progress) -> dict[str, object]:
    from jamsos.reporting.refresh import report_refresh

    rows = report_refresh(periods=[period], progress=progress)
    return {"period": period, "coverage_rows": rows[period]}


def _payroll(period: str, user: User | None, progress: Progress) -> dict[str, object]:
    from jamsos.benefits.pensions import pension_payroll_run

    progress("payroll", 0, 1)
    year, month = map(int, period.split("-"))
    result = pension_payroll_run(month=date(year, month, 1), acting_user=user).as_json()
    progress("payroll", 1, 1)
    return result


def _remind(period: str, user: User | None, progress: Progress) -> dict[str, object]:
    from jamsos.contributions.bpu import bpu_reminders_send

    progress("reminders", 0, 1)
    sent = bpu_reminders_send(today=date.fromisoformat(period), days=7)
    progress("reminders", 1, 1)
    return {"date": period, "reminders": sent}


def _jht(period: str, user: User | None, progress: Progress) -> dict[str, object]:
    from jamsos.contributions.jht import jht_credit_returns

    stages = ["start"]

    def say(stage: str) -> None:
        stages.append(stage)
        progress(stage, len(stages) - 1, len(stages))

    return jht_credit_returns(year=int(period), acting_user=user, progress=say).as_json()


def _payouts(period: str, user: User | None, progress: Progress) -> dict[str, object]:
    from jamsos.benefits.payouts import payouts_export

    progress("export", 0, 1)
    text = payouts_export(acting_user=user, day=date.fromisoformat(period))
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"payouts-{period}.csv"
    (folder / name).write_text(text, encoding="utf-8")
    progress("export", 1, 1)
    return {"file": name, "rows": max(text.count("\n") - 1, 0)}


def _settlement(period: str, user: User | None, progress: Progress) -> dict[str, object]:
    from jamsos.contributions.settlement import settlement_reconcile

    return settlement_reconcile(acting_user=user, file_id=int(period), progress=progress).as_json()


def export_dir() -> Path:
    """Where export jobs leave their files (outside the web root)."""
    return Path(settings.VAR_DIR) / "exports"


@dataclass(frozen=True)
class Kind:
    kind: JobKind
    pattern: re.Pattern[str]
    shape: str  # what the period looks like, for the error message
    action: Action  # who may start it: the roles the access gate's table names
    run: Runner


KINDS: dict[str, Kind] = {
    k.kind.value: k
    for k in (
        Kind(JobKind.BILLING_RUN, MONTH, "YYYY-MM", Action.BILLING_RUN, _billing),
        Kind(JobKind.REPORT_REFRESH, MONTH, "YYYY-MM", Action.REPORT_REFRESH, _refresh),
        Kind(JobKind.PAYROLL, MONTH, "YYYY-MM", Action.PAYROLL_RUN, _payroll),
        Kind(JobKind.BPU_REMIND, DAY, "YYYY-MM-DD", Action.BPU_REMIND, _remind),
        Kind(JobKind.JHT_RETURNS, YEAR, "YYYY", Action.JHT_RETURN_CREDIT, _jht),
        Kind(JobKind.PAYOUTS_EXPORT, DAY, "YYYY-MM-DD", Action.PAYOUT_EXPORT, _payouts),
        # the period of a settlement job is the received file's id
        Kind(
            JobKind.SETTLEMENT,
            FILE_ID,
            "a settlement file id",
            Action.SETTLEMENT_IMPORT,
            _settlement,
        ),
    )
}


def kind_for(kind: str) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        raise field_error(
            "kind",
            f"unknown job kind {kind!r}; one of {', '.join(KINDS)}",
            f"jenis tugas {kind!r} tidak dikenal; salah satu dari {', '.join(KINDS)}",
            code="job.unknown_kind",
        )
    return found


def period_check(kind: Kind, period: str) -> str:
    ok = bool(kind.pattern.match(period))
    if ok and kind.pattern is DAY:
        try:
            date.fromisoformat(period)
        except ValueError:
            ok = False
    if not ok:
        raise field_error(
            "period",
            f"must be {kind.shape} for {kind.kind.value}",
            f"harus {kind.shape} untuk {kind.kind.value}",
            code="job.bad_period",
        )
    return period
