"""Deciding a claim: every refusal, multiplier and date rule, over facts fetched elsewhere.

Pure module: no Django, no I/O. ``jamsos.benefits.claims`` reads the records into a frozen
:class:`ClaimFacts` (dates, months paid, balances, claims already paid, employers in force) and
calls :func:`decide`; the workflow and persistence stay there. The calculators of
``benefits.py`` compute the amounts; this module chooses which one applies, on which date and
with which inputs.

Two helpers tell the fetching side which dates the facts are read for: :func:`event_on` (the
date that selects the rules: death, leaving work, retirement age…) and the month windows
:func:`jkp_window` and :func:`jkm_window`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from jamsos.core.errors import field_error
from jamsos.core.money import round_idr
from jamsos.rules.calc import benefits as calc
from jamsos.rules.calc.benefits import BenefitResult, Component, Reason
from jamsos.rules.calc.dates import add_months, month_start, retirement_date
from jamsos.rules.calc.tables import RuleBook

JHT_PARTIAL = ("jht_partial_10", "jht_partial_30")
JHT_EVENT_KINDS = ("jht_death", "jht_total_disability", "jht_leaving_indonesia")
JP_KINDS = ("jp_old_age", "jp_disability", "jp_survivor")
JP_SURVIVORS = ("widow", "child", "parent")

#: Heirs in the legal order (PP 44/2015 Pasal 37(5); Permenaker 44/2015 Pasal 19): a class is
#: paid only when no one of an earlier class exists, which the heir certificate shows the
#: officer. Without heirs the funeral cost goes to whoever arranged the funeral and the rest to
#: the Social Security Fund.
HEIR_ORDER = (
    ("spouse", "child"),
    ("parent", "grandparent", "grandchild"),
    ("sibling",),
    ("parent_in_law",),
    ("designated",),
    ("funeral_organiser",),
)
HEIRS = tuple(relation for group in HEIR_ORDER for relation in group)

#: Words an officer or a form gives for a relation, in Bahasa Indonesia, and the code each means.
#: A spouse is the ``widow`` of the JP survivor's pension (PP 45/2015 uses "janda/duda").
RELATION_WORDS = {
    "suami": "spouse",
    "istri": "spouse",
    "isteri": "spouse",
    "pasangan": "spouse",
    "janda": "widow",
    "duda": "widow",
    "anak": "child",
    "orang tua": "parent",
    "ayah": "parent",
    "ibu": "parent",
    "kakek": "grandparent",
    "nenek": "grandparent",
    "cucu": "grandchild",
    "saudara kandung": "sibling",
    "saudara": "sibling",
    "mertua": "parent_in_law",
    "ahli waris yang ditunjuk": "designated",
    "pihak yang ditunjuk": "designated",
    "pengurus pemakaman": "funeral_organiser",
    "peserta": "self",
    "sendiri": "self",
}


def relation_code(kind: str, relation: str) -> str:
    """The code of a relation given as a code or an Indonesian word; a spouse claiming the JP
    survivor's pension is its ``widow``. Anything else is returned as given (and refused by
    the checks that follow when it is not a relation they know).

    >>> relation_code("jkm", " Istri ")
    'spouse'
    >>> relation_code("jp_survivor", "suami")
    'widow'
    >>> relation_code("jkm", "child")
    'child'
    """
    text = " ".join(relation.lower().replace("_", " ").split())
    code = RELATION_WORDS.get(text, relation.strip())
    if kind == "jp_survivor" and code == "spouse":
        return "widow"
    return code


#: Claims the heirs make at a branch office, filed by an officer.
HEIR_KINDS = frozenset({"jkm", "jht_death", "jp_survivor", "scholarship"})


@dataclass(frozen=True)
class ClaimRequest:
    """What a claimant gives: the rest comes from the records."""

    kpj: str
    kind: str
    bank_code: str
    bank_account: str
    claimant_name: str = ""
    claimant_relation: str = "self"
    event_on: date | None = None  # JKM: the date of death; others: from the records
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class PastClaim:
    """A claim already on the records (a paid JKM or JKK, or a scholarship claimed)."""

    number: str
    programme: str
    event_on: date


@dataclass(frozen=True)
class ClaimFacts:
    """What the records say about the claimant, read for one request.

    Only the facts the kind of claim needs are read; the others keep their defaults.
    """

    birth_date: date
    segment: str = "PU"
    member_since: date | None = None  # the first employment's start
    left_work_on: date | None = None  # the last employment's end (None: none, or still working)
    exit_reason: str = ""
    membership_active: bool = False  # work or informal (BPU) cover still active today
    jht_balance_idr: int = 0
    partial_taken: bool = False  # a 10 % or 30 % JHT payment was made before
    wage_idr: int = 0  # the wage on the day the last employment ended
    jkk_paid: tuple[bool, ...] = ()  # month by month over ``jkp_window``, oldest first
    jkm_months: int = 0  # months with JKM paid over ``jkm_window``
    employers_on_event: int = 0  # employers the participant worked for on the day of death
    jp_months: int = 0  # months the employer paid JP up to the event
    jp_basis_idr: int = 0  # the JP wage basis of those months, summed
    jp_paid_idr: int = 0  # JP contributions paid (employer and worker)
    jp_span_months: int = 0  # months since JP membership began, both ends counted
    benefit_paid: PastClaim | None = None  # the first paid JKM, or JKK death or disability
    scholarships: tuple[PastClaim, ...] = ()  # scholarship claims not rejected


@dataclass(frozen=True)
class Decision:
    result: BenefitResult
    event_on: date  # the date that selected the rules


def membership_months(since: date, on: date) -> int:
    """Whole months of membership from ``since`` to ``on``: a month counts once its day is
    reached (a month after 31 January is 28 or 29 February, ``add_months``).

    >>> membership_months(date(2016, 5, 31), date(2026, 5, 1))
    119
    >>> membership_months(date(2016, 5, 31), date(2026, 5, 31))
    120
    >>> membership_months(date(2026, 1, 31), date(2026, 2, 28))
    1
    >>> membership_months(date(2026, 3, 1), date(2026, 2, 1))
    0
    """
    months = (on.year - since.year) * 12 + on.month - since.month
    if months > 0 and add_months(since, months) > on:
        months -= 1
    return max(months, 0)


def school_year(on: date) -> int:
    """The school year a date falls in, by its first calendar year (July to June).

    >>> school_year(date(2026, 6, 30)), school_year(date(2026, 7, 1))
    (2025, 2026)
    """
    return on.year if on.month >= 7 else on.year - 1


def jkp_window(left_work_on: date) -> tuple[date, date]:
    """The 24 months up to the month of the termination (PP 37/2021 Pasal 19 as amended by
    PP 6/2025): the first and the last month."""
    last = month_start(left_work_on)
    return add_months(last, -23), last


def jkm_window(died: date) -> tuple[date, date]:
    """The span the JKM contribution months are counted over: ten years up to the death."""
    return add_months(died, -120), died


def _required_date(request: ClaimRequest, on: date, en: str, id_: str) -> date:
    if request.event_on is None or request.event_on > on:
        raise field_error("event_on", en, id_)
    return request.event_on


def event_on(
    request: ClaimRequest, on: date, *, birth_date: date, left_work_on: date | None, book: RuleBook
) -> date:
    """The date that selects the rules (and that the facts are read for): retirement age for
    JHT and JP old age, leaving work, the death, disability or departure the claimant gives, or
    the day of the claim. A missing or future date is a field error."""
    kind = request.kind
    if kind == "jht_retirement" or kind == "jp_old_age":
        return retirement_date(birth_date, book)[0]
    if kind in ("jht_leaving_work", "jkp"):
        return left_work_on or on
    if kind == "jkm":
        return _required_date(
            request,
            on,
            "the date of death is required and not in the future",
            "tanggal meninggal wajib diisi dan tidak di masa depan",
        )
    if kind in JHT_EVENT_KINDS:
        return _required_date(
            request,
            on,
            "the date of the death, disability or departure is required",
            "tanggal meninggal, cacat atau keberangkatan wajib diisi",
        )
    if kind in ("jp_disability", "jp_survivor"):
        return _required_date(
            request,
            on,
            "the date of the disability or death is required",
            "tanggal cacat atau meninggal wajib diisi",
        )
    return on


def check_claimant(request: ClaimRequest) -> None:
    """An heir's claim names the heir's place in the legal order (JP survivors: ``decide``)."""
    if request.kind in HEIR_KINDS - {"jp_survivor"} and request.claimant_relation not in HEIRS:
        raise field_error(
            "claimant_relation",
            f"must be an heir in the legal order: {', '.join(HEIRS)}",
            f"harus ahli waris menurut urutan hukum: {', '.join(HEIRS)}",
        )


def refused(
    programme: str, on: date, code: str, en: str, id_: str, possible_from: date | None = None
) -> BenefitResult:
    return BenefitResult(programme, on, False, reasons=(Reason(code, en, id_, possible_from),))


def decide(facts: ClaimFacts, request: ClaimRequest, on: date, book: RuleBook) -> Decision:
    """Decide ``request`` filed on ``on`` from ``facts``: the calculator's result (eligible with
    its components, or refused with its reasons) and the date that selected the rules."""
    kind = request.kind
    when = event_on(
        request, on, birth_date=facts.birth_date, left_work_on=facts.left_work_on, book=book
    )
    if kind in JHT_PARTIAL:
        return Decision(_jht_partial(facts, kind, on, book), on)
    if kind == "jht_retirement":
        return _jht_retirement(facts, when, on, book)
    if kind == "jht_leaving_work":
        return _jht_leaving_work(facts, on, book)
    if kind == "jkp":
        return _jkp(facts, on, book)
    if kind == "jkm":
        return Decision(_jkm(facts, request, when, book), when)
    if kind in JHT_EVENT_KINDS:
        result = calc.jht_benefit(
            event_on=when,
            balance_idr=facts.jht_balance_idr,
            kind="full",
            membership_months=0,
            reason=kind.removeprefix("jht_"),
            book=book,
        )
        return Decision(result, when)
    if kind in JP_KINDS:
        return _jp(facts, request, when, on, book)
    if kind == "scholarship":
        return Decision(_scholarship(facts, request, on, book), on)
    raise field_error("kind", "is not a claim type", "bukan jenis klaim")


def _jht_partial(facts: ClaimFacts, kind: str, on: date, book: RuleBook) -> BenefitResult:
    """10 % or 30 % once, after ten years of membership (PP 46/2015 Pasal 22(4)-(6))."""
    months = 0 if facts.member_since is None else membership_months(facts.member_since, on)
    return calc.jht_benefit(
        event_on=on,
        balance_idr=facts.jht_balance_idr,
        kind=kind.removeprefix("jht_"),
        membership_months=months,
        member_since=facts.member_since,
        partial_taken_before=facts.partial_taken,
        book=book,
    )


def _jht_retirement(facts: ClaimFacts, retires_on: date, on: date, book: RuleBook) -> Decision:
    if on < retires_on:
        return Decision(
            refused(
                "JHT",
                on,
                "jht.not_retirement_age",
                f"Retirement age is reached on {retires_on.isoformat()}.",
                f"Usia pensiun dicapai pada {retires_on.isoformat()}.",
                retires_on,
            ),
            on,
        )
    result = calc.jht_benefit(
        event_on=retires_on,
        balance_idr=facts.jht_balance_idr,
        kind="full",
        membership_months=0,
        reason="retirement",
        book=book,
    )
    return Decision(result, retires_on)


def _jht_leaving_work(facts: ClaimFacts, on: date, book: RuleBook) -> Decision:
    """The whole balance after leaving work and the waiting period (PP 60/2015; Permenaker
    4/2022 Pasal 5-10), only when no other membership is active."""
    if facts.left_work_on is None:
        return Decision(
            refused(
                "JHT",
                on,
                "jht.membership_active",
                "The membership is still active: JHT is paid after leaving work.",
                "Kepesertaan masih aktif: JHT dibayarkan setelah berhenti bekerja.",
            ),
            on,
        )
    if facts.membership_active:
        return Decision(
            refused(
                "JHT",
                on,
                "jht.membership_active",
                "Another membership is still active (work or informal cover).",
                "Masih ada kepesertaan aktif lain (bekerja atau BPU).",
            ),
            on,
        )
    result = calc.jht_benefit(
        event_on=on,
        balance_idr=facts.jht_balance_idr,
        kind="full",
        membership_months=0,
        reason=facts.exit_reason,
        left_work_on=facts.left_work_on,
        book=book,
    )
    return Decision(result, facts.left_work_on)


def _jkp(facts: ClaimFacts, on: date, book: RuleBook) -> Decision:
    """Job-loss cash after a termination: months paid in the 24 before it, and before PP 6/2025
    the months paid in a row up to it (PP 37/2021 Pasal 19; PP 6/2025)."""
    end = facts.left_work_on
    if end is None:
        return Decision(
            refused(
                "JKP",
                on,
                "jkp.still_employed",
                "JKP is paid after a termination; the employment has not ended.",
                "JKP dibayarkan setelah PHK; hubungan kerja belum berakhir.",
            ),
            on,
        )
    run = 0
    for paid in reversed(facts.jkk_paid):
        if not paid:
            break
        run += 1
    result = calc.jkp_benefit(
        event_on=end,
        wage_idr=facts.wage_idr,
        reason=facts.exit_reason,
        contribution_months_last_24=sum(facts.jkk_paid),
        consecutive_months=run,
        claimed_on=on,
        book=book,
    )
    return Decision(result, end)


def _jkm(facts: ClaimFacts, request: ClaimRequest, died: date, book: RuleBook) -> BenefitResult:
    """JKM for the heirs: the lump sum and periodic benefit once for each employer in force on
    the day of death; without heirs only the funeral cost, to whoever arranged the funeral
    (PP 44/2015 Pasal 34-37 as amended by PP 82/2019)."""
    result = calc.jkm_benefit(
        event_on=died,
        contribution_months=facts.jkm_months,
        segment=facts.segment,
        children=request.children,
        book=book,
    )
    result = _per_employer(result, facts.employers_on_event)
    if request.claimant_relation == "funeral_organiser":
        result = replace(
            result,
            components=tuple(c for c in result.components if c.name == "funeral"),
            reasons=(
                *result.reasons,
                Reason(
                    "jkm.no_heirs",
                    "Without heirs the funeral cost is paid to whoever arranged the funeral; "
                    "the rest goes to the Social Security Fund.",
                    "Tanpa ahli waris biaya pemakaman dibayar kepada yang mengurus pemakaman; "
                    "selebihnya ke Dana Jaminan Sosial.",
                    blocking=False,
                ),
            ),
        )
    return result


def _per_employer(result: BenefitResult, employers: int) -> BenefitResult:
    """A worker who dies working for two employers, each paying contributions, leaves two JKM
    benefits but one funeral cost (and one set of scholarships): the death lump sum and the
    periodic benefit are counted once per employer in force on the day of death."""
    if employers < 2:
        return result
    components = []
    for component in result.components:
        if component.name in ("death_lump_sum", "periodic_benefit"):
            component = Component(
                component.name,
                component.amount_idr * employers,
                component.rule,
                component.legal_basis,
                component.status,
                f"{component.note} Once for each of the {employers} employers.".strip(),
            )
        components.append(component)
    return replace(result, components=tuple(components))


def jp_average_wage(basis_idr: int, months: int) -> int:
    """The average monthly JP wage basis of the months paid (not indexed: the agency's wage
    index is not in the rule data), rounded half up like every amount.

    >>> jp_average_wage(12_000_002, 3)
    4000001
    """
    return round_idr(Decimal(basis_idr) / months) if months else 0


def _jp(facts: ClaimFacts, request: ClaimRequest, when: date, on: date, book: RuleBook) -> Decision:
    """JP from the bills paid: months, average wage, density; under 15 years a lump sum of the
    contributions paid (PP 45/2015 Pasal 15-18; Permenaker 29/2015 Pasal 26)."""
    if request.kind == "jp_old_age":
        if on < when:
            return Decision(
                refused(
                    "JP",
                    on,
                    "jp.not_retirement_age",
                    f"Retirement age is reached on {when.isoformat()}.",
                    f"Usia pensiun dicapai pada {when.isoformat()}.",
                    when,
                ),
                on,
            )
        kind = "old_age"
    elif request.kind == "jp_disability":
        kind = "disability"
    elif request.claimant_relation in JP_SURVIVORS:
        kind = request.claimant_relation
    else:
        raise field_error(
            "claimant_relation", "must be widow, child or parent", "harus widow, child atau parent"
        )
    density = (
        Decimal(facts.jp_months * 100) / Decimal(facts.jp_span_months)
        if facts.jp_span_months
        else Decimal(0)
    )
    result = calc.jp_benefit(
        event_on=when,
        contribution_months=facts.jp_months,
        average_indexed_wage_idr=jp_average_wage(facts.jp_basis_idr, facts.jp_months),
        kind=kind,
        density_percent=density,
        accumulated_idr=facts.jp_paid_idr or None,
        book=book,
    )
    return Decision(result, when)


def _scholarship(
    facts: ClaimFacts, request: ClaimRequest, on: date, book: RuleBook
) -> BenefitResult:
    """A later school year's scholarships for the children of a participant who died or became
    totally disabled (the first year is paid with that benefit): once a school year, from the
    paid JKM or JKK claim, at the rates of the school year (PP 82/2019 Pasal 34A; Permenaker
    5/2021 Pasal 102-103)."""
    origin = facts.benefit_paid
    if origin is None:
        return refused(
            "JKM",
            on,
            "scholarship.no_benefit",
            "Scholarships follow a paid JKM, or a JKK death or total disability "
            "benefit; there is none.",
            "Beasiswa mengikuti manfaat JKM, atau JKK meninggal atau cacat total "
            "tetap, yang sudah dibayar; tidak ada.",
        )
    programme = origin.programme
    if not request.children:
        raise field_error(
            "children",
            "give each child's school level (TK, SD, SMP, SMA, PT)",
            "isi jenjang sekolah setiap anak (TK, SD, SMP, SMA, PT)",
        )
    year = school_year(on)
    if school_year(origin.event_on) == year:
        return refused(
            programme,
            on,
            "scholarship.first_year_paid",
            "This school year's scholarship was paid with the benefit.",
            "Beasiswa tahun ajaran ini sudah dibayar bersama manfaatnya.",
            date(year + 1, 7, 1),
        )
    taken = [c for c in facts.scholarships if school_year(c.event_on) == year]
    if taken:
        return refused(
            programme,
            on,
            "scholarship.once_a_year",
            f"This school year's scholarship is already claimed ({taken[0].number}).",
            f"Beasiswa tahun ajaran ini sudah diklaim ({taken[0].number}).",
            date(year + 1, 7, 1),
        )
    try:
        components, reasons = calc.scholarships(
            book, on, request.children, lump_rule="JKM.SCHOLARSHIP_LUMP"
        )
    except KeyError:
        raise field_error(
            "children",
            "a level is not TK, SD, SMP, SMA or PT",
            "jenjang bukan TK, SD, SMP, SMA atau PT",
        ) from None
    return BenefitResult(programme, on, True, tuple(components), tuple(reasons))
