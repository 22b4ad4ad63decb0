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
DIGITS = re.compile(r"^\d+$")


def _to_int(text: str) -> int | str:
    cleaned = re.sub(r"[\s.,]|^Rp", "", text.strip(), flags=re.IGNORECASE)
    return int(cleaned) if DIGITS.match(cleaned) else text  # the simulator names bad input


def payload_from_form(segment: str, data: Any) -> dict[str, Any]:
    """The JSON request for the shared simulator, built from the submitted form."""
    payload: dict[str, Any] = {"segment": segment}
    for name, _label, kind, _choices in FIELDS[segment]:
        if kind == "bool":
            payload[name] = data.get(name) == "on"
        elif kind == "programmes":
            chosen = data.getlist(name)
            if chosen:
                payload[name] = chosen
        else:
            raw = data.get(name, "").strip()
            if not raw:
                continue
            payload[name] = (
                _to_int(raw)
                if kind == "int" or name in ("jkk_risk_class", "jht_monthly_idr")
                else raw
            )
    return payload


def simulate_contribution_page(request: HttpRequest) -> HttpResponse:
    segment = request.GET.get("segment", "PU")
    if segment not in FIELDS:
        segment = "PU"
    result = error = None
    submitted = "on" in request.GET
    if submitted:
        try:
            result = SIMULATIONS["contribution"](payload_from_form(segment, request.GET))
        except DomainError as exc:
            message = exc.message_for(get_language())
            if exc.field in {f[0] for f in FIELDS[segment]}:
                message = message.removeprefix(f"{exc.field}: ")  # shown beside the field
            error = {"field": exc.field, "message": message}
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
        for n, label, k, c in FIELDS[segment]
    ]
    return render(
        request,
        "web/simulate_contribution.html",
        {
            "segment": segment,
            "segments": SEGMENT_NAMES.items(),
            "fields": fields,
            "result": result,
            "error": error,
            "submitted": submitted,
            "field_names": {f["name"] for f in fields},
        },
        status=400 if error else 200,
    )
