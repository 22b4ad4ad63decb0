"""Shared set-up of the attacks: a worker who has just left a job (their JHT is what an
attacker is after), extra logins (an attacker's participant login, a second employer's
administrator, a second officer of the branch), and the snapshot of everything an attack
must leave unchanged."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
import time_machine

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
            billing.billing_run(period=period)
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
