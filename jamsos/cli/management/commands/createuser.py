from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.models import RoleChoices
from jamsos.accounts.services import user_create
from jamsos.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a user with a role (and the branch, region or employers the role needs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, choices=RoleChoices.values)
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--branch", help="branch office code (branch_officer)")
        parser.add_argument("--region", help="regional office code (regional_head)")
        parser.add_argument(
            "--employer",
            action="append",
            default=[],
            help="NPP of an employer administered (employer_admin, contractor; repeatable)",
        )
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (else JAMSOS_PASSWORD, else a prompt)",
        )

    def handle(self, *args: Any, **o: Any) -> None:
        if o["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        elif os.environ.get("JAMSOS_PASSWORD"):
            password = os.environ["JAMSOS_PASSWORD"]
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
        else:
            raise CommandError("password: give it with --password-stdin or JAMSOS_PASSWORD")
        try:
            user = user_create(
                acting_user=None,
                username=o["username"],
                password=password,
                role=o["role"],
                full_name=o["full_name"],
                email=o["email"],
                branch_office_code=o["branch"],
                regional_office_code=o["region"],
                employer_npps=o["employer"],
            )
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        self.stdout.write(f"created user {user.username} ({user.role})")
