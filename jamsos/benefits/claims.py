"""Filing and deciding claims from the records, and moving them through the workflow.

Eligibility comes from what Jamsos already holds — the employment's end date and exit reason,
the wage history, the months paid (``contributions.coverage``), the JHT balance — and the rules
engine's calculators decide and explain. A refused claim keeps the calculator's reasons (code,
Indonesian and English message, the date it can be filed again where there is one).

Workflow (``TRANSITIONS``): submitted -> verified -> approved -> paid, or incomplete (back to
the claimant) or rejected. The approver is never the verifier (also a database constraint);
payouts above ``CLAIM.SECOND_APPROVAL_ABOVE`` need a second approver. A small JHT balance
(``JHT.STRAIGHT_THROUGH_MAX``) is paid straight through when every condition holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.benefits.models import PROGRAMME_OF_KIND, Claim, ClaimEvent, ClaimKind, ClaimStatus
from jamsos.contributions.coverage import paid_months, person_coverage
from jamsos.contributions.selectors import access_member, jht_balance_of_person
from jamsos.core.audit import audit_record
from jamsos.core.errors import Conflict, NotFound, PermissionDenied, field_error
from jamsos.registry.employment import wage_on
from jamsos.registry.models import Employment, ExitReason, Participant
from jamsos.registry.projects import working_days_after
from jamsos.rules.calc import benefits as calc
from jamsos.rules.calc.benefits import BenefitResult
from jamsos.rules.calc.dates import add_months, retirement_date
from jamsos.rules.calc.tables import RuleNotInForce, rule_book

#: action -> (statuses it may start from, the status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "verify": (frozenset({ClaimStatus.SUBMITTED}), ClaimStatus.VERIFIED),
    "incomplete": (
        frozenset({ClaimStatus.SUBMITTED, ClaimStatus.VERIFIED}),
        ClaimStatus.INCOMPLETE,
    ),
    "resubmit": (frozenset({ClaimStatus.INCOMPLETE}), ClaimStatus.SUBMITTED),
    "approve": (frozenset({ClaimStatus.VERIFIED}), ClaimStatus.APPROVED),
    "second_approve": (frozenset({ClaimStatus.APPROVED}), ClaimStatus.APPROVED),
    "pay": (frozenset({ClaimStatus.APPROVED}), ClaimStatus.PAID),
    "reject": (
        frozenset({ClaimStatus.SUBMITTED, ClaimStatus.INCOMPLETE, ClaimStatus.VERIFIED}),
        ClaimStatus.REJECTED,
    ),
}
OFFICER_ACTIONS = frozenset({"verify", "incomplete", "approve", "second_approve", "pay", "reject"})
CLAIM_OFFICERS = frozenset({Role.BRANCH_OFFICER, Role.CLAIMS_OFFICER})
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

#: Claims the heirs make at a branch office, filed by an officer.
HEIR_KINDS = frozenset(
    {ClaimKind.JKM, ClaimKind.JHT_DEATH, ClaimKind.JP_SURVIVOR, ClaimKind.SCHOLARSHIP}
)


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


def _number(prefix: str = "KL") -> str:
    """The next claim (KL) or accident report (KK) number, from a locked counter row, so two
    claims filed at the same moment never get the same number."""
    from jamsos.contributions.models import CodeCounter

    return CodeCounter.next_number(prefix)


def _last_employment(participant: Participant) -> Employment | None:
    return (
        Employment.objects.filter(participant__person=participant.person)
        .order_by("-start_on")
        .select_related("employer")
        .first()
    )


def _membership_active(participant: Participant, on: date) -> bool:
    person = participant.person
    if Employment.objects.filter(participant__person=person, end_on__isnull=True).exists():
        return True
    from jamsos.contributions.bpu import bpu_status

    bpu = Participant.objects.filter(person=person, segment="BPU").first()
    return bpu is not None and bpu_status(bpu, on).status in ("active", "grace")


def _wage_at(employment: Employment, on: date) -> int:
    record = wage_on(employment, on)
    return record.wage_idr if record else 0


def _months_paid(participant: Participant, programme: str, first: date, last: date) -> int:
    return paid_months(participant.person, programme, first, last)


def _consecutive_paid(participant: Participant, programme: str, last: date) -> int:
    months = person_coverage(participant.person, add_months(last, -23), last)
    run = 0
    for month in reversed(months):
        if programme not in month.paid_programmes:
            break
        run += 1
    return run


def check_bank_account(bank_code: str, bank_account: str) -> None:
    """A payout needs a bank and a numeric account number."""
    if not bank_code.strip() or not bank_account.strip().isdigit():
        raise field_error(
            "bank_account",
            "a bank and a numeric account number are required",
            "bank dan nomor rekening (angka) wajib diisi",
        )


def decide(
    participant: Participant, request: ClaimRequest, today: date
) -> tuple[BenefitResult, Employment | None, date]:
    """Compute the claim from the records; returns the result, the employment it rests on and
    the event date that selected the rules."""
    kind = request.kind
    book = rule_book()
    employment = _last_employment(participant)
    if kind in (ClaimKind.JHT_PARTIAL_10, ClaimKind.JHT_PARTIAL_30):
        first_start = (
            Employment.objects.filter(participant__person=participant.person)
            .order_by("start_on")
            .values_list("start_on", flat=True)
            .first()
        )
        months = (
            0
            if first_start is None
            else ((today.year - first_start.year) * 12 + today.month - first_start.month)
        )
        taken = Claim.objects.filter(
            participant__person=participant.person,
            kind__in=[ClaimKind.JHT_PARTIAL_10, ClaimKind.JHT_PARTIAL_30],
            status=ClaimStatus.PAID,
        ).exists()
        result = calc.jht_benefit(
            event_on=today,
            balance_idr=jht_balance_of_person(participant),
            kind=kind.removeprefix("jht_"),
            membership_months=months,
            partial_taken_before=taken,
            book=book,
        )
        return result, employment, today
    if kind == ClaimKind.JHT_RETIREMENT:
        retires_on, _age = retirement_date(participant.person.birth_date, book)
        if today < retires_on:
            return (
                _refused(
                    "JHT",
                    today,
                    "jht.not_retirement_age",
                    f"Retirement age is reached on {retires_on.isoformat()}.",
                    f"Usia pensiun dicapai pada {retires_on.isoformat()}.",
                    retires_on,
                ),
                employment,
                today,
            )
        result = calc.jht_benefit(
            event_on=retires_on,
            balance_idr=jht_balance_of_person(participant),
            kind="full",
            membership_months=0,
            reason="retirement",
            book=book,
        )
        return result, employment, retires_on
    if kind == ClaimKind.JHT_LEAVING_WORK:
        if employment is None or employment.end_on is None:
            return (
                _refused(
                    "JHT",
                    today,
                    "jht.membership_active",
                    "The membership is still active: JHT is paid after leaving work.",
                    "Kepesertaan masih aktif: JHT dibayarkan setelah berhenti bekerja.",
                    None,
                ),
                employment,
                today,
            )
        if _membership_active(participant, today):
            return (
                _refused(
                    "JHT",
                    today,
                    "jht.membership_active",
                    "Another membership is still active (work or informal cover).",
                    "Masih ada kepesertaan aktif lain (bekerja atau BPU).",
                    None,
                ),
                employment,
                today,
            )
        reason = employment.exit_reason
        if reason == ExitReason.CONTRACT_END:
            reason = "contract_end"
        result = calc.jht_benefit(
            event_on=today,
            balance_idr=jht_balance_of_person(participant),
            kind="full",
            membership_months=0,
            reason=reason,
            left_work_on=employment.end_on,
            book=book,
        )
        return result, employment, employment.end_on
    if kind == ClaimKind.JKP:
        if employment is None or employment.end_on is None:
            return (
                _refused(
                    "JKP",
                    today,
                    "jkp.still_employed",
                    "JKP is paid after a termination; the employment has not ended.",
                    "JKP dibayarkan setelah PHK; hubungan kerja belum berakhir.",
                    None,
                ),
                employment,
                today,
            )
        end = employment.end_on
        last = end.replace(day=1)  # the 24 months up to the month of the termination
        result = calc.jkp_benefit(
            event_on=end,
            wage_idr=_wage_at(employment, end),
            reason=employment.exit_reason,
            contribution_months_last_24=_months_paid(
                participant, "JKK", add_months(last, -23), last
            ),
            consecutive_months=_consecutive_paid(participant, "JKK", last),
            claimed_on=today,
            book=book,
        )
        return result, employment, end
    if kind == ClaimKind.JKM:
        died = request.event_on
        if died is None or died > today:
            raise field_error(
                "event_on",
                "the date of death is required and not in the future",
                "tanggal meninggal wajib diisi dan tidak di masa depan",
            )
        months = _months_paid(participant, "JKM", add_months(died, -120), died)
        result = calc.jkm_benefit(
            event_on=died,
            contribution_months=months,
            segment=participant.segment,
            children=request.children,
            book=book,
        )
        result = _jkm_per_employer(result, participant, died)
        if request.claimant_relation == "funeral_organiser" and result.eligible:
            result = replace(
                result,
                components=tuple(c for c in result.components if c.name == "funeral"),
                reasons=(
                    *result.reasons,
                    calc.Reason(
                        "jkm.no_heirs",
                        "Without heirs the funeral cost is paid to whoever arranged the funeral; "
                        "the rest goes to the Social Security Fund.",
                        "Tanpa ahli waris biaya pemakaman dibayar kepada yang mengurus pemakaman; "
                        "selebihnya ke Dana Jaminan Sosial.",
                        blocking=False,
                    ),
                ),
            )
        return result, employment, died
    if kind in (
        ClaimKind.JHT_DEATH,
        ClaimKind.JHT_TOTAL_DISABILITY,
        ClaimKind.JHT_LEAVING_INDONESIA,
    ):
        on = request.event_on
        if on is None or on > today:
            raise field_error(
                "event_on",
                "the date of the death, disability or departure is required",
                "tanggal meninggal, cacat atau keberangkatan wajib diisi",
            )
        result = calc.jht_benefit(
            event_on=on,
            balance_idr=jht_balance_of_person(participant),
            kind="full",
            membership_months=0,
            reason=kind.removeprefix("jht_"),
            book=book,
        )
        return result, employment, on
    if kind in (ClaimKind.JP_OLD_AGE, ClaimKind.JP_DISABILITY, ClaimKind.JP_SURVIVOR):
        return _decide_jp(participant, request, today, employment)
    if kind == ClaimKind.SCHOLARSHIP:
        return _decide_scholarship(participant, request, today), employment, today
    raise field_error("kind", "is not a claim type", "bukan jenis klaim")


def school_year(on: date) -> int:
    """The school year an date falls in, by its first calendar year (July to June)."""
    return on.year if on.month >= 7 else on.year - 1


def _decide_scholarship(
    participant: Participant, request: ClaimRequest, today: date
) -> BenefitResult:
    """A later school year's scholarships for the children of a participant who died or became
    totally disabled (the first year is paid with that benefit): once a school year, from the
    paid JKM or JKK claim, at the rates of the school year."""
    origin = (
        Claim.objects.filter(
            participant__person=participant.person,
            status=ClaimStatus.PAID,
            kind__in=[ClaimKind.JKM, ClaimKind.JKK],
        )
        .filter(Q(kind=ClaimKind.JKM) | Q(accident__case__in=["death", "total_disability"]))
        .order_by("event_on")
        .first()
    )
    programme = origin.programme if origin else "JKM"
    if origin is None:
        return _refused(
            programme,
            today,
            "scholarship.no_benefit",
            "Scholarships follow a paid JKM, or a JKK death or total disability "
            "benefit; there is none.",
            "Beasiswa mengikuti manfaat JKM, atau JKK meninggal atau cacat total "
            "tetap, yang sudah dibayar; tidak ada.",
            None,
        )
    if not request.children:
        raise field_error(
            "children",
            "give each child's school level (TK, SD, SMP, SMA, PT)",
            "isi jenjang sekolah setiap anak (TK, SD, SMP, SMA, PT)",
        )
    year = school_year(today)
    if school_year(origin.event_on) == year:
        return _refused(
            programme,
            today,
            "scholarship.first_year_paid",
            "This school year's scholarship was paid with the benefit.",
            "Beasiswa tahun ajaran ini sudah dibayar bersama manfaatnya.",
            date(year + 1, 7, 1),
        )
    taken = [
        c
        for c in Claim.objects.filter(
            participant__person=participant.person, kind=ClaimKind.SCHOLARSHIP
        ).exclude(status=ClaimStatus.REJECTED)
        if school_year(c.event_on) == year
    ]
    if taken:
        return _refused(
            programme,
            today,
            "scholarship.once_a_year",
            f"This school year's scholarship is already claimed ({taken[0].number}).",
            f"Beasiswa tahun ajaran ini sudah diklaim ({taken[0].number}).",
            date(year + 1, 7, 1),
        )
    book = rule_book()
    try:
        components, reasons = calc.scholarships(
            book, today, request.children, lump_rule="JKM.SCHOLARSHIP_LUMP"
        )
    except KeyError:
        raise field_error(
            "children",
            "a level is not TK, SD, SMP, SMA or PT",
            "jenjang bukan TK, SD, SMP, SMA atau PT",
        ) from None
    return BenefitResult(programme, today, True, tuple(components), tuple(reasons))


def _jkm_per_employer(result: BenefitResult, participant: Participant, died: date) -> BenefitResult:
    """A worker who dies working for two employers, each paying contributions, leaves two
    JKM benefits but one funeral cost (and one set of scholarships): the death lump sum and the
    periodic benefit are counted once per employer in force on the day of death."""
    if not result.eligible:
        return result
    employers = (
        Employment.objects.filter(participant__person=participant.person, start_on__lte=died)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=died))
        .values("employer_id")
        .distinct()
        .count()
    )
    if employers < 2:
        return result
    components = []
    for component in result.components:
        if component.name in ("death_lump_sum", "periodic_benefit"):
            component = calc.Component(
                component.name,
                component.amount_idr * employers,
                component.rule,
                component.legal_basis,
                component.status,
                f"{component.note} Once for each of the {employers} employers.".strip(),
            )
        components.append(component)
    return replace(result, components=tuple(components))


def jp_record(participant: Participant, until: date) -> dict[str, int]:
    """From the bills: JP months paid, the average JP wage basis of those months, the JP
    contributions paid (employer and worker) and the months since JP membership began."""
    from django.db.models import Sum

    from jamsos.contributions.models import BillLine

    lines = BillLine.objects.filter(
        employment__participant__person=participant.person,
        programme="JP",
        bill__kind="pu",
        bill__paid_on__isnull=False,
        bill__period__lte=f"{until.year}-{until.month:02d}",
    )
    employer = lines.filter(payer="employer")
    months = employer.values("bill__period").distinct().count()
    basis = int(employer.aggregate(t=Sum("basis_idr"))["t"] or 0)
    paid = int(lines.aggregate(t=Sum("amount_idr"))["t"] or 0)
    first = employer.order_by("bill__period").values_list("bill__period", flat=True).first()
    span = 0
    if first:
        span = (until.year - int(first[:4])) * 12 + until.month - int(first[5:7]) + 1
    return {
        "months": months,
        "average_wage_idr": basis // months if months else 0,
        "contributions_idr": paid,
        "span_months": span,
    }


def _decide_jp(
    participant: Participant, request: ClaimRequest, today: date, employment: Employment | None
) -> tuple[BenefitResult, Employment | None, date]:
    """JP from the bills paid: months, average wage (not indexed: the agency's wage index is
    not in the rule data), density; under 15 years a lump sum of the contributions paid."""
    book = rule_book()
    if request.kind == ClaimKind.JP_OLD_AGE:
        event_on, _age = retirement_date(participant.person.birth_date, book)
        if today < event_on:
            return (
                _refused(
                    "JP",
                    today,
                    "jp.not_retirement_age",
                    f"Retirement age is reached on {event_on.isoformat()}.",
                    f"Usia pensiun dicapai pada {event_on.isoformat()}.",
                    event_on,
                ),
                employment,
                today,
            )
        kind = "old_age"
    else:
        if request.event_on is None or request.event_on > today:
            raise field_error(
                "event_on",
                "the date of the disability or death is required",
                "tanggal cacat atau meninggal wajib diisi",
            )
        event_on = request.event_on
        kind = (
            "disability"
            if request.kind == ClaimKind.JP_DISABILITY
            else (
                request.claimant_relation
                if request.claimant_relation in ("widow", "child", "parent")
                else ""
            )
        )
        if not kind:
            raise field_error(
                "claimant_relation",
                "must be widow, child or parent",
                "harus widow, child atau parent",
            )
    record = jp_record(participant, event_on)
    density = (
        Decimal(record["months"] * 100) / Decimal(record["span_months"])
        if record["span_months"]
        else Decimal(0)
    )
    result = calc.jp_benefit(
        event_on=event_on,
        contribution_months=record["months"],
        average_indexed_wage_idr=record["average_wage_idr"],
        kind=kind,
        density_percent=density,
        accumulated_idr=record["contributions_idr"] or None,
        book=book,
    )
    return result, employment, event_on


def _refused(
    programme: str, on: date, code: str, en: str, id_: str, possible_from: date | None
) -> BenefitResult:
    return BenefitResult(programme, on, False, reasons=(calc.Reason(code, en, id_, possible_from),))


def _event(claim: Claim, before: str, action: str, actor: User | None, note: str = "") -> None:
    ClaimEvent.objects.create(
        claim=claim,
        from_status=before,
        to_status=claim.status,
        action=action,
        actor=actor,
        at=timezone.now(),
        note=note[:2000],
    )


def _sla_due(programme: str, on: date) -> date | None:
    try:
        days = rule_book().version(f"CLAIM.SLA_WORKING_DAYS.{programme}", on).integer("factor")
    except RuleNotInForce:
        return None
    return working_days_after(on, days)


def claim_file(*, acting_user: User, request: ClaimRequest, today: date | None = None) -> Claim:
    """File a claim. It is decided from the records at once: a refused claim is stored as
    rejected with its reasons; an eligible one waits for the branch (or, for a small JHT
    balance, is paid straight through)."""
    today = today or timezone.localdate()
    if request.kind not in ClaimKind.values:
        raise field_error(
            "kind",
            f"must be one of {', '.join(ClaimKind.values)}",
            f"harus salah satu dari {', '.join(ClaimKind.values)}",
        )
    check_bank_account(request.bank_code, request.bank_account)
    participant = access_member(acting_user, request.kpj)
    own = participant.person.user_id == acting_user.pk
    if not own and acting_user.role not in CLAIM_OFFICERS:
        raise PermissionDenied(
            "Only the participant or a claims officer files a claim.", code="claim.file_forbidden"
        )
    heir_claim = request.kind in HEIR_KINDS and request.kind != ClaimKind.JP_SURVIVOR
    if heir_claim and request.claimant_relation not in HEIRS:
        raise field_error(
            "claimant_relation",
            f"must be an heir in the legal order: {', '.join(HEIRS)}",
            f"harus ahli waris menurut urutan hukum: {', '.join(HEIRS)}",
        )
    if request.kind in HEIR_KINDS and own:
        raise PermissionDenied(
            "A claim after a death is filed by the heir at a branch office.",
            code="claim.file_forbidden",
        )
    result, employment, event_on = decide(participant, request, today)
    programme = (
        result.programme
        if request.kind == ClaimKind.SCHOLARSHIP
        else PROGRAMME_OF_KIND[request.kind]
    )
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        open_claim = Claim.objects.filter(
            participant__person=participant.person,
            kind=request.kind,
            status__in=[
                ClaimStatus.SUBMITTED,
                ClaimStatus.INCOMPLETE,
                ClaimStatus.VERIFIED,
                ClaimStatus.APPROVED,
            ],
        ).first()
        if open_claim is not None:
            raise Conflict(
                f"kind: claim {open_claim.number} is already being handled",
                field="kind",
                code="claim.open",
                message_id=f"kind: klaim {open_claim.number} sedang diproses",
            )
        blocking = [r for r in result.reasons if r.blocking]
        gross = result.total_idr if result.eligible else 0
        if result.eligible and result.schedule:  # the whole schedule (JKP: paid month by month)
            gross = sum(amount for _month, amount in result.schedule)
        tax = (result.tax_idr or 0) if result.eligible else 0
        claim = Claim.objects.create(
            number=_number(),
            kind=request.kind,
            programme=programme,
            participant=participant,
            employment=employment,
            branch_office=participant.branch_office,
            event_on=event_on,
            status=ClaimStatus.SUBMITTED if result.eligible else ClaimStatus.REJECTED,
            claimant_name=(request.claimant_name or participant.person.full_name)[:200],
            claimant_relation=request.claimant_relation[:40],
            bank_code=request.bank_code.strip()[:16],
            bank_account=request.bank_account.strip()[:34],
            gross_idr=gross,
            tax_idr=tax,
            net_idr=gross - tax,
            calculation=result.as_json(),
            reasons=[r.as_json() for r in result.reasons],
            possible_from=next((r.possible_from for r in blocking if r.possible_from), None),
            filed_by=acting_user,
            filed_at=timezone.now(),
            due_on=_sla_due(programme, today) if result.eligible else None,
            decided_at=None if result.eligible else timezone.now(),
        )
        _event(
            claim,
            "",
            "file",
            acting_user,
            "; ".join(r.message_en for r in blocking) if blocking else "",
        )
        audit_record(
            actor=acting_user,
            action="claim.file",
            obj=claim,
            after={
                "number": claim.number,
                "kind": claim.kind,
                "status": claim.status,
                "gross_idr": gross,
            },
        )
        if result.eligible and programme == "JHT" and _straight_through(claim, today):
            from jamsos.benefits.payouts import payout_make

            before = claim.status
            claim.status = ClaimStatus.PAID
            claim.decided_at = timezone.now()
            claim.save(update_fields=["status", "decided_at"])
            payout_make(claim)
            _event(
                claim,
                before,
                "straight_through",
                None,
                "Small JHT balance paid without an officer (JHT.STRAIGHT_THROUGH_MAX).",
            )
    return claim


def _straight_through(claim: Claim, today: date) -> bool:
    try:
        limit = rule_book().version("JHT.STRAIGHT_THROUGH_MAX", today).integer("amount_idr")
    except RuleNotInForce:
        return False
    return claim.kind == ClaimKind.JHT_LEAVING_WORK and 0 < claim.gross_idr <= limit


def second_approval_needed(claim: Claim) -> bool:
    try:
        limit = rule_book().version("CLAIM.SECOND_APPROVAL_ABOVE", claim.event_on)
    except RuleNotInForce:
        return False
    return claim.net_idr > limit.integer("amount_idr")


def claims_visible_to(user: User) -> Any:
    qs = Claim.objects.select_related("participant__person", "branch_office")
    if user.role == Role.PARTICIPANT:
        return qs.filter(participant__person__user=user)
    if user.role == Role.BRANCH_OFFICER:
        return qs.filter(branch_office_id=user.branch_office_id)
    if user.role == Role.REGIONAL_HEAD:
        return qs.filter(branch_office__regional_office_id=user.regional_office_id)
    if user.role in (Role.CLAIMS_OFFICER, Role.AUDITOR, Role.SYSTEM_ADMIN):
        return qs
    return qs.none()


def access_claim(user: User, number: str) -> Claim:
    claim = claims_visible_to(user).filter(number=number).first()
    if claim is None:
        raise NotFound(f"number: no claim {number}", field="number", code="claim.not_found")
    return claim


def claim_transition(*, acting_user: User, number: str, action: str, note: str = "") -> Claim:
    """Move a claim one step (see ``TRANSITIONS``)."""
    if action not in TRANSITIONS:
        raise field_error(
            "action",
            f"must be one of {', '.join(TRANSITIONS)}",
            f"harus salah satu dari {', '.join(TRANSITIONS)}",
        )
    with transaction.atomic():
        claim = access_claim(acting_user, number)
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        own = claim.participant.person.user_id == acting_user.pk
        if action in OFFICER_ACTIONS and acting_user.role not in CLAIM_OFFICERS:
            raise PermissionDenied(
                "Only a claims or branch officer decides claims.", code="claim.forbidden"
            )
        if action == "resubmit" and not (own or acting_user.role in CLAIM_OFFICERS):
            raise PermissionDenied("Only the claimant resubmits.", code="claim.forbidden")
        starts, target = TRANSITIONS[action]
        if claim.status not in starts:
            if action == "pay" and claim.status == ClaimStatus.PAID:
                return claim  # paying twice changes nothing
            raise Conflict(
                f"action: a {claim.status} claim cannot be '{action}'",
                field="action",
                code="claim.transition",
                message_id=f"action: klaim berstatus {claim.status} tidak dapat '{action}'",
            )
        if action in ("incomplete", "reject") and not note.strip():
            raise field_error(
                "note",
                "say what is missing or why",
                "sebutkan kekurangan atau alasannya",
                code="required",
            )
        before = claim.status
        if action == "verify":
            claim.verified_by = acting_user
        elif action == "approve":
            if claim.verified_by_id == acting_user.pk:
                raise PermissionDenied(
                    "The approver may not be the verifier of the claim.", code="claim.four_eyes"
                )
            claim.approved_by = acting_user
            claim.decided_at = timezone.now()
        elif action == "second_approve":
            if not second_approval_needed(claim) or claim.second_approved_by_id:
                raise Conflict(
                    "action: no second approval is needed", field="action", code="claim.transition"
                )
            if acting_user.pk in (claim.verified_by_id, claim.approved_by_id):
                raise PermissionDenied(
                    "The second approver must be a third officer.", code="claim.four_eyes"
                )
            claim.second_approved_by = acting_user
        elif action == "pay":
            if second_approval_needed(claim) and not claim.second_approved_by_id:
                raise Conflict(
                    "action: this payout needs a second approval first",
                    field="action",
                    code="claim.second_approval_needed",
                    message_id="action: pembayaran ini memerlukan persetujuan kedua",
                )
        elif action == "reject":
            claim.decided_at = timezone.now()
            claim.reasons = [
                *claim.reasons,
                {
                    "code": "claim.rejected_by_officer",
                    "message_en": note,
                    "message_id": note,
                    "possible_from": None,
                    "blocking": True,
                },
            ]
        claim.status = target
        claim.save()
        if action == "pay":
            if claim.programme == "JP" and claim.calculation.get("monthly_idr"):
                from jamsos.benefits.pensions import pension_grant

                pension_grant(claim)  # paid month by month by the payroll run
            elif claim.programme == "JKP":
                from jamsos.benefits.pensions import instalments_grant

                instalments_grant(claim)  # the first now, the others by the payroll run
            else:
                from jamsos.benefits.payouts import payout_make

                payout_make(claim)
        _event(claim, before, action, acting_user, note)
        audit_record(
            actor=acting_user,
            action=f"claim.{action}",
            obj=claim,
            before={"status": before},
            after={"status": claim.status},
            reason=note,
        )
    return claim
