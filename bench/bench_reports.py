"""The report dashboard and the regional summary at real size, and the refresh that feeds them.

    .venv/bin/python bench/bench_reports.py --database-url postgres://user@host:5432/db \
        [--period 2026-10] [--repeats 5]
    .venv/bin/python bench/bench_reports.py --scale 0.01     # a fresh SQLite demo region

With --database-url the database must already hold a demo region (``jamsos demo --scale 1.0``
and a billing run or two); the script migrates it, refreshes the month's summaries (timed, each
part), then times warm page views as a regional head through Django's test client — median of
--repeats after one warm-up — against the baseline of one scan of the raw tables for the same
coverage figure (what a page would cost without the summary tables).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--scale", default="0.01")
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--pay",
        help="first pay the PU bills of these months (comma-separated YYYY-MM) through the "
        "payment service, in --processes processes; resumable (paid bills are skipped)",
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # "i/n": one paying process
    args = parser.parse_args()
    os.environ.setdefault("JAMSOS_DEBUG", "true")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ["JAMSOS_VAR_DIR"] = tempfile.mkdtemp(prefix="jamsos-bench-")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsos.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from jamsos.accounts.models import User
    from jamsos.registry.models import Participant

    if args.worker:
        _pay_worker(args.pay.split(","), *(int(x) for x in args.worker.split("/")))
        return
    call_command("migrate", verbosity=0)
    if args.pay:
        import subprocess

        from jamsos.demo.money import _secret

        _secret()  # create the demo bank once, before the workers start
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, *sys.argv[1:], "--worker", f"{i}/{args.processes}"]
            )
            for i in range(args.processes)
        ]
        if any(w.wait() for w in workers):
            sys.exit("a paying process failed")
        print(f"paid the bills of {args.pay} in {time.perf_counter() - started:.0f} s")
    if not args.database_url:
        from decimal import Decimal

        from jamsos.contributions.billing import billing_run
        from jamsos.demo.region import demo_region_generate
        from jamsos.demo.services import demo_load

        demo_load()
        demo_region_generate(scale=Decimal(args.scale), seed=2024)
        billing_run(acting_user=None, period=args.period)
    participants = Participant.objects.count()
    print(f"database: {connection.vendor}, {participants:,} participants, period {args.period}")

    from jamsos.reporting.coverage import coverage_refresh_month
    from jamsos.reporting.employers import employers_refresh
    from jamsos.reporting.models import CoverageSummary, RefreshLog
    from jamsos.reporting.money import money_refresh
    from jamsos.reporting.retention import retention_refresh

    parts = {}
    for name, job in (
        ("coverage", lambda: coverage_refresh_month(period=args.period)),
        ("money", lambda: money_refresh(period=args.period)),
        ("employers+compliance", lambda: employers_refresh(period=args.period)),
        ("bpu retention", retention_refresh),
    ):
        started = time.perf_counter()
        with transaction.atomic():
            job()
        parts[name] = time.perf_counter() - started
    from django.utils import timezone

    RefreshLog.objects.update_or_create(
        period=args.period,
        defaults={"refreshed_at": timezone.now(), "seconds": sum(parts.values())},
    )
    rows = CoverageSummary.objects.filter(period=args.period).count()
    print(f"refresh of one month: {sum(parts.values()):.1f} s ({rows:,} coverage rows)")
    for name, seconds in parts.items():
        print(f"  {name:<22} {seconds:7.2f} s")

    # baseline: the coverage figure straight from the raw tables (the refresh's own SELECTs)
    from jamsos.contributions.billing import period_bounds
    from jamsos.reporting.coverage import REFRESH_SQL, _in_contract_sql, age_band_sql

    first, last = period_bounds(args.period)
    age, age_params = age_band_sql(last)
    in_contract, contract_params = _in_contract_sql(first)
    params = {"first": first, "last": last, "period": args.period, **age_params, **contract_params}
    scans = []
    for _ in range(max(1, args.repeats // 2)):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in REFRESH_SQL.values():
                cursor.execute(sql.format(age=age, in_contract=in_contract), params)
                cursor.fetchall()
        scans.append(time.perf_counter() - started)
    scan = statistics.median(scans)
    print(f"baseline, one scan of the raw tables for the coverage figure: {scan * 1000:,.0f} ms")

    head = User.objects.get(username="wilayah")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(head)
    year = args.period[:4]
    pages = {
        "dashboard /laporan/ (region)": f"/laporan/?office=KAL&period={args.period}",
        "dashboard, one province": f"/laporan/?office=KAL&period={args.period}&province=64",
        "regional summary page": f"/laporan/ringkasan/?office=KAL&year={year}",
        "regional summary PDF": f"/laporan/ringkasan/?office=KAL&year={year}&format=pdf",
        "compliance list": f"/laporan/kepatuhan/?office=KAL&period={args.period}",
        "dashboard XLSX export": f"/laporan/?office=KAL&period={args.period}&format=xlsx",
    }
    print(f"warm page views, median of {args.repeats} (ratio to the scan baseline):")
    for name, url in pages.items():
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        median = statistics.median(times)
        print(f"  {name:<32} {median * 1000:7.0f} ms  ({median / scan:.3f}x)")


def _pay_worker(periods: list[str], index: int, count: int) -> None:
    """Pay every ``count``-th unpaid PU bill of the periods (those whose id modulo ``count``
    is ``index``), on or a few days before the due date, as the demo bank would."""
    import random
    from datetime import timedelta

    from jamsos.contributions.models import Bill
    from jamsos.demo.money import _notify, _secret

    secret = _secret()
    bills = list(
        Bill.objects.filter(kind="pu", period__in=periods, total_idr__gt=0, paid_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    mine = [pk for pk in bills if pk % count == index]
    started = time.perf_counter()
    for done, pk in enumerate(mine, start=1):
        bill = Bill.objects.get(pk=pk)
        rng = random.Random(f"{bill.employer_id}:{bill.period}")
        paid = bill.due_on - timedelta(days=rng.randrange(0, 10))
        _notify(secret, bill, bill.total_idr, paid, f"BENCH-{bill.payment_code}")
        if done % 2000 == 0 or done == len(mine):
            rate = done / (time.perf_counter() - started)
            print(f"worker {index}: {done:,}/{len(mine):,} bills, {rate:.0f}/s", flush=True)


if __name__ == "__main__":
    main()
