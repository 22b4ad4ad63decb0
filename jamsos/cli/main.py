"""The ``jamsos`` console script: operator commands over the same services as pages and API.

Every Django management command is reachable too (``jamsos migrate``, ``jamsos check``);
``jamsos --help`` lists the ones an operator needs.
"""

from __future__ import annotations

import os
import sys

from jamsos import __version__

HELP = f"""\
jamsos {__version__} - employment social security administration

usage: jamsos COMMAND [options]     (jamsos COMMAND --help for a command's options)

Running
  serve --host H --port P   serve the web pages and API (gunicorn; Django's server only
                            with --dev and DEBUG on)
  migrate                   create or update the database tables
  worker [--once]           run queued jobs (billing runs, refreshes, payroll...) with progress
  scheduler [--once]        every minute, queue the jobs the schedule table says are due
  jobs enqueue --kind K --period P | list | show ID | retry ID | schedule
                            the job queue (409-style refusal when the month is already queued)
  demo [--scale S] [--months N]
                            load the demo offices and logins; with --scale a whole region
                            (1.0 = 3.3 million participants; resumable, safe to repeat);
                            with --months the last N months billed and paid
                            (refuses with DEBUG off or on non-demo data unless --force)

  backup [--dir D] [--keep N]
                            back up the database (pg_dump, or SQLite's online backup)
  restore FILE --database-url URL [--check]
                            restore into a new, empty database and compare it

Users and access
  createuser --role R       create a user (roles: participant, sponsor, employer_admin,
                            contractor, branch_officer, claims_officer, regional_head,
                            auditor, system_admin)
  bindemployer --username U --employer NPP
                            bind an employer administrator's or contractor's login to an
                            employer (safe to repeat)
  revoketokens --username U revoke every API token of a user
  unlock --username U | --address A
                            lift a sign-in lockout after failed passwords
  deactivateuser U          stop a user signing in; revoke tokens, end sessions
  reset2fa U                remove a user's authenticator (lost phone); staff enrol again

Registry
  upload FILE --employer NPP --period YYYY-MM --as USER [--apply]
                            check (and apply) an employer's monthly worker list

Contributions and accounts
  billing run --period YYYY-MM [--json]
                            issue the month's bills to every active employer (idempotent)
  jht credit-returns --year YYYY [--json]
                            credit a finished year's JHT return to every account (once)
  bpu remind [--days 7]     remind members whose cover ends soon (daily; once per cover)
  payments channel-add --code C --as ADMIN
                            register a bank or gateway; prints its signing secret once
  payments ledger-check     every posting balances; the JHT fund equals the accounts

Reports
  report refresh --period YYYY-MM
                            recompute a month's coverage summary (safe to repeat)
  report coverage --office CODE --year YYYY [--json]
                            active participants and participation rate of an office

Benefits
  payroll --month YYYY-MM [--json]
                            pay the month's JP pensions (indexed) and JKP instalments (once)

Rules
  simulate contribution|benefit [--file F]
                            compute from one JSON request; prints the explained result
  rules horizon [--days N] [--json]
                            rule tables that end, turn provisional or are due for renewal
                            within N days (default 120), soonest first

Checks
  check [--deploy]          Django's system checks

Configuration comes from environment variables: JAMSOS_DEBUG, JAMSOS_SECRET_KEY,
DATABASE_URL, JAMSOS_ALLOWED_HOSTS ... (docs/configuration.md).
Any other Django management command also works: jamsos help --commands.
"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
    if not args or args[0] in ("-h", "--help"):
        print(HELP, end="")
        return 0
    if args[0] == "--version":
        print(__version__)
        return 0
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from jamsos.core.errors import DomainError

    try:
        execute_from_command_line(["jamsos", *args])
    except ImproperlyConfigured as exc:
        print(f"jamsos: configuration error: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        # A refusal no command turned into its own message (a rule that ran out, ...).
        print(f"jamsos: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
