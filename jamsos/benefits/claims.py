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

from dataclasses import replace
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jamsos.accounts.access import can, claims_visible_to, require
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.benefits.models import PROGRAMME_OF_KIND, Claim, ClaimEvent, ClaimKind, ClaimStatus
from jamsos.contributions.coverage import paid_months, person_coverage
from jamsos.contributions.selectors import access_member, jht_balance_of_person
from jamsos.core.audit import audit_record
from jamsos.core.bounds import check_date
from jamsos.core.errors import Conflict, NotFound, PermissionDenied, field_error
from jamsos.registry.employment import wage_on
from jamsos.registry.models import Employment, Participant
from jamsos.registry.projects import working_days_after
from jamsos.rules.calc import claims as rules
from jamsos.rules.calc.benefits import BenefitResult
from jamsos.rules.calc.claims import (
    HEIR_KINDS,
    ClaimFacts,
    ClaimRequest,
    PastClaim,
)
from jamsos.rules.calc.tables import RuleNotInForce, rule_book

__all__ = ["HEIR_KINDS", "ClaimRequest", "claim_facts", "claim_file", "claim_transition", "decide"]

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


def check_bank_account(bank_code: str, bank_account: str) -> None:
    """A payout needs a bank and a numeric account number."""
    if not bank_code.strip() or not (
        bank_account.strip().isascii() and bank_account.strip().isdigit()
    ):
        raise field_error(
            "bank_account",
            "a bank and a numeric account number are required",
            "bank dan nomor rekening (angka) wajib diisi",
        )


def claim_facts(
    participant: Participant, request: ClaimRequest, today: date
) -> tuple[ClaimFacts, Employment | None]:
    """Read what deciding ``request`` needs from the records (only what its kind needs), and
    the employment the claim rests on."""
    kind = request.kind
    book = rule_book()
    person = participant.person
    employment = _last_employment(participant)
    left_work_on = employment.end_on if employment is not None else None
    facts = ClaimFacts(
        birth_date=person.birth_date,
        segment=participant.segment,
        left_work_on=left_work_on,
        exit_reason=employment.exit_reason if employment is not None else "",
    )
    on = rules.event_on(
        request, today, birth_date=person.birth_date, left_work_on=left_work_on, book=book
    )
    if kind in rules.JHT_PARTIAL:
        facts = replace(
            facts,
            member_since=Employment.objects.filter(participant__person=person)
            .order_by("start_on")
            .values_list("start_on", flat=True)
            .first(),
            partial_taken=Claim.objects.filter(
                participant__person=person,
                kind__in=rules.JHT_PARTIAL,
                status=ClaimStatus.PAID,
            ).exists(),
        )
    if kind == ClaimKind.JHT_LEAVING_WORK and left_work_on is not None:
        facts = replace(facts, membership_active=_membership_active(participant, today))
    if PROGRAMME_OF_KIND.get(kind) == "JHT":
        facts = replace(facts, jht_balance_idr=jht_balance_of_person(participant))
    if kind == ClaimKind.JKP and employment is not None and left_work_on is not None:
        first, last = rules.jkp_window(left_work_on)
        facts = replace(
            facts,
            wage_idr=_wage_at(employment, left_work_on),
            jkk_paid=tuple(
                "JKK" in month.paid_programmes for month in person_coverage(person, first, last)
            ),
        )
    if kind == ClaimKind.JKM:
        first, last = rules.jkm_window(on)
        facts = replace(
            facts,
            jkm_months=paid_months(person, "JKM", first, last),
            employers_on_event=Employment.objects.filter(
                participant__person=person, start_on__lte=on
            )
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=on))
            .values("employer_id")
            .distinct()
            .count(),
        )
    if kind in rules.JP_KINDS and on <= today:
        record = jp_record(participant, on)
        facts = replace(
            facts,
            jp_months=record["months"],
            jp_basis_idr=record["basis_idr"],
            jp_paid_idr=record["contributions_idr"],
            jp_span_months=record["span_months"],
        )
    if kind == ClaimKind.SCHOLARSHIP:
        origin = (
            Claim.objects.filter(
                participant__person=person,
                status=ClaimStatus.PAID,
                kind__in=[ClaimKind.JKM, ClaimKind.JKK],
            )
            .filter(Q(kind=ClaimKind.JKM) | Q(accident__case__in=["death", "total_disability"]))
            .order_by("event_on")
            .first()
        )
        facts = replace(
            facts,
            benefit_paid=(
                None
                if origin is None
                else PastClaim(origin.number, origin.programme, origin.event_on)
            ),
            scholarships=tuple(
                PastClaim(c.number, c.programme, c.event_on)
                for c in Claim.objects.filter(
                    participant__person=person, kind=ClaimKind.SCHOLARSHIP
                )
                .exclude(status=ClaimStatus.REJECTED)
                .order_by("pk")
            ),
        )
    return facts, employment


def decide(
    participant: Participant, request: ClaimRequest, today: date
) -> tuple[BenefitResult, Employment | None, date]:
    """Decide the claim from the records (``rules.calc.claims.decide``); returns the result,
    the employment it rests on and the event date that selected the rules."""
    facts, employment = claim_facts(participant, request, today)
    decision = rules.decide(facts, request, today, rule_book())
    return decision.result, employment, decision.event_on


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
        "basis_idr": basis,
        "average_wage_idr": rules.jp_average_wage(basis, months),
        "contributions_idr": paid,
        "span_months": span,
    }


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
    # the gate before anything else: a role that files no claim is refused before the card
    # is looked up (so it learns nothing of it)
    require(
        acting_user,
        Action.CLAIM_FILE,
        code="claim.file_forbidden",
        message="Only the participant or a claims officer files a claim.",
        message_id="Hanya peserta atau petugas klaim yang mengajukan klaim.",
    )
    participant = access_member(acting_user, request.kpj)
    own = participant.person.user_id == acting_user.pk
    if not own:
        require(
            acting_user,
            Action.CLAIM_FILE_FOR_MEMBER,
            code="claim.file_forbidden",
            message="Only the participant or a claims officer files a claim.",
            message_id="Hanya peserta atau petugas klaim yang mengajukan klaim.",
        )
    if request.kind not in ClaimKind.values:
        raise field_error(
            "kind",
            f"must be one of {', '.join(ClaimKind.values)}",
            f"harus salah satu dari {', '.join(ClaimKind.values)}",
        )
    check_bank_account(request.bank_code, request.bank_account)
    if request.event_on is not None:
        check_date("event_on", request.event_on, "event", today=today)
    request = replace(
        request, claimant_relation=rules.relation_code(request.kind, request.claimant_relation)
    )
    rules.check_claimant(request)
    if request.kind in HEIR_KINDS and own:
        raise PermissionDenied(
            "A claim after a death is filed by the heir at a branch office.",
            message_id="Klaim karena kematian diajukan oleh ahli waris di kantor cabang.",
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
            # A claim for the member's own benefit is paid to the member, in their name.
            claimant_name=(
                (request.claimant_name or participant.person.full_name)
                if request.kind in HEIR_KINDS
                else participant.person.full_name
            )[:200],
            claimant_relation=(request.claimant_relation if request.kind in HEIR_KINDS else "self")[
                :40
            ],
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
        if result.eligible:
            claim_pay_straight_through(claim, today)
    return claim


def account_on_record(claim: Claim) -> bool:
    """The claim's bank account is on record for the member: an earlier claim of the same
    person, paid to the person themselves (``claimant_relation`` self), named that account and
    was verified and approved by two officers (who saw the bank book, on every checklist that
    pays to an account). A newly given account is not on record."""
    return (
        Claim.objects.filter(
            participant__person_id=claim.participant.person_id,
            claimant_relation="self",
            status__in=(ClaimStatus.APPROVED, ClaimStatus.PAID),
            verified_by__isnull=False,
            approved_by__isnull=False,
            bank_code=claim.bank_code,
            bank_account=claim.bank_account,
        )
        .exclude(pk=claim.pk)
        .exists()
    )


def straight_through_blockers(claim: Claim, today: date) -> list[str]:
    """Why a claim may not be paid without an officer (empty when it may). Straight-through
    payment is only for a small JHT balance the member filed themselves, to an account in
    their own name already on record, with every document of the checklist in place; anything
    else goes through verify and approve by two different officers."""
    from jamsos.benefits.documents import missing_documents

    blockers = []
    try:
        limit = rule_book().version("JHT.STRAIGHT_THROUGH_MAX", today).integer("amount_idr")
    except RuleNotInForce:
        limit = 0
    if claim.kind != ClaimKind.JHT_LEAVING_WORK or not 0 < claim.gross_idr <= limit:
        blockers.append("amount")
    person_user = claim.participant.person.user_id
    if person_user is None or claim.filed_by_id != person_user:
        blockers.append("filed_by_officer")
    if claim.claimant_relation != "self":
        blockers.append("claimant")
    if not account_on_record(claim):
        blockers.append("new_account")
    if missing_documents(claim):
        blockers.append("documents")
    return blockers


def claim_pay_straight_through(claim: Claim, today: date | None = None) -> bool:
    """Pay a submitted claim without an officer when nothing blocks it (in the caller's
    transaction, the claim row locked); called when it is filed and when a document is added."""
    today = today or timezone.localdate()
    if claim.status != ClaimStatus.SUBMITTED or straight_through_blockers(claim, today):
        return False
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
        "Small JHT balance the member filed, to their account on record, every document in "
        "place: paid without an officer (JHT.STRAIGHT_THROUGH_MAX).",
    )
    audit_record(
        actor=None,
        action="claim.straight_through",
        obj=claim,
        before={"status": before},
        after={"status": claim.status, "net_idr": claim.net_idr},
    )
    return True


def second_approval_needed(claim: Claim) -> bool:
    try:
        limit = rule_book().version("CLAIM.SECOND_APPROVAL_ABOVE", claim.event_on)
    except RuleNotInForce:
        return False
    return claim.net_idr > limit.integer("amount_idr")


def access_claim(user: User, number: str) -> Claim:
    claim = claims_visible_to(user).filter(number=number).first()
    if claim is None:
        raise NotFound(
            f"number: no claim {number}",
            message_id=f"number: tidak ada klaim {number}",
            field="number",
            code="claim.not_found",
        )
    return claim


def _documents_gate(claim: Claim, action: str, acting_user: User, override_reason: str) -> None:
    """Verify and approve wait for the whole checklist, unless the officer records why the
    claim may go on without the missing documents (an audited override, in the caller's
    transaction)."""
    from jamsos.benefits.documents import missing_documents

    missing = missing_documents(claim)
    if not missing:
        return
    reason = override_reason.strip()
    if not reason:
        raise Conflict(
            f"documents: the checklist is incomplete ({', '.join(missing)}); add the documents "
            "or record why the claim may go on without them",
            field="documents",
            code="claim.documents_missing",
            message_id=f"documents: daftar dokumen belum lengkap ({', '.join(missing)}); "
            "unggah dokumennya atau catat alasan klaim boleh dilanjutkan tanpanya",
        )
    _event(claim, claim.status, "override_documents", acting_user, f"{action}: {reason}")
    audit_record(
        actor=acting_user,
        action="claim.documents_override",
        obj=claim,
        after={"action": action, "missing": missing},
        reason=reason,
    )


def claim_transition(
    *, acting_user: User, number: str, action: str, note: str = "", override_reason: str = ""
) -> Claim:
    """Move a claim one step (see ``TRANSITIONS``). Verify and approve need the whole
    document checklist, or ``override_reason``; the approver is neither the verifier nor the
    officer who filed the claim."""
    access_claim(acting_user, number)  # the gate before anything else
    if action != "resubmit" and not can(acting_user, Action.CLAIM_DECIDE):
        raise PermissionDenied(
            "Only a claims or branch officer decides claims.",
            message_id="Hanya petugas klaim atau petugas cabang yang memutus klaim.",
            code="claim.forbidden",
        )
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
        if action in OFFICER_ACTIONS and not can(acting_user, Action.CLAIM_DECIDE):
            raise PermissionDenied(
                "Only a claims or branch officer decides claims.",
                message_id="Hanya petugas klaim atau petugas cabang yang memutus klaim.",
                code="claim.forbidden",
            )
        if action == "resubmit" and not (own or can(acting_user, Action.CLAIM_DECIDE)):
            raise PermissionDenied(
                "Only the claimant resubmits.",
                message_id="Hanya pengaju klaim yang mengajukan ulang.",
                code="claim.forbidden",
            )
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
        if action in ("verify", "approve"):
            _documents_gate(claim, action, acting_user, override_reason)
        if action == "verify":
            claim.verified_by = acting_user
        elif action == "approve":
            if acting_user.pk in (claim.verified_by_id, claim.filed_by_id):
                raise PermissionDenied(
                    "The approver may be neither the verifier nor the officer who filed the claim.",
                    code="claim.four_eyes",
                    message_id="Penyetuju tidak boleh pemverifikasi atau petugas yang "
                    "mengajukan klaim.",
                )
            claim.approved_by = acting_user
            claim.decided_at = timezone.now()
        elif action == "second_approve":
            if not second_approval_needed(claim) or claim.second_approved_by_id:
                raise Conflict(
                    "action: no second approval is needed",
                    message_id="action: persetujuan kedua tidak diperlukan",
                    field="action",
                    code="claim.transition",
                )
            if acting_user.pk in (claim.verified_by_id, claim.approved_by_id, claim.filed_by_id):
                raise PermissionDenied(
                    "The second approver must be a third officer.",
                    message_id="Penyetuju kedua harus petugas ketiga.",
                    code="claim.four_eyes",
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
