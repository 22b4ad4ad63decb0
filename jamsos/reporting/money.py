"""Money: contributions billed and received by month, the collection rate, year-on-year growth
and benefits paid, by office — from ``MoneySummary`` (``jamsos report refresh``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Case, Count, F, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from jamsos.accounts.models import User
from jamsos.benefits.models import Payout
from jamsos.contributions.models import Bill, Payment
from jamsos.contributions.selectors import AGE_BUCKETS
from jamsos.reporting.models import ArrearsSummary, ClaimsSummary, MoneySummary, replace_rows
from jamsos.reporting.scope import report_scope, summary_meta


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
    for paid in (
        Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .annotate(branch=branch)
        .values("branch")
        .annotate(received=Sum("amount_idr"))
    ):
        if paid["branch"]:
            rows[paid["branch"]]["received_idr"] += int(paid["received"] or 0)
    for out in (
        Payout.objects.filter(instructed_at__gte=start, instructed_at__lt=end)
        .values("claim__branch_office_id")
        .annotate(paid=Sum("amount_idr"), n=Count("pk"))
    ):
        if out["claim__branch_office_id"]:
            rows[out["claim__branch_office_id"]]["benefits_paid_idr"] += int(out["paid"] or 0)
            rows[out["claim__branch_office_id"]]["claims_paid"] += int(out["n"])
    replace_rows(
        MoneySummary,
        (MoneySummary(period=period, branch_office_id=b, **v) for b, v in rows.items()),
        period=period,
    )
    claims = (
        Payout.objects.filter(instructed_at__gte=start, instructed_at__lt=end)
        .values("claim__branch_office_id", "claim__programme")
        .annotate(paid=Sum("amount_idr"), n=Count("pk"))
    )
    replace_rows(
        ClaimsSummary,
        (
            ClaimsSummary(
                period=period,
                branch_office_id=r["claim__branch_office_id"],
                programme=r["claim__programme"],
                claims=r["n"],
                amount_idr=int(r["paid"] or 0),
            )
            for r in claims
            if r["claim__branch_office_id"]
        ),
        period=period,
    )
    # as the arrears page counts them (employers' bills past due, by days past the due
    # date), at the month's last day
    age = Case(
        *(
            When(due_on__lte=last - timedelta(days=low), then=Value(name))
            for name, low, _high in reversed(AGE_BUCKETS)
        ),
        default=Value(AGE_BUCKETS[0][0]),
    )
    arrears = (
        Bill.objects.filter(due_on__lt=last, cancelled_at__isnull=True, employer__isnull=False)
        .filter(paid_idr__lt=F("total_idr"))
        .annotate(band=age)
        .values("employer__branch_office_id", "band")
        .annotate(n=Count("pk"), owed=Sum(F("total_idr") - F("paid_idr")))
    )
    replace_rows(
        ArrearsSummary,
        (
            ArrearsSummary(
                period=period,
                branch_office_id=r["employer__branch_office_id"],
                age_band=r["band"],
                bills=r["n"],
                amount_idr=int(r["owed"] or 0),
            )
            for r in arrears
        ),
        period=period,
    )
    return len(rows)


def money_report(*, user: User | None, office: str, year: int) -> dict[str, Any]:
    """Month by month for a year, the year's totals, the collection rate, the growth of
    receipts over the previous year, the arrears by age at the year's last refreshed month
    and the claims paid in the year by programme."""
    scope = report_scope(user, office)
    branches = scope.branch_ids
    fields = (
        "billed_idr",
        "paid_on_billed_idr",
        "received_idr",
        "benefits_paid_idr",
        "claims_paid",
    )

    def year_rows(y: int) -> dict[str, dict[str, int]]:
        rows: Iterable[Mapping[str, Any]] = (
            MoneySummary.objects.filter(branch_office__in=branches, period__startswith=f"{y}-")
            .values("period")
            .annotate(**{f: Sum(f) for f in fields})
            .order_by("period")
        )
        return {r["period"]: {f: int(r[f] or 0) for f in fields} for r in rows}

    this, previous = year_rows(year), year_rows(year - 1)
    totals = {f: sum(m[f] for m in this.values()) for f in fields}
    last_year = sum(m["received_idr"] for m in previous.values())
    last_month = max(this, default=None)
    arrears = {
        r["age_band"]: {"bills": int(r["bills"]), "amount_idr": int(r["amount_idr"])}
        for r in ArrearsSummary.objects.filter(branch_office__in=branches, period=last_month)
        .values("age_band")
        .annotate(bills=Sum("bills"), amount_idr=Sum("amount_idr"))
    }
    claims = {
        r["programme"]: {"claims": int(r["claims"]), "amount_idr": int(r["amount_idr"])}
        for r in ClaimsSummary.objects.filter(
            branch_office__in=branches, period__startswith=f"{year}-"
        )
        .values("programme")
        .annotate(claims=Sum("claims"), amount_idr=Sum("amount_idr"))
        .order_by("programme")
    }
    return {
        **summary_meta(scope),
        "year": year,
        "months": [{"period": p, **values} for p, values in this.items()],
        "totals": totals,
        "collection_rate": round(totals["paid_on_billed_idr"] / totals["billed_idr"], 4)
        if totals["billed_idr"]
        else None,
        "received_previous_year_idr": last_year,
        "growth": round(totals["received_idr"] / last_year - 1, 4) if last_year else None,
        "arrears_at": last_month,
        "arrears_by_age": [
            {"age": label, **arrears.get(label, {"bills": 0, "amount_idr": 0})}
            for label, _low, _high in AGE_BUCKETS
        ],
        "claims_by_programme": claims,
    }
