"""Branch officer queues and duplicate merges, project and migrant worker pages."""

import re
from datetime import date

import pytest
import time_machine

from jamsos.contributions.models import Bill
from jamsos.registry.employment import pu_worker_enrol
from jamsos.registry.models import (
    Employer,
    Participant,
    PersonMerge,
    PmiPlacement,
    Project,
    ProjectWorker,
    WageRecord,
)
from tests.conftest import bearer_client
from tests.test_projects_pmi import contractor  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def clean(response):
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html
    return html


def test_queues_show_what_waits_and_approving_a_wage(client, demo):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    pu_worker_enrol(
        acting_user=demo["pemberikerja"],
        employer_id=sawit.pk,
        nik="6471021508850001",
        full_name="Budi",
        birth_date=date(1985, 8, 15),
        sex="M",
        start_on=date(2026, 1, 5),
        wage_idr=1_000_000,  # below the floor: waits for the branch
    )
    wage = WageRecord.objects.get()
    assert wage.status == "pending_approval"
    client.force_login(demo["cabang"])
    html = clean(client.get("/antrean/"))
    assert "Budi" in html and "CV Banua Konstruksi" in html  # a pending employer too
    api = bearer_client("cabang").get("/api/v1/queues").json()
    assert api["wages_total"] == 1 and api["employers_total"] >= 1
    response = client.post(f"/antrean/upah/{wage.pk}/setujui/")
    assert response.status_code == 302
    wage.refresh_from_db()
    assert wage.status == "approved"
    client.force_login(demo["pemberikerja"])
    assert client.get("/antrean/").status_code == 403
    assert bearer_client("pemberikerja").get("/api/v1/queues").status_code == 403


def test_duplicates_are_merged_and_undone_from_the_page(client, demo):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    for nik in ("6371051508850001", "6371051508850002"):
        pu_worker_enrol(
            acting_user=demo["pemberikerja"],
            employer_id=sawit.pk,
            nik=nik,
            full_name="Ahmad Yani",
            birth_date=date(1985, 8, 15),
            sex="M",
            start_on=date(2026, 1, 5),
            wage_idr=4_000_000,
        )
    client.force_login(demo["cabang"])
    html = clean(client.get("/duplikat/"))
    assert "Ahmad Yani" in html
    people = sorted(
        Participant.objects.filter(person__full_name="Ahmad Yani").values_list(
            "person_id", flat=True
        )
    )
    missing = client.post("/duplikat/gabung/", {"kept_id": people[0], "merged_id": people[1]})
    assert missing.status_code == 302 and not PersonMerge.objects.exists()  # no reason given
    client.post(
        "/duplikat/gabung/",
        {"kept_id": people[0], "merged_id": people[1], "reason": "same person, typo in NIK"},
    )
    merge = PersonMerge.objects.get()
    assert "Ahmad Yani" in clean(client.get("/duplikat/"))
    client.post(f"/duplikat/gabung/{merge.pk}/batal/", {"reason": "merged by mistake"})
    merge.refresh_from_db()
    assert merge.reverted_at is not None


def test_a_contractor_registers_a_project_adds_and_replaces_workers_and_bills_it(
    client,
    demo,
    contractor,  # noqa: F811
):
    client.force_login(demo["kontraktor"])
    assert "Belum ada proyek" in clean(client.get("/proyek/"))
    form = {
        "contractor_id": contractor.pk,
        "name": "Jembatan Martapura",
        "owner_name": "Dinas PUPR Kota Banjarmasin",
        "regency": "63.71",
        "work_order_on": "2026-11-02",
        "contract_value_idr": "750.000.000",
        "funding": "APBD",
        "start_on": "2026-11-16",
        "end_on": "2027-05-31",
    }
    bad = client.post("/proyek/baru/", {**form, "contract_value_idr": "banyak"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in clean(bad)
    with time_machine.travel(date(2026, 11, 10), tick=False):
        response = client.post("/proyek/baru/", form)
    project = Project.objects.get()
    assert response["Location"] == f"/proyek/{project.pk}/"
    worker = {
        "nik": "6303011508900001",
        "full_name": "Rahmat Hidayat",
        "birth_date": "1990-08-15",
        "sex": "M",
        "kind": "daily",
        "start_on": "2026-11-16",
    }
    with time_machine.travel(date(2026, 11, 17), tick=False):
        client.post(f"/proyek/{project.pk}/pekerja/", worker)
    rahmat = ProjectWorker.objects.get()
    replacement = {
        **worker,
        "nik": "6303015208920001",
        "full_name": "Siti Rohmah",
        "birth_date": "1992-08-12",
        "sex": "F",
        "start_on": "2026-12-01",
        "replaces": rahmat.pk,
    }
    with time_machine.travel(date(2026, 12, 2), tick=False):
        client.post(f"/proyek/{project.pk}/pekerja/", replacement)
    rahmat.refresh_from_db()
    assert rahmat.end_on == date(2026, 11, 30)
    client.post(f"/proyek/{project.pk}/tagih/", {"instalments": "2"})
    assert Bill.objects.filter(project=project).count() == 2
    html = clean(client.get(f"/proyek/{project.pk}/"))
    assert "Siti Rohmah" in html and "termin" in html and "menggantikan Rahmat Hidayat" in html
    client.force_login(demo["pemberikerja"])
    assert client.get(f"/proyek/{project.pk}/").status_code == 404


def test_a_branch_officer_registers_a_placement_and_bills_the_package(client, demo):
    client.force_login(demo["cabang"])
    form = {
        "nik": "6371052505950001",
        "full_name": "Rahmat Hidayat",
        "birth_date": "1995-05-25",
        "sex": "M",
        "agreement_on": "2026-11-03",
        "destination_country": "MY",
        "via_agency": "yes",
        "contract_months": "24",
    }
    bad = client.post("/pmi/baru/", {**form, "contract_months": "0"})
    assert bad.status_code == 400 and not PmiPlacement.objects.exists()
    response = client.post("/pmi/baru/", form)
    placement = PmiPlacement.objects.get()
    assert response["Location"] == f"/pmi/{placement.pk}/"
    client.post(f"/pmi/{placement.pk}/tagih/")
    bill = Bill.objects.get(placement=placement)
    html = clean(client.get(f"/pmi/{placement.pk}/"))
    assert bill.payment_code in html and "MY" in html
    client.force_login(demo["sponsor"])
    assert client.get(f"/pmi/{placement.pk}/").status_code == 404
    assert client.get("/pmi/baru/").status_code == 403
