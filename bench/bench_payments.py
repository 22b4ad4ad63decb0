"""Payment notifications and the yearly JHT return, against baselines measured in the same run.

    .venv/bin/python bench/bench_payments.py [--scale 0.05] [--postgres postgres://user@host:5432]

For each database, in a child process on a fresh database with the demo region at --scale and
June 2025 billed:
- notifications: 1,000 signed notifications through the API (HTTP client, HMAC check, store
  once, allocate, JHT credit) against the same 1,000 sent again (verified and recognised as
  duplicates, nothing written) as the baseline;
- JHT return: ``jht_credit_returns`` for 2025 over every account the payments credited,
  against a bare ``SELECT participant, SUM(...) GROUP BY participant`` over the same entries
  (the floor: reading what the run must read).
Prints medians where repeated, rates and ratios.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid

CHILD = r"""
import json, statistics, sys, time
import django
django.setup()
from datetime import date
from decimal import Decimal
from django.core.management import call_command
from django.db import connection
from django.test import Client
call_command("migrate", verbosity=0)
from jamsos.demo.services import demo_load
from jamsos.demo.region import demo_region_generate
from jamsos.accounts.models import User
demo_load()
demo_region_generate(scale=Decimal(sys.argv[1]), seed=2024)
from jamsos.contributions import billing
from jamsos.contributions.jht import jht_credit_returns, RETURN_SQL
from jamsos.contributions.models import Bill, JhtEntry
from jamsos.contributions.payments import channel_create, sign
import time_machine

with time_machine.travel(date(2025, 7, 1), tick=False):
    billing.billing_run(acting_user=None, period="2025-06")
admin = User.objects.get(username="admin")
channel, secret = channel_create(acting_user=admin, code="BENCH", name="")
bills = list(Bill.objects.filter(period="2025-06", total_idr__gt=0).order_by("pk")[:1000])
bodies = [
    json.dumps({"channel": "BENCH", "transaction_id": f"B-{b.pk}", "payment_code": b.payment_code,
                "amount_idr": b.total_idr, "paid_at": "2025-07-10T10:00:00+08:00"}).encode()
    for b in bills
]
client = Client(HTTP_HOST="localhost")

def send_all():
    t = time.perf_counter()
    for raw in bodies:
        r = client.post("/api/v1/payments/notifications", raw, content_type="application/json",
                        HTTP_X_JAMSOS_SIGNATURE=sign(secret, raw))
        assert r.status_code == 200, r.content[:300]
    return time.perf_counter() - t

first_s = send_all()
dup_s = statistics.median(send_all() for _ in range(3))
accounts = JhtEntry.objects.values("participant").distinct().count()
floor = []
for _ in range(5):
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(RETURN_SQL, {"year": 2025, "rate_micro": 55900})
        cursor.fetchall()
    floor.append(time.perf_counter() - t)
t = time.perf_counter()
result = jht_credit_returns(acting_user=None, year=2025, today=date(2026, 1, 5))
jht_s = time.perf_counter() - t
assert result.accounts == accounts, (result.accounts, accounts)
connection.close()
print(len(bodies), first_s, dup_s, accounts, jht_s, statistics.median(floor))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="0.05")
    parser.add_argument("--postgres")
    args = parser.parse_args()
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
        "JAMSOS_DEBUG": "true",
        "PYTHONPATH": os.getcwd(),
        "JAMSOS_LOG_LEVEL": "WARNING",
    }
    targets = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    for name, server in targets:
        env = dict(base)
        db = ""
        if server:
            db = f"jamsos_bench_{uuid.uuid4().hex[:8]}"
            subprocess.run(["createdb", f"--maintenance-db={server}/postgres", db], check=True)
            env["DATABASE_URL"] = f"{server}/{db}"
        else:
            env["JAMSOS_VAR_DIR"] = tempfile.mkdtemp(prefix="jamsos-bench-")
        out = subprocess.run(
            [sys.executable, "-c", CHILD, args.scale],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        if server:
            subprocess.run(["dropdb", f"--maintenance-db={server}/postgres", db], check=True)
        count, first_s, dup_s = int(out[-6]), float(out[-5]), float(out[-4])
        accounts, jht_s, floor_s = int(out[-3]), float(out[-2]), float(out[-1])
        print(f"{name:<10} scale {args.scale}")
        print(
            f"  {count:,} notifications   {first_s:7.2f} s  {count / first_s:8,.0f}/s   "
            f"sent again (baseline) {dup_s:6.2f} s  {count / dup_s:8,.0f}/s   "
            f"ratio {first_s / dup_s:.1f}x"
        )
        print(
            f"  JHT return, {accounts:,} accounts  {jht_s:7.3f} s  {accounts / jht_s:10,.0f}/s   "
            f"floor (read only) {floor_s:.3f} s   ratio {jht_s / floor_s:.1f}x"
        )


if __name__ == "__main__":
    main()
