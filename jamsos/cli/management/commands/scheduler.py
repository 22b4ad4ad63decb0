"""``jamsos scheduler``: enqueue the jobs the schedule says are due, once each."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from jamsos.jobs.schedule import scheduler_tick


class Command(BaseCommand):
    help = "Every minute, enqueue the jobs that the schedule table says are due (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one tick, then stop")
        parser.add_argument("--every", type=float, default=60.0, help="seconds between ticks")

    def handle(self, *args: Any, once: bool, every: float, **options: Any) -> None:
        def stop(signum: int, frame: object) -> None:
            raise SystemExit(0)

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            while True:
                if not connection.in_atomic_block:
                    close_old_connections()
                for job in scheduler_tick():
                    self.stdout.write(f"enqueued job {job.pk}: {job.kind} {job.period}")
                if once:
                    return
                time.sleep(every)
        finally:
            signal.signal(signal.SIGTERM, previous)
