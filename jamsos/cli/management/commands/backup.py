"""``jamsos backup [--dir D] [--keep N]``: a consistent copy of the whole database."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.core.errors import DomainError
from jamsos.jobs.backup import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the online backup API on SQLite) into "
        "var/backups or --dir; --keep N deletes all but the N newest backups there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help="folder for the backup (var/backups)")
        parser.add_argument("--keep", type=int, help="keep only the N newest backups")

    def handle(self, *args: Any, dir: Path | None, keep: int | None, **options: Any) -> None:
        if keep is not None and keep < 1:
            raise CommandError("--keep: must be 1 or more")
        try:
            path = backup_create(directory=dir, keep=keep)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(f"pg_dump failed: {exc.stderr.decode(errors='replace')}") from None
        self.stdout.write(f"backup written: {path} ({path.stat().st_size:,} bytes)")
