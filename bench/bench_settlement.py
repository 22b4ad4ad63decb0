"""Bank settlement files: receiving and reconciling, against a floor measured in the same run.

    .venv/bin/python bench/bench_settlement.py [--lines 100000] [--missing 20000] [--scale 0.01]
        [--postgres postgres://user@host:5432] [--no-sqlite]

For each database, in a child process on a fresh database with the demo region at --scale and
June 2025 billed, and a channel whose lines spread over the month's PU bills:
- missing: a file of --missing lines no notification announced (each posted: a payment, its
  ledger posting, the payer's allocation), received then reconciled;
- matched: three files of --lines lines the channel notified before (the daily case: the
  notifications arrived), each received then reconciled; the median is printed;
- floor: the bare ``COPY``/``INSERT`` of the same lines into a scratch table plus one join of
  those lines with the payments (the least a reconciliation must read and write).
Prints seconds, lines per second and the ratio of the matched file to the floor.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid

CHILD = r"""
import statistics, sys, time
import django
django.setup()
from datetime import date, datetime
from decimal import Decimal
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from jamsos.demo.services import demo_load
from jamsos.demo.region import demo_region_generate
from jamsos.accounts.models import User
demo_load()
demo_region_generate(scale=Decimal(sys.argv[1]), seed=2024)
lines, missing = int(sys.argv[2]), int(sys.argv[3])
from jamsos.contributions import billing
from jamsos.contributions.models import Bill, SettlementLine
from jamsos.contributions.payments import channel_create
from jamsos.contributions.settlement import settlement_receive, settlement_reconcile
import time_machine

with time_machine.travel(date(2025, 7, 1), tick=False):
    billing.billing_run(acting_user=None, period="2025-06")
admin = User.objects.get(username="admin")
channel_create(acting_user=admin, code="BENCH", name="")
codes = list(Bill.objects.filter(period="2025-06", total_idr__gt=0).order_by("pk")
             .values_list("payment_code", flat=True))
received = datetime.fromisoformat("2025-07-10T23:00:00+08:00")
HEAD = "channel,payment_code,amount_idr,paid_at,bank_reference\n"

def make(prefix, n, extra=""):
    rows = [HEAD] + [f"BENCH,{codes[i % len(codes)]},1000,2025-07-10T10:00:00+08:00,{prefix}{i}\n"
                     for i in range(n)]
    return ("".join(rows) + extra).encode()

def run(data):
    t = time.perf_counter()
    file, _ = settlement_receive(acting_user=None, channel="BENCH", data=data, received_at=received)
    t1 = time.perf_counter()
    report = settlement_reconcile(acting_user=None, file_id=file.pk)
    t2 = time.perf_counter()
    return t1 - t, t2 - t1, report.as_json()["outcomes"]

# the lines the channel notified: posted by a first file (the same rows a notification writes)
_r, _c, seeded = run(make("M-", lines))
assert seeded["missing"]["lines"] == lines, seeded
m_recv, m_rec, out = run(make("X-", missing))
assert out["missing"]["lines"] == missing, out
matched = []
for k in range(3):
    r, c, out = run(make("M-", lines, f"BENCH,{codes[0]},1000,2025-07-10T10:00:00+08:00,Z{k}\n"))
    assert out["matched"]["lines"] == lines, out
    matched.append((r, c))
floor = []
table = SettlementLine._meta.db_table
for _ in range(3):
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE scratch AS SELECT payment_code, amount_idr, bank_ref "
                       f"FROM {table} WHERE 1 = 0")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY scratch FROM STDIN") as copy:
                for i in range(lines):
                    copy.write_row((codes[i % len(codes)], 1000, f"M-{i}"))
        else:
            cursor.executemany("INSERT INTO scratch VALUES (%s, %s, %s)",
                               [(codes[i % len(codes)], 1000, f"M-{i}") for i in range(lines)])
        cursor.execute("SELECT COUNT(*) FROM scratch s JOIN contributions_payment p "
                       "ON p.transaction_id = s.bank_ref AND p.amount_idr = s.amount_idr")
        assert cursor.fetchone()[0] == lines
        cursor.execute("DROP TABLE scratch")
    floor.append(time.perf_counter() - t)
connection.close()
print(len(codes), m_recv, m_rec,
      statistics.median(r for r, _ in matched), statistics.median(c for _, c in matched),
      statistics.median(floor))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="0.01")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--missing", type=int, default=20_000)
    parser.add_argument("--postgres")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
        "JAMSOS_DEBUG": "true",
        "PYTHONPATH": os.getcwd(),
        "JAMSOS_LOG_LEVEL": "WARNING",
        "JAMSOS_PAID_AT_MAX_AGE_DAYS": "3650",
    }
    targets = [] if args.no_sqlite else [("sqlite", None)]
    targets += [("postgresql", args.postgres)] if args.postgres else []
    for name, server in targets:
        env = dict(base)
        db = ""
        if server:
            db = f"jamsos_bench_{uuid.uuid4().hex[:8]}"
            subprocess.run(["createdb", f"--maintenance-db={server}/postgres", db], check=True)
            env["DATABASE_URL"] = f"{server}/{db}"
        else:
            env["JAMSOS_VAR_DIR"] = tempfile.mkdtemp(prefix="jamsos-bench-")
        try:
            out = subprocess.run(
                [sys.executable, "-c", CHILD, args.scale, str(args.lines), str(args.missing)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
        finally:
            if server:
                subprocess.run(["dropdb", f"--maintenance-db={server}/postgres", db], check=True)
        bills = int(out[-6])
        m_recv, m_rec, recv, rec, floor = (float(x) for x in out[-5:])
        n, m = args.lines, args.missing
        print(f"{name:<10} scale {args.scale}, {bills:,} bills (the payers of the lines)")
        print(
            f"  missing  {m:>9,} lines  receive {m_recv:6.2f} s  reconcile {m_rec:7.2f} s  "
            f"{m / (m_recv + m_rec):8,.0f} lines/s"
        )
        print(
            f"  matched  {n:>9,} lines  receive {recv:6.2f} s  reconcile {rec:7.2f} s  "
            f"{n / (recv + rec):8,.0f} lines/s (median of 3)   floor {floor:.2f} s   "
            f"ratio {(recv + rec) / floor:.1f}x"
        )


if __name__ == "__main__":
    main()
