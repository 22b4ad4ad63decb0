"""The yearly JHT return over a region's accounts on PostgreSQL, against a bare read of what it
must read, measured in the same run.

    .venv/bin/python bench/bench_jht_returns.py --postgres postgres://user@host:5432 \
        [--accounts 3300000] [--entries 3] [--keep]

A fresh database is migrated, then filled directly in SQL (``INSERT ... SELECT`` from
``generate_series``; the demo generator's per-row path would take hours at this size):
``--accounts`` people each with one card (KPJ) and a JHT account holding one contribution
credited in the year before and ``--entries`` contributions in the year (months spread over
the year), all under one ledger posting. Then, with ``ANALYZE``:

- floor: the return's own ``SELECT participant, SUM(...) GROUP BY participant`` over those
  entries, read to the end (median of 3);
- the run: ``jht_credit_returns`` for the year before (one entry an account) and then for the
  year (the entries of both years), each once (a year is credited once).

Prints seconds, accounts a second and the ratio of each run to the floor.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import uuid

CHILD = r"""
import statistics, sys, time
from datetime import date
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0)
from jamsos.contributions.jht import RETURN_SQL, jht_credit_returns
from jamsos.ledger.models import Account, PostingKind
from jamsos.ledger.services import LegSpec, post
from jamsos.rules.calc.tables import rule_book
from jamsos.core.money import rate_micro

accounts, per_year = int(sys.argv[1]), int(sys.argv[2])
YEAR = 2024
t0 = time.perf_counter()

def fill(cursor, table, values, n):
    # every NOT NULL column without a default gets a plain value of its type
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL AND column_name <> 'id' "
        "AND is_identity = 'NO'", [table])
    plain = {"character varying": "''", "text": "''", "integer": "0", "bigint": "0",
             "smallint": "0", "boolean": "false", "date": "date '2000-01-01'",
             "timestamp with time zone": "now()", "jsonb": "'{}'::jsonb"}
    columns = dict(values)
    for name, kind in cursor.fetchall():
        columns.setdefault(name, plain[kind])
    cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) "
                   f"SELECT {', '.join(columns.values())} FROM generate_series(1, {n}) g")

with transaction.atomic():
    posting = post(kind=PostingKind.PAYMENT, source_id=0, effective_on=date(YEAR - 1, 1, 31),
                   legs=[LegSpec(Account.CASH, 1), LegSpec(Account.JHT_FUND, -1)],
                   memo="bench")
with connection.cursor() as cursor:
    fill(cursor, "registry_person", {
        "nik": "lpad(g::text, 16, '0')", "full_name": "'Peserta ' || g",
        "name_key": "'peserta ' || g", "birth_date": "date '1990-01-01'", "sex": "'M'"}, accounts)
    cursor.execute("SELECT MIN(id) FROM registry_person")
    first_person = cursor.fetchone()[0]
    fill(cursor, "registry_participant", {
        "kpj": "lpad(g::text, 11, '0')", "person_id": f"{first_person} - 1 + g",
        "segment": "'PU'", "registered_at": "now()"}, accounts)
    cursor.execute("SELECT MIN(id) FROM registry_participant")
    first = cursor.fetchone()[0]
    common = {"kind": "'contribution'", "bill_id": "NULL", "posting_id": str(posting.pk),
              "rule": "''"}
    fill(cursor, "contributions_jhtentry", {
        **common, "participant_id": f"{first} - 1 + g", "year": str(YEAR - 1), "month": "6",
        "period": f"'{YEAR - 1}-06'", "amount_idr": "100000 + g % 50000"}, accounts)
    for k in range(per_year):
        month = 1 + (12 * k) // max(per_year, 1)
        fill(cursor, "contributions_jhtentry", {
            **common, "participant_id": f"{first} - 1 + g", "year": str(YEAR),
            "month": str(month), "period": f"'{YEAR}-{month:02d}'",
            "amount_idr": f"150000 + (g * {k + 7}) % 90000"}, accounts)
    cursor.execute("ANALYZE")
    cursor.execute("SELECT COUNT(*) FROM contributions_jhtentry")
    rows = cursor.fetchone()[0]
fill_s = time.perf_counter() - t0
rate = rule_book().version("JHT.RETURN", date(YEAR, 1, 1)).decimal("rate")
floor = []
for _ in range(3):
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(RETURN_SQL, {"year": YEAR, "rate_micro": rate_micro(rate)})
        n = len(cursor.fetchall())
    floor.append(time.perf_counter() - t)
assert n == accounts, n
runs = []
for year in (YEAR - 1, YEAR):
    t = time.perf_counter()
    result = jht_credit_returns(acting_user=None, year=year, today=date(YEAR + 1, 1, 2))
    runs.append(time.perf_counter() - t)
    assert result.accounts == accounts, (result.accounts, accounts)
connection.close()
print(accounts, rows, fill_s, statistics.median(floor), runs[0], runs[1])
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", required=True, help="postgres://user@host:5432")
    parser.add_argument("--accounts", type=int, default=3_300_000)
    parser.add_argument("--entries", type=int, default=3, help="contributions in the year")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    db = f"jamsos_bench_{uuid.uuid4().hex[:8]}"
    server = args.postgres
    subprocess.run(["createdb", f"--maintenance-db={server}/postgres", db], check=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
        "JAMSOS_DEBUG": "true",
        "PYTHONPATH": os.getcwd(),
        "JAMSOS_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"{server}/{db}",
    }
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.accounts), str(args.entries)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    finally:
        if not args.keep:
            subprocess.run(["dropdb", f"--maintenance-db={server}/postgres", db], check=True)
        else:
            print(f"kept database {db}")
    accounts, rows = int(out[-6]), int(out[-5])
    fill_s, floor_s, first_s, second_s = (float(x) for x in out[-4:])
    print(f"postgresql: {accounts:,} accounts, {rows:,} JHT entries (filled in {fill_s:.0f} s)")
    print(f"  floor (the return's SELECT, read)     {floor_s:7.2f} s")
    for label, seconds in (("year before (1 entry each)", first_s), ("year", second_s)):
        print(
            f"  return for the {label:<24}{seconds:7.2f} s  {accounts / seconds:10,.0f} "
            f"accounts/s  {seconds / floor_s:5.2f}x the floor"
        )


if __name__ == "__main__":
    main()
