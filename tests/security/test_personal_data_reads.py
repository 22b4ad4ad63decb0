"""Class 4 of the trust issue: every read that shows a whole NIK, a balance or a document is in
the audit trail (who, what, when, from where); lists mask NIKs unless the reader manages the
record; the audit trail answers "who looked at this person"."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from jamsos.core.models import AuditEvent
from jamsos.registry.enrolment import mask_nik
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def reads(action="person.read"):
    return AuditEvent.objects.filter(action=action)


def test_a_worker_list_with_whole_niks_is_audited_in_one_insert_per_page(world):
    sawit = world["sawit"]
    client = bearer_client("pemberikerja")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/employers/{sawit.pk}/workers?limit=100")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert sorted(w["nik"] for w in body["items"]) == ["6371051508850001", "6371055508850001"]
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT INTO")]
    assert len(inserts) == 1 and "core_auditevent" in inserts[0]["sql"]
    events = list(reads())
    people = {
        str(e.participant.person_id) for e in world["workers"].values() if e.employer == sawit
    }
    assert {e.object_id for e in events} == people
    assert {(e.actor_username, e.object_type, e.origin) for e in events} == {
        ("pemberikerja", "registry.person", "127.0.0.1")
    }
    assert events[0].after == {"read": "workers", "employer": sawit.npp}


@pytest.mark.parametrize("username", ["wilayah", "klaim", "auditor", "admin"])
def test_a_worker_list_for_someone_who_does_not_manage_it_is_masked_and_not_a_read(world, username):
    sawit = world["sawit"]
    response = bearer_client(username).get(f"/api/v1/employers/{sawit.pk}/workers")
    assert response.status_code == 200
    niks = sorted(w["nik"] for w in response.json()["items"])
    assert niks == sorted([mask_nik("6371051508850001"), mask_nik("6371055508850001")])
    assert not reads().exists()


def test_the_worker_list_page_audits_whole_niks_and_masks_them_for_others(world):
    sawit = world["sawit"]
    officer = Client()
    officer.force_login(world["users"]["cabang"])
    page = officer.get(f"/pemberi-kerja/{sawit.pk}/pekerja/")
    assert page.status_code == 200 and "6371051508850001" in page.content.decode()
    assert reads().filter(actor_username="cabang").count() == 2
    auditor = Client()
    auditor.force_login(world["users"]["auditor"])
    page = auditor.get(f"/pemberi-kerja/{sawit.pk}/pekerja/")
    assert page.status_code == 200 and "6371051508850001" not in page.content.decode()
    assert not reads().filter(actor_username="auditor").exists()


def test_an_officer_of_another_branch_sees_no_list_and_leaves_no_read(world):
    sawit = world["sawit"]
    before = AuditEvent.objects.exclude(action="token.issue").count()
    for username in ("cabang_ptk", "pemberikerja2", "peserta", "sponsor"):
        response = bearer_client(username).get(f"/api/v1/employers/{sawit.pk}/workers")
        assert response.status_code == 404, username
    assert AuditEvent.objects.exclude(action="token.issue").count() == before


def test_a_claim_document_download_is_audited_against_the_person(world):
    claim, member = world["claim"], world["member"]
    uploaded = bearer_client("peserta").post(
        f"/api/v1/claims/{claim.number}/documents",
        {"item": "ktp", "file": SimpleUploadedFile("ktp.pdf", PDF)},
    )
    document_id = uploaded.json()["id"]
    response = bearer_client("klaim").get(f"/api/v1/claims/documents/{document_id}")
    assert response.status_code == 200 and response.content == PDF
    page = Client()
    page.force_login(world["users"]["cabang"])
    assert page.get(f"/klaim/dokumen/{document_id}/").status_code == 200
    events = reads("claim.document_read")
    assert [(e.actor_username, e.object_id, e.origin) for e in events.order_by("pk")] == [
        ("klaim", str(member.pk), "127.0.0.1"),
        ("cabang", str(member.pk), "127.0.0.1"),
    ]
    assert events.first().after == {"claim": claim.number, "document": document_id, "item": "ktp"}
    # refused downloads leave no read and show nothing
    before = AuditEvent.objects.count()
    other = bearer_client("cabang_ptk")
    before = AuditEvent.objects.count()
    assert other.get(f"/api/v1/claims/documents/{document_id}").status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_balance_read_is_audited(world):
    card, member = world["card"], world["member"]
    response = bearer_client("peserta").get(f"/api/v1/jht/{card.kpj}")
    assert response.status_code == 200
    event = reads("person.balance_read").get()
    assert (event.actor_username, event.object_id, event.after["kpj"]) == (
        "peserta",
        str(member.pk),
        card.kpj,
    )


def test_the_audit_trail_answers_who_looked_at_this_person(world):
    sawit = world["sawit"]
    joko = world["workers"]["Joko Susilo"].participant
    bearer_client("pemberikerja").get(f"/api/v1/employers/{sawit.pk}/workers")
    bearer_client("cabang").get(f"/api/v1/employers/{sawit.pk}/workers")
    auditor = bearer_client("auditor")
    for key in (joko.person.nik, joko.kpj):
        response = auditor.get(f"/api/v1/audit/events?person={key}&action=person.read")
        assert response.status_code == 200
        assert sorted(e["actor"] for e in response.json()["items"]) == ["cabang", "pemberikerja"]
        assert {e["origin"] for e in response.json()["items"]} == {"127.0.0.1"}
    everything = auditor.get(f"/api/v1/audit/events?person={joko.kpj}&limit=100").json()
    assert "employment.enrol" in {e["action"] for e in everything["items"]} or everything["count"]
    nobody = auditor.get("/api/v1/audit/events?person=6399999999999999").json()
    assert nobody["count"] == 0
    page = Client()
    page.force_login(world["users"]["auditor"])
    html = page.get(f"/audit/?person={joko.kpj}&action=person.read").content.decode()
    assert html.count("<code>person.read</code>") == 2 and "127.0.0.1" in html
    # the question is the auditors' to ask
    assert bearer_client("cabang").get(f"/api/v1/audit/events?person={joko.kpj}").status_code == 403


@override_settings(JAMSOS_TRUSTED_PROXIES=1)
def test_behind_one_trusted_proxy_the_client_address_comes_from_the_proxy(world):
    sawit = world["sawit"]
    client = bearer_client("pemberikerja")
    client.get(
        f"/api/v1/employers/{sawit.pk}/workers",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
    )
    assert {e.origin for e in reads()} == {"203.0.113.7"}


def test_without_trusted_proxies_a_forwarded_address_is_ignored(world):
    sawit = world["sawit"]
    bearer_client("pemberikerja").get(
        f"/api/v1/employers/{sawit.pk}/workers", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert {e.origin for e in reads()} == {"127.0.0.1"}
