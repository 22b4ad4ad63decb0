"""Reports: coverage by office and month (from the summary tables)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from jamsos.api.auth import bearer
from jamsos.api.schemas import ERRORS
from jamsos.reporting.coverage import coverage_report
from jamsos.reporting.money import money_report

router = Router(tags=["reports"], auth=bearer)


@router.get("/reports/coverage", response={200: dict[str, Any], **ERRORS})
def coverage(request: HttpRequest, office: str, period: str) -> Any:
    """Active participants of a regional or branch office in a month (YYYY-MM), by segment and
    sex, and the participation rate against the labour force (BPS) of the provinces served.
    Read from the summary refreshed by ``jamsos report refresh``."""
    return coverage_report(user=request.user, office=office, period=period)  # type: ignore[arg-type]


@router.get("/reports/money", response={200: dict[str, Any], **ERRORS})
def money(request: HttpRequest, office: str, year: int) -> Any:
    """Contributions billed, paid on those bills and received by month; the collection rate;
    growth of receipts over the previous year; benefits paid."""
    return money_report(user=request.user, office=office, year=year)  # type: ignore[arg-type]
