"""The BPU self-registration pages: Indonesian, errors beside the field, code confirmation."""

import re

import pytest

from jamsos.notifications.models import Notification
from jamsos.registry.models import Participant, Person

pytestmark = pytest.mark.django_db
FORM = {
    "nik": "6371055612900003",
    "full_name": "Siti Aminah",
    "birth_date": "1990-12-16",
    "sex": "F",
    "phone": "0812 3456 7890",
    "occupation": "trader",
    "income_idr": "Rp1.500.000",
    "with_jht": "on",
    "payer_type": "self",
    "payer_group": "",
}


def code():
    return re.search(r"\b(\d{6})\b", Notification.objects.latest("id").body).group(1)


def test_register_then_confirm_the_phone(demo, client):
    page = client.get("/daftar/")
    assert page.status_code == 200
    assert "Daftar sebagai pekerja bukan penerima upah" in page.content.decode()
    response = client.post("/daftar/", FORM)
    assert response.status_code == 302
    kpj = Participant.objects.get().kpj
    assert response["Location"] == f"/daftar/{kpj}/verifikasi/"
    assert Participant.objects.get().bpu.declared_income_idr == 1_500_000
    verify = client.get(response["Location"])
    assert kpj in verify.content.decode()
    wrong = client.post(response["Location"], {"action": "verify", "code": "12345x"})
    assert wrong.status_code == 400
    assert "kode salah; sisa 4 kali" in wrong.content.decode()
    done = client.post(response["Location"], {"action": "verify", "code": code()})
    assert done.status_code == 200
    assert "Nomor ponsel Anda sudah terkonfirmasi" in done.content.decode()
    assert Person.objects.get().phone_verified_at is not None


def test_resend_a_code(demo, client):
    location = client.post("/daftar/", FORM)["Location"]
    client.post(location, {"action": "resend"})
    assert Notification.objects.count() == 2
    assert client.post(location, {"action": "verify", "code": code()}).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"nik": "6471023208850001"}, "nik", "tanggal 32 tidak di antara 01-31 atau 41-71"),
        ({"phone": "021 555 1234"}, "phone", "harus nomor ponsel Indonesia"),
        ({"birth_date": ""}, "birth_date", "Isi tanggal"),
        ({"income_idr": "banyak"}, "income_idr", "Isi penghasilan dalam rupiah utuh"),
        ({"payer_type": "government"}, "payer_group", "pembayar pemerintah memerlukan"),
    ],
)
def test_errors_are_shown_beside_the_field_and_nothing_is_written(
    demo, client, changes, field, text
):
    response = client.post("/daftar/", {**FORM, **changes})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'aria-describedby="e-{field}"' in html
    assert re.search(rf'id="e-{field}">[^<]*{re.escape(text)}', html), html[-3000:]
    assert Person.objects.count() == 0


def test_the_confirmation_page_is_only_for_the_browser_that_registered(demo, client):
    location = client.post("/daftar/", FORM)["Location"]
    from django.test import Client

    assert Client().get(location).status_code == 404
    assert client.get("/daftar/26999999999/verifikasi/").status_code == 404


def test_warnings_are_shown_after_registration(demo, client):
    response = client.post("/daftar/", {**FORM, "sex": "M"}, follow=True)
    assert "NIK ini milik perempuan" in response.content.decode()
