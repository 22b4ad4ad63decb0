"""The monthly PU billing run: one bill per active employer and month, set-based.

For a period the run (1) writes the rate card from the rule data (enterprise size x JKK risk
class x the lines the size makes mandatory, rates in millionths), then for each chunk of
employers, in one transaction, (2) creates their bills with payment codes and the due date,
(3) inserts every line with one INSERT ... SELECT joining employments, the wage in force, the
risk class in force (the class set at registration also covers earlier months billed) and the
rate card, and (4) sets each bill's total. Amounts are rounded half
up exactly: (basis x rate_micro + 500,000) div 1,000,000 in integers, which is
``core.money.micro_amount`` (``round_idr``) in SQL; a property test over random wages, months,
sizes and classes proves every line equal to the calculator (``tests/test_billing_properties.py``).

Idempotent: a bill is unique per employer and month, and a chunk commits whole, so a run that
is killed and started again ends with exactly one complete bill per employer and month.
"""

from __future__ import annotations

import calendar
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import product

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jamsos.accounts.access import require_operator
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.contributions.adjustments import adjustments_make
from jamsos.contributions.allocation import Payer, allocate, lock_payer
from jamsos.contributions.fines import fines_charge
from jamsos.contributions.models import Bill, BillingRun, Citation, RateCard
from jamsos.core.audit import audit_record
from jamsos.core.bounds import bounded_period
from jamsos.core.errors import Conflict, field_error
from jamsos.core.money import rate_micro
from jamsos.ledger.models import Posting
from jamsos.ledger.services import check_balanced
from jamsos.registry.models import Employer, EmployerStatus, Employment
from jamsos.rules.calc.contributions import ENTERPRISE_SIZES, MANDATORY_BY_SIZE
from jamsos.rules.calc.dates import pu_due_date
from jamsos.rules.calc.results import combine
from jamsos.rules.calc.tables import RuleBook, RuleNotInForce, rule_book

CHUNK = 2_000
BILL_INSERT_LOCK = 7_310_001  # pg_advisory_lock key: bill inserts of parallel chunks
LINES = (  # programme, payer, rule (JKK takes the class), capped at the JP cap
    ("JKK", "employer", "PU.JKK.CLASS{k}", False),
    ("JKM", "employer", "PU.JKM", False),
    ("JHT", "employer", "PU.JHT.EMPLOYER", False),
    ("JHT", "worker", "PU.JHT.WORKER", False),
    ("JP", "employer", "PU.JP.EMPLOYER", True),
    ("JP", "worker", "PU.JP.WORKER", True),
)

Progress = Callable[[int, int], None]


def period_bounds(period: str, field: str = "period") -> tuple[date, date]:
    """The first and last day of a contribution month (``YYYY-MM``, core.bounds window)."""
    first = bounded_period(field, period).first_day
    return first, date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])


def rate_card(period: str, book: RuleBook | None = None) -> list[RateCard]:
    """The period's rate card rows from the rule data: for every size, JKK risk class and
    whether the employer is labour-intensive (PP 7/2025). The 2020 JP deferral, a per-employer
    decision the registry does not record, is not applied."""
    book = book or rule_book()
    first, _last = period_bounds(period)
    cap = book.version("PU.JP.WAGE_CAP", first)
    rows = []
    for size, risk, labour_intensive in product(ENTERPRISE_SIZES, range(1, 6), (False, True)):
        programmes = MANDATORY_BY_SIZE[size]
        flags = frozenset({"labour_intensive"}) if labour_intensive else frozenset()
        for programme, payer, rule, capped in LINES:
            if programme not in programmes:
                continue
            base = book.version(rule.format(k=risk), first)
            discounts = book.discounts_for(base.rule, first, flags)
            rule_id, legal, status, factor = combine(base, discounts)
            if capped:
                legal, status = (
                    f"{legal}; {cap.legal_basis}",
                    ("provisional" if "provisional" in (status, cap.status) else status),
                )
            micro = rate_micro(base.decimal("rate") * factor)
            rows.append(
                RateCard(
                    period=period,
                    size=size,
                    risk_class=risk,
                    labour_intensive=labour_intensive,
                    programme=programme,
                    payer=payer,
                    rate_micro=micro,
                    capped=capped,
                    cap_idr=cap.integer("cap_idr") if capped else None,
                    rule=rule_id,
                    legal_basis=legal,
                    status=status,
                )
            )
    return rows


LINES_SQL = """
WITH bills AS MATERIALIZED (
    SELECT b.id AS bill_id, b.employer_id AS employer_id, emp.size AS size,
           emp.labour_intensive AS labour_intensive,
           (SELECT rc2.risk_class FROM registry_employerriskclass rc2
            WHERE rc2.employer_id = b.employer_id
            ORDER BY CASE WHEN rc2.effective_from <= %(first)s THEN 0 ELSE 1 END,
                     CASE WHEN rc2.effective_from <= %(first)s THEN rc2.effective_from END DESC,
                     rc2.effective_from
            LIMIT 1) AS risk_class
    FROM contributions_bill b
    JOIN registry_employer emp ON emp.id = b.employer_id
    WHERE b.run_id = %(run)s AND b.id BETWEEN %(lo)s AND %(hi)s
),
workers AS MATERIALIZED (
    SELECT k.bill_id AS bill_id, e.id AS employment_id, k.size AS size,
           k.labour_intensive AS labour_intensive, k.risk_class AS risk_class,
           (SELECT w2.wage_idr FROM registry_wagerecord w2
            WHERE w2.employment_id = e.id AND w2.status = 'approved'
              AND w2.effective_from <= %(last)s
            ORDER BY w2.effective_from DESC LIMIT 1) AS wage_idr
    FROM bills k
    JOIN registry_employment e ON e.employer_id = k.employer_id
    WHERE e.start_on <= %(last)s AND (e.end_on IS NULL OR e.end_on >= %(first)s)
)
INSERT INTO contributions_billline
    (bill_id, employment_id, programme, payer, basis_idr, rate_micro, amount_idr, citation_id)
SELECT x.bill_id, x.employment_id, r.programme, r.payer,
       CASE WHEN r.capped AND x.wage_idr > r.cap_idr THEN r.cap_idr ELSE x.wage_idr END,
       r.rate_micro,
       ((CASE WHEN r.capped AND x.wage_idr > r.cap_idr THEN r.cap_idr ELSE x.wage_idr END)
         * r.rate_micro + 500000) / 1000000,
       r.citation_id
FROM workers x
JOIN contributions_ratecard r ON r.period = %(period)s AND r.size = x.size
     AND r.risk_class = x.risk_class AND r.labour_intensive = x.labour_intensive
WHERE x.wage_idr IS NOT NULL
"""

# One scan of the chunk's lines (and adjustments) into a per-connection temporary table of sums
# per bill and programme; totals, ledger legs and the JKP information come from it. For the JKK
# employer lines (basis = the wage) it also sums the JKP-capped wage and, for each JKP part in
# force, each worker's rounded amount (project rule 7).
SUMS_SQL = """
CREATE TEMPORARY TABLE billing_sums AS
SELECT l.bill_id AS bill_id, l.programme AS programme, SUM(l.amount_idr) AS amount_idr,
       COUNT(*) AS line_count,
       SUM(CASE WHEN l.programme = 'JKK' AND l.payer = 'employer' THEN 1 ELSE 0 END)
           AS jkk_workers,
       SUM(CASE WHEN l.programme = 'JKK' AND l.payer = 'employer' THEN
           (CASE WHEN l.basis_idr > %(jkp_cap)s THEN %(jkp_cap)s ELSE l.basis_idr END)
           ELSE 0 END) AS jkp_basis,
       {parts}
FROM contributions_billline l
JOIN contributions_bill b ON b.id = l.bill_id AND b.run_id = %(run)s
WHERE l.bill_id BETWEEN %(lo)s AND %(hi)s
GROUP BY l.bill_id, l.programme
"""

JKP_PART_SQL = """SUM(CASE WHEN l.programme = 'JKK' AND l.payer = 'employer' THEN
           ((CASE WHEN l.basis_idr > %(jkp_cap)s THEN %(jkp_cap)s ELSE l.basis_idr END)
            * %(rate{n})s + 500000) / 1000000 ELSE 0 END) AS jkp{n}"""

ADJUSTMENT_SUMS_SQL = """
INSERT INTO billing_sums
    (bill_id, programme, amount_idr, line_count, jkk_workers, jkp_basis, jkp0, jkp1, jkp2)
SELECT a.bill_id, a.programme, SUM(a.amount_idr), 0, 0, 0, 0, 0, 0
FROM contributions_billadjustment a
JOIN contributions_bill b ON b.id = a.bill_id AND b.run_id = %(run)s
WHERE a.bill_id BETWEEN %(lo)s AND %(hi)s
GROUP BY a.bill_id, a.programme
"""

TOTALS_SQL = """
UPDATE contributions_bill SET total_idr = COALESCE((
    SELECT SUM(s.amount_idr) FROM billing_sums s WHERE s.bill_id = contributions_bill.id
), 0)
WHERE run_id = %(run)s AND id BETWEEN %(lo)s AND %(hi)s
"""

JKP_INFO_SQL = """
INSERT INTO contributions_billinfoline
    (bill_id, programme, payer, basis_idr, rate_micro, amount_idr, workers, citation_id, note)
{parts}
"""

JKP_INFO_PART_SQL = """SELECT s.bill_id, 'JKP', %(payer{n})s, s.jkp_basis, %(rate{n})s, s.jkp{n},
       s.jkk_workers, %(citation{n})s, %(note{n})s
FROM billing_sums s WHERE s.programme = 'JKK' AND s.jkk_workers > 0"""

JKP_PARTS = (
    ("PU.JKP.GOVERNMENT", "government", "Paid by the central government; not billed."),
    ("PU.JKP.FROM_JKK", "employer", "Recomposed from the JKK the employer already pays."),
    ("PU.JKP.FROM_JKM", "employer", "Recomposed from the JKM the employer already pays."),
)


#: The named parameters of the billing statements.
SqlParams = dict[str, int | str | date]


@dataclass(frozen=True)
class Sums:
    """The month's sums statement and its JKP information statement, with parameters."""

    sums_sql: str
    info_sql: str
    params: SqlParams


def sums_statements(first: date, book: RuleBook) -> Sums:
    """Build the statements for a month: the JKP parts in force then (none before 2021)."""
    params: SqlParams = {"jkp_cap": 0}
    parts, infos = [], []
    try:
        cap = book.version("PU.JKP.WAGE_CAP", first)
        params["jkp_cap"] = cap.integer("amount_idr")
    except RuleNotInForce:
        cap = None
    for n, (rule, payer, note) in enumerate(JKP_PARTS):
        version = None
        if cap is not None:
            try:
                version = book.version(rule, first)
            except RuleNotInForce:
                version = None
        params[f"rate{n}"] = rate_micro(version.decimal("rate")) if version else 0
        parts.append(JKP_PART_SQL.format(n=n))
        if version is None or cap is None:
            continue
        legal = f"{version.legal_basis}; {cap.legal_basis}"
        status = "provisional" if "provisional" in (version.status, cap.status) else "confirmed"
        params.update(
            {
                f"payer{n}": payer,
                f"citation{n}": Citation.id_for(version.rule, legal, status),
                f"note{n}": note,
            }
        )
        infos.append(JKP_INFO_PART_SQL.format(n=n))
    return Sums(
        SUMS_SQL.format(parts=",\n       ".join(parts)),
        JKP_INFO_SQL.format(parts="\nUNION ALL\n".join(infos)) if infos else "",
        params,
    )


POSTINGS_SQL = """
INSERT INTO ledger_posting (kind, source_id, memo, effective_on, posted_at)
SELECT 'bill', b.id, 'pu ' || b.payment_code, %(today)s, %(now)s
FROM contributions_bill b
WHERE b.run_id = %(run)s AND b.id BETWEEN %(lo)s AND %(hi)s
"""

# One statement for all legs of the chunk's postings: the PostgreSQL trigger checks each
# posting balances when the statement ends.
LEGS_SQL = """
INSERT INTO ledger_leg (posting_id, account, employer_id, participant_id, channel, amount_idr)
SELECT p.id, 'receivable', b.employer_id, CAST(NULL AS bigint), '', b.total_idr
FROM contributions_bill b JOIN ledger_posting p ON p.source_id = b.id AND p.kind = 'bill'
WHERE b.run_id = %(run)s AND b.id BETWEEN %(lo)s AND %(hi)s AND b.total_idr <> 0
UNION ALL
SELECT p.id, 'contribution:' || s.programme, CAST(NULL AS bigint), CAST(NULL AS bigint), '',
       -SUM(s.amount_idr)
FROM billing_sums s
JOIN ledger_posting p ON p.source_id = s.bill_id AND p.kind = 'bill'
GROUP BY p.id, s.programme
HAVING SUM(s.amount_idr) <> 0
"""

CREDITED_SQL = """
SELECT employer_id FROM ledger_leg
WHERE account = 'payer_credit' AND employer_id IN (
    SELECT employer_id FROM contributions_bill
    WHERE run_id = %(run)s AND id BETWEEN %(lo)s AND %(hi)s
)
GROUP BY employer_id HAVING SUM(amount_idr) < 0
"""


@dataclass(frozen=True)
class RunResult:
    period: str
    bills_created: int
    bills_existing: int
    lines: int
    total_idr: int

    def as_json(self) -> dict[str, object]:
        return {
            "period": self.period,
            "bills_created": self.bills_created,
            "bills_existing": self.bills_existing,
            "lines": self.lines,
            "total_idr": self.total_idr,
        }


@dataclass(frozen=True)
class _Chunk:
    """What every chunk of one run shares; :meth:`bill` issues one chunk in one transaction."""

    period: str
    first: date
    last: date
    due_on: date
    run: BillingRun
    yymm: str
    base: int  # the highest code sequence the month had before this run
    today: date
    book: RuleBook
    sums: Sums

    def bill(self, offset: int, chunk: list[int]) -> int:
        """Issue one chunk's bills; returns the number of lines written."""
        with transaction.atomic():
            now = timezone.now()
            with _bill_ids_together():
                bills = Bill.objects.bulk_create(
                    Bill(
                        employer_id=pk,
                        period=self.period,
                        due_on=self.due_on,
                        issued_at=now,
                        run=self.run,
                        payment_code=f"{self.yymm}{self.base + offset + i + 1:07d}",
                    )
                    for i, pk in enumerate(chunk)
                )
            params: SqlParams = {
                "first": self.first,
                "last": self.last,
                "period": self.period,
                "run": self.run.pk,
                "lo": min(b.pk for b in bills),
                "hi": max(b.pk for b in bills),
            }
            with connection.cursor() as cursor:
                cursor.execute(LINES_SQL, params)
                adjustments_make(bills)
                sums = {**params, **self.sums.params}
                cursor.execute("DROP TABLE IF EXISTS billing_sums")
                cursor.execute(self.sums.sums_sql, sums)
                cursor.execute(ADJUSTMENT_SUMS_SQL, sums)
                cursor.execute("CREATE INDEX billing_sums_bill ON billing_sums (bill_id)")
                cursor.execute(TOTALS_SQL, params)
                if self.sums.info_sql:
                    cursor.execute(self.sums.info_sql, sums)
                cursor.execute(POSTINGS_SQL, {**params, "today": self.today, "now": now})
                cursor.execute(LEGS_SQL, params)
                cursor.execute("SELECT COALESCE(SUM(line_count), 0) FROM billing_sums")
                lines = int(cursor.fetchone()[0])
                cursor.execute("DROP TABLE billing_sums")
                fines_charge(bills, as_of=self.today, book=self.book)
                check_balanced(
                    Posting.objects.filter(
                        kind="bill", source_id__range=(params["lo"], params["hi"])
                    ).values_list("pk", flat=True)
                )
                cursor.execute(CREDITED_SQL, params)
                credited = [row[0] for row in cursor.fetchall()]
            for employer_id in credited:
                payer = Payer(employer_id=employer_id)
                lock_payer(payer)
                allocate(payer, on=self.today)
        return lines


@contextmanager
def _bill_ids_together() -> Iterator[None]:
    """Keep one chunk's bill ids contiguous when chunks run in parallel on PostgreSQL: the
    chunk's statements select its bills by id range (and run), so two bulk inserts must not
    interleave their ids. A session advisory lock held for the one INSERT statement."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [BILL_INSERT_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [BILL_INSERT_LOCK])


def billing_run(
    *,
    period: str,
    acting_user: User | None,
    progress: Progress | None = None,
    workers: int = 1,
) -> RunResult:
    """Bill every active employer with workers in the period that has no bill yet. On
    PostgreSQL, ``workers`` > 1 issues chunks in parallel (each in its own transaction and
    connection); SQLite has one writer and always runs them one after the other.
    ``acting_user`` None is the operator at the command line."""
    require_operator(acting_user, Action.BILLING_RUN, code="billing.forbidden")
    period = str(bounded_period("period", period))
    try:
        return _billing_run(
            period=period, acting_user=acting_user, progress=progress, workers=workers
        )
    except IntegrityError:
        raise _concurrent(period) from None
    except OperationalError as exc:
        if "locked" not in str(exc):  # SQLite's one writer: another run holds the database
            raise
        raise _concurrent(period) from None


def _concurrent(period: str) -> Conflict:
    return Conflict(
        f"period: another billing run of {period} is in progress; run it again when it ends",
        field="period",
        code="billing.concurrent",
        message_id=f"period: penagihan {period} lain sedang berjalan; ulangi setelah selesai",
    )


def _billing_run(
    *, period: str, acting_user: User | None, progress: Progress | None, workers: int
) -> RunResult:
    first, last = period_bounds(period)
    book = rule_book()
    try:
        due_on = pu_due_date(first, book)
        cards = rate_card(period, book)
    except RuleNotInForce as exc:
        on = exc.on.isoformat()
        raise field_error(
            "period",
            f"no version of {exc.rule} is in force on {on} (needed for {period})",
            f"aturan {exc.rule} tidak berlaku pada {on} (diperlukan untuk {period})",
            code="rule.not_in_force",
        ) from None
    with transaction.atomic():
        if not RateCard.objects.filter(period=period).exists():
            for card in cards:
                card.citation_id = Citation.id_for(card.rule, card.legal_basis, card.status)
            RateCard.objects.bulk_create(cards)
        run = BillingRun.objects.create(
            period=period, started_at=timezone.now(), started_by=acting_user
        )
    working = Employment.objects.filter(employer=OuterRef("pk"), start_on__lte=last).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=first)
    )
    billed = Bill.objects.filter(employer=OuterRef("pk"), kind="pu", period=period)
    to_bill = list(
        Employer.objects.filter(status=EmployerStatus.ACTIVE)
        .filter(Exists(working))
        .exclude(Exists(billed))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    existing = Bill.objects.filter(kind="pu", period=period).count()
    last_code = (
        Bill.objects.filter(kind="pu", period=period)
        .order_by("-payment_code")
        .values_list("payment_code", flat=True)
        .first()
    )
    base = int(last_code[4:]) if last_code else 0
    today = timezone.localdate()
    chunks = [(i, to_bill[i : i + CHUNK]) for i in range(0, len(to_bill), CHUNK)]
    yymm = f"{first.year % 100:02d}{first.month:02d}"
    with transaction.atomic():
        sums = sums_statements(first, book)
    job = _Chunk(period, first, last, due_on, run, yymm, base, today, book, sums)
    done = 0
    lines = 0
    lock = threading.Lock()
    parallel = workers > 1 and connection.vendor == "postgresql" and len(chunks) > 1

    def one(offset: int, chunk: list[int]) -> None:
        nonlocal done, lines
        try:
            written = job.bill(offset, chunk)
        finally:
            if parallel:
                connection.close()  # each worker thread has its own connection
        with lock:
            done += 1
            lines += written
            if progress:
                progress(done, len(chunks))

    if parallel:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(one, offset, chunk) for offset, chunk in chunks]:
                future.result()  # re-raises a failed chunk (the run can be started again)
    else:
        for offset, chunk in chunks:
            one(offset, chunk)
    with transaction.atomic():
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        created = Bill.objects.filter(run=run)
        result = RunResult(
            period=period,
            bills_created=created.count(),
            bills_existing=existing,
            lines=lines,
            total_idr=sum(created.values_list("total_idr", flat=True)),
        )
        audit_record(actor=acting_user, action="billing.run", obj=run, after=result.as_json())
    return result
