"""Reading bills, statements of account, arrears and members' payments, within the reader's
scope. Shared by the pages, the API and the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.accounts.access import (
    access_employer,
    bills_visible_to,
    can_member,
    employers_visible_to,
    require,
)
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.contributions.allocation import Payer, payer_credit
from jamsos.contributions.bpu import bpu_status
from jamsos.contributions.models import (
    Allocation,
    Bill,
    ChannelKind,
    FineCharge,
    JhtEntry,
    Payment,
    PaymentChannel,
)
from jamsos.core.audit import audit_reads
from jamsos.core.errors import NotFound
from jamsos.ledger.models import Account
from jamsos.ledger.services import balance
from jamsos.registry.enrolment import sponsored_workers
from jamsos.registry.models import BpuMembership, Employer, Participant, PayerType

#: Days past the due date, for the arrears report.
AGE_BUCKETS = (("d1_30", 1, 30), ("d31_60", 31, 60), ("d61_90", 61, 90), ("d91_plus", 91, None))


def access_member(user: User, kpj: str) -> Participant:
    """A participant the user may see: their own card, a member they sponsor, or one within
    an officer's scope. Otherwise :class:`NotFound` (no hint that the card exists).

    Balances, statements and cover are the person's own: an employer administrator does not
    reach them through a worker it enrolled (it sees its own employment of the worker only)."""
    participant = (
        Participant.objects.select_related("person", "branch_office").filter(kpj=kpj).first()
    )
    if participant is None:
        raise NotFound(
            f"kpj: no participant {kpj}",
            message_id=f"kpj: tidak ada peserta {kpj}",
            field="kpj",
            code="participant.not_found",
        )
    if can_member(user, participant, Action.MEMBER_READ):
        return participant
    raise NotFound(
        f"kpj: no participant {kpj}",
        message_id=f"kpj: tidak ada peserta {kpj}",
        field="kpj",
        code="participant.not_found",
    )


def sees_member_balance(user: User, participant: Participant) -> bool:
    """The person's JHT balance, cover and other cards are shown only to the person and to
    officers in scope: not to a sponsor who pays one card, nor to an employer."""
    return can_member(user, participant, Action.BALANCE_READ)


def access_member_balance(user: User, kpj: str) -> Participant:
    """A participant whose balance and cover the user may read, else :class:`NotFound`."""
    participant = access_member(user, kpj)
    if not sees_member_balance(user, participant):
        raise NotFound(
            f"kpj: no participant {kpj}",
            message_id=f"kpj: tidak ada peserta {kpj}",
            field="kpj",
            code="participant.not_found",
        )
    return participant


def own_participants(user: User) -> QuerySet[Participant]:
    return Participant.objects.filter(person__user=user).select_related("person")


def access_bill(user: User, payment_code: str) -> Bill:
    bill = (
        bills_visible_to(user)
        .select_related("employer", "participant__person", "project", "placement")
        .filter(payment_code=payment_code)
        .first()
    )
    if bill is None:
        raise NotFound(
            f"payment_code: no bill {payment_code}",
            message_id=f"payment_code: tidak ada tagihan {payment_code}",
            field="payment_code",
            code="bill.not_found",
        )
    return bill


def bill_status(bill: Bill, today: date) -> str:
    if bill.cancelled_at:
        return "cancelled"
    if bill.paid_on:
        return "paid"
    if bill.paid_idr:
        return "part_paid"
    return "overdue" if bill.due_on < today else "open"


def bill_summary(bill: Bill, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "payment_code": bill.payment_code,
        "kind": bill.kind,
        "period": bill.period,
        "months": bill.months,
        "instalment": bill.instalment,
        "due_on": bill.due_on.isoformat(),
        "issued_at": bill.issued_at.isoformat(),
        "total_idr": bill.total_idr,
        "paid_idr": bill.paid_idr,
        "outstanding_idr": bill.outstanding_idr,
        "paid_on": bill.paid_on.isoformat() if bill.paid_on else None,
        "status": bill_status(bill, today),
    }


def bill_detail(user: User, payment_code: str, *, line_limit: int = 500) -> dict[str, Any]:
    """A bill with its lines (the first ``line_limit``), adjustments, fines, and the money
    applied to it."""
    bill = access_bill(user, payment_code)
    lines = bill.lines.select_related("employment__participant__person", "citation").order_by(
        "employment_id", "programme", "payer"
    )
    return {
        **bill_summary(bill),
        "payer": _payer_label(bill),
        "line_count": lines.count(),
        "lines": [
            {
                "kpj": line.employment.participant.kpj if line.employment else None,
                "name": line.employment.participant.person.full_name if line.employment else None,
                "programme": line.programme,
                "payer": line.payer,
                "basis_idr": line.basis_idr,
                "rate": None if line.rate_micro is None else f"{line.rate_micro / 1_000_000:.6f}",
                "amount_idr": line.amount_idr,
                "rule": line.rule,
                "legal_basis": line.legal_basis,
                "status": line.status,
                "note": line.note,
            }
            for line in lines[:line_limit]
        ],
        "adjustments": [
            {
                "corrects": a.corrects.payment_code,
                "period": a.corrects.period,
                "kpj": a.employment.participant.kpj,
                "programme": a.programme,
                "payer": a.payer,
                "basis_idr": a.basis_idr,
                "billed_idr": a.billed_idr,
                "due_idr": a.due_idr,
                "amount_idr": a.amount_idr,
                "rule": a.rule,
            }
            for a in bill.adjustments.select_related("corrects", "employment__participant")
        ],
        "information": [
            {
                "programme": i.programme,
                "payer": i.payer,
                "basis_idr": i.basis_idr,
                "rate": f"{i.rate_micro / 1_000_000:.6f}",
                "amount_idr": i.amount_idr,
                "workers": i.workers,
                "rule": i.citation.rule,
                "legal_basis": i.citation.legal_basis,
                "status": i.citation.status,
                "note": i.note,
            }
            for i in bill.info_lines.select_related("citation").order_by("pk")
        ],
        "fines": [fine_json(f) for f in bill.fines.select_related("late_bill")],
        "allocations": [
            {"amount_idr": a.amount_idr, "on": a.allocated_on.isoformat()}
            for a in bill.allocations.order_by("pk")
        ],
    }


def fine_json(fine: FineCharge) -> dict[str, Any]:
    return {
        "late_bill": fine.late_bill.payment_code,
        "late_period": fine.late_bill.period,
        "due_on": fine.late_bill.due_on.isoformat(),
        "as_of": fine.as_of.isoformat(),
        "accrued_idr": fine.accrued_idr,
        "amount_idr": fine.amount_idr,
        "parts": fine.detail,
        "rule": fine.rule,
        "legal_basis": fine.legal_basis,
        "status": fine.status,
    }


def _payer_label(bill: Bill) -> str:
    """Who pays the bill: the employer (a contractor for a project), the sponsor of an informal
    member it pays for, or the member."""
    if bill.employer is not None:
        return f"{bill.employer.legal_name} ({bill.employer.npp})"
    participant = cast(Participant, bill.participant)  # the bill_payer_matches_kind constraint
    member = f"{participant.person.full_name} ({participant.kpj})"
    sponsor = sponsor_of(participant)
    if sponsor is not None:
        return _("%(sponsor)s (sponsor), for %(member)s") % {"sponsor": sponsor, "member": member}
    return member


def sponsor_of(participant: Participant) -> str | None:
    """The name of the sponsor paying for an informal member, or None."""
    membership = (
        BpuMembership.objects.filter(participant=participant, payer_type=PayerType.SPONSOR)
        .select_related("sponsor")
        .first()
    )
    return membership.sponsor.name if membership and membership.sponsor else None


def payment_ways(bill: Bill) -> list[dict[str, str]]:
    """How the bill can be paid: each active payment channel with its kind and the number the
    payer enters there (a virtual account puts its prefix before the payment code). Channels
    are data (``jamsos payments channel-add``); none while the bill is settled or cancelled."""
    if bill.cancelled_at or bill.paid_on or bill.outstanding_idr <= 0:
        return []
    order = list(ChannelKind.values)  # virtual accounts first, the counters, then e-wallets
    channels = sorted(
        PaymentChannel.objects.filter(active=True),
        key=lambda c: (order.index(c.kind) if c.kind in order else len(order), c.name, c.code),
    )
    return [
        {
            "code": c.code,
            "name": c.name,
            "kind": c.kind,
            "number": f"{c.number_prefix}{bill.payment_code}",
        }
        for c in channels
    ]


@dataclass(frozen=True)
class Statement:
    payer: str
    bills: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    fines: list[dict[str, Any]]
    outstanding_idr: int
    credit_idr: int
    receivable_in_ledger_idr: int

    def as_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _statement(payer: Payer, label: str, limit: int) -> Statement:
    today = timezone.localdate()
    bills = Bill.objects.filter(**payer.filters).order_by("-due_on", "-pk")
    fines = (
        (
            FineCharge.objects.filter(employer_id=payer.employer_id)
            if payer.employer_id
            else FineCharge.objects.none()
        )
        .select_related("late_bill")
        .annotate(paid=Coalesce(Sum("allocations__amount_idr"), 0))
    )
    fines_outstanding = 0
    fine_rows = []
    for fine in fines:
        fines_outstanding += fine.amount_idr - fine.paid
        fine_rows.append({**fine_json(fine), "paid_idr": fine.paid})
    open_total = bills.filter(cancelled_at__isnull=True).aggregate(
        t=Coalesce(Sum(F("total_idr") - F("paid_idr")), 0)
    )["t"]
    return Statement(
        payer=label,
        bills=[bill_summary(b, today) for b in bills[:limit]],
        payments=[
            {
                "channel": p.channel.code,
                "transaction_id": p.transaction_id,
                "type": p.kind,
                "payment_code": p.bill.payment_code,
                "amount_idr": p.amount_idr,
                "paid_at": p.paid_at.isoformat(),
            }
            for p in Payment.objects.filter(**payer.filters)
            .select_related("channel", "bill")
            .order_by("-paid_at", "-pk")[:limit]
        ],
        fines=fine_rows,
        outstanding_idr=int(open_total) + fines_outstanding,
        credit_idr=payer_credit(payer),
        receivable_in_ledger_idr=balance(Account.RECEIVABLE, **payer.filters),
    )


def employer_statement(user: User, employer_id: int, *, limit: int = 60) -> Statement:
    """An employer's statement of account: bills, payments, fines, what is owed and credit."""
    employer = access_employer(user, employer_id)
    return _statement(
        Payer(employer_id=employer.pk), f"{employer.legal_name} ({employer.npp})", limit
    )


def member_statement(user: User, kpj: str, *, limit: int = 60) -> dict[str, Any]:
    """A member's payments, cover and JHT balance."""
    participant = access_member(user, kpj)
    statement = _statement(
        Payer(participant_id=participant.pk),
        f"{participant.person.full_name} ({participant.kpj})",
        limit,
    )
    status = bpu_status(participant, timezone.localdate()) if participant.segment == "BPU" else None
    return {
        **statement.as_json(),
        "kpj": participant.kpj,
        "segment": participant.segment,
        "bpu_status": status.as_json() if status else None,
        "jht_balance_idr": jht_balance_read(user, participant, "statement", required=False),
    }


def jht_balance_of_person(participant: Participant) -> int:
    """JHT follows the person across cards: the sum over every card of the person (one
    statement, whatever the number of cards)."""
    entries = JhtEntry.objects.filter(participant__person_id=participant.person_id)
    return int(entries.aggregate(t=Sum("amount_idr"))["t"] or 0)


def jht_balance_read(
    user: User, participant: Participant, what: str = "jht", *, required: bool = True
) -> int | None:
    """The person's JHT balance, shown to ``user`` — the person themselves or an officer in
    scope, never the employer or sponsor who enrolled them (``None`` for them, or with
    ``required`` :class:`NotFound`). The read is recorded in the audit trail against the
    person (who looked at this person's savings, when, from where)."""
    if not sees_member_balance(user, participant):
        if required:
            raise NotFound(
                f"kpj: no participant {participant.kpj}",
                message_id=f"kpj: tidak ada peserta {participant.kpj}",
                field="kpj",
                code="participant.not_found",
            )
        return None
    balance = jht_balance_of_person(participant)
    audit_reads(
        actor=user,
        action="person.balance_read",
        objects=[participant.person],
        after={"kpj": participant.kpj, "read": what},
    )
    return balance


def arrears(
    user: User, *, branch_office_id: int | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """Employers with PU or project bills past due and not paid in full, within the user's
    scope (optionally one branch), with what is owed by days past the due date."""
    require(user, Action.ARREARS_READ, code="arrears.forbidden")
    today = today or timezone.localdate()
    employers = employers_visible_to(user)
    if branch_office_id is not None:
        employers = employers.filter(branch_office_id=branch_office_id)
    owed = F("total_idr") - F("paid_idr")
    buckets = {}
    for name, low, high in AGE_BUCKETS:
        due = Q(due_on__lte=today - timedelta(days=low))
        if high is not None:
            due &= Q(due_on__gt=today - timedelta(days=high + 1))
        buckets[name] = Coalesce(Sum(owed, filter=due), 0)
    rows: Iterable[Mapping[str, Any]] = (
        Bill.objects.filter(
            employer__in=employers.values("pk"), cancelled_at__isnull=True, due_on__lt=today
        )
        .filter(paid_idr__lt=F("total_idr"))
        .values(
            "employer_id", "employer__legal_name", "employer__npp", "employer__branch_office__code"
        )
        .annotate(bills=Count("pk"), total=Sum(owed), **buckets)
        .order_by("-total", "employer_id")
    )
    return [
        {
            "employer_id": r["employer_id"],
            "employer": r["employer__legal_name"],
            "npp": r["employer__npp"],
            "branch": r["employer__branch_office__code"],
            "bills": r["bills"],
            "total_idr": int(r["total"]),
            **{name: int(r[name]) for name, _l, _h in AGE_BUCKETS},
        }
        for r in rows
    ]


def sponsored_members(user: User) -> list[dict[str, Any]]:
    """A sponsor's workers with each one's status, cover end date and the payment codes issued
    and not yet paid (so a code asked for earlier is found again)."""
    today = timezone.localdate()
    rows = sponsored_workers(user=user)
    participants = {p.kpj: p for p in Participant.objects.filter(kpj__in=[r["kpj"] for r in rows])}
    unpaid: dict[int, list[dict[str, Any]]] = {}
    for bill in Bill.objects.filter(
        participant__in=participants.values(), cancelled_at__isnull=True, paid_on__isnull=True
    ).order_by("due_on", "pk"):
        row = {**bill_summary(bill, today), "due_date": bill.due_on}
        unpaid.setdefault(bill.participant_id, []).append(row)  # type: ignore[arg-type]
    for row in rows:
        participant = participants[row["kpj"]]
        status = bpu_status(participant, today)
        row["status"] = status.status
        row["status_label"] = status.label
        row["cover_end_on"] = status.cover_end.isoformat() if status.cover_end else None
        row["unpaid_bills"] = unpaid.get(participant.pk, [])
    return rows


def allocations_of(bill: Bill) -> QuerySet[Allocation]:
    return bill.allocations.order_by("pk")


def employer_choices(user: User) -> QuerySet[Employer]:
    return employers_visible_to(user).order_by("legal_name")
