"""``jamsos worker``: run queued jobs (billing runs, refreshes, payroll...) until stopped."""

from __future__ import annotations

import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jamsos.jobs.worker import worker_loop


class Command(BaseCommand):
    help = (
        "Run queued jobs one at a time until stopped (SIGTERM puts the current job back in "
        "the queue; a killed worker's job is taken back once its heartbeat is stale)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between looks")

    def handle(self, *args: Any, once: bool, poll: float, **options: Any) -> None:
        logging.getLogger("jamsos.jobs").setLevel(logging.INFO)

        def stop(signum: int, frame: object) -> None:
            raise SystemExit(0)

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            ran = worker_loop(poll=poll, once=once)
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write(f"worker: {ran} jobs run")
