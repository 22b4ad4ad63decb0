"""A contractor's whole journey: its login bound to its company (by the branch office or an
administrator, on the page, the API or the command line), a project registered with clear
errors in Indonesian, workers added, the project billed and the bill's payment code."""

from __future__ import annotations

import html as html_module
import io
import re
from datetime import date

import pytest
import time_machine
from django.core.management import CommandError, call_command

from jamsos.accounts.services import user_create
from jamsos.core.models import AuditEvent
from jamsos.demo.services import DEMO_PASSWORD
from jamsos.registry.models import Employer, Project, ProjectWorker
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db

MAHAKAM = "CV Mahakam Bangun Persada"


def text(response) -> str:
    html = response.content.decode()
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def newcomer(demo):
    """A contractor's login created by the administrator, not yet bound to any company."""
    return user_create(
        acting_user=None,
        username="kontraktor2",
        password=DEMO_PASSWORD,
        role="contractor",
        full_name="Yusuf Ramli",
        check_password=False,
    )


def test_the_demo_contractor_acts_for_an_active_construction_company(demo):
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    assert (mahakam.status, mahakam.sector, mahakam.branch_office.code) == ("active", "F", "BJM")
    assert list(mahakam.administrators.values_list("username", flat=True)) == ["kontraktor"]


def test_the_branch_officer_binds_a_contractor_on_the_employer_page(client, demo, newcomer):
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    client.force_login(demo["cabang"])
    page = text(client.get(f"/pemberi-kerja/{mahakam.pk}/"))
    assert "Pengguna yang bertindak untuk pemberi kerja ini" in page
    assert "Rudi Hartono (kontraktor)" in page
    response = client.post(f"/pemberi-kerja/{mahakam.pk}/pengguna/", {"username": "kontraktor2"})
    assert response.status_code == 302
    assert "kontraktor2 kini bertindak untuk pemberi kerja ini." in text(client.get(response.url))
    assert mahakam.administrators.filter(username="kontraktor2").exists()
    # the same request again changes nothing and writes no second audit event
    again = client.post(f"/pemberi-kerja/{mahakam.pk}/pengguna/", {"username": "kontraktor2"})
    assert "sudah bertindak untuk pemberi kerja ini" in text(client.get(again.url))
    events = AuditEvent.objects.filter(action="employer.user_bind")
    assert [(e.actor.username, e.after["username"]) for e in events] == [("cabang", "kontraktor2")]
    # a participant's login is not bound to a company: the field is named, in Indonesian
    refused = client.post(f"/pemberi-kerja/{mahakam.pk}/pengguna/", {"username": "peserta"})
    assert (
        "Hanya administrator pemberi kerja atau kontraktor yang dikaitkan dengan pemberi kerja."
        in text(client.get(refused.url))
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),  # nationwide
        ("cabang", 200),  # the employer's branch
        ("wilayah", 403),  # sees the region, may not bind
        ("auditor", 403),  # reads only
        ("pemberikerja", 404),  # another company's administrator does not see it
        ("kontraktor", 404),
        ("peserta", 404),
    ],
)
def test_who_may_bind_a_login_through_the_api(demo, newcomer, username, status):
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    response = bearer_client(username).post(
        f"/api/v1/employers/{mahakam.pk}/administrators",
        {"username": "kontraktor2"},
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    bound = mahakam.administrators.filter(username="kontraktor2").exists()
    assert bound is (status == 200)
    if status == 200:
        assert response.json() == {"username": "kontraktor2", "npp": mahakam.npp, "bound": True}
    else:
        assert not AuditEvent.objects.filter(action="employer.user_bind").exists()


def test_a_branch_officer_of_another_branch_does_not_see_the_employer(demo, newcomer):
    user_create(
        acting_user=None,
        username="pontianak",
        password=DEMO_PASSWORD,
        role="branch_officer",
        branch_office_code="PTK",
        check_password=False,
    )
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    response = bearer_client("pontianak").post(
        f"/api/v1/employers/{mahakam.pk}/administrators",
        {"username": "kontraktor2"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not mahakam.administrators.filter(username="kontraktor2").exists()


def test_the_api_refuses_a_login_of_the_wrong_role_naming_the_field(demo, newcomer):
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    client = bearer_client("cabang")
    for username, status, code in (
        ("klaim", 400, "employer.bind_role"),
        ("nobody", 404, "user.not_found"),
    ):
        response = client.post(
            f"/api/v1/employers/{mahakam.pk}/administrators",
            {"username": username},
            content_type="application/json",
        )
        assert response.status_code == status
        assert response.json()["error"]["code"] == code
        assert response.json()["error"]["field"] == "username"
    assert list(mahakam.administrators.values_list("username", flat=True)) == ["kontraktor"]


def test_the_command_line_binds_once_and_refuses_a_wrong_npp(demo, newcomer):
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    out = io.StringIO()
    call_command("bindemployer", "--username", "kontraktor2", "--employer", mahakam.npp, stdout=out)
    assert out.getvalue() == f"kontraktor2 bound to {mahakam.npp} ({MAHAKAM})\n"
    out = io.StringIO()
    call_command("bindemployer", "--username", "kontraktor2", "--employer", mahakam.npp, stdout=out)
    assert "already bound" in out.getvalue()
    assert AuditEvent.objects.filter(action="employer.user_bind").count() == 1
    with pytest.raises(CommandError, match="employer: no employer with NPP '99999999'"):
        call_command("bindemployer", "--username", "kontraktor2", "--employer", "99999999")
    with pytest.raises(CommandError, match="username: "):
        call_command("bindemployer", "--username", "peserta", "--employer", mahakam.npp)


def test_createuser_binds_a_contractor_at_once(demo, monkeypatch):
    monkeypatch.setenv("JAMSOS_PASSWORD", "a-long-enough-passphrase-2026")
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    call_command(
        "createuser",
        "--role",
        "contractor",
        "--username",
        "kontraktor3",
        "--employer",
        mahakam.npp,
        stdout=io.StringIO(),
    )
    assert mahakam.administrators.filter(username="kontraktor3").exists()


def test_an_unbound_contractor_is_told_whom_to_ask(client, demo, newcomer):
    client.force_login(newcomer)
    page = text(client.get("/proyek/baru/"))
    assert "Minta kantor cabang yang mendaftarkan perusahaan Anda" in page


FORM = {
    "name": "Jembatan Martapura",
    "owner_name": "Dinas PUPR Kota Banjarmasin",
    "regency": "63.71",
    "work_order_on": "2026-11-02",
    "contract_value_idr": "750.000.000",
    "funding": "APBD",
    "start_on": "2026-11-16",
    "end_on": "2027-05-31",
}


def test_the_contractor_registers_a_project_adds_a_worker_and_gets_the_payment_code(client, demo):
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    client.force_login(demo["kontraktor"])
    form_page = client.get("/proyek/baru/").content.decode()
    assert f'<option value="{mahakam.pk}"' in form_page and MAHAKAM in form_page
    # no contractor chosen, and a contract value in words: each error names the field
    missing = client.post("/proyek/baru/", FORM)
    assert missing.status_code == 400
    assert "Kontraktor: pilih salah satu pilihan" in text(missing)
    assert "contractor_id" not in text(missing)
    words = client.post(
        "/proyek/baru/", {**FORM, "contractor_id": mahakam.pk, "contract_value_idr": "banyak"}
    )
    assert words.status_code == 400
    assert "Nilai kontrak (Rp): isi rupiah dalam bilangan bulat" in text(words)
    assert not Project.objects.exists()
    with time_machine.travel(date(2026, 11, 10), tick=False):
        response = client.post("/proyek/baru/", {**FORM, "contractor_id": mahakam.pk})
    project = Project.objects.get()
    assert (project.contractor, project.contract_value_idr) == (mahakam, 750_000_000)
    worker = {
        "nik": "6303011508900001",
        "full_name": "Rahmat Hidayat",
        "birth_date": "1990-08-15",
        "sex": "M",
        "kind": "daily",
        "start_on": "2026-11-16",
    }
    with time_machine.travel(date(2026, 11, 17), tick=False):
        added = client.post(f"/proyek/{project.pk}/pekerja/", worker)
    assert added.status_code == 302
    assert ProjectWorker.objects.get().participant.person.full_name == "Rahmat Hidayat"
    with time_machine.travel(date(2026, 11, 17), tick=False):
        billed = client.post(f"/proyek/{project.pk}/tagih/", {"instalments": "1"})
        page = text(client.get(billed.url))
    bill = project.bills.get()
    assert bill.payment_code in page
    assert response.status_code == 302


def test_an_officer_registers_a_project_by_the_contractors_npp(client, demo):
    mahakam = Employer.objects.get(legal_name=MAHAKAM)
    client.force_login(demo["cabang"])
    unknown = client.post("/proyek/baru/", {**FORM, "contractor_npp": "00000000"})
    assert unknown.status_code == 400
    assert "Kontraktor: tidak ada pemberi kerja dengan NPP '00000000' di kantor Anda" in text(
        unknown
    )
    with time_machine.travel(date(2026, 11, 10), tick=False):
        done = client.post("/proyek/baru/", {**FORM, "contractor_npp": mahakam.npp})
    assert done.status_code == 302
    assert Project.objects.get().contractor == mahakam
