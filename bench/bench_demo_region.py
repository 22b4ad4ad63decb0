"""Time ``jamsos demo --scale S`` on a fresh SQLite file and, given a server, PostgreSQL.

    .venv/bin/python bench/bench_demo_region.py --scale 0.1 [--postgres postgres://user@host:5432]

Prints the wall time, participants per second and the ratio to scale 0.01 measured in the same
run (the baseline: a tenth of the work should take about a tenth of the time).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid


def run(scale: str, env: dict[str, str]) -> tuple[float, dict[str, int]]:
    jamsos = [sys.executable, "-m", "jamsos.cli.main"]
    subprocess.run([*jamsos, "migrate", "-v0"], env=env, check=True)
    start = time.perf_counter()
    out = subprocess.run(
        [*jamsos, "demo", "--scale", scale, "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, json.loads(out.stdout)


def databases(postgres: str | None) -> list[tuple[str, dict[str, str]]]:
    base = {**os.environ, "JAMSOS_DEBUG": "true"}
    result = [("sqlite", {**base, "JAMSOS_VAR_DIR": tempfile.mkdtemp(prefix="jamsos-bench-")})]
    if postgres:
        result.append(("postgresql", {**base, "DATABASE_URL": postgres}))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="0.1")
    parser.add_argument("--postgres", help="server URL without a database name")
    args = parser.parse_args()
    for name, env in databases(args.postgres):
        timings = {}
        for scale in ("0.01", args.scale):
            if name == "postgresql":
                db = f"jamsos_bench_{uuid.uuid4().hex[:8]}"
                subprocess.run(
                    ["createdb", f"--maintenance-db={args.postgres}/postgres", db], check=True
                )
                env = {**env, "DATABASE_URL": f"{args.postgres}/{db}"}
            else:
                env = {**env, "JAMSOS_VAR_DIR": tempfile.mkdtemp(prefix="jamsos-bench-")}
            seconds, counts = run(scale, env)
            people = counts["pu"] + counts["bpu"] + counts["jakon_workers"] + counts["pmi"]
            timings[scale] = seconds
            print(
                f"{name:<10} scale {scale:<5} {seconds:8.1f} s  {people:>9,} participants  "
                f"{people / seconds:9,.0f} participants/s"
            )
        ratio = timings[args.scale] / timings["0.01"]
        print(
            f"{name:<10} time ratio scale {args.scale} / 0.01: {ratio:.1f}x "
            f"(work ratio {float(args.scale) / 0.01:.0f}x)"
        )


if __name__ == "__main__":
    main()
