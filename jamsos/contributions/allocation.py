"""Applying a payer's money to what it owes, and what a bill paid in full sets off.

A payment is first the payer's credit (ledger ``payer_credit``, per employer or participant).
:func:`allocate` applies that credit to the payer's unpaid bills, oldest due date first, then
to its fines, oldest first; what is left waits as credit for the next bill. After a reversal
the credit can be negative: the newest allocations are then taken back (fines first, then
bills) until it is not.

A bill paid in full credits the JHT lines to each worker's JHT account and, for an informal
member, decides the months it covers (:mod:`jamsos.contributions.bpu`). A bill that a reversal
leaves unpaid takes both back.

Callers hold the payer's row lock (:func:`lock_payer`) inside their transaction, so two
payments of one payer are applied one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from jamsos.contributions.models import (
    Allocation,
    Bill,
    BillAdjustment,
    BillLine,
    FineCharge,
    JhtEntry,
)
from jamsos.ledger.models import Account, PostingKind
from jamsos.ledger.services import LegSpec, balance, post
from jamsos.registry.models import Employer, Participant


@dataclass(frozen=True)
class Payer:
    """An employer (PU and Jakon bills) or a participant (BPU and PMI bills)."""

    employer_id: int | None = None
    participant_id: int | None = None

    @classmethod
    def of(cls, bill: Bill) -> Payer:
        return cls(employer_id=bill.employer_id, participant_id=bill.participant_id)

    @property
    def filters(self) -> dict[str, int | None]:
        if self.employer_id is not None:
            return {"employer_id": self.employer_id}
        return {"participant_id": self.participant_id}

    def leg(self, account: str, amount_idr: int) -> LegSpec:
        return LegSpec(
            account, amount_idr, employer_id=self.employer_id, participant_id=self.participant_id
        )


def lock_payer(payer: Payer) -> None:
    """Lock the payer's row until the transaction ends (serialises its money movements)."""
    if payer.employer_id is not None:
        Employer.objects.select_for_update().filter(pk=payer.employer_id).first()
    else:
        # a payer is one or the other (Payer.of, the bill_payer_matches_kind constraint)
        participant_id = cast(int, payer.participant_id)
        Participant.objects.select_for_update().filter(pk=participant_id).first()


def payer_credit(payer: Payer) -> int:
    """Money received from the payer and not yet applied (the ledger's payer credit)."""
    return -balance(Account.PAYER_CREDIT, **payer.filters)  # a liability: credit balance


def _fines_outstanding(payer: Payer) -> list[tuple[FineCharge, int]]:
    if payer.employer_id is None:
        return []
    fines = (
        FineCharge.objects.filter(employer_id=payer.employer_id)
        .annotate(paid=Coalesce(Sum("allocations__amount_idr"), 0))
        .order_by("pk")
    )
    return [(f, f.amount_idr - f.paid) for f in fines]


def allocate(payer: Payer, *, on: date) -> int:
    """Apply the payer's credit (or take back allocations if it is negative); returns the
    net amount applied. Must run in the caller's transaction, holding :func:`lock_payer`."""
    available = payer_credit(payer)
    if available < 0:
        return -_take_back(payer, -available, on=on)
    if available == 0:
        return 0
    targets: list[tuple[Bill | None, FineCharge | None, int]] = []
    bills = (
        Bill.objects.filter(**payer.filters, cancelled_at__isnull=True)
        .filter(paid_idr__lt=F("total_idr"))
        .order_by("due_on", "pk")
    )
    for bill in bills:
        if available == 0:
            break
        amount = min(available, bill.total_idr - bill.paid_idr)
        targets.append((bill, None, amount))
        available -= amount
    for fine, outstanding in _fines_outstanding(payer):
        if available == 0:
            break
        if outstanding > 0:
            amount = min(available, outstanding)
            targets.append((None, fine, amount))
            available -= amount
    return _write(payer, targets, on=on)


def _take_back(payer: Payer, shortfall: int, *, on: date) -> int:
    targets: list[tuple[Bill | None, FineCharge | None, int]] = []
    for fine, outstanding in reversed(_fines_outstanding(payer)):
        paid = fine.amount_idr - outstanding
        if shortfall and paid > 0:
            amount = min(shortfall, paid)
            targets.append((None, fine, -amount))
            shortfall -= amount
    bills = Bill.objects.filter(**payer.filters, paid_idr__gt=0).order_by("-due_on", "-pk")
    for bill in bills:
        if shortfall == 0:
            break
        amount = min(shortfall, bill.paid_idr)
        targets.append((bill, None, -amount))
        shortfall -= amount
    return -_write(payer, targets, on=on)


def _write(
    payer: Payer, targets: list[tuple[Bill | None, FineCharge | None, int]], *, on: date
) -> int:
    if not targets:
        return 0
    total = sum(amount for _b, _f, amount in targets)
    posting = post(
        kind=PostingKind.ALLOCATION,
        source_id=payer.employer_id or payer.participant_id or 0,
        effective_on=on,
        legs=[payer.leg(Account.PAYER_CREDIT, total), payer.leg(Account.RECEIVABLE, -total)],
        memo=f"{len(targets)} item(s)",
    )
    for bill, fine, amount in targets:
        allocation = Allocation.objects.create(
            employer_id=payer.employer_id,
            participant_id=payer.participant_id,
            bill=bill,
            fine=fine,
            amount_idr=amount,
            allocated_on=on,
            posting=posting,
        )
        if bill is None:
            continue
        was_paid = bill.paid_on is not None
        bill.paid_idr += amount
        bill.paid_on = (bill.paid_on or on) if bill.paid_idr >= bill.total_idr else None
        bill.save(update_fields=["paid_idr", "paid_on"])
        if bill.paid_on and not was_paid:
            _bill_paid(bill, allocation)
        elif was_paid and not bill.paid_on:
            _bill_unpaid(bill, allocation)
    return total


def _jht_by_participant(bill: Bill) -> dict[int, int]:
    """The JHT contribution of each worker on a bill: its lines plus its adjustments."""
    amounts: dict[int, int] = {}
    if bill.kind == "pu":
        lines = (
            BillLine.objects.filter(bill=bill, programme="JHT")
            .values("employment__participant_id")
            .annotate(total=Sum("amount_idr"))
        )
        adjustments = (
            BillAdjustment.objects.filter(bill=bill, programme="JHT")
            .values("employment__participant_id")
            .annotate(total=Sum("amount_idr"))
        )
        for row in [*lines, *adjustments]:
            pid = row["employment__participant_id"]
            amounts[pid] = amounts.get(pid, 0) + int(row["total"])
    elif bill.participant_id is not None:
        total = BillLine.objects.filter(bill=bill, programme="JHT").aggregate(t=Sum("amount_idr"))
        if total["t"]:
            amounts[bill.participant_id] = int(total["t"])
    return {pid: amount for pid, amount in amounts.items() if amount}


def _jht_post(bill: Bill, allocation: Allocation, amounts: dict[int, int], kind: str) -> None:
    total = sum(amounts.values())
    if not total:
        return
    posting = post(
        kind=PostingKind.JHT_CREDIT,
        source_id=allocation.pk,
        effective_on=allocation.allocated_on,
        legs=[
            LegSpec(Account.CONTRIBUTION_JHT, total),
            LegSpec(Account.JHT_FUND, -total),
        ],
        memo=f"bill {bill.payment_code} {kind}",
    )
    on = allocation.allocated_on
    JhtEntry.objects.bulk_create(
        JhtEntry(
            participant_id=pid,
            kind=kind,
            year=on.year,
            month=on.month,
            period=bill.period,
            amount_idr=amount,
            bill=bill,
            posting=posting,
        )
        for pid, amount in sorted(amounts.items())
    )


def _bill_paid(bill: Bill, allocation: Allocation) -> None:
    _jht_post(bill, allocation, _jht_by_participant(bill), JhtEntry.Kind.CONTRIBUTION)
    if bill.kind == "bpu":
        from jamsos.contributions.bpu import cover_grant

        cover_grant(bill, paid_on=allocation.allocated_on)


def _bill_unpaid(bill: Bill, allocation: Allocation) -> None:
    credited = (
        JhtEntry.objects.filter(bill=bill, kind__in=["contribution", "reversal"])
        .values("participant_id")
        .annotate(total=Sum("amount_idr"))
    )
    amounts = {r["participant_id"]: -int(r["total"]) for r in credited if r["total"]}
    _jht_post(bill, allocation, amounts, JhtEntry.Kind.REVERSAL)
    if bill.kind == "bpu":
        bill.bpu_covers.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
