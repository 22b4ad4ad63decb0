"""JHT savings accounts: balances, statements and the yearly return.

Each worker's account is the sum of their ``JhtEntry`` rows; the ledger's ``jht_fund`` is the
sum over every account (a test compares them). The yearly return (rates per year in
``rules/data/jht_returns.csv``) is credited to every account by one INSERT ... SELECT:

    return = rate x (balance at 1 January + each movement of the year x (12 - its month) / 12)

so money credited in January earns eleven twelfths of the year's rate and money credited in
December earns from the next year (the agency's own intra-year method, PERDIR 3/2023, is not
public: this is a project rule, recorded in docs/adr/0011). Rounded half up once per account.
Idempotent: a year is credited once (unique per account and year, and per year's posting).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from jamsos.accounts.access import require_operator
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.contributions.models import JhtEntry, JhtReturnRun
from jamsos.core.audit import audit_record
from jamsos.core.errors import Conflict, field_error
from jamsos.core.money import rate_micro
from jamsos.ledger.models import Account, PostingKind
from jamsos.ledger.services import LegSpec, post
from jamsos.registry.models import Participant
from jamsos.rules.calc.tables import RuleNotInForce, rule_book

# SUM of integers is NUMERIC on PostgreSQL: cast back so that / is integer division there too.
RETURN_SQL = """
SELECT participant_id,
       (CAST(SUM(CASE WHEN year < %(year)s THEN amount_idr * 12
                      ELSE amount_idr * (12 - month) END) AS BIGINT)
        * %(rate_micro)s + 6000000) / 12000000 AS amount
FROM contributions_jhtentry
WHERE year <= %(year)s
GROUP BY participant_id
"""

#: The returns are computed once into a temporary table (one scan of the entries), then
#: counted for the posting and inserted from there.
DROP_SQL = "DROP TABLE IF EXISTS jht_returns_run"
CREATE_SQL = (
    "CREATE TEMPORARY TABLE jht_returns_run AS SELECT * FROM ({returns}) r WHERE amount > 0"
)
COUNT_SQL = "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM jht_returns_run"
INSERT_SQL = """
INSERT INTO contributions_jhtentry
    (participant_id, kind, year, month, period, amount_idr, bill_id, posting_id, rule)
SELECT participant_id, 'return', %(year)s, 12, '', amount, NULL, %(posting)s, %(rule)s
FROM jht_returns_run
"""


@dataclass(frozen=True)
class ReturnResult:
    year: int
    rate: str
    status: str
    accounts: int
    total_idr: int
    already_done: bool

    def as_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "rate": self.rate,
            "status": self.status,
            "accounts": self.accounts,
            "total_idr": self.total_idr,
            "already_done": self.already_done,
        }


def jht_credit_returns(
    *,
    year: int,
    acting_user: User | None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReturnResult:
    """Credit the year's return to every JHT account, once (``acting_user`` None is the
    operator at the command line)."""
    require_operator(acting_user, Action.JHT_RETURN_CREDIT)
    today = today or timezone.localdate()
    say = progress or (lambda _stage: None)
    if year >= today.year:
        raise field_error(
            "year",
            f"{year} has not ended yet",
            f"tahun {year} belum berakhir",
            code="jht.year_open",
        )
    done = JhtReturnRun.objects.filter(year=year, finished_at__isnull=False).first()
    if done is not None:
        return ReturnResult(year, done.rate, done.status, done.accounts, done.total_idr, True)
    try:
        version = rule_book().version("JHT.RETURN", date(year, 1, 1))
    except RuleNotInForce:
        raise field_error(
            "year",
            f"no JHT return rate for {year} in the rule data",
            f"tidak ada tingkat pengembangan JHT {year} di data aturan",
            code="rule.not_in_force",
        ) from None
    earlier_movements = JhtEntry.objects.filter(year__lt=year).exclude(kind="return").exists()
    if (
        earlier_movements
        and not JhtReturnRun.objects.filter(year=year - 1, finished_at__isnull=False).exists()
    ):
        raise Conflict(
            f"year: credit {year - 1} first (accounts held money then)",
            field="year",
            code="jht.previous_year_missing",
            message_id=f"year: kreditkan {year - 1} lebih dulu",
        )
    rate = version.decimal("rate")
    params = {"year": year, "rate_micro": rate_micro(rate)}
    with transaction.atomic(), connection.cursor() as cursor:
        say("computing")
        cursor.execute(DROP_SQL)
        cursor.execute(CREATE_SQL.format(returns=RETURN_SQL), params)
        cursor.execute(COUNT_SQL)
        accounts, total = (int(x) for x in cursor.fetchone())
        run = JhtReturnRun.objects.create(
            year=year,
            rate=str(rate),
            rule=version.rule,
            legal_basis=version.legal_basis,
            status=version.status,
            started_at=timezone.now(),
        )
        posting = post(
            kind=PostingKind.JHT_RETURN,
            source_id=year,
            effective_on=date(year, 12, 31),
            legs=[LegSpec(Account.JHT_RETURN, total), LegSpec(Account.JHT_FUND, -total)],
            memo=f"JHT return {year} at {rate}",
        )
        say("crediting")
        cursor.execute(INSERT_SQL, {**params, "posting": posting.pk, "rule": version.rule})
        if cursor.rowcount != accounts:  # pragma: no cover - inserted from the table counted
            raise RuntimeError(f"JHT return {year}: credited {cursor.rowcount} of {accounts}")
        cursor.execute(DROP_SQL)
        run.accounts, run.total_idr, run.finished_at = accounts, total, timezone.now()
        run.save(update_fields=["accounts", "total_idr", "finished_at"])
        result = ReturnResult(year, str(rate), version.status, accounts, total, False)
        audit_record(
            actor=acting_user, action="jht.credit_returns", obj=run, after=result.as_json()
        )
    return result


@dataclass(frozen=True)
class StatementLine:
    kind: str
    label: str
    period: str
    on: str
    amount_idr: int


@dataclass(frozen=True)
class Statement:
    participant: Participant
    year: int
    opening_idr: int
    lines: list[StatementLine]
    closing_idr: int
    return_rate: str | None
    return_status: str | None


KIND_LABELS = dict(JhtEntry.Kind.choices)


def jht_balance(participant: Participant) -> int:
    return int(
        JhtEntry.objects.filter(participant=participant).aggregate(t=Sum("amount_idr"))["t"] or 0
    )


def jht_statement(participant: Participant, year: int) -> Statement:
    """The yearly statement: opening balance, each movement of the year, closing balance."""
    entries = JhtEntry.objects.filter(participant=participant)
    opening = int(entries.filter(year__lt=year).aggregate(t=Sum("amount_idr"))["t"] or 0)
    lines = [
        StatementLine(
            e.kind,
            str(KIND_LABELS[e.kind]),
            e.period or str(e.year),
            f"{e.year}-{e.month:02d}",
            e.amount_idr,
        )
        for e in entries.filter(year=year).order_by("month", "pk")
    ]
    run = JhtReturnRun.objects.filter(year=year, finished_at__isnull=False).first()
    return Statement(
        participant,
        year,
        opening,
        lines,
        opening + sum(line.amount_idr for line in lines),
        run.rate if run else None,
        run.status if run else None,
    )


def jht_fund_matches_accounts() -> tuple[int, int]:
    """The ledger's JHT fund and the sum of every account (they must be equal)."""
    from jamsos.ledger.services import balance

    fund = -balance(Account.JHT_FUND)
    accounts = int(JhtEntry.objects.aggregate(t=Sum("amount_idr"))["t"] or 0)
    return fund, accounts
