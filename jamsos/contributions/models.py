"""Monthly PU bills: the rate card a period used, the bills, and their lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsos.core.models import AppendOnlyModel


class Citation(AppendOnlyModel):
    """A rule id, its legal basis and its status, stored once and referenced by every bill line
    and rate-card row that used it: a line's explanation without copying the text 12 million
    times a month. Rows are never changed (a corrected rule is a new rule version, hence a new
    citation)."""

    rule = models.CharField(max_length=120)
    legal_basis = models.TextField()
    status = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "legal_basis", "status"], name="citation_unique"
            )
        ]

    def __str__(self) -> str:
        return self.rule

    @classmethod
    def id_for(cls, rule: str, legal_basis: str, status: str) -> int:
        found, _created = cls.objects.get_or_create(
            rule=rule, legal_basis=legal_basis, status=status
        )
        return found.pk


class RateCard(models.Model):
    """The contribution lines of one period for an enterprise size and JKK risk class, taken
    from the rule data once per billing run; rates in millionths (``rate_micro``) so that
    rounding half up is exact integer arithmetic in SQL on every database."""

    period = models.CharField(max_length=7)
    size = models.CharField(max_length=8)
    risk_class = models.PositiveSmallIntegerField()
    labour_intensive = models.BooleanField(default=False)
    programme = models.CharField(max_length=8)
    payer = models.CharField(max_length=12)
    rate_micro = models.PositiveIntegerField()
    capped = models.BooleanField(help_text=_("The basis is the wage capped at the JP cap."))
    cap_idr = models.BigIntegerField(null=True, blank=True)
    rule = models.CharField(max_length=120)
    legal_basis = models.TextField()
    status = models.CharField(max_length=12)
    citation = models.ForeignKey(Citation, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "size", "risk_class", "labour_intensive", "programme", "payer"],
                name="ratecard_unique_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.size} {self.risk_class} {self.programme} {self.payer}"


class BillingRun(models.Model):
    period = models.CharField(max_length=7)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.period} run {self.pk}"


class BillKind(models.TextChoices):
    PU = "pu", _("Monthly wage-earner bill")
    BPU = "bpu", _("Informal member payment")
    JAKON = "jakon", _("Construction project")
    PMI = "pmi", _("Migrant worker package")


class Bill(models.Model):
    """What one payer owes, with a payment code: an employer's monthly PU bill, an informal
    member's payment for 1 to 12 months, a project instalment, a migrant worker's package.

    Issued once: its lines never change, and corrections go on a later bill. ``paid_idr`` and
    ``paid_on`` cache what allocations say (a test compares them with the allocations and the
    ledger)."""

    kind = models.CharField(_("kind"), max_length=8, choices=BillKind.choices, default="pu")
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="bills"
    )
    participant = models.ForeignKey(
        "registry.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bills",
    )
    project = models.ForeignKey(
        "registry.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="bills"
    )
    placement = models.ForeignKey(
        "registry.PmiPlacement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bills",
    )
    period = models.CharField(_("period"), max_length=7)
    months = models.PositiveSmallIntegerField(_("months"), default=1)
    instalment = models.PositiveSmallIntegerField(_("instalment"), default=1)
    payment_code = models.CharField(_("payment code"), max_length=11, unique=True)
    due_on = models.DateField(_("due date"))
    issued_at = models.DateTimeField(_("issued at"))
    run = models.ForeignKey(
        BillingRun, null=True, blank=True, on_delete=models.PROTECT, related_name="bills"
    )
    total_idr = models.BigIntegerField(_("total"), default=0)
    paid_idr = models.BigIntegerField(_("paid"), default=0)
    paid_on = models.DateField(_("paid in full on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "period"],
                condition=Q(kind="pu"),
                name="bill_one_per_month",
            ),
            models.UniqueConstraint(
                fields=["project", "instalment"],
                condition=Q(kind="jakon"),
                name="bill_project_instalment_once",
            ),
            models.UniqueConstraint(
                fields=["placement"], condition=Q(kind="pmi"), name="bill_placement_once"
            ),
            models.CheckConstraint(
                name="bill_code_11_digits", condition=Q(payment_code__regex=r"^[0-9]{11}$")
            ),
            models.CheckConstraint(
                name="bill_payer_matches_kind",
                condition=(
                    Q(kind__in=["pu", "jakon"], employer__isnull=False, participant__isnull=True)
                    | Q(kind__in=["bpu", "pmi"], participant__isnull=False, employer__isnull=True)
                ),
            ),
            models.CheckConstraint(name="bill_months_1_to_12", condition=Q(months__range=(1, 12))),
        ]
        indexes = [
            models.Index(fields=["period", "employer"], name="bill_period_idx"),
            models.Index(fields=["employer", "due_on"], name="bill_employer_due_idx"),
            models.Index(fields=["participant", "due_on"], name="bill_participant_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_code} {self.period}"

    @property
    def outstanding_idr(self) -> int:
        return 0 if self.cancelled_at else self.total_idr - self.paid_idr


class BillLine(AppendOnlyModel):
    """One worker x programme x payer on a bill (PU), or one programme on a member, project or
    package bill, with a copy of the basis and rate and the citation (rule id, legal basis,
    status) it used.

    Twelve million rows a month at region scale: the row is kept narrow, and its references
    carry no database foreign-key constraint (``db_constraint=False``, ADR 0012). Lines are
    written only by the billing run's INSERT ... SELECT that joins the bill, the employment and
    the rate card, and by :func:`jamsos.contributions.bills.bill_issue`; bills, employments and
    citations are never deleted."""

    bill = models.ForeignKey(
        Bill,
        on_delete=models.DO_NOTHING,
        related_name="lines",
        db_constraint=False,
        db_index=False,  # the unique constraint below leads with bill_id
    )
    employment = models.ForeignKey(
        "registry.Employment",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="bill_lines",
        db_constraint=False,
        help_text=_("The worker's employment (PU); empty on BPU, Jakon and PMI lines."),
    )
    programme = models.CharField(max_length=8)
    payer = models.CharField(max_length=12)
    basis_idr = models.BigIntegerField(null=True, blank=True)
    rate_micro = models.PositiveIntegerField(null=True, blank=True, help_text=_("Empty: flat."))
    amount_idr = models.BigIntegerField()
    citation = models.ForeignKey(
        Citation, null=True, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    note = models.CharField(max_length=200, blank=True, db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "employment", "programme", "payer"], name="billline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill_id} {self.employment_id} {self.programme} {self.payer}"

    @property
    def rule(self) -> str:
        return self.citation.rule if self.citation else ""

    @property
    def legal_basis(self) -> str:
        return self.citation.legal_basis if self.citation else ""

    @property
    def status(self) -> str:
        return self.citation.status if self.citation else ""


class BillInfoLine(AppendOnlyModel):
    """Information shown on a bill and not billed: the JKP funding recomposed from the JKK
    (and, before 7 February 2025, the JKM) the employer already pays, and the government's
    share — per bill, summed over its workers on the JKP-capped wage (project rule 7)."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="info_lines")
    programme = models.CharField(max_length=8)
    payer = models.CharField(max_length=12)
    basis_idr = models.BigIntegerField(help_text=_("Sum of the workers' capped wages."))
    rate_micro = models.PositiveIntegerField()
    amount_idr = models.BigIntegerField(help_text=_("Sum of each worker's rounded amount."))
    workers = models.PositiveIntegerField()
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "programme", "payer", "citation"], name="billinfo_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bill_id} {self.programme} {self.payer} {self.amount_idr}"


class BillAdjustment(AppendOnlyModel):
    """A correction of an earlier month shown on a later bill: a wage reported or approved
    after that month was billed. Positive is owed, negative is credited."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="adjustments")
    corrects = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="corrected_by")
    employment = models.ForeignKey(
        "registry.Employment", on_delete=models.PROTECT, related_name="bill_adjustments"
    )
    programme = models.CharField(max_length=8)
    payer = models.CharField(max_length=12)
    basis_idr = models.BigIntegerField(help_text=_("The corrected basis."))
    billed_idr = models.BigIntegerField(help_text=_("Billed before for this line."))
    due_idr = models.BigIntegerField(help_text=_("Due with the corrected basis."))
    amount_idr = models.BigIntegerField(help_text=_("due - billed"))
    rule = models.CharField(max_length=120)
    legal_basis = models.TextField()

    def __str__(self) -> str:
        return f"{self.bill_id} corrects {self.corrects_id}: {self.amount_idr}"


class FineCharge(AppendOnlyModel):
    """A late fine shown on a bill for the arrears of an earlier PU bill (project rule 4):
    the fine accrued on that bill up to ``as_of`` less what earlier bills already charged."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="fines")
    late_bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="fines_for")
    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("as of"))
    accrued_idr = models.BigIntegerField(_("fine accrued to date"))
    amount_idr = models.BigIntegerField(_("fine charged on this bill"))
    detail = models.JSONField(default=list, help_text=_("Each part: amount, date, months late."))
    rule = models.CharField(max_length=120)
    legal_basis = models.TextField()
    status = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bill", "late_bill"], name="fine_once_per_bill"),
            models.CheckConstraint(name="fine_positive", condition=Q(amount_idr__gt=0)),
        ]

    def __str__(self) -> str:
        return f"fine {self.amount_idr} on {self.bill_id} for {self.late_bill_id}"


class ChannelKind(models.TextChoices):
    """How a payer reaches a channel; the bill pages give each kind its own instructions."""

    VIRTUAL_ACCOUNT = "virtual_account", _("Bank virtual account")
    TELLER = "teller", _("Bank teller")
    POST_OFFICE = "post_office", _("Post office")
    EWALLET = "ewallet", _("E-wallet or QRIS")
    OTHER = "other", _("Other")


class PaymentChannel(models.Model):
    """A bank or payment gateway that notifies payments, with its signing secret, and how a
    payer pays through it (its kind, and the digits a virtual account puts before the code)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ChannelKind.choices, default=ChannelKind.OTHER
    )
    number_prefix = models.CharField(
        _("number prefix"),
        max_length=8,
        blank=True,
        help_text=_("Digits a virtual account number puts before the payment code."),
    )
    secret = models.CharField(max_length=128, help_text=_("HMAC-SHA256 key; never shown."))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.code


class Payment(AppendOnlyModel):
    """Money a channel notified (or a reversal of it). ``(channel, transaction_id)`` is
    unique: the same notification sent again, even at the same moment, is stored once."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REVERSAL = "reversal", _("Reversal")

    channel = models.ForeignKey(PaymentChannel, on_delete=models.PROTECT, related_name="payments")
    transaction_id = models.CharField(_("channel transaction id"), max_length=64)
    kind = models.CharField(max_length=8, choices=Kind.choices, default="payment")
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "registry.Participant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount_idr = models.BigIntegerField(_("amount"), help_text=_("Negative for a reversal."))
    paid_at = models.DateTimeField(_("paid at"))
    received_at = models.DateTimeField(_("received at"))
    body_sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "transaction_id"], name="payment_once_per_channel_txn"
            ),
            models.CheckConstraint(
                name="payment_sign_matches_kind",
                condition=Q(kind="payment", amount_idr__gt=0, reverses__isnull=True)
                | Q(kind="reversal", amount_idr__lt=0, reverses__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["employer", "paid_at"], name="payment_employer_idx"),
            models.Index(fields=["participant", "paid_at"], name="payment_participant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}:{self.transaction_id} {self.amount_idr}"


class PaymentRejection(models.Model):
    """A notification refused (bad signature, unknown code, malformed body): kept for the
    channel's reconciliation and for investigation. Nothing was credited."""

    received_at = models.DateTimeField()
    channel_code = models.CharField(max_length=32, blank=True)
    address = models.CharField(max_length=45, blank=True)
    code = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    body_sha256 = models.CharField(max_length=64)
    body_excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["received_at"], name="payment_rejection_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.received_at}"


class PaymentRejectionTally(models.Model):
    """How many notifications were refused per channel, code, client address and hour. A flood
    of refusals grows this count, not the number of rows (only the first few of each are kept
    one by one in ``PaymentRejection``)."""

    hour = models.DateTimeField()
    channel_code = models.CharField(max_length=32, blank=True)
    code = models.CharField(max_length=40)
    address = models.CharField(max_length=45, blank=True)
    count = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hour", "channel_code", "code", "address"],
                name="payment_rejection_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.code} {self.address}: {self.count}"


class Allocation(AppendOnlyModel):
    """Payer credit applied to a bill or a fine (negative: taken back after a reversal)."""

    employer = models.ForeignKey(
        "registry.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participant = models.ForeignKey(
        "registry.Participant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    fine = models.ForeignKey(
        FineCharge, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    amount_idr = models.BigIntegerField()
    allocated_on = models.DateField()
    posting = models.ForeignKey("ledger.Posting", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="allocation_one_target",
                condition=Q(bill__isnull=False, fine__isnull=True)
                | Q(bill__isnull=True, fine__isnull=False),
            ),
            models.CheckConstraint(name="allocation_not_zero", condition=~Q(amount_idr=0)),
        ]

    def __str__(self) -> str:
        return f"{self.amount_idr} to bill {self.bill_id} fine {self.fine_id}"


class JhtEntry(AppendOnlyModel):
    """One movement of a worker's JHT savings account: contributions credited when their
    bill is paid in full (taken back if a reversal un-pays it), the yearly return, and
    (claims) withdrawals. Each credit is posted once: its posting is unique per allocation.
    The account balance is the sum; the ledger's ``jht_fund`` is the sum over all accounts."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("Contribution")
        RETURN = "return", _("Yearly return")
        REVERSAL = "reversal", _("Contribution taken back (payment reversed)")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    participant = models.ForeignKey(
        "registry.Participant", on_delete=models.PROTECT, related_name="jht_entries"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    period = models.CharField(max_length=7, blank=True, help_text=_("Contribution month."))
    amount_idr = models.BigIntegerField()
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="jht_entries"
    )
    posting = models.ForeignKey("ledger.Posting", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=120, blank=True)

    class Meta:
        indexes = [models.Index(fields=["participant", "year"], name="jht_entry_account_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "year"],
                condition=Q(kind="return"),
                name="jht_return_once_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind} {self.amount_idr}"


class JhtReturnRun(models.Model):
    """One year's return credited to every account (``jamsos jht credit-returns``)."""

    year = models.PositiveSmallIntegerField(unique=True)
    rate = models.CharField(max_length=16)
    rule = models.CharField(max_length=120)
    legal_basis = models.TextField()
    status = models.CharField(max_length=12)
    accounts = models.PositiveIntegerField(default=0)
    total_idr = models.BigIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"JHT return {self.year}"


class BpuCover(models.Model):
    """The months an informal member's paid bill covers, decided when it was paid in full:
    continuing after the last covered month while active or in grace; from the day of
    payment after a lapse (never back-dated). Revoked, not deleted, when the payment behind
    it is reversed."""

    participant = models.ForeignKey(
        "registry.Participant", on_delete=models.PROTECT, related_name="bpu_covers"
    )
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="bpu_covers")
    first_month = models.DateField(_("first month covered"))
    last_month = models.DateField(_("last month covered"))
    cover_from = models.DateField(_("protected from"))
    programmes = models.CharField(max_length=32)
    fresh_start = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The payment behind it was reversed.")
    )

    class Meta:
        indexes = [models.Index(fields=["participant", "last_month"], name="bpu_cover_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["bill"], condition=Q(revoked_at__isnull=True), name="bpu_cover_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.first_month}..{self.last_month}"


class CodeCounter(models.Model):
    """The last number used for payment codes of a prefix (member, project, package bills)."""

    prefix = models.CharField(max_length=2, primary_key=True)
    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"

    @classmethod
    def next_number(cls, prefix: str) -> str:
        """``prefix`` and the next 10-digit number, from the locked counter row: two callers
        at the same moment never get the same number. In the caller's transaction."""
        counter, _created = cls.objects.select_for_update().get_or_create(prefix=prefix)
        cls.objects.filter(prefix=prefix).update(last=models.F("last") + 1)
        return f"{prefix}{counter.last + 1:010d}"


class BpuReminder(models.Model):
    """A reminder sent before a cover ends, once per member and cover end."""

    participant = models.ForeignKey(
        "registry.Participant", on_delete=models.PROTECT, related_name="+"
    )
    cover_end = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "cover_end"], name="bpu_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.cover_end}"


class SettlementFile(models.Model):
    """A channel's settlement file: the day's payments as the bank booked them
    (:mod:`jamsos.contributions.settlement`). ``(channel, sha256)`` is unique: the same file
    received again is the same row, and reconciling it again changes nothing."""

    channel = models.ForeignKey(PaymentChannel, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    name = models.CharField(_("file name"), max_length=120)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lines = models.PositiveIntegerField(_("lines"))
    amount_idr = models.BigIntegerField(_("total amount"))
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "sha256"], name="settlement_file_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.name}"


class SettlementOutcome(models.TextChoices):
    PENDING = "", _("Not reconciled yet")
    MATCHED = "matched", _("Matched: notified before, same amount")
    MISSING = "missing", _("Missing: not notified, posted now")
    UNKNOWN_CODE = "unknown_code", _("Unknown payment code")
    AMOUNT_MISMATCH = "amount_mismatch", _("Notified with another amount or code")
    DUPLICATE = "duplicate", _("Duplicate line (bank reference repeated in the file)")


class SettlementLine(models.Model):
    """One line of a settlement file: the staging table reconciliation works on in SQL.
    ``outcome`` is empty until reconciled; ``payment`` is the payment it matched or posted."""

    file = models.ForeignKey(SettlementFile, on_delete=models.CASCADE, related_name="+")
    line_no = models.PositiveIntegerField(_("line"))
    payment_code = models.CharField(_("payment code"), max_length=32)
    amount_idr = models.BigIntegerField(_("amount"))
    paid_at = models.DateTimeField(_("paid at"))
    paid_on = models.DateField(_("paid on (local date)"))
    bank_ref = models.CharField(_("bank reference"), max_length=64)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=SettlementOutcome.choices, blank=True, default=""
    )
    bill = models.ForeignKey(
        Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file", "line_no"], name="settlement_line_once")
        ]
        indexes = [
            models.Index(fields=["file", "bank_ref"], name="settlement_line_ref_idx"),
            models.Index(fields=["file", "outcome", "line_no"], name="settlement_line_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.line_no} {self.outcome or 'pending'}"
