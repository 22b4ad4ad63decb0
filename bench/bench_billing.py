"""The monthly PU billing run against its floor and a naive per-row implementation.

    .venv/bin/python bench/bench_billing.py [--scale 0.1] [--postgres postgres://user@host:5432]
                                            [--only sqlite|postgresql]

For each database, in a child process on a fresh database with the demo region at --scale:
- run: ``billing_run`` for one month (chunks of bills + one INSERT...SELECT per chunk; two
  chunks at a time on PostgreSQL, as ``jamsos billing run`` does there);
- floor: a single hand-written INSERT...SELECT of every line of another month, bills made first;
- naive: per-row ORM on a sample of 2,000 workers (calculator + one save per line), extrapolated.
Prints seconds, lines per second and the ratios run/floor and naive/run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid

CHILD = r"""
import sys, time
import django
django.setup()
from datetime import date
from decimal import Decimal
from django.core.management import call_command
from django.db import connection, transaction
call_command("migrate", verbosity=0)
from jamsos.demo.services import demo_load
from jamsos.demo.region import demo_region_generate
demo_load()
demo_region_generate(scale=Decimal(sys.argv[1]), seed=2024)
from jamsos.contributions import billing
from jamsos.contributions.models import Bill, BillLine, BillingRun, Citation, RateCard
from jamsos.registry.models import Employment
from jamsos.rules.calc.contributions import MANDATORY_BY_SIZE, pu_contribution
from jamsos.registry.services import employer_risk_class_on
from django.utils import timezone

workers = 2 if connection.vendor == "postgresql" else 1
t = time.perf_counter()
result = billing.billing_run(acting_user=None, period="2026-10", workers=workers)
run_s = time.perf_counter() - t
lines = result.lines

# floor: one INSERT...SELECT for all lines of 2026-11 (bills and rate card made first, untimed)
cards = billing.rate_card("2026-11")
for card in cards:
    card.citation_id = Citation.id_for(card.rule, card.legal_basis, card.status)
RateCard.objects.bulk_create(cards)
run = BillingRun.objects.create(period="2026-11", started_at=timezone.now())
employers = list(Bill.objects.filter(period="2026-10").values_list("employer_id", flat=True))
bills = Bill.objects.bulk_create(
    Bill(employer_id=e, period="2026-11", due_on=date(2026, 12, 15), issued_at=timezone.now(),
         run=run, payment_code=f"2611{i + 1:07d}") for i, e in enumerate(employers))
params = {"first": date(2026, 11, 1), "last": date(2026, 11, 30), "period": "2026-11",
          "run": run.pk, "lo": min(b.pk for b in bills), "hi": max(b.pk for b in bills)}
t = time.perf_counter()
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute(billing.LINES_SQL, params)
floor_s = time.perf_counter() - t

# naive: per-row ORM on a sample, rolled back
sample = list(Employment.objects.select_related("employer").filter(end_on__isnull=True)[:2000])
bill = Bill.objects.filter(period="2026-10").first()
t = time.perf_counter()
made = 0
with transaction.atomic():
    for e in sample:
        wage = e.wages.filter(status="approved").order_by("-effective_from").first().wage_idr
        risk = employer_risk_class_on(e.employer, date(2026, 10, 1)) or 1
        calc = pu_contribution(on=date(2026, 10, 1), wage_idr=wage, jkk_risk_class=risk,
                               programmes=MANDATORY_BY_SIZE[e.employer.size])
        for line in calc.lines:
            citation = Citation.id_for(line.rule, line.legal_basis, line.status)
            BillLine(bill=bill, employment=e, programme=line.programme, payer=line.payer + "x",
                     basis_idr=line.basis_idr or 0, rate_micro=0, amount_idr=line.amount_idr,
                     citation_id=citation).save()
            made += 1
    transaction.set_rollback(True)
naive_s = (time.perf_counter() - t) / made * lines
print(f"{lines} {run_s:.3f} {floor_s:.3f} {naive_s:.3f}")
connection.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="0.1")
    parser.add_argument("--postgres")
    parser.add_argument(
        "--only", choices=["sqlite", "postgresql"], help="measure one database (scale 1.0 runs)"
    )
    args = parser.parse_args()
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
        "JAMSOS_DEBUG": "true",
        "PYTHONPATH": os.getcwd(),
    }
    targets = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    targets = [t for t in targets if args.only in (None, t[0])]
    for name, server in targets:
        env = dict(base)
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
        lines, run_s, floor_s, naive_s = int(out[-4]), *(float(x) for x in out[-3:])
        print(f"{name:<10} scale {args.scale}: {lines:,} lines")
        print(f"  billing run   {run_s:8.2f} s  {lines / run_s:12,.0f} lines/s")
        print(f"  floor (1 SQL) {floor_s:8.2f} s  {lines / floor_s:12,.0f} lines/s")
        print(f"  naive per-row {naive_s:8.2f} s  (extrapolated from 2,000 workers)")
        print(f"  run / floor = {run_s / floor_s:.2f}x   naive / run = {naive_s / run_s:.0f}x")


if __name__ == "__main__":
    main()
