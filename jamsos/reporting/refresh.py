"""Refresh the report summaries: every table a report page reads, month by month, each month in
its own transaction (a stopped refresh keeps the months it finished; running it again
recomputes them — the same rows). Called by ``jamsos report refresh`` and at the end of the
monthly billing run."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from jamsos.reporting.coverage import coverage_refresh_month, month_of
from jamsos.reporting.employers import employers_refresh
from jamsos.reporting.models import RefreshLog
from jamsos.reporting.money import money_refresh
from jamsos.reporting.retention import retention_refresh
from jamsos.rules.calc.dates import add_months

Progress = Callable[[str, int, int], None]


def report_refresh(
    *, periods: Sequence[str], retention: bool = True, progress: Progress | None = None
) -> dict[str, int]:
    """Recompute the months' summaries (and BPU retention, which spans every month); returns
    the coverage rows each month holds."""
    from jamsos.contributions.billing import period_bounds

    for period in periods:
        period_bounds(period)  # refuse a bad period before any work
    done: dict[str, int] = {}
    for number, period in enumerate(periods, start=1):
        started = time.monotonic()
        with transaction.atomic():
            done[period] = coverage_refresh_month(period=period)
            money_refresh(period=period)
            employers_refresh(period=period)
            RefreshLog.objects.update_or_create(
                period=period,
                defaults={
                    "refreshed_at": timezone.now(),
                    "seconds": round(time.monotonic() - started, 3),
                },
            )
        if progress:
            progress("months", number, len(periods))
    if retention:
        with transaction.atomic():
            retention_refresh()
        if progress:
            progress("retention", 1, 1)
    return done


def months_back(period: str, count: int) -> list[str]:
    """``count`` months ending with ``period``, oldest first.

    >>> months_back("2026-02", 3)
    ['2025-12', '2026-01', '2026-02']
    """
    from jamsos.contributions.billing import period_bounds

    first, _last = period_bounds(period)
    return [month_of(add_months(first, -back)) for back in range(count - 1, -1, -1)]
