"""Load the demo region: Kalimantan's regional office, its branches, a few employers and one
user of every role. Safe to run again: what exists is left as it is."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum import luhn

from jamsos.accounts.models import User
from jamsos.accounts.policy import STAFF_ROLES
from jamsos.accounts.roles import Role
from jamsos.accounts.services import employer_user_bind, user_create
from jamsos.contributions.models import PaymentChannel
from jamsos.contributions.payments import channel_create
from jamsos.core.audit import audit_record
from jamsos.core.models import AuditEvent
from jamsos.registry.enrolment import bpu_register
from jamsos.registry.models import Employer, EmployerStatus, Person, Regency, TimeZone
from jamsos.registry.services import (
    employer_register,
    office_upsert_branch,
    office_upsert_regional,
)

#: The demo participant's NIK: Banjarmasin (63.71.05), a woman born 4 March 1992.
DEMO_MEMBER_NIK = "6371054403920002"
DEMO_PASSWORD = "jamsos-demo-2026"  # noqa: S105 - printed to the newcomer on purpose

#: Kalimantan Barat and Tengah keep WIB; Selatan, Timur and Utara keep WITA. Each branch
#: serves the regencies listed (Kemendagri codes); together they cover all of Kalimantan.
BRANCHES = [
    ("BJM", "Banjarmasin", TimeZone.WITA, ("63.",)),
    (
        "PLK",
        "Palangka Raya",
        TimeZone.WIB,
        (
            "62.02",
            "62.03",
            "62.04",
            "62.05",
            "62.06",
            "62.07",
            "62.10",
            "62.11",
            "62.12",
            "62.13",
            "62.71",
        ),
    ),
    ("PBU", "Pangkalan Bun", TimeZone.WIB, ("62.01", "62.08", "62.09")),
    ("PTK", "Pontianak", TimeZone.WIB, ("61.",)),
    (
        "SMD",
        "Samarinda",
        TimeZone.WITA,
        ("64.02", "64.03", "64.07", "64.08", "64.11", "64.72", "64.74"),
    ),
    ("BPN", "Balikpapan", TimeZone.WITA, ("64.01", "64.09", "64.71")),
    ("TRK", "Tarakan", TimeZone.WITA, ("65.",)),
]

#: legal name, regency (Kemendagri code), verified, sector (KBLI), size, JKK risk class
EMPLOYERS = [
    ("PT Borneo Sawit Lestari", "63.03", True, "A", "large", 4),
    ("CV Banua Konstruksi", "63.71", False, "F", "small", 5),
    ("PT Khatulistiwa Logistik", "61.71", True, "H", "medium", 3),
    ("CV Mahakam Bangun Persada", "63.71", True, "F", "small", 5),
]


#: code, name, kind, virtual account prefix: how the demo's bills can be paid
CHANNELS = [
    ("KALSEL-VA", "Bank Kalsel", "virtual_account", "8899"),
    ("KALSEL-TELLER", "Bank Kalsel", "teller", ""),
    ("POS", "Pos Indonesia", "post_office", ""),
    ("QRIS", "QRIS", "ewallet", ""),
]


def demo_npwp(serial: int) -> str:
    """A valid 15-digit NPWP for demo data: a Luhn check digit over the first 8 digits."""
    base = f"{serial:08d}"
    return base + luhn.calc_check_digit(base) + "091000"


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
    DemoUser("kontraktor", Role.CONTRACTOR, "Rudi Hartono", employer=EMPLOYERS[3][0]),
    DemoUser("cabang", Role.BRANCH_OFFICER, "Dewi Lestari", branch="BJM"),
    DemoUser("klaim", Role.CLAIMS_OFFICER, "Agus Salim"),
    DemoUser("wilayah", Role.REGIONAL_HEAD, "Ir. Hendra Wijaya", region="KAL"),
    DemoUser("auditor", Role.AUDITOR, "Maria Ulfa"),
    DemoUser("admin", Role.SYSTEM_ADMIN, "Administrator Sistem"),
]


def demo_foreign_data() -> str | None:
    """What in this database the demo did not put there, or None when it holds demo data only.

    Users other than the demo logins are someone's real accounts; employers, people or an audit
    trail without any demo login were loaded by something else. ``jamsos demo`` refuses to write
    into such a database unless forced.
    """
    names = [u.username for u in DEMO_USERS]
    others = User.objects.exclude(username__in=names).order_by("username")
    count = others.count()
    if count:
        first = others.values_list("username", flat=True)[:3]
        return f"{count} users that are not demo logins ({', '.join(first)})"
    if not User.objects.filter(username__in=names).exists():
        for model, label in ((Employer, "employers"), (Person, "people"), (AuditEvent, "audit")):
            if model.objects.exists():
                return f"{label} without any demo login"
    return None


def demo_random_password(username: str) -> str:
    """A fresh random password for a demo login on a server that is not in DEBUG."""
    return secrets.token_urlsafe(12)


def demo_load(*, password_for: Callable[[str], str] | None = None) -> list[DemoUser]:
    """Create what is missing of the demo region; return the demo users."""
    return [u for u, _ in demo_load_with_passwords(password_for=password_for)]


def demo_load_with_passwords(
    *, password_for: Callable[[str], str] | None = None
) -> list[tuple[DemoUser, str | None]]:
    """Create what is missing of the demo region. Returns each demo user with the password it
    was given now (``password_for(username)``, the published demo password by default), or None
    for a login that already existed and keeps its password."""
    given: dict[str, str] = {}
    with transaction.atomic():
        region = office_upsert_regional(
            code="KAL", name="Kalimantan", city="Banjarmasin", time_zone=TimeZone.WITA
        )
        for code, name, tz, served in BRANCHES:
            branch = office_upsert_branch(
                code=code, name=name, regional_office=region, time_zone=tz
            )
            if not branch.regencies.exists():
                branch.regencies.set(
                    r
                    for r in Regency.objects.filter(
                        province__code__in=("61", "62", "63", "64", "65")
                    )
                    if any(
                        r.code == s or (s.endswith(".") and r.code.startswith(s)) for s in served
                    )
                )
        for index, (legal_name, regency, verified, sector, size, risk) in enumerate(EMPLOYERS):
            if Employer.objects.filter(legal_name=legal_name).exists():
                continue
            employer = employer_register(
                acting_user=None,
                legal_name=legal_name,
                npwp=demo_npwp(1_000_001 + index),
                sector=sector,
                size=size,
                regency_code=regency,
                risk_class=risk,
                address="Jl. Demo No. 1",
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
                if u.employer:  # a demo database loaded before the login was bound
                    employer_user_bind(
                        acting_user=None,
                        employer_id=Employer.objects.get(legal_name=u.employer).pk,
                        username=u.username,
                    )
                continue
            npps = []
            if u.employer:
                npps = [Employer.objects.get(legal_name=u.employer).npp]
            given[u.username] = password_for(u.username) if password_for else DEMO_PASSWORD
            user_create(
                acting_user=None,
                username=u.username,
                password=given[u.username],
                role=u.role,
                full_name=u.full_name,
                branch_office_code=u.branch,
                regional_office_code=u.region,
                employer_npps=npps,
                check_password=False,
            )
        for code, name, kind, prefix in CHANNELS:
            if not PaymentChannel.objects.filter(code=code).exists():
                channel_create(
                    acting_user=None, code=code, name=name, kind=kind, number_prefix=prefix
                )
        for u in DEMO_USERS:
            if u.role in STAFF_ROLES:
                demo_second_factor(User.objects.get(username=u.username))
    return [(u, given.get(u.username)) for u in DEMO_USERS]


def demo_totp_key(username: str) -> str:
    """The demo staff user's authenticator secret (hex, as django-otp stores it): fixed per
    username, like the demo password, so the demo and its browser tests can sign in."""
    return hashlib.sha256(f"jamsos-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_totp_secret(username: str) -> str:
    """The demo user's authenticator secret as base32 text, to type into an app."""
    device = TOTPDevice.objects.filter(user__username=username).order_by("-id").first()
    return base64.b32encode(device.bin_key).decode() if device else ""


def demo_second_factor(user: User) -> None:
    """Enrol a demo staff user's authenticator (once): the fixed demo secret in DEBUG, like the
    published password; otherwise a random one (printed once by ``jamsos demo``)."""
    if TOTPDevice.objects.filter(user=user).exists():
        return
    key = demo_totp_key(user.username) if settings.DEBUG else secrets.token_hex(20)
    TOTPDevice.objects.create(user=user, name="Jamsos demo", key=key, confirmed=True)
    audit_record(
        actor=None,
        action="auth.second_factor_enrol",
        obj=user,
        after={"device": "totp", "recovery_codes": 0},
        reason="demo data",
    )


def demo_member_load() -> Person:
    """The demo participant's own informal membership (JKK, JKM and JHT), so that the
    participant login has a card, payments and a JHT account to look at."""
    peserta = User.objects.get(username="peserta")
    person = Person.objects.filter(user=peserta).first()
    if person is None:
        bpu_register(
            acting_user=peserta,
            nik=DEMO_MEMBER_NIK,
            full_name="Siti Rahmawati",
            birth_date=date(1992, 3, 4),
            sex="F",
            phone="081250001992",
            occupation="trader",
            income_idr=2_500_000,
            programmes=("JKK", "JKM", "JHT"),
        )
        person = Person.objects.get(user=peserta)
    return person
