"""Bank settlement files: every line sorted in SQL, the missing ones posted like notifications,
nothing twice; the ledger balances after each test (conftest)."""

from datetime import datetime

import pytest

from jamsos.contributions import billing
from jamsos.contributions.models import (
    Bill,
    Payment,
    SettlementFile,
    SettlementLine,
)
from jamsos.contributions.settlement import (
    settlement_receive,
    settlement_reconcile,
    settlement_report_csv,
)
from jamsos.core.errors import NotFound, PermissionDenied, RuleViolation
from jamsos.ledger.models import Account, Posting
from jamsos.ledger.services import balance
from tests.test_billing import banua, workforce  # noqa: F401 - the fixtures
from tests.test_payments import body, channel, send  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

RECEIVED = datetime.fromisoformat("2026-11-10T23:00:00+08:00")
HEADER = "channel,payment_code,amount_idr,paid_at,bank_reference\n"
PAID = "2026-11-10T10:00:00+08:00"


def csv_file(*lines: tuple[str, int, str]) -> bytes:
    return (
        HEADER + "".join(f"BNI,{code},{amount},{PAID},{ref}\n" for code, amount, ref in lines)
    ).encode()


def receive(demo, data, **kw):
    return settlement_receive(
        acting_user=demo["admin"], channel="BNI", data=data, received_at=RECEIVED, **kw
    )


@pytest.fixture
def bill(workforce, channel):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-10")
    return Bill.objects.get(employer=workforce, period="2026-10")


def test_each_outcome_is_counted_and_summed_and_only_the_missing_line_is_posted(demo, bill):
    code = bill.payment_code
    assert send(body(code, 100_000, "R1")).status_code == 200  # notified: matched
    assert send(body(code, 25_000, "R4")).status_code == 200  # notified with another amount
    data = csv_file(
        (code, 100_000, "R1"),
        (code, 50_000, "R2"),  # not notified: posted now
        ("99999999999", 70_000, "R3"),  # no such bill
        (code, 30_000, "R4"),  # the bank booked 30,000, the notification said 25,000
        (code, 50_000, "R2"),  # the same bank reference again
    )
    file, new = receive(demo, data, name="bni-20261110.csv")
    assert new and file.lines == 5 and file.amount_idr == 300_000
    report = settlement_reconcile(acting_user=demo["admin"], file_id=file.pk).as_json()
    assert report["pending"] == 0
    assert report["outcomes"] == {
        "matched": {"lines": 1, "amount_idr": 100_000},
        "missing": {"lines": 1, "amount_idr": 50_000},
        "unknown_code": {"lines": 1, "amount_idr": 70_000},
        "amount_mismatch": {"lines": 1, "amount_idr": 30_000},
        "duplicate": {"lines": 1, "amount_idr": 50_000},
    }
    posted = Payment.objects.get(transaction_id="R2")
    assert (posted.amount_idr, posted.bill_id, posted.employer_id) == (
        50_000,
        bill.pk,
        bill.employer_id,
    )
    assert posted.paid_at == datetime.fromisoformat(PAID)
    assert Posting.objects.filter(kind="payment", source_id=posted.pk).count() == 1
    assert balance(Account.CASH, employer_id=None) == 175_000
    bill.refresh_from_db()
    assert bill.paid_idr == 175_000  # 100,000 + 25,000 notified, 50,000 from the file
    assert (
        SettlementLine.objects.get(file=file, line_no=3).payment_id == posted.pk
    )  # line 3 of the file (the header is line 1)

    name, content = settlement_report_csv(acting_user=demo["auditor"], file_id=file.pk)
    text = content.decode()
    assert name == f"settlement-BNI-{file.pk}.csv"
    assert "missing,1,50000" in text and "unknown_code,1,70000" in text
    assert "4,unknown_code,99999999999,70000" in text
    assert f"5,amount_mismatch,{code},30000,2026-11-10T02:00:00+00:00,R4,25000" in text


def test_a_file_sent_twice_changes_nothing(demo, bill):
    data = csv_file((bill.payment_code, 60_000, "S1"), (bill.payment_code, 40_000, "S2"))
    file, _new = receive(demo, data)
    settlement_reconcile(acting_user=demo["admin"], file_id=file.pk)
    payments, postings = Payment.objects.count(), Posting.objects.count()
    again, new = receive(demo, data)
    assert (again.pk, new) == (file.pk, False)
    report = settlement_reconcile(acting_user=demo["admin"], file_id=again.pk).as_json()
    assert report["outcomes"]["missing"] == {"lines": 2, "amount_idr": 100_000}
    assert (Payment.objects.count(), Posting.objects.count()) == (payments, postings)
    # another file naming the same bank reference: matched, not paid again
    other, _ = receive(demo, csv_file((bill.payment_code, 60_000, "S1")))
    report = settlement_reconcile(acting_user=demo["admin"], file_id=other.pk).as_json()
    assert report["outcomes"]["matched"] == {"lines": 1, "amount_idr": 60_000}
    assert Payment.objects.count() == payments
    bill.refresh_from_db()
    assert bill.paid_idr == 100_000


def test_a_notification_arriving_after_the_file_is_a_duplicate(demo, bill):
    file, _ = receive(demo, csv_file((bill.payment_code, 80_000, "N1")))
    settlement_reconcile(acting_user=demo["admin"], file_id=file.pk)
    response = send(body(bill.payment_code, 80_000, "N1"))
    assert response.status_code == 200 and response.json()["duplicate"] is True
    assert send(body(bill.payment_code, 81_000, "N1")).status_code == 409
    bill.refresh_from_db()
    assert bill.paid_idr == 80_000


def test_an_interrupted_run_resumes_where_it_stopped(demo, bill, monkeypatch):
    from jamsos.contributions import settlement

    monkeypatch.setattr(settlement, "CHUNK", 2)
    data = csv_file(*((bill.payment_code, 10_000, f"C{n}") for n in range(5)))
    file, _ = receive(demo, data)
    real = settlement._post_chunk
    calls = []

    def dies_on_the_second(*args, **kw):
        calls.append(args[1])
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kw)

    monkeypatch.setattr(settlement, "_post_chunk", dies_on_the_second)
    with pytest.raises(RuntimeError):
        settlement_reconcile(acting_user=None, file_id=file.pk)
    assert Payment.objects.count() == 2  # the first chunk committed
    monkeypatch.setattr(settlement, "_post_chunk", real)
    report = settlement_reconcile(acting_user=None, file_id=file.pk).as_json()
    assert report["outcomes"]["missing"] == {"lines": 5, "amount_idr": 50_000}
    assert Payment.objects.count() == 5
    bill.refresh_from_db()
    assert bill.paid_idr == 50_000


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        ("payment_code,amount_idr\n", "settlement.bad_header", "file: the first line"),
        (HEADER + f"BNI,26100000001,0,{PAID},X\n", "settlement.bad_line", "line 2: amount_idr"),
        (HEADER + f"BCA,26100000001,5,{PAID},X\n", "settlement.bad_line", "line 2: channel"),
        (
            HEADER + "BNI,26100000001,5,2026-11-10 10:00,X\n",
            "settlement.bad_line",
            "line 2: paid_at",
        ),
        (
            HEADER + "BNI,26100000001,5,2026-11-11T10:00:00+08:00,X\n",
            "settlement.bad_line",
            "line 2: paid_at: must be at most",
        ),
        (HEADER + f"BNI,2610000000A,5,{PAID},X\n", "settlement.bad_line", "line 2: payment_code"),
        (HEADER + f"BNI,26100000001,5,{PAID},\n", "settlement.bad_line", "line 2: bank_reference"),
        (HEADER + f"BNI,26100000001,5,{PAID}\n", "settlement.bad_line", "line 2: file"),
        (HEADER, "settlement.empty", "file: holds no"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_line_and_column(demo, channel, text, code, message):  # noqa: F811
    with pytest.raises(RuleViolation) as refused:
        receive(demo, text.encode())
    assert refused.value.code == code and refused.value.message.startswith(message)
    assert not SettlementFile.objects.exists()


def test_only_the_finance_office_receives_files(demo, channel):  # noqa: F811
    with pytest.raises(PermissionDenied):
        settlement_receive(
            acting_user=demo["cabang"], channel="BNI", data=csv_file(), received_at=RECEIVED
        )
    with pytest.raises(NotFound):
        settlement_receive(acting_user=demo["admin"], channel="XYZ", data=b"", received_at=RECEIVED)


def test_latin1_is_refused(demo, channel):  # noqa: F811
    with pytest.raises(RuleViolation) as refused:
        receive(demo, (HEADER + "BNI,1,5,x,Caf\xe9\n").encode("latin-1"))
    assert refused.value.code == "settlement.not_utf8"


def test_the_command_line_imports_shows_progress_and_a_second_run_changes_nothing(
    demo, bill, tmp_path
):
    import io

    from django.core.management import CommandError, call_command

    from jamsos.jobs.models import Job

    path = tmp_path / "bni-20261110.csv"
    path.write_bytes(csv_file((bill.payment_code, 60_000, "K1"), ("99999999999", 5_000, "K2")))
    out, err = io.StringIO(), io.StringIO()
    call_command("settlement", "import", str(path), "--channel", "bni", stdout=out, stderr=err)
    assert "missing                  1 lines  Rp            60,000" in out.getvalue()
    assert "unknown_code             1 lines  Rp             5,000" in out.getvalue()
    assert "file 1: 2 lines, Rp65,000" in err.getvalue().replace(
        f"file {SettlementFile.objects.get().pk}", "file 1"
    )
    job = Job.objects.get(kind="settlement")
    assert (job.status, job.period) == ("succeeded", str(SettlementFile.objects.get().pk))
    out = io.StringIO()
    call_command("settlement", "import", str(path), "--channel", "BNI", stdout=out, stderr=err)
    assert "(received before)" in err.getvalue()
    assert Job.objects.filter(kind="settlement").count() == 1
    assert Payment.objects.filter(transaction_id="K1").count() == 1
    path.write_bytes(HEADER.encode() + b"BNI,1,-5,x,y\n")
    with pytest.raises(CommandError, match=r"^line 2: amount_idr: must be"):
        call_command("settlement", "import", str(path), "--channel", "BNI", stderr=err)


def test_the_api_uploads_queues_and_reports_with_stable_codes(demo, bill):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamsos.jobs.worker import worker_run_once
    from tests.conftest import bearer_client

    admin, auditor, branch = (
        bearer_client("admin"),
        bearer_client("auditor"),
        bearer_client("cabang"),
    )
    data = csv_file((bill.payment_code, 70_000, "A1"))

    def upload(client, content=data):
        return client.post(
            "/api/v1/settlements",
            {"channel": "BNI", "file": SimpleUploadedFile("bni.csv", content)},
        )

    assert upload(branch).status_code == 403
    first = upload(admin)
    assert first.status_code == 202, first.content
    assert first.json()["pending"] == 1 and first.json()["duplicate"] is False
    file_id, job_id = first.json()["id"], first.json()["job_id"]
    assert worker_run_once().pk == job_id
    report = auditor.get(f"/api/v1/settlements/{file_id}").json()
    assert report["outcomes"]["missing"] == {"lines": 1, "amount_idr": 70_000}
    again = upload(admin)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["job_id"] is None
    bad = upload(admin, HEADER.encode() + f"BNI,{bill.payment_code},7,{PAID},\n".encode())
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "settlement.bad_line"
    assert bad.json()["error"]["field"] == "bank_reference"
    csv_download = auditor.get(f"/api/v1/settlements/{file_id}/report.csv")
    assert csv_download.status_code == 200
    assert b"missing,1,70000" in csv_download.content
    assert (
        auditor.get("/api/v1/settlements/999999").json()["error"]["code"] == "settlement.not_found"
    )
    assert branch.get(f"/api/v1/settlements/{file_id}").status_code == 403


def test_the_page_is_indonesian_first_and_shows_the_report(demo, bill):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jamsos.jobs.worker import worker_run_once
    from tests.conftest import TwoFactorClient

    client = TwoFactorClient()
    client.force_login(demo["admin"])
    page = client.get("/rekonsiliasi-bank/")
    assert "Berkas settlement bank" in page.content.decode()
    posted = client.post(
        "/rekonsiliasi-bank/",
        {
            "channel": "BNI",
            "file": SimpleUploadedFile("bni.csv", csv_file((bill.payment_code, 9_000, "W1"))),
        },
    )
    assert posted.status_code == 302
    worker_run_once()
    report = client.get(posted["Location"]).content.decode()
    assert "Belum dinotifikasi: dibukukan sekarang" in report and "9000" in report
    refused = client.post(
        "/rekonsiliasi-bank/",
        {"channel": "BNI", "file": SimpleUploadedFile("x.csv", b"a,b\n")},
    )
    assert "baris pertama harus judul kolom" in refused.content.decode()
    officer = TwoFactorClient()
    officer.force_login(demo["cabang"])
    assert officer.get("/rekonsiliasi-bank/").status_code == 403
