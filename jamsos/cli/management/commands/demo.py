from __future__ import annotations

import json as jsonlib
import sys
import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.models import User
from jamsos.demo.money import demo_money_generate
from jamsos.demo.region import demo_region_generate
from jamsos.demo.services import (
    DEMO_PASSWORD,
    demo_foreign_data,
    demo_load_with_passwords,
    demo_member_load,
    demo_random_password,
    demo_totp_secret,
)


def _progress(line: str, done: int, total: int) -> None:
    """A progress line redrawn in place on a terminal; in a log file (not a terminal) only the
    line that ends a stage, so the log stays readable."""
    if sys.stderr.isatty():
        print("\r" + line, end="\n" if done == total else "", file=sys.stderr, flush=True)
    elif done == total:
        print(line, file=sys.stderr, flush=True)


class Command(BaseCommand):
    help = (
        "Load the demo offices, employers and one user per role; with --scale also generate a "
        "Kalimantan-like region (1.0 = the regional report's counts). Safe to run again: a "
        "generation that was stopped resumes where it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", help="region size: 1.0 is 3.3 million participants")
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument(
            "--months",
            type=int,
            default=0,
            help="bill and pay the last N months (through the payment services; small scales)",
        )
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even with DEBUG off or into a database holding data the demo did not load",
        )

    def handle(
        self,
        *args: Any,
        scale: str | None,
        seed: int,
        json: bool,
        months: int,
        force: bool = False,
        **options: Any,
    ) -> None:
        from django.conf import settings

        if not 0 <= months <= 12:
            raise CommandError("--months: must be 0 to 12")
        if not force:
            if not settings.DEBUG:
                raise CommandError(
                    "demo: refusing to load demo data with DEBUG off (this looks like a "
                    "production server); set JAMSOS_DEBUG=true on a development machine or "
                    "give --force"
                )
            foreign = demo_foreign_data()
            if foreign:
                raise CommandError(
                    f"demo: refusing to load demo data into a database that holds {foreign}; "
                    "use an empty database or give --force"
                )
        # Outside DEBUG the published demo password would open a real server: each new demo
        # login gets its own random password, printed once below.
        loaded = demo_load_with_passwords(
            password_for=None if settings.DEBUG else demo_random_password
        )
        demo_member_load()
        counts = None
        if scale is not None:
            try:
                size = Decimal(scale)
            except InvalidOperation:
                raise CommandError(f"--scale: not a number: {scale!r}") from None
            if not Decimal(0) < size <= Decimal(2):
                raise CommandError("--scale: must be above 0 and at most 2")
            started = time.monotonic()

            def progress(stage: str, done: int, total: int) -> None:
                elapsed = time.monotonic() - started
                _progress(
                    f"{stage:<10} {done:>5}/{total:<5} batches  {elapsed:7.1f} s", done, total
                )

            counts = demo_region_generate(scale=size, seed=seed, progress=progress)
            from django.db import connection

            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # fresh statistics after the bulk load
        if months:
            started = time.monotonic()

            def money_progress(stage: str, done: int, total: int) -> None:
                elapsed = time.monotonic() - started
                _progress(f"{stage:<12} {done:>6}/{total:<6} bills  {elapsed:7.1f} s", done, total)

            money = demo_money_generate(months=months, seed=seed, progress=money_progress)
            counts = {**(counts or {}), **money}
        if scale is not None or months:
            from django.utils import timezone

            from jamsos.reporting.refresh import months_back, report_refresh

            # the dashboards read summaries: fill them for the last 13 months (this month and
            # the same month a year back, for the growth figures)
            today = timezone.localdate()
            started = time.monotonic()

            def refresh_progress(stage: str, done: int, total: int) -> None:
                elapsed = time.monotonic() - started
                _progress(
                    f"reports    {done:>5}/{total:<5} {stage:<9}  {elapsed:7.1f} s", done, total
                )

            report_refresh(
                periods=months_back(f"{today.year}-{today.month:02d}", 13),
                progress=refresh_progress,
            )
        if json:
            self.stdout.write(jsonlib.dumps(counts or {}))
            return
        lines = []
        for u, given in loaded:
            scope = u.branch or u.region or u.employer or ""
            if not settings.DEBUG:
                shown = f"  {given or '(unchanged)'}"
            elif given is None and not User.objects.get(username=u.username).check_password(
                DEMO_PASSWORD
            ):
                shown = "  (own password)"  # e.g. given a random one by a forced load
            else:
                shown = ""
            lines.append(f"  {u.username:<14} {u.role.value:<16} {scope}{shown}")
        if not settings.DEBUG:
            self.stdout.write(
                "Demo region loaded. Logins (new passwords are shown this once; logins that "
                "existed keep theirs):"
            )
        elif any(line.endswith("(own password)") for line in lines):
            self.stdout.write(
                f"Demo region loaded. Logins (password {DEMO_PASSWORD} unless marked):"
            )
        else:
            self.stdout.write(f"Demo region loaded. Logins (password for all: {DEMO_PASSWORD}):")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            "Staff sign in with a second factor too: add the user's secret to an authenticator "
            "app (or run: oathtool --totp -b SECRET):"
        )
        for u, _given in loaded:
            secret = demo_totp_secret(u.username)  # staff only: the others have none
            if secret:
                self.stdout.write(f"  {u.username:<14} {secret}")
        if counts:
            self.stdout.write("Generated: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
