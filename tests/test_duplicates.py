"""Duplicate people: found by name and birth date, merged by an officer, undone."""

import pytest

from jamsos.core.models import AuditEvent
from jamsos.registry.enrolment import bpu_register
from jamsos.registry.models import Participant, Person, PersonMerge
from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(demo):
    from datetime import date

    common = {
        "acting_user": None,
        "full_name": "Siti Aminah",
        "birth_date": date(1990, 12, 16),
        "sex": "F",
        "occupation": "trader",
        "income_idr": 1_000_000,
    }
    a = bpu_register(nik="6371055612900003", phone="081200000001", **common)
    b = bpu_register(nik="6371055612900004", phone="081200000002", **common)
    return a.participant, b.participant


def test_candidates_merge_and_undo(twins):
    a, b = twins
    client = bearer_client("cabang")
    found = client.get("/api/v1/people/duplicates").json()
    assert len(found) == 1 and found[0]["birth_date"] == "1990-12-16"
    assert [p["nik"] for p in found[0]["people"]] == ["637105******0003", "637105******0004"]
    merged = client.post(
        "/api/v1/people/merges",
        {"kept_id": a.person_id, "merged_id": b.person_id, "reason": "same KTP, typo in NIK"},
        content_type="application/json",
    )
    assert merged.status_code == 201, merged.content
    assert set(Participant.objects.filter(person_id=a.person_id).values_list("kpj", flat=True)) == {
        a.kpj,
        b.kpj,
    }
    assert client.get("/api/v1/people/duplicates").json() == []
    again = client.post(
        "/api/v1/people/merges",
        {"kept_id": a.person_id, "merged_id": b.person_id, "reason": "x"},
        content_type="application/json",
    )
    assert again.status_code in (404, 409)
    undone = client.post(
        f"/api/v1/people/merges/{merged.json()['id']}/undo",
        {"reason": "different people after all"},
        content_type="application/json",
    )
    assert undone.status_code == 200 and undone.json()["reverted"] is True
    assert Participant.objects.get(kpj=b.kpj).person_id == b.person_id
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="person.merge").order_by("id")
    ] == ["person.merge", "person.merge_undo"]
    assert (
        client.post(
            f"/api/v1/people/merges/{merged.json()['id']}/undo", {}, content_type="application/json"
        ).status_code
        == 200
    )  # no change


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("pemberikerja", 403),
        ("auditor", 403),
        ("wilayah", 403),
        ("klaim", 403),
        ("ptk", 404),
    ],
)
def test_only_officers_of_the_branch_merge_and_denials_change_nothing(
    twins, password, username, status
):
    from jamsos.accounts.services import user_create

    user_create(
        acting_user=None,
        username="ptk",
        password=password,
        role="branch_officer",
        branch_office_code="PTK",
        check_password=False,
    )
    a, b = twins
    response = bearer_client(username).post(
        "/api/v1/people/merges",
        {"kept_id": a.person_id, "merged_id": b.person_id, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == status
    assert not PersonMerge.objects.exists()
    assert Participant.objects.get(kpj=b.kpj).person_id == b.person_id


def test_merge_needs_a_reason_and_two_people(twins):
    a, b = twins
    client = bearer_client("cabang")
    no_reason = client.post(
        "/api/v1/people/merges",
        {"kept_id": a.person_id, "merged_id": b.person_id, "reason": " "},
        content_type="application/json",
    )
    assert no_reason.status_code == 400 and no_reason.json()["error"]["field"] == "reason"
    same = client.post(
        "/api/v1/people/merges",
        {"kept_id": a.person_id, "merged_id": a.person_id, "reason": "x"},
        content_type="application/json",
    )
    assert same.status_code == 400 and same.json()["error"]["field"] == "merged_id"
    assert Person.objects.count() == 2
