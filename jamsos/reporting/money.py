"""Money: contributions billed and received by month, the collection rate, year-on-year growth
and benefits paid, by office — from ``MoneySummary`` (``jamsos report refresh``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jamsos.accounts.models import User
from jamsos.benefits.models import Payout
from jamsos.contributions.models import Bill, Payment
from jamsos.reporting.coverage import _scope
from jamsos.reporting.models import MoneySummary


def _bounds(first: Any, last: Any) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    return start, timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def money_refresh(*, period: str) -> int:
    """Recompute a month's money rows (in the caller's transaction)."""
    from jamsos.contributions.billing import period_bounds

    first, last = period_bounds(period)
    start, end = _bounds(first, last)
    rows: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    branch = Coalesce(F("employer__branch_office_id"), F("participant__branch_office_id"))
    for r in (
        Bill.objects.filter(period=period, cancelled_at__isnull=True)
        .annotate(branch=branch)
        .values("branch")
        .annotate(billed=Sum("total_idr"), paid=Sum("paid_idr"))
    ):
        if r["branch"]:
            rows[r["branch"]]["billed_idr"] += int(r["billed"] or 0)
            rows[r["branch"]]["paid_on_billed_idr"] += int(r["paid"] or 0)
    for r in (
        Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .annotate(branch=branch)
        .values("branch")
        .annotate(received=Sum("amount_idr"))
    ):
        if r["branch"]:
            rows[r["branch"]]["received_idr"] += int(r["received"] or 0)
    for r in (
        Payout.objects.filter(instructed_at__gte=start, instructed_at__lt=end)
        .values("claim__branch_office_id")
        .annotate(paid=Sum("amount_idr"), n=Count("pk"))
    ):
        if r["claim__branch_office_id"]:
            rows[r["claim__branch_office_id"]]["benefits_paid_idr"] += int(r["paid"] or 0)
            rows[r["claim__branch_office_id"]]["claims_paid"] += int(r["n"])
    MoneySummary.objects.filter(period=period).delete()
    MoneySummary.objects.bulk_create(
        MoneySummary(period=period, branch_office_id=b, **values) for b, values in rows.items()
    )
    return len(rows)


def money_report(*, user: User, office: str, year: int) -> dict[str, Any]:
    """Month by month for a year, the year's totals, the collection rate and the growth of
    receipts over the previous year."""
    name, branches = _scope(user, office)
    fields = (
        "billed_idr",
        "paid_on_billed_idr",
        "received_idr",
        "benefits_paid_idr",
        "claims_paid",
    )

    def year_rows(y: int) -> dict[str, dict[str, int]]:
        rows = (
            MoneySummary.objects.filter(branch_office__in=branches, period__startswith=f"{y}-")
            .values("period")
            .annotate(**{f: Sum(f) for f in fields})
            .order_by("period")
        )
        return {r["period"]: {f: int(r[f] or 0) for f in fields} for r in rows}

    this, previous = year_rows(year), year_rows(year - 1)
    totals = {f: sum(m[f] for m in this.values()) for f in fields}
    last_year = sum(m["received_idr"] for m in previous.values())
    return {
        "office": office,
        "name": name,
        "year": year,
        "months": [{"period": p, **values} for p, values in this.items()],
        "totals": totals,
        "collection_rate": round(totals["paid_on_billed_idr"] / totals["billed_idr"], 4)
        if totals["billed_idr"]
        else None,
        "received_previous_year_idr": last_year,
        "growth": round(totals["received_idr"] / last_year - 1, 4) if last_year else None,
    }
