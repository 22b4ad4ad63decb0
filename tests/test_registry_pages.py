"""Registry pages: search by NIK, KPJ or name within scope, masked personal data, read-audit,
an employer's workers and the monthly upload through the browser."""

import io

import pytest

from jamsos.accounts.models import User
from jamsos.core.models import AuditEvent
from jamsos.registry.employment import pu_worker_enrol
from jamsos.registry.models import Employer, Employment, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi(demo):
    from datetime import date

    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    enrolment = pu_worker_enrol(
        acting_user=User.objects.get(username="pemberikerja"),
        employer_id=sawit.pk,
        nik="6371021508850001",
        full_name="Budi Santoso",
        birth_date=date(1985, 8, 15),
        sex="M",
        start_on=date(2026, 1, 5),
        wage_idr=4_500_000,
    )
    return enrolment.employment.participant


@pytest.mark.parametrize("query", ["6371021508850001", "santoso budi", "Budi"])
def test_branch_officer_finds_by_nik_or_name(client, budi, query):
    client.force_login(User.objects.get(username="cabang"))
    html = client.get("/peserta/", {"q": query}).content.decode()
    assert f'href="/peserta/{budi.kpj}/"' in html and "637102******0001" in html


def test_search_by_kpj_and_scope(client, budi, password):
    from jamsos.accounts.services import user_create

    user_create(
        acting_user=None,
        username="ptk",
        password=password,
        role="branch_officer",
        branch_office_code="PTK",
        check_password=False,
    )
    client.force_login(User.objects.get(username="ptk"))
    html = client.get("/peserta/", {"q": budi.kpj}).content.decode()
    assert f'href="/peserta/{budi.kpj}/"' not in html
    assert "Tidak ada peserta" in html
    assert client.get(f"/peserta/{budi.kpj}/").status_code == 404
    client.force_login(User.objects.get(username="peserta"))
    assert "Tidak ada peserta" in client.get("/peserta/", {"q": "Budi"}).content.decode()


def test_opening_a_record_with_the_full_nik_is_audited(client, budi):
    client.force_login(User.objects.get(username="klaim"))
    html = client.get(f"/peserta/{budi.kpj}/").content.decode()
    assert "6371021508850001" in html
    event = AuditEvent.objects.get(action="person.read")
    assert event.actor_username == "klaim" and event.after["nik"] == "637102******0001"


def test_the_regional_head_and_auditor_see_masked_data_without_a_read_event(client, budi):
    for username in ("wilayah", "auditor"):
        client.force_login(User.objects.get(username=username))
        html = client.get(f"/peserta/{budi.kpj}/").content.decode()
        assert "637102******0001" in html and "6371021508850001" not in html
    assert not AuditEvent.objects.filter(action="person.read").exists()


def test_employer_workers_page(client, budi):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    client.force_login(User.objects.get(username="pemberikerja"))
    html = client.get(f"/pemberi-kerja/{sawit.pk}/pekerja/").content.decode()
    assert "Budi Santoso" in html and "6371021508850001" in html and "Rp4.500.000" in html
    assert "Unggah daftar bulanan" in html
    client.force_login(User.objects.get(username="auditor"))
    html = client.get(f"/pemberi-kerja/{sawit.pk}/pekerja/").content.decode()
    assert "637102******0001" in html and "Unggah daftar bulanan" not in html


def test_upload_through_the_pages(client, demo):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    client.force_login(User.objects.get(username="pemberikerja"))
    template = client.get(f"/pemberi-kerja/{sawit.pk}/unggah/templat.csv")
    assert template.status_code == 200
    content = template.content.decode() + "6471024302850001,Ani,1985-02-03,F,2026-03-01,3000,,,\n"
    file = io.BytesIO(content.encode())
    file.name = "maret.csv"
    response = client.post(
        f"/pemberi-kerja/{sawit.pk}/unggah/", {"period": "2026-03", "file": file}
    )
    assert response.status_code == 302
    result = client.get(response["Location"]).content.decode()
    assert "Baris dengan kesalahan" in result and "absolute floor" in result
    assert "Terapkan daftar" not in result
    errors = client.get(response["Location"] + "kesalahan.csv")
    assert errors.status_code == 200 and "errors" in errors.content.decode().splitlines()[0]
    good = io.BytesIO(template.content)
    good.name = "maret.csv"
    response = client.post(
        f"/pemberi-kerja/{sawit.pk}/unggah/", {"period": "2026-03", "file": good}
    )
    page = client.get(response["Location"]).content.decode()
    assert "Terapkan daftar" in page
    applied = client.post(response["Location"] + "terapkan/", follow=True)
    assert "Daftar sudah diterapkan" in applied.content.decode()
    assert Employment.objects.filter(employer=sawit).count() == 1
    assert Participant.objects.filter(segment="PU").count() == 1


def test_upload_page_refuses_roles_and_missing_files(client, demo):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    client.force_login(User.objects.get(username="pemberikerja"))
    missing = client.post(f"/pemberi-kerja/{sawit.pk}/unggah/", {"period": "2026-03"})
    assert missing.status_code == 400
    client.force_login(User.objects.get(username="auditor"))
    file = io.BytesIO(b"nik\n")
    file.name = "a.csv"
    denied = client.post(f"/pemberi-kerja/{sawit.pk}/unggah/", {"period": "2026-03", "file": file})
    assert denied.status_code == 403
    client.force_login(User.objects.get(username="peserta"))
    assert client.get(f"/pemberi-kerja/{sawit.pk}/unggah/").status_code == 404
