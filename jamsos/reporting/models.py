"""Summary tables the reports read: refreshed by a set-based job, never scanned per page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoverageSummary(models.Model):
    """Active participants of a month by branch office, segment and sex (``jamsos report
    refresh --period YYYY-MM``)."""

    period = models.CharField(_("period"), max_length=7)
    branch_office = models.ForeignKey(
        "registry.BranchOffice", on_delete=models.PROTECT, related_name="+"
    )
    segment = models.CharField(_("segment"), max_length=8)
    sex = models.CharField(_("sex"), max_length=1)
    participants = models.PositiveIntegerField(_("active participants"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "branch_office", "segment", "sex"], name="coverage_summary_once"
            )
        ]
        indexes = [models.Index(fields=["period", "branch_office"], name="coverage_period_idx")]

    def __str__(self) -> str:
        return f"{self.period} {self.branch_office_id} {self.segment} {self.sex}"


class MoneySummary(models.Model):
    """A month's money by branch office: contributions billed for the month (and what has
    been paid on those bills), payments received in the month, benefits paid in the month."""

    period = models.CharField(_("period"), max_length=7)
    branch_office = models.ForeignKey(
        "registry.BranchOffice", on_delete=models.PROTECT, related_name="+"
    )
    billed_idr = models.BigIntegerField(default=0)
    paid_on_billed_idr = models.BigIntegerField(default=0)
    received_idr = models.BigIntegerField(default=0)
    benefits_paid_idr = models.BigIntegerField(default=0)
    claims_paid = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "branch_office"], name="money_summary_once")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.branch_office_id}"
