"""No input breaks Jamsos: every bad request of the fuzzing and hand-probing report is answered
with a clear 4xx and the error shape, and nothing is written (issue "No input breaks Jamsos")."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from jamsos.contributions import billing
from jamsos.contributions.models import Bill, Payment, PaymentRejection
from jamsos.core.bounds import INT64_MAX, MONEY_CEILING_IDR
from jamsos.core.models import AuditEvent
from jamsos.ledger.models import Posting
from jamsos.registry.models import Participant, Person
from tests.conftest import bearer_client
from tests.test_billing import workforce  # noqa: F401 - the fixture
from tests.test_payments import SECRET_HOLDER, body, channel, send  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def error_of(response, status):
    assert response.status_code == status, response.content[:500]
    error = response.json()["error"]
    assert set(error) == {"code", "field", "message"}
    return error


def counts():
    return (
        AuditEvent.objects.count(),
        Payment.objects.count(),
        Posting.objects.count(),
        Person.objects.count(),
        Participant.objects.count(),
    )


# -- the edge: size, nesting, NUL characters, 64-bit numbers ------------------------------------


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """``jamsos`` commands close every database connection when they end (Django's
    ``run_from_argv``); a test that calls the command line in-process keeps its own."""
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)


def test_json_nested_100000_deep_to_the_payment_endpoint_is_400_before_any_check(demo):
    before = counts(), PaymentRejection.objects.count()
    raw = b"[" * 100_000 + b"]" * 100_000
    response = Client().post(
        "/api/v1/payments/notifications",
        raw,
        content_type="application/json",
        HTTP_X_JAMSOS_SIGNATURE="sha256=00",
    )
    assert error_of(response, 400)["code"] == "json.too_deep"
    assert (counts(), PaymentRejection.objects.count()) == before


@pytest.mark.parametrize("depth", [33, 1000])
def test_json_nested_past_the_limit_is_refused_everywhere(demo, depth):
    raw = ('{"a":' * depth + "1" + "}" * depth).encode()
    response = Client().post("/api/v1/auth/token", raw, content_type="application/json")
    assert error_of(response, 400)["code"] == "json.too_deep"


def test_an_api_body_over_the_limit_is_413_with_the_error_shape(demo):
    before = counts()
    raw = json.dumps({"username": "x" * 2_700_000, "password": "y"}).encode()
    response = Client().post("/api/v1/auth/token", raw, content_type="application/json")
    assert error_of(response, 413)["code"] == "request.too_large"
    assert counts() == before


def test_a_page_form_over_the_limit_is_413(demo):
    response = Client().post("/daftar/", {"full_name": "x" * 2_700_000})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "adm\u0000in", "password": "x"},
        {"username": "admin", "password": "x", "label": "a\u0000"},
        {"user\u0000name": "admin", "password": "x"},
    ],
)
def test_a_nul_character_in_any_json_text_is_400(demo, payload):
    before = counts()
    response = Client().post("/api/v1/auth/token", payload, content_type="application/json")
    error = error_of(response, 400)
    assert error["code"] == "text.nul"
    assert counts() == before


def test_a_nul_character_in_an_anonymous_bpu_registration_is_400(demo):
    before = counts()
    response = Client().post(
        "/api/v1/bpu/registrations",
        {
            "nik": "6471021508850001",
            "full_name": "Siti\u0000",
            "birth_date": "1985-08-15",
            "sex": "F",
            "phone": "081234567890",
            "occupation": "trader",
            "income_idr": 2_000_000,
        },
        content_type="application/json",
    )
    error = error_of(response, 400)
    assert (error["code"], error["field"]) == ("text.nul", "full_name")
    assert counts() == before


def test_a_nul_character_in_a_page_form_or_query_is_400(demo):
    before = counts()
    response = Client().post("/daftar/", {"full_name": "Siti\x00", "income_idr": "1"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert Client().get("/api/v1/simulations", {"q": "a\x00"}).status_code == 400
    assert counts() == before


def test_a_nul_character_in_an_uploaded_file_name_never_reaches_the_service(sawit_id):
    # Django's multipart parser drops it from the name; the guard refuses it if one remains.
    client = bearer_client("pemberikerja")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a\x00b.csv", b"nik\n", content_type="text/csv")
    response = client.post(
        f"/api/v1/employers/{sawit_id}/uploads", {"period": "2026-10", "file": upload}
    )
    assert error_of(response, 400)["code"] == "upload.columns"  # the content was checked


@pytest.mark.parametrize("value", [str(2**63), str(10**30), str(-(2**63) - 1)])
def test_limit_and_offset_beyond_64_bits_are_400(demo, value):
    client = bearer_client("admin")
    for name in ("limit", "offset"):
        response = client.get("/api/v1/employers", {name: value})
        error = error_of(response, 400)
        assert (error["code"], error["field"]) == ("number.too_large", name)


def test_a_json_number_beyond_64_bits_is_400_with_its_field(demo):
    client = bearer_client("pemberikerja")
    response = client.post(
        "/api/v1/employers/1/workers",
        {"wage_idr": 10**19, "nik": "6471021508850001"},
        content_type="application/json",
    )
    error = error_of(response, 400)
    assert (error["code"], error["field"]) == ("number.too_large", "wage_idr")
    response = client.post(
        "/api/v1/employers/1/workers",
        b'{"wage_idr": 1e30}',
        content_type="application/json",
    )
    assert error_of(response, 400)["code"] == "number.too_large"


def test_nan_in_json_is_400(demo):
    response = Client().post(
        "/api/v1/auth/token", b'{"username": NaN}', content_type="application/json"
    )
    assert error_of(response, 400)["code"] == "number.invalid"


def test_json_that_does_not_parse_is_400(demo):
    response = Client().post(
        "/api/v1/auth/token", b'{"username": ', content_type="application/json"
    )
    assert error_of(response, 400)["code"] in ("invalid", "invalid_json")


# -- money and dates within their bounds ---------------------------------------------------------


def test_income_written_with_a_superscript_digit_is_a_form_error_not_a_500(demo):
    before = counts()
    response = Client().post(
        "/daftar/",
        {
            "nik": "6471021508850001",
            "full_name": "Siti",
            "birth_date": "1985-08-15",
            "sex": "F",
            "phone": "081234567890",
            "occupation": "trader",
            "income_idr": "²",
            "payer_type": "self",
        },
    )
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("wage", [10**19 - 1, MONEY_CEILING_IDR["wage"] + 1])
def test_a_wage_above_the_ceiling_is_refused(demo, english, wage):
    client = bearer_client("pemberikerja")
    employer_id = demo["pemberikerja"].administered_employers.first().pk
    before = counts()
    response = client.post(
        f"/api/v1/employers/{employer_id}/workers",
        {
            "nik": "6471021508850001",
            "full_name": "Budi",
            "birth_date": "1985-08-15",
            "sex": "M",
            "start_on": "2026-01-05",
            "wage_idr": wage,
        },
        content_type="application/json",
    )
    error = error_of(response, 400)
    assert error["field"] == "wage_idr"
    assert counts() == before


def test_a_simulation_on_9999_12_31_is_400(demo):
    response = Client().post(
        "/api/v1/simulations/contributions",
        {"segment": "PU", "on": "9999-12-31", "wage_idr": 5_000_000, "jkk_risk_class": 1},
        content_type="application/json",
    )
    error = error_of(response, 400)
    assert error["field"] == "on"
    assert error["code"] == "date.out_of_range"


def test_a_billing_run_for_9999_12_is_400(demo):
    client = bearer_client("admin")
    response = client.post(
        "/api/v1/billing/runs", {"period": "9999-12"}, content_type="application/json"
    )
    error = error_of(response, 400)
    assert (error["code"], error["field"]) == ("period.out_of_range", "period")
    assert not Bill.objects.exists()


# -- payments: amount and paid_at bounded, parallel reversals 409 --------------------------------


def test_an_amount_of_2_63_minus_1_is_refused_and_the_trial_balance_still_answers(
    workforce,  # noqa: F811
    channel,  # noqa: F811
):
    billing.billing_run(period="2026-10", acting_user=None)
    bill = Bill.objects.get(employer=workforce, period="2026-10")
    before = counts()
    response = send(body(bill.payment_code, INT64_MAX, "TX-BIG"))
    error = error_of(response, 400)
    assert (error["code"], error["field"]) == ("amount.out_of_range", "amount_idr")
    assert counts() == before
    assert PaymentRejection.objects.filter(code="amount.out_of_range").count() == 1
    assert bearer_client("auditor").get("/api/v1/ledger/trial-balance").status_code == 200


@pytest.mark.parametrize("paid_at", ["0001-01-01T10:00:00+08:00", "2099-01-01T10:00:00+08:00"])
def test_paid_at_far_from_now_is_refused(workforce, channel, paid_at, settings):  # noqa: F811
    settings.JAMSOS_PAID_AT_MAX_AGE_DAYS = 7
    billing.billing_run(period="2026-10", acting_user=None)
    bill = Bill.objects.get(employer=workforce, period="2026-10")
    before = counts()
    response = send(body(bill.payment_code, bill.total_idr, "TX-OLD", paid_at=paid_at))
    error = error_of(response, 400)
    assert (error["code"], error["field"]) == ("payment.paid_at_out_of_range", "paid_at")
    assert counts() == before


def test_paid_at_within_the_window_is_accepted(workforce, channel, settings):  # noqa: F811
    settings.JAMSOS_PAID_AT_MAX_AGE_DAYS = 7
    billing.billing_run(period="2026-10", acting_user=None)
    bill = Bill.objects.get(employer=workforce, period="2026-10")
    now = timezone.now()
    for days, txn, status in ((8, "TX-8D", 400), (6, "TX-6D", 200)):
        paid_at = (now - timedelta(days=days)).isoformat()
        assert send(body(bill.payment_code, 1000, txn, paid_at=paid_at)).status_code == status
    ahead = (now + timedelta(hours=1)).isoformat()
    assert send(body(bill.payment_code, 1000, "TX-AHEAD", paid_at=ahead)).status_code == 400


@pytest.mark.skipif(not POSTGRES, reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_parallel_reversals_of_one_payment_reverse_it_once(workforce, channel):  # noqa: F811
    from jamsos.contributions.payments import payment_notify, sign

    billing.billing_run(period="2026-10", acting_user=None)
    bill = Bill.objects.get(employer=workforce)
    assert send(body(bill.payment_code, 500_000, "TX-PAY")).status_code == 200
    statuses: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(20)

    def worker(n: int) -> None:
        raw = body(bill.payment_code, 500_000, f"TX-REV-{n}", type="reversal", reverses="TX-PAY")
        try:
            barrier.wait()
            payment_notify(raw_body=raw, signature=sign(SECRET_HOLDER["BNI"], raw))
            statuses.append(200)
        except Exception as exc:
            if getattr(exc, "status", None) == 409:
                statuses.append(409)
            else:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(statuses) == [200] + [409] * 19
    assert Payment.objects.filter(kind="reversal").count() == 1
    assert Bill.objects.get(pk=bill.pk).paid_idr == 0


@pytest.mark.skipif(not POSTGRES, reason="parallel runs need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_billing_runs_at_once_issue_the_bills_once_and_the_loser_gets_409(workforce):  # noqa: F811
    results: list[object] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            results.append(billing.billing_run(period="2026-10", acting_user=None).bills_created)
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for result in results:
        assert isinstance(result, int) or getattr(result, "code", None) == "billing.concurrent", (
            result
        )
    assert Bill.objects.filter(kind="pu", period="2026-10").count() == 1
    assert billing.billing_run(period="2026-10", acting_user=None).bills_created == 0


# -- uploads: streaming row limit, odd cells refused at the check, not at finalise ----------------

UPLOAD_HEADER = "nik,full_name,birth_date,sex,start_on,wage_idr,division,end_on,exit_reason\n"


def upload(client, employer_id, data, name="workers.csv", period="2026-03"):
    import io

    file = io.BytesIO(data if isinstance(data, bytes) else data.encode())
    file.name = name
    return client.post(f"/api/v1/employers/{employer_id}/uploads", {"period": period, "file": file})


@pytest.fixture
def sawit_id(demo):
    return demo["pemberikerja"].administered_employers.first().pk


@pytest.mark.parametrize(
    ("wage", "message"),
    [("²", "wage_idr: must be whole rupiah"), ("1" * 30, "wage_idr: must be at most")],
)
def test_an_upload_row_with_an_odd_wage_is_a_row_error_and_finalise_refuses(
    sawit_id, wage, message
):
    from jamsos.registry.models import Employment

    client = bearer_client("pemberikerja")
    row = f"6471021508850001,Budi Santoso,1985-08-15,M,2026-01-05,{wage},000,,"
    checked = upload(client, sawit_id, UPLOAD_HEADER + row)
    assert checked.status_code == 201, checked.content
    body = checked.json()
    assert body["summary"]["errors"] == 1
    errors_file = client.get(f"/api/v1/uploads/{body['id']}/errors.csv").content.decode()
    assert message in errors_file
    done = client.post(f"/api/v1/uploads/{body['id']}/finalise")
    assert done.status_code in (400, 409)
    assert not Employment.objects.exists()


def test_an_upload_cell_over_128_kb_is_refused_at_the_check(sawit_id):
    client = bearer_client("pemberikerja")
    row = f"6471021508850001,{'B' * 140_000},1985-08-15,M,2026-01-05,4500000,000,,"
    error = error_of(upload(client, sawit_id, UPLOAD_HEADER + row), 400)
    assert error["field"] == "file"
    assert error["code"] in ("upload.unreadable", "upload.cell_invalid")


def test_an_upload_row_with_dates_out_of_range_is_a_row_error(sawit_id):
    client = bearer_client("pemberikerja")
    row = "6471021508850001,Budi Santoso,0001-08-15,M,9999-01-05,4500000,000,,"
    body = upload(client, sawit_id, UPLOAD_HEADER + row).json()
    assert body["summary"]["errors"] == 1


@pytest.mark.parametrize("period", ["2026-03-01", "2026-13", "9999-12", "2026-03" + "x" * 20])
def test_an_upload_period_that_is_not_one_month_is_400(sawit_id, period):
    from jamsos.registry.models import EmployerUpload

    client = bearer_client("pemberikerja")
    row = "6471021508850001,Budi Santoso,1985-08-15,M,2026-01-05,4500000,000,,"
    error = error_of(upload(client, sawit_id, UPLOAD_HEADER + row, period=period), 400)
    assert error["field"] == "period"
    assert not EmployerUpload.objects.exists()


def test_a_150000_row_xlsx_is_refused_after_reading_the_limit(sawit_id, monkeypatch):
    import io

    from openpyxl import Workbook

    from jamsos.registry import upload as upload_module

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["nik"])
    for n in range(150_000):
        sheet.append([n])
    out = io.BytesIO()
    book.save(out)
    pulled = {"rows": 0}
    original = upload_module._rows_of

    def counting(filename, content):
        for row in original(filename, content):
            pulled["rows"] += 1
            yield row

    monkeypatch.setattr(upload_module, "_rows_of", counting)
    client = bearer_client("pemberikerja")
    error = error_of(upload(client, sawit_id, out.getvalue(), name="big.xlsx"), 400)
    assert error["code"] == "upload.too_large"
    assert pulled["rows"] == upload_module.MAX_ROWS + 2  # the header, the limit, one more


# -- documents: markup in a name is printed, formulas are not run, download names are clean -----


def test_a_name_holding_markup_prints_as_text_in_the_jht_statement(demo):
    from pathlib import Path

    from jamsos.contributions.jht import jht_statement
    from jamsos.demo.services import demo_member_load
    from jamsos.web.pdf import jht_statement_pdf

    participant = Participant.objects.get(person=demo_member_load())
    image = Path(__file__).resolve().parent.parent / "docs" / "screenshot-home.png"
    for name in (f'<img src="{image}" width="100" height="100"/>', "<b>Budi", "Budi </para>&"):
        participant.person.full_name = name
        pdf = jht_statement_pdf(jht_statement(participant, 2025))
        assert pdf.startswith(b"%PDF")
        assert b"/Subtype /Image" not in pdf  # no server file embedded


def test_the_jht_statement_page_of_a_member_with_broken_markup_in_the_name_is_not_a_500(demo):
    from jamsos.demo.services import demo_member_load

    peserta = demo["peserta"]
    person = demo_member_load()
    Person.objects.filter(pk=person.pk).update(full_name="Siti <b>Rahmawati")
    client = Client()
    client.force_login(peserta)
    kpj = Participant.objects.filter(person=person).first().kpj
    response = client.get(f"/kartu/{kpj}/jht.pdf", {"year": "2025"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil","x")', "@SUM(A1:A9)", "=cmd|' /C calc'!A0", "+1", "-1+2", "\tx"],
)
def test_formula_cells_are_neutralised_in_every_export(cell):
    import csv
    import io

    from openpyxl import load_workbook

    from jamsos.core.exports import csv_bytes
    from jamsos.reporting.exports import as_csv, as_xlsx

    tables = [("t", ["name"], [[cell], [42]])]
    for raw in (as_csv(tables), csv_bytes([["name"], [cell]])):
        cells = [c for row in csv.reader(io.StringIO(raw.decode())) for c in row]
        assert "'" + cell in cells
        assert cell not in cells
    sheet = load_workbook(io.BytesIO(as_xlsx(tables))).active
    assert sheet["A2"].value == "'" + cell
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == 42


def test_the_upload_errors_file_neutralises_formulas_and_its_name_is_clean(sawit_id):
    client = bearer_client("pemberikerja")
    row = '6471021508850001,"=HYPERLINK(""http://x"")",1985-08-15,M,2026-01-05,²,000,,'
    checked = upload(client, sawit_id, UPLOAD_HEADER + row, name="../../a b<x>;y.csv")
    assert checked.status_code == 201, checked.content
    body = checked.json()
    response = client.get(f"/api/v1/uploads/{body['id']}/errors.csv")
    assert response["Content-Disposition"] == 'attachment; filename="a_b_x_y-errors.csv"'
    assert "'=HYPERLINK" in response.content.decode()


def test_the_bank_payout_file_neutralises_formulas():
    from jamsos.core.exports import csv_text

    text = csv_text([["claim", "account_name"], ["K-1", "=cmd|' /C calc'!A0"]])
    assert "'=cmd" in text


# -- the signed-in 500s of the report: each field now answers 400 with its name -------------------


@pytest.fixture
def worker(demo):
    from datetime import date

    from jamsos.registry.employment import pu_worker_enrol
    from jamsos.registry.models import Employment

    employer_id = demo["pemberikerja"].administered_employers.first().pk
    enrolment = pu_worker_enrol(
        acting_user=demo["pemberikerja"],
        employer_id=employer_id,
        nik="6371051508850001",
        full_name="Joko",
        birth_date=date(1985, 8, 15),
        sex="M",
        start_on=date(2026, 1, 5),
        wage_idr=6_000_000,
    )
    return Employment.objects.get(pk=enrolment.employment.pk)


def accident_body(worker, **changes):
    return {
        "employment_id": worker.pk,
        "occurred_at": "2026-11-02T08:30:00+08:00",
        "place": "Kebun blok C",
        "description": "Terjatuh",
        **changes,
    }


@pytest.mark.parametrize("occurred_at", ["2026-11-02T08:30:00", "0001-01-01T00:00:00+00:00", 0])
def test_an_accident_time_without_offset_or_out_of_range_is_400(worker, occurred_at):
    from jamsos.benefits.models import AccidentReport

    response = bearer_client("pemberikerja").post(
        "/api/v1/accidents",
        accident_body(worker, occurred_at=occurred_at),
        content_type="application/json",
    )
    assert error_of(response, 400)["field"] == "occurred_at"
    assert not AccidentReport.objects.exists()


def test_disability_percent_nan_is_400(worker):
    import time_machine

    api = bearer_client("pemberikerja")
    with time_machine.travel(timezone.datetime(2026, 11, 3, 9), tick=False):
        number = api.post(
            "/api/v1/accidents", accident_body(worker), content_type="application/json"
        ).json()["number"]
    for percent in ("NaN", "Infinity", "-sNaN"):
        response = api.post(
            f"/api/v1/accidents/{number}/close",
            {
                "case": "partial_disability",
                "disability_percent": percent,
                "bank_code": "BNI",
                "bank_account": "1234567890",
            },
            content_type="application/json",
        )
        assert error_of(response, 400)["field"] == "disability_percent"


def test_a_claim_event_on_0001_01_01_is_400(demo):
    from jamsos.benefits.models import Claim
    from jamsos.demo.services import demo_member_load

    kpj = Participant.objects.get(person=demo_member_load()).kpj
    response = bearer_client("klaim").post(
        "/api/v1/claims",
        {
            "kpj": kpj,
            "kind": "jkm",
            "bank_code": "BNI",
            "bank_account": "1234567890",
            "claimant_name": "Ahli Waris",
            "claimant_relation": "spouse",
            "event_on": "0001-01-01",
        },
        content_type="application/json",
    )
    error = error_of(response, 400)
    assert error["field"] == "event_on"
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contract_value_idr": 10**19 - 1}, "contract_value_idr"),
        ({"end_on": "9999-12-31"}, "end_on"),
        ({"work_order_on": "0001-01-01"}, "work_order_on"),
    ],
)
def test_project_values_and_dates_out_of_range_are_400(demo, changes, field):
    from jamsos.registry.models import Employer, Project
    from jamsos.registry.services import employer_verify

    banua = Employer.objects.get(legal_name="CV Banua Konstruksi")
    employer_verify(acting_user=demo["cabang"], employer_id=banua.pk)
    banua.administrators.add(demo["kontraktor"])
    body = {
        "contractor_id": banua.pk,
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
    response = bearer_client("kontraktor").post(
        "/api/v1/projects", body, content_type="application/json"
    )
    assert error_of(response, 400)["field"] == field
    assert not Project.objects.exists()


@pytest.mark.parametrize("income", [10**19 - 1, MONEY_CEILING_IDR["income"] + 1])
def test_an_income_above_the_ceiling_is_400_for_an_anonymous_registration(demo, income):
    before = counts()
    response = Client().post(
        "/api/v1/bpu/registrations",
        {
            "nik": "6471021508850001",
            "full_name": "Siti",
            "birth_date": "1985-08-15",
            "sex": "F",
            "phone": "081234567890",
            "occupation": "trader",
            "income_idr": income,
        },
        content_type="application/json",
    )
    assert error_of(response, 400)["field"] == "income_idr"
    assert counts() == before


@pytest.mark.parametrize("until", ["0", "99999999999"])
def test_audit_until_as_a_number_is_400(demo, until):
    response = bearer_client("auditor").get("/api/v1/audit/events", {"until": until})
    assert error_of(response, 400)["field"] == "until"


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [("0001-01", "9999-12", "from"), ("2000-01", "2099-12", "to"), ("2026-13", "2026-12", "from")],
)
def test_member_coverage_over_centuries_is_400(demo, first, last, field):
    from jamsos.demo.services import demo_member_load

    kpj = Participant.objects.get(person=demo_member_load()).kpj
    response = bearer_client("peserta").get(
        f"/api/v1/members/{kpj}/coverage", {"from": first, "to": last}
    )
    assert error_of(response, 400)["field"] == field


def test_every_operation_documents_the_statuses_of_the_guard_and_its_outputs_are_typed(demo):
    spec = Client().get("/api/v1/openapi.json").json()
    untyped = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert "400" in responses, (method, path)
            if operation.get("security"):
                assert "401" in responses, (method, path)
            if "requestBody" in operation:
                assert "413" in responses, (method, path)
            for status, response in responses.items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if (
                    status.startswith("2")
                    and schema is not None
                    and schema.get("type") == "object"
                    and "properties" not in schema
                    and schema.get("additionalProperties") in (None, True, {})
                ):
                    untyped.append((method, path))
    assert untyped == []


@pytest.mark.parametrize(
    "changes",
    [
        {"jht_monthly_idr": {}},
        {"jht_monthly_idr": None},
        {"labour_intensive": "yes"},
    ],
)
def test_a_simulation_field_of_the_wrong_type_is_400_even_where_the_segment_ignores_it(db, changes):
    response = Client().post(
        "/api/v1/simulations/contributions",
        {
            "segment": "PU",
            "on": "2026-10-01",
            "wage_idr": 5_000_000,
            "jkk_risk_class": 3,
            **changes,
        },
        content_type="application/json",
    )
    assert error_of(response, 400)["field"] == next(iter(changes))


def test_the_cli_prints_a_conflict_and_exits_1_instead_of_a_traceback(demo, monkeypatch, capsys):
    from jamsos.cli.main import main
    from jamsos.contributions import billing as billing_module

    def racing(**kwargs):
        raise billing_module._concurrent("2026-10")

    monkeypatch.setattr("jamsos.cli.management.commands.billing.billing_run", racing)
    with pytest.raises(SystemExit) as exit_info:
        main(["billing", "run", "--period", "2026-10", "--no-refresh"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "another billing run of 2026-10 is in progress" in err
    assert "Traceback" not in err


def test_a_billing_run_for_a_month_out_of_range_on_the_cli_exits_1(demo, capsys):
    from jamsos.cli.main import main

    with pytest.raises(SystemExit) as exit_info:
        main(["billing", "run", "--period", "9999-12", "--no-refresh"])
    assert exit_info.value.code == 1
    assert "period: must be from 2000-01" in capsys.readouterr().err


def test_a_benefit_simulation_date_that_is_not_a_date_is_400_even_where_unused(db):
    response = Client().post(
        "/api/v1/simulations/benefits",
        {
            "programme": "JKM",
            "event_on": "2026-03-10",
            "contribution_months": 48,
            "left_work_on": "",
        },
        content_type="application/json",
    )
    assert error_of(response, 400)["field"] == "left_work_on"


def test_a_multipart_body_without_a_boundary_is_400_with_the_error_shape(demo):
    response = bearer_client("pemberikerja").post(
        "/api/v1/employers/1/uploads", b"x", content_type="multipart/form-data"
    )
    assert error_of(response, 400)["code"] == "request.invalid"


def test_a_json_body_that_is_not_an_object_is_refused(demo):
    """Found by fuzzing: ``[null, null]`` to an operation whose fields are all optional was
    taken as an empty object and verified the employer."""
    from jamsos.registry.models import Employer

    employer = Employer.objects.filter(branch_office__code="BJM", verified_at__isnull=True).first()
    assert employer is not None
    answer = bearer_client("cabang").post(
        f"/api/v1/employers/{employer.pk}/verify", "[null, null]", content_type="application/json"
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["code"] == "json.not_object"
    employer.refresh_from_db()
    assert employer.verified_at is None
