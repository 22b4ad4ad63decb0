"""Explained results: every amount comes with its basis, rate, rule id, legal basis and status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from jamsos.rules.calc.tables import Version

PAYERS = ("employer", "worker", "participant", "government")


@dataclass(frozen=True)
class Line:
    """One programme x one payer: what is owed, and why."""

    programme: str
    payer: str
    basis_idr: int | None  # the wage, nominal or contract value the rate applies to
    rate: Decimal | None  # None for a flat amount
    amount_idr: int
    rule: str
    legal_basis: str
    status: str
    note: str = ""
    months: int = 1
    monthly_idr: int | None = None
    first_period: str | None = None  # YYYY-MM of the first month covered
    detail: tuple[Mapping[str, Any], ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "payer": self.payer,
            "basis_idr": self.basis_idr,
            "rate": None if self.rate is None else format_rate(self.rate),
            "amount_idr": self.amount_idr,
            "rule": self.rule,
            "legal_basis": self.legal_basis,
            "status": self.status,
            "note": self.note,
            "months": self.months,
            "monthly_idr": self.monthly_idr if self.monthly_idr is not None else self.amount_idr,
            "first_period": self.first_period,
            "detail": [dict(d) for d in self.detail],
        }


def format_rate(rate: Decimal) -> str:
    """A rate as a plain decimal string without exponent or trailing zeros: ``"0.00445"``."""
    text = format(rate.normalize(), "f")
    return text if "." in text else text + ".0"


def combine(base: Version, discounts: Sequence[Version]) -> tuple[str, str, str, Decimal]:
    """Rule id, legal basis, status and factor of a base rule with its discounts applied."""
    rule = " x ".join([base.rule, *(d.rule for d in discounts)])
    legal = "; ".join([base.legal_basis, *(d.legal_basis for d in discounts)])
    status = (
        "provisional" if any(v.status == "provisional" for v in (base, *discounts)) else "confirmed"
    )
    factor = Decimal(1)
    for d in discounts:
        factor *= d.decimal("factor")
    return rule, legal, status, factor


def notes(*versions: Version) -> str:
    return " ".join(v.note for v in versions if v.note)


@dataclass(frozen=True)
class ContributionResult:
    segment: str
    on: date
    lines: tuple[Line, ...]
    informational: tuple[Line, ...] = ()
    due_on: date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def by_payer(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in self.lines:
            totals[line.payer] = totals.get(line.payer, 0) + line.amount_idr
        return totals

    @property
    def total_idr(self) -> int:
        return sum(line.amount_idr for line in self.lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "segment": self.segment,
            "on": self.on.isoformat(),
            "lines": [line.as_json() for line in self.lines],
            "informational": [line.as_json() for line in self.informational],
            "by_payer": self.by_payer,
            "total_idr": self.total_idr,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "notes": list(self.notes),
        }
