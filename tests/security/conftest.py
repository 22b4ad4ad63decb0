"""Shared set-up of the attacks: a worker who has just left a job (their JHT is what an
attacker is after), extra logins (an attacker's participant login, a second employer's
administrator, a second officer of the branch), and the snapshot of everything an attack
must leave unchanged.

The access attacks (issue 13 classes 3 and 4) share ``world``: the demo users, an officer of
another branch (Pontianak), a second employer administrator (of the Pontianak employer),
workers on both employers, the demo member's own card and a claim on it waiting for
documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from jamsos.accounts.models import User
from jamsos.accounts.services import user_create
from jamsos.benefits.models import Claim, ClaimEvent, Payout
from jamsos.contributions import billing
from jamsos.contributions.models import Bill, JhtEntry
from jamsos.core.models import AuditEvent
from jamsos.demo.services import DEMO_PASSWORD
from jamsos.ledger.models import Posting
from jamsos.notifications.models import Notification
from jamsos.registry.employment import pu_employment_end, pu_worker_enrol
from jamsos.registry.models import (
    BpuMembership,
    Employer,
    Employment,
    Participant,
    Person,
    PhoneVerification,
    PmiPlacement,
    ProjectWorker,
    WageRecord,
)
from tests.test_claims import months
from tests.test_payments import SECRET_HOLDER, body, channel, send  # noqa: F401

#: Sari's real details, as on her KTP.
SARI = {"nik": "6371055508850002", "full_name": "Sari Wulandari", "birth_date": "1985-08-15"}
ATTACKER_PHONE = "081299990000"


def tables() -> dict[str, int]:
    """Row counts of everything an attack could change."""
    models = (
        Person,
        Participant,
        Employment,
        WageRecord,
        BpuMembership,
        PmiPlacement,
        ProjectWorker,
        PhoneVerification,
        Notification,
        Claim,
        ClaimEvent,
        Payout,
        Posting,
        JhtEntry,
    )
    return {m.__name__: m.objects.count() for m in models}


def audit_actions(*actions: str) -> int:
    return AuditEvent.objects.filter(action__in=actions).count()


def last_code(phone: str) -> str:
    """The one-time code in the last SMS to a phone (+62 form)."""
    sms = Notification.objects.filter(recipient=phone).order_by("-pk").first()
    assert sms is not None, f"no SMS to {phone}"
    match = re.search(r"\b(\d{6})\b", sms.body)
    assert match is not None
    return match.group(1)


@pytest.fixture
def logins(demo) -> dict[str, User]:
    """The demo users and: ``mallory`` (a participant login with no record), ``sari`` (Sari's
    own login, not linked yet), ``logistik`` (the administrator of another employer) and
    ``cabang2`` (a second officer of the Banjarmasin branch)."""
    admin = demo["admin"]
    extra = {
        "mallory": {"role": "participant"},
        "sari": {"role": "participant"},
        "logistik": {"role": "employer_admin", "employer_npps": []},
        "cabang2": {"role": "branch_officer", "branch_office_code": "BJM"},
    }
    logistik = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    extra["logistik"]["employer_npps"] = [logistik.npp]
    users = dict(demo)
    for username, fields in extra.items():
        users[username] = user_create(
            acting_user=admin,
            username=username,
            password=DEMO_PASSWORD,
            check_password=False,
            **fields,
        )
    return users


@pytest.fixture
def sari(logins, channel):  # noqa: F811
    """Sari, a wage earner at the Sawit employer from October 2025, billed and paid on time,
    terminated on 30 September 2026: a small JHT balance and a JKP entitlement."""
    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    admin = logins["pemberikerja"]
    enrolment = pu_worker_enrol(
        acting_user=admin,
        employer_id=sawit.pk,
        nik=SARI["nik"],
        full_name=SARI["full_name"],
        birth_date=date.fromisoformat(SARI["birth_date"]),
        sex="F",
        start_on=date(2025, 10, 1),
        wage_idr=4_000_000,
    )
    for period in months(date(2025, 10, 1), date(2026, 9, 1)):
        year, month = int(period[:4]), int(period[5:])
        run_on = datetime(year + (month == 12), month % 12 + 1, 1, 9)
        with time_machine.travel(run_on, tick=False):
            billing.billing_run(acting_user=None, period=period)
        bill = Bill.objects.get(period=period)
        paid_at = f"{run_on.date().isoformat()}T10:00:00+08:00"
        raw = body(bill.payment_code, bill.total_idr, f"P-{period}", paid_at=paid_at)
        assert send(raw).status_code == 200
    pu_employment_end(
        acting_user=admin,
        employment_id=enrolment.employment.pk,
        end_on=date(2026, 9, 30),
        exit_reason="termination",
    )
    return enrolment.employment.participant


#: Rows an attack must not change (with the audit trail, checked separately).
WATCHED = [
    "accounts.User",
    "accounts.ApiToken",
    "registry.Employer",
    "registry.Person",
    "registry.Participant",
    "registry.Employment",
    "registry.WageRecord",
    "registry.Project",
    "registry.ProjectWorker",
    "registry.PmiPlacement",
    "registry.BpuMembership",
    "registry.PersonMerge",
    "registry.Sponsor",
    "registry.EmployerUpload",
    "contributions.BillingRun",
    "contributions.Bill",
    "contributions.Payment",
    "contributions.PaymentChannel",
    "contributions.JhtEntry",
    "contributions.JhtReturnRun",
    "benefits.Claim",
    "benefits.ClaimEvent",
    "benefits.ClaimDocument",
    "benefits.Payout",
    "benefits.AccidentReport",
    "ledger.Posting",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in WATCHED}


def audit_count() -> int:
    """Audit events other than signing in (issuing the attacker's own token)."""
    return AuditEvent.objects.exclude(action="token.issue").count()


@dataclass
class Snapshot:
    rows: dict[str, int]
    audit: int

    def unchanged(self) -> None:
        assert counts() == self.rows
        assert audit_count() == self.audit


def snapshot() -> Snapshot:
    return Snapshot(counts(), audit_count())


@pytest.fixture
def world(demo: dict[str, User], password: str) -> dict[str, Any]:
    from jamsos.accounts.services import user_create
    from jamsos.benefits.models import Claim
    from jamsos.demo.services import demo_member_load
    from jamsos.registry.employment import pu_worker_enrol
    from jamsos.registry.models import Employer

    sawit = Employer.objects.get(legal_name="PT Borneo Sawit Lestari")
    khatulistiwa = Employer.objects.get(legal_name="PT Khatulistiwa Logistik")
    banua = Employer.objects.get(legal_name="CV Banua Konstruksi")
    users = dict(demo)
    users["cabang_ptk"] = user_create(
        acting_user=None,
        username="cabang_ptk",
        password=password,
        role="branch_officer",
        branch_office_code="PTK",
        check_password=False,
    )
    users["pemberikerja2"] = user_create(
        acting_user=None,
        username="pemberikerja2",
        password=password,
        role="employer_admin",
        employer_npps=[khatulistiwa.npp],
        check_password=False,
    )
    workers = {}
    for admin, employer, nik, name in (
        (users["pemberikerja"], sawit, "6371051508850001", "Joko Susilo"),
        (users["pemberikerja"], sawit, "6371055508850001", "Rina Wati"),
        (users["pemberikerja2"], khatulistiwa, "6171051508850001", "Yohanes Ading"),
    ):
        workers[name] = pu_worker_enrol(
            acting_user=admin,
            employer_id=employer.pk,
            nik=nik,
            full_name=name,
            birth_date=date(1985, 8, 15),
            sex="M",
            start_on=date(2025, 10, 1),
            wage_idr=4_000_000,
        ).employment
    member = demo_member_load()
    card = member.participations.get()
    claim = Claim.objects.create(
        number="KL0000000001",
        kind="jht_leaving_work",
        programme="JHT",
        participant=card,
        branch_office=card.branch_office,
        event_on=timezone.localdate(),
        claimant_name=member.full_name,
        claimant_relation="self",
        bank_code="BNI",
        bank_account="0123456789",
        filed_by=users["peserta"],
        filed_at=timezone.now(),
    )
    return {
        "users": users,
        "sawit": sawit,
        "khatulistiwa": khatulistiwa,
        "banua": banua,
        "workers": workers,
        "member": member,
        "card": card,
        "claim": claim,
    }
