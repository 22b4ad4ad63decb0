"""Monthly PU bills: the rate card a period used, the bills, and their lines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jamsos.core.models import AppendOnlyModel


class RateCard(models.Model):
    """The contribution lines of one period for an enterprise size and JKK risk class, taken
    from the rule data once per billing run; rates in millionths (``rate_micro``) so that
    rounding half up is exact integer arithmetic in SQL on every database."""

    period = models.CharField(max_length=7)
    size = models.CharField(max_length=8)
    risk_class = models.PositiveSmallIntegerField()
    programme = models.CharField(max_length=8)
    payer = models.CharField(max_length=12)
    rate_micro = models.PositiveIntegerField()
    capped = models.BooleanField(help_text=_("The basis is the wage capped at the JP cap."))
    cap_idr = models.BigIntegerField(null=True, blank=True)
    rule = models.CharField(max_length=120)
    legal_basis = models.TextField()
    status = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "size", "risk_class", "programme", "payer"],
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


class Bill(models.Model):
    """One employer's bill for one month. Issued once; corrections go on a later bill."""

    employer = models.ForeignKey(
        "registry.Employer", on_delete=models.PROTECT, related_name="bills"
    )
    period = models.CharField(_("period"), max_length=7)
    payment_code = models.CharField(_("payment code"), max_length=11, unique=True)
    due_on = models.DateField(_("due date"))
    issued_at = models.DateTimeField(_("issued at"))
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, related_name="bills")
    total_idr = models.BigIntegerField(_("total"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employer", "period"], name="bill_one_per_month"),
            models.CheckConstraint(
                name="bill_code_11_digits", condition=Q(payment_code__regex=r"^[0-9]{11}$")
            ),
        ]
        indexes = [models.Index(fields=["period", "employer"], name="bill_period_idx")]

    def __str__(self) -> str:
        return f"{self.payment_code} {self.period}"


class BillLine(AppendOnlyModel):
    """One worker x programme x payer on a bill, with a copy of the basis, rate and rule."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="lines")
    employment = models.ForeignKey(
        "registry.Employment", on_delete=models.PROTECT, related_name="bill_lines"
    )
    programme = models.CharField(max_length=8)
    payer = models.CharField(max_length=12)
    basis_idr = models.BigIntegerField()
    rate_micro = models.PositiveIntegerField()
    amount_idr = models.BigIntegerField()
    rule = models.CharField(max_length=120)
    legal_basis = models.TextField()
    status = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "employment", "programme", "payer"], name="billline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill_id} {self.employment_id} {self.programme} {self.payer}"
