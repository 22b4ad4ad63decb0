"""The permission matrix: each demo role sees only what its role allows, and a denied
request changes nothing (API and pages)."""

import pytest

from jamsos.core.models import AuditEvent
from jamsos.registry.models import Employer
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db

SAWIT, BANUA, KHATULISTIWA, MAHAKAM = (
    "PT Borneo Sawit Lestari",
    "CV Banua Konstruksi",
    "PT Khatulistiwa Logistik",
    "CV Mahakam Bangun Persada",
)
ALL = {SAWIT, BANUA, KHATULISTIWA, MAHAKAM}

#: role user -> employers visible
VISIBLE = {
    "peserta": set(),
    "sponsor": set(),
    "kontraktor": set(),  # acts for its company's projects, not as its employer administrator
    "pemberikerja": {SAWIT},  # its own employer only
    "cabang": {SAWIT, BANUA, MAHAKAM},  # branch Banjarmasin only
    "cabang_ptk": {KHATULISTIWA},  # branch Pontianak only
    "wilayah": ALL,  # region Kalimantan
    "klaim": ALL,
    "auditor": ALL,
    "admin": ALL,
}

#: status of POST verify on the pending Banjarmasin employer (CV Banua Konstruksi)
VERIFY = {
    "peserta": 404,
    "sponsor": 404,
    "kontraktor": 404,
    "pemberikerja": 404,
    "cabang_ptk": 404,
    "wilayah": 403,
    "klaim": 403,
    "auditor": 403,
    "admin": 403,
    "cabang": 200,
}


@pytest.fixture
def users(demo, password):
    from jamsos.accounts.services import user_create

    demo["cabang_ptk"] = user_create(
        acting_user=None,
        username="cabang_ptk",
        password=password,
        role="branch_officer",
        branch_office_code="PTK",
        check_password=False,
    )
    return demo


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_api_employer_list_and_detail_are_scoped(users, username):
    client = bearer_client(username)
    listed = client.get("/api/v1/employers?limit=100")
    assert listed.status_code == 200
    assert {e["legal_name"] for e in listed.json()["items"]} == VISIBLE[username]
    for employer in Employer.objects.all():
        detail = client.get(f"/api/v1/employers/{employer.pk}")
        expected = 200 if employer.legal_name in VISIBLE[username] else 404
        assert detail.status_code == expected, (username, employer.legal_name)


@pytest.mark.parametrize("username", sorted(VERIFY))
def test_api_verify_only_by_the_branch_and_denials_change_nothing(users, username):
    pending = Employer.objects.get(legal_name=BANUA)
    client = bearer_client(username)
    events_before = AuditEvent.objects.exclude(action="token.issue").count()
    response = client.post(
        f"/api/v1/employers/{pending.pk}/verify",
        {"reason": "checked"},
        content_type="application/json",
    )
    assert response.status_code == VERIFY[username], response.content
    pending.refresh_from_db()
    events_after = AuditEvent.objects.exclude(action="token.issue").count()
    if VERIFY[username] == 200:
        assert response.json()["status"] == "active"
        assert pending.status == "active"
        assert events_after == events_before + 1
    else:
        assert response.json()["error"]["code"] in (
            "employer.not_found",
            "employer.verify_forbidden",
        )
        assert pending.status == "pending"
        assert pending.verified_at is None
        assert events_after == events_before


def test_api_without_a_token_is_401_and_changes_nothing(users, client):
    pending = Employer.objects.get(legal_name=BANUA)
    assert client.get("/api/v1/employers").status_code == 401
    response = client.post(
        f"/api/v1/employers/{pending.pk}/verify", {}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_verifying_twice_is_a_conflict_not_a_second_change(users):
    pending = Employer.objects.get(legal_name=BANUA)
    client = bearer_client("cabang")
    assert (
        client.post(
            f"/api/v1/employers/{pending.pk}/verify", {}, content_type="application/json"
        ).status_code
        == 200
    )
    again = client.post(
        f"/api/v1/employers/{pending.pk}/verify", {}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "employer.not_pending"
    assert (
        AuditEvent.objects.filter(action="employer.verify", object_id=str(pending.pk)).count() == 1
    )


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_pages_employer_detail_and_verify_are_scoped(users, client, username):
    client.force_login(users[username])
    pending = Employer.objects.get(legal_name=BANUA)
    page = client.get(f"/pemberi-kerja/{pending.pk}/")
    assert page.status_code == (200 if BANUA in VISIBLE[username] else 404)
    if page.status_code == 200:
        has_button = f'action="/pemberi-kerja/{pending.pk}/verifikasi/"' in page.content.decode()
        assert has_button is (username == "cabang")
    response = client.post(f"/pemberi-kerja/{pending.pk}/verifikasi/", {"reason": "x"})
    pending.refresh_from_db()
    if username == "cabang":
        assert response.status_code == 302
        assert pending.status == "active"
    else:
        assert response.status_code == VERIFY[username]
        assert pending.status == "pending"
        assert not AuditEvent.objects.filter(
            action="employer.verify", object_id=str(pending.pk)
        ).exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("auditor", 200),
        ("admin", 200),
        ("cabang", 403),
        ("wilayah", 403),
        ("peserta", 403),
    ],
)
def test_audit_page_only_for_auditors_and_admins(users, client, username, status):
    client.force_login(users[username])
    assert client.get("/audit/").status_code == status


def test_anonymous_pages_redirect_to_login(db, client):
    for url in ("/audit/", "/pemberi-kerja/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/?next=")
