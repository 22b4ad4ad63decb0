"""The monthly worker list: dry run, errors file, finalise all-or-nothing, re-send idempotent."""

import csv
import io

import pytest
from openpyxl import Workbook

from jamsos.registry.models import Employer, EmployerUpload, Employment, Person, WageRecord
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db
HEADER = "nik,full_name,birth_date,sex,start_on,wage_idr,division,end_on,exit_reason\n"
ROWS = [
    "6471021508850001,Budi Santoso,1985-08-15,M,2026-01-05,4500000,000,,",
    "6371055612900003,Siti Aminah,1990-12-16,F,2026-02-01,3900000,,,",
]


@pytest.fixture
def sawit(demo):
    return Employer.objects.get(legal_name="PT Borneo Sawit Lestari")


def send(client, employer, text, name="workers.csv", period="2026-03"):
    data = text.encode() if isinstance(text, str) else text
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        f"/api/v1/employers/{employer.pk}/uploads", {"period": period, "file": upload}
    )


def test_template_download(sawit):
    response = bearer_client("pemberikerja").get(
        f"/api/v1/employers/{sawit.pk}/uploads/template.csv"
    )
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0] == HEADER.strip()


def test_dry_run_then_finalise_then_the_same_file_changes_nothing(sawit):
    client = bearer_client("pemberikerja")
    checked = send(client, sawit, HEADER + "\n".join(ROWS))
    assert checked.status_code == 201, checked.content
    body = checked.json()
    assert body["status"] == "dry_run"
    assert {k: body["summary"][k] for k in ("add", "wage", "leave", "errors")} == {
        "add": 2,
        "wage": 0,
        "leave": 0,
        "errors": 0,
    }
    assert not Employment.objects.exists()  # a dry run applies nothing
    done = client.post(f"/api/v1/uploads/{body['id']}/finalise")
    assert done.status_code == 200 and done.json()["status"] == "finalised"
    assert Employment.objects.filter(employer=sawit, end_on__isnull=True).count() == 2
    assert WageRecord.objects.count() == 2
    again = send(client, sawit, HEADER + "\n".join(ROWS))
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert client.post(f"/api/v1/uploads/{body['id']}/finalise").status_code == 200
    assert Employment.objects.count() == 2 and WageRecord.objects.count() == 2


def test_next_month_shows_wage_changes_leavers_and_missing(sawit):
    client = bearer_client("pemberikerja")
    first = send(client, sawit, HEADER + "\n".join(ROWS)).json()
    client.post(f"/api/v1/uploads/{first['id']}/finalise")
    april = HEADER + "\n".join(
        [
            "6471021508850001,Budi Santoso,1985-08-15,M,2026-01-05,4800000,000,,",  # raise
            "6471024302850001,Ani Lestari,1985-02-03,F,2026-04-01,4000000,,,",  # new
        ]
    )
    checked = send(client, sawit, april, period="2026-04").json()
    summary = checked["summary"]
    assert (summary["add"], summary["wage"], summary["errors"]) == (1, 1, 0)
    assert summary["missing"] == ["637105******0003"]  # Siti is not listed: still employed
    client.post(f"/api/v1/uploads/{checked['id']}/finalise")
    budi = Employment.objects.get(participant__person__nik="6471021508850001")
    assert [(str(w.effective_from), w.wage_idr) for w in budi.wages.order_by("effective_from")] == [
        ("2026-01-05", 4_500_000),
        ("2026-04-01", 4_800_000),
    ]
    may = HEADER + (
        "6371055612900003,Siti Aminah,1990-12-16,F,2026-02-01,3900000,,2026-05-20,resignation"
    )
    leaving = send(client, sawit, may, period="2026-05").json()
    assert leaving["summary"]["leave"] == 1
    client.post(f"/api/v1/uploads/{leaving['id']}/finalise")
    siti = Employment.objects.get(participant__person__nik="6371055612900003")
    assert (str(siti.end_on), siti.exit_reason) == ("2026-05-20", "resignation")


def test_errors_file_names_each_rows_problem_and_finalise_is_refused(sawit):
    client = bearer_client("pemberikerja")
    bad = HEADER + "\n".join(
        [
            ROWS[0],
            "6471023208850001,Dua Tiga,1985-08-15,M,2026-01-05,4500000,,,",  # day 32
            "6371055612900003,Siti,1990-12-16,F,2026-02-01,900000,,,",  # below Rp1,000,000
            "6471021508850001,Budi Santoso,1985-08-15,M,2026-01-05,4500000,,,",  # twice
            "6471024302850001,Ani,1985-02-03,F,2026-04-01,4000000,099,,",  # no division 099
            "6471024302850002,Ana,1985-02-03,F,2026-04-01,4000000,,2026-05-01,",  # end w/o reason
        ]
    )
    checked = send(client, sawit, bad).json()
    assert checked["summary"]["errors"] == 5
    errors = client.get(f"/api/v1/uploads/{checked['id']}/errors.csv")
    rows = list(csv.DictReader(io.StringIO(errors.content.decode())))
    assert [r["errors"] != "" for r in rows] == [False, True, True, True, True, True]
    assert "day 32" in rows[1]["errors"]
    assert "absolute floor" in rows[2]["errors"]
    assert "listed twice" in rows[3]["errors"]
    assert "no division 099" in rows[4]["errors"]
    assert "give both" in rows[5]["errors"]
    refused = client.post(f"/api/v1/uploads/{checked['id']}/finalise")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "upload.has_errors"
    assert not Employment.objects.exists()


def test_an_interrupted_finalise_leaves_nothing_half_applied(sawit, monkeypatch):
    client = bearer_client("pemberikerja")
    checked = send(client, sawit, HEADER + "\n".join(ROWS)).json()

    def crash(*args, **kwargs):
        raise RuntimeError("the machine went down")

    monkeypatch.setattr(WageRecord.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError):
        from jamsos.accounts.models import User
        from jamsos.registry.upload import upload_finalise

        upload_finalise(
            acting_user=User.objects.get(username="pemberikerja"), upload_id=checked["id"]
        )
    assert not Person.objects.filter(nik="6471021508850001").exists()
    assert not Employment.objects.exists()
    assert EmployerUpload.objects.get(pk=checked["id"]).status == "dry_run"
    monkeypatch.undo()
    assert client.post(f"/api/v1/uploads/{checked['id']}/finalise").status_code == 200
    assert Employment.objects.count() == 2


def test_xlsx_and_semicolon_csv_are_read(sawit):
    client = bearer_client("pemberikerja")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(ROWS[0].split(","))
    data = io.BytesIO()
    book.save(data)
    xlsx = send(client, sawit, data.getvalue(), name="daftar.xlsx")
    assert xlsx.status_code == 201 and xlsx.json()["summary"]["add"] == 1
    semi = send(client, sawit, (HEADER + ROWS[1]).replace(",", ";"), name="daftar.csv")
    assert semi.json()["summary"]["add"] == 1


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        ("", "a.csv", "upload.empty"),
        ("nik,full_name\n1,2", "a.csv", "upload.columns"),
        ("x", "a.pdf", "upload.unreadable"),
        (b"\xff\xfe\x00", "a.csv", "upload.unreadable"),
        (b"not a workbook", "a.xlsx", "upload.unreadable"),
    ],
)
def test_unreadable_files_are_refused(sawit, content, name, code):
    response = send(bearer_client("pemberikerja"), sawit, content, name=name)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not EmployerUpload.objects.exists()


def test_other_employers_and_roles_cannot_upload(sawit, password):
    from jamsos.accounts.services import user_create

    user_create(
        acting_user=None,
        username="other_admin",
        password=password,
        role="employer_admin",
        employer_npps=[Employer.objects.get(legal_name="PT Khatulistiwa Logistik").npp],
        check_password=False,
    )
    assert send(bearer_client("other_admin"), sawit, HEADER + ROWS[0]).status_code == 404
    assert send(bearer_client("auditor"), sawit, HEADER + ROWS[0]).status_code == 403
    checked = send(bearer_client("pemberikerja"), sawit, HEADER + ROWS[0]).json()
    assert (
        bearer_client("other_admin").post(f"/api/v1/uploads/{checked['id']}/finalise").status_code
        == 404
    )
    assert not Employment.objects.exists()
