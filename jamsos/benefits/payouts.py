"""Payouts: the payment instruction to the claimant's bank account, posted to the ledger, and
the day's export file for the bank.

One payout per claim (a unique constraint): a claim approved or paid twice, even at the same
moment, is paid once. A JHT payout reduces the member's JHT accounts (withdrawal entries, from
the person's cards in order) and withholds the tax; other programmes are a benefit expense.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jamsos.accounts.access import require_operator
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.benefits.models import Claim, Payout
from jamsos.contributions.jht import jht_balance
from jamsos.contributions.models import JhtEntry
from jamsos.core.bounds import check_date
from jamsos.core.errors import Conflict
from jamsos.core.exports import csv_text
from jamsos.ledger.models import Account, PostingKind
from jamsos.ledger.services import LegSpec, post
from jamsos.registry.models import Participant

PAYOUT_CHANNEL = "PAYOUT"


def payout_make(claim: Claim) -> Payout:
    """Instruct the payment of an approved claim (in the caller's transaction)."""
    if claim.net_idr <= 0:
        raise Conflict(
            "claim: nothing to pay",
            message_id="claim: tidak ada yang dibayar",
            code="claim.nothing_to_pay",
        )
    today = timezone.localdate()
    legs = [LegSpec(Account.CASH, -claim.net_idr, channel=PAYOUT_CHANNEL)]
    if claim.tax_idr:
        legs.append(LegSpec(Account.TAX_PAYABLE, -claim.tax_idr))
    if claim.programme == "JHT":
        legs.append(LegSpec(Account.JHT_FUND, claim.gross_idr))
    else:
        legs.append(LegSpec(Account.BENEFIT_EXPENSE, claim.gross_idr))
    try:
        with transaction.atomic():
            posting = post(
                kind=PostingKind.PAYOUT,
                source_id=claim.pk,
                effective_on=today,
                legs=legs,
                memo=f"claim {claim.number}",
            )
            payout = Payout.objects.create(
                claim=claim,
                amount_idr=claim.net_idr,
                account_name=claim.claimant_name,
                bank_code=claim.bank_code,
                bank_account=claim.bank_account,
                instructed_at=timezone.now(),
                posting=posting,
            )
            if claim.programme == "JHT":
                _withdraw(claim, posting.pk, today)
    except IntegrityError:
        raise Conflict(
            "claim: already paid", message_id="claim: sudah dibayar", code="claim.already_paid"
        ) from None
    return payout


def _withdraw(claim: Claim, posting_id: int, today: date) -> None:
    """Take the claim's gross amount from the person's JHT accounts, card by card."""
    remaining = claim.gross_idr
    entries = []
    for participant in Participant.objects.filter(person=claim.participant.person).order_by("pk"):
        available = jht_balance(participant)
        take = min(available, remaining)
        if take > 0:
            entries.append(
                JhtEntry(
                    participant=participant,
                    kind=JhtEntry.Kind.WITHDRAWAL,
                    year=today.year,
                    month=today.month,
                    amount_idr=-take,
                    posting_id=posting_id,
                    rule=claim.kind,
                )
            )
            remaining -= take
    if remaining:
        raise Conflict(
            f"claim: the JHT balance is Rp{claim.gross_idr - remaining:,}, less than the claim",
            message_id=f"claim: saldo JHT Rp{claim.gross_idr - remaining:,}, kurang dari klaim",
            code="claim.balance_changed",
        )
    JhtEntry.objects.bulk_create(entries)


def payouts_export(*, acting_user: User | None, day: date) -> str:
    """The day's payout instructions as CSV for the bank (office time zone day): claims
    officers and administrators, or the operator at the command line (``None``)."""
    require_operator(acting_user, Action.PAYOUT_EXPORT)
    check_date("day", day, "report", today=timezone.localdate())
    start = timezone.make_aware(datetime.combine(day, time.min))
    rows = (
        Payout.objects.filter(instructed_at__gte=start, instructed_at__lt=start + timedelta(days=1))
        .select_related("claim")
        .order_by("pk")
    )
    return csv_text(
        [
            ["claim", "programme", "account_name", "bank", "account", "amount_idr"],
            *(
                [
                    p.claim.number,
                    p.claim.programme,
                    p.account_name,
                    p.bank_code,
                    p.bank_account,
                    p.amount_idr,
                ]
                for p in rows
            ),
        ]
    )
