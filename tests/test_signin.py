"""Guessing passwords: the lockout per account and per address on the token endpoint and the
login page, its back-off, the unlock command, and the audit of every attempt."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command

from jamsos.accounts.models import ApiToken, SignInLock
from jamsos.core.models import AuditEvent
from jamsos.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token"
T0 = datetime(2026, 6, 1, 9, 0, 15, tzinfo=UTC)


def api_login(client, username, password, **extra):
    return client.post(
        TOKEN,
        {"username": username, "password": password},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_guessing_api_passwords_locks_the_account_even_for_the_right_password(demo, client):
    before = actions()
    with time_machine.travel(T0, tick=False):
        statuses = [api_login(client, "peserta", f"guess-{i}").status_code for i in range(5)]
        assert statuses == [400, 400, 400, 400, 429]
        locked = api_login(client, "peserta", DEMO_PASSWORD)
        assert locked.status_code == 429
        assert locked.json()["error"]["code"] == "auth.locked"
        assert locked["Retry-After"] == "300"
        # from another address too: the account itself is locked
        assert (
            api_login(client, "peserta", DEMO_PASSWORD, REMOTE_ADDR="10.1.1.1").status_code == 429
        )
    assert ApiToken.objects.count() == 0
    assert actions()[len(before) :] == ["auth.login_failed"] * 5 + ["auth.login_locked"] * 2
    failed = AuditEvent.objects.filter(action="auth.login_failed").first()
    assert failed.actor is None and failed.actor_role == "anonymous"
    assert failed.object_id == str(demo["peserta"].pk)
    assert failed.after == {
        "username": "peserta",
        "address": "127.0.0.1",
        "channel": "api",
        "factor": "password",
    }
    with time_machine.travel(T0 + timedelta(minutes=5, seconds=1), tick=False):
        assert api_login(client, "peserta", DEMO_PASSWORD).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login").latest("id").after["channel"] == "api"
    lock = SignInLock.objects.get(kind="account", key="peserta")
    assert (lock.failures, lock.locked_until) == (0, None)  # cleared by the sign-in


def test_the_lock_doubles_with_each_failure_after_it(demo, client):
    with time_machine.travel(T0, tick=False):
        for i in range(5):
            api_login(client, "sponsor", f"guess-{i}")
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        assert api_login(client, "sponsor", "guess-again").status_code == 429
        assert api_login(client, "sponsor", DEMO_PASSWORD)["Retry-After"] == "600"


def test_unknown_usernames_are_counted_the_same_way(db, client):
    with time_machine.travel(T0, tick=False):
        statuses = [api_login(client, "nobody", "x").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    event = AuditEvent.objects.filter(action="auth.login_failed").first()
    assert (event.object_type, event.object_id, event.after["username"]) == (
        "accounts.user",
        "",
        "nobody",
    )


def test_one_address_guessing_many_accounts_is_locked_whatever_it_forwards(demo, client):
    with time_machine.travel(T0, tick=False):
        statuses = [
            api_login(client, f"user{i}", "x", HTTP_X_FORWARDED_FOR=f"6.6.{i}.6").status_code
            for i in range(30)
        ]
        assert statuses == [400] * 29 + [429]
        # the right password of a real account from that address: refused
        assert api_login(client, "peserta", DEMO_PASSWORD).status_code == 429
        # another address signs in
        assert (
            api_login(client, "peserta", DEMO_PASSWORD, REMOTE_ADDR="10.2.2.2").status_code == 200
        )


def test_guessing_on_the_login_page_locks_and_says_so_in_indonesian(demo, client):
    with time_machine.travel(T0, tick=False):
        for i in range(4):
            page = client.post("/masuk/", {"username": "peserta", "password": f"guess-{i}"})
            assert page.status_code == 200 and "_auth_user_id" not in client.session
        page = client.post("/masuk/", {"username": "peserta", "password": "guess-4"})
        assert "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 5 menit" in (
            page.content.decode()
        )
        page = client.post("/masuk/", {"username": "peserta", "password": DEMO_PASSWORD})
        assert page.status_code == 200 and "_auth_user_id" not in client.session
        assert "Terlalu banyak percobaan masuk" in page.content.decode()
    assert (
        list(
            AuditEvent.objects.filter(action__startswith="auth.login").values_list(
                "action", "after__channel"
            )
        )
        == [("auth.login_locked", "web")] + [("auth.login_failed", "web")] * 5
    )


def test_unlock_command_lifts_the_lock_and_is_audited(demo, client, capsys):
    with time_machine.travel(T0, tick=False):
        for i in range(5):
            api_login(client, "peserta", f"guess-{i}")
        call_command("unlock", username="peserta")
        assert "unlocked 1 lock(s)" in capsys.readouterr().out
        assert api_login(client, "peserta", DEMO_PASSWORD).status_code == 200
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor_role == "system" and event.before["failures"] == 5
    with pytest.raises(CommandError, match=r"^username: "):
        call_command("unlock", username="peserta")  # nothing left to unlock


def test_every_successful_sign_in_is_audited_with_its_door(demo, client):
    assert (
        client.post("/masuk/", {"username": "peserta", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    assert api_login(client, "peserta", DEMO_PASSWORD).status_code == 200
    events = AuditEvent.objects.filter(action="auth.login").order_by("id")
    assert [(e.after["channel"], e.object_id, e.after["address"]) for e in events] == [
        ("web", str(demo["peserta"].pk), "127.0.0.1"),
        ("api", str(demo["peserta"].pk), "127.0.0.1"),
    ]
