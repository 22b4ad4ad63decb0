"""``jamsos payments channel-add --code C --name N --as USER``: register a bank or gateway and
print its signing secret (once); ``jamsos payments ledger-check``: every posting balances."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jamsos.accounts.models import User
from jamsos.contributions.jht import jht_fund_matches_accounts
from jamsos.contributions.payments import channel_create
from jamsos.core.errors import DomainError
from jamsos.core.errors import PermissionDenied as DomainPermissionDenied
from jamsos.ledger.services import trial_balance, unbalanced_postings


class Command(BaseCommand):
    help = "Payment channels and ledger checks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("channel-add", help="register a payment channel")
        add.add_argument("--code", required=True)
        add.add_argument("--name", default="")
        add.add_argument(
            "--kind",
            default="other",
            help="virtual_account, teller, post_office, ewallet or other (how payers pay there)",
        )
        add.add_argument(
            "--number-prefix", default="", help="digits a virtual account puts before the code"
        )
        add.add_argument("--as", dest="username", required=True, help="a system administrator")
        sub.add_parser("ledger-check", help="check that the ledger balances")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "channel-add":
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError("--as: must be an active system administrator")
            try:
                channel, secret = channel_create(
                    acting_user=user,
                    code=options["code"],
                    name=options["name"],
                    kind=options["kind"],
                    number_prefix=options["number_prefix"],
                )
            except DomainPermissionDenied:
                raise CommandError("--as: must be an active system administrator") from None
            except DomainError as exc:
                raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
            self.stdout.write(f"channel {channel.code} added; its secret (shown once): {secret}")
            return
        bad = unbalanced_postings()
        fund, accounts = jht_fund_matches_accounts()
        balances = trial_balance(acting_user=None)
        self.stdout.write(
            json.dumps(
                {
                    "trial_balance": balances,
                    "unbalanced": bad,
                    "jht_fund_idr": fund,
                    "jht_accounts_idr": accounts,
                }
            )
        )
        if bad or sum(balances.values()) != 0 or fund != accounts:
            raise CommandError("the ledger does not balance")
