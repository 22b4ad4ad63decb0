"""Reports: coverage, money, employers and compliance, BPU retention and the regional summary
of an office, as JSON — all read from the summary tables (``jamsos report refresh``)."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils import timezone
from ninja import Query, Router

from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.outputs import (
    ComplianceListOut,
    ComplianceRowsOut,
    CoverageReportOut,
    CoverageTrendOut,
    EmployersReportOut,
    MoneyReportOut,
    RegionalSummaryOut,
    RetentionReportOut,
)
from jamsos.api.schemas import ERRORS
from jamsos.reporting.coverage import coverage_report, coverage_trend
from jamsos.reporting.employers import compliance_list, compliance_rows, employers_report
from jamsos.reporting.money import money_report
from jamsos.reporting.refresh import months_back
from jamsos.reporting.retention import retention_report
from jamsos.reporting.summary import regional_summary

router = Router(tags=["reports"], auth=bearer)

#: A report's year: the years the rule tables and summaries cover.
Year = Annotated[int, Query(ge=2000, le=2099)]


@router.get("/reports/coverage", response={200: CoverageReportOut, **ERRORS})
def coverage(
    request: ApiRequest, office: str, period: str, province: str = "", regency: str = ""
) -> Any:
    """Active participants of a regional or branch office in a month (YYYY-MM) — optionally
    only in a province (``63``) or regency (``63.71``) — by segment, programme, status, sex,
    age band, sector (PU), occupation (BPU), province, regency and branch; and the
    participation rate against the labour force (BPS) of the provinces in scope."""
    return coverage_report(
        user=request.user,
        office=office,
        period=period,
        province=province,
        regency=regency,
    )


@router.get("/reports/coverage/trend", response={200: list[CoverageTrendOut], **ERRORS})
def coverage_trend_months(
    request: ApiRequest,
    office: str,
    period: str,
    months: Annotated[int, Query(ge=1, le=60)] = 12,
    province: str = "",
    regency: str = "",
) -> Any:
    """Active participants by segment for the ``months`` months ending with ``period``."""
    from jamsos.core.errors import field_error

    if not 1 <= months <= 60:
        raise field_error("months", "must be 1 to 60", "harus 1 sampai 60")
    return coverage_trend(
        user=request.user,
        office=office,
        periods=months_back(period, months),
        province=province,
        regency=regency,
    )


@router.get("/reports/money", response={200: MoneyReportOut, **ERRORS})
def money(request: ApiRequest, office: str, year: Year) -> Any:
    """Contributions billed, paid on those bills and received by month; the collection rate;
    growth of receipts over the previous year; arrears by age; claims paid by programme."""
    return money_report(user=request.user, office=office, year=year)


@router.get("/reports/employers", response={200: EmployersReportOut, **ERRORS})
def employers(request: ApiRequest, office: str, period: str) -> Any:
    """Employers by size and status, new employers per month, projects registered, running
    and covered, and how many employers carry each compliance flag."""
    return employers_report(user=request.user, office=office, period=period)


@router.get("/reports/compliance", response={200: ComplianceListOut, **ERRORS})
def compliance(
    request: ApiRequest,
    office: str,
    period: str,
    kind: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Any:
    """The employers flagged in a month (below the minimum wage, wages unchanged 24 months,
    programmes below the mandatory stage, headcount drop), 50 a page, largest first."""
    return compliance_list(
        user=request.user,
        office=office,
        period=period,
        kind=kind,
        page=page,
    )


@router.get("/reports/compliance/{npp}", response={200: ComplianceRowsOut, **ERRORS})
def compliance_detail(request: ApiRequest, npp: str, period: str, kind: str) -> Any:
    """The rows behind one employer's flag: the workers, wages or exits it counts."""
    return compliance_rows(user=request.user, npp=npp, period=period, kind=kind)


@router.get("/reports/retention", response={200: RetentionReportOut, **ERRORS})
def retention(request: ApiRequest, office: str, year: Year, by: str = "occupation") -> Any:
    """Informal members who joined in each month of a year and how many still paid 3, 6 and
    12 months later; and the same by occupation or payer (``by=payer_type``)."""
    today = timezone.localdate()
    return retention_report(
        user=request.user,
        office=office,
        year=year,
        today_period=f"{today.year}-{today.month:02d}",
        by=by,
    )


@router.get("/reports/regional", response={200: RegionalSummaryOut, **ERRORS})
def regional(request: ApiRequest, office: str, year: Year) -> Any:
    """The regional summary of a year: participation rate, active participants and split,
    employers, projects, contributions and growth, claims paid."""
    return regional_summary(user=request.user, office=office, year=year)
