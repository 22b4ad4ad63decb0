"""Construction projects, their workers, and migrant placements."""

from datetime import date

import pytest
import time_machine

from jamsos.core.models import AuditEvent
from jamsos.registry.models import Employer, Participant, PmiPlacement, Project, ProjectWorker
from jamsos.registry.projects import working_days_after
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def contractor(demo, password):
    """CV Banua Konstruksi, verified, administered by the demo contractor."""
    from jamsos.registry.services import employer_verify

    banua = Employer.objects.get(legal_name="CV Banua Konstruksi")
    employer_verify(acting_user=demo["cabang"], employer_id=banua.pk)
    banua.administrators.add(demo["kontraktor"])
    return banua


def project_body(contractor, **changes):
    return {
        "contractor_id": contractor.pk,
        "name": "Jembatan Martapura",
        "owner_name": "Dinas PUPR Kalsel",
        "regency": "63.03",
        "work_order_on": "2026-05-04",
        "contract_value_idr": 750_000_000,
        "funding": "APBD",
        "start_on": "2026-05-11",
        "end_on": "2026-12-31",
        **changes,
    }


def test_14_working_days_skip_weekends_and_national_holidays():
    # SPK Mon 4 May 2026; 14 May (Thu) is a national holiday, 15 May is cuti bersama (a
    # working day for deadlines): the 14th working day is Monday 25 May
    assert working_days_after(date(2026, 5, 4), 14) == date(2026, 5, 25)
    # 2027 onwards: the computed calendar (provisional). From Fri 5 Mar 2027: Nyepi on Mon 8,
    # Idulfitri (estimated) Wed 10 and Thu 11; 9, 12 and 15 Mar are cuti bersama (working)
    assert working_days_after(date(2027, 3, 5), 5) == date(2027, 3, 17)
    assert working_days_after(date(2050, 12, 20), 14) is None  # no calendar for 2051


@pytest.mark.parametrize(("today", "late"), [("2026-05-20", False), ("2026-05-26", True)])
def test_contractor_registers_a_project_and_lateness_is_flagged(contractor, today, late):
    with time_machine.travel(date.fromisoformat(today), tick=False):
        response = bearer_client("kontraktor").post(
            "/api/v1/projects", project_body(contractor), content_type="application/json"
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("JK") and body["branch_office"] == "BJM"
    assert (body["registration_deadline_on"], body["registered_late"]) == ("2026-05-25", late)
    event = AuditEvent.objects.get(action="project.register")
    assert event.after["late"] is late


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contract_value_idr": 0}, "contract_value_idr"),
        ({"funding": "loan"}, "funding"),
        ({"end_on": "2026-01-01"}, "end_on"),
        ({"regency": "99.99"}, "regency"),
        ({"name": " "}, "name"),
    ],
)
def test_project_registration_refuses_bad_input(contractor, changes, field):
    response = bearer_client("kontraktor").post(
        "/api/v1/projects", project_body(contractor, **changes), content_type="application/json"
    )
    assert response.status_code in (400, 404)
    assert response.json()["error"]["field"] == field
    assert not Project.objects.exists()


def test_a_contractor_only_registers_for_its_own_company(contractor, demo):
    other = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    response = bearer_client("kontraktor").post(
        "/api/v1/projects", project_body(other), content_type="application/json"
    )
    assert response.status_code == 404
    denied = bearer_client("peserta").post(
        "/api/v1/projects", project_body(contractor), content_type="application/json"
    )
    assert denied.status_code == 403
    assert not Project.objects.exists()


def test_project_workers(contractor):
    client = bearer_client("kontraktor")
    project = client.post(
        "/api/v1/projects", project_body(contractor), content_type="application/json"
    ).json()
    worker = {
        "nik": "6303011508900001",
        "full_name": "Rahmat Hidayat",
        "birth_date": "1990-08-15",
        "sex": "M",
        "kind": "daily",
        "start_on": "2026-05-11",
    }
    added = client.post(
        f"/api/v1/projects/{project['id']}/workers", worker, content_type="application/json"
    )
    assert added.status_code == 201, added.content
    assert Participant.objects.get(kpj=added.json()["kpj"]).segment == "JAKON"
    again = client.post(
        f"/api/v1/projects/{project['id']}/workers", worker, content_type="application/json"
    )
    assert again.status_code == 409
    outside = client.post(
        f"/api/v1/projects/{project['id']}/workers",
        {**worker, "nik": "6303011508900002", "start_on": "2027-02-01"},
        content_type="application/json",
    )
    assert outside.status_code == 400 and outside.json()["error"]["field"] == "start_on"
    assert ProjectWorker.objects.count() == 1


def test_a_replacement_ends_the_replaced_worker_and_late_reports_are_flagged(contractor):
    client = bearer_client("kontraktor")
    project = client.post(
        "/api/v1/projects", project_body(contractor), content_type="application/json"
    ).json()
    first = {
        "nik": "6303011508900001",
        "full_name": "Rahmat Hidayat",
        "birth_date": "1990-08-15",
        "sex": "M",
        "kind": "daily",
        "start_on": "2026-05-11",
    }
    url = f"/api/v1/projects/{project['id']}/workers"
    with time_machine.travel(date(2026, 5, 12), tick=False):
        rahmat = client.post(url, first, content_type="application/json").json()
    assert rahmat["reported_late"] is False
    replacement = {
        **first,
        "nik": "6303015208920001",
        "full_name": "Siti Rohmah",
        "birth_date": "1992-08-12",
        "sex": "F",
        "start_on": "2026-06-01",
        "replaces": rahmat["id"],
    }
    with time_machine.travel(date(2026, 6, 15), tick=False):  # 10 working days later
        siti = client.post(url, replacement, content_type="application/json")
    assert siti.status_code == 201, siti.content
    assert siti.json()["reported_late"] is True
    replaced = ProjectWorker.objects.get(pk=rahmat["id"])
    assert replaced.end_on == date(2026, 5, 31)
    assert replaced.replaced_by.participant.kpj == siti.json()["kpj"]
    again = client.post(
        url,
        {**replacement, "nik": "6303011508900009", "replaces": rahmat["id"]},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["error"]["field"] == "replaces"
    ended = client.post(
        f"/api/v1/projects/workers/{siti.json()['id']}/end",
        {"end_on": "2026-07-31"},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["end_on"] == "2026-07-31"
    twice = client.post(
        f"/api/v1/projects/workers/{siti.json()['id']}/end",
        {"end_on": "2026-08-31"},
        content_type="application/json",
    )
    assert twice.status_code == 409
    other = bearer_client("pemberikerja").post(
        f"/api/v1/projects/workers/{rahmat['id']}/end",
        {"end_on": "2026-08-31"},
        content_type="application/json",
    )
    assert other.status_code in (403, 404)


def test_pmi_registration(demo, client):
    body = {
        "nik": "6171014506950002",
        "full_name": "Lestari Putri",
        "birth_date": "1995-06-05",
        "sex": "F",
        "agreement_on": "2026-10-01",
        "destination_country": "MY",
        "via_agency": True,
        "contract_months": 24,
    }
    response = client.post("/api/v1/pmi/registrations", body, content_type="application/json")
    assert response.status_code == 201, response.content
    placement = PmiPlacement.objects.get()
    assert placement.participant.segment == "PMI"
    assert placement.participant.branch_office.code == "PTK"  # Kota Pontianak
    bad = client.post(
        "/api/v1/pmi/registrations",
        {**body, "destination_country": "XX"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "destination_country"
    months = client.post(
        "/api/v1/pmi/registrations", {**body, "contract_months": 0}, content_type="application/json"
    )
    assert months.status_code == 400 and months.json()["error"]["field"] == "contract_months"
    nik = client.post(
        "/api/v1/pmi/registrations",
        {**body, "nik": "6171013206950002"},
        content_type="application/json",
    )
    assert nik.status_code == 400 and nik.json()["error"]["code"] == "invalid_nik"
    assert PmiPlacement.objects.count() == 1
