"""Benefit calculators: JKK, JKM, JHT, JP and JKP, with eligibility and reasons.

Pure module: no Django, no I/O. The event date selects the rules (project rule 2: accident or
diagnosis for JKK, death for JKM, leaving work for JHT, reaching retirement age for JP,
termination for JKP). Each component is computed exactly and rounded once, half up.
Figures and their legal basis (PP 44/2015 for JKK and JKM, PP 46/2015 for JHT, PP 45/2015 for
JP, PP 6/2025 for JKP, and their amendments) are rows of the rule data, jamsos/rules/data/
(docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from jamsos.core.money import round_idr
from jamsos.rules.calc.dates import add_months
from jamsos.rules.calc.tables import RuleBook, RuleNotInForce, Version, rule_book

SCHOOL_LEVELS = ("TK", "SD", "SMP", "SMA", "PT")
TRANSPORT_MODES = {
    "land": "JKK.TRANSPORT.LAND",
    "sea": "JKK.TRANSPORT.SEA",
    "air": "JKK.TRANSPORT.AIR",
}


@dataclass(frozen=True)
class Reason:
    """Why a claim, or a part of it, cannot be paid; in both languages."""

    code: str
    message_en: str
    message_id: str
    possible_from: date | None = None
    blocking: bool = True  # False: the claim is paid, only this part is not

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message_en": self.message_en,
            "message_id": self.message_id,
            "possible_from": self.possible_from.isoformat() if self.possible_from else None,
            "blocking": self.blocking,
        }


@dataclass(frozen=True)
class Component:
    name: str
    amount_idr: int
    rule: str
    legal_basis: str
    status: str
    note: str = ""

    @classmethod
    def of(cls, name: str, amount_idr: int, *versions: Version, note: str = "") -> Component:
        status = "provisional" if any(v.status == "provisional" for v in versions) else "confirmed"
        notes = " ".join(filter(None, [note, *(v.note for v in versions)]))
        return cls(
            name,
            amount_idr,
            " + ".join(dict.fromkeys(v.rule for v in versions)),
            "; ".join(dict.fromkeys(v.legal_basis for v in versions)),
            status,
            notes,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "amount_idr": self.amount_idr,
            "rule": self.rule,
            "legal_basis": self.legal_basis,
            "status": self.status,
            "note": self.note,
        }


@dataclass(frozen=True)
class BenefitResult:
    programme: str
    event_on: date
    eligible: bool
    components: tuple[Component, ...] = ()
    reasons: tuple[Reason, ...] = ()
    monthly_idr: int | None = None
    schedule: tuple[tuple[int, int], ...] | None = None
    tax_idr: int | None = None
    claim_deadline_on: date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total_idr(self) -> int:
        """What is paid at the first payment (first-year scholarships included)."""
        if not self.eligible:
            return 0
        return sum(c.amount_idr for c in self.components)

    @property
    def net_idr(self) -> int | None:
        return None if self.tax_idr is None else self.total_idr - self.tax_idr

    def as_json(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "event_on": self.event_on.isoformat(),
            "eligible": self.eligible,
            "reasons": [r.as_json() for r in self.reasons],
            "components": [c.as_json() for c in self.components],
            "total_idr": self.total_idr,
            "monthly_idr": self.monthly_idr,
            "schedule": None
            if self.schedule is None
            else [{"month": m, "amount_idr": a} for m, a in self.schedule],
            "schedule_total_idr": None
            if self.schedule is None
            else sum(a for _m, a in self.schedule),
            "tax_idr": self.tax_idr,
            "net_idr": self.net_idr,
            "claim_deadline_on": self.claim_deadline_on.isoformat()
            if self.claim_deadline_on
            else None,
            "notes": list(self.notes),
        }


def _v(book: RuleBook, rule: str, on: date) -> Version:
    return book.version(rule, on)


def _amount(version: Version) -> int:
    return version.integer("amount_idr")


def _years_later(on: date, years: int) -> date:
    return add_months(on, 12 * years)


# --- scholarships (JKK and JKM) ------------------------------------------------------------


def scholarships(
    book: RuleBook, on: date, children: Sequence[str], *, lump_rule: str
) -> tuple[list[Component], list[Reason]]:
    """First-year scholarships for up to the maximum number of children (PP 82/2019), or the
    single lump sum per participant before 2 Dec 2019."""
    if not children:
        return [], []
    try:
        most = _v(book, "SCHOLARSHIP.MAX_CHILDREN", on)
    except RuleNotInForce:
        lump = _v(book, lump_rule, on)
        return [
            Component.of(
                "scholarship", _amount(lump), lump, note="One scholarship per participant."
            )
        ], []
    levels = {row.key: row for row in book.table("SCHOLARSHIP", on)}
    limit = most.integer("amount_idr")
    components = []
    for index, level in enumerate(children[:limit], start=1):
        row = levels[level]
        components.append(
            Component.of(
                f"scholarship_child_{index}_{level}",
                _amount(row),
                row,
                most,
                note=f"First school year; at most {row.integer('max_years')} years at this level.",
            )
        )
    reasons = []
    if len(children) > limit:
        reasons.append(
            Reason(
                "scholarship.max_children",
                f"Scholarships are paid for at most {limit} children.",
                f"Beasiswa dibayarkan untuk paling banyak {limit} anak.",
                blocking=False,
            )
        )
    return components, reasons


# --- JKK -------------------------------------------------------------------------------------


def jkk_benefit(
    *,
    event_on: date,
    case: str,
    wage_idr: int = 0,
    stmb_months: int = 0,
    disability_percent: Decimal | None = None,
    function_loss_percent: Decimal | None = None,
    transport: Sequence[tuple[str, int]] = (),
    home_care_cost_idr: int = 0,
    children: Sequence[str] = (),
    claimed_on: date | None = None,
    book: RuleBook | None = None,
) -> BenefitResult:
    """Work accident benefits (PP 44/2015 as amended by PP 82/2019)."""
    book = book or rule_book()
    lapse = _v(book, "JKK.CLAIM_LAPSE_YEARS", event_on)
    deadline = _years_later(event_on, lapse.integer("factor"))
    reasons: list[Reason] = []
    if claimed_on is not None and claimed_on > deadline:
        reasons.append(
            Reason(
                "jkk.claim_lapsed",
                f"The right to claim lapsed {lapse.integer('factor')} years after the accident, "
                f"on {deadline.isoformat()}.",
                f"Hak klaim gugur {lapse.integer('factor')} tahun setelah kecelakaan, pada "
                f"{deadline.isoformat()}.",
            )
        )
    components: list[Component] = []
    monthly = None
    schedule = None
    wage = Decimal(wage_idr)
    if case == "death":
        rule = _v(book, "JKK.DEATH", event_on)
        floor = _v(book, "JKM.DEATH_LUMP_SUM", event_on)
        lump = round_idr(rule.decimal("rate") * rule.decimal("factor") * wage)
        note = ""
        if lump < _amount(floor):
            lump, note = _amount(floor), "Raised to the minimum: the JKM death lump sum."
        components.append(Component.of("death_lump_sum", lump, rule, floor, note=note))
        components += _jkk_fixed(book, event_on, with_funeral=True)
        extra, extra_reasons = scholarships(
            book, event_on, children, lump_rule="JKK.SCHOLARSHIP_LUMP"
        )
        components += extra
        reasons += extra_reasons
    elif case == "total_disability":
        rule = _v(book, "JKK.TOTAL_DISABILITY", event_on)
        components.append(
            Component.of(
                "total_disability_lump_sum",
                round_idr(rule.decimal("rate") * rule.decimal("factor") * wage),
                rule,
            )
        )
        components += _jkk_fixed(book, event_on, with_funeral=False)
        extra, extra_reasons = scholarships(
            book, event_on, children, lump_rule="JKK.SCHOLARSHIP_LUMP"
        )
        components += extra
        reasons += extra_reasons
    elif case == "partial_disability":
        rule = _v(book, "JKK.PARTIAL_DISABILITY", event_on)
        share = (disability_percent or Decimal(0)) / 100
        if function_loss_percent is not None:
            share *= function_loss_percent / 100
        components.append(
            Component.of(
                "partial_disability_lump_sum",
                round_idr(share * rule.decimal("factor") * wage),
                rule,
                note="Functional loss: % of function lost x table %."
                if function_loss_percent is not None
                else "Anatomical loss: table %.",
            )
        )
    elif case == "stmb":
        rows = sorted(book.table("JKK.STMB", event_on), key=lambda r: r.integer("from_month"))
        schedule_rows = []
        for month in range(1, stmb_months + 1):
            row = next(
                r
                for r in rows
                if r.integer("from_month") <= month
                and (not r.values["to_month"] or month <= r.integer("to_month"))
            )
            schedule_rows.append((month, round_idr(row.decimal("rate") * wage), row))
        for row in rows:
            months = [a for _m, a, r in schedule_rows if r is row]
            if months:
                components.append(
                    Component.of(
                        f"stmb_months_{row.values['from_month']}_{row.values['to_month'] or 'on'}",
                        sum(months),
                        row,
                        note=f"{len(months)} months at {row.values['rate']} of "
                        "the wage; paid to the employer for PU.",
                    )
                )
        schedule = tuple((m, a) for m, a, _r in schedule_rows)
        monthly = schedule[0][1] if schedule else None
    elif case == "transport":
        by_mode: dict[str, int] = {}
        for mode, cost in transport:
            by_mode[mode] = by_mode.get(mode, 0) + cost
        for mode, cost in by_mode.items():
            cap = _v(book, TRANSPORT_MODES[mode], event_on)
            paid = min(cost, _amount(cap))
            components.append(
                Component.of(
                    f"transport_{mode}",
                    paid,
                    cap,
                    note=f"Receipts Rp{cost:,}; cap Rp{_amount(cap):,} for this mode.",
                )
            )
    elif case == "home_care":
        try:
            cap = _v(book, "JKK.HOME_CARE", event_on)
        except RuleNotInForce:
            return BenefitResult(
                "JKK",
                event_on,
                False,
                reasons=(
                    Reason(
                        "jkk.home_care_not_covered",
                        "Home care is a benefit only for accidents from 2 Dec 2019 (PP 82/2019).",
                        "Perawatan di rumah hanya untuk kecelakaan sejak 2 Des 2019 (PP 82/2019).",
                    ),
                ),
                claim_deadline_on=deadline,
            )
        components.append(
            Component.of(
                "home_care",
                min(home_care_cost_idr, _amount(cap)),
                cap,
                note=f"Costs Rp{home_care_cost_idr:,}; cap Rp{_amount(cap):,}.",
            )
        )
    else:
        raise ValueError(f"unknown JKK case {case!r}")
    eligible = not any(r.blocking for r in reasons)
    return BenefitResult(
        "JKK",
        event_on,
        eligible,
        tuple(components),
        tuple(reasons),
        monthly_idr=monthly,
        schedule=schedule,
        claim_deadline_on=deadline,
    )


def _jkk_fixed(book: RuleBook, on: date, *, with_funeral: bool) -> list[Component]:
    periodic = _v(book, "JKK.PERIODIC", on)
    result = [Component.of("periodic_benefit", _amount(periodic), periodic, note="Paid at once.")]
    if with_funeral:
        funeral = _v(book, "JKK.FUNERAL", on)
        result.append(Component.of("funeral", _amount(funeral), funeral))
    return result


# --- JKM -------------------------------------------------------------------------------------


def jkm_benefit(
    *,
    event_on: date,
    contribution_months: int,
    segment: str = "PU",
    children: Sequence[str] = (),
    book: RuleBook | None = None,
) -> BenefitResult:
    """Death not from work (PP 44/2015 as amended by PP 82/2019; Permenaker 1/2025)."""
    book = book or rule_book()
    funeral = _v(book, "JKM.FUNERAL", event_on)
    try:
        new_member = _v(book, "JKM.NEW_MEMBER", event_on)
    except RuleNotInForce:
        new_member = None
    if new_member and segment == "BPU" and contribution_months < new_member.integer("factor"):
        return BenefitResult(
            "JKM",
            event_on,
            True,
            (
                Component.of(
                    "funeral",
                    _amount(new_member),
                    new_member,
                    note="Under 3 months of membership: the funeral benefit only.",
                ),
            ),
            (
                Reason(
                    "jkm.under_3_months",
                    "Under 3 months of membership and contributions: only the funeral benefit.",
                    "Kepesertaan dan iuran kurang dari 3 bulan: hanya biaya pemakaman.",
                    blocking=False,
                ),
            ),
        )
    lump = _v(book, "JKM.DEATH_LUMP_SUM", event_on)
    periodic = _v(book, "JKM.PERIODIC", event_on)
    components = [
        Component.of("death_lump_sum", _amount(lump), lump),
        Component.of("periodic_benefit", _amount(periodic), periodic, note="Paid at once."),
        Component.of("funeral", _amount(funeral), funeral),
    ]
    reasons: list[Reason] = []
    needed = _v(book, "JKM.SCHOLARSHIP_MIN_MONTHS", event_on)
    need = needed.integer("factor")
    if children and contribution_months < need:
        reasons.append(
            Reason(
                "jkm.scholarship_needs_contributions",
                f"The scholarship needs at least {need} months of contributions "
                f"({contribution_months} paid).",
                f"Beasiswa memerlukan iuran paling sedikit {need} bulan "
                f"({contribution_months} dibayar).",
                blocking=False,
            )
        )
    else:
        extra, extra_reasons = scholarships(
            book, event_on, children, lump_rule="JKM.SCHOLARSHIP_LUMP"
        )
        components += extra
        reasons += extra_reasons
    return BenefitResult("JKM", event_on, True, tuple(components), tuple(reasons))


# --- JHT -------------------------------------------------------------------------------------

LEAVING_REASONS = ("resignation", "termination")
OTHER_REASONS = ("retirement", "death", "total_disability", "leaving_indonesia")


def jht_tax(amount_idr: int, on: date, book: RuleBook) -> tuple[int, list[Version]]:
    """Final PPh 21 on a JHT lump sum: layered brackets (PP 68/2009, PMK 16/2010)."""
    rows = sorted(book.table("JHT.TAX", on), key=lambda r: r.integer("lower_idr"))
    tax = Decimal(0)
    for row in rows:
        upper = row.optional_integer("upper_idr")
        portion = max(
            0,
            (min(amount_idr, upper) if upper is not None else amount_idr)
            - row.integer("lower_idr"),
        )
        tax += Decimal(portion) * row.decimal("rate")
    return round_idr(tax), rows


def jht_benefit(
    *,
    event_on: date,
    balance_idr: int,
    kind: str,
    membership_months: int,
    reason: str | None = None,
    left_work_on: date | None = None,
    partial_taken_before: bool = False,
    member_since: date | None = None,
    book: RuleBook | None = None,
) -> BenefitResult:
    """JHT: the full balance on leaving work (after the waiting period), at retirement age,
    on total disability, death or leaving Indonesia; or 10 % / 30 % once after 10 years (from
    ``member_since`` when it is given, else counted from ``event_on``)."""
    book = book or rule_book()
    if kind in ("partial_10", "partial_30"):
        minimum = _v(book, "JHT.PARTIAL_MIN_MONTHS", event_on)
        share = _v(book, "JHT.PARTIAL_10" if kind == "partial_10" else "JHT.PARTIAL_30", event_on)
        reasons = []
        if membership_months < minimum.integer("factor"):
            need = minimum.integer("factor")
            months_short = need - membership_months
            reasons.append(
                Reason(
                    "jht.partial_needs_10_years",
                    f"A partial payment needs {need} months of membership; "
                    f"{months_short} more are needed.",
                    f"Pengambilan sebagian memerlukan kepesertaan {need} bulan; "
                    f"kurang {months_short} bulan.",
                    possible_from=(
                        add_months(member_since, need)
                        if member_since is not None
                        else add_months(event_on, months_short)
                    ),
                )
            )
        if partial_taken_before:
            reasons.append(
                Reason(
                    "jht.partial_once",
                    "A partial payment may be taken only once.",
                    "Pengambilan sebagian hanya boleh satu kali.",
                )
            )
        if reasons:
            return BenefitResult("JHT", event_on, False, reasons=tuple(reasons))
        amount = round_idr(Decimal(balance_idr) * share.decimal("rate"))
        tax, tax_rows = jht_tax(amount, event_on, book)
        return BenefitResult(
            "JHT",
            event_on,
            True,
            (Component.of(kind, amount, share, minimum),),
            tax_idr=tax,
            notes=(_tax_note(tax_rows),),
        )
    if kind != "full":
        raise ValueError(f"unknown JHT kind {kind!r}")
    versions: list[Version] = []
    if reason in LEAVING_REASONS or reason in ("contract_end", "bpu_stopped"):
        rule = "JHT.LEAVING_WORK" if reason in LEAVING_REASONS else "JHT.CONTRACT_END_OR_BPU_STOP"
        try:
            waiting = _v(book, rule, event_on)
        except RuleNotInForce:
            return BenefitResult(
                "JHT",
                event_on,
                False,
                reasons=(
                    Reason(
                        "jht.reason_not_in_force",
                        f"On {event_on.isoformat()} JHT was not paid for this reason ({reason}); "
                        "only at retirement age, total disability or death.",
                        f"Pada {event_on.isoformat()} JHT belum dapat dibayar karena alasan ini "
                        f"({reason}); hanya pada usia pensiun, cacat total tetap, atau meninggal.",
                    ),
                ),
            )
        versions.append(waiting)
        left = left_work_on or event_on
        opens = add_months(left, waiting.integer("factor")) + timedelta(days=1)
        if event_on < opens:
            return BenefitResult(
                "JHT",
                event_on,
                False,
                reasons=(
                    Reason(
                        "jht.waiting_period",
                        f"JHT is paid one month after leaving work: from {opens.isoformat()}.",
                        "JHT dibayarkan satu bulan setelah berhenti bekerja: mulai "
                        f"{opens.isoformat()}.",
                        possible_from=opens,
                    ),
                ),
            )
    tax, tax_rows = jht_tax(balance_idr, event_on, book)
    component = Component(
        "balance",
        balance_idr,
        " + ".join(["JHT.BALANCE", *(v.rule for v in versions)]),
        "; ".join(
            [
                "PP 46/2015 Pasal 22(2)-(3): the whole balance as a lump sum",
                *(v.legal_basis for v in versions),
            ]
        ),
        "provisional" if any(v.status == "provisional" for v in versions) else "confirmed",
        " ".join(v.note for v in versions if v.note),
    )
    return BenefitResult(
        "JHT", event_on, True, (component,), tax_idr=tax, notes=(_tax_note(tax_rows),)
    )


def _tax_note(rows: Sequence[Version]) -> str:
    status = "provisional" if any(r.status == "provisional" for r in rows) else "confirmed"
    return f"Tax: {rows[0].legal_basis} ({status})."


# --- JP --------------------------------------------------------------------------------------

JP_KINDS = ("old_age", "disability", "widow", "child", "parent")


def jp_benefit(
    *,
    event_on: date,
    contribution_months: int,
    average_indexed_wage_idr: int,
    kind: str = "old_age",
    density_percent: Decimal | None = None,
    accumulated_idr: int | None = None,
    book: RuleBook | None = None,
) -> BenefitResult:
    """JP first-year monthly benefit: 1 % x years x average indexed monthly wage, within the
    year's minimum and maximum (PP 45/2015 Pasal 17-18); the 15-year rule and its exceptions."""
    book = book or rule_book()
    formula = _v(book, "JP.FORMULA", event_on)
    min_months = _v(book, "JP.MIN_MONTHS", event_on)
    density_min = _v(book, "JP.DENSITY_MIN", event_on)
    limits = _v(book, "JP.LIMITS", event_on)
    needed = min_months.integer("factor")
    months = contribution_months
    versions = [formula, limits]
    reasons: list[Reason] = []
    if months < needed:
        density = density_percent if density_percent is not None else Decimal(0)
        dense = density / 100 >= density_min.decimal("rate")
        survivor_ok = kind in ("widow", "child", "parent") and months >= _v(
            book, "JP.SURVIVOR_MIN_MONTHS", event_on
        ).integer("factor")
        if (kind == "disability" and dense) or (survivor_ok and dense):
            months = needed
            versions.append(density_min)
        else:
            reasons.append(
                Reason(
                    "jp.under_15_years",
                    f"Under {needed} months of contributions ({contribution_months}): no monthly "
                    "pension; the contributions and their returns are paid as a lump sum.",
                    f"Iuran kurang dari {needed} bulan ({contribution_months}): tidak ada pensiun "
                    "bulanan; iuran beserta hasil pengembangannya dibayar sekaligus.",
                    blocking=accumulated_idr is None,
                )
            )
            if accumulated_idr is None:
                return BenefitResult("JP", event_on, False, reasons=tuple(reasons))
            return BenefitResult(
                "JP",
                event_on,
                True,
                (
                    Component.of(
                        "lump_sum",
                        accumulated_idr,
                        min_months,
                        note="Contributions plus returns, from the member's account.",
                    ),
                ),
                tuple(reasons),
            )
    raw = formula.decimal("rate") * Decimal(months) / 12 * Decimal(average_indexed_wage_idr)
    monthly = round_idr(raw)
    low, high = limits.integer("minimum_idr"), limits.integer("maximum_idr")
    note = ""
    if monthly < low:
        monthly, note = low, "Raised to the year's minimum."
    elif monthly > high:
        monthly, note = high, "Lowered to the year's maximum."
    if kind in ("widow", "child", "parent"):
        share = _v(book, f"JP.SHARE.{kind.upper()}", event_on)
        versions.append(share)
        monthly = round_idr(Decimal(monthly) * share.decimal("rate"))
    component = Component.of(f"{kind}_pension_monthly", monthly, *versions, note=note)
    return BenefitResult(
        "JP",
        event_on,
        True,
        (component,),
        tuple(reasons),
        monthly_idr=monthly,
        notes=("Indexed each later year by the previous year's inflation.",),
    )


# --- JKP -------------------------------------------------------------------------------------

JKP_REASONS = (
    "termination",
    "resignation",
    "contract_end",
    "retirement",
    "death",
    "total_disability",
)


def jkp_benefit(
    *,
    event_on: date,
    wage_idr: int,
    reason: str,
    contribution_months_last_24: int,
    consecutive_months: int,
    claimed_on: date | None = None,
    book: RuleBook | None = None,
) -> BenefitResult:
    """Job-loss cash benefit (PP 37/2021; PP 6/2025 from 7 Feb 2025)."""
    book = book or rule_book()
    claim_months = _v(book, "JKP.CLAIM_MONTHS", event_on)
    deadline = add_months(event_on, claim_months.integer("factor"))
    reasons: list[Reason] = []
    excluded = {
        "resignation": ("Resignation", "Pengunduran diri"),
        "contract_end": ("The end of a fixed-term contract", "Berakhirnya PKWT"),
        "retirement": ("Retirement", "Pensiun"),
        "death": ("Death", "Meninggal dunia"),
        "total_disability": ("Total permanent disability", "Cacat total tetap"),
    }
    if reason in excluded:
        en, id_ = excluded[reason]
        reasons.append(
            Reason(
                f"jkp.excluded_{reason}",
                f"{en} does not give a right to JKP; only a termination (PHK).",
                f"{id_} tidak memberi hak atas JKP; hanya PHK.",
            )
        )
    minimum = _v(book, "JKP.MIN_MONTHS_IN_24", event_on)
    if contribution_months_last_24 < minimum.integer("factor"):
        reasons.append(
            Reason(
                "jkp.needs_12_of_24",
                f"JKP needs {minimum.integer('factor')} months of contributions in the 24 months "
                f"before the termination ({contribution_months_last_24} paid).",
                f"JKP memerlukan iuran {minimum.integer('factor')} bulan dalam 24 bulan "
                f"sebelum PHK "
                f"({contribution_months_last_24} dibayar).",
            )
        )
    try:
        consecutive = _v(book, "JKP.MIN_CONSECUTIVE", event_on)
    except RuleNotInForce:
        consecutive = None
    if consecutive is not None and consecutive_months < consecutive.integer("factor"):
        reasons.append(
            Reason(
                "jkp.needs_6_consecutive",
                f"Before 7 Feb 2025 JKP also needs {consecutive.integer('factor')} consecutive "
                f"months paid ({consecutive_months}).",
                f"Sebelum 7 Feb 2025 JKP juga memerlukan iuran {consecutive.integer('factor')} "
                f"bulan berturut-turut ({consecutive_months}).",
                possible_from=None,
            )
        )
    if claimed_on is not None and claimed_on > deadline:
        reasons.append(
            Reason(
                "jkp.claim_deadline_passed",
                f"The claim had to be made by {deadline.isoformat()}.",
                f"Klaim harus diajukan paling lambat {deadline.isoformat()}.",
            )
        )
    if reasons:
        return BenefitResult(
            "JKP", event_on, False, reasons=tuple(reasons), claim_deadline_on=deadline
        )
    cap = _v(book, "PU.JKP.WAGE_CAP", event_on)
    basis = Decimal(min(wage_idr, cap.integer("amount_idr")))
    rows = sorted(book.table("JKP.CASH", event_on), key=lambda r: r.integer("from_month"))
    schedule = []
    for row in rows:
        for month in range(row.integer("from_month"), row.integer("to_month") + 1):
            schedule.append((month, round_idr(basis * row.decimal("rate")), row))
    first = schedule[0]
    component = Component.of(
        "cash_month_1",
        first[1],
        first[2],
        cap,
        claim_months,
        note=f"Wage basis Rp{int(basis):,} (capped at Rp{cap.integer('amount_idr'):,}).",
    )
    return BenefitResult(
        "JKP",
        event_on,
        True,
        (component,),
        monthly_idr=first[1],
        schedule=tuple((m, a) for m, a, _r in schedule),
        claim_deadline_on=deadline,
    )
