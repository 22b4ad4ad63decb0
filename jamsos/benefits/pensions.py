"""JP monthly pensions: granted when a pension claim is paid, paid each month by the payroll
run (``jamsos jp payroll --month YYYY-MM``), indexed each March.

Indexation: a pension follows the previous year's inflation each year, as the JP minimum and
maximum do (PP 45/2015 Pasal 18); the run uses the ratio of the JP minimum in force in the month
paid to the one in force when the pension was granted (``JP.LIMITS``), so no separate inflation
table is needed and the pension moves exactly as the published limits do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jamsos.accounts.models import User
from jamsos.benefits.models import Claim, Pension, PensionPayment
from jamsos.core.audit import audit_record
from jamsos.core.money import round_idr
from jamsos.ledger.models import Account, Posting, PostingKind
from jamsos.ledger.services import LegSpec, post
from jamsos.rules.calc.dates import add_months, month_start
from jamsos.rules.calc.tables import RuleBook, rule_book

PAYROLL_CHANNEL = "PENSION"


def _minimum(book: RuleBook, on: date) -> int:
    return book.version("JP.LIMITS", on).integer("minimum_idr")


def pension_grant(claim: Claim) -> Pension:
    """The pension of a paid JP claim (in the caller's transaction)."""
    book = rule_book()
    monthly = int(claim.calculation.get("monthly_idr") or claim.gross_idr)
    first = add_months(month_start(claim.event_on), 1)
    return Pension.objects.create(
        claim=claim,
        kind=claim.kind,
        first_monthly_idr=monthly,
        base_minimum_idr=_minimum(book, claim.event_on),
        first_month=first,
    )


def pension_amount(pension: Pension, month: date, book: RuleBook | None = None) -> int:
    """The pension for a month, indexed as the JP minimum has moved since it was granted."""
    book = book or rule_book()
    factor = Decimal(_minimum(book, month)) / Decimal(pension.base_minimum_idr)
    return round_idr(Decimal(pension.first_monthly_idr) * factor)


@dataclass(frozen=True)
class PayrollResult:
    month: str
    pensions: int
    total_idr: int

    def as_json(self) -> dict[str, object]:
        return {"month": self.month, "pensions": self.pensions, "total_idr": self.total_idr}


def pension_payroll_run(*, month: date, acting_user: User | None = None) -> PayrollResult:
    """Pay every pension in force for the month that is not paid yet (safe to run again)."""
    month = month_start(month)
    book = rule_book()
    label = f"{month.year}-{month.month:02d}"
    with transaction.atomic():
        due = list(
            Pension.objects.select_for_update()
            .filter(first_month__lte=month)
            .exclude(ended_on__lt=month)
            .exclude(payments__month=month)
            .order_by("pk")
        )
        if not due:
            return PayrollResult(label, 0, 0)
        amounts = [(p, pension_amount(p, month, book)) for p in due]
        total = sum(a for _p, a in amounts)
        base = (month.year * 100 + month.month) * 10_000
        runs = Posting.objects.filter(
            kind=PostingKind.PENSION_PAYROLL, source_id__gte=base, source_id__lt=base + 10_000
        ).count()
        posting = post(
            kind=PostingKind.PENSION_PAYROLL,
            source_id=base + runs + 1,
            effective_on=timezone.localdate(),
            legs=[
                LegSpec(Account.BENEFIT_EXPENSE, total),
                LegSpec(Account.CASH, -total, channel=PAYROLL_CHANNEL),
            ],
            memo=f"JP payroll {label}: {len(amounts)} pensions",
        )
        PensionPayment.objects.bulk_create(
            PensionPayment(pension=p, month=month, amount_idr=a, posting=posting)
            for p, a in amounts
        )
        result = PayrollResult(label, len(amounts), total)
        audit_record(actor=acting_user, action="jp.payroll", obj=posting, after=result.as_json())
    return result
