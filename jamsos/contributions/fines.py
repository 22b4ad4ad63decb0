"""PU late fines, charged on the next bill (PP 44/2015 and PP 46/2015; how months are counted
is project rule 4, docs/rules.md).

2 % of the unpaid contribution for each month or part of a month after the due date; flat,
not compounding, no cap. A bill paid in parts is fined part by part: each amount applied to it
counts the months late on the day it was applied, and what is still unpaid counts the months
late on the day the fine is charged. What a bill has accrued so far, less what earlier bills
already charged for it, is charged on the employer's new bill with the parts that explain it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import cast

from django.db.models import F, Max, Q, Sum

from jamsos.contributions.models import Allocation, Bill, FineCharge
from jamsos.core.money import round_idr
from jamsos.ledger.models import Account, PostingKind
from jamsos.ledger.services import Entry, LegSpec, post_many
from jamsos.rules.calc.dates import months_late
from jamsos.rules.calc.tables import RuleBook, Version, rule_book


def fine_accrued(
    bill: Bill, parts: Iterable[tuple[date, int]], as_of: date, book: RuleBook
) -> tuple[int, list[dict[str, object]], Version]:
    """The fine a PU bill has accrued by ``as_of``; the parts; the rule version used."""
    first = date(int(bill.period[:4]), int(bill.period[5:7]), 1)
    version = book.version("PU.LATE_FINE", first)
    rate = version.decimal("rate")
    detail: list[dict[str, object]] = []
    weighted = 0
    paid = 0
    for on, amount in sorted(parts):
        paid += amount
        late = months_late(bill.due_on, on)
        if late and amount:
            detail.append({"amount_idr": amount, "on": on.isoformat(), "months_late": late})
            weighted += amount * late
    unpaid = bill.total_idr - paid
    if unpaid > 0:
        late = months_late(bill.due_on, as_of)
        if late:
            detail.append(
                {
                    "amount_idr": unpaid,
                    "on": None,
                    "unpaid_on": as_of.isoformat(),
                    "months_late": late,
                }
            )
            weighted += unpaid * late
    return round_idr(Decimal(weighted) * rate), detail, version


def fines_charge(new_bills: list[Bill], *, as_of: date, book: RuleBook | None = None) -> int:
    """Charge on each new bill the fines its employer's earlier PU bills accrued; returns the
    number of fines. Runs in the caller's transaction (the billing chunk's)."""
    book = book or rule_book()
    # a PU bill always has its employer (the bill_payer_matches_kind constraint)
    by_employer = {cast(int, b.employer_id): b for b in new_bills if b.kind == "pu"}
    if not by_employer:
        return 0
    last_as_of = {
        row["late_bill"]: row["last"]
        for row in FineCharge.objects.filter(employer_id__in=by_employer)
        .values("late_bill")
        .annotate(last=Max("as_of"))
    }
    candidates = [
        b
        for b in Bill.objects.filter(
            kind="pu", employer_id__in=by_employer, due_on__lt=as_of, total_idr__gt=0
        )
        .exclude(pk__in=[b.pk for b in new_bills])
        .filter(Q(paid_on__isnull=True) | Q(paid_on__gt=F("due_on")))
        if b.paid_on is None or b.pk not in last_as_of or b.paid_on > last_as_of[b.pk]
    ]
    if not candidates:
        return 0
    parts: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for bill_id, on, amount in Allocation.objects.filter(
        bill_id__in=[b.pk for b in candidates]
    ).values_list("bill_id", "allocated_on", "amount_idr"):
        parts[bill_id].append((on, amount))
    charged = {
        row["late_bill"]: int(row["total"])
        for row in FineCharge.objects.filter(late_bill__in=candidates)
        .values("late_bill")
        .annotate(total=Sum("amount_idr"))
    }
    fines: list[FineCharge] = []
    for late in candidates:
        accrued, detail, version = fine_accrued(late, parts[late.pk], as_of, book)
        amount = accrued - charged.get(late.pk, 0)
        if amount > 0:
            fines.append(
                FineCharge(
                    bill=by_employer[cast(int, late.employer_id)],
                    late_bill=late,
                    employer_id=cast(int, late.employer_id),
                    as_of=as_of,
                    accrued_idr=accrued,
                    amount_idr=amount,
                    detail=detail,
                    rule=version.rule,
                    legal_basis=version.legal_basis,
                    status=version.status,
                )
            )
    FineCharge.objects.bulk_create(fines)
    post_many(
        [
            Entry(
                PostingKind.FINE,
                fine.pk,
                as_of,
                [
                    LegSpec(Account.RECEIVABLE, fine.amount_idr, employer_id=fine.employer_id),
                    LegSpec(Account.FINE_INCOME, -fine.amount_idr),
                ],
                f"fine for {fine.late_bill.payment_code} on {fine.bill.payment_code}",
            )
            for fine in fines
        ]
    )
    return len(fines)
