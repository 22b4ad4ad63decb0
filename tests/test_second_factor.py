"""Two factors for staff: a staff sign-in without the code reaches no staff page and no API
operation; enrolment with a QR code and recovery codes; opting in; tokens, password change,
deactivation and session timeouts."""

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, get_resolver
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jamsos.accounts.models import ApiToken, RecoveryCode, User
from jamsos.accounts.services import user_create
from jamsos.core.audit import audit_record
from jamsos.core.models import AuditEvent
from jamsos.demo.services import DEMO_PASSWORD
from tests.conftest import bearer_client, totp_code

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token"
T0 = datetime(2026, 6, 1, 9, 0, 15, tzinfo=UTC)


def web_urls() -> list[str]:
    """Every page of the web app, with made-up arguments (what matters is who gets through)."""
    urls = []
    for pattern in get_resolver("jamsos.web.urls").url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        route = re.sub(r"<int:\w+>", "1", route)
        route = re.sub(r"<str:\w+>", "x", route)
        urls.append("/" + route)
    return urls


OPEN_PAGES = {"/masuk/kode/", "/akun/dua-langkah/", "/keluar/"}


def password_only(client: Client, username: str) -> None:
    response = client.post("/masuk/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content
    assert "_auth_user_id" in client.session


def test_a_staff_password_alone_reaches_no_page(demo):
    client = Client()
    password_only(client, "klaim")
    assert client.get("/").url == "/masuk/kode/?next=%2F"
    urls = [u for u in web_urls() if u not in OPEN_PAGES]
    assert len(urls) > 50
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response.url.startswith("/masuk/kode/?next="), (url, response.url)


def test_a_staff_password_alone_reaches_no_api_operation(demo):
    client = Client()
    password_only(client, "auditor")
    assert client.get("/api/v1/auth/me").status_code == 401
    assert client.get("/api/v1/audit/events").status_code == 401
    assert client.get("/api/v1/employers").status_code == 401


def test_the_code_step_completes_the_staff_sign_in(demo):
    client = Client()
    password_only(client, "cabang")
    wrong = client.post(
        "/masuk/kode/", {"otp": "000000" if totp_code(demo["cabang"]) != "000000" else "111111"}
    )
    assert wrong.status_code == 400, wrong.content.decode()
    assert "Kode salah" in wrong.content.decode()
    TOTPDevice.objects.update(throttling_failure_count=0)  # the app's own back-off, not ours
    done = client.post("/masuk/kode/", {"otp": totp_code(demo["cabang"]), "next": "/audit/"})
    assert done.status_code == 302 and done.url == "/audit/"
    assert client.get("/pemberi-kerja/").status_code == 200
    events = list(
        AuditEvent.objects.filter(action__startswith="auth.")
        .exclude(action="auth.second_factor_enrol")
        .order_by("id")
        .values_list("action", "after__factor", "after__second_factor")
    )
    assert events == [
        ("auth.password_accepted", None, None),
        ("auth.login_failed", "code", None),
        ("auth.login", None, True),
    ]


def test_staff_without_an_authenticator_must_enrol_first(demo):
    user_create(
        acting_user=None,
        username="baru",
        password=DEMO_PASSWORD,
        role="auditor",
        check_password=False,
    )
    client = Client()
    password_only(client, "baru")
    assert client.get("/audit/").url == "/akun/dua-langkah/?next=%2Faudit%2F"
    page = client.get("/akun/dua-langkah/").content.decode()
    assert 'src="data:image/svg+xml' in page
    api = client.post(
        TOKEN, {"username": "baru", "password": DEMO_PASSWORD}, content_type="application/json"
    )
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "auth.second_factor_enrolment_required"
    assert not ApiToken.objects.exists()


def test_enrolling_an_authenticator_with_the_secret_and_recovery_codes(demo):
    client = Client()
    password_only(client, "peserta")  # a participant may opt in
    assert client.get("/kartu/").status_code == 200  # not required: reaches their pages
    page = client.get("/akun/dua-langkah/").content.decode()
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page).group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    with time_machine.travel(T0, tick=False):
        code = f"{totp(key):06d}"
        done = client.post("/akun/dua-langkah/", {"otp": code})
    codes = re.findall(r"<li><code>([A-Z2-9]{5}-[A-Z2-9]{5})</code></li>", done.content.decode())
    assert len(codes) == 10 and RecoveryCode.objects.count() == 10
    assert not RecoveryCode.objects.filter(digest__in=codes).exists()  # digests only
    assert AuditEvent.objects.filter(
        action="auth.second_factor_enrol", actor_username="peserta"
    ).exists()
    # from now on peserta needs the code: on the web ...
    client.post("/keluar/")
    password_only(client, "peserta")
    assert client.get("/kartu/").url == "/masuk/kode/?next=%2Fkartu%2F"
    assert client.post("/masuk/kode/", {"otp": codes[0].lower()}).status_code == 302
    assert client.get("/kartu/").status_code == 200
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 1
    # ... a recovery code works once
    client.post("/keluar/")
    password_only(client, "peserta")
    assert client.post("/masuk/kode/", {"otp": codes[0]}).status_code == 400
    # ... and on the API
    body = {"username": "peserta", "password": DEMO_PASSWORD}
    missing = client.post(TOKEN, body, content_type="application/json")
    assert missing.json()["error"]["code"] == "auth.second_factor_required"
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        good = client.post(
            TOKEN, {**body, "otp": f"{totp(key):06d}"}, content_type="application/json"
        )
    assert good.status_code == 200


def test_api_staff_token_needs_the_code_and_wrong_codes_lock(demo):
    client = Client()
    body = {"username": "wilayah", "password": DEMO_PASSWORD}
    missing = client.post(TOKEN, body, content_type="application/json")
    assert (missing.status_code, missing.json()["error"]["code"]) == (
        400,
        "auth.second_factor_required",
    )
    right = totp_code(demo["wilayah"])
    wrong = "000000" if right != "000000" else "111111"
    with time_machine.travel(T0, tick=False):
        statuses = []
        for _ in range(5):
            TOTPDevice.objects.update(throttling_failure_count=0)
            statuses.append(
                client.post(
                    TOKEN, {**body, "otp": wrong}, content_type="application/json"
                ).status_code
            )
        assert statuses == [400, 400, 400, 400, 429]
        locked = client.post(
            TOKEN, {**body, "otp": totp_code(demo["wilayah"])}, content_type="application/json"
        )
        assert locked.status_code == 429
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action="auth.login_failed", after__factor="code").count() == 5


def test_a_staff_token_issued_without_the_second_factor_is_refused(demo):
    from jamsos.accounts.services import _digest

    with transaction.atomic():  # as issued before second factors existed
        old = ApiToken.objects.create(
            user=demo["admin"],
            digest=_digest("old-token"),
            prefix="old-toke",
            expires_at=datetime(2099, 1, 1, tzinfo=UTC),
        )
        audit_record(actor=demo["admin"], action="token.issue", obj=old)
    assert Client().get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer old-token").status_code == 401


def test_an_expired_token_is_refused(demo):
    with time_machine.travel(T0, tick=False):
        client = bearer_client("peserta")
        assert client.get("/api/v1/auth/me").status_code == 200
    assert ApiToken.objects.get().expires_at == T0 + timedelta(days=30)
    with time_machine.travel(T0 + timedelta(days=30, seconds=-1), tick=False):
        assert client.get("/api/v1/auth/me").status_code == 200
    with time_machine.travel(T0 + timedelta(days=30), tick=False):
        response = client.get("/api/v1/auth/me")
    assert response.status_code == 401 and response.json()["error"]["code"] == "auth.required"


def test_a_revoked_token_is_refused(demo):
    client = bearer_client("cabang")
    assert client.delete(TOKEN).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401


def test_rotation_swaps_the_token(demo):
    client = bearer_client("klaim")
    rotated = client.post("/api/v1/auth/token/rotate")
    assert rotated.status_code == 200
    assert client.get("/api/v1/auth/me").status_code == 401  # the old one is dead
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {rotated.json()['token']}"
    assert client.get("/api/v1/auth/me").status_code == 200
    tokens = client.get("/api/v1/auth/tokens").json()
    assert [t["revoked_at"] is None for t in tokens] == [True, False]
    assert AuditEvent.objects.filter(action="token.rotate").count() == 1


def test_last_used_is_written_at_most_once_a_minute(demo, django_assert_num_queries):
    with time_machine.travel(T0, tick=False):
        client = bearer_client("peserta")
        client.get("/api/v1/auth/me")
    token = ApiToken.objects.get()
    assert token.last_used_at == T0
    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):
        client.get("/api/v1/auth/me")
    assert ApiToken.objects.get().last_used_at == T0
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        client.get("/api/v1/auth/me")
    assert ApiToken.objects.get().last_used_at == T0 + timedelta(seconds=61)


def test_password_change_revokes_every_token_and_other_sessions(demo, client):
    api = bearer_client("sponsor")
    elsewhere = Client()
    password_only(elsewhere, "sponsor")
    password_only(client, "sponsor")
    new = "another-long-passphrase-2026"
    short = client.post(
        "/akun/kata-sandi/",
        {"old_password": DEMO_PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert short.status_code == 400
    changed = client.post(
        "/akun/kata-sandi/",
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert client.get("/akun/").status_code == 200  # this session stays
    assert elsewhere.get("/akun/").status_code == 302  # the other one ended
    assert api.get("/api/v1/auth/me").status_code == 401
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert User.objects.get(username="sponsor").check_password(new)
    assert AuditEvent.objects.filter(action="user.password_change").count() == 1


def test_deactivateuser_revokes_tokens_and_ends_sessions(demo, capsys):
    api = bearer_client("pemberikerja")
    web = Client()
    password_only(web, "pemberikerja")
    call_command("deactivateuser", "pemberikerja", "--reason", "left the company")
    assert "deactivated pemberikerja" in capsys.readouterr().out
    assert api.get("/api/v1/auth/me").status_code == 401
    assert web.get("/akun/").status_code == 302
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.after == {"is_active": False, "tokens_revoked": 1, "sessions_ended": 1}
    again = Client().post("/masuk/", {"username": "pemberikerja", "password": DEMO_PASSWORD})
    assert again.status_code == 200


def test_staff_sessions_end_after_30_idle_minutes_and_every_session_after_12_hours(demo):
    staff, member = Client(), Client()
    with time_machine.travel(T0, tick=False):
        staff.force_login(demo["cabang"])
        member.force_login(demo["peserta"])
        from tests.conftest import TwoFactorClient

        staff.__class__ = TwoFactorClient
        staff.force_login(demo["cabang"])
        assert staff.get("/pemberi-kerja/").status_code == 200
        assert member.get("/kartu/").status_code == 200
    with time_machine.travel(T0 + timedelta(minutes=29), tick=False):
        assert staff.get("/pemberi-kerja/").status_code == 200
    with time_machine.travel(T0 + timedelta(minutes=60), tick=False):
        ended = staff.get("/pemberi-kerja/")
        assert ended.status_code == 302 and ended.url.startswith("/masuk/?next=")
        assert member.get("/kartu/").status_code == 200  # members have no idle limit
    with time_machine.travel(T0 + timedelta(hours=12, seconds=1), tick=False):
        assert member.get("/kartu/").status_code == 302


def test_every_page_says_which_browser_features_it_does_not_use(client):
    policy = client.get("/")["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_reset2fa_removes_the_authenticator(demo, capsys):
    call_command("reset2fa", "auditor")
    assert "removed 1 device(s) of auditor" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=demo["auditor"]).exists()
    client = Client()
    password_only(client, "auditor")
    assert client.get("/audit/").url.startswith("/akun/dua-langkah/")
