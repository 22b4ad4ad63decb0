"""Contribution calculators for PU, BPU, Jakon and PMI, the PU late fine and the JP cap check.

Pure module: no Django, no I/O. Each function takes the date that selects the rules (project
rule 2: the first day of the contribution month for PU and BPU, the project's registration
date for Jakon, the placement-agreement date for PMI) and returns explained lines in whole
rupiah. Each line is computed exactly and rounded once, half up (project rule 1).
Figures and their legal basis (PP 44/2015, PP 45/2015, PP 46/2015, PP 6/2025 and their
amendments) are rows of the rule data, jamsos/rules/data/ (docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from jamsos.core.errors import RuleViolation, check_choice
from jamsos.core.money import round_down_to, round_idr
from jamsos.rules.calc.dates import (
    add_months,
    bpu_due_date,
    month_start,
    months_late,
    period,
    pu_due_date,
)
from jamsos.rules.calc.results import ContributionResult, Line, combine, notes
from jamsos.rules.calc.tables import RuleBook, RuleNotInForce, rule_book

PU_PROGRAMMES = ("JKK", "JKM", "JHT", "JP")
BPU_PROGRAMMES = ("JKK", "JKM", "JHT")
ENTERPRISE_SIZES = ("micro", "small", "medium", "large")

#: Perpres 109/2013 Pasal 6: programmes an employer must enrol its workers in, by size.
MANDATORY_BY_SIZE = {
    "micro": ("JKK", "JKM"),
    "small": ("JKK", "JKM", "JHT"),
    "medium": ("JKK", "JKM", "JHT", "JP"),
    "large": ("JKK", "JKM", "JHT", "JP"),
}


def mandatory_programmes(enterprise_size: str) -> tuple[str, ...]:
    """Programmes mandatory for an enterprise size (Perpres 109/2013 Pasal 6).

    >>> mandatory_programmes("small")
    ('JKK', 'JKM', 'JHT')
    """
    check_choice("enterprise_size", enterprise_size, ENTERPRISE_SIZES)
    return MANDATORY_BY_SIZE[enterprise_size]


def _line(
    book: RuleBook,
    rule: str,
    on: date,
    *,
    programme: str,
    payer: str,
    basis_idr: int | None = None,
    flags: frozenset[str] = frozenset(),
) -> Line:
    """One explained line: a rate on ``basis_idr``, or the rule's flat amount when no basis
    is given; discounts in force for the flags are applied and named."""
    base = book.version(rule, on)
    discounts = book.discounts_for(rule, on, flags)
    rule_id, legal, status, factor = combine(base, discounts)
    if basis_idr is None:
        rate = None
        amount = round_idr(Decimal(base.integer("amount_idr")) * factor)
    else:
        rate = base.decimal("rate") * factor
        amount = round_idr(Decimal(basis_idr) * rate)
    return Line(
        programme=programme,
        payer=payer,
        basis_idr=basis_idr,
        rate=rate,
        amount_idr=amount,
        rule=rule_id,
        legal_basis=legal,
        status=status,
        note=notes(base, *discounts),
        first_period=period(on),
    )


def _due(fn: Any, on: date, book: RuleBook) -> tuple[date | None, tuple[str, ...]]:
    try:
        due: date = fn(on, book)
    except RuleNotInForce as exc:
        return None, (f"No holiday calendar for {exc.on.year}: the due date cannot be computed.",)
    if book.holiday_status(due.year) == "provisional":
        return due, (
            f"Due date from the provisional {due.year} holiday calendar (computed; the "
            "year's joint decree is not in the rule data).",
        )
    return due, ()


def jp_wage_cap(on: date, book: RuleBook | None = None) -> int:
    """The JP wage cap in force for the contribution month of ``on`` (changes each 1 March)."""
    book = book or rule_book()
    return book.version("PU.JP.WAGE_CAP", month_start(on)).integer("cap_idr")


def pu_contribution(
    *,
    on: date,
    wage_idr: int,
    jkk_risk_class: int,
    programmes: Iterable[str] = PU_PROGRAMMES,
    labour_intensive: bool = False,
    jp_deferral: bool = False,
    book: RuleBook | None = None,
) -> ContributionResult:
    """One wage earner's contribution for the month of ``on``."""
    book = book or rule_book()
    start = month_start(on)
    chosen = set(programmes)
    flags = frozenset(
        f
        for f, on_ in (("labour_intensive", labour_intensive), ("jp_deferral", jp_deferral))
        if on_
    )
    lines: list[Line] = []
    informational: list[Line] = []
    if "JKK" in chosen:
        lines.append(
            _line(
                book,
                f"PU.JKK.CLASS{jkk_risk_class}",
                start,
                programme="JKK",
                payer="employer",
                basis_idr=wage_idr,
                flags=flags,
            )
        )
    if "JKM" in chosen:
        lines.append(
            _line(
                book,
                "PU.JKM",
                start,
                programme="JKM",
                payer="employer",
                basis_idr=wage_idr,
                flags=flags,
            )
        )
    if "JHT" in chosen:
        lines.append(
            _line(
                book,
                "PU.JHT.EMPLOYER",
                start,
                programme="JHT",
                payer="employer",
                basis_idr=wage_idr,
            )
        )
        lines.append(
            _line(book, "PU.JHT.WORKER", start, programme="JHT", payer="worker", basis_idr=wage_idr)
        )
    if "JP" in chosen:
        cap = book.version("PU.JP.WAGE_CAP", start)
        capped = min(wage_idr, cap.integer("cap_idr"))
        for rule, payer in (("PU.JP.EMPLOYER", "employer"), ("PU.JP.WORKER", "worker")):
            line = _line(
                book, rule, start, programme="JP", payer=payer, basis_idr=capped, flags=flags
            )
            cap_note = (
                (f"Wage capped at the JP cap Rp{cap.integer('cap_idr'):,} ({cap.legal_basis}).")
                if capped < wage_idr
                else ""
            )
            line = _with_note(line, cap_note)
            lines.append(line)
            if "DISCOUNT.JP_DEFERRAL" in line.rule:
                full = _line(book, rule, start, programme="JP", payer=payer, basis_idr=capped)
                informational.append(
                    Line(
                        programme="JP",
                        payer=payer,
                        basis_idr=capped,
                        rate=None,
                        amount_idr=full.amount_idr - line.amount_idr,
                        rule="DISCOUNT.JP_DEFERRAL",
                        legal_basis=line.legal_basis,
                        status=line.status,
                        note="Deferred JP contribution, payable later.",
                        first_period=period(start),
                    )
                )
    informational += _jkp_recomposition(book, start, wage_idr)
    due_on, due_notes = _due(pu_due_date, start, book)
    return ContributionResult("PU", on, tuple(lines), tuple(informational), due_on, due_notes)


def _with_note(line: Line, extra: str) -> Line:
    if not extra:
        return line
    return Line(**{**line.__dict__, "note": " ".join(filter(None, (line.note, extra)))})


def _jkp_recomposition(book: RuleBook, start: date, wage_idr: int) -> list[Line]:
    """JKP funding shown as information (project rule 7): on the JKP-capped wage."""
    try:
        cap = book.version("PU.JKP.WAGE_CAP", start).integer("amount_idr")
    except RuleNotInForce:
        return []
    basis = min(wage_idr, cap)
    parts = (
        ("PU.JKP.GOVERNMENT", "government"),
        ("PU.JKP.FROM_JKK", "employer"),
        ("PU.JKP.FROM_JKM", "employer"),
    )
    result = []
    for rule, payer in parts:
        try:
            line = _line(book, rule, start, programme="JKP", payer=payer, basis_idr=basis)
        except RuleNotInForce:
            continue
        note = {
            "PU.JKP.GOVERNMENT": "Paid by the central government; not billed.",
            "PU.JKP.FROM_JKK": "Recomposed from the JKK the employer already pays; not extra.",
            "PU.JKP.FROM_JKM": "Recomposed from the JKM the employer already pays; not extra.",
        }[rule]
        result.append(_with_note(line, note))
    return result


@dataclass(frozen=True)
class WageFloorCheck:
    """Whether a reported PU wage may be accepted (the wage floor of BPJS Ketenagakerjaan
    circular SE B/12/012023: below the lowest national UMP with an officer's approval, never
    below Rp1,000,000)."""

    outcome: str  # "ok", "needs_approval" or "refused"
    floor_idr: int | None
    absolute_floor_idr: int | None
    rule: str
    legal_basis: str
    status: str


def pu_wage_floor_check(wage_idr: int, on: date, book: RuleBook | None = None) -> WageFloorCheck:
    """From 2023 a wage below the lowest national UMP needs the account officer's approval and
    is never accepted below Rp1,000,000 (BPJS circular SE B/12/012023). Before 2023 no floor
    is applied here."""
    book = book or rule_book()
    start = month_start(on)
    try:
        floor = book.version("PU.WAGE_FLOOR", start)
        absolute = book.version("PU.WAGE_ABSOLUTE_FLOOR", start)
    except RuleNotInForce:
        return WageFloorCheck("ok", None, None, "", "", "confirmed")
    low, lowest = floor.integer("amount_idr"), absolute.integer("amount_idr")
    outcome = "ok" if wage_idr >= low else "needs_approval" if wage_idr >= lowest else "refused"
    status = "provisional" if "provisional" in (floor.status, absolute.status) else "confirmed"
    return WageFloorCheck(
        outcome,
        low,
        lowest,
        f"{floor.rule} + {absolute.rule}",
        f"{floor.legal_basis}; {absolute.legal_basis}",
        status,
    )


def bpu_nominal(income_idr: int, on: date, book: RuleBook | None = None) -> tuple[int, str]:
    """The nominal income a BPU member's contribution is computed on, and the bracket used."""
    book = book or rule_book()
    for row in book.table("BPU.BRACKET", month_start(on)):
        upper = row.optional_integer("upper_idr")
        if row.integer("lower_idr") <= income_idr and (upper is None or income_idr < upper):
            return row.integer("nominal_idr"), row.key
    raise RuleNotInForce("BPU.BRACKET", on)  # pragma: no cover - the table covers 0 upwards


def bpu_contribution(
    *,
    on: date,
    income_idr: int,
    programmes: Iterable[str] = ("JKK", "JKM"),
    months: int = 1,
    transport_worker: bool = False,
    government_paid: bool = False,
    book: RuleBook | None = None,
) -> ContributionResult:
    """An informal worker's contribution for ``months`` months starting with the month of ``on``.

    Each month is computed with the rules of that month, so a prepayment that crosses a
    discount's end is right month by month; equal months are shown as one line.
    """
    book = book or rule_book()
    chosen = set(programmes)
    flags = (
        frozenset({"transport_worker"}) if transport_worker and not government_paid else frozenset()
    )
    start = month_start(on)
    grouped: list[Line] = []
    for index in range(months):
        month = add_months(start, index)
        nominal, _bracket = bpu_nominal(income_idr, month, book)
        month_lines = []
        if "JKK" in chosen:
            month_lines.append(
                _line(
                    book,
                    "BPU.JKK",
                    month,
                    programme="JKK",
                    payer="participant",
                    basis_idr=nominal,
                    flags=flags,
                )
            )
        if "JKM" in chosen:
            month_lines.append(
                _line(book, "BPU.JKM", month, programme="JKM", payer="participant", flags=flags)
            )
        if "JHT" in chosen:
            month_lines.append(
                _line(
                    book, "BPU.JHT", month, programme="JHT", payer="participant", basis_idr=nominal
                )
            )
        for line in month_lines:
            grouped = _merge_month(grouped, line)
    bracket_row = next(
        r
        for r in book.table("BPU.BRACKET", start)
        if r.key == bpu_nominal(income_idr, start, book)[1]
    )
    bracket_note = (
        f"Declared income Rp{income_idr:,} is in the bracket with nominal "
        f"Rp{bracket_row.integer('nominal_idr'):,} ({bracket_row.status})."
    )
    due_on, due_notes = _due(bpu_due_date, start, book)
    return ContributionResult("BPU", on, tuple(grouped), (), due_on, (bracket_note, *due_notes))


def _merge_month(lines: list[Line], line: Line) -> list[Line]:
    """Add one month's line, merging it into the last line of the same computation."""
    for i in range(len(lines) - 1, -1, -1):
        prev = lines[i]
        if prev.programme == line.programme and prev.payer == line.payer:
            monthly = prev.monthly_idr if prev.monthly_idr is not None else prev.amount_idr
            if (prev.rule, prev.rate, prev.basis_idr, monthly) == (
                line.rule,
                line.rate,
                line.basis_idr,
                line.amount_idr,
            ):
                merged = Line(
                    **{
                        **prev.__dict__,
                        "months": prev.months + 1,
                        "monthly_idr": monthly,
                        "amount_idr": prev.amount_idr + line.amount_idr,
                    }
                )
                return [*lines[:i], merged, *lines[i + 1 :]]
            break
    return [*lines, Line(**{**line.__dict__, "monthly_idr": line.amount_idr})]


def jakon_contribution(
    *,
    on: date,
    contract_value_idr: int | None = None,
    wage_idr: int | None = None,
    daily_wage_idr: int | None = None,
    book: RuleBook | None = None,
) -> ContributionResult:
    """A construction project's contribution: by contract value (marginal tiers), or per
    worker-month when the wage is known (Permenaker 44/2015, Permenaker 5/2021)."""
    book = book or rule_book()
    given = [x is not None for x in (contract_value_idr, wage_idr, daily_wage_idr)]
    if sum(given) != 1:
        raise RuleViolation(
            "Give exactly one of contract_value_idr, wage_idr or daily_wage_idr.",
            field="contract_value_idr",
            code="invalid",
            message_id="Isi tepat satu dari contract_value_idr, wage_idr, atau daily_wage_idr.",
        )
    if contract_value_idr is not None:
        return _jakon_by_contract(book, on, contract_value_idr)
    result_notes: tuple[str, ...] = ()
    if daily_wage_idr is not None:
        days = book.version("JAKON.DAYS_PER_MONTH", on)
        wage_idr = daily_wage_idr * days.integer("amount_idr")
        result_notes = (
            f"Monthly wage = daily wage Rp{daily_wage_idr:,} x "
            f"{days.integer('amount_idr')} ({days.legal_basis}).",
        )
    if wage_idr is None:  # pragma: no cover - excluded by the check above
        raise AssertionError("wage_idr")
    lines = (
        _line(book, "JAKON.WAGE.JKK", on, programme="JKK", payer="employer", basis_idr=wage_idr),
        _line(book, "JAKON.WAGE.JKM", on, programme="JKM", payer="employer", basis_idr=wage_idr),
    )
    return ContributionResult(
        "JAKON", on, lines, (), None, ("Per worker and month of work.", *result_notes)
    )


def _jakon_by_contract(book: RuleBook, on: date, value: int) -> ContributionResult:
    tiers = sorted(book.table("JAKON.CONTRACT", on), key=lambda r: r.integer("lower_idr"))
    discounts = book.discounts_for("JAKON.CONTRACT", on, frozenset())
    lines = []
    for programme, column in (("JKK", "jkk_rate"), ("JKM", "jkm_rate")):
        exact = Decimal(0)
        detail = []
        for tier in tiers:
            lower, upper = tier.integer("lower_idr"), tier.optional_integer("upper_idr")
            portion = max(0, (min(value, upper) if upper is not None else value) - lower)
            if portion == 0:
                continue
            part = Decimal(portion) * tier.decimal(column)
            exact += part
            detail.append(
                {
                    "tier": tier.key,
                    "portion_idr": portion,
                    "rate": str(tier.decimal(column)),
                    "amount": str(part),
                    "status": tier.status,
                }
            )
        rule_id, legal, status, factor = combine(tiers[0], discounts)
        if any(t.status == "provisional" for t in tiers if any(d["tier"] == t.key for d in detail)):
            status = "provisional"
        lines.append(
            Line(
                programme=programme,
                payer="employer",
                basis_idr=value,
                rate=None,
                amount_idr=round_idr(exact * factor),
                rule=rule_id,
                legal_basis=legal,
                status=status,
                detail=tuple(detail),
                note=" ".join(
                    filter(
                        None,
                        [
                            "Marginal tiers: each tier's rate applies to the part of the "
                            "contract value inside it.",
                            notes(*discounts),
                            *(
                                f"Tier {t.key}: {t.note}"
                                for t in tiers
                                if t.note and any(d["tier"] == t.key for d in detail)
                            ),
                        ],
                    )
                ),
            )
        )
    return ContributionResult(
        "JAKON", on, tuple(lines), (), None, ("For the whole project, by contract value.",)
    )


def pmi_contribution(
    *,
    on: date,
    contract_months: int,
    via_agency: bool,
    jht_monthly_idr: int | None = None,
    book: RuleBook | None = None,
) -> ContributionResult:
    """A migrant worker's package (Permenaker 18/2018; Permenaker 4/2023 Pasal 18)."""
    book = book or rule_book()
    lines = []
    if via_agency:
        lines.append(_line(book, "PMI.PRE_DEPARTURE", on, programme="JKK+JKM", payer="participant"))
    packages = sorted(book.table("PMI.PACKAGE", on), key=lambda r: r.integer("max_contract_months"))
    fitting = [p for p in packages if contract_months <= p.integer("max_contract_months")]
    package = fitting[0] if fitting else packages[-1]
    lines.append(
        Line(
            programme="JKK+JKM",
            payer="participant",
            basis_idr=None,
            rate=None,
            amount_idr=package.integer("amount_idr"),
            rule=f"PMI.PACKAGE/{package.key}",
            legal_basis=package.legal_basis,
            status=package.status,
            note=package.note,
        )
    )
    extra = contract_months - package.integer("max_contract_months")
    if extra > 0:
        try:
            per_month = book.version("PMI.EXTRA_MONTH", on)
        except RuleNotInForce:
            raise RuleViolation(
                f"No rule before 22 Feb 2023 covers contracts longer than "
                f"{package.integer('max_contract_months')} months.",
                field="contract_months",
                code="rule.not_defined",
                message_id=f"Belum ada aturan sebelum 22 Feb 2023 untuk kontrak lebih dari "
                f"{package.integer('max_contract_months')} bulan.",
            ) from None
        lines.append(
            Line(
                programme="JKK+JKM",
                payer="participant",
                basis_idr=None,
                rate=None,
                amount_idr=per_month.integer("amount_idr") * extra,
                rule=per_month.rule,
                legal_basis=per_month.legal_basis,
                status=per_month.status,
                months=extra,
                monthly_idr=per_month.integer("amount_idr"),
                note=f"{extra} months beyond the {package.integer('max_contract_months')}-month "
                f"package.",
            )
        )
    if jht_monthly_idr is not None:
        options = {r.integer("amount_idr"): r for r in book.table("PMI.JHT", on)}
        if jht_monthly_idr not in options:
            allowed = ", ".join(f"{a:,}" for a in sorted(options))
            raise RuleViolation(
                f"jht_monthly_idr must be one of {allowed}.",
                field="jht_monthly_idr",
                code="invalid",
                message_id=f"jht_monthly_idr harus salah satu dari {allowed}.",
            )
        option = options[jht_monthly_idr]
        lines.append(
            Line(
                programme="JHT",
                payer="participant",
                basis_idr=None,
                rate=None,
                amount_idr=jht_monthly_idr * contract_months,
                rule=option.rule,
                legal_basis=option.legal_basis,
                status=option.status,
                months=contract_months,
                monthly_idr=jht_monthly_idr,
                note="Optional JHT for each month of the contract.",
            )
        )
    return ContributionResult("PMI", on, tuple(lines), (), None, ())


@dataclass(frozen=True)
class FineResult:
    principal_idr: int
    due_on: date
    paid_on: date
    months_late: int
    rate: Decimal
    amount_idr: int
    rule: str
    legal_basis: str
    status: str

    def as_json(self) -> dict[str, Any]:
        return {
            "principal_idr": self.principal_idr,
            "due_on": self.due_on.isoformat(),
            "paid_on": self.paid_on.isoformat(),
            "months_late": self.months_late,
            "rate": str(self.rate),
            "amount_idr": self.amount_idr,
            "rule": self.rule,
            "legal_basis": self.legal_basis,
            "status": self.status,
        }


def late_fine(
    *, principal_idr: int, contribution_month: date, paid_on: date, book: RuleBook | None = None
) -> FineResult:
    """PU late fine (project rule 4): rate x months or parts of a month late x unpaid principal;
    flat, not compounding, no cap."""
    book = book or rule_book()
    start = month_start(contribution_month)
    due_on = pu_due_date(start, book)
    late = months_late(due_on, paid_on)
    version = book.version("PU.LATE_FINE", start)
    rate = version.decimal("rate")
    return FineResult(
        principal_idr,
        due_on,
        paid_on,
        late,
        rate,
        round_idr(Decimal(principal_idr) * rate * late),
        version.rule,
        version.legal_basis,
        version.status,
    )


@dataclass(frozen=True)
class CapCheck:
    effective_from: date
    previous_cap_idr: int
    gdp_growth: Decimal
    computed_idr: int
    published_idr: int

    @property
    def matches(self) -> bool:
        return self.computed_idr == self.published_idr


def jp_cap_check(book: RuleBook | None = None) -> list[CapCheck]:
    """Recompute every published JP cap from the previous one and GDP growth (PP 45/2015
    Pasal 29(3), rounded down to Rp100 per project rule 3). It checks; it never replaces."""
    book = book or rule_book()
    caps = book.versions("PU.JP.WAGE_CAP")
    checks = []
    for previous, current in pairwise(caps):
        growth = current.decimal("gdp_growth")
        computed = round_down_to(Decimal(previous.integer("cap_idr")) * (1 + growth), 100)
        checks.append(
            CapCheck(
                current.effective_from,
                previous.integer("cap_idr"),
                growth,
                computed,
                current.integer("cap_idr"),
            )
        )
    return checks
