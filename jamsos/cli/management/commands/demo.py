from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jamsos.demo.services import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo region (offices, employers, one user per role); safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        users = demo_load()
        self.stdout.write(f"Demo region loaded. Logins (password for all: {DEMO_PASSWORD}):")
        for u in users:
            scope = u.branch or u.region or u.employer or ""
            self.stdout.write(f"  {u.username:<14} {u.role.value:<16} {scope}")
