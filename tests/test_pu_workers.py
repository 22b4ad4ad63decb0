"""Wage earners: enrolment, one KPJ for life, wages and the floor, leavers; employer A never
sees employer B's workers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jamsos.core.models import AuditEvent
from jamsos.registry.models import Employer, Employment, Participant, WageRecord
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db
BUDI = {
    "nik": "6471021508850001",
    "full_name": "Budi Santoso",
    "birth_date": "1985-08-15",
    "sex": "M",
    "start_on": "2026-01-05",
    "wage_idr": 4_000_000,
}


@pytest.fixture
def sawit(demo):
    return Employer.objects.get(legal_name="PT Borneo Sawit Lestari")


@pytest.fixture
def logistik(demo):
    return Employer.objects.get(legal_name="PT Khatulistiwa Logistik")


def enrol(client, employer, **changes):
    return client.post(
        f"/api/v1/employers/{employer.pk}/workers",
        {**BUDI, **changes},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_employer_enrols_a_worker(sawit):
    response = enrol(bearer_client("pemberikerja"), sawit)
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["kpj"]) == 11 and body["warnings"] == []
    employment = Employment.objects.get(pk=body["employment_id"])
    assert (employment.division.code, str(employment.start_on)) == ("000", "2026-01-05")
    assert WageRecord.objects.get(employment=employment).status == "approved"
    assert AuditEvent.objects.filter(action="employment.start").count() == 1


def test_one_kpj_for_life_across_employers(sawit, logistik):
    first = enrol(bearer_client("pemberikerja"), sawit).json()
    from jamsos.accounts.services import user_create

    user_create(
        acting_user=None,
        username="ptk",
        password="jamsos-demo-2026",
        role="branch_officer",
        branch_office_code="PTK",
        check_password=False,
    )
    second = enrol(bearer_client("ptk"), logistik).json()
    assert second["kpj"] == first["kpj"]
    assert Participant.objects.filter(segment="PU").count() == 1
    assert Employment.objects.count() == 2


def test_the_same_worker_twice_at_one_employer_is_a_conflict(sawit):
    client = bearer_client("pemberikerja")
    assert enrol(client, sawit).status_code == 201
    again = enrol(client, sawit)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "employment.exists"
    assert Employment.objects.count() == 1


@pytest.mark.parametrize(
    ("wage", "status", "code"),
    [
        (2_317_601, 201, None),  # at the 2026 floor
        (1_500_000, 201, "wage.needs_approval"),
        (999_999, 400, "wage.below_floor"),
        (0, 400, "invalid"),
    ],
)
def test_the_wage_floor(sawit, wage, status, code):
    response = enrol(bearer_client("pemberikerja"), sawit, wage_idr=wage)
    assert response.status_code == status, response.content
    if status == 400:
        assert response.json()["error"]["code"] == code
        assert not Employment.objects.exists()
    elif code:
        assert [w["code"] for w in response.json()["warnings"]] == [code]
        assert WageRecord.objects.get().status == "pending_approval"


def test_a_low_wage_counts_once_the_branch_approves_it(sawit):
    enrol(bearer_client("pemberikerja"), sawit, wage_idr=1_500_000)
    record = WageRecord.objects.get()
    workers = bearer_client("pemberikerja").get(f"/api/v1/employers/{sawit.pk}/workers").json()
    assert workers["items"][0]["wage_idr"] is None
    assert workers["items"][0]["wage_status"] == "pending_approval"
    assert (
        bearer_client("pemberikerja").post(f"/api/v1/wage-records/{record.pk}/approve").status_code
        == 403
    )
    approved = bearer_client("cabang").post(f"/api/v1/wage-records/{record.pk}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    workers = bearer_client("pemberikerja").get(f"/api/v1/employers/{sawit.pk}/workers").json()
    assert workers["items"][0]["wage_idr"] == 1_500_000


def test_wage_change_and_leaving(sawit):
    client = bearer_client("pemberikerja")
    employment_id = enrol(client, sawit).json()["employment_id"]
    raised = client.post(
        f"/api/v1/employments/{employment_id}/wages",
        {"effective_from": "2026-06-01", "wage_idr": 4_500_000},
        content_type="application/json",
    )
    assert raised.status_code == 201
    twice = client.post(
        f"/api/v1/employments/{employment_id}/wages",
        {"effective_from": "2026-06-01", "wage_idr": 4_600_000},
        content_type="application/json",
    )
    assert twice.status_code == 409
    before = client.post(
        f"/api/v1/employments/{employment_id}/wages",
        {"effective_from": "2025-12-01", "wage_idr": 4_600_000},
        content_type="application/json",
    )
    assert before.status_code == 400 and before.json()["error"]["field"] == "effective_from"
    bad_reason = client.post(
        f"/api/v1/employments/{employment_id}/end",
        {"end_on": "2026-09-30", "exit_reason": "holiday"},
        content_type="application/json",
    )
    assert bad_reason.status_code == 400
    ended = client.post(
        f"/api/v1/employments/{employment_id}/end",
        {"end_on": "2026-09-30", "exit_reason": "termination"},
        content_type="application/json",
    )
    assert ended.status_code == 200
    assert (ended.json()["end_on"], ended.json()["exit_reason"], ended.json()["wage_idr"]) == (
        "2026-09-30",
        "termination",
        4_500_000,
    )
    again = client.post(
        f"/api/v1/employments/{employment_id}/end",
        {"end_on": "2026-10-31", "exit_reason": "resignation"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "employment.ended"


def test_employer_a_never_sees_employer_b_workers(sawit, logistik, password):
    from jamsos.accounts.services import user_create

    user_create(
        acting_user=None,
        username="logistik_admin",
        password=password,
        role="employer_admin",
        employer_npps=[logistik.npp],
        check_password=False,
    )
    employment_id = enrol(bearer_client("pemberikerja"), sawit).json()["employment_id"]
    other = bearer_client("logistik_admin")
    assert other.get(f"/api/v1/employers/{sawit.pk}/workers").status_code == 404
    assert (
        enrol(other, sawit, nik="6471024302850001", sex="F", birth_date="1985-02-03").status_code
        == 404
    )
    assert (
        other.post(
            f"/api/v1/employments/{employment_id}/end",
            {"end_on": "2026-09-30", "exit_reason": "termination"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert Employment.objects.get(pk=employment_id).end_on is None


@pytest.mark.parametrize(
    ("username", "sees", "full_nik", "may_enrol"),
    [
        ("pemberikerja", True, True, True),
        ("cabang", True, True, True),
        ("wilayah", True, False, False),
        ("auditor", True, False, False),
        ("klaim", True, False, False),
        ("peserta", False, False, False),
        ("kontraktor", False, False, False),
    ],
)
def test_worker_permission_matrix(sawit, username, sees, full_nik, may_enrol):
    enrol(bearer_client("pemberikerja"), sawit)
    client = bearer_client(username)
    listing = client.get(f"/api/v1/employers/{sawit.pk}/workers")
    assert listing.status_code == (200 if sees else 404)
    if sees:
        nik = listing.json()["items"][0]["nik"]
        assert nik == (BUDI["nik"] if full_nik else "647102******0001")
    count = Employment.objects.count()
    response = enrol(client, sawit, nik="6471024302850001", sex="F", birth_date="1985-02-03")
    assert response.status_code == (201 if may_enrol else 403 if sees else 404)
    assert Employment.objects.count() == count + (1 if may_enrol else 0)


def test_workers_of_an_inactive_employer_cannot_be_enrolled(demo):
    pending = Employer.objects.get(legal_name="CV Banua Konstruksi")
    response = enrol(bearer_client("cabang"), pending)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "employer.not_active"


def test_the_worker_list_is_a_fixed_number_of_queries(sawit):
    client = bearer_client("pemberikerja")
    for i in range(1, 6):
        enrol(client, sawit, nik=f"64710215088500{i:02d}", full_name=f"Pekerja {i}")
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(f"/api/v1/employers/{sawit.pk}/workers").json()["items"]) == 5
    for i in range(6, 16):
        enrol(client, sawit, nik=f"64710215088500{i:02d}", full_name=f"Pekerja {i}")
    with CaptureQueriesContext(connection) as fifteen:
        assert len(client.get(f"/api/v1/employers/{sawit.pk}/workers").json()["items"]) == 15
    assert len(fifteen) == len(five)  # no query per worker
