"""The public contribution simulator page: turns form text into the JSON request the shared
simulator takes, and shows the explained result. No rule lives here."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamsos.core.errors import DomainError
from jamsos.rules.simulate import SIMULATIONS
from jamsos.web.throttles import public_rate_limit

#: segment -> [(field, label, kind, choices)]; kind: int, bool, date, choice, programmes
FIELDS: dict[str, list[tuple[str, Any, str, tuple[tuple[str, Any], ...]]]] = {
    "PU": [
        ("on", _("Contribution month (any day of it)"), "date", ()),
        ("wage_idr", _("Monthly wage (Rp)"), "int", ()),
        (
            "jkk_risk_class",
            _("JKK risk class"),
            "choice",
            (
                ("1", _("I — very low (0.24 %)")),
                ("2", _("II — low (0.54 %)")),
                ("3", _("III — medium (0.89 %)")),
                ("4", _("IV — high (1.27 %)")),
                ("5", _("V — very high (1.74 %)")),
            ),
        ),
        (
            "enterprise_size",
            _("Enterprise size"),
            "choice",
            (
                ("", _("— not given —")),
                ("micro", _("Micro")),
                ("small", _("Small")),
                ("medium", _("Medium")),
                ("large", _("Large")),
            ),
        ),
        (
            "programmes",
            _("Programmes"),
            "programmes",
            (("JKK", "JKK"), ("JKM", "JKM"), ("JHT", "JHT"), ("JP", "JP")),
        ),
        ("labour_intensive", _("Labour-intensive industry (PP 7/2025)"), "bool", ()),
    ],
    "BPU": [
        ("on", _("First month paid"), "date", ()),
        ("income_idr", _("Declared monthly income (Rp)"), "int", ()),
        (
            "programmes",
            _("Programmes"),
            "programmes",
            (("JKK", "JKK"), ("JKM", "JKM"), ("JHT", "JHT")),
        ),
        ("months", _("Months paid at once (1–12)"), "int", ()),
        ("transport_worker", _("Transport worker: driver or courier (PP 50/2025)"), "bool", ()),
        ("government_paid", _("Paid from the national or regional budget"), "bool", ()),
    ],
    "JAKON": [
        ("on", _("Project registration date"), "date", ()),
        ("contract_value_idr", _("Contract value (Rp)"), "int", ()),
        ("wage_idr", _("Or: monthly wage of a worker (Rp)"), "int", ()),
        ("daily_wage_idr", _("Or: daily wage of a worker (Rp)"), "int", ()),
    ],
    "PMI": [
        ("on", _("Placement agreement date"), "date", ()),
        ("contract_months", _("Contract length (months)"), "int", ()),
        ("via_agency", _("Placed through an agency"), "bool", ()),
        (
            "jht_monthly_idr",
            _("Optional JHT per month (Rp)"),
            "choice",
            (
                ("", _("— none —")),
                *(
                    (str(a), f"{a:,}".replace(",", "."))
                    for a in (50_000, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000)
                ),
            ),
        ),
    ],
}
SEGMENT_NAMES = {
    "PU": _("Wage earners (PU)"),
    "BPU": _("Informal workers (BPU)"),
    "JAKON": _("Construction (Jakon)"),
    "PMI": _("Migrant workers (PMI)"),
}

LEVELS = (
    ("", _("— none —")),
    ("TK", "TK"),
    ("SD", "SD"),
    ("SMP", "SMP"),
    ("SMA", "SMA"),
    ("PT", _("Higher education (PT)")),
)
CHILDREN = [
    ("child_1", _("First child: school level"), "choice", LEVELS),
    ("child_2", _("Second child: school level"), "choice", LEVELS),
    ("child_3", _("Third child: school level"), "choice", LEVELS),
]
BENEFIT_FIELDS: dict[str, list[tuple[str, Any, str, tuple[tuple[str, Any], ...]]]] = {
    "JKK": [
        ("event_on", _("Date of the accident or diagnosis"), "date", ()),
        (
            "case",
            _("What happened"),
            "choice",
            (
                ("death", _("Death")),
                ("total_disability", _("Total permanent disability")),
                ("partial_disability", _("Partial permanent disability")),
                ("stmb", _("Temporarily unable to work (STMB)")),
                ("transport", _("Transport costs")),
                ("home_care", _("Home care costs")),
            ),
        ),
        ("wage_idr", _("Monthly wage or declared income (Rp)"), "int", ()),
        ("stmb_months", _("Months unable to work"), "int", ()),
        ("disability_percent", _("Disability percentage from the table (%)"), "text", ()),
        ("function_loss_percent", _("Function lost (%), for loss of function"), "text", ()),
        ("transport_land_idr", _("Land, river or lake transport receipts (Rp)"), "int", ()),
        ("transport_sea_idr", _("Sea transport receipts (Rp)"), "int", ()),
        ("transport_air_idr", _("Air transport receipts (Rp)"), "int", ()),
        ("home_care_cost_idr", _("Home care costs (Rp)"), "int", ()),
        *CHILDREN,
        ("claimed_on", _("Claim date (optional)"), "date", ()),
    ],
    "JKM": [
        ("event_on", _("Date of death"), "date", ()),
        ("contribution_months", _("Months of contributions paid"), "int", ()),
        (
            "segment",
            _("Segment"),
            "choice",
            (("PU", "PU"), ("BPU", "BPU"), ("JAKON", "Jakon"), ("PMI", "PMI")),
        ),
        *CHILDREN,
    ],
    "JHT": [
        ("event_on", _("Claim date"), "date", ()),
        (
            "kind",
            _("Payment"),
            "choice",
            (
                ("full", _("Whole balance")),
                ("partial_10", _("10 % (retirement preparation)")),
                ("partial_30", _("30 % (home ownership)")),
            ),
        ),
        ("balance_idr", _("JHT balance (Rp)"), "int", ()),
        ("membership_months", _("Months of membership"), "int", ()),
        (
            "reason",
            _("Reason (whole balance)"),
            "choice",
            (
                ("retirement", _("Retirement age")),
                ("resignation", _("Resignation")),
                ("termination", _("Termination (PHK)")),
                ("contract_end", _("End of a PKWT")),
                ("bpu_stopped", _("BPU member stopped working")),
                ("total_disability", _("Total permanent disability")),
                ("death", _("Death")),
                ("leaving_indonesia", _("Leaving Indonesia for good")),
            ),
        ),
        ("left_work_on", _("Date work ended"), "date", ()),
        ("partial_taken_before", _("A partial payment was already taken"), "bool", ()),
    ],
    "JP": [
        ("event_on", _("Date retirement age is reached (or of the event)"), "date", ()),
        (
            "kind",
            _("Pension"),
            "choice",
            (
                ("old_age", _("Old age")),
                ("disability", _("Disability")),
                ("widow", _("Widow or widower")),
                ("child", _("Child")),
                ("parent", _("Parent")),
            ),
        ),
        ("contribution_months", _("Months of contributions"), "int", ()),
        ("average_indexed_wage_idr", _("Average indexed monthly wage (Rp)"), "int", ()),
        ("density_percent", _("Contribution density (%)"), "text", ()),
        ("accumulated_idr", _("Contributions plus returns, for a lump sum (Rp)"), "int", ()),
    ],
    "JKP": [
        ("event_on", _("Termination date"), "date", ()),
        ("wage_idr", _("Last monthly wage (Rp)"), "int", ()),
        (
            "reason",
            _("Reason work ended"),
            "choice",
            (
                ("termination", _("Termination (PHK)")),
                ("resignation", _("Resignation")),
                ("contract_end", _("End of a PKWT")),
                ("retirement", _("Retirement")),
                ("death", _("Death")),
                ("total_disability", _("Total permanent disability")),
            ),
        ),
        ("contribution_months_last_24", _("Months paid in the last 24"), "int", ()),
        ("consecutive_months", _("Consecutive months paid"), "int", ()),
        ("claimed_on", _("Claim date (optional)"), "date", ()),
    ],
}
PROGRAMME_NAMES = {
    "JKK": _("Work accident (JKK)"),
    "JKM": _("Death (JKM)"),
    "JHT": _("Old-age savings (JHT)"),
    "JP": _("Pension (JP)"),
    "JKP": _("Job loss (JKP)"),
}
DIGITS = re.compile(r"^\d+$")
INT_CHOICES = ("jkk_risk_class", "jht_monthly_idr")


def _to_int(text: str) -> int | str:
    cleaned = re.sub(r"[\s.,]|^Rp", "", text.strip(), flags=re.IGNORECASE)
    return int(cleaned) if DIGITS.match(cleaned) else text  # the simulator names bad input


def payload_from_form(
    group_field: str, group: str, fields: list[tuple[str, Any, str, Any]], data: Any
) -> dict[str, Any]:
    """The JSON request for the shared simulator, built from the submitted form."""
    payload: dict[str, Any] = {group_field: group}
    children = []
    transport = []
    for name, _label, kind, _choices in fields:
        raw = "" if kind in ("bool", "programmes") else data.get(name, "").strip()
        if kind == "bool":
            payload[name] = data.get(name) == "on"
        elif kind == "programmes":
            if data.getlist(name):
                payload[name] = data.getlist(name)
        elif name.startswith("child_"):
            if raw:
                children.append({"level": raw})
        elif name.startswith("transport_"):
            if raw:
                transport.append({"mode": name.split("_")[1], "cost_idr": _to_int(raw)})
        elif raw:
            payload[name] = _to_int(raw) if kind == "int" or name in INT_CHOICES else raw
    if children:
        payload["children"] = children
    if transport:
        payload["transport"] = transport
    return payload


def _page(
    request: HttpRequest,
    *,
    kind: str,
    group_field: str,
    specs: dict[str, list[tuple[str, Any, str, Any]]],
    names: dict[str, Any],
    template: str,
    title: Any,
) -> HttpResponse:
    group = request.GET.get(group_field, next(iter(specs)))
    if group not in specs:
        group = next(iter(specs))
    fields_spec = specs[group]
    names_in_form = {f[0] for f in fields_spec}
    result = error = None
    submitted = any(request.GET.get(k) for k in ("on", "event_on"))
    if submitted:
        try:
            result = SIMULATIONS[kind](
                payload_from_form(group_field, group, fields_spec, request.GET)
            )
        except DomainError as exc:
            message = exc.page_message(get_language())
            field = exc.field or ""
            if field == "children" or field.startswith("children."):
                field = "child_1"
            elif field.startswith("transport"):
                field = "transport_land_idr"
            if field in names_in_form:
                message = message.removeprefix(f"{exc.field}: ")  # shown beside the field
            error = {"field": field, "message": message}
    fields = [
        {
            "name": n,
            "label": label,
            "kind": k,
            "choices": c,
            "value": request.GET.get(n, ""),
            "values": request.GET.getlist(n),
            "error": error["message"] if error and error["field"] == n else None,
        }
        for n, label, k, c in fields_spec
    ]
    return render(
        request,
        template,
        {
            "group_field": group_field,
            "group": group,
            "groups": names.items(),
            "fields": fields,
            "result": result,
            "error": error,
            "submitted": submitted,
            "title": title,
            "field_names": names_in_form,
        },
        status=400 if error else 200,
    )


def _submitted(request: HttpRequest) -> bool:
    return bool(request.GET.get("on") or request.GET.get("event_on"))


@public_rate_limit(only_with=_submitted)
def simulate_contribution_page(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        kind="contribution",
        group_field="segment",
        specs=FIELDS,
        names=SEGMENT_NAMES,
        template="web/simulate_contribution.html",
        title=_("Contribution simulator"),
    )


@public_rate_limit(only_with=_submitted)
def simulate_benefit_page(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        kind="benefit",
        group_field="programme",
        specs=BENEFIT_FIELDS,
        names=PROGRAMME_NAMES,
        template="web/simulate_benefit.html",
        title=_("Benefit simulator"),
    )
