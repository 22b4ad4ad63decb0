"""Sponsors (Sertakan): a sponsor registers the workers they pay for and sees them."""

import pytest

from jamsos.registry.models import BpuMembership, Sponsor
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db
WORKER = {
    "nik": "6371055612900003",
    "full_name": "Siti Aminah",
    "birth_date": "1990-12-16",
    "sex": "F",
    "phone": "081234567890",
    "occupation": "household_assistant",
    "income_idr": 1_000_000,
}


def test_a_sponsor_registers_and_lists_their_workers(demo, client):
    api = bearer_client("sponsor")
    created = api.post("/api/v1/sponsor/workers", WORKER, content_type="application/json")
    assert created.status_code == 201, created.content
    membership = BpuMembership.objects.get(participant__kpj=created.json()["kpj"])
    assert membership.payer_type == "sponsor"
    assert membership.sponsor == Sponsor.objects.get(user__username="sponsor")
    listed = api.get("/api/v1/sponsor/workers").json()
    assert [(w["kpj"], w["nik"], w["status"]) for w in listed] == [
        (created.json()["kpj"], "637105******0003", "awaiting_first_payment")
    ]
    client.force_login(demo["sponsor"])
    html = client.get("/sertakan/").content.decode()
    assert "Siti Aminah" in html and "Menunggu pembayaran pertama" in html


def test_the_sponsor_page_registers_through_the_same_form(demo, client):
    client.force_login(demo["sponsor"])
    form = {**WORKER, "income_idr": "1.000.000", "payer_type": "self"}
    response = client.post("/daftar/", form)
    assert response.status_code == 302
    assert BpuMembership.objects.get().payer_type == "sponsor"  # the sponsor pays


@pytest.mark.parametrize("username", ["peserta", "pemberikerja", "cabang"])
def test_only_sponsors_have_sponsored_workers(demo, client, username):
    assert bearer_client(username).get("/api/v1/sponsor/workers").status_code == 403
    client.force_login(demo[username])
    assert client.get("/sertakan/").status_code == 403
    assert not Sponsor.objects.exists()
