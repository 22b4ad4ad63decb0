"""Late wage corrections: a wage reported or approved after a month was billed is settled on
the employer's next bill as an adjustment (a debit when the wage went up, a credit when it went
down). An issued bill never changes.

For each new PU bill, the wage records of its employer reported or approved since the
employer's previous bill was issued are looked at (indexed by those times); for every earlier
bill whose month they reach, each line of the worker is computed again with that month's rate
card and the wage now in force at the month's end, and the difference from what was billed
(and already adjusted) becomes an adjustment. Running it again finds nothing left to adjust.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Max, Q, Sum
from django.db.models.functions import Coalesce

from jamsos.contributions.models import Bill, BillAdjustment, BillLine, RateCard
from jamsos.core.money import micro_amount
from jamsos.registry.employment import wage_on
from jamsos.registry.models import Employer, Employment, WageRecord, WageStatus
from jamsos.registry.services import employer_risk_class_on
from jamsos.rules.calc.dates import period as period_of


def _period_last(period: str) -> date:
    from jamsos.contributions.billing import period_bounds

    return period_bounds(period)[1]


def adjustments_make(new_bills: list[Bill]) -> list[BillAdjustment]:
    """Write the adjustments for late wage corrections onto the new bills (in the caller's
    transaction) and return them; the caller adds them to the bills' totals."""
    by_employer = {b.employer_id: b for b in new_bills if b.kind == "pu"}
    if not by_employer:
        return []
    previous = dict(
        Bill.objects.filter(kind="pu", employer_id__in=list(by_employer))
        .exclude(run_id=new_bills[0].run_id)
        .values("employer_id")
        .annotate(last=Max("issued_at"))
        .values_list("employer_id", "last")
    )
    if not previous:
        return []
    since = min(previous.values())
    changes = [
        (employment_id, employer_id, effective_from, changed)
        for employment_id, employer_id, effective_from, changed in WageRecord.objects.filter(
            employment__employer_id__in=list(previous), status=WageStatus.APPROVED
        )
        .filter(Q(reported_at__gt=since) | Q(approved_at__gt=since))
        .annotate(changed=Coalesce("approved_at", "reported_at"))
        .values_list("employment_id", "employment__employer_id", "effective_from", "changed")
        if changed > previous[employer_id]
    ]
    pairs: set[tuple[int, int]] = set()  # (old bill, employment)
    for employment_id, employer_id, effective_from, changed in changes:
        for old_id in (
            Bill.objects.filter(
                kind="pu",
                employer_id=employer_id,
                period__gte=period_of(effective_from),
                issued_at__lt=changed,
            )
            .exclude(pk=by_employer[employer_id].pk)
            .values_list("pk", flat=True)
        ):
            pairs.add((old_id, employment_id))
    if not pairs:
        return []
    made: list[BillAdjustment] = []
    bills = Bill.objects.in_bulk({old for old, _e in pairs})
    employers = Employer.objects.in_bulk({b.employer_id for b in bills.values()})
    for old_id, employment_id in sorted(pairs):
        old = bills[old_id]
        employer = employers[old.employer_id]
        first = date(int(old.period[:4]), int(old.period[5:7]), 1)
        record = wage_on(Employment(pk=employment_id), _period_last(old.period))
        wage = record.wage_idr if record else None
        risk = employer_risk_class_on(employer, first)
        if wage is None or risk is None:
            continue
        billed: dict[tuple[str, str], int] = defaultdict(int)
        for programme, payer, amount in BillLine.objects.filter(
            bill=old, employment_id=employment_id
        ).values_list("programme", "payer", "amount_idr"):
            billed[(programme, payer)] += amount
        for row in (
            BillAdjustment.objects.filter(corrects=old, employment_id=employment_id)
            .values("programme", "payer")
            .annotate(total=Sum("amount_idr"))
        ):
            billed[(row["programme"], row["payer"])] += int(row["total"])
        cards = RateCard.objects.filter(
            period=old.period,
            size=employer.size,
            risk_class=risk,
            labour_intensive=employer.labour_intensive,
        )
        for card in cards:
            basis = min(wage, card.cap_idr) if card.capped and card.cap_idr else wage
            due = micro_amount(basis, card.rate_micro)
            before = billed.get((card.programme, card.payer), 0)
            if due == before:
                continue
            made.append(
                BillAdjustment.objects.create(
                    bill=by_employer[old.employer_id],
                    corrects=old,
                    employment_id=employment_id,
                    programme=card.programme,
                    payer=card.payer,
                    basis_idr=basis,
                    billed_idr=before,
                    due_idr=due,
                    amount_idr=due - before,
                    rule=card.rule,
                    legal_basis=card.legal_basis,
                )
            )
    return made
