"""Backup and restore: a small demo region with money is backed up, restored into a new
database, and its ledger, balances and audit trail are identical."""

import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
from django.core.management import CommandError, call_command

from jamsos.jobs.backup import backups_prune, fingerprint_of


def _env(var):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JAMSOS_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update({"JAMSOS_DEBUG": "true", "JAMSOS_VAR_DIR": str(var)})
    return env


def jamsos(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "-m", "jamsos.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=check,
    )


@pytest.fixture
def databases(tmp_path):
    """Database URLs of the suite's engine that do not exist yet (files, or PostgreSQL
    databases beside the suite's); dropped after."""
    suite = os.environ.get("DATABASE_URL", "")
    if not suite.startswith("postgres"):
        yield lambda name: f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        return
    import psycopg

    server = suite.rsplit("/", 1)[0]
    made = []

    def make(name):
        made.append(f"jamsos_bk_{uuid.uuid4().hex[:8]}_{name}")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{made[-1]}"')
        return f"{server}/{made[-1]}"

    yield make
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restore_gives_an_identical_ledger_balances_and_audit_trail(databases, tmp_path):
    # a small demo region with a month billed and paid, built as an operator would
    env = {**_env(tmp_path / "var"), "DATABASE_URL": databases("source")}
    jamsos(env, "migrate", "--noinput")
    jamsos(env, "demo", "--scale", "0.0003", "--months", "1")
    before = fingerprint_of(env["DATABASE_URL"])
    rows = {name: int(value.split(":")[0]) for name, value in before.items()}
    assert rows["ledger_legs"] > 100 and rows["bills"] > 10 and rows["audit"] > 10
    assert rows["payments"] > 0 and rows["jht_accounts"] > 0

    written = jamsos(env, "backup", "--dir", str(tmp_path / "b"), "--keep", "7")
    files = list((tmp_path / "b").iterdir())
    assert len(files) == 1 and "backup written" in written.stdout

    target = databases("restored")
    restored = jamsos(env, "restore", str(files[0]), "--database-url", target, "--check")
    assert "check: identical to the current database" in restored.stdout
    assert fingerprint_of(target) == before

    # never over data: the same target again is refused, and it is unchanged
    again = jamsos(env, "restore", str(files[0]), "--database-url", target, check=False)
    assert again.returncode == 1 and "restore into a new" in again.stderr
    assert fingerprint_of(target) == before

    # the drill notices a difference: a change made after the backup
    jamsos(
        {**env, "JAMSOS_PASSWORD": "a-later-password-7"},
        "createuser",
        "--role",
        "auditor",
        "--username",
        "later",
        "--full-name",
        "Later",
    )
    drill = jamsos(
        env, "restore", str(files[0]), "--database-url", databases("drill"), "--check", check=False
    )
    assert drill.returncode == 1
    assert "differs from the current database in ['audit']" in drill.stderr


def test_retention_keeps_the_newest(tmp_path):
    for stamp in ("20261101T010000Z", "20261102T010000Z", "20261103T010000Z"):
        (tmp_path / f"jamsos-{stamp}.sqlite3").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("kept")
    gone = backups_prune(tmp_path, keep=2)
    assert [p.name for p in gone] == ["jamsos-20261101T010000Z.sqlite3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "jamsos-20261102T010000Z.sqlite3",
        "jamsos-20261103T010000Z.sqlite3",
        "notes.txt",
    ]


def test_restore_refuses_a_missing_file_and_the_wrong_engine(tmp_path):
    with pytest.raises(CommandError, match="no such backup"):
        call_command("restore", str(tmp_path / "none.dump"), "--database-url", "sqlite:///x")
    dump = tmp_path / "jamsos-1.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="restores into a postgres:// URL"):
        call_command("restore", str(dump), "--database-url", f"sqlite:///{tmp_path / 'n'}")
    lite = tmp_path / "jamsos-1.sqlite3"
    sqlite3.connect(lite).close()
    with pytest.raises(CommandError, match="restores into a sqlite:/// URL"):
        call_command("restore", str(lite), "--database-url", "postgres://u@h/db")
