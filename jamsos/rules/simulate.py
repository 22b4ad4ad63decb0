"""Simulations: one JSON request in, one explained JSON result out.

Pure (no Django): the CLI (`jamsos simulate ...`), the API (`/api/v1/simulations/...`) and the
simulator page all call these functions, so they give the same figures for the same request.
Bad input raises :class:`~jamsos.core.errors.RuleViolation` naming the field, in English and
Bahasa Indonesia.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from jamsos.core.bounds import DATE_WINDOWS, check_date
from jamsos.core.errors import RuleViolation, field_error
from jamsos.rules.calc import benefits as b
from jamsos.rules.calc import contributions as c
from jamsos.rules.calc.results import ContributionResult
from jamsos.rules.calc.tables import RuleNotInForce

SEGMENTS = ("PU", "BPU", "JAKON", "PMI")
MAX_IDR = 10**15  # far above any real wage or contract; refuses absurd input early


def _require(payload: Mapping[str, Any], field: str) -> Any:
    if field not in payload or payload[field] is None:
        raise field_error(field, "is required", "wajib diisi", code="required")
    return payload[field]


def _int(
    payload: Mapping[str, Any], field: str, *, minimum: int = 0, maximum: int = MAX_IDR
) -> int:
    value = _require(payload, field)
    if isinstance(value, bool) or not isinstance(value, int):
        raise field_error(
            field,
            "must be a whole number (whole rupiah, no decimals)",
            "harus bilangan bulat (rupiah utuh, tanpa desimal)",
        )
    if value < minimum:
        low = f"{minimum:,}"
        raise field_error(
            field, f"must be at least {low}", f"harus minimal {low.replace(',', '.')}"
        )
    if value > maximum:
        high = f"{maximum:,}"
        raise field_error(
            field, f"must be at most {high}", f"harus maksimal {high.replace(',', '.')}"
        )
    return value


def _opt_int(
    payload: Mapping[str, Any], field: str, *, minimum: int = 0, maximum: int = MAX_IDR
) -> int | None:
    if payload.get(field) is None:
        return None
    return _int(payload, field, minimum=minimum, maximum=maximum)


def _bool(payload: Mapping[str, Any], field: str) -> bool:
    value = payload.get(field, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise field_error(field, "must be true or false", "harus true atau false")
    return value


def _date(payload: Mapping[str, Any], field: str) -> date:
    value = _require(payload, field)
    if not isinstance(value, str):
        raise field_error(
            field, "must be an ISO date (YYYY-MM-DD)", "harus tanggal ISO (YYYY-MM-DD)"
        )
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise field_error(
            field,
            f"{value!r} is not a valid date (YYYY-MM-DD)",
            f"{value!r} bukan tanggal yang sah (YYYY-MM-DD)",
        ) from None
    window = DATE_WINDOWS["simulation"]
    return check_date(field, day, "simulation", today=window.latest)


def _programmes(
    payload: Mapping[str, Any], allowed: tuple[str, ...], default: tuple[str, ...]
) -> tuple[str, ...]:
    value = payload.get("programmes")
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise field_error(
            "programmes", "must be a list of programme codes", "harus daftar kode program"
        )
    unknown = [p for p in value if p not in allowed]
    if unknown:
        raise field_error(
            "programmes",
            f"{', '.join(unknown)} not available here; choose from {', '.join(allowed)}",
            f"{', '.join(unknown)} tidak tersedia di sini; pilih dari {', '.join(allowed)}",
            code="programme.not_available",
        )
    if len(set(value)) != len(value):
        raise field_error("programmes", "lists a programme twice", "mencantumkan program dua kali")
    missing = [p for p in ("JKK", "JKM") if p not in value]
    if missing:
        raise field_error(
            "programmes",
            "JKK and JKM are mandatory",
            "JKK dan JKM wajib",
            code="programme.mandatory",
        )
    return tuple(value)


def simulate_contribution(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Parse a contribution request (see docs/rules.md) and return the explained result."""
    if not isinstance(payload, Mapping):
        raise field_error("body", "must be a JSON object", "harus objek JSON")
    segment = _require(payload, "segment")
    if segment not in SEGMENTS:
        raise field_error(
            "segment",
            f"must be one of {', '.join(SEGMENTS)}",
            f"harus salah satu dari {', '.join(SEGMENTS)}",
        )
    on = _date(payload, "on")
    result: ContributionResult
    try:
        if segment == "PU":
            result = _pu(payload, on)
        elif segment == "BPU":
            result = c.bpu_contribution(
                on=on,
                income_idr=_int(payload, "income_idr"),
                programmes=_programmes(payload, c.BPU_PROGRAMMES, ("JKK", "JKM")),
                months=_opt_int(payload, "months", minimum=1, maximum=12) or 1,
                transport_worker=_bool(payload, "transport_worker"),
                government_paid=_bool(payload, "government_paid"),
            )
        elif segment == "JAKON":
            result = c.jakon_contribution(
                on=on,
                contract_value_idr=_opt_int(payload, "contract_value_idr", minimum=1),
                wage_idr=_opt_int(payload, "wage_idr", minimum=1),
                daily_wage_idr=_opt_int(payload, "daily_wage_idr", minimum=1),
            )
        else:
            result = c.pmi_contribution(
                on=on,
                contract_months=_int(payload, "contract_months", minimum=1, maximum=120),
                via_agency=_required_bool(payload, "via_agency"),
                jht_monthly_idr=_opt_int(payload, "jht_monthly_idr", minimum=1),
            )
    except RuleNotInForce as exc:
        raise field_error(
            "on",
            f"no rule {exc.rule} is in force on {exc.on.isoformat()}",
            f"tidak ada aturan {exc.rule} yang berlaku pada {exc.on.isoformat()}",
            code="rule.not_in_force",
        ) from None
    return result.as_json()


def _required_bool(payload: Mapping[str, Any], field: str) -> bool:
    _require(payload, field)
    return _bool(payload, field)


def _pu(payload: Mapping[str, Any], on: date) -> ContributionResult:
    wage = _int(payload, "wage_idr", minimum=1)
    risk = _int(payload, "jkk_risk_class", minimum=1, maximum=5)
    size = payload.get("enterprise_size")
    default = c.mandatory_programmes(size) if size is not None else c.PU_PROGRAMMES
    programmes = _programmes(payload, c.PU_PROGRAMMES, default)
    if size is not None:
        missing = [p for p in c.mandatory_programmes(size) if p not in programmes]
        if missing:
            raise field_error(
                "programmes",
                f"a {size} enterprise must also enrol {', '.join(missing)}",
                f"usaha {size} wajib juga mengikutkan {', '.join(missing)}",
                code="programme.mandatory",
            )
    return c.pu_contribution(
        on=on,
        wage_idr=wage,
        jkk_risk_class=risk,
        programmes=programmes,
        labour_intensive=_bool(payload, "labour_intensive"),
        jp_deferral=_bool(payload, "jp_deferral"),
    )


PROGRAMMES = ("JKK", "JKM", "JHT", "JP", "JKP")
JKK_CASES = ("death", "total_disability", "partial_disability", "stmb", "transport", "home_care")


def _choice(
    payload: Mapping[str, Any], field: str, choices: Sequence[str], default: str | None = None
) -> str:
    value = payload.get(field)
    if value is None and default is not None:
        return default
    value = _require(payload, field)
    if value not in choices:
        raise field_error(
            field,
            f"must be one of {', '.join(choices)}",
            f"harus salah satu dari {', '.join(choices)}",
        )
    return str(value)


def _percent(payload: Mapping[str, Any], field: str, *, required: bool) -> Decimal | None:
    if payload.get(field) is None and not required:
        return None
    value = _require(payload, field)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise field_error(
            field,
            "must be a number from 0 to 100 (as an integer or a decimal string)",
            "harus angka 0 sampai 100 (bilangan bulat atau teks desimal)",
        )
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise field_error(field, f"{value!r} is not a number", f"{value!r} bukan angka") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise field_error(field, "must be from 0 to 100", "harus dari 0 sampai 100")
    return number


def _optional_date(payload: Mapping[str, Any], field: str) -> date | None:
    return None if payload.get(field) is None else _date(payload, field)


def _children(payload: Mapping[str, Any]) -> list[str]:
    value = payload.get("children") or []
    if not isinstance(value, list):
        raise field_error(
            "children",
            'must be a list of {"level": TK|SD|SMP|SMA|PT}',
            'harus daftar {"level": TK|SD|SMP|SMA|PT}',
        )
    levels = []
    for index, child in enumerate(value):
        level = child.get("level") if isinstance(child, Mapping) else None
        if level not in b.SCHOOL_LEVELS:
            raise field_error(
                f"children.{index}.level",
                f"must be one of {', '.join(b.SCHOOL_LEVELS)}",
                f"harus salah satu dari {', '.join(b.SCHOOL_LEVELS)}",
            )
        levels.append(str(level))
    return levels


def _transport(payload: Mapping[str, Any]) -> list[tuple[str, int]]:
    value = _require(payload, "transport")
    if not isinstance(value, list) or not value:
        raise field_error(
            "transport",
            'must be a non-empty list of {"mode", "cost_idr"}',
            'harus daftar {"mode", "cost_idr"} yang tidak kosong',
        )
    items = []
    for index, item in enumerate(value):
        where = f"transport.{index}"
        if not isinstance(item, Mapping):
            raise field_error(where, "must be an object", "harus objek")
        try:
            mode = _choice(item, "mode", tuple(b.TRANSPORT_MODES))
            cost = _int(item, "cost_idr")
        except RuleViolation as exc:
            field = f"{where}.{exc.field}"
            raise RuleViolation(
                f"{where}.{exc.message}",
                field=field,
                code=exc.code,
                message_id=f"{where}.{exc.message_id}",
            ) from None
        items.append((mode, cost))
    return items


def simulate_benefit(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Parse a benefit request (see docs/rules.md) and return the explained result."""
    if not isinstance(payload, Mapping):
        raise field_error("body", "must be a JSON object", "harus objek JSON")
    programme = _choice(payload, "programme", PROGRAMMES)
    event_on = _date(payload, "event_on")
    result: b.BenefitResult
    try:
        if programme == "JKK":
            case = _choice(payload, "case", JKK_CASES)
            needs_wage = case in ("death", "total_disability", "partial_disability", "stmb")
            result = b.jkk_benefit(
                event_on=event_on,
                case=case,
                wage_idr=_int(payload, "wage_idr", minimum=1) if needs_wage else 0,
                stmb_months=_int(payload, "stmb_months", minimum=1, maximum=600)
                if case == "stmb"
                else 0,
                disability_percent=_percent(
                    payload, "disability_percent", required=case == "partial_disability"
                ),
                function_loss_percent=_percent(payload, "function_loss_percent", required=False),
                transport=_transport(payload) if case == "transport" else (),
                home_care_cost_idr=_int(payload, "home_care_cost_idr")
                if case == "home_care"
                else 0,
                children=_children(payload),
                claimed_on=_optional_date(payload, "claimed_on"),
            )
        elif programme == "JKM":
            result = b.jkm_benefit(
                event_on=event_on,
                contribution_months=_int(payload, "contribution_months", maximum=1200),
                segment=_choice(payload, "segment", SEGMENTS, default="PU"),
                children=_children(payload),
            )
        elif programme == "JHT":
            kind = _choice(payload, "kind", ("full", "partial_10", "partial_30"))
            reasons = (*b.LEAVING_REASONS, *b.OTHER_REASONS, "contract_end", "bpu_stopped")
            reason = (
                _choice(payload, "reason", reasons, default="retirement")
                if kind == "full"
                else None
            )
            left_work_on = _optional_date(payload, "left_work_on")
            if reason in b.LEAVING_REASONS and left_work_on is None:
                raise field_error(
                    "left_work_on",
                    "is required when leaving work",
                    "wajib diisi untuk berhenti bekerja",
                    code="required",
                )
            result = b.jht_benefit(
                event_on=event_on,
                balance_idr=_int(payload, "balance_idr"),
                kind=kind,
                membership_months=_int(payload, "membership_months", maximum=1200),
                reason=reason,
                left_work_on=left_work_on,
                partial_taken_before=_bool(payload, "partial_taken_before"),
            )
        elif programme == "JP":
            result = b.jp_benefit(
                event_on=event_on,
                contribution_months=_int(payload, "contribution_months", maximum=1200),
                average_indexed_wage_idr=_int(payload, "average_indexed_wage_idr"),
                kind=_choice(payload, "kind", b.JP_KINDS, default="old_age"),
                density_percent=_percent(payload, "density_percent", required=False),
                accumulated_idr=_opt_int(payload, "accumulated_idr"),
            )
        else:
            result = b.jkp_benefit(
                event_on=event_on,
                wage_idr=_int(payload, "wage_idr", minimum=1),
                reason=_choice(payload, "reason", b.JKP_REASONS),
                contribution_months_last_24=_int(
                    payload, "contribution_months_last_24", maximum=24
                ),
                consecutive_months=_int(payload, "consecutive_months", maximum=1200),
                claimed_on=_optional_date(payload, "claimed_on"),
            )
    except RuleNotInForce as exc:
        raise field_error(
            "event_on",
            f"no rule {exc.rule} is in force on {exc.on.isoformat()}",
            f"tidak ada aturan {exc.rule} yang berlaku pada {exc.on.isoformat()}",
            code="rule.not_in_force",
        ) from None
    return result.as_json()


#: The simulations the interfaces offer, by name.
SIMULATIONS: dict[str, Any] = {"contribution": simulate_contribution, "benefit": simulate_benefit}
