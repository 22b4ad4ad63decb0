"""Backups and restores of the whole database (docs/operations.md).

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (the client tools of the server's
major version or newer). SQLite: the online backup API, which copies a consistent snapshot
while the server keeps running. A restore goes into a new, empty database; the fingerprint
of the ledger, balances and audit trail tells that it holds the same records.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.db import connection

from jamsos.core.errors import RuleViolation

SUFFIX = {"postgresql": ".dump", "sqlite": ".sqlite3"}

#: What must be identical after a restore: the ledger, the money on bills, the JHT accounts,
#: balances by account and party, and the audit trail. Each query is ordered.
FINGERPRINT_QUERIES = {
    "ledger_postings": (
        "SELECT id, kind, source_id, effective_on, memo FROM ledger_posting ORDER BY id"
    ),
    "ledger_legs": (
        "SELECT id, posting_id, account, amount_idr, employer_id, participant_id "
        "FROM ledger_leg ORDER BY id"
    ),
    "balances": (
        "SELECT account, employer_id, participant_id, SUM(amount_idr) FROM ledger_leg "
        "GROUP BY account, employer_id, participant_id "
        "ORDER BY account, employer_id, participant_id"
    ),
    "bills": "SELECT id, payment_code, total_idr, paid_idr FROM contributions_bill ORDER BY id",
    "payments": (
        "SELECT id, transaction_id, amount_idr, bill_id FROM contributions_payment ORDER BY id"
    ),
    "jht_accounts": (
        "SELECT participant_id, SUM(amount_idr) FROM contributions_jhtentry "
        "GROUP BY participant_id ORDER BY participant_id"
    ),
    "audit": (
        "SELECT id, actor_username, action, object_type, object_id, reason "
        "FROM core_auditevent ORDER BY id"
    ),
}


def _refuse(message: str, message_id: str, code: str, field: str = "database") -> RuleViolation:
    """A refusal in English and Indonesian: the operator reads it in either language."""
    return RuleViolation(message, code=code, field=field, message_id=message_id)


def vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise _refuse(
            f"{name} not found: install the PostgreSQL client tools",
            f"{name} tidak ditemukan: pasang alat klien PostgreSQL",
            code="backup.no_tool",
        )
    return path


def backup_create(*, directory: Path | None = None, keep: int | None = None) -> Path:
    """Write a backup of the database into ``directory`` (``var/backups`` by default) and,
    with ``keep``, delete all but the ``keep`` newest backups there. Returns the file."""
    folder = Path(directory or Path(settings.VAR_DIR) / "backups")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"jamsos-{stamp}{SUFFIX[vendor()]}"
    partial = target.with_suffix(target.suffix + ".partial")
    if vendor() == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
            [
                _tool("pg_dump"),
                *args,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(partial),
                str(connection.settings_dict["NAME"]),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    else:
        connection.ensure_connection()
        destination = sqlite3.connect(partial)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    partial.rename(target)  # a backup that is there is whole
    if keep:
        backups_prune(folder, keep)
    return target


def backups_prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest backups in ``folder``; returns the deleted files."""
    found = sorted(
        (p for p in folder.glob("jamsos-*") if p.suffix in SUFFIX.values()),
        key=lambda p: p.name,
        reverse=True,
    )
    for old in found[keep:]:
        old.unlink()
    return found[keep:]


def sqlite_path(database_url: str) -> Path | None:
    parsed = urlparse(database_url)
    if parsed.scheme != "sqlite":
        return None
    return Path(unquote(parsed.path[1:] if parsed.path.startswith("//") else parsed.path))


def backup_restore(*, file: Path, database_url: str) -> None:
    """Restore ``file`` into the empty database at ``database_url`` (never over data)."""
    if not file.is_file():
        raise _refuse(
            f"{file}: no such backup",
            f"{file}: cadangan itu tidak ada",
            code="backup.not_found",
            field="file",
        )
    target = sqlite_path(database_url)
    if file.suffix == SUFFIX["sqlite"]:
        if target is None:
            raise _refuse(
                "a SQLite backup restores into a sqlite:/// URL",
                "cadangan SQLite dipulihkan ke URL sqlite:///",
                code="backup.engine",
            )
        if target.exists() and target.stat().st_size:
            raise _refuse(
                f"{target} exists: restore into a new file",
                f"{target} sudah ada: pulihkan ke berkas baru",
                code="backup.not_empty",
            )
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
        return
    if target is not None:
        raise _refuse(
            "a PostgreSQL backup restores into a postgres:// URL",
            "cadangan PostgreSQL dipulihkan ke URL postgres://",
            code="backup.engine",
        )
    import psycopg

    with psycopg.connect(database_url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    if tables and tables[0]:
        raise _refuse(
            "the target database has tables: restore into a new one",
            "basis data tujuan sudah berisi tabel: pulihkan ke basis data baru",
            code="backup.not_empty",
        )
    subprocess.run(  # noqa: S603 - fixed tool
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--dbname",
            database_url,
            str(file),
        ],
        check=True,
        capture_output=True,
    )


def fingerprint(cursor: Any) -> dict[str, str]:
    """A digest of each table that must survive a restore unchanged, from any DB-API cursor."""
    result = {}
    for name, sql in FINGERPRINT_QUERIES.items():
        cursor.execute(sql)
        rows = cursor.fetchall()
        digest = hashlib.sha256(repr([tuple(str(v) for v in r) for r in rows]).encode())
        result[name] = f"{len(rows)}:{digest.hexdigest()[:16]}"
    return result


def fingerprint_of(database_url: str) -> dict[str, str]:
    """The fingerprint of another database (a restored copy), by its URL."""
    target = sqlite_path(database_url)
    if target is not None:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            return fingerprint(conn.cursor())
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(database_url) as pg:
        return fingerprint(pg.cursor())
