"""Fuzz the REST API with Schemathesis against the project's own OpenAPI document.

Starts Jamsos on a loopback port with a fresh SQLite database and the demo logins (or uses
``--url`` of a running server), signs in as each demo login (one per role), and runs
``schemathesis run`` once per login and once anonymously with these checks: no server error,
only documented status codes and content types, responses that match their schema, and
schema-violating requests refused. Exits 1 when any check failed. CI runs it with 2 examples per
operation; the long run (bench/README.md) with 20.

    python bench/fuzz_api.py                       # CI: a few minutes
    python bench/fuzz_api.py --max-examples 20     # the long run
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
PASSWORD = "jamsos-demo-2026"  # noqa: S105 - the demo logins (jamsos/demo/services.py)
#: Every demo login, one per role (jamsos/demo/services.py DEMO_USERS).
ROLES = (
    "admin",
    "cabang",
    "klaim",
    "wilayah",
    "auditor",
    "pemberikerja",
    "kontraktor",
    "sponsor",
    "peserta",
)
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,negative_data_rejection"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 600) -> None:
    """Until ``url`` answers 200: the first request builds the OpenAPI document, which takes a
    while on a busy machine."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


#: Staff logins need the code of their authenticator to get a token (docs/security.md).
STAFF = frozenset({"admin", "cabang", "klaim", "auditor", "wilayah"})


def demo_code(username: str) -> str:
    """The current code of a demo staff login's authenticator: the demo server runs in DEBUG,
    where the secret is fixed per username (jamsos.demo.services.demo_totp_key)."""
    from django_otp.oath import totp

    key = hashlib.sha256(f"jamsos-demo-totp:{username}".encode()).hexdigest()[:40]
    return f"{totp(bytes.fromhex(key)):06d}"


def token(base: str, username: str) -> str:
    body: dict[str, str] = {"username": username, "password": PASSWORD, "label": "fuzz"}
    if username in STAFF:
        body["otp"] = demo_code(username)
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/api/v1/auth/token",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return str(json.load(response)["token"])


def run_role(base: str, role: str, args: argparse.Namespace, out_dir: Path) -> dict[str, object]:
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{base}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(args.max_examples),
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        str(args.workers),
        "--seed",
        str(args.seed),
        "--suppress-health-check",
        "all",
        "--generation-database",
        "none",
        "--request-timeout",
        "60",
        "--no-color",
    ]
    if role != "anonymous":
        command += ["-H", f"Authorization: Bearer {token(base, role)}"]
        # revoking or rotating the run's own token would leave the rest of the run signed out
        command += [
            "--exclude-name-regex",
            r"^(DELETE /api/v1/auth/token|POST /api/v1/auth/token/rotate)$",
        ]
    started = time.monotonic()
    result = subprocess.run(  # in the log folder: nothing is written into the checkout
        command, capture_output=True, text=True, check=False, cwd=out_dir
    )
    seconds = time.monotonic() - started
    log = out_dir / f"fuzz-{role}.txt"
    log.write_text(result.stdout + result.stderr)
    cases = re.search(r"(\d+) generated", result.stdout)
    failures = re.search(r"found (\d+) unique failures", result.stdout)
    return {
        "role": role,
        "exit": result.returncode,
        "cases": int(cases.group(1)) if cases else 0,
        "failures": int(failures.group(1)) if failures else (0 if result.returncode == 0 else -1),
        "seconds": round(seconds, 1),
        "log": str(log),
    }


def start_server(var_dir: Path, port: int, demo_args: list[str]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "JAMSOS_DEBUG": "true",
        "JAMSOS_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'fuzz.sqlite3'}",
        "JAMSOS_WEB_WORKERS": "2",
        "JAMSOS_LOG_LEVEL": "ERROR",
    }
    jamsos = str(BIN / "jamsos")
    subprocess.run([jamsos, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    subprocess.run([jamsos, "demo", *demo_args], env=env, check=True, capture_output=True)
    log = (var_dir / "server.log").open("wb")
    return subprocess.Popen(
        [jamsos, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--roles", default="anonymous," + ",".join(ROLES))
    parser.add_argument("--url", help="a running server (its database must hold the demo)")
    parser.add_argument("--demo-scale", help="load a generated demo region of this scale")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    parser.add_argument("--out", default=None, help="folder for the logs (default: a temp dir)")
    args = parser.parse_args()
    out_dir = Path(args.out or tempfile.mkdtemp(prefix="jamsos-fuzz-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    server = None
    var_dir = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        var_dir = Path(tempfile.mkdtemp(prefix="jamsos-fuzz-var-"))
        port = args.port or free_port()
        demo = ["--scale", args.demo_scale, "--months", "1"] if args.demo_scale else []
        server = start_server(var_dir, port, demo)
        base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        wait_for(f"{base}/api/v1/openapi.json")
        results = [run_role(base, role, args, out_dir) for role in args.roles.split(",")]
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if var_dir is not None:
            shutil.rmtree(var_dir, ignore_errors=True)
    print(f"{'role':<14}{'cases':>8}{'failures':>10}{'seconds':>9}  log")
    for r in results:
        print(f"{r['role']:<14}{r['cases']:>8}{r['failures']:>10}{r['seconds']:>9}  {r['log']}")
    cases = sum(int(r["cases"]) for r in results)  # type: ignore[call-overload]
    failed = [r for r in results if r["exit"] != 0]
    print(
        f"fuzz: {len(results)} runs, {cases} test cases, {max(args.max_examples, 1)} examples "
        f"per operation, {time.monotonic() - started:.0f} s"
    )
    if failed:
        for r in failed:
            print(f"--- {r['role']}: see {r['log']}")
            print(Path(str(r["log"])).read_text()[-4000:])
        print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
        return 1
    print(f"{len(results)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
