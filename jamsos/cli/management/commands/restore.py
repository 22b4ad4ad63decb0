"""``jamsos restore FILE --database-url URL [--check]``: a backup into a new, empty database."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from jamsos.core.errors import DomainError
from jamsos.jobs.backup import backup_restore, fingerprint, fingerprint_of


class Command(BaseCommand):
    help = (
        "Restore a backup into the new, empty database at --database-url (never over data). "
        "With --check, compare the restored ledger, balances and audit trail with the "
        "database of DATABASE_URL (the restore drill)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--database-url",
            required=True,
            help="where to restore: sqlite:////path/new.sqlite3 or postgres://…/newdb",
        )
        parser.add_argument(
            "--check", action="store_true", help="compare with the current database"
        )

    def handle(
        self, *args: Any, file: Path, database_url: str, check: bool, **options: Any
    ) -> None:
        try:
            backup_restore(file=file, database_url=database_url)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        except subprocess.CalledProcessError as exc:
            raise CommandError(
                f"pg_restore failed: {exc.stderr.decode(errors='replace')}"
            ) from None
        self.stdout.write(f"restored {file} into the new database")
        restored = fingerprint_of(database_url)
        for name, value in restored.items():
            self.stdout.write(f"  {name:<16} {value}")
        if check:
            with connection.cursor() as cursor:
                current = fingerprint(cursor)
            differ = [n for n in current if current[n] != restored[n]]
            if differ:
                raise CommandError(f"check: differs from the current database in {differ}")
            self.stdout.write("check: identical to the current database")
