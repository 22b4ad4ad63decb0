"""Class 2 of issue 13: money out without a second person or the paperwork.

Rules: straight-through payment only for a claim the member filed themselves, to an account in
their own name already on record, with every condition and document in place; anything filed
by an officer, or to a newly given account, goes through verify and approve by two different
people; verify and approve are blocked while the checklist is incomplete unless an override
with a written reason is recorded (and audited); an officer never approves a wage below the
floor that they reported themselves.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jamsos.benefits.documents import CHECKLISTS
from jamsos.benefits.models import Claim, ClaimEvent, Payout
from jamsos.contributions.jht import jht_balance
from jamsos.contributions.models import JhtEntry
from jamsos.core.models import AuditEvent
from jamsos.ledger.models import Posting
from jamsos.registry.models import Employer, WageRecord
from tests.conftest import TwoFactorClient, bearer_client
from tests.security.conftest import SARI, audit_actions, last_code, tables

pytestmark = pytest.mark.django_db

OFFICERS_ACCOUNT = {"bank_code": "BNI", "bank_account": "9990001111"}
SARIS_ACCOUNT = {"bank_code": "BNI", "bank_account": "0123456789"}


def upload_all(client: Client, number: str, kind: str) -> None:
    for item in CHECKLISTS[kind]:
        pdf = SimpleUploadedFile(f"{item}.pdf", b"%PDF-1.4\n% " + item.encode(), "application/pdf")
        response = client.post(f"/api/v1/claims/{number}/documents", {"item": item, "file": pdf})
        assert response.status_code == 201, response.content


def step(client: Client, number: str, action: str, **extra: str):
    return client.post(
        f"/api/v1/claims/{number}/transitions",
        {"action": action, **extra},
        content_type="application/json",
    )


def money_moved() -> tuple[int, int, int]:
    return (
        Payout.objects.count(),
        Posting.objects.filter(kind="payout").count(),
        (JhtEntry.objects.filter(kind="withdrawal").count()),
    )


def test_an_officers_jht_claim_to_a_typed_account_waits_for_two_other_people(sari, logins):
    """The issue's example: a branch officer files a JHT claim for a leaver to an account they
    typed. It used to be paid straight through; now nothing moves until two people decide,
    and the officer who filed cannot be one of the deciders who approve."""
    officer = bearer_client("cabang")
    balance = jht_balance(sari)
    assert 0 < balance <= 15_000_000  # small enough for straight-through, were it the member's
    with time_machine.travel(date(2026, 11, 5), tick=False):
        filed = officer.post(
            "/api/v1/claims",
            {"kpj": sari.kpj, "kind": "jht_leaving_work", **OFFICERS_ACCOUNT},
            content_type="application/json",
        )
        assert filed.status_code == 201, filed.content
        number = filed.json()["number"]
        assert filed.json()["status"] == "submitted"
        upload_all(officer, number, "jht_leaving_work")  # even with every document
    claim = Claim.objects.get(number=number)
    assert claim.status == "submitted" and claim.claimant_name == SARI["full_name"]
    assert money_moved() == (0, 0, 0) and audit_actions("claim.straight_through") == 0
    assert jht_balance(sari) == balance
    assert step(bearer_client("cabang2"), number, "verify").status_code == 200
    before = (tables(), audit_actions("claim.approve"))
    refused = step(officer, number, "approve")  # the officer who filed
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "claim.four_eyes"
    refused = step(bearer_client("cabang2"), number, "approve")  # the verifier
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "claim.four_eyes"
    assert (tables(), audit_actions("claim.approve")) == before
    assert Claim.objects.get(number=number).status == "verified"
    assert step(bearer_client("klaim"), number, "approve").status_code == 200
    assert step(bearer_client("klaim"), number, "pay").json()["status"] == "paid"
    assert money_moved() == (1, 1, 1)


def test_an_officers_claim_filed_on_the_page_is_not_paid_straight_through(sari, logins):
    page = TwoFactorClient()  # staff pass the second factor as the code step would
    page.force_login(logins["cabang"])
    with time_machine.travel(date(2026, 11, 5), tick=False):
        response = page.post(
            "/klaim/baru/", {"kpj": sari.kpj, "kind": "jht_leaving_work", **OFFICERS_ACCOUNT}
        )
    assert response.status_code == 302
    assert Claim.objects.get().status == "submitted" and money_moved() == (0, 0, 0)


def test_jkm_with_none_of_its_documents_is_not_verified_or_approved(sari, logins):
    """The issue's example: a JKM claim of Rp42 million went through with 0 of its 7
    documents."""
    with time_machine.travel(date(2026, 10, 10), tick=False):
        filed = bearer_client("cabang").post(
            "/api/v1/claims",
            {
                "kpj": sari.kpj,
                "kind": "jkm",
                "event_on": "2026-10-01",
                "claimant_name": "Ahmad (suami)",
                "claimant_relation": "spouse",
                **OFFICERS_ACCOUNT,
            },
            content_type="application/json",
        )
    number = filed.json()["number"]
    assert filed.json()["gross_idr"] == 42_000_000 and len(CHECKLISTS["jkm"]) == 7
    before = (tables(), audit_actions("claim.verify", "claim.approve", "claim.documents_override"))
    refused = step(bearer_client("cabang"), number, "verify")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "claim.documents_missing"
    assert "death_certificate" in refused.json()["error"]["message"]
    page = TwoFactorClient()  # staff pass the second factor as the code step would
    page.force_login(logins["cabang"])
    page.post(f"/klaim/{number}/tindakan/", {"action": "verify"})
    blank = step(bearer_client("cabang"), number, "verify", override_reason="   ")
    assert blank.status_code == 409
    after = (tables(), audit_actions("claim.verify", "claim.approve", "claim.documents_override"))
    assert after == before and Claim.objects.get(number=number).status == "submitted"
    # With a written reason the officer may go on; the override is recorded and audited.
    why = "Originals seen at the counter; copies to follow"
    assert step(bearer_client("cabang"), number, "verify", override_reason=why).status_code == 200
    override = AuditEvent.objects.get(action="claim.documents_override")
    assert override.reason == why and override.after["action"] == "verify"
    assert len(override.after["missing"]) == 7 and override.actor == logins["cabang"]
    assert ClaimEvent.objects.filter(claim__number=number, action="override_documents").count() == 1
    # The approver is blocked as well, until they record their own reason.
    refused = step(bearer_client("klaim"), number, "approve")
    assert refused.status_code == 409 and Claim.objects.get(number=number).status == "verified"
    assert step(bearer_client("klaim"), number, "approve", override_reason=why).status_code == 200
    assert AuditEvent.objects.filter(action="claim.documents_override").count() == 2


def test_an_officer_never_approves_a_low_wage_they_reported(sari, logins):
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    enrolled = bearer_client("pemberikerja").post(
        f"/api/v1/employers/{sawit.pk}/workers",
        {
            "nik": "6303010101900006",
            "full_name": "Udin",
            "birth_date": "1990-01-01",
            "sex": "M",
            "start_on": "2026-10-01",
            "wage_idr": 5_000_000,
        },
        content_type="application/json",
    )
    employment = enrolled.json()["employment_id"]
    officer = bearer_client("cabang")
    reported = officer.post(
        f"/api/v1/employments/{employment}/wages",
        {"effective_from": "2026-11-01", "wage_idr": 1_500_000},
        content_type="application/json",
    )
    assert reported.status_code == 201 and reported.json()["status"] == "pending_approval"
    record = reported.json()["wage_record_id"]
    before = (tables(), audit_actions("employment.wage_approved"))
    refused = officer.post(f"/api/v1/wage-records/{record}/approve")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "wage.self_approval"
    assert (tables(), audit_actions("employment.wage_approved")) == before
    assert WageRecord.objects.get(pk=record).status == "pending_approval"
    approved = bearer_client("cabang2").post(f"/api/v1/wage-records/{record}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert WageRecord.objects.get(pk=record).approved_by == logins["cabang2"]


def test_the_members_own_small_jht_claim_to_their_account_on_record_goes_straight_through(
    sari, logins
):
    """The happy path: Sari links her login, her JKP claim to her account is verified and
    approved by two officers (the account is then on record); her JHT claim to a new account
    waits for officers, and the one to the account on record is paid as soon as the last
    document is in."""
    bearer_client("cabang").post(
        f"/api/v1/participants/{sari.kpj}/phone",
        {"phone": "081250001985"},
        content_type="application/json",
    )
    member = bearer_client("sari")
    assert (
        member.post("/api/v1/people/link", SARI, content_type="application/json").status_code == 202
    )
    code = last_code("+6281250001985")
    linked = member.post(
        "/api/v1/people/link/confirm", {"code": code}, content_type="application/json"
    )
    assert linked.status_code == 200
    with time_machine.travel(date(2026, 10, 15), tick=False):
        jkp = member.post(
            "/api/v1/claims",
            {"kpj": sari.kpj, "kind": "jkp", **SARIS_ACCOUNT},
            content_type="application/json",
        ).json()
        assert jkp["status"] == "submitted", jkp
        upload_all(member, jkp["number"], "jkp")
        assert step(bearer_client("cabang"), jkp["number"], "verify").status_code == 200
        assert step(bearer_client("klaim"), jkp["number"], "approve").status_code == 200
    balance = jht_balance(sari)
    with time_machine.travel(date(2026, 11, 5), tick=False):
        new_account = member.post(
            "/api/v1/claims",
            {
                "kpj": sari.kpj,
                "kind": "jht_leaving_work",
                "bank_code": "BRI",
                "bank_account": "777",
            },
            content_type="application/json",
        ).json()
        upload_all(member, new_account["number"], "jht_leaving_work")
        assert Claim.objects.get(number=new_account["number"]).status == "submitted"
        assert money_moved() == (0, 0, 0)
        step(bearer_client("cabang"), new_account["number"], "reject", note="wrong account")
        own = member.post(
            "/api/v1/claims",
            {"kpj": sari.kpj, "kind": "jht_leaving_work", **SARIS_ACCOUNT},
            content_type="application/json",
        ).json()
        assert own["status"] == "submitted"  # documents first
        upload_all(member, own["number"], "jht_leaving_work")
    claim = Claim.objects.get(number=own["number"])
    assert claim.status == "paid" and claim.events.last().action == "straight_through"
    assert claim.payout.account_name == SARI["full_name"]
    assert claim.payout.bank_account == SARIS_ACCOUNT["bank_account"]
    assert (
        claim.payout.amount_idr == claim.net_idr and jht_balance(sari) == balance - claim.gross_idr
    )
    assert AuditEvent.objects.filter(action="claim.straight_through").count() == 1
