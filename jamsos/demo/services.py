"""Load the demo region: Kalimantan's regional office, its branches, a few employers and one
user of every role. Safe to run again: what exists is left as it is."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.accounts.services import user_create
from jamsos.core.audit import audit_record
from jamsos.registry.models import Employer, EmployerStatus, TimeZone
from jamsos.registry.services import (
    employer_register,
    office_upsert_branch,
    office_upsert_regional,
)

DEMO_PASSWORD = "jamsos-demo-2026"  # noqa: S105 - printed to the newcomer on purpose

#: Kalimantan Barat and Tengah keep WIB; Selatan, Timur and Utara keep WITA.
BRANCHES = [
    ("BJM", "Banjarmasin", TimeZone.WITA),
    ("PLK", "Palangka Raya", TimeZone.WIB),
    ("PBU", "Pangkalan Bun", TimeZone.WIB),
    ("PTK", "Pontianak", TimeZone.WIB),
    ("SMD", "Samarinda", TimeZone.WITA),
    ("BPN", "Balikpapan", TimeZone.WITA),
    ("TRK", "Tarakan", TimeZone.WITA),
]

EMPLOYERS = [
    ("PT Borneo Sawit Lestari", "BJM", True),
    ("CV Banua Konstruksi", "BJM", False),
    ("PT Khatulistiwa Logistik", "PTK", True),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    full_name: str
    branch: str | None = None
    region: str | None = None
    employer: str | None = None  # legal name of the employer administered


DEMO_USERS = [
    DemoUser("peserta", Role.PARTICIPANT, "Siti Rahmawati"),
    DemoUser("sponsor", Role.SPONSOR, "Hj. Aminah Noor"),
    DemoUser("pemberikerja", Role.EMPLOYER_ADMIN, "Budi Santoso", employer=EMPLOYERS[0][0]),
    DemoUser("kontraktor", Role.CONTRACTOR, "Rudi Hartono"),
    DemoUser("cabang", Role.BRANCH_OFFICER, "Dewi Lestari", branch="BJM"),
    DemoUser("klaim", Role.CLAIMS_OFFICER, "Agus Salim"),
    DemoUser("wilayah", Role.REGIONAL_HEAD, "Ir. Hendra Wijaya", region="KAL"),
    DemoUser("auditor", Role.AUDITOR, "Maria Ulfa"),
    DemoUser("admin", Role.SYSTEM_ADMIN, "Administrator Sistem"),
]


def demo_load() -> list[DemoUser]:
    """Create what is missing of the demo region; return the demo users."""
    with transaction.atomic():
        region = office_upsert_regional(
            code="KAL", name="Kalimantan", city="Banjarmasin", time_zone=TimeZone.WITA
        )
        for code, name, tz in BRANCHES:
            office_upsert_branch(code=code, name=name, regional_office=region, time_zone=tz)
        for legal_name, branch, verified in EMPLOYERS:
            if Employer.objects.filter(legal_name=legal_name).exists():
                continue
            employer = employer_register(
                acting_user=None, legal_name=legal_name, branch_office_code=branch
            )
            if verified:
                # A demo shortcut for a verification done before the demo begins; audited.
                employer.status = EmployerStatus.ACTIVE
                employer.save(update_fields=["status"])
                audit_record(
                    actor=None,
                    action="employer.verify",
                    obj=employer,
                    before={"status": "pending"},
                    after={"status": "active"},
                    reason="demo data",
                )
        for u in DEMO_USERS:
            if User.objects.filter(username=u.username).exists():
                continue
            npps = []
            if u.employer:
                npps = [Employer.objects.get(legal_name=u.employer).npp]
            user_create(
                acting_user=None,
                username=u.username,
                password=DEMO_PASSWORD,
                role=u.role,
                full_name=u.full_name,
                branch_office_code=u.branch,
                regional_office_code=u.region,
                employer_npps=npps,
                check_password=False,
            )
    return DEMO_USERS
