"""Holes found by attacking the application as each kind of attacker, each with the attack
through the real interface (API and pages) and the check that it is refused and changed
nothing. Rules: docs/security.md."""

from __future__ import annotations

import pytest

from tests.conftest import TwoFactorClient
from tests.security.conftest import snapshot

pytestmark = pytest.mark.django_db

NOT_PARTICIPANTS = [
    "sponsor",
    "pemberikerja",
    "kontraktor",
    "cabang",
    "klaim",
    "wilayah",
    "auditor",
    "admin",
]


def page_client(user) -> TwoFactorClient:
    client = TwoFactorClient()
    client.force_login(user)
    return client


@pytest.mark.parametrize("username", NOT_PARTICIPANTS)
def test_only_a_participant_is_shown_the_card_linking_pages(world, username):
    """Card linking (``card.link``) is a participant's own login's; every other role was shown
    the form (and told only after typing a NIK, a name and a birth date)."""
    page = page_client(world["users"][username])
    before = snapshot()
    assert page.get("/kartu/hubungkan/").status_code == 403
    posted = page.post(
        "/kartu/hubungkan/",
        {"nik": "6371055508850002", "full_name": "Sari Wulandari", "birth_date": "1985-08-15"},
    )
    assert posted.status_code == 403
    assert page.get("/kartu/hubungkan/kode/").status_code == 403
    assert page.post("/kartu/hubungkan/kode/", {"code": "123456"}).status_code == 403
    before.unchanged()
    assert "/kartu/hubungkan/" not in page.get("/kartu/").content.decode()


def test_a_participant_is_still_shown_the_card_linking_page(world):
    from jamsos.accounts.services import user_create

    mallory = user_create(
        acting_user=None,
        username="mallory",
        password="x",
        role="participant",
        check_password=False,
    )
    page = page_client(mallory)
    assert page.get("/kartu/hubungkan/").status_code == 200
    assert "/kartu/hubungkan/" in page.get("/kartu/").content.decode()


# -- "not in your scope" answers as "does not exist" ------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_another_persons_document_is_answered_as_one_that_does_not_exist(world):
    """A claim document's id out of the caller's scope was refused with the claim's number
    in the message ("no claim KL...") while an unknown id said "No such document": the
    refusal named someone's claim and told which ids exist."""
    from jamsos.benefits.documents import document_upload
    from tests.conftest import bearer_client

    document = document_upload(
        acting_user=world["users"]["peserta"],
        number=world["claim"].number,
        item="ktp",
        filename="ktp.pdf",
        content=PDF,
    )
    for username in ("sponsor", "pemberikerja", "cabang_ptk"):
        api = bearer_client(username)
        theirs = api.get(f"/api/v1/claims/documents/{document.pk}")
        none = api.get("/api/v1/claims/documents/999999")
        assert theirs.status_code == none.status_code == 404
        assert theirs.json() == none.json()
        assert world["claim"].number not in theirs.content.decode()
        page = page_client(world["users"][username])
        shown = page.get(f"/klaim/dokumen/{document.pk}/")
        assert shown.status_code == 404
        assert world["claim"].number not in shown.content.decode()


def _project(world, name: str, regency_code: str):
    """A project of the construction company (verified by its branch, administered by
    ``kontraktor``) built in the regency given."""
    from datetime import date

    from jamsos.registry.projects import project_register
    from jamsos.registry.services import employer_verify

    users = world["users"]
    employer_verify(acting_user=users["cabang"], employer_id=world["banua"].pk)
    world["banua"].administrators.add(users["kontraktor"])
    return project_register(
        acting_user=users["kontraktor"],
        contractor_id=world["banua"].pk,
        name=name,
        owner_name="Dinas PUPR",
        regency_code=regency_code,
        work_order_on=date(2026, 5, 4),
        contract_value_idr=500_000_000,
        funding="APBD",
        start_on=date(2026, 5, 11),
        end_on=date(2026, 12, 31),
    ).project


@pytest.fixture
def far_project(world):
    """A project of the Banjarmasin contractor built in Pontianak, billed: it belongs to the
    Pontianak branch, not to the contractor's."""

    from jamsos.contributions.jakon_pmi import project_bills_issue

    project = _project(world, "Dermaga Kapuas", "61.71")
    bill = project_bills_issue(acting_user=world["users"]["kontraktor"], project_id=project.pk)[0]
    return project, bill


def test_a_project_bill_is_in_the_projects_scope_not_the_contractors(world, far_project):
    """The Banjarmasin officer was told the Pontianak project does not exist, but read its
    bill by payment code (the contractor's branch); the Pontianak officer, who manages the
    project, could not read the bill it issues. A project's bill now goes with the project."""
    from tests.conftest import bearer_client

    project, bill = far_project
    cabang, ptk = bearer_client("cabang"), bearer_client("cabang_ptk")
    assert page_client(world["users"]["cabang"]).get(f"/proyek/{project.pk}/").status_code == 404
    unknown = cabang.get("/api/v1/bills/0000000000000")
    refused = cabang.get(f"/api/v1/bills/{bill.payment_code}")
    assert refused.status_code == unknown.status_code == 404
    assert refused.json()["error"]["code"] == unknown.json()["error"]["code"] == "bill.not_found"
    shown = page_client(world["users"]["cabang"]).get(f"/tagihan/{bill.payment_code}/")
    assert shown.status_code == 404
    assert ptk.get(f"/api/v1/bills/{bill.payment_code}").status_code == 200
    assert bearer_client("kontraktor").get(f"/api/v1/bills/{bill.payment_code}").status_code == 200


def test_the_project_bill_page_and_the_api_agree_on_who_bills(world):
    """The page asked whether the user manages the project's *workers*, the API whether they
    may bill it: a system administrator was refused (403) on the page and allowed by the
    API. Both ask ``project.bill`` now."""

    from jamsos.contributions.models import Bill

    project = _project(world, "Jalan Lingkar", "63.03")
    page = page_client(world["users"]["admin"])
    response = page.post(f"/proyek/{project.pk}/tagih/", {"instalments": "2"})
    assert response.status_code == 302
    assert Bill.objects.filter(project=project).count() == 2


# -- registration through the API with a bearer token ------------------------------------------

BPU = {
    "sex": "F",
    "phone": "081299990000",
    "occupation": "trader",
    "income_idr": 2_000_000,
}
NEW = {"nik": "6371054107900003", "full_name": "Mala Rosa", "birth_date": "1990-07-01"}


def _register(client, body):
    return client.post("/api/v1/bpu/registrations", body, content_type="application/json")


def test_a_participant_registering_with_a_token_gets_their_new_record(world):
    """The public registration ignored the bearer token: a participant's registration through
    the API was anonymous, so the new record was not theirs."""
    from jamsos.accounts.services import user_create
    from jamsos.registry.models import Person
    from tests.conftest import bearer_client

    mala = user_create(
        acting_user=None,
        username="mala",
        password="x" * 12,
        role="participant",
        check_password=False,
    )
    response = _register(bearer_client("mala", "x" * 12), {**BPU, **NEW})
    assert response.status_code == 201, response.content
    assert Person.objects.get(nik=NEW["nik"]).user == mala


def test_a_branch_officer_registers_someone_on_file_on_their_behalf(world):
    """At the counter, with the KTP: an officer's token registers an existing person (with the
    name and birth date on the record) — it was refused as an anonymous registration. The
    record stays without a login; a wrong name is refused like any guess."""
    from jamsos.registry.models import Participant, Person
    from tests.conftest import bearer_client

    joko = world["workers"]["Joko Susilo"].participant.person
    officer = bearer_client("cabang")
    body = {**BPU, "sex": "M", "nik": joko.nik, "birth_date": "1985-08-15"}
    wrong = _register(officer, {**body, "full_name": "Joko Palsu"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "person.identity_mismatch"
    right = _register(officer, {**body, "full_name": "Joko Susilo"})
    assert right.status_code == 201, right.content
    card = Participant.objects.get(kpj=right.json()["kpj"])
    assert card.person == joko and card.segment == "BPU"
    assert Person.objects.get(pk=joko.pk).user_id is None


@pytest.mark.parametrize("username", ["pemberikerja", "kontraktor", "klaim", "auditor", "admin"])
def test_roles_that_register_no_informal_worker_are_refused_first(world, username):
    from jamsos.registry.models import Person
    from tests.conftest import bearer_client

    client = bearer_client(username)
    before = snapshot()
    response = _register(client, {**BPU, **NEW, "nik": "garbage"})
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "bpu.register_forbidden"
    before.unchanged()
    assert not Person.objects.filter(nik=NEW["nik"]).exists()
    assert page_client(world["users"][username]).get("/daftar/").status_code == 403


def test_a_bad_token_is_refused_not_taken_as_anonymous(world):
    client = TwoFactorClient(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert _register(client, {**BPU, **NEW}).status_code == 401


def test_the_api_ignores_a_session_cookie(world):
    """A page elsewhere could post to the public API from a signed-in participant's browser
    (no CSRF check on the API) and register a NIK to that login. The API uses only bearer
    tokens: the same request with a session cookie is anonymous."""
    from jamsos.accounts.services import user_create
    from jamsos.registry.models import Person

    mala = user_create(
        acting_user=None,
        username="mala",
        password="x" * 12,
        role="participant",
        check_password=False,
    )
    browser = page_client(mala)
    response = _register(browser, {**BPU, **NEW})
    assert response.status_code == 201, response.content
    assert Person.objects.get(nik=NEW["nik"]).user_id is None


def test_a_participant_cannot_attach_a_placement_to_someone_elses_record(world):
    """A participant's token registered a migrant placement on another person's record by
    giving their NIK, name and birth date (any signed-in caller was trusted with a match)."""
    from jamsos.accounts.services import user_create
    from tests.conftest import bearer_client

    user_create(
        acting_user=None,
        username="mala",
        password="x" * 12,
        role="participant",
        check_password=False,
    )
    joko = world["workers"]["Joko Susilo"].participant.person
    body = {
        "nik": joko.nik,
        "full_name": "Joko Susilo",
        "birth_date": "1985-08-15",
        "sex": "M",
        "agreement_on": "2026-10-01",
        "destination_country": "MY",
        "via_agency": True,
        "contract_months": 24,
    }
    mala, auditor_client = bearer_client("mala", "x" * 12), bearer_client("auditor")
    before = snapshot()
    refused = mala.post("/api/v1/pmi/registrations", body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "person.exists"
    auditor = auditor_client.post(
        "/api/v1/pmi/registrations", body, content_type="application/json"
    )
    assert auditor.status_code == 403
    assert auditor.json()["error"]["code"] == "pmi.register_forbidden"
    before.unchanged()
    done = bearer_client("cabang").post(
        "/api/v1/pmi/registrations", body, content_type="application/json"
    )
    assert done.status_code == 201, done.content


# -- names compared without titles ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Dr. H. Budi Santoso, S.E., M.M.", "budi santoso"),
        ("Budi Santoso, SE", "budi santoso"),
        ("Budi Santoso S.E.", "budi santoso"),
        ("Budi Santoso S. E.", "budi santoso"),
        ("Prof. Ir. Siti  RAHAYU M.Kom", "siti rahayu"),
        ("Hj. Siti Aminah, S.Pd.", "siti aminah"),
        ("Ahmad Dahlan, Lc.", "ahmad dahlan"),
        ("Drs. Joko Widodo MBA", "joko widodo"),
        ("Budi S.", "budi s"),  # an initial, not a title
        ("Lim Si", "lim si"),  # a name, not "S.Si" without its dots
        ("Muhammad Ma", "muhammad ma"),
        ("Dra", "dra"),  # a title alone is kept: a name is never made empty by it
    ],
)
def test_names_are_compared_without_titles_or_honorifics(written, key):
    from jamsos.registry.enrolment import name_key

    assert name_key(written) == key


def test_a_title_on_the_record_or_in_the_request_does_not_refuse_the_right_person(world):
    """The employer enrols its new worker with the titles on the KTP; the record has none."""
    from jamsos.registry.models import Employment
    from tests.conftest import bearer_client

    joko = world["workers"]["Joko Susilo"].participant.person
    khatulistiwa = world["khatulistiwa"]
    response = bearer_client("pemberikerja2").post(
        f"/api/v1/employers/{khatulistiwa.pk}/workers",
        {
            "nik": joko.nik,
            "full_name": "H. Joko Susilo, S.E., M.M.",
            "birth_date": "1985-08-15",
            "sex": "M",
            "start_on": "2026-10-01",
            "wage_idr": 5_000_000,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Employment.objects.filter(participant__person=joko, employer=khatulistiwa).exists()


# -- mass assignment ---------------------------------------------------------------------------


def test_a_branch_officer_registers_employers_only_in_their_own_branch(world):
    """``branch_office`` in the registration body (or a regency another branch serves) let a
    Banjarmasin officer create employers in Pontianak's or Samarinda's books."""
    from jamsos.registry.models import Employer
    from tests.conftest import bearer_client

    new = {
        "legal_name": "PT Mahakam Kayu Prima",
        "npwp": "01.000.002.4-091.000",
        "sector": "C",
        "size": "medium",
        "regency": "63.71",
        "risk_class": 3,
    }
    officer = bearer_client("cabang")
    before = snapshot()
    for changes in ({"branch_office": "PTK"}, {"regency": "64.72"}):
        refused = officer.post(
            "/api/v1/employers", {**new, **changes}, content_type="application/json"
        )
        assert refused.status_code == 403, refused.content
        assert refused.json()["error"]["code"] == "employer.branch_forbidden"
    before.unchanged()
    done = officer.post("/api/v1/employers", new, content_type="application/json")
    assert done.status_code == 201, done.content
    assert Employer.objects.get(pk=done.json()["id"]).branch_office.code == "BJM"


def test_stored_name_keys_are_recomputed_without_titles(db):
    """The data migration rewrites only the keys that change."""
    import importlib
    from datetime import date

    from django.apps import apps
    from django.utils import timezone

    from jamsos.registry.models import Person

    migration = importlib.import_module("jamsos.registry.migrations.0015_name_key_titles")
    titled = Person.objects.create(
        nik="6371011508850009",
        full_name="Dr. Budi Santoso, S.E.",
        name_key="budi santoso s e",  # the key before titles were dropped
        birth_date=date(1985, 8, 15),
        sex="M",
        created_at=timezone.now(),
    )
    plain = Person.objects.create(
        nik="6371011508850010",
        full_name="Lim Si",
        name_key="lim si",
        birth_date=date(1985, 8, 15),
        sex="M",
        created_at=timezone.now(),
    )
    migration.recompute(apps, None)
    assert Person.objects.get(pk=titled.pk).name_key == "budi santoso"
    assert Person.objects.get(pk=plain.pk).name_key == "lim si"
