"""The REST API over loopback, against ``/healthz`` measured in the same run.

    .venv/bin/python bench/bench_api.py [--postgres postgres://user@host:5432] [--only postgresql]
        [--scale 0.01] [--requests 2000] [--writes 1000] [--repeats 3] [--workers 3] [--port 8000]

For each database, a fresh database is prepared in a child process (the demo region at --scale,
the demo member with a paid informal membership, one bearer token for the member and one for the
sponsor, a payment channel and ``--writes`` open informal bills a repeat to be paid), then Jamsos
is started as in production — ``jamsos serve`` (gunicorn) with DEBUG off — and driven by 8
keep-alive clients (one asyncio loop in this process; a client connects again when gunicorn's
worker closes the connection). Each repeat sends ``--requests`` requests to each read endpoint,
in turn, with ``/healthz`` first and last (its median is the baseline), then the writes: sponsor
registrations of new informal workers and signed payment notifications of distinct bills.

Prints per endpoint requests a second, p50 and p99 latency and the ratio of its throughput to
``/healthz``'s in the same repeat; medians over the repeats. Every answer must have the expected
status, or the run stops.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

PREPARE = r"""
import json, sys, hashlib
from datetime import date, timedelta
from decimal import Decimal
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
call_command("migrate", verbosity=0)
from jamsos.accounts.models import User
from jamsos.accounts.services import token_issue
from jamsos.contributions.bpu import bpu_payment_request
from jamsos.contributions.payments import channel_create, payment_notify, sign
from jamsos.demo.region import demo_region_generate
from jamsos.demo.services import DEMO_PASSWORD, demo_load, demo_member_load
from jamsos.registry.models import Participant

scale, bills_wanted = Decimal(sys.argv[1]), int(sys.argv[2])
demo_load()
member = demo_member_load()
if scale:
    demo_region_generate(scale=scale, seed=2024)
admin = User.objects.get(username="admin")
channel, secret = channel_create(acting_user=admin, code="BENCH", name="")
kpj = member.participations.get(segment="BPU").kpj
now = timezone.now()

def notify(bill, txn):
    body = json.dumps({"channel": "BENCH", "transaction_id": txn,
                       "payment_code": bill.payment_code, "amount_idr": bill.total_idr,
                       "paid_at": now.isoformat()}).encode()
    payment_notify(raw_body=body, signature=sign(secret, body))

# the member's own cover paid, so the statement has a payment and the JHT account a balance
notify(bpu_payment_request(acting_user=admin, kpj=kpj, months=3), "PREP-MEMBER")
bills = []
members = (Participant.objects.filter(segment="BPU").exclude(kpj=kpj)
           .order_by("pk").values_list("kpj", flat=True))
for other in members.iterator():
    if len(bills) == bills_wanted:
        break
    bill = bpu_payment_request(acting_user=admin, kpj=other, months=1)
    if bill.total_idr > 0:
        bills.append([bill.payment_code, bill.total_idr])
assert len(bills) == bills_wanted, (len(bills), bills_wanted)
tokens = {name: token_issue(username=name, password=DEMO_PASSWORD, label="bench")
          for name in ("peserta", "sponsor")}
connection.close()
print(json.dumps({"kpj": kpj, "secret": secret, "bills": bills, "tokens": tokens,
                  "paid_at": now.isoformat()}))
"""


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body or self.method == "POST":
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


class Connection:
    """One HTTP/1.1 connection that reconnects when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.reconnects = 0

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.reconnects += 1
        assert self.reader is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.writer.close()
            self.reader = self.writer = None
        return status, body


async def drive(
    port: int, requests: list[Request], clients: int, expect: int
) -> tuple[float, list[float], int]:
    """Send every request once over ``clients`` connections; the seconds taken, each
    request's latency and how many connections were opened."""
    host = f"127.0.0.1:{port}"
    raws = [r.encode(host) for r in requests]
    latencies: list[float] = []
    connections = [Connection(port) for _ in range(clients)]
    position = 0

    async def client(conn: Connection) -> None:
        nonlocal position
        while position < len(raws):
            raw = raws[position]
            position += 1
            t = time.perf_counter()
            status, body = await conn.send(raw)
            latencies.append(time.perf_counter() - t)
            if status != expect:
                raise SystemExit(
                    f"{raw[:80]!r}: status {status}, expected {expect}: {body[:300]!r}"
                )

    t = time.perf_counter()
    await asyncio.gather(*(client(c) for c in connections))
    seconds = time.perf_counter() - t
    for c in connections:
        if c.writer is not None:
            c.writer.close()
    return seconds, latencies, sum(c.reconnects for c in connections)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def wait_ready(port: int, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit("the server ended before answering")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer /healthz")


def address(serial: int) -> str:
    return f"10.{serial // 65536 % 256}.{serial // 256 % 256}.{serial % 256}"


def worker(serial: int) -> tuple[str, str]:
    """A valid NIK of Banjarmasin (63.71.05), a man born in January 1990, and his birth date."""
    day = 1 + serial // 9_999 % 28
    return f"637105{day:02d}0190{1 + serial % 9_999:04d}", f"1990-01-{day:02d}"


def prepare(name: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, object]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PREPARE, args.scale, str(args.writes * args.repeats)],
        env={**env, "JAMSOS_DEBUG": "true"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    prepared: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    prepared["next_write"] = 0
    prepared["scale"] = args.scale
    print(f"{name}: prepared in {time.perf_counter() - started:.0f} s", flush=True)
    return prepared


def run_database(name: str, args: argparse.Namespace, env: dict[str, str]) -> None:
    saved = os.path.join(args.reuse, "prepared.json") if args.reuse else ""
    if saved and os.path.exists(saved):
        with open(saved) as f:
            prepared = json.load(f)
    else:
        prepared = prepare(name, args, env)
    start = int(prepared["next_write"])  # type: ignore[call-overload]
    if start + args.writes * args.repeats > len(prepared["bills"]):  # type: ignore[arg-type]
        raise SystemExit("not enough prepared bills left: prepare a new database")
    prepared["next_write"] = start + args.writes * args.repeats
    if saved:
        with open(saved, "w") as f:
            json.dump(prepared, f)
    if args.prepare_only:
        prepared["next_write"] = start
        with open(saved, "w") as f:
            json.dump(prepared, f)
        return
    metrics_dir = tempfile.mkdtemp(prefix="jamsos-bench-metrics-")
    server_env = {
        **env,
        "JAMSOS_DEBUG": "false",
        "JAMSOS_HTTPS": "false",
        "JAMSOS_SECRET_KEY": "bench-" + uuid.uuid4().hex * 2,
        "JAMSOS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PROMETHEUS_MULTIPROC_DIR": metrics_dir,
        "JAMSOS_NOTIFICATION_SENDER": "outbox",
        # as behind the reverse proxy of docs/deploy/: each registration comes from its own
        # phone's address (X-Forwarded-For), so the limit of codes per address is not what
        # is measured
        "JAMSOS_TRUSTED_PROXIES": "1",
    }
    jamsos = os.path.join(os.path.dirname(sys.executable), "jamsos")
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the server below
    proc = subprocess.Popen(
        [jamsos, "serve", "--port", str(args.port), "--workers", str(args.workers)],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        wait_ready(args.port, proc)
        report(name, args, prepared)
    except SystemExit:
        log.flush()
        log.seek(0)
        sys.stderr.write(log.read().decode(errors="replace")[-5000:])
        raise
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
        shutil.rmtree(metrics_dir, ignore_errors=True)


def report(name: str, args: argparse.Namespace, prepared: dict[str, object]) -> None:
    kpj = prepared["kpj"]
    tokens: dict[str, str] = prepared["tokens"]  # type: ignore[assignment]
    member = {"Authorization": f"Bearer {tokens['peserta']}"}
    sponsor = {
        "Authorization": f"Bearer {tokens['sponsor']}",
        "Content-Type": "application/json",
    }
    n = args.requests
    reads: list[tuple[str, Request, int]] = [
        ("/healthz", Request("GET", "/healthz"), n),
        ("GET /api/v1/claims", Request("GET", "/api/v1/claims", member), n),
        ("GET /api/v1/jht/{kpj}", Request("GET", f"/api/v1/jht/{kpj}", member), n),
        (
            "GET /api/v1/members/{kpj}/payments",
            Request("GET", f"/api/v1/members/{kpj}/payments", member),
            n,
        ),
        ("GET /api/v1/openapi.json", Request("GET", "/api/v1/openapi.json"), max(n // 10, 50)),
    ]
    from hashlib import sha256
    from hmac import new as hmac_new

    secret = str(prepared["secret"]).encode()
    bills: list[list[object]] = prepared["bills"]  # type: ignore[assignment]
    results: dict[str, list[tuple[float, float, float, float]]] = {}

    def record(label: str, count: int, seconds: float, lat: list[float], base: float) -> None:
        rate = count / seconds
        print(f"  ({label}: {rate:,.0f}/s)", file=sys.stderr, flush=True)
        results.setdefault(label, []).append(
            (rate, percentile(lat, 0.5) * 1000, percentile(lat, 0.99) * 1000, base / rate)
        )

    # warm-up: each worker process loads what it keeps (the OpenAPI document, rule tables)
    for _label, req, _count in reads:
        asyncio.run(drive(args.port, [req] * 8 * args.workers, 8, 200))
    reconnects = 0
    for repeat in range(args.repeats):
        rates: dict[str, tuple[int, float, list[float]]] = {}
        for label, req, count in [*reads, reads[0]]:
            seconds, lat, opened = asyncio.run(drive(args.port, [req] * count, 8, 200))
            reconnects += opened
            if label in rates:  # /healthz again at the end: keep both runs' figures
                c0, s0, l0 = rates[label]
                rates[label] = (c0 + count, s0 + seconds, l0 + lat)
            else:
                rates[label] = (count, seconds, lat)
        base = rates["/healthz"][0] / rates["/healthz"][1]
        for label, (count, seconds, lat) in rates.items():
            record(label, count, seconds, lat, base)
        first = int(prepared["next_write"]) - args.writes * (args.repeats - repeat)  # type: ignore[call-overload]
        # each from its own phone's address (X-Forwarded-For, trusted as behind one proxy)
        registrations = [
            Request(
                "POST",
                "/api/v1/sponsor/workers",
                {**sponsor, "X-Forwarded-For": address(first + i)},
                json.dumps(
                    {
                        "nik": worker(first + i)[0],
                        "full_name": "Pekerja Uji",
                        "birth_date": worker(first + i)[1],
                        "sex": "M",
                        "phone": f"0812{(first + i):08d}",
                        "occupation": "trader",
                        "income_idr": 2_000_000,
                    }
                ).encode(),
            )
            for i in range(args.writes)
        ]
        seconds, lat, opened = asyncio.run(drive(args.port, registrations, 8, 201))
        record("POST /api/v1/sponsor/workers", args.writes, seconds, lat, base)
        notifications = []
        for code, amount in bills[first : first + args.writes]:
            body = json.dumps(
                {
                    "channel": "BENCH",
                    "transaction_id": f"BENCH-{code}",
                    "payment_code": code,
                    "amount_idr": amount,
                    "paid_at": prepared["paid_at"],
                }
            ).encode()
            signature = "sha256=" + hmac_new(secret, body, sha256).hexdigest()
            notifications.append(
                Request(
                    "POST",
                    "/api/v1/payments/notifications",
                    {"Content-Type": "application/json", "X-Jamsos-Signature": signature},
                    body,
                )
            )
        seconds, lat, opened = asyncio.run(drive(args.port, notifications, 8, 200))
        record("POST /api/v1/payments/notifications", args.writes, seconds, lat, base)

    print(
        f"{name}: scale {prepared.get('scale', '?')}, {args.workers} gunicorn workers, 8 clients, "
        f"{args.repeats} repeats (medians); {reconnects:,} connections opened"
    )
    print(f"  {'request':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs /healthz':>12}")
    for label, rows in results.items():
        rate, p50, p99, ratio = (statistics.median(col) for col in zip(*rows, strict=True))
        print(f"  {label:<40} {rate:8,.0f} {p50:8.1f} {p99:8.1f} {ratio:11.2f}x")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="0.01")
    parser.add_argument("--postgres", help="postgres://user@host:5432 (a database is created)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="keep the prepared database (SQLite file or PostgreSQL jamsos_bench_<DIR name>) "
        "and its tokens in DIR and use them again on the next run (one database at a time)",
    )
    parser.add_argument("--prepare-only", action="store_true", help="with --reuse")
    args = parser.parse_args()
    if args.prepare_only and not args.reuse:
        parser.error("--prepare-only: give --reuse DIR to keep what is prepared")
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jamsos.config.settings",
        "PYTHONPATH": os.getcwd(),
        "JAMSOS_LOG_LEVEL": "WARNING",
    }
    targets = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
    for name, server in targets:
        if args.only and name != args.only:
            continue
        env = dict(base)
        db = ""
        var_dir = args.reuse or tempfile.mkdtemp(prefix="jamsos-bench-")
        os.makedirs(var_dir, exist_ok=True)
        env["JAMSOS_VAR_DIR"] = var_dir
        if server:
            db = f"jamsos_bench_{uuid.uuid4().hex[:8]}"
            if args.reuse:  # the database prepared for this folder, kept
                db = f"jamsos_bench_{os.path.basename(os.path.normpath(var_dir))}"
            if not args.reuse or not os.path.exists(os.path.join(var_dir, "prepared.json")):
                subprocess.run(["createdb", f"--maintenance-db={server}/postgres", db], check=True)
            env["DATABASE_URL"] = f"{server}/{db}"
        try:
            run_database(name, args, env)
        finally:
            if not args.reuse:
                if server:
                    subprocess.run(
                        ["dropdb", f"--maintenance-db={server}/postgres", db], check=True
                    )
                shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
