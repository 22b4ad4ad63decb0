"""Class 3 of the trust issue: permissions decided in the service layer by one gate. Each test
attacks through the real interface (API and page) and checks the refusal changed nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from jamsos.accounts.models import User
from jamsos.core.errors import PermissionDenied
from jamsos.core.models import AuditEvent
from jamsos.registry.models import Participant, Person, ProjectWorker
from tests.conftest import bearer_client
from tests.security.conftest import snapshot

pytestmark = pytest.mark.django_db

NOT_SPONSORS = [
    "peserta",
    "pemberikerja",
    "kontraktor",
    "cabang",
    "klaim",
    "wilayah",
    "auditor",
    "admin",
]

REGISTRATION = {
    "nik": "6371011507900003",
    "full_name": "Ahmad Fauzi",
    "birth_date": "1990-07-15",
    "sex": "M",
    "phone": "081251234567",
    "occupation": "trader",
    "income_idr": 2_500_000,
    "programmes": ["JKK", "JKM"],
}


@pytest.mark.parametrize("username", NOT_SPONSORS)
def test_only_a_sponsor_registers_sponsored_workers(world, username):
    client = bearer_client(username)
    before = snapshot()
    response = client.post("/api/v1/sponsor/workers", REGISTRATION, content_type="application/json")
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "sponsor.forbidden"
    before.unchanged()
    assert not Person.objects.filter(nik=REGISTRATION["nik"]).exists()


def test_the_sponsor_still_registers_a_sponsored_worker(world):
    response = bearer_client("sponsor").post(
        "/api/v1/sponsor/workers", REGISTRATION, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    card = Participant.objects.get(kpj=response.json()["kpj"])
    assert card.bpu.sponsor.user.username == "sponsor"


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("username", ["auditor", "wilayah", "admin"])
def test_auditors_and_regional_heads_cannot_upload_claim_documents(world, username):
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = world["claim"]
    client = bearer_client(username)
    before = snapshot()
    response = client.post(
        f"/api/v1/claims/{claim.number}/documents",
        {"item": "ktp", "file": SimpleUploadedFile("ktp.pdf", PDF)},
    )
    assert response.status_code == 403, response.content
    before.unchanged()
    # and on the page
    page = Client()
    page.force_login(world["users"][username])
    response = page.post(
        f"/klaim/{claim.number}/dokumen/",
        {"item": "ktp", "file": SimpleUploadedFile("ktp.pdf", PDF)},
    )
    assert response.status_code in (302, 400, 403)
    before.unchanged()


def test_the_claimant_still_uploads_a_document(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = world["claim"]
    response = bearer_client("peserta").post(
        f"/api/v1/claims/{claim.number}/documents",
        {"item": "ktp", "file": SimpleUploadedFile("ktp.pdf", PDF)},
    )
    assert response.status_code == 201, response.content
    assert claim.documents.count() == 1


@pytest.fixture
def pontianak_project(world):
    """A project of the Banjarmasin contractor built in Pontianak (the PTK branch's)."""
    from jamsos.registry.projects import project_register
    from jamsos.registry.services import employer_verify

    users = world["users"]
    banua = world["banua"]
    employer_verify(acting_user=users["cabang"], employer_id=banua.pk)
    banua.administrators.add(users["kontraktor"])
    return project_register(
        acting_user=users["kontraktor"],
        contractor_id=banua.pk,
        name="Gudang Pelabuhan",
        owner_name="PT Pelindo",
        regency_code="61.71",
        work_order_on=date(2026, 5, 4),
        contract_value_idr=500_000_000,
        funding="private",
        start_on=date(2026, 5, 11),
        end_on=date(2026, 12, 31),
    ).project


WORKER = {
    "nik": "6171014507900002",
    "full_name": "Maria Ulan",
    "birth_date": "1990-07-05",
    "sex": "F",
    "kind": "daily",
    "start_on": "2026-06-01",
}


def test_the_contractors_branch_cannot_add_or_end_workers_on_another_branchs_project(
    world, pontianak_project
):
    project = pontianak_project
    assert project.branch_office.code == "PTK" and project.contractor.branch_office.code == "BJM"
    ours = bearer_client("cabang_ptk").post(
        f"/api/v1/projects/{project.pk}/workers", WORKER, content_type="application/json"
    )
    assert ours.status_code == 201, ours.content  # the project's branch manages it
    worker = ProjectWorker.objects.get()
    cabang = bearer_client("cabang")
    before = snapshot()
    added = cabang.post(
        f"/api/v1/projects/{project.pk}/workers",
        {**WORKER, "nik": "6171015507900001", "full_name": "Lain"},
        content_type="application/json",
    )
    ended = cabang.post(
        f"/api/v1/projects/workers/{worker.pk}/end",
        {"end_on": "2026-07-01"},
        content_type="application/json",
    )
    assert (added.status_code, ended.status_code) == (404, 404)
    before.unchanged()
    worker.refresh_from_db()
    assert worker.end_on is None
    # and on the page
    page = Client()
    page.force_login(world["users"]["cabang"])
    response = page.post(
        f"/proyek/{project.pk}/pekerja/",
        {**WORKER, "nik": "6171015507900001", "full_name": "Lain"},
    )
    assert response.status_code == 404
    before.unchanged()


def test_the_projects_branch_bills_its_project_and_the_contractors_branch_cannot(
    world, pontianak_project
):
    project = pontianak_project
    cabang = bearer_client("cabang")
    before = snapshot()
    refused = cabang.post(
        f"/api/v1/projects/{project.pk}/bills", {"instalments": 1}, content_type="application/json"
    )
    assert refused.status_code == 404
    before.unchanged()
    billed = bearer_client("cabang_ptk").post(
        f"/api/v1/projects/{project.pk}/bills", {"instalments": 1}, content_type="application/json"
    )
    assert billed.status_code == 201, billed.content
    assert project.bills.count() == 1


def test_the_duplicates_list_is_not_an_employers_and_shows_only_the_officers_branch(world):
    from jamsos.registry.employment import pu_worker_enrol

    users = world["users"]
    # the same name and birth date in both branches: a BJM worker and a PTK worker
    for admin, employer, nik in (
        (users["pemberikerja"], world["sawit"], "6371051508850011"),
        (users["pemberikerja2"], world["khatulistiwa"], "6171051508850011"),
    ):
        pu_worker_enrol(
            acting_user=admin,
            employer_id=employer.pk,
            nik=nik,
            full_name="Joko Susilo",
            birth_date=date(1985, 8, 15),
            sex="M",
            start_on=date(2025, 10, 1),
            wage_idr=4_000_000,
        )
    employer_client, officer_client = bearer_client("pemberikerja"), bearer_client("cabang")
    before = snapshot()
    employer = employer_client.get("/api/v1/people/duplicates")
    assert employer.status_code == 403
    page = Client()
    page.force_login(users["pemberikerja"])
    assert page.get("/duplikat/").status_code == 403
    officer = officer_client.get("/api/v1/people/duplicates")
    assert officer.status_code == 200
    shown = [p for group in officer.json() for p in group["people"]]
    branches = {
        Person.objects.get(pk=p["id"]).participations.get().branch_office.code for p in shown
    }
    assert branches == {"BJM"} and len(shown) == 2
    before.unchanged()


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("jamsos.contributions.billing:billing_run", {"period": "2026-09"}),
        ("jamsos.contributions.payments:channel_create", {"code": "EVIL", "name": "Evil"}),
        ("jamsos.contributions.jht:jht_credit_returns", {"year": 2025}),
        ("jamsos.ledger.services:trial_balance", {}),
        ("jamsos.benefits.payouts:payouts_export", {"day": date(2026, 11, 5)}),
    ],
)
@pytest.mark.parametrize("username", ["cabang", "klaim", "pemberikerja", "peserta"])
def test_operator_services_ask_the_gate_whoever_calls_them(world, call, args, username):
    import importlib

    module, name = call.split(":")
    service = getattr(importlib.import_module(module), name)
    user = User.objects.get(username=username)
    allowed = {("payouts_export", "klaim")}
    before = snapshot()
    if (name, username) in allowed:
        service(acting_user=user, **args)
        return
    with pytest.raises(PermissionDenied):
        service(acting_user=user, **args)
    before.unchanged()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/billing/runs", {"period": "2026-09"}),
        ("/api/v1/payment-channels", {"code": "EVIL", "name": "Evil"}),
        ("/api/v1/jht/returns", {"year": 2025}),
    ],
)
def test_operator_work_through_the_api_is_refused_to_an_officer(world, path, body):
    client = bearer_client("cabang")
    before = snapshot()
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 403, response.content
    before.unchanged()
    assert client.get("/api/v1/ledger/trial-balance").status_code == 403
    assert client.get("/api/v1/claims/payouts.csv").status_code == 403
    before.unchanged()


def test_no_service_outside_the_gate_decides_by_role():
    """The role sets are written in one place: no module outside the gate names roles."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "jamsos"
    allowed = {
        "accounts/policy.py",
        "accounts/access.py",
        "accounts/roles.py",
        "accounts/models.py",
        "accounts/services.py",
        "demo/services.py",
    }
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel in allowed or "/migrations/" in rel:
            continue
        text = path.read_text()
        if re.search(r"\bRole\.[A-Z_]+|frozenset\(\{Role|\.role\s*(==|!=|in|not in)\b", text):
            offenders.append(rel)
    assert offenders == []
    assert AuditEvent  # the audit trail is checked by the attack tests above
