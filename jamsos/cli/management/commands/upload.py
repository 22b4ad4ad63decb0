"""``jamsos upload FILE --employer NPP --period YYYY-MM --as USER [--apply]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.models import User
from jamsos.core.errors import DomainError
from jamsos.registry.models import Employer
from jamsos.registry.upload import upload_check, upload_errors_file, upload_finalise


class Command(BaseCommand):
    help = (
        "Check an employer's monthly worker list (CSV or XLSX) and, with --apply, apply it. "
        "Exits 2 when rows have errors (written to --errors-out)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--employer", required=True, help="NPP of the employer")
        parser.add_argument("--period", required=True, help="YYYY-MM")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the employer administrator or branch officer acting",
        )
        parser.add_argument("--apply", action="store_true", help="apply when there are no errors")
        parser.add_argument("--errors-out", help="where to write the rows with an errors column")

    def handle(
        self,
        *args: Any,
        file: str,
        employer: str,
        period: str,
        username: str,
        apply: bool,
        errors_out: str | None,
        **options: Any,
    ) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user {username!r}")
        target = Employer.objects.filter(npp=employer).first()
        if target is None:
            raise CommandError(f"--employer: no employer with NPP {employer!r}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"file: {file} does not exist")
        try:
            checked = upload_check(
                acting_user=user,
                employer_id=target.pk,
                period=period,
                filename=path.name,
                content=path.read_bytes(),
            )
            if checked.summary.get("errors"):
                if errors_out:
                    Path(errors_out).write_bytes(upload_errors_file(checked)[1])
                self.stdout.write(
                    json.dumps({"upload": checked.pk, "status": checked.status, **checked.summary})
                )
                raise SystemExit(2)
            if apply:
                checked = upload_finalise(acting_user=user, upload_id=checked.pk)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        self.stdout.write(
            json.dumps({"upload": checked.pk, "status": checked.status, **checked.summary})
        )
