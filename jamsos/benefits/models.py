"""Claims for benefits: the claim and its workflow history, its documents and its payout."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsos.core.models import AppendOnlyModel


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    INCOMPLETE = "incomplete", _("Incomplete: documents missing")
    VERIFIED = "verified", _("Documents verified")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class ClaimKind(models.TextChoices):
    JHT_LEAVING_WORK = "jht_leaving_work", _("JHT: left work")
    JHT_RETIREMENT = "jht_retirement", _("JHT: retirement age")
    JHT_PARTIAL_10 = "jht_partial_10", _("JHT: 10 percent after 10 years")
    JHT_PARTIAL_30 = "jht_partial_30", _("JHT: 30 percent for housing after 10 years")
    JHT_DEATH = "jht_death", _("JHT: death (to the heirs)")
    JHT_TOTAL_DISABILITY = "jht_total_disability", _("JHT: total permanent disability")
    JHT_LEAVING_INDONESIA = "jht_leaving_indonesia", _("JHT: leaving Indonesia for good")
    JKP = "jkp", _("JKP: job loss")
    JKM = "jkm", _("JKM: death")
    JKK = "jkk", _("JKK: work accident")
    JKK_REIMBURSEMENT = "jkk_reimbursement", _("JKK: transport and home-care costs")
    JKK_STMB = "jkk_stmb", _("JKK: a month unable to work (STMB)")
    SCHOLARSHIP = "scholarship", _("Scholarship for a school year")
    JP_OLD_AGE = "jp_old_age", _("JP: old age")
    JP_DISABILITY = "jp_disability", _("JP: total disability")
    JP_SURVIVOR = "jp_survivor", _("JP: survivor (widow, child or parent)")


PROGRAMME_OF_KIND = {
    "jht_leaving_work": "JHT",
    "jht_retirement": "JHT",
    "jht_partial_10": "JHT",
    "jht_partial_30": "JHT",
    "jht_death": "JHT",
    "jht_total_disability": "JHT",
    "jht_leaving_indonesia": "JHT",
    "jkp": "JKP",
    "jkm": "JKM",
    "jkk": "JKK",
    "jkk_reimbursement": "JKK",
    "jkk_stmb": "JKK",
    "scholarship": "JKK",
    "jp_old_age": "JP",
    "jp_disability": "JP",
    "jp_survivor": "JP",
}


class Claim(models.Model):
    """One claim, decided from the records: its figures and reasons are computed by the rules
    engine from the registry and the ledger, never typed by the claimant."""

    number = models.CharField(_("claim number"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=ClaimKind.choices)
    programme = models.CharField(_("programme"), max_length=4)
    participant = models.ForeignKey(
        "registry.Participant", on_delete=models.PROTECT, related_name="claims"
    )
    employment = models.ForeignKey(
        "registry.Employment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
    )
    branch_office = models.ForeignKey(
        "registry.BranchOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event_on = models.DateField(_("event date"), help_text=_("The date that selects the rules."))
    status = models.CharField(
        _("status"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED
    )
    claimant_name = models.CharField(_("paid to"), max_length=200)
    claimant_relation = models.CharField(_("relation to the participant"), max_length=40)
    bank_code = models.CharField(_("bank"), max_length=16)
    bank_account = models.CharField(_("account number"), max_length=34)
    gross_idr = models.BigIntegerField(_("benefit"), default=0)
    tax_idr = models.BigIntegerField(_("tax withheld"), default=0)
    net_idr = models.BigIntegerField(_("paid out"), default=0)
    calculation = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    possible_from = models.DateField(_("can be filed again from"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"))
    due_on = models.DateField(_("service deadline"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    accident_report = models.ForeignKey(
        "AccidentReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text=_("The accident a JKK claim (STMB month, costs, closing) belongs to."),
    )
    period = models.DateField(_("for the month"), null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["branch_office", "status", "due_on"], name="claim_queue_idx"),
            models.Index(fields=["participant", "kind"], name="claim_participant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="claim_approver_not_verifier",
                condition=Q(approved_by__isnull=True)
                | Q(verified_by__isnull=True)
                | ~Q(approved_by=models.F("verified_by")),
            ),
            models.CheckConstraint(
                name="claim_net_is_gross_less_tax",
                condition=Q(net_idr=models.F("gross_idr") - models.F("tax_idr")),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ClaimEvent(AppendOnlyModel):
    """One step of a claim's workflow: who moved it, from what to what, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["claim", "at"], name="claim_event_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.from_status}->{self.to_status}"


class ClaimDocument(models.Model):
    """A document on a claim's checklist, stored outside the web root."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="documents")
    item = models.CharField(_("checklist item"), max_length=40)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40, help_text=_("Detected from the bytes."))
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "sha256"], name="document_once_per_claim")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.item}"


class Payout(AppendOnlyModel):
    """The payment instruction to the claimant's bank account: one per claim (a unique
    constraint), so approving twice never pays twice. Append-only: a payment instruction is
    never changed or removed."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="payout")
    amount_idr = models.BigIntegerField()
    account_name = models.CharField(max_length=200)
    bank_code = models.CharField(max_length=16)
    bank_account = models.CharField(max_length=34)
    instructed_at = models.DateTimeField()
    posting = models.ForeignKey("ledger.Posting", on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["instructed_at"], name="payout_day_idx")]
        constraints = [
            models.CheckConstraint(name="payout_positive", condition=Q(amount_idr__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.amount_idr}"


class AccidentCase(models.TextChoices):
    STMB = "stmb", _("Temporarily unable to work (STMB), recovered")
    PARTIAL = "partial_disability", _("Partial permanent disability")
    TOTAL = "total_disability", _("Total permanent disability")
    DEATH = "death", _("Death")


class AccidentReport(models.Model):
    """A work accident reported by the employer: stage I (the report, due within 2 x 24 hours)
    and stage II (the case closed with the doctor's conclusion), which files the JKK claim."""

    number = models.CharField(_("report number"), max_length=12, unique=True)
    employment = models.ForeignKey(
        "registry.Employment", on_delete=models.PROTECT, related_name="accidents"
    )
    occurred_at = models.DateTimeField(_("accident at"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what happened"))
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deadline_at = models.DateTimeField(_("report due by"), null=True, blank=True)
    late = models.BooleanField(_("reported late"), default=False)
    closed_at = models.DateTimeField(_("case closed at"), null=True, blank=True)
    case = models.CharField(_("outcome"), max_length=20, choices=AccidentCase.choices, blank=True)
    stmb_months = models.PositiveSmallIntegerField(_("months unable to work"), default=0)
    disability_percent = models.DecimalField(
        _("disability (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    claim = models.OneToOneField(
        Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="accident"
    )

    class Meta:
        indexes = [models.Index(fields=["employment", "occurred_at"], name="accident_idx")]

    def __str__(self) -> str:
        return self.number


class Pension(models.Model):
    """A JP monthly pension granted by a paid claim; the payroll pays it month by month,
    indexed each March as the year's JP limits are (both follow the previous year's inflation,
    PP 45/2015 Pasal 18)."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="pension")
    kind = models.CharField(max_length=24)
    first_monthly_idr = models.BigIntegerField(_("first monthly amount"))
    base_minimum_idr = models.BigIntegerField(
        help_text=_("The JP minimum in force when granted: the index base.")
    )
    first_month = models.DateField(_("first month"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.first_monthly_idr}"


class PensionPayment(AppendOnlyModel):
    """One month of one pension, paid by a payroll run (once: unique per pension and month)."""

    pension = models.ForeignKey(Pension, on_delete=models.PROTECT, related_name="payments")
    month = models.DateField()
    amount_idr = models.BigIntegerField()
    posting = models.ForeignKey("ledger.Posting", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pension", "month"], name="pension_paid_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.pension_id} {self.month}: {self.amount_idr}"


class Instalment(models.Model):
    """One month of a benefit paid in a schedule (JKP: six monthly payments), fixed when the
    claim is paid; the payroll run pays each in its month (once: a payment row per instalment)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    month = models.DateField()
    amount_idr = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="instalment_once"),
            models.CheckConstraint(name="instalment_positive", condition=Q(amount_idr__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} #{self.number}"


class InstalmentPayment(AppendOnlyModel):
    instalment = models.OneToOneField(Instalment, on_delete=models.PROTECT, related_name="payment")
    paid_on = models.DateField()
    posting = models.ForeignKey("ledger.Posting", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.instalment_id} {self.paid_on}"
