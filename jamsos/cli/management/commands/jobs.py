"""``jamsos jobs enqueue|list|show|retry``: the job queue from the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from jamsos.core.errors import DomainError
from jamsos.jobs.kinds import KINDS
from jamsos.jobs.models import Job, Schedule
from jamsos.jobs.services import job_enqueue, job_get, job_retry


class Command(BaseCommand):
    help = "Queue a long job for the worker, list jobs, show one's progress, retry a failed one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        enqueue = sub.add_parser("enqueue", help="queue a job; prints its id at once")
        enqueue.add_argument("--kind", required=True, choices=sorted(KINDS))
        enqueue.add_argument("--period", required=True, help="YYYY-MM, YYYY-MM-DD or YYYY")
        sub.add_parser("list", help="the latest 50 jobs")
        show = sub.add_parser("show", help="one job as JSON")
        show.add_argument("id", type=int)
        retry = sub.add_parser("retry", help="queue a failed job again")
        retry.add_argument("id", type=int)
        sub.add_parser("schedule", help="the schedule lines")

    def handle(self, *args: Any, action: str, **o: Any) -> None:
        try:
            if action == "enqueue":
                job = job_enqueue(acting_user=None, kind=o["kind"], period=o["period"])
                self.stdout.write(f"job {job.pk} queued: {job.kind} {job.period}")
            elif action == "list":
                for job in Job.objects.order_by("-pk")[:50]:
                    self.stdout.write(
                        f"{job.pk:>6} {job.kind:<15} {job.period:<10} {job.status:<9} "
                        f"{job.done}/{job.total} {job.stage}"
                    )
            elif action == "show":
                job = job_get(acting_user=None, job_id=o["id"])
                self.stdout.write(json.dumps(job.as_json(), cls=DjangoJSONEncoder))
            elif action == "retry":
                job = job_retry(acting_user=None, job_id=o["id"])
                self.stdout.write(f"job {job.pk} queued again")
            else:
                for line in Schedule.objects.all():
                    when = f"{line.hour:02d}:{line.minute:02d} {line.time_zone}"
                    day = f"day {line.day}" if line.day else ""
                    month = f"month {line.month}" if line.month else ""
                    state = "" if line.enabled else "(disabled)"
                    self.stdout.write(
                        f"{line.name:<22} {line.kind:<15} every {line.every:<5} "
                        f"{month} {day} {when} {state}".rstrip()
                    )
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
