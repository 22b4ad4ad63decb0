"""Enqueue, retry and read jobs. The interfaces (page, API, CLI) call only these."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsos.accounts.access import can
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.core.audit import audit_record
from jamsos.core.errors import Conflict, NotFound, PermissionDenied
from jamsos.jobs.kinds import kind_for, period_check
from jamsos.jobs.models import ACTIVE, Job, JobStatus, Schedule

#: Who may read every job (others read the jobs they started).


def _already(kind: str, period: str) -> Conflict:
    running = Job.objects.filter(kind=kind, period=period, status__in=ACTIVE).first()
    return Conflict(
        _("A %(kind)s job for %(period)s is already queued or running (job %(id)s).")
        % {"kind": kind, "period": period, "id": running.pk if running else "?"},
        code="job.already_active",
        field="period",
    )


def job_enqueue(
    *,
    acting_user: User | None,
    kind: str,
    period: str,
    schedule: Schedule | None = None,
    slot: datetime | None = None,
) -> Job:
    """Queue a job; returns at once. A second job of the same kind and period while one is
    queued or running is refused (409 ``job.already_active``).

    The role is asked before the kind and the period are looked at: a user who may start no
    job is refused (403) whatever they send."""
    if acting_user is not None and not can(acting_user, Action.JOB_START):
        raise PermissionDenied(
            _("Your role may not start this job."), code="job.forbidden", field="kind"
        )
    found = kind_for(kind)
    if acting_user is not None and not can(acting_user, found.action):
        raise PermissionDenied(
            _("Your role may not start this job."), code="job.forbidden", field="kind"
        )
    period_check(found, period)
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                period=period,
                created_at=timezone.now(),
                created_by=acting_user,
                schedule=schedule,
                slot=slot,
            )
            audit_record(
                actor=acting_user,
                action="job.enqueue",
                obj=job,
                after={
                    "kind": kind,
                    "period": period,
                    "schedule": schedule.name if schedule else None,
                },
            )
    except IntegrityError:
        raise _already(kind, period) from None
    return job


def job_retry(*, acting_user: User | None, job_id: int) -> Job:
    """Queue a failed job again (a finished or active one is refused with 409)."""
    job = job_get(acting_user=acting_user, job_id=job_id)
    if acting_user is not None and not can(acting_user, kind_for(job.kind).action):
        raise PermissionDenied(_("Your role may not start this job."), code="job.forbidden")
    try:
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job.pk)
            if job.status != JobStatus.FAILED:
                raise Conflict(
                    _("Only a failed job can be retried."), code="job.not_failed", field="status"
                )
            job.status = JobStatus.QUEUED
            job.attempts = 0
            job.error_code = job.error_message = ""
            job.finished_at = None
            job.save(
                update_fields=["status", "attempts", "error_code", "error_message", "finished_at"]
            )
            audit_record(
                actor=acting_user,
                action="job.retry",
                obj=job,
                before={"status": "failed"},
                after={"status": "queued"},
            )
    except IntegrityError:
        raise _already(job.kind, job.period) from None
    return job


def jobs_visible_to(user: User) -> QuerySet[Job]:
    if can(user, Action.JOB_READ_ALL):
        return Job.objects.all()
    return Job.objects.filter(created_by=user)


def job_get(*, acting_user: User | None, job_id: int) -> Job:
    """A job the user may see (the jobs they started; every job for administrators and
    auditors); any other is not found."""
    jobs = Job.objects.all() if acting_user is None else jobs_visible_to(acting_user)
    job = jobs.filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such job."), code="job.not_found")
    return job
