from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.services import employer_user_bind
from jamsos.core.errors import DomainError
from jamsos.registry.models import Employer


class Command(BaseCommand):
    help = (
        "Bind an employer administrator's or a contractor's login to an employer (by NPP), so "
        "that it acts for it; binding twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--employer", required=True, help="the employer's NPP")

    def handle(self, *args: Any, username: str, employer: str, **options: Any) -> None:
        target = Employer.objects.filter(npp=employer.strip()).first()
        if target is None:
            raise CommandError(f"employer: no employer with NPP {employer!r}")
        try:
            bound = employer_user_bind(acting_user=None, employer_id=target.pk, username=username)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        state = "bound" if bound else "already bound"
        self.stdout.write(f"{username} {state} to {target.npp} ({target.legal_name})")
