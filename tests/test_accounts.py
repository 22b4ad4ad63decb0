"""Users, roles and API tokens."""

import pytest
from django.db import IntegrityError, transaction

from jamsos.accounts.models import ApiToken, User
from jamsos.accounts.services import token_issue, token_revoke, tokens_revoke_all, user_create
from jamsos.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from jamsos.core.models import AuditEvent
from tests.conftest import bearer_client, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
GOOD = "a-long-enough-passphrase"


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"role": "king"}, "role", "Unknown role 'king'"),
        ({"role": "branch_officer"}, "branch", "must be bound to a branch office"),
        ({"role": "auditor", "branch_office_code": "BJM"}, "branch", "Only a branch officer"),
        ({"role": "regional_head"}, "region", "must be bound to a regional office"),
        ({"role": "auditor", "regional_office_code": "KAL"}, "region", "Only a regional head"),
        ({"role": "employer_admin"}, "employer", "at least one employer"),
        ({"role": "sponsor", "employer_npps": ["10000001"]}, "employer", "Only an employer admin"),
        ({"role": "auditor", "username": "  "}, "username", "A username is required"),
        ({"role": "auditor", "password": "short"}, "password", "too short"),
    ],
)
def test_user_create_names_the_field_and_the_rule(demo, kwargs, field, message):
    args = {"acting_user": None, "username": "newcomer", "password": GOOD, **kwargs}
    before = User.objects.count()
    with pytest.raises(RuleViolation) as exc:
        user_create(**args)
    assert exc.value.field == field
    assert message in exc.value.message
    assert User.objects.count() == before


def test_user_create_unknown_office_or_employer_is_not_found(demo):
    with pytest.raises(NotFound, match="No branch office with code 'XXX'"):
        user_create(
            acting_user=None,
            username="n1",
            password=GOOD,
            role="branch_officer",
            branch_office_code="XXX",
        )
    with pytest.raises(NotFound, match="No employer with NPP 99999999"):
        user_create(
            acting_user=None,
            username="n2",
            password=GOOD,
            role="employer_admin",
            employer_npps=["99999999"],
        )


def test_user_create_binds_and_audits(demo):
    admin = demo["admin"]
    user = user_create(
        acting_user=admin,
        username="cabang2",
        password=GOOD,
        role="branch_officer",
        branch_office_code="PTK",
        full_name="Yanti Putri",
    )
    assert user.branch_office.code == "PTK"
    assert user.get_full_name() == "Yanti Putri"
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor == admin
    assert event.after["role"] == "branch_officer"
    assert "password" not in event.after


def test_only_system_admins_create_users_and_usernames_are_unique(demo):
    with pytest.raises(PermissionDenied):
        user_create(acting_user=demo["cabang"], username="x", password=GOOD, role="auditor")
    with pytest.raises(Conflict) as exc:
        user_create(acting_user=None, username="auditor", password=GOOD, role="auditor")
    assert exc.value.field == "username"


def test_the_database_refuses_a_branch_officer_without_a_branch(demo):
    user = demo["cabang"]
    user.branch_office = None
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_token_issue_stores_only_a_digest_and_audits(demo, password):
    raw = token_issue(
        username="klaim", password=password, label="laptop", otp=totp_code(demo["klaim"])
    )
    token = ApiToken.objects.get(user__username="klaim")
    assert raw not in (token.digest, token.prefix)
    assert raw.startswith(token.prefix)
    assert AuditEvent.objects.filter(action="token.issue", object_id=str(token.pk)).exists()


def test_token_issue_refuses_bad_credentials_without_writing(demo):
    with pytest.raises(RuleViolation) as exc:
        token_issue(username="klaim", password="wrong-password")
    assert exc.value.code == "auth.invalid_credentials"
    assert not ApiToken.objects.exists()


def test_api_errors_follow_the_requested_language(demo, client):
    body = {"username": "cabang", "password": "nope"}
    default = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert default.json()["error"]["message"] == "Nama pengguna atau kata sandi salah."
    assert default.json()["error"]["code"] == "auth.invalid_credentials"


def test_api_token_flow_issue_use_revoke(demo, client, password):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "cabang", "password": password, "otp": totp_code(demo["cabang"])},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    me = client.get("/api/v1/auth/me", **auth)
    assert me.status_code == 200
    assert me.json() == {
        "username": "cabang",
        "full_name": "Dewi Lestari",
        "role": "branch_officer",
        "branch_office": "BJM",
        "regional_office": None,
        "employers": [],
    }
    assert client.delete("/api/v1/auth/token", **auth).status_code == 204
    after = client.get("/api/v1/auth/me", **auth)
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "auth.required"
    assert AuditEvent.objects.filter(action="token.revoke", actor_username="cabang").count() == 1


def test_api_token_bad_credentials_and_malformed_body(demo, client):
    wrong = client.post(
        "/api/v1/auth/token",
        {"username": "cabang", "password": "nope"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == {
        "code": "auth.invalid_credentials",
        "field": "password",
        "message": "Wrong username or password.",
    }
    missing = client.post(
        "/api/v1/auth/token", {"username": "cabang"}, content_type="application/json"
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "invalid"
    assert missing.json()["error"]["field"] == "password"
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION="Bearer made-up").status_code == 401


def test_revoking_twice_changes_nothing_and_others_tokens_are_not_found(demo, password):
    token_issue(username="cabang", password=password, otp=totp_code(demo["cabang"]))
    token = ApiToken.objects.get(user__username="cabang")
    with pytest.raises(NotFound):
        token_revoke(acting_user=demo["klaim"], token_id=token.pk)
    token_revoke(acting_user=demo["cabang"], token_id=token.pk)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    token_revoke(acting_user=demo["cabang"], token_id=token.pk)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


def test_revoke_all_tokens_of_a_user(demo, password):
    client = bearer_client("wilayah")
    token_issue(username="wilayah", password=password, otp=totp_code(demo["wilayah"]))
    assert tokens_revoke_all(acting_user=None, username="wilayah", reason="lost phone") == 2
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert client.get("/api/v1/auth/me").status_code == 401
    with pytest.raises(NotFound):
        tokens_revoke_all(acting_user=None, username="ghost")
