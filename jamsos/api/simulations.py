"""Public simulations: no login. The body is parsed by ``jamsos.rules.simulate`` (the same
parser the CLI and the page use); the schemas here document it in OpenAPI."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jamsos.api.schemas import ErrorOut
from jamsos.api.throttles import PUBLIC_RATE
from jamsos.core.errors import RuleViolation, field_error
from jamsos.rules.simulate import SIMULATIONS

router = Router(tags=["simulations"], auth=None, throttle=PUBLIC_RATE)


class DetailOut(Schema):
    tier: str
    portion_idr: int
    rate: str
    amount: str
    status: str


class LineOut(Schema):
    programme: str
    payer: str
    basis_idr: int | None
    rate: str | None
    amount_idr: int
    rule: str
    legal_basis: str
    status: str
    note: str
    months: int
    monthly_idr: int
    first_period: str | None
    detail: list[DetailOut]


class ContributionResultOut(Schema):
    segment: str
    on: str
    lines: list[LineOut]
    informational: list[LineOut]
    by_payer: dict[str, int]
    total_idr: int
    due_on: str | None
    notes: list[str]


CONTRIBUTION_REQUEST = {
    "type": "object",
    "required": ["segment", "on"],
    "properties": {
        "segment": {"type": "string", "enum": ["PU", "BPU", "JAKON", "PMI"]},
        "on": {
            "type": "string",
            "format": "date",
            "description": "A day of the contribution month (PU, BPU), the project "
            "registration date (JAKON) or the placement-agreement date (PMI)",
        },
        "wage_idr": {"type": "integer", "minimum": 1, "description": "PU, JAKON: monthly wage"},
        "jkk_risk_class": {"type": "integer", "minimum": 1, "maximum": 5, "description": "PU"},
        "programmes": {
            "type": "array",
            "items": {"type": "string", "enum": ["JKK", "JKM", "JHT", "JP"]},
            "description": "PU default JKK, JKM, JHT, JP; BPU default JKK, JKM",
        },
        "enterprise_size": {
            "type": "string",
            "enum": ["micro", "small", "medium", "large"],
            "description": "PU: sets and checks the mandatory programmes",
        },
        "labour_intensive": {"type": "boolean", "description": "PU: PP 7/2025 discount"},
        "jp_deferral": {"type": "boolean", "description": "PU: PP 49/2020 JP deferral"},
        "income_idr": {"type": "integer", "minimum": 0, "description": "BPU declared income"},
        "months": {"type": "integer", "minimum": 1, "maximum": 12, "description": "BPU"},
        "transport_worker": {"type": "boolean", "description": "BPU: PP 50/2025 discount"},
        "government_paid": {"type": "boolean", "description": "BPU paid from APBN/APBD"},
        "contract_value_idr": {"type": "integer", "minimum": 1, "description": "JAKON"},
        "daily_wage_idr": {"type": "integer", "minimum": 1, "description": "JAKON"},
        "contract_months": {"type": "integer", "minimum": 1, "maximum": 120, "description": "PMI"},
        "via_agency": {"type": "boolean", "description": "PMI"},
        "jht_monthly_idr": {"type": "integer", "description": "PMI optional JHT"},
    },
    "example": {"segment": "PU", "on": "2026-10-01", "wage_idr": 5000000, "jkk_risk_class": 3},
}


_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _check_value(field: str, value: Any, rule: dict[str, Any]) -> None:
    kind = rule.get("type")
    numeric = kind in ("integer", "number")
    if kind in _TYPES and (
        not isinstance(value, _TYPES[kind]) or (numeric and isinstance(value, bool))
    ):
        raise field_error(field, f"must be of type {kind}", f"harus bertipe {kind}")
    if rule.get("format") == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise field_error(
                field, "must be a date YYYY-MM-DD", "harus tanggal YYYY-MM-DD"
            ) from None
    if "enum" in rule and value not in rule["enum"]:
        allowed = ", ".join(str(v) for v in rule["enum"])
        raise field_error(field, f"must be one of {allowed}", f"harus salah satu dari {allowed}")
    if "minimum" in rule and value < rule["minimum"]:
        raise field_error(
            field, f"must be at least {rule['minimum']}", f"harus minimal {rule['minimum']}"
        )
    if "maximum" in rule and value > rule["maximum"]:
        raise field_error(
            field, f"must be at most {rule['maximum']}", f"harus maksimal {rule['maximum']}"
        )
    if kind == "array" and "items" in rule:
        for item in value:
            _check_value(field, item, rule["items"])
    if kind == "object" and "properties" in rule:
        _check_object(field, value, rule)


def _check_object(prefix: str, data: dict[str, Any], schema: dict[str, Any]) -> None:
    """The body against the documented schema: types, enums and ranges of the fields given."""
    for name in schema.get("required", ()):
        if data.get(name) is None:
            field = f"{prefix}.{name}" if prefix else name
            raise field_error(field, "is required", "wajib diisi", code="required")
    for name, rule in schema.get("properties", {}).items():
        field = f"{prefix}.{name}" if prefix else name
        if name in data and data[name] is None:  # leave it out instead
            raise field_error(field, "must not be null", "tidak boleh null")
        if name in data:
            _check_value(field, data[name], rule)


def _payload(request: HttpRequest) -> Any:
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise RuleViolation(
            "body: not valid JSON",
            field="body",
            code="invalid_json",
            message_id="body: bukan JSON yang sah",
        ) from None
    return data


def _simulate(kind: str, request: HttpRequest, schema: dict[str, Any]) -> Any:
    """The simulation's own parser names the field it cannot use; then the body is held to
    the documented schema, so a field of the wrong type is refused even where unused."""
    data = _payload(request)
    result = SIMULATIONS[kind](data)
    _check_object("", data, schema)
    return result


@router.post(
    "/contributions",
    response={200: ContributionResultOut, 400: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CONTRIBUTION_REQUEST}},
        }
    },
    summary="Compute a contribution (PU, BPU, Jakon, PMI) with its explanation",
)
def simulate_contribution(request: HttpRequest) -> Any:
    return _simulate("contribution", request, CONTRIBUTION_REQUEST)


class ReasonOut(Schema):
    code: str
    message_en: str
    message_id: str
    possible_from: str | None
    blocking: bool


class ComponentOut(Schema):
    name: str
    amount_idr: int
    rule: str
    legal_basis: str
    status: str
    note: str


class ScheduleOut(Schema):
    month: int
    amount_idr: int


class BenefitResultOut(Schema):
    programme: str
    event_on: str
    eligible: bool
    reasons: list[ReasonOut]
    components: list[ComponentOut]
    total_idr: int
    monthly_idr: int | None
    schedule: list[ScheduleOut] | None
    schedule_total_idr: int | None
    tax_idr: int | None
    net_idr: int | None
    claim_deadline_on: str | None
    notes: list[str]


CHILDREN = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["level"],
        "properties": {"level": {"type": "string", "enum": ["TK", "SD", "SMP", "SMA", "PT"]}},
    },
}
BENEFIT_REQUEST = {
    "type": "object",
    "required": ["programme", "event_on"],
    "properties": {
        "programme": {"type": "string", "enum": ["JKK", "JKM", "JHT", "JP", "JKP"]},
        "event_on": {
            "type": "string",
            "format": "date",
            "description": "Accident or diagnosis (JKK), death (JKM), the claim date "
            "(JHT), reaching retirement age (JP), termination (JKP)",
        },
        "case": {
            "type": "string",
            "enum": [
                "death",
                "total_disability",
                "partial_disability",
                "stmb",
                "transport",
                "home_care",
            ],
            "description": "JKK",
        },
        "wage_idr": {"type": "integer", "description": "JKK, JKP: monthly wage"},
        "stmb_months": {"type": "integer", "description": "JKK stmb"},
        "disability_percent": {"type": "string", "description": "JKK partial: table %"},
        "function_loss_percent": {"type": "string", "description": "JKK partial: % lost"},
        "transport": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "mode": {"type": "string", "enum": ["land", "sea", "air"]},
                    "cost_idr": {"type": "integer"},
                },
            },
        },
        "home_care_cost_idr": {"type": "integer"},
        "children": CHILDREN,
        "claimed_on": {"type": "string", "format": "date", "description": "JKK, JKP"},
        "contribution_months": {"type": "integer", "description": "JKM, JP"},
        "segment": {"type": "string", "enum": ["PU", "BPU", "JAKON", "PMI"], "description": "JKM"},
        "balance_idr": {"type": "integer", "description": "JHT"},
        "kind": {
            "type": "string",
            "description": "JHT: full, partial_10, partial_30; JP: "
            "old_age, disability, widow, child, parent",
        },
        "membership_months": {"type": "integer", "description": "JHT"},
        "reason": {
            "type": "string",
            "description": "JHT: resignation, termination, "
            "retirement, death, total_disability, leaving_indonesia, contract_end, "
            "bpu_stopped; JKP: termination, resignation, contract_end, retirement, death, "
            "total_disability",
        },
        "left_work_on": {"type": "string", "format": "date", "description": "JHT"},
        "partial_taken_before": {"type": "boolean", "description": "JHT"},
        "average_indexed_wage_idr": {"type": "integer", "description": "JP"},
        "density_percent": {"type": "string", "description": "JP"},
        "accumulated_idr": {"type": "integer", "description": "JP lump sum under 15 years"},
        "contribution_months_last_24": {"type": "integer", "description": "JKP"},
        "consecutive_months": {"type": "integer", "description": "JKP"},
    },
    "example": {
        "programme": "JKM",
        "event_on": "2026-03-10",
        "contribution_months": 48,
        "children": [{"level": "SMP"}, {"level": "SMA"}],
    },
}


@router.post(
    "/benefits",
    response={200: BenefitResultOut, 400: ErrorOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": BENEFIT_REQUEST}},
        }
    },
    summary="Decide and compute a benefit (JKK, JKM, JHT, JP, JKP) with its explanation",
)
def simulate_benefit(request: HttpRequest) -> Any:
    return _simulate("benefit", request, BENEFIT_REQUEST)
