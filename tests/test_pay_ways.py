"""A payment code with a way to pay: every open bill (member, sponsor, employer) shows the
amount, the code with a copy button, the due date in words and each configured channel's steps;
channels are data; the sponsor finds its codes again and is named as the payer."""

from __future__ import annotations

import html as html_module
import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command

from jamsos.contributions import billing
from jamsos.contributions.bpu import bpu_payment_request
from jamsos.contributions.models import Bill, PaymentChannel
from jamsos.contributions.selectors import payment_ways
from jamsos.demo.services import demo_member_load
from jamsos.registry.models import Participant
from tests.conftest import bearer_client
from tests.test_billing import workforce  # noqa: F401 - the fixture
from tests.test_sponsors import WORKER

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    words = html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([.,])", r"\1", words)


def test_the_demo_registers_four_ways_to_pay(demo):
    assert list(
        PaymentChannel.objects.order_by("code").values_list("code", "kind", "number_prefix")
    ) == [
        ("KALSEL-TELLER", "teller", ""),
        ("KALSEL-VA", "virtual_account", "8899"),
        ("POS", "post_office", ""),
        ("QRIS", "ewallet", ""),
    ]


def test_a_members_bill_says_how_to_pay_at_each_channel(demo, client):
    member = Participant.objects.get(person=demo_member_load(), segment="BPU")
    client.force_login(demo["peserta"])
    with time_machine.travel(datetime(2026, 3, 10, 9), tick=False):
        response = client.post(f"/kartu/{member.kpj}/bayar/", {"months": "1"})
        bill = Bill.objects.get(participant=member)
        page = client.get(response.url)
    html, words = page.content.decode(), text(page)
    code = bill.payment_code
    # income Rp2,500,000 with JHT: JKK 1 % 25,000 + JKM 6,800 + JHT 2 % 50,000 = Rp81,800
    assert bill.total_idr == 81_800
    assert f"Bayar Rp81.800 dengan kode bayar {code}" in words
    assert "Bayar paling lambat Senin, 16 Maret 2026." in words  # 15 March is a Sunday
    assert f'data-copy="{code}"' in html and "Salin kode" in words
    assert f"Masukkan nomor virtual account 8899{code}" in words
    assert f'data-copy="8899{code}"' in html
    assert f"Di cabang Bank Kalsel mana pun, berikan kode bayar {code} kepada teller" in words
    assert "Di loket kantor pos, sebutkan Anda membayar BPJS Ketenagakerjaan" in words
    assert "Di aplikasi QRIS pilih BPJS Ketenagakerjaan" in words
    assert '<script src="/static/jamsos/copy.js" defer></script>' in html


def test_a_channel_added_later_appears_on_open_bills_and_none_on_a_settled_one(demo, client):
    PaymentChannel.objects.all().delete()
    member = Participant.objects.get(person=demo_member_load(), segment="BPU")
    client.force_login(demo["peserta"])
    with time_machine.travel(datetime(2026, 3, 10, 9), tick=False):
        bill = bpu_payment_request(acting_user=demo["peserta"], kpj=member.kpj, months=1)
        first = text(client.get(f"/tagihan/{bill.payment_code}/"))
    assert "Belum ada kanal pembayaran: bayar di kantor cabang dengan kode bayar ini." in first
    out = io.StringIO()
    call_command(
        "payments",
        "channel-add",
        "--code",
        "BNI-VA",
        "--name",
        "Bank BNI",
        "--kind",
        "virtual_account",
        "--number-prefix",
        "988",
        "--as",
        "admin",
        stdout=out,
    )
    with time_machine.travel(datetime(2026, 3, 10, 9), tick=False):
        later = text(client.get(f"/tagihan/{bill.payment_code}/"))
    assert f"Masukkan nomor virtual account 988{bill.payment_code}" in later
    assert [w["number"] for w in payment_ways(bill)] == [f"988{bill.payment_code}"]
    bill.paid_on = date(2026, 3, 11)  # a settled bill (in memory only) has nothing left to pay
    assert payment_ways(bill) == []


def test_a_channel_of_an_unknown_kind_or_a_prefix_with_letters_is_refused(demo):
    client = bearer_client("admin")
    for body, field in (
        ({"code": "X1", "kind": "cheque"}, "kind"),
        ({"code": "X2", "kind": "virtual_account", "number_prefix": "88A"}, "number_prefix"),
    ):
        response = client.post("/api/v1/payment-channels", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]["field"] == field
    assert not PaymentChannel.objects.filter(code__in=("X1", "X2")).exists()
    made = client.post(
        "/api/v1/payment-channels",
        {"code": "OVO", "name": "OVO", "kind": "ewallet"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert PaymentChannel.objects.get(code="OVO").kind == "ewallet"


def test_the_sponsor_finds_its_codes_again_and_is_named_as_payer(demo, client):
    created = bearer_client("sponsor").post(
        "/api/v1/sponsor/workers", WORKER, content_type="application/json"
    )
    kpj = created.json()["kpj"]
    client.force_login(demo["sponsor"])
    with time_machine.travel(datetime(2026, 3, 10, 9), tick=False):
        response = client.post(f"/kartu/{kpj}/bayar/", {"months": "2", "back": "/sertakan/"})
        bill = Bill.objects.get(participant__kpj=kpj)
        on_bill = text(client.get(response.url))
        listed = text(client.get("/sertakan/"))
    # income Rp1,000,000 without JHT: JKK 1 % 10,000 + JKM 6,800 = Rp16,800 a month, two months
    assert bill.total_idr == 33_600
    assert f"Hj. Aminah Noor (sponsor), untuk Siti Aminah ({kpj})" in on_bill
    assert "Cara membayar" in on_bill
    assert f"Kode bayar yang belum dibayar: {bill.payment_code} · Rp33.600" in listed
    assert "16 Maret 2026" in listed


def test_an_employers_bill_says_how_to_pay(workforce, demo, client):  # noqa: F811
    billing.billing_run(acting_user=None, period="2026-10")
    bill = Bill.objects.get(employer=workforce, period="2026-10")
    client.force_login(demo["pemberikerja"])
    page = text(client.get(f"/tagihan/{bill.payment_code}/"))
    assert f"Masukkan nomor virtual account 8899{bill.payment_code}" in page
    assert "PT Borneo Sawit Lestari" in page
