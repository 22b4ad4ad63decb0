"""Report pages: coverage and money of an office, filters kept in the URL, CSV and XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jamsos.accounts.roles import Role
from jamsos.core.errors import DomainError
from jamsos.core.errors import PermissionDenied as DomainPermissionDenied
from jamsos.registry.models import BranchOffice, RegionalOffice
from jamsos.reporting.coverage import coverage_report
from jamsos.reporting.exports import as_csv, as_xlsx, report_rows
from jamsos.reporting.money import money_report

READERS = (
    Role.BRANCH_OFFICER,
    Role.REGIONAL_HEAD,
    Role.AUDITOR,
    Role.SYSTEM_ADMIN,
    Role.CLAIMS_OFFICER,
)


def _default_office(request: HttpRequest) -> str:
    user = request.user
    if user.role == Role.BRANCH_OFFICER and user.branch_office:  # type: ignore[union-attr]
        return user.branch_office.code  # type: ignore[union-attr]
    if user.role == Role.REGIONAL_HEAD and user.regional_office:  # type: ignore[union-attr]
        return user.regional_office.code  # type: ignore[union-attr]
    region = RegionalOffice.objects.order_by("code").first()
    return region.code if region else ""


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    if request.user.role not in READERS:  # type: ignore[union-attr]
        raise PermissionDenied
    today = timezone.localdate()
    office = request.GET.get("office") or _default_office(request)
    period = request.GET.get("period") or f"{today.year}-{today.month:02d}"
    error, coverage, money = None, None, None
    try:
        coverage = coverage_report(user=request.user, office=office, period=period)  # type: ignore[arg-type]
        money = money_report(user=request.user, office=office, year=int(period[:4]))  # type: ignore[arg-type]
    except DomainPermissionDenied:
        raise PermissionDenied from None
    except DomainError as exc:
        error = exc.message_for(request.LANGUAGE_CODE)
    except ValueError:
        error = "period: YYYY-MM"
    export = request.GET.get("format")
    if export in ("csv", "xlsx") and coverage and money:
        header, rows = report_rows(coverage, money)
        name = f"laporan-{office}-{period}"
        if export == "csv":
            response = HttpResponse(as_csv(header, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = HttpResponse(
                as_xlsx(name, header, rows),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    offices = [(r.code, r.name) for r in RegionalOffice.objects.order_by("code")] + [
        (b.code, b.name) for b in BranchOffice.objects.order_by("name")
    ]
    return render(
        request,
        "web/reports.html",
        {
            "office": office,
            "period": period,
            "offices": offices,
            "coverage": coverage,
            "money": money,
            "error": error,
        },
        status=400 if error else 200,
    )
