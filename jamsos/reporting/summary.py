"""The regional summary: the figures a regional office announces for a year — participation
rate, active participants and their split, employers, projects, contributions and their growth,
claims paid — stated from the summary tables, at the year's last refreshed month."""

from __future__ import annotations

from typing import Any

from jamsos.accounts.models import User
from jamsos.reporting.coverage import coverage_report
from jamsos.reporting.employers import employers_report
from jamsos.reporting.models import RefreshLog
from jamsos.reporting.money import money_report


def regional_summary(*, user: User | None, office: str, year: int) -> dict[str, Any]:
    """The year's figures for an office (a region, or a branch); ``as_of`` is the month the
    stock figures (participants, employers) are counted at."""
    refreshed = list(
        RefreshLog.objects.filter(period__startswith=f"{year}-")
        .order_by("period")
        .values_list("period", flat=True)
    )
    as_of = refreshed[-1] if refreshed else f"{year}-12"
    coverage = coverage_report(user=user, office=office, period=as_of)
    money = money_report(user=user, office=office, year=year)
    employers = employers_report(user=user, office=office, period=as_of)
    active = coverage["active"]
    return {
        "office": office,
        "name": coverage["name"],
        "year": year,
        "as_of": as_of,
        "months_refreshed": len(refreshed),
        "refreshed": coverage["refreshed"],
        "participation_rate": coverage["participation_rate"],
        "labour_force": coverage["labour_force"],
        "workforce": coverage["workforce"],
        "active": active,
        "by_segment": coverage["by_segment"],
        "segment_shares": {
            s: round(n / active, 4) if active else None for s, n in coverage["by_segment"].items()
        },
        "employers": employers["employers"],
        "active_employers": employers["active_employers"],
        "projects_registered": employers["projects_registered_in_year"],
        "projects_running": employers["projects"]["running"],
        "contributions_received_idr": money["totals"]["received_idr"],
        "contributions_billed_idr": money["totals"]["billed_idr"],
        "received_previous_year_idr": money["received_previous_year_idr"],
        "growth": money["growth"],
        "collection_rate": money["collection_rate"],
        "claims_by_programme": money["claims_by_programme"],
        "claims_paid": sum(c["claims"] for c in money["claims_by_programme"].values()),
        "benefits_paid_idr": sum(c["amount_idr"] for c in money["claims_by_programme"].values()),
    }
