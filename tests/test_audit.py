"""The audit trail is append-only in code and in the database, and auditors can read it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from jamsos.core.errors import PermissionDenied
from jamsos.core.models import AppendOnlyError, AuditEvent
from jamsos.core.selectors import AuditFilter, audit_events
from jamsos.registry.models import Employer
from jamsos.registry.services import employer_verify
from tests.conftest import bearer_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_service_write_records_who_what_before_after_and_why(demo):
    officer = demo["cabang"]
    pending = Employer.objects.get(legal_name="CV Banua Konstruksi")
    employer_verify(acting_user=officer, employer_id=pending.pk, reason="documents checked")
    event = AuditEvent.objects.get(action="employer.verify", object_id=str(pending.pk))
    assert event.actor == officer
    assert event.actor_username == "cabang"
    assert event.actor_role == "branch_officer"
    assert event.object_type == "registry.employer"
    assert event.before["status"] == "pending"
    assert event.after["status"] == "active"
    assert event.reason == "documents checked"


def test_orm_cannot_change_or_remove_an_event(demo):
    event = AuditEvent.objects.first()
    original = event.reason
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.reason == original != "rewritten"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET reason = 'tampered'",
        "DELETE FROM core_auditevent",
    ],
)
def test_the_database_refuses_raw_updates_and_deletes(demo, sql):
    count = AuditEvent.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(reason="tampered").exists()


def test_only_auditors_and_admins_read_the_trail(demo):
    assert audit_events(user=demo["auditor"]).count() == AuditEvent.objects.count()
    for username in ("cabang", "wilayah", "pemberikerja", "klaim"):
        with pytest.raises(PermissionDenied):
            audit_events(user=demo[username])


def test_filters_by_actor_action_object_and_dates(demo):
    employer = Employer.objects.get(legal_name="CV Banua Konstruksi")
    employer_verify(acting_user=demo["cabang"], employer_id=employer.pk)
    auditor = demo["auditor"]
    assert list(
        audit_events(user=auditor, filters=AuditFilter(actor="cabang")).values_list(
            "action", flat=True
        )
    ) == ["employer.verify"]
    by_object = audit_events(
        user=auditor,
        filters=AuditFilter(object_type="registry.employer", object_id=str(employer.pk)),
    )
    assert [e.action for e in by_object] == ["employer.verify", "employer.register"]
    today = timezone.localdate(AuditEvent.objects.first().occurred_at)  # filters use local dates
    assert (
        audit_events(user=auditor, filters=AuditFilter(since=today, until=today)).count()
        == AuditEvent.objects.count()
    )
    assert (
        audit_events(
            user=auditor, filters=AuditFilter(until=today.replace(year=today.year - 1))
        ).count()
        == 0
    )


def test_api_lists_and_filters_events_for_auditors(demo):
    response = bearer_client("auditor").get("/api/v1/audit/events?action=user.create&limit=100")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9
    assert {item["after"]["username"] for item in body["items"]} >= {"cabang", "auditor"}
    assert all(item["actor"] == "system" for item in body["items"])
    denied = bearer_client("cabang").get("/api/v1/audit/events")
    assert denied.status_code == 403
    assert denied.json()["error"]["code"] == "permission_denied"


def test_audit_page_filters_and_rejects_a_backwards_date_range(demo, client):
    client.force_login(demo["auditor"])
    page = client.get("/audit/", {"action": "employer.register"})
    assert page.status_code == 200
    assert page.content.decode().count("employer.register") >= 3
    assert "user.create</code>" not in page.content.decode()
    bad = client.get("/audit/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert bad.status_code == 200
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in bad.content.decode()
