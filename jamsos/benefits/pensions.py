"""Benefits paid month by month: JP pensions (granted when a pension claim is paid, indexed
each March) and scheduled instalments (JKP's six monthly payments). The payroll run
(``jamsos payroll --month YYYY-MM``) pays what is due in a month, once.

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
from jamsos.benefits.models import Claim, Instalment, InstalmentPayment, Pension, PensionPayment
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


def instalments_grant(claim: Claim) -> list[Instalment]:
    """Fix a paid claim's schedule, one instalment a month from this month, and pay the first
    (in the caller's transaction)."""
    start = month_start(timezone.localdate())
    rows = Instalment.objects.bulk_create(
        Instalment(
            claim=claim,
            number=n,
            month=add_months(start, n - 1),
            amount_idr=int(item["amount_idr"]),
        )
        for n, item in enumerate(claim.calculation["schedule"], start=1)
    )
    _pay_instalments([rows[0]], f"claim {claim.number} instalment 1", claim.pk * 100 + 1)
    return rows


def _pay_instalments(rows: list[Instalment], memo: str, source_id: int) -> int:
    total = sum(r.amount_idr for r in rows)
    posting = post(
        kind=PostingKind.PAYOUT,
        source_id=source_id,
        effective_on=timezone.localdate(),
        legs=[
            LegSpec(Account.BENEFIT_EXPENSE, total),
            LegSpec(Account.CASH, -total, channel=PAYROLL_CHANNEL),
        ],
        memo=memo,
    )
    InstalmentPayment.objects.bulk_create(
        InstalmentPayment(instalment=r, paid_on=timezone.localdate(), posting=posting) for r in rows
    )
    return total


@dataclass(frozen=True)
class PayrollResult:
    month: str
    pensions: int
    instalments: int
    total_idr: int

    def as_json(self) -> dict[str, object]:
        return {
            "month": self.month,
            "pensions": self.pensions,
            "instalments": self.instalments,
            "total_idr": self.total_idr,
        }


def pension_payroll_run(*, month: date, acting_user: User | None = None) -> PayrollResult:
    """Pay every pension in force and every instalment due in the month that is not paid yet,
    in one posting (safe to run again: what is paid is not paid twice)."""
    month = month_start(month)
    book = rule_book()
    label = f"{month.year}-{month.month:02d}"
    with transaction.atomic():
        due = list(
            Pension.objects.select_for_update(of=("self",))
            .filter(first_month__lte=month)
            .exclude(ended_on__lt=month)
            .exclude(payments__month=month)
            .order_by("pk")
        )
        instalments = list(
            Instalment.objects.select_for_update(of=("self",))
            .filter(month__lte=month, payment__isnull=True)
            .order_by("pk")
        )
        if not due and not instalments:
            return PayrollResult(label, 0, 0, 0)
        amounts = [(p, pension_amount(p, month, book)) for p in due]
        total = sum(a for _p, a in amounts) + sum(i.amount_idr for i in instalments)
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
            memo=f"payroll {label}: {len(amounts)} pensions, {len(instalments)} instalments",
        )
        PensionPayment.objects.bulk_create(
            PensionPayment(pension=p, month=month, amount_idr=a, posting=posting)
            for p, a in amounts
        )
        InstalmentPayment.objects.bulk_create(
            InstalmentPayment(instalment=i, paid_on=timezone.localdate(), posting=posting)
            for i in instalments
        )
        result = PayrollResult(label, len(amounts), len(instalments), total)
        audit_record(
            actor=acting_user, action="benefit.payroll", obj=posting, after=result.as_json()
        )
    return result
