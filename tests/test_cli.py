"""The jamsos command line shares the services; bad input exits non-zero naming the field."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from jamsos.accounts.models import ApiToken, User
from jamsos.accounts.services import token_issue
from jamsos.cli.main import main
from jamsos.core.models import AuditEvent
from tests.conftest import totp_code

pytestmark = pytest.mark.usefixtures("english")


def test_help_lists_the_operator_commands(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in (
        "serve --host H --port P",
        "migrate",
        "createuser --role R",
        "demo",
        "revoketokens",
    ):
        assert command in out


def test_console_script_help_and_configuration_error(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("JAMSOS_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["JAMSOS_VAR_DIR"] = str(tmp_path)
    ok = subprocess.run(
        [sys.executable, "-m", "jamsos.cli.main", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0
    assert "usage: jamsos COMMAND" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "jamsos.cli.main", "check"],
        env={**env, "JAMSOS_DEBUG": "perhaps"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert "JAMSOS_DEBUG: expected one of" in bad.stderr


@pytest.mark.django_db
def test_createuser_creates_a_bound_user_with_an_audit_event(demo, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-enough-passphrase\n"))
    out = io.StringIO()
    call_command(
        "createuser",
        "--role",
        "branch_officer",
        "--username",
        "rina",
        "--branch",
        "SMD",
        "--full-name",
        "Rina Sari",
        "--password-stdin",
        stdout=out,
    )
    assert "created user rina (branch_officer)" in out.getvalue()
    user = User.objects.get(username="rina")
    assert user.branch_office.code == "SMD"
    assert user.check_password("a-long-enough-passphrase")
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "branch_officer", "--username", "x"], "branch: A branch officer must be bound"),
        (
            ["--role", "regional_head", "--username", "x", "--region", "ZZZ"],
            "region: No regional office with code 'ZZZ'",
        ),
        (
            ["--role", "auditor", "--username", "auditor"],
            "username: The username 'auditor' is taken",
        ),
    ],
)
def test_createuser_refuses_bad_input_naming_the_field(demo, monkeypatch, args, message):
    monkeypatch.setenv("JAMSOS_PASSWORD", "a-long-enough-passphrase")
    count = User.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("createuser", *args)
    assert User.objects.count() == count


@pytest.mark.django_db
def test_createuser_needs_a_password_source(demo, monkeypatch):
    monkeypatch.delenv("JAMSOS_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="password: give it with --password-stdin"):
        call_command("createuser", "--role", "auditor", "--username", "y")


@pytest.mark.django_db
def test_demo_is_safe_to_run_twice(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", stdout=out)
    counts = (User.objects.count(), AuditEvent.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (User.objects.count(), AuditEvent.objects.count()) == counts
    assert counts[0] == 9
    assert "cabang" in out.getvalue() and "jamsos-demo-2026" in out.getvalue()


def test_demo_refuses_with_debug_off_and_writes_nothing(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing to load demo data with DEBUG off"):
        call_command("demo", stdout=io.StringIO())
    assert (User.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_demo_refuses_a_database_with_real_users_and_writes_nothing(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("JAMSOS_PASSWORD", "a-long-real-password-91")
    call_command(
        "createuser", "--role", "auditor", "--username", "real.auditor", stdout=io.StringIO()
    )
    counts = (User.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match=r"holds 1 users that are not demo logins \(real"):
        call_command("demo", stdout=io.StringIO())
    assert (User.objects.count(), AuditEvent.objects.count()) == counts == (1, 1)


def demo_totp_secret_fixed(username: str) -> str:
    import base64

    from jamsos.demo.services import demo_totp_key

    return base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode()


def test_demo_forced_with_debug_off_gives_random_passwords_shown_once(db, settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("demo", "--force", stdout=out)
    logins, secrets = out.getvalue().split("Staff sign in with a second factor")
    lines = {line.split()[0]: line.split()[-1] for line in logins.splitlines()[1:]}
    staff_secrets = {line.split()[0]: line.split()[-1] for line in secrets.splitlines()[1:]}
    assert sorted(staff_secrets) == ["admin", "auditor", "cabang", "klaim", "wilayah"]
    assert staff_secrets["cabang"] != demo_totp_secret_fixed("cabang")  # random outside DEBUG
    assert len(lines) == 9 and "jamsos-demo-2026" not in out.getvalue()
    assert len(set(lines.values())) == 9  # one random password per login
    cabang = User.objects.get(username="cabang")
    assert cabang.check_password(lines["cabang"]) and not cabang.check_password("jamsos-demo-2026")
    again = io.StringIO()
    call_command("demo", "--force", stdout=again)
    assert lines["cabang"] not in again.getvalue() and "(unchanged)" in again.getvalue()
    cabang.refresh_from_db()
    assert cabang.check_password(lines["cabang"])


@pytest.mark.django_db
def test_revoketokens(demo, password):
    token_issue(username="klaim", password=password, otp=totp_code(demo["klaim"]))
    out = io.StringIO()
    call_command("revoketokens", "--username", "klaim", "--reason", "left the agency", stdout=out)
    assert "revoked 1 token(s) of klaim" in out.getvalue()
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    with pytest.raises(CommandError, match="username: No user 'ghost'"):
        call_command("revoketokens", "--username", "ghost")


def test_serve_refuses_a_bad_port():
    with pytest.raises(CommandError, match="--port: must be between 1 and 65535"):
        call_command("serve", "--port", "0")
