"""Report pages: the dashboard of an office (charts over tables, filters kept in the URL, CSV
and XLSX exports), the rows behind a figure, the compliance list and the regional summary
(page and PDF). All read the summary tables through the reporting services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsos.accounts.access import Action, can, office_of, offices_visible_to
from jamsos.core.errors import DomainError
from jamsos.core.errors import PermissionDenied as DomainPermissionDenied
from jamsos.core.exports import attachment
from jamsos.registry.models import (
    BranchOffice,
    Occupation,
    Province,
    Regency,
    RegionalOffice,
    Sector,
    Sex,
)
from jamsos.reporting import charts
from jamsos.reporting.coverage import SEGMENTS, coverage_report, coverage_trend
from jamsos.reporting.employers import compliance_list, compliance_rows, employers_report
from jamsos.reporting.exports import as_csv, as_xlsx, dashboard_tables
from jamsos.reporting.models import ComplianceFlag, RefreshLog
from jamsos.reporting.money import money_report
from jamsos.reporting.refresh import months_back
from jamsos.reporting.retention import retention_report
from jamsos.reporting.rows import coverage_rows
from jamsos.reporting.scope import office_area, report_scope
from jamsos.reporting.summary import regional_summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _default_office(request: HttpRequest) -> str:
    own = office_of(request.user)
    if own is not None:
        return str(own.code)
    region = RegionalOffice.objects.order_by("code").first()
    return region.code if region else ""


def _this_month() -> str:
    today = timezone.localdate()
    return f"{today.year}-{today.month:02d}"


def _offices(request: HttpRequest) -> list[tuple[str, str]]:
    """The offices the viewer may choose."""
    regions, branches = offices_visible_to(request.user)
    return [(r.code, r.name) for r in regions] + [(b.code, b.name) for b in branches]


def _reader(request: HttpRequest) -> None:
    if not can(request.user, Action.REPORT_READ):
        raise PermissionDenied


def _download(body: bytes, name: str, kind: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if kind == "csv" else XLSX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = attachment(f"{name}.{kind}")
    return response


def _rows_link(base: dict[str, str], segment: str, **filters: str) -> str:
    return reverse("web:report_rows") + "?" + urlencode({**base, "segment": segment, **filters})


def _area_choices(user: Any, office: str) -> dict[str, Any]:
    """The provinces and regencies the office serves: the only ones its filters offer."""
    try:
        provinces, regencies = office_area(report_scope(user, office).branches)
    except DomainError:
        provinces, regencies = Province.objects.none(), Regency.objects.none()
    return {"provinces": provinces, "regencies": regencies}


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    """The dashboard: coverage, money, employers and projects, BPU retention."""
    _reader(request)
    office = request.GET.get("office") or _default_office(request)
    period = request.GET.get("period") or _this_month()
    province = request.GET.get("province", "")
    regency = request.GET.get("regency", "")
    user = request.user
    error, data = None, None
    try:
        coverage = coverage_report(
            user=user,  # type: ignore[arg-type]
            office=office,
            period=period,
            province=province,
            regency=regency,
        )
        year = int(period[:4])
        periods = months_back(period, 12)
        data = {
            "coverage": coverage,
            "trend": coverage_trend(
                user=user,  # type: ignore[arg-type]
                office=office,
                periods=periods,
                province=province,
                regency=regency,
            ),
            "money": money_report(user=user, office=office, year=year),  # type: ignore[arg-type]
            "employers": employers_report(user=user, office=office, period=period),  # type: ignore[arg-type]
            "retention": retention_report(
                user=user,  # type: ignore[arg-type]
                office=office,
                year=year - 1,
                today_period=_this_month(),
            ),
            "retention_by_payer": retention_report(
                user=user,  # type: ignore[arg-type]
                office=office,
                year=year - 1,
                today_period=_this_month(),
                by="payer_type",
            ),
        }
    except DomainPermissionDenied:
        raise PermissionDenied from None
    except DomainError as exc:
        error = exc.page_message(request.LANGUAGE_CODE)
    export = request.GET.get("format")
    if export in ("csv", "xlsx") and data:
        tables = dashboard_tables(data)
        name = f"laporan-{office}-{period}"
        body = as_csv(tables) if export == "csv" else as_xlsx(tables)
        return _download(body, name, export)
    context: dict[str, Any] = {
        "office": office,
        "period": period,
        "province": province,
        "regency": regency,
        "offices": _offices(request),
        **_area_choices(user, office),
        "error": error,
        "segments": SEGMENTS,
        "refreshed": RefreshLog.objects.filter(period=period).first(),
        "office_is_branch": BranchOffice.objects.filter(code=office).exists(),
    }
    if data:
        context.update(data)
        context.update(_charts(data, office, period, province, regency, request.LANGUAGE_CODE))
        base = {"office": office, "period": period}
        if regency:
            base["regency"] = regency
        elif province:
            base["province"] = province
        context["query"] = urlencode(base)
        context["tables"] = _crosstabs(data["coverage"], base)
        context["segment_links"] = {s: _rows_link(base, s) for s in SEGMENTS}
        context["flag_labels"] = dict(ComplianceFlag.Kind.choices)
        context["retention_tables"] = [
            (_("Occupation"), data["retention"]),
            (_("Paid by"), data["retention_by_payer"]),
        ]
    return render(request, "web/reports.html", context, status=400 if error else 200)


DIMENSION_LABELS = {
    "sex": gettext_lazy("Sex"),
    "age_band": gettext_lazy("Age band"),
    "status": gettext_lazy("Payment status"),
    "category": gettext_lazy("Sector (PU) or occupation (BPU)"),
    "province": gettext_lazy("Province"),
    "regency": gettext_lazy("Regency or city"),
    "branch": gettext_lazy("Branch office"),
}


STATUS_LABELS = {
    "paid": gettext_lazy("Paid"),
    "arrears": gettext_lazy("In arrears"),
    "unbilled": gettext_lazy("Not billed yet"),
}


def _value_labels() -> dict[str, dict[str, str]]:
    """Display names of the dimension values (codes stay in the links and exports)."""
    return {
        "sex": {k: str(v) for k, v in Sex.choices},
        "status": {k: str(v) for k, v in STATUS_LABELS.items()},
        "category": {
            **{k: str(v) for k, v in Sector.choices},
            **{k: str(v) for k, v in Occupation.choices},
        },
        "province": dict(Province.objects.values_list("code", "name")),
        "regency": dict(Regency.objects.values_list("code", "name")),
        "branch": dict(BranchOffice.objects.values_list("code", "name")),
    }


def _crosstabs(coverage: dict[str, Any], base: dict[str, str]) -> list[dict[str, Any]]:
    """Each breakdown as a table whose cells link to the rows they count."""
    tables = []
    names = _value_labels()
    for dimension, lines in coverage["crosstab"].items():
        rows = []
        for line in lines:
            key = dimension if dimension != "branch" else "branch"
            cells = [
                (
                    line.get(s, 0),
                    _rows_link(base, s, **{key: line["value"]}) if line.get(s) else None,
                )
                for s in SEGMENTS
            ]
            value = line["value"]
            label = names.get(dimension, {}).get(value, value) or "—"
            rows.append({"value": label, "cells": cells, "total": line["total"]})
        tables.append(
            {"dimension": dimension, "label": str(DIMENSION_LABELS[dimension]), "rows": rows}
        )
    return tables


def _charts(
    data: dict[str, Any], office: str, period: str, province: str, regency: str, language: str
) -> dict[str, Any]:
    trend = data["trend"]
    months = [t["period"] for t in trend]
    month_links: list[str | None] = [
        "?" + urlencode({"office": office, "period": p, "province": province, "regency": regency})
        for p in months
    ]
    stacked = charts.stacked_bars(
        _("Active participants by segment, last 12 months"),
        months,
        {s: [t["by_segment"].get(s, 0) for t in trend] for s in SEGMENTS},
        month_links,
        decimal_comma=language == "id",
    )
    coverage = data["coverage"]
    tile_map = charts.tile_map(
        _("Participation rate by province"),
        coverage["participation_by_province"],
        {
            code: "?" + urlencode({"office": office, "period": period, "province": code})
            for code in coverage["participation_by_province"]
        },
        decimal_comma=language == "id",
    )
    money = data["money"]
    money_chart = charts.trend_lines(
        _("Contributions billed and received by month"),
        [m["period"] for m in money["months"]] or [period],
        {
            _("Billed"): [m["billed_idr"] for m in money["months"]] or [0],
            _("Received"): [m["received_idr"] for m in money["months"]] or [0],
        },
        decimal_comma=language == "id",
    )
    base = {"office": office, "period": period}
    sectors = charts.bars(
        _("Wage earners by sector"),
        [
            (
                str(dict(Sector.choices).get(name, name or "—")),
                n,
                _rows_link(base, "PU", category=name),
            )
            for name, n in sorted(coverage["by_sector"].items(), key=lambda kv: -kv[1])
        ],
        decimal_comma=language == "id",
    )
    occupations = charts.bars(
        _("Informal members by occupation"),
        [
            (
                str(dict(Occupation.choices).get(name, name)),
                n,
                _rows_link(base, "BPU", category=name),
            )
            for name, n in sorted(coverage["by_occupation"].items(), key=lambda kv: -kv[1])
        ],
        decimal_comma=language == "id",
    )
    return {
        "chart_trend": mark_safe(stacked),  # noqa: S308 - charts escape their text
        "chart_map": mark_safe(tile_map),  # noqa: S308
        "chart_money": mark_safe(money_chart),  # noqa: S308
        "chart_sectors": mark_safe(sectors),  # noqa: S308
        "chart_occupations": mark_safe(occupations),  # noqa: S308
    }


@login_required
def report_rows_page(request: HttpRequest) -> HttpResponse:
    """The participants behind one figure of the dashboard."""
    _reader(request)
    get = request.GET
    filters = {
        k: get.get(k, "")
        for k in ("sex", "age_band", "category", "status", "province", "regency", "branch")
    }
    try:
        after = int(get.get("after") or 0)
    except ValueError:
        after = 0
    error, result = None, None
    try:
        result = coverage_rows(
            user=request.user,  # type: ignore[arg-type]
            office=get.get("office") or _default_office(request),
            period=get.get("period") or _this_month(),
            segment=get.get("segment", "PU"),
            filters=filters,
            after=after,
        )
    except DomainPermissionDenied:
        raise PermissionDenied from None
    except DomainError as exc:
        error = exc.page_message(request.LANGUAGE_CODE)
    next_link = None
    if result and result["next_after"]:
        query = get.copy()
        query["after"] = str(result["next_after"])
        next_link = "?" + query.urlencode()
    back = {k: v for k, v in get.items() if k in ("office", "period", "province", "regency")}
    return render(
        request,
        "web/report_rows.html",
        {
            "result": result,
            "error": error,
            "next_link": next_link,
            "back": reverse("web:reports") + "?" + urlencode(back),
        },
        status=400 if error else 200,
    )


@login_required
def compliance_page(request: HttpRequest) -> HttpResponse:
    """The flagged employers of an office in a month; each flag opens its rows."""
    _reader(request)
    office = request.GET.get("office") or _default_office(request)
    period = request.GET.get("period") or _this_month()
    kind = request.GET.get("kind", "")
    error, result = None, None
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    try:
        result = compliance_list(
            user=request.user,  # type: ignore[arg-type]
            office=office,
            period=period,
            kind=kind,
            page=page,
        )
    except DomainPermissionDenied:
        raise PermissionDenied from None
    except DomainError as exc:
        error = exc.page_message(request.LANGUAGE_CODE)
    return render(
        request,
        "web/compliance.html",
        {
            "result": result,
            "error": error,
            "office": office,
            "period": period,
            "kind": kind,
            "kinds": ComplianceFlag.Kind.choices,
            "offices": _offices(request),
            "labels": dict(ComplianceFlag.Kind.choices),
        },
        status=400 if error else 200,
    )


@login_required
def compliance_rows_page(request: HttpRequest, npp: str) -> HttpResponse:
    _reader(request)
    period = request.GET.get("period") or _this_month()
    kind = request.GET.get("kind", "")
    try:
        result = compliance_rows(
            user=request.user,  # type: ignore[arg-type]
            npp=npp,
            period=period,
            kind=kind,
        )
    except DomainPermissionDenied:
        raise PermissionDenied from None
    except DomainError as exc:
        return render(
            request,
            "web/compliance_rows.html",
            {"error": exc.page_message(request.LANGUAGE_CODE)},
            status=404 if exc.code.endswith("not_found") else 400,
        )
    return render(
        request,
        "web/compliance_rows.html",
        {"result": result, "label": dict(ComplianceFlag.Kind.choices).get(kind, kind)},
    )


@login_required
def regional_page(request: HttpRequest) -> HttpResponse:
    """The regional summary of a year, as a page or a PDF (``?format=pdf``)."""
    _reader(request)
    office = request.GET.get("office") or _default_office(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    error, summary = None, None
    try:
        summary = regional_summary(user=request.user, office=office, year=year)  # type: ignore[arg-type]
    except DomainPermissionDenied:
        raise PermissionDenied from None
    except DomainError as exc:
        error = exc.page_message(request.LANGUAGE_CODE)
    if summary and request.GET.get("format") == "pdf":
        from jamsos.web.pdf import regional_summary_pdf

        body = regional_summary_pdf(summary, request.LANGUAGE_CODE)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = attachment(f"ringkasan-{office}-{year}.pdf")
        return response
    return render(
        request,
        "web/regional.html",
        {
            "summary": summary,
            "error": error,
            "office": office,
            "year": year,
            "offices": _offices(request),
        },
        status=400 if error else 200,
    )
