"""A merge hands one record's cards, JHT and claims to another record: a branch officer must not
be able to use it to give a stranger's login somebody else's savings (found by attacking: an
officer merged a worker into an attacker's freshly registered record, the attacker filed a JHT
claim on the worker's card, and a later one was paid straight through to the attacker)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from jamsos.benefits.models import Claim
from jamsos.registry.enrolment import bpu_register
from jamsos.registry.models import Participant, Person, PersonMerge
from tests.conftest import bearer_client
from tests.security.conftest import audit_actions, tables

pytestmark = pytest.mark.django_db


def _register(nik: str, full_name: str, birth_date: date, phone: str) -> Participant:
    return bpu_register(
        acting_user=None,
        nik=nik,
        full_name=full_name,
        birth_date=birth_date,
        sex="F",
        occupation="trader",
        income_idr=1_000_000,
        phone=phone,
    ).participant


def _merge(kept: Person, merged: Person):
    return bearer_client("cabang").post(
        "/api/v1/people/merges",
        {"kept_id": kept.pk, "merged_id": merged.pk, "reason": "duplikat"},
        content_type="application/json",
    )


def test_an_officer_cannot_merge_a_worker_into_a_strangers_record(sari, logins):
    attacker = _register("6371050101900001", "Penipu Jahat Dua", date(1990, 1, 1), "081299990000")
    Person.objects.filter(pk=attacker.person_id).update(user=logins["mallory"])
    before, audits = tables(), audit_actions("person.merge")

    answer = _merge(attacker.person, sari.person)

    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["code"] == "person.merge_not_duplicate"
    assert Participant.objects.get(pk=sari.pk).person_id == sari.person_id
    assert PersonMerge.objects.count() == 0
    assert tables() == before and audit_actions("person.merge") == audits
    # The stranger's login still cannot read the worker's JHT.
    assert bearer_client("mallory").get(f"/api/v1/jht/{sari.kpj}").status_code == 404


def test_two_records_each_with_a_login_are_not_merged(logins):
    born = date(1990, 12, 16)
    a = _register("6371055612900003", "Siti Aminah", born, "081200000001")
    b = _register("6371055612900004", "Siti Aminah", born, "081200000002")
    Person.objects.filter(pk=a.person_id).update(user=logins["mallory"])
    Person.objects.filter(pk=b.person_id).update(user=logins["sari"])

    answer = _merge(a.person, b.person)

    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["code"] == "person.merge_two_logins"
    assert Participant.objects.get(pk=b.pk).person_id == b.person_id
    assert PersonMerge.objects.count() == 0


def test_a_merge_is_not_undone_once_a_claim_was_filed_on_a_moved_card(logins):
    born = date(1990, 12, 16)
    a = _register("6371055612900003", "Siti Aminah", born, "081200000001")
    b = _register("6371055612900004", "siti  AMINAH", born, "081200000002")
    merged = _merge(a.person, b.person)
    assert merged.status_code == 201, merged.content
    Claim.objects.create(
        number="KLTEST000001",
        kind="jht_leaving_work",
        programme="JHT",
        participant=b,
        event_on=date(2026, 11, 1),
        claimant_name="Siti Aminah",
        claimant_relation="self",
        bank_code="BCA",
        bank_account="5550001111",
        filed_at=timezone.now(),
    )

    undo = bearer_client("cabang").post(
        f"/api/v1/people/merges/{merged.json()['id']}/undo",
        {"reason": "salah gabung"},
        content_type="application/json",
    )

    assert undo.status_code == 409, undo.content
    assert undo.json()["error"]["code"] == "person.merge_undo_after_claim"
    assert Participant.objects.get(pk=b.pk).person_id == a.person_id
    assert PersonMerge.objects.get().reverted_at is None
