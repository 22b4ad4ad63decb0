"""BPU self-registration from a phone: POST /api/v1/bpu/registrations, the phone code, the
rules that refuse bad input, and what is written (and audited)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from jamsos.core.models import AuditEvent
from jamsos.notifications.models import Notification
from jamsos.notifications.services import notifications_send_pending
from jamsos.registry.models import BpuMembership, Participant, Person, PhoneVerification

pytestmark = pytest.mark.django_db
URL = "/api/v1/bpu/registrations"
SITI = {
    "nik": "6371055612900003",
    "full_name": "Siti Aminah",
    "birth_date": "1990-12-16",
    "sex": "F",
    "phone": "0812-3456-7890",
    "occupation": "household_assistant",
    "income_idr": 1_500_000,
    "programmes": ["JKK", "JKM", "JHT"],
}


def register(client, **changes):
    return client.post(
        URL, {**SITI, **changes}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def last_code(phone="+6281234567890"):
    body = Notification.objects.filter(recipient=phone, kind="otp").latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_registration_returns_a_kpj_and_sends_a_code(demo, client):
    response = register(client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"\d{11}", body["kpj"]) and body["kpj"].startswith("26")
    assert body == {
        **body,
        "segment": "BPU",
        "status": "awaiting_first_payment",
        "branch_office": "BJM",
        "nominal_idr": 1_500_000,
        "phone_verification": "sent",
        "warnings": [],
    }
    person = Person.objects.get(nik=SITI["nik"])
    assert (person.phone, person.phone_verified_at) == ("+6281234567890", None)
    membership = BpuMembership.objects.get(participant__kpj=body["kpj"])
    assert membership.with_jht and membership.payer_type == "self"
    assert Notification.objects.filter(kind="otp", recipient="+6281234567890").count() == 1
    event = AuditEvent.objects.get(action="bpu.register")
    assert event.after["nik"] == "637105******0003"  # personal data masked in the trail
    assert SITI["nik"] not in str(AuditEvent.objects.values_list("after", flat=True))


def test_kpj_numbers_are_sequential_and_unique(demo, client):
    first = register(client).json()["kpj"]
    second = register(
        client,
        nik="6471021508850001",
        full_name="Budi",
        birth_date="1985-08-15",
        sex="M",
        phone="081298765432",
    ).json()["kpj"]
    assert int(second) == int(first) + 1


def test_phone_verification_with_the_code(demo, client):
    kpj = register(client).json()["kpj"]
    url = f"{URL}/{kpj}/phone-verification"
    wrong = client.post(
        url,
        {"code": "000000" if last_code() != "000000" else "111111"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == {
        "code": "otp.wrong",
        "field": "code",
        "message": "code: wrong code; 4 tries left",
    }
    assert PhoneVerification.objects.get().attempts == 1  # the wrong try is counted
    ok = client.post(url, {"code": last_code()}, content_type="application/json")
    assert ok.status_code == 200 and ok.json() == {"kpj": kpj, "phone_verified": True}
    assert Person.objects.get().phone_verified_at is not None
    again = client.post(url, {"code": last_code()}, content_type="application/json")
    assert again.status_code == 200  # the same code again: the same answer, nothing changed
    # another code for a confirmed phone is told what a stranger is told of any KPJ
    other = client.post(url, {"code": "999999"}, content_type="application/json")
    assert other.status_code == 400 and other.json()["error"]["code"] == "otp.expired"
    assert AuditEvent.objects.filter(action="person.phone_verified").count() == 1


def test_five_wrong_codes_exhaust_the_code_and_a_new_one_can_be_sent(demo, client):
    kpj = register(client).json()["kpj"]
    url = f"{URL}/{kpj}/phone-verification"
    good = last_code()
    bad = "000000" if good != "000000" else "111111"
    for _ in range(5):
        assert client.post(url, {"code": bad}, content_type="application/json").status_code == 400
    exhausted = client.post(url, {"code": good}, content_type="application/json")
    assert exhausted.json()["error"]["code"] == "otp.expired"
    assert client.post(f"{URL}/{kpj}/phone-code").status_code == 202
    assert client.post(url, {"code": good}, content_type="application/json").status_code == 400
    assert (
        client.post(url, {"code": last_code()}, content_type="application/json").status_code == 200
    )
    sent = Notification.objects.count()
    assert client.post(f"{URL}/{kpj}/phone-code").status_code == 202  # already verified
    assert Notification.objects.count() == sent  # nothing sent


def test_an_unknown_kpj_is_answered_as_any_other(db, client):
    """Public doors: a KPJ that does not exist gets the answer of a card with no code pending,
    so a stranger cannot find which KPJs exist (nor whether a phone is confirmed)."""
    response = client.post(
        f"{URL}/26999999999/phone-verification", {"code": "123456"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "otp.expired"
    assert client.post(f"{URL}/26999999999/phone-code").status_code == 202


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"nik": "6471023208850001"}, "nik", "invalid_nik"),  # day 32
        ({"nik": "647102150885000"}, "nik", "invalid_nik"),  # 15 digits
        ({"full_name": "  "}, "full_name", "required"),
        ({"sex": "X"}, "sex", "invalid"),
        ({"birth_date": "2030-01-01"}, "birth_date", "invalid"),
        ({"phone": "021-555-1234"}, "phone", "invalid"),
        ({"occupation": "astronaut"}, "occupation", "invalid"),
        ({"income_idr": -1}, "income_idr", "invalid"),
        ({"programmes": ["JKK", "JKM", "JP"]}, "programmes", "programme.not_available"),
        ({"programmes": ["JKK"]}, "programmes", "programme.mandatory"),
        ({"payer_type": "government"}, "payer_group", "invalid"),
        ({"payer_type": "self", "payer_group": "SG"}, "payer_group", "invalid"),
        ({"payer_type": "uncle"}, "payer_type", "invalid"),
        ({"birth_date": "16-12-1990"}, "birth_date", "invalid"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    demo, client, changes, field, code
):
    response = register(client, **changes)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["field"], error["code"]) == (field, code)
    assert (Person.objects.count(), Participant.objects.count(), Notification.objects.count()) == (
        0,
        0,
        0,
    )


def test_the_same_nik_twice_is_a_conflict_and_changes_nothing(demo, client):
    """An anonymous registration of a NIK on file is told to sign in and link (not attached)."""
    assert register(client).status_code == 201
    counts = (Participant.objects.count(), Notification.objects.count(), AuditEvent.objects.count())
    again = register(client)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "person.exists"
    assert (
        Participant.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_kalimantan_utara_is_accepted_and_an_unknown_place_warns(demo, client):
    kaltara = register(
        client,
        nik="6571015508900002",
        full_name="Rina",
        birth_date="1990-08-15",
        phone="081311112222",
    )
    assert kaltara.status_code == 201
    assert kaltara.json()["branch_office"] == "TRK" and kaltara.json()["warnings"] == []
    unknown = register(
        client,
        nik="6599015508910003",
        full_name="Ani",
        birth_date="1991-08-15",
        phone="081311113333",
    )
    assert unknown.status_code == 201
    assert [w["code"] for w in unknown.json()["warnings"]] == ["nik.unknown_place"]
    assert unknown.json()["branch_office"] is None


def test_mismatches_and_possible_duplicates_warn(demo, client):
    assert register(client).status_code == 201
    twin = register(client, nik="6371055612900004", phone="081311114444")  # same name and date
    codes = [w["code"] for w in twin.json()["warnings"]]
    assert twin.status_code == 201 and codes == ["person.possible_duplicate"]
    odd = register(
        client, nik="6371051612900005", full_name="Dewi", sex="F", phone="081311115555"
    )  # NIK of a man born 16 Dec 1990
    assert [w["code"] for w in odd.json()["warnings"]] == ["nik.sex_mismatch"]


def test_government_payer_group_and_sender(demo, client):
    response = register(client, payer_type="government", payer_group="SD")
    assert response.status_code == 201
    assert BpuMembership.objects.get().payer_group == "SD"
    assert notifications_send_pending() == 1
    assert Notification.objects.get().status == "sent"
    assert notifications_send_pending() == 0


def test_public_registration_is_rate_limited(demo, client):
    # frozen 15 seconds into a minute, so the window cannot end during the test
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, 15, tzinfo=UTC), tick=False):
        statuses = [register(client, nik="xx").status_code for _ in range(31)]
        assert statuses[:30] == [400] * 30
        assert statuses[30] == 429
        limited = register(client, nik="xx")
        assert limited.json()["error"]["code"] == "rate_limited"
        assert limited["Retry-After"] == "46"
