"""The schedule: which job each line enqueues, and when (docs/operations.md).

``scheduler_tick(now)`` enqueues every line whose latest slot has come and has no job yet. The
job row carries the line and the slot under a unique constraint, so two ticks (or two
schedulers) that see the same due slot enqueue it once. The lines a new installation starts
with are written by the migration ``jobs/0002_default_schedule``.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from jamsos.core.errors import Conflict
from jamsos.jobs.models import Job, JobKind, Schedule
from jamsos.jobs.services import job_enqueue

log = logging.getLogger("jamsos.jobs")


def latest_slot(line: Schedule, now: datetime) -> datetime:
    """The latest moment at or before ``now`` when the line is due, in its time zone."""
    zone = ZoneInfo(line.time_zone)
    local = now.astimezone(zone)

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, line.hour, line.minute, tzinfo=zone)

    if line.every == Schedule.Every.DAY:
        slot = at(local.date())
        return slot if slot <= local else at(local.date() - timedelta(days=1))
    if line.every == Schedule.Every.MONTH:
        slot = at(local.date().replace(day=line.day or 1))
        if slot > local:
            first = local.date().replace(day=1) - timedelta(days=1)
            slot = at(first.replace(day=line.day or 1))
        return slot
    slot = at(date(local.year, line.month or 1, line.day or 1))
    return slot if slot <= local else at(date(local.year - 1, line.month or 1, line.day or 1))


def period_for(kind: str, slot: datetime) -> str:
    """What a slot's job is for: the month it falls in (billing, payroll, refresh), its day
    (reminders, exports) or the year before (JHT returns credit a finished year)."""
    day = slot.date()
    if kind == JobKind.JHT_RETURNS:
        return str(day.year - 1)
    if kind in (JobKind.BPU_REMIND, JobKind.PAYOUTS_EXPORT):
        return day.isoformat()
    return f"{day.year}-{day.month:02d}"


def scheduler_tick(now: datetime | None = None) -> list[Job]:
    """Enqueue every due slot that has no job yet; returns the jobs enqueued now."""
    now = now or timezone.now()
    enqueued = []
    for line in Schedule.objects.filter(enabled=True):
        slot = latest_slot(line, now)
        if slot < line.active_from:
            continue
        if Job.objects.filter(Q(schedule=line, slot=slot)).exists():
            continue
        period = period_for(line.kind, slot)
        try:
            enqueued.append(
                job_enqueue(
                    acting_user=None, kind=line.kind, period=period, schedule=line, slot=slot
                )
            )
        except Conflict:
            # the slot was taken by another tick, or the same job is already queued or running
            log.info("schedule %s %s: already queued", line.name, slot.isoformat())
    return enqueued
