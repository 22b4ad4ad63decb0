"""The double-entry ledger: postings and their legs, written once, never changed.

A leg's amount is signed: debit positive, credit negative. The legs of one posting sum to
zero (checked in code on every database and by a statement trigger on PostgreSQL). A leg may
name the party it concerns (an employer or a participant), so balances per employer, per
member and per account are sums over legs.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsos.core.models import AppendOnlyModel


class Account(models.TextChoices):
    """The chart of accounts. ``receivable`` and ``payer_credit`` are kept per party."""

    RECEIVABLE = "receivable", _("Contributions and fines receivable")
    PAYER_CREDIT = "payer_credit", _("Payments received, not yet allocated (payer credit)")
    CASH = "cash", _("Cash at payment channels")
    CONTRIBUTION_JKK = "contribution:JKK", _("JKK contributions")
    CONTRIBUTION_JKM = "contribution:JKM", _("JKM contributions")
    CONTRIBUTION_JHT = "contribution:JHT", _("JHT contributions (until paid and credited)")
    CONTRIBUTION_JP = "contribution:JP", _("JP contributions")
    CONTRIBUTION_JKP = "contribution:JKP", _("JKP contributions")
    CONTRIBUTION_PMI = "contribution:PMI", _("Migrant worker packages (JKK and JKM)")
    FINE_INCOME = "fine_income", _("Late fines")
    JHT_FUND = "jht_fund", _("JHT member savings (sum of every JHT account)")
    JHT_RETURN = "jht_return", _("JHT returns credited")
    BENEFIT_EXPENSE = "benefit_expense", _("Benefits")
    BENEFIT_PAYABLE = "benefit_payable", _("Benefits approved, not yet paid out")
    TAX_PAYABLE = "tax_payable", _("Tax withheld on benefits, payable to the tax office")


class PostingKind(models.TextChoices):
    BILL = "bill", _("Bill issued")
    BILL_CANCEL = "bill_cancel", _("Unpaid payment request cancelled")
    FINE = "fine", _("Late fine")
    PAYMENT = "payment", _("Payment received")
    REVERSAL = "reversal", _("Payment reversed")
    ALLOCATION = "allocation", _("Payment allocated to bills and fines")
    JHT_CREDIT = "jht_credit", _("JHT contributions credited to accounts")
    JHT_RETURN = "jht_return", _("Yearly JHT return")
    PAYOUT = "payout", _("Benefit payout")
    PENSION_PAYROLL = "pension_payroll", _("Monthly benefit payroll (pensions, instalments)")
    INSTALMENT = "instalment", _("Benefit instalment")


class Posting(AppendOnlyModel):
    """One business event in the ledger. ``(kind, source_id)`` is unique, so an event
    (a bill, a payment, a year's JHT return) can be posted only once; allocations, which
    name the party as their source, are the exception."""

    kind = models.CharField(_("kind"), max_length=16, choices=PostingKind.choices)
    source_id = models.BigIntegerField(_("source id"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    effective_on = models.DateField(_("effective on"))
    posted_at = models.DateTimeField(_("posted at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_id"],
                condition=~Q(kind="allocation"),
                name="posting_once_per_source",
            )
        ]
        # SQLite cannot use the partial unique index for "kind = 'bill'": joins need this one.
        indexes = [models.Index(fields=["source_id", "kind"], name="posting_source_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id}"


class Leg(AppendOnlyModel):
    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="legs")
    account = models.CharField(_("account"), max_length=20, choices=Account.choices)
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "registry.Participant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("payment channel"), max_length=16, blank=True)
    amount_idr = models.BigIntegerField(_("amount (debit +, credit -)"))

    class Meta:
        indexes = [
            models.Index(fields=["account", "employer"], name="leg_employer_idx"),
            models.Index(fields=["account", "participant"], name="leg_participant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="leg_one_party",
                condition=Q(employer__isnull=True) | Q(participant__isnull=True),
            ),
            models.CheckConstraint(name="leg_not_zero", condition=~Q(amount_idr=0)),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_idr}"
