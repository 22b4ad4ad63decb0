"""Issuing one bill outside the monthly PU run: an informal member's payment, a project
instalment, a migrant worker's package. The monthly PU run (:mod:`.billing`) does the same
set-based.

Every bill is posted to the ledger when issued (receivable from the payer against the
programmes' contribution accounts); money the payer already has as credit is applied to it at
once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils import timezone

from jamsos.contributions.allocation import Payer, allocate
from jamsos.contributions.models import Bill, BillLine, Citation, CodeCounter
from jamsos.core.money import rate_micro
from jamsos.ledger.models import Account, PostingKind
from jamsos.ledger.services import LegSpec, post
from jamsos.rules.calc.results import Line

#: The first digit of a payment code by bill kind. PU codes start with the year (YYMM...).
CODE_PREFIX = {"bpu": "8", "jakon": "7", "pmi": "6"}
_ACCOUNTS = {a.value for a in Account}


def contribution_account(programme: str) -> str:
    """The ledger account a programme's contributions go to (``JKK+JKM`` packages: PMI)."""
    account = f"contribution:{programme}"
    return account if account in _ACCOUNTS else Account.CONTRIBUTION_PMI


def payment_code_next(kind: str) -> str:
    """The next 11-digit payment code for a member, project or package bill."""
    return CodeCounter.next_number(CODE_PREFIX[kind])


def _rate_micro(rate: Decimal | None) -> int | None:
    return None if rate is None else rate_micro(rate)


def bill_issue(
    *,
    kind: str,
    payer: Payer,
    period: str,
    due_on: date,
    lines: Sequence[Line],
    months: int = 1,
    instalment: int = 1,
    project_id: int | None = None,
    placement_id: int | None = None,
    shares: Sequence[int] | None = None,
) -> Bill:
    """Create the bill with its lines, post it and apply the payer's credit. ``shares``
    overrides each line's amount (an instalment's part). In the caller's transaction,
    holding the payer's lock."""
    amounts = list(shares) if shares is not None else [line.amount_idr for line in lines]
    now = timezone.now()
    bill = Bill.objects.create(
        kind=kind,
        employer_id=payer.employer_id,
        participant_id=payer.participant_id,
        project_id=project_id,
        placement_id=placement_id,
        period=period,
        months=months,
        instalment=instalment,
        payment_code=payment_code_next(kind),
        due_on=due_on,
        issued_at=now,
        total_idr=sum(amounts),
    )
    BillLine.objects.bulk_create(
        BillLine(
            bill=bill,
            programme=line.programme,
            payer=line.payer,
            basis_idr=line.basis_idr,
            rate_micro=_rate_micro(line.rate),
            amount_idr=amount,
            citation_id=Citation.id_for(line.rule, line.legal_basis, line.status),
            note=(line.note or "")[:200],
        )
        for line, amount in zip(lines, amounts, strict=True)
    )
    by_account: dict[str, int] = defaultdict(int)
    for line, amount in zip(lines, amounts, strict=True):
        by_account[contribution_account(line.programme)] -= amount
    post(
        kind=PostingKind.BILL,
        source_id=bill.pk,
        effective_on=now.date(),
        legs=[payer.leg(Account.RECEIVABLE, bill.total_idr)]
        + [LegSpec(account, amount) for account, amount in sorted(by_account.items())],
        memo=f"{kind} {bill.payment_code}",
    )
    allocate(payer, on=timezone.localdate())
    bill.refresh_from_db()
    return bill


def bill_cancel(bill: Bill) -> None:
    """Withdraw an unpaid payment request (member bills only): a reversing posting; the bill
    stays, marked cancelled. In the caller's transaction, holding the payer's lock."""
    legs = [
        LegSpec(leg.account, -leg.amount_idr, leg.employer_id, leg.participant_id)
        for leg in _bill_legs(bill)
    ]
    post(
        kind=PostingKind.BILL_CANCEL,
        source_id=bill.pk,
        effective_on=timezone.localdate(),
        legs=legs,
        memo=f"cancel {bill.payment_code}",
    )
    bill.cancelled_at = timezone.now()
    bill.save(update_fields=["cancelled_at"])


def _bill_legs(bill: Bill) -> list[LegSpec]:
    from jamsos.ledger.models import Leg

    return [
        LegSpec(leg.account, leg.amount_idr, leg.employer_id, leg.participant_id)
        for leg in Leg.objects.filter(posting__kind=PostingKind.BILL, posting__source_id=bill.pk)
    ]
