"""Time a 50,000-row monthly worker list: dry run and finalise, on a fresh database.

    .venv/bin/python bench/bench_upload.py [--rows 50000] [--postgres postgres://user@host:5432]

Runs in a child process per database. Prints seconds and rows/s for each step, and the ratio
to a 5,000-row list measured in the same run (the baseline).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid

CHILD = r"""
import os, sys, time, random
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from jamsos.demo.services import demo_load
demo_load()
from jamsos.accounts.models import User
from jamsos.registry.models import Employer
from jamsos.registry.upload import upload_check, upload_finalise
rows = int(sys.argv[1])
rng = random.Random(rows)
lines = ["nik,full_name,birth_date,sex,start_on,wage_idr,division,end_on,exit_reason"]
for i in range(rows):
    year, month, day = 1960 + i % 45, 1 + i % 12, 1 + i % 28
    sex = "F" if i % 3 == 0 else "M"
    dd = day + (40 if sex == "F" else 0)
    nik = f"6371{1 + i // 9999 % 99:02d}{dd:02d}{month:02d}{year % 100:02d}{1 + i % 9999:04d}"
    wage = rng.randrange(2_400_000, 9_000_000)
    birth = f"{year}-{month:02d}-{day:02d}"
    lines.append(f"{nik},Pekerja {i},{birth},{sex},2026-01-05,{wage},000,,")
content = "\n".join(lines).encode()
user = User.objects.get(username="pemberikerja")
employer = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
t0 = time.perf_counter()
upload = upload_check(acting_user=user, employer_id=employer.pk, period="2026-01",
                      filename="list.csv", content=content)
t1 = time.perf_counter()
assert upload.summary["errors"] == 0, upload.summary
upload_finalise(acting_user=user, upload_id=upload.pk)
t2 = time.perf_counter()
print(f"{t1 - t0:.2f} {t2 - t1:.2f}")
"""


def measure(rows: int, env: dict[str, str]) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(rows)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    check, apply = (float(x) for x in out.stdout.split()[-2:])
    return check, apply


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
        "JAMSOS_DEBUG": "true",
        "PYTHONPATH": os.getcwd(),
    }
    targets = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    for name, server in targets:
        results = {}
        for rows in (5_000, args.rows):
            env = dict(base)
            if server:
                db = f"jamsos_bench_{uuid.uuid4().hex[:8]}"
                subprocess.run(["createdb", f"--maintenance-db={server}/postgres", db], check=True)
                env["DATABASE_URL"] = f"{server}/{db}"
            else:
                env["JAMSOS_VAR_DIR"] = tempfile.mkdtemp(prefix="jamsos-bench-")
            results[rows] = measure(rows, env)
            check, apply = results[rows]
            print(
                f"{name:<10} {rows:>7,} rows  dry run {check:6.1f} s ({rows / check:8,.0f}/s)"
                f"  finalise {apply:6.1f} s ({rows / apply:8,.0f}/s)"
            )
        ratio = sum(results[args.rows]) / sum(results[5_000])
        print(
            f"{name:<10} time ratio {args.rows:,} / 5,000 rows: {ratio:.1f}x "
            f"(work ratio {args.rows / 5_000:.0f}x)"
        )


if __name__ == "__main__":
    main()
