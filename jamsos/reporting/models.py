"""Summary tables the reports read: refreshed by a set-based job, never scanned per page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class BranchMonth(models.Model):
    """A summary row of one month (``YYYY-MM``) and one branch office."""

    period = models.CharField(_("period"), max_length=7)
    branch_office = models.ForeignKey(
        "registry.BranchOffice", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


def replace_rows(model: type[models.Model], rows: Iterable[models.Model], **key: Any) -> None:
    """Swap the summary rows matching ``key`` (a month) for new ones, in the caller's
    transaction: a refresh run twice leaves the same rows."""
    model._default_manager.filter(**key).delete()
    model._default_manager.bulk_create(rows, batch_size=2000)


class CoverageSummary(BranchMonth):
    """Active participants of a month by branch office and every dimension a report breaks
    them down by (``jamsos report refresh --period YYYY-MM``). ``category`` is the sector
    (KBLI section) of a wage earner's employer or an informal member's occupation; ``regency``
    is where the employer or project is, or the home regency of the NIK for members and
    migrant workers; ``status`` is how the month's bill stands (paid, arrears, unbilled)."""

    province = models.CharField(_("province"), max_length=2, blank=True)
    regency = models.CharField(_("regency or city"), max_length=5, blank=True)
    segment = models.CharField(_("segment"), max_length=8)
    sex = models.CharField(_("sex"), max_length=1)
    age_band = models.CharField(_("age band"), max_length=8)
    category = models.CharField(_("sector or occupation"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=12)
    participants = models.PositiveIntegerField(_("active participants"))
    jht = models.PositiveIntegerField(_("with JHT"), default=0)
    jp = models.PositiveIntegerField(_("with JP"), default=0)
    jkp = models.PositiveIntegerField(_("with JKP"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "period",
                    "branch_office",
                    "regency",
                    "segment",
                    "sex",
                    "age_band",
                    "category",
                    "status",
                ],
                name="coverage_summary_once",
            )
        ]
        indexes = [models.Index(fields=["period", "branch_office"], name="coverage_period_idx")]

    def __str__(self) -> str:
        return f"{self.period} {self.branch_office_id} {self.segment} {self.sex}"


class MoneySummary(BranchMonth):
    """A month's money by branch office: contributions billed for the month (and what has
    been paid on those bills), payments received in the month, benefits paid in the month."""

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


class ArrearsSummary(BranchMonth):
    """Contributions still owed at a month's end by branch office and age (months past the
    due date), as the bills stand when the month is refreshed."""

    age_band = models.CharField(_("age"), max_length=8)
    bills = models.PositiveIntegerField(default=0)
    amount_idr = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "branch_office", "age_band"], name="arrears_summary_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.branch_office_id} {self.age_band}"


class ClaimsSummary(BranchMonth):
    """Benefits paid in a month by branch office and programme (claims and rupiah)."""

    programme = models.CharField(_("programme"), max_length=4)
    claims = models.PositiveIntegerField(default=0)
    amount_idr = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "branch_office", "programme"], name="claims_summary_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.branch_office_id} {self.programme}"


class EmployerSummary(BranchMonth):
    """Employers registered by the end of a month, by branch office, enterprise size and
    status; ``new`` of them registered in the month."""

    size = models.CharField(_("enterprise size"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=16)
    employers = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "branch_office", "size", "status"],
                name="employer_summary_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.branch_office_id} {self.size} {self.status}"


class ProjectSummary(BranchMonth):
    """Construction projects by branch office in a month: registered in the month, running in
    the month, and running with at least one worker reported (covered)."""

    registered = models.PositiveIntegerField(default=0)
    running = models.PositiveIntegerField(default=0)
    covered = models.PositiveIntegerField(default=0)
    contract_value_idr = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "branch_office"], name="project_summary_once")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.branch_office_id}"


class ComplianceFlag(BranchMonth):
    """One employer flagged for a branch officer in a month, with how many workers (or what
    figure) are behind the flag; the rows themselves are listed from the live records."""

    class Kind(models.TextChoices):
        BELOW_MINIMUM_WAGE = "below_minimum_wage", _("Wages below the regional minimum wage")
        WAGE_UNCHANGED = "wage_unchanged", _("Wages unchanged for 24 months or more")
        PROGRAMMES_BELOW_STAGE = (
            "programmes_below_stage",
            _("Programmes below the mandatory stage for the employer's size"),
        )
        HEADCOUNT_DROP = "headcount_drop", _("Headcount drop")

    employer = models.ForeignKey("registry.Employer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("flag"), max_length=24, choices=Kind.choices)
    workers = models.PositiveIntegerField(_("workers behind the flag"), default=0)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "employer", "kind"], name="compliance_flag_once"
            )
        ]
        indexes = [
            models.Index(fields=["period", "branch_office", "kind"], name="compliance_idx"),
            # the list shows the largest first: read in this order, stop after a page
            models.Index(fields=["period", "-workers"], name="compliance_largest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.employer_id} {self.kind}"


class RetentionSummary(models.Model):
    """Informal members by the month their first cover began (the cohort), branch office,
    occupation and payer: how many joined and how many were still covered (paid) 3, 6 and 12
    months later."""

    cohort = models.CharField(_("joined in"), max_length=7)
    branch_office = models.ForeignKey(
        "registry.BranchOffice", on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.CharField(_("occupation"), max_length=32)
    payer_type = models.CharField(_("paid by"), max_length=16)
    joined = models.PositiveIntegerField(default=0)
    after_3 = models.PositiveIntegerField(default=0)
    after_6 = models.PositiveIntegerField(default=0)
    after_12 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "branch_office", "occupation", "payer_type"],
                name="retention_summary_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort} {self.branch_office_id} {self.occupation} {self.payer_type}"


class RefreshLog(models.Model):
    """When each month's summaries were last refreshed, and how long it took."""

    period = models.CharField(_("period"), max_length=7, unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.period} {self.refreshed_at}"


class CoverageCell(BranchMonth):
    """``CoverageSummary`` rolled up for the pages: per month, branch office and regency, the
    active participants of one segment for one value of one dimension (``all`` for the
    totals). A report reads a few hundred of these with one query."""

    province = models.CharField(_("province"), max_length=2, blank=True)
    regency = models.CharField(_("regency or city"), max_length=5, blank=True)
    dimension = models.CharField(_("dimension"), max_length=12)
    value = models.CharField(_("value"), max_length=32, blank=True)
    segment = models.CharField(_("segment"), max_length=8)
    participants = models.PositiveIntegerField(default=0)
    jht = models.PositiveIntegerField(default=0)
    jp = models.PositiveIntegerField(default=0)
    jkp = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["period", "branch_office"], name="coverage_cell_idx"),
            models.Index(fields=["dimension", "period"], name="coverage_cell_trend_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.branch_office_id} {self.dimension}={self.value} {self.segment}"
