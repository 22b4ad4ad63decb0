"""Money pages: statement and bill (employer), arrears (officers), my cards, JHT statement
and its PDF (member), billing run (administrator); scope and strict CSP on each."""

import re
from datetime import datetime

import pytest
import time_machine

from jamsos.contributions import billing
from jamsos.contributions.models import Bill
from jamsos.demo.services import demo_member_load
from tests.test_billing import workforce  # noqa: F401 - the fixture
from tests.test_payments import SECRET_HOLDER, body, channel, send  # noqa: F401

pytestmark = pytest.mark.django_db


def assert_clean(response):
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html
    return html


def test_employer_statement_and_bill_pages(client, demo, workforce, channel):  # noqa: F811
    with time_machine.travel(datetime(2026, 10, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-09")
    bill = Bill.objects.get()
    send(body(bill.payment_code, 1_000_000, "W-1", paid_at="2026-10-05T09:00:00+08:00"))
    client.force_login(demo["pemberikerja"])
    html = assert_clean(client.get(f"/pemberi-kerja/{workforce.pk}/tagihan/"))
    assert bill.payment_code in html and "Rp1.000.000" in html and "Tagihan" in html
    html = assert_clean(client.get(f"/tagihan/{bill.payment_code}/"))
    assert "PU.JP.EMPLOYER" in html and "2 %" in html and "dibayar sebagian" in html
    client.force_login(demo["kontraktor"])
    assert client.get(f"/tagihan/{bill.payment_code}/").status_code == 404
    assert client.get(f"/pemberi-kerja/{workforce.pk}/tagihan/").status_code == 404


def test_arrears_page_for_officers_only(client, demo, workforce):  # noqa: F811
    with time_machine.travel(datetime(2026, 10, 1, 9), tick=False):
        billing.billing_run(acting_user=None, period="2026-09")
    client.force_login(demo["cabang"])
    with time_machine.travel(datetime(2026, 11, 20, 9), tick=False):
        html = assert_clean(client.get("/tunggakan/"))
    assert "PT Borneo Sawit Lestari" in html and "Tunggakan" in html
    client.force_login(demo["pemberikerja"])
    assert client.get("/tunggakan/").status_code == 403


def test_empty_arrears_page(client, demo):
    client.force_login(demo["wilayah"])
    html = assert_clean(client.get("/tunggakan/"))
    assert "Tidak ada pemberi kerja" in html


def test_my_cards_pay_and_jht_statement_with_pdf(client, demo, channel):  # noqa: F811
    client.force_login(demo["peserta"])
    html = assert_clean(client.get("/kartu/"))
    assert "Belum ada kartu" in html  # no card linked yet: the empty state
    member = demo_member_load().participations.get()
    html = assert_clean(client.get("/kartu/"))
    assert member.kpj in html and "Menunggu pembayaran pertama" in html
    response = client.post(f"/kartu/{member.kpj}/bayar/", {"months": "3"})
    assert response.status_code == 302
    bill = Bill.objects.get(participant=member)
    assert response["Location"] == f"/tagihan/{bill.payment_code}/" and bill.months == 3
    bad = client.post(
        f"/kartu/{member.kpj}/bayar/", {"months": "13", "back": "https://evil.example/"}
    )
    assert bad["Location"] == "/kartu/"  # an outside address is never followed
    send(body(bill.payment_code, bill.total_idr, "M-1", paid_at="2026-11-24T09:00:00+08:00"))
    html = assert_clean(client.get(f"/kartu/{member.kpj}/jht/?year=2026"))
    assert "Iuran" in html and "Saldo akhir" in html
    card = client.get(f"/kartu/{member.kpj}/kartu.pdf")
    assert card.status_code == 200 and card.content.startswith(b"%PDF")
    pdf = client.get(f"/kartu/{member.kpj}/jht.pdf?year=2026")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.force_login(demo["sponsor"])
    assert client.get(f"/kartu/{member.kpj}/jht/").status_code == 404
    assert client.get(f"/kartu/{member.kpj}/kartu.pdf").status_code == 404


def test_billing_run_page_for_administrators(client, demo, workforce):  # noqa: F811
    client.force_login(demo["admin"])
    html = assert_clean(client.post("/penagihan/", {"period": "2026-13"}))
    assert "period" in html and 'aria-invalid="true"' in html
    queued = client.post("/penagihan/", {"period": "2026-09"})
    assert queued.status_code == 302  # to the job's page, which shows the worker's progress
    from jamsos.jobs.worker import worker_run_once

    assert worker_run_once().result["bills_created"] == 1
    html = assert_clean(client.get(queued["Location"]))
    assert "bills_created" in html and 'data-status="succeeded"' in html
    client.force_login(demo["cabang"])
    assert client.get("/penagihan/").status_code == 403
