"""Background jobs and the schedule that enqueues them (docs/operations.md, ADR 0014).

A :class:`Job` is one long piece of work (a billing run, a refresh, a payroll...) for one
period. While it is queued or running, a conditional unique constraint on ``(kind, period)``
is the lock: a second enqueue for the same month cannot insert its row and is told so (409).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    BILLING_RUN = "billing_run", _("Billing run")
    REPORT_REFRESH = "report_refresh", _("Report refresh")
    PAYROLL = "payroll", _("JP and JKP payroll")
    BPU_REMIND = "bpu_remind", _("BPU reminders")
    JHT_RETURNS = "jht_returns", _("JHT yearly return")
    PAYOUTS_EXPORT = "payouts_export", _("Payout bank file")
    SETTLEMENT = "settlement", _("Bank settlement file")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class Schedule(models.Model):
    """One line of the schedule: what runs when, in which time zone. Kept as data so that an
    operator changes a time without a release; ``jamsos scheduler`` reads it every minute."""

    class Every(models.TextChoices):
        DAY = "day", _("every day")
        MONTH = "month", _("every month")
        YEAR = "year", _("every year")

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    every = models.CharField(_("every"), max_length=5, choices=Every.choices)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day of month"), null=True, blank=True)
    hour = models.PositiveSmallIntegerField(_("hour"))
    minute = models.PositiveSmallIntegerField(_("minute"), default=0)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Jakarta")
    enabled = models.BooleanField(_("enabled"), default=True)
    #: slots before this moment never fire (a new line does not catch up on the past)
    active_from = models.DateTimeField(_("active from"))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(name="schedule_hour", condition=Q(hour__lte=23)),
            models.CheckConstraint(name="schedule_minute", condition=Q(minute__lte=59)),
            models.CheckConstraint(
                name="schedule_day", condition=Q(day__isnull=True) | Q(day__range=(1, 28))
            ),
            models.CheckConstraint(
                name="schedule_month", condition=Q(month__isnull=True) | Q(month__range=(1, 12))
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=JobKind.choices)
    #: what the job is for: YYYY-MM (billing, refresh, payroll), YYYY-MM-DD (reminders,
    #: exports) or YYYY (JHT returns)
    period = models.CharField(_("period"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.PROTECT, related_name="jobs"
    )
    #: the schedule's slot this job was enqueued for (once per schedule line and slot)
    slot = models.DateTimeField(_("slot"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error_code = models.CharField(_("error code"), max_length=60, blank=True)
    error_message = models.TextField(_("error message"), blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period"],
                condition=Q(status__in=["queued", "running"]),
                name="job_one_active_per_kind_and_period",
            ),
            models.UniqueConstraint(
                fields=["schedule", "slot"],
                condition=Q(schedule__isnull=False),
                name="job_once_per_schedule_slot",
            ),
        ]
        indexes = [models.Index(fields=["status", "id"], name="job_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return self.done * 100 // self.total if self.total else 0

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "kind": self.kind,
            "period": self.period,
            "status": self.status,
            "stage": self.stage,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "result": self.result,
            "error": (
                {"code": self.error_code, "message": self.error_message}
                if self.error_code
                else None
            ),
        }
