"""Class 1 of issue 13: identity takeover by knowing a NIK.

Rule: an existing person is never attached, linked or exposed on the strength of a NIK alone.
Each attack goes through the real interface (API and page) and must be refused with nothing
changed: no link, no person or card attached, no code sent to the attacker's phone, no audit
event of a success.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client

from jamsos.core.models import AuditEvent
from jamsos.registry.linking import LINK_MAX_REFUSALS
from jamsos.registry.models import Employer, Participant, Person
from tests.conftest import TwoFactorClient, bearer_client
from tests.security.conftest import ATTACKER_PHONE, SARI, audit_actions, last_code, tables

pytestmark = pytest.mark.django_db

BPU_FORM = {
    "sex": "F",
    "phone": ATTACKER_PHONE,
    "occupation": "trader",
    "income_idr": "2000000",
    "payer_type": "self",
}
SUCCESS = ("person.link_user", "person.phone_verified", "bpu.register", "employment.start")


def page_client(user) -> Client:
    client = TwoFactorClient()  # staff pass the second factor as the code step would
    client.force_login(user)
    return client


def test_daftar_with_a_leavers_nik_links_nothing_and_sends_no_code(sari, logins):
    """The issue's first example: a participant login with no record registers on /daftar/
    with the NIK of a worker who has just left (a made-up name, the attacker's phone)."""
    before, success = tables(), audit_actions(*SUCCESS)
    mallory = page_client(logins["mallory"])
    for name in ("Mallory", SARI["full_name"]):  # even with the right name: no code, no link
        response = mallory.post(
            "/daftar/",
            {**BPU_FORM, "nik": SARI["nik"], "full_name": name, "birth_date": SARI["birth_date"]},
        )
        assert response.status_code == 400
        assert "NIK ini sudah terdaftar" in response.content.decode()
    api = bearer_client("mallory").post(
        "/api/v1/bpu/registrations",
        {
            **BPU_FORM,
            "nik": SARI["nik"],
            "full_name": SARI["full_name"],
            "birth_date": SARI["birth_date"],
            "income_idr": 2_000_000,
        },
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["error"]["code"] == "person.exists"
    assert Person.objects.get(nik=SARI["nik"]).user_id is None
    assert tables() == before and audit_actions(*SUCCESS) == success
    # The attacker's login sees no card and cannot file on the victim's.
    assert bearer_client("mallory").get(f"/api/v1/jht/{sari.kpj}").status_code == 404


def test_anonymous_registration_of_a_nik_on_file_is_refused(sari, client):
    before = tables()
    response = client.post(
        "/api/v1/bpu/registrations",
        {
            **BPU_FORM,
            "nik": SARI["nik"],
            "full_name": SARI["full_name"],
            "birth_date": SARI["birth_date"],
            "income_idr": 2_000_000,
        },
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "person.exists"
    assert tables() == before


def test_sponsor_with_an_existing_nik_and_a_made_up_name_attaches_nothing(sari, logins):
    """``POST /api/v1/sponsor/workers`` reached the same takeover."""
    before, success = tables(), audit_actions(*SUCCESS)
    sponsor = bearer_client("sponsor")
    payload = {
        **BPU_FORM,
        "nik": SARI["nik"],
        "full_name": "Siti Palsu",
        "birth_date": SARI["birth_date"],
        "income_idr": 2_000_000,
    }
    refused = sponsor.post("/api/v1/sponsor/workers", payload, content_type="application/json")
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "person.identity_mismatch" and error["field"] == "nik"
    # The same answer for a wrong birth date: the refusal does not say which detail differs.
    wrong_birth = sponsor.post(
        "/api/v1/sponsor/workers",
        {**payload, "full_name": SARI["full_name"], "birth_date": "1985-08-16"},
        content_type="application/json",
    )
    assert wrong_birth.status_code == 400
    assert wrong_birth.json()["error"]["message"] == error["message"]
    assert tables() == before and audit_actions(*SUCCESS) == success
    assert not Person.objects.filter(phone="+6281299990000").exists()


def test_sponsor_enrolling_the_real_person_gets_only_its_card(sari, logins):
    """With the name and birth date of the record a sponsor may pay for the person, and gets
    the informal card of that enrolment only: no code to the phone it typed, no balance."""
    sponsor = bearer_client("sponsor")
    response = sponsor.post(
        "/api/v1/sponsor/workers",
        {
            **BPU_FORM,
            "nik": SARI["nik"],
            "full_name": "  sari   WULANDARI. ",  # case, spaces and punctuation do not matter
            "birth_date": SARI["birth_date"],
            "income_idr": 2_000_000,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    bpu = Participant.objects.get(person__nik=SARI["nik"], segment="BPU")
    assert body["kpj"] == bpu.kpj and body["phone_verification"] == "none"
    assert set(body) == {
        "kpj",
        "segment",
        "status",
        "branch_office",
        "nominal_idr",
        "phone_verification",
        "warnings",
    }
    person = Person.objects.get(nik=SARI["nik"])
    assert person.phone == "" and person.user_id is None and person.full_name == "Sari Wulandari"
    assert not AuditEvent.objects.filter(action="person.link_user").exists()
    listed = sponsor.get("/api/v1/sponsor/workers").json()
    assert [w["kpj"] for w in listed] == [bpu.kpj] and "*" in listed[0]["nik"]
    for path in (
        f"/api/v1/jht/{sari.kpj}",
        f"/api/v1/jht/{bpu.kpj}",
        f"/api/v1/members/{sari.kpj}/coverage?from=2026-01&to=2026-09",
    ):
        assert sponsor.get(path).status_code == 404, path


def test_employer_adding_an_existing_nik_with_a_made_up_name_gets_nothing(sari, logins):
    """The issue's employer example: another employer's administrator adds a "new" worker with
    an existing NIK and a made-up name (API, page upload and API upload)."""
    logistik = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    before, success = tables(), audit_actions(*SUCCESS, "upload.finalise")
    api = bearer_client("logistik")
    refused = api.post(
        f"/api/v1/employers/{logistik.pk}/workers",
        {
            "nik": SARI["nik"],
            "full_name": "Budi Palsu",
            "birth_date": SARI["birth_date"],
            "sex": "F",
            "start_on": "2026-10-01",
            "wage_idr": 5_000_000,
        },
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "person.identity_mismatch"
    csv = (
        "nik,full_name,birth_date,sex,start_on,wage_idr\n"
        f"{SARI['nik']},Budi Palsu,{SARI['birth_date']},F,2026-10-01,5000000\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "workers.csv"
    checked = api.post(
        f"/api/v1/employers/{logistik.pk}/uploads", {"period": "2026-10", "file": upload}
    )
    assert checked.status_code == 201
    assert checked.json()["summary"]["errors"] == 1 and checked.json()["summary"]["add"] == 0
    finalise = api.post(f"/api/v1/uploads/{checked.json()['id']}/finalise")
    assert finalise.status_code == 409
    page = page_client(logins["logistik"])
    upload = io.BytesIO(csv.encode())
    upload.name = "workers.csv"
    response = page.post(
        f"/pemberi-kerja/{logistik.pk}/unggah/", {"period": "2026-11", "file": upload}
    )
    upload_id = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert "tidak cocok" in page.get(f"/unggahan/{upload_id}/").content.decode()
    page.post(f"/unggahan/{upload_id}/terapkan/")
    counts = tables()
    assert counts == before
    assert audit_actions(*SUCCESS, "upload.finalise") == success
    assert not Participant.objects.filter(employments__employer=logistik).exists()


def test_employer_enrolling_the_real_person_sees_only_its_own_employment(sari, logins):
    """An employer with the real details enrols the person on their one PU card, and sees
    that card and its own employment: not the JHT balance, the cover, the other employers."""
    logistik = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    api = bearer_client("logistik")
    enrolled = api.post(
        f"/api/v1/employers/{logistik.pk}/workers",
        {
            "nik": SARI["nik"],
            "full_name": "SARI WULANDARI",
            "birth_date": SARI["birth_date"],
            "sex": "F",
            "start_on": "2026-10-01",
            "wage_idr": 5_000_000,
        },
        content_type="application/json",
    )
    assert enrolled.status_code == 201, enrolled.content
    assert enrolled.json()["kpj"] == sari.kpj  # one PU card for life
    for path in (
        f"/api/v1/jht/{sari.kpj}",
        f"/api/v1/members/{sari.kpj}/coverage?from=2026-01&to=2026-09",
    ):
        assert api.get(path).status_code == 404, path
    page = page_client(logins["logistik"])
    for path in (f"/kartu/{sari.kpj}/jht/", f"/kartu/{sari.kpj}/jht.pdf"):
        assert page.get(path).status_code == 404, path
    record = page.get(f"/peserta/{sari.kpj}/").content.decode()
    assert "Khatulistiwa" in record and "Sawit" not in record and SARI["nik"] not in record
    # The member's own employer of before keeps its history; officers in scope see both.
    officer = page_client(logins["klaim"]).get(f"/peserta/{sari.kpj}/").content.decode()
    assert "Khatulistiwa" in officer and "Sawit" in officer


def test_anonymous_pmi_registration_does_not_attach_to_a_person_on_file(sari, client):
    before = tables()
    response = client.post(
        "/api/v1/pmi/registrations",
        {
            "nik": SARI["nik"],
            "full_name": SARI["full_name"],
            "birth_date": SARI["birth_date"],
            "sex": "F",
            "agreement_on": "2026-10-01",
            "destination_country": "MY",
            "via_agency": True,
            "contract_months": 24,
        },
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "person.exists"
    assert tables() == before


def test_project_worker_with_an_existing_nik_and_a_made_up_name_is_refused(sari, logins):
    from jamsos.registry.services import employer_verify
    from tests.test_projects_pmi import project_body

    banua = Employer.objects.get(legal_name="CV Banua Konstruksi")
    employer_verify(acting_user=logins["cabang"], employer_id=banua.pk)
    banua.administrators.add(logins["kontraktor"])
    client = bearer_client("kontraktor")
    project = client.post(
        "/api/v1/projects", project_body(banua), content_type="application/json"
    ).json()
    before = tables()
    response = client.post(
        f"/api/v1/projects/{project['id']}/workers",
        {
            "nik": SARI["nik"],
            "full_name": "Tukang Palsu",
            "birth_date": SARI["birth_date"],
            "sex": "F",
            "kind": "daily",
            "start_on": "2026-06-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "person.identity_mismatch"
    assert tables() == before


def test_linking_needs_the_details_and_the_code_sent_to_the_phone_on_record(sari, logins):
    """The genuine member links: the branch records her phone at the counter, she gives her
    NIK, name and birth date, and types the code sent to that phone. Wrong details give one
    answer whatever differs; a code typed from the attacker's phone does not exist."""
    officer = bearer_client("cabang")
    recorded = officer.post(
        f"/api/v1/participants/{sari.kpj}/phone",
        {"phone": "0812 5000 1985"},
        content_type="application/json",
    )
    assert recorded.status_code == 200, recorded.content
    member = bearer_client("sari")
    refusals = set()
    for wrong in (
        {**SARI, "full_name": "Sari Wulan"},
        {**SARI, "birth_date": "1985-08-16"},
        {**SARI, "nik": "6371055508850099"},
    ):
        response = member.post("/api/v1/people/link", wrong, content_type="application/json")
        assert response.status_code == 400
        refusals.add((response.json()["error"]["code"], response.json()["error"]["message"]))
    assert refusals == {
        (
            "person.link_refused",
            "nik: NIK, nama dan tanggal lahir tidak cocok dengan data yang dapat dihubungkan; "
            "periksa dengan KTP Anda, dan bila sudah benar datanglah ke kantor cabang",
        )
    }
    assert Person.objects.get(nik=SARI["nik"]).user_id is None
    sent = member.post(
        "/api/v1/people/link",
        {**SARI, "full_name": "sari wulandari"},
        content_type="application/json",
    )
    assert sent.status_code == 202 and sent.json() == {"phone": "+62812****985"}
    assert Person.objects.get(nik=SARI["nik"]).user_id is None  # nothing linked before the code
    wrong = member.post(
        "/api/v1/people/link/confirm", {"code": "000000"}, content_type="application/json"
    )
    if last_code("+6281250001985") != "000000":
        assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "otp.wrong"
    linked = member.post(
        "/api/v1/people/link/confirm",
        {"code": last_code("+6281250001985")},
        content_type="application/json",
    )
    assert linked.status_code == 200 and linked.json() == {"linked": True, "kpj": [sari.kpj]}
    person = Person.objects.get(nik=SARI["nik"])
    assert person.user == logins["sari"] and person.phone_verified_at is not None
    assert member.get(f"/api/v1/jht/{sari.kpj}").status_code == 200
    # The record is taken: another login with the same details gets no code.
    before = tables()
    taken = bearer_client("mallory").post(
        "/api/v1/people/link", SARI, content_type="application/json"
    )
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "person.link_taken"
    assert tables() == before


def test_linking_a_record_without_a_phone_points_to_the_branch(sari, logins):
    before = tables()
    response = bearer_client("sari").post(
        "/api/v1/people/link", SARI, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "person.link_no_phone"
    assert "kantor cabang" in response.json()["error"]["message"]
    assert tables() == before


def test_linking_by_guessing_is_locked_after_a_few_refusals(sari, logins):
    bearer_client("cabang").post(
        f"/api/v1/participants/{sari.kpj}/phone",
        {"phone": "081250001985"},
        content_type="application/json",
    )
    mallory = bearer_client("mallory")
    for i in range(LINK_MAX_REFUSALS):
        guess = {**SARI, "full_name": f"Sari {i}"}
        assert (
            mallory.post("/api/v1/people/link", guess, content_type="application/json").status_code
            == 400
        )
    before = tables()
    locked = mallory.post("/api/v1/people/link", SARI, content_type="application/json")
    assert locked.status_code == 403 and locked.json()["error"]["code"] == "person.link_locked"
    assert tables() == before  # even the right details send no code now


def test_linking_through_the_pages(sari, logins):
    bearer_client("cabang").post(
        f"/api/v1/participants/{sari.kpj}/phone",
        {"phone": "081250001985"},
        content_type="application/json",
    )
    page = page_client(logins["sari"])
    assert "Hubungkan data Anda" in page.get("/kartu/").content.decode()
    wrong = page.post("/kartu/hubungkan/", {**SARI, "full_name": "Mallory"})
    assert wrong.status_code == 400 and "tidak cocok" in wrong.content.decode()
    sent = page.post("/kartu/hubungkan/", SARI)
    assert sent["Location"] == "/kartu/hubungkan/kode/"
    assert "+62812****985" in page.get("/kartu/hubungkan/kode/").content.decode()
    done = page.post("/kartu/hubungkan/kode/", {"code": last_code("+6281250001985")})
    assert done["Location"] == "/kartu/"
    assert sari.kpj in page.get("/kartu/").content.decode()
    assert Person.objects.get(nik=SARI["nik"]).user == logins["sari"]


def test_a_participant_registering_a_new_nik_still_gets_their_new_record(logins):
    """The happy path of /daftar/ is unchanged: a NIK new to Jamsos is registered, the code
    goes to the phone typed (the new record's own), and the record is the login's."""
    page = page_client(logins["mallory"])
    response = page.post(
        "/daftar/",
        {
            **BPU_FORM,
            "nik": "6371054107900003",
            "full_name": "Mala Rosa",
            "birth_date": "1990-07-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(nik="6371054107900003")
    assert person.user == logins["mallory"] and person.phone == "+6281299990000"
    assert last_code("+6281299990000")


def test_an_employer_enrols_a_new_person(logins):
    logistik = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    response = bearer_client("logistik").post(
        f"/api/v1/employers/{logistik.pk}/workers",
        {
            "nik": "6171010101900004",
            "full_name": "Andi Baru",
            "birth_date": "1990-01-01",
            "sex": "M",
            "start_on": "2026-10-01",
            "wage_idr": 5_000_000,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Person.objects.get(nik="6171010101900004").full_name == "Andi Baru"


def test_the_duplicates_list_shows_only_people_in_scope(sari, logins):
    """Someone of another branch with the same name and birth date is not shown (nor are
    their cards); the list is the merging officers', not an employer's."""
    from django.db import transaction

    from jamsos.registry.enrolment import person_get_or_create

    with transaction.atomic():
        person_get_or_create(
            "6171055508850005",
            SARI["full_name"],
            date(1985, 8, 15),
            "F",
            logins["admin"],
            date(2026, 10, 1),
        )
    assert bearer_client("pemberikerja").get("/api/v1/people/duplicates").status_code == 403
    listed = bearer_client("cabang").get("/api/v1/people/duplicates").json()
    niks = [p["nik"] for group in listed for p in group["people"]]
    assert not any(n.startswith("617105") for n in niks)
    assert not AuditEvent.objects.filter(action="person.link_user", actor__username="logistik")


def test_a_sponsor_guessing_names_is_locked_out_before_the_right_one(sari, logins):
    """Found by attacking: a sponsor sent eight wrong names for a NIK and the ninth, the real
    one, enrolled the person — guessing confirmed who holds the NIK."""
    sponsor = bearer_client("sponsor")
    payload = {**BPU_FORM, "nik": SARI["nik"], "birth_date": SARI["birth_date"]}
    for guess in ("Sari A", "Sari B", "Sari C", "Sari D", "Sari E"):
        answer = sponsor.post(
            "/api/v1/sponsor/workers",
            {**payload, "full_name": guess},
            content_type="application/json",
        )
        assert answer.json()["error"]["code"] == "person.identity_mismatch"
    assert audit_actions("person.identity_refused") == 5
    before = tables()

    right = sponsor.post(
        "/api/v1/sponsor/workers",
        {**payload, "full_name": SARI["full_name"]},
        content_type="application/json",
    )

    assert right.status_code == 403, right.content
    assert right.json()["error"]["code"] == "person.identity_locked"
    assert tables() == before


def _worker_list(*rows: tuple[str, str]) -> bytes:
    """A worker list of Sari's NIK with the names and birth dates given."""
    lines = ["nik,full_name,birth_date,sex,start_on,wage_idr"]
    lines += [f"{SARI['nik']},{name},{birth},F,2026-10-01,4500000" for name, birth in rows]
    return ("\n".join(lines) + "\n").encode()


def _upload(client: Client, employer: Employer, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/api/v1/employers/{employer.pk}/uploads",
        {"period": "2026-10", "file": SimpleUploadedFile("workers.csv", content)},
    )


def test_an_employer_guessing_in_an_upload_is_counted_and_locked(sari, logins):
    """Found by attacking: identity mismatches in upload rows were refused row by row but not
    counted, so sending a file a guess at a time found the right name (the upload without an
    error) with no lock. Each mismatching row now counts towards the lock, and after the
    fifth a row of a NIK on file is refused unchecked — the right name included."""
    from jamsos.registry.models import EmployerUpload

    logistik = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    client = bearer_client("logistik")
    for c in "ABCDE":
        guess = _upload(client, logistik, _worker_list((f"Sari {c}", SARI["birth_date"])))
        assert guess.status_code == 201, guess.content
        assert guess.json()["summary"]["errors"] == 1
    assert audit_actions("person.identity_refused") == 5
    right = _upload(client, logistik, _worker_list((SARI["full_name"], SARI["birth_date"])))
    assert right.json()["summary"]["errors"] == 1 and right.json()["summary"]["add"] == 0
    row = EmployerUpload.objects.get(pk=right.json()["id"]).rows[0]
    assert "Too many enrolments refused" in row["errors"][0]
    assert audit_actions("person.identity_refused") == 5  # a locked row is not a guess
    # the one-at-a-time door is locked as well
    before = tables()
    api = bearer_client("logistik").post(
        f"/api/v1/employers/{logistik.pk}/workers",
        {**SARI, "sex": "F", "start_on": "2026-10-01", "wage_idr": 4_500_000},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["error"]["code"] == "person.identity_locked"
    assert tables() == before


def test_guesses_one_at_a_time_lock_the_upload_door(sari, logins):
    """Five refused enrolments through the API, then the right details in an upload: the row
    is refused as locked and finalising adds nobody."""
    logistik = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    client = bearer_client("logistik")
    for c in "ABCDE":
        wrong = client.post(
            f"/api/v1/employers/{logistik.pk}/workers",
            {
                **SARI,
                "full_name": f"Sari {c}",
                "sex": "F",
                "start_on": "2026-10-01",
                "wage_idr": 4_500_000,
            },
            content_type="application/json",
        )
        assert wrong.json()["error"]["code"] == "person.identity_mismatch"
    before = tables()
    response = _upload(client, logistik, _worker_list((SARI["full_name"], SARI["birth_date"])))
    assert response.json()["summary"]["errors"] == 1
    finalise = client.post(f"/api/v1/uploads/{response.json()['id']}/finalise")
    assert finalise.status_code == 409
    assert tables() == before
    assert audit_actions("person.identity_refused") == 5
