"""Enrolment services: people, KPJ numbers and informal (BPU) members.

Each service validates everything before writing, runs in one transaction and writes its audit
event; bad input raises ``RuleViolation`` naming the field, in English and Bahasa Indonesia.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ParamSpec, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from jamsos.accounts.access import can, require
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.core.audit import audit_record
from jamsos.core.bounds import check_amount, check_date
from jamsos.core.errors import (
    Conflict,
    PermissionDenied,
    RuleViolation,
    check_choice,
    field_error,
    required_text,
)
from jamsos.core.models import AuditEvent
from jamsos.notifications.limits import phone_code_limit
from jamsos.notifications.services import notification_queue
from jamsos.registry.models import (
    BpuMembership,
    BranchOffice,
    KpjCounter,
    Occupation,
    Participant,
    PayerGroup,
    PayerType,
    Person,
    PhoneVerification,
    Segment,
    Sex,
    Sponsor,
)
from jamsos.registry.nik import NikWarning, format_kpj, parse_nik
from jamsos.rules.calc.contributions import bpu_nominal

OTP_LIFETIME = timedelta(minutes=10)
OTP_MAX_ATTEMPTS = 5
PHONE = re.compile(r"^\+628[1-9][0-9]{6,10}$")


def normalise_phone(raw: str) -> str:
    """An Indonesian mobile number in +62 form: ``0812-3456-789`` -> ``+628123456789``."""
    digits = re.sub(r"[\s\-().]", "", raw or "")
    if digits.startswith("08"):
        digits = "+62" + digits[1:]
    elif digits.startswith("628"):
        digits = "+" + digits
    if not PHONE.match(digits):
        raise field_error(
            "phone",
            "must be an Indonesian mobile number such as 0812 3456 7890",
            "harus nomor ponsel Indonesia seperti 0812 3456 7890",
        )
    return digits


#: Titles and honorifics written before a name (Prof. Dr. Ir. H. ...), without their dots.
PREFIX_TITLES = frozenset(
    {"prof", "dr", "drs", "dra", "drg", "ir", "h", "hj", "kh", "ny", "tn", "nn", "sdr", "sdri"}
)
#: Academic titles written after a name (S.E., S.Kom., M.M., Ph.D., A.Md. ...), without their
#: dots; usually after a comma, sometimes not.
SUFFIX_TITLES = frozenset(
    {
        "se", "sh", "st", "si", "ssi", "sip", "skom", "spd", "ssos", "sag", "spsi", "sked",
        "sfarm", "skep", "skm", "sgz", "sth", "shut", "sikom", "ak", "mm", "msi", "mkom", "mt",
        "mpd", "mh", "mhum", "msc", "ma", "mba", "mkes", "mag", "mph", "phd", "amd", "lc",
        "spa", "spog", "sppd", "sppk", "bsc",
    }
)  # fmt: skip
#: Titles the name key always dropped wherever they stood (kept so stored keys stay valid).
_ANYWHERE = ("hj", "h", "ir", "dr")


def _bare(token: str) -> str:
    return re.sub(r"[^a-z]+", "", token)


def _suffix_title(token: str) -> bool:
    """A title after the name: written with its dots ("S.E.", "M.Si"), or a longer one that
    is no one's name ("SKom", "MBA"); "Ma" or "Si" without a dot may be a name."""
    bare = _bare(token)
    return bare in SUFFIX_TITLES and ("." in token or len(bare) > 2)


def name_key(full_name: str) -> str:
    """A name normalised for comparing identities and finding duplicates: no accents, case,
    punctuation, honorifics or academic titles. This is the one place names are compared.

    >>> name_key("Dr. H. Budi Santoso, S.E., M.M.")
    'budi santoso'
    >>> name_key("Prof. Ir. SITI  Rahayu S.Kom") == name_key("siti rahayu")
    True
    >>> name_key("Budi S.")  # an initial is kept: it is not a title
    'budi s'
    >>> name_key("Lim Si")  # nor a name that could be a title without its dot
    'lim si'
    """
    text = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode().lower()
    tokens = text.split(",", 1)[0].split()  # after a comma come the titles ("Nama, S.E.")
    while len(tokens) > 1 and _bare(tokens[0]) in PREFIX_TITLES:
        tokens.pop(0)
    while len(tokens) > 1:
        if _suffix_title(tokens[-1]):
            tokens.pop()
        elif len(tokens) > 2 and _bare(tokens[-2] + tokens[-1]) in SUFFIX_TITLES:
            del tokens[-2:]  # "S. E."
        else:
            break
    words = [w for w in re.split(r"[^a-z]+", " ".join(tokens)) if w and w not in _ANYWHERE]
    return " ".join(words)


def mask_nik(nik: str) -> str:
    return nik[:6] + "******" + nik[12:]


def kpj_allocate(on: date) -> str:
    """The next KPJ for a first enrolment in ``on``'s year; must run inside a transaction."""
    counter, _created = KpjCounter.objects.select_for_update().get_or_create(year=on.year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return format_kpj(on.year, counter.last_serial)


def branch_for_regency(regency_code: str) -> BranchOffice | None:
    return BranchOffice.objects.filter(regencies__code=regency_code).first()


def identity_matches(person: Person, full_name: str, birth_date: date) -> bool:
    """The name (normalised: case, spaces, punctuation, accents, titles) and the birth date
    given are those on the person's record. Knowing a NIK alone proves nothing."""
    given = name_key(full_name)
    return bool(given) and given == name_key(person.full_name) and birth_date == person.birth_date


def identity_mismatch() -> RuleViolation:
    """The refusal when details do not match the record of a NIK. It does not say which part
    differs, so it cannot be used to guess a name or a birth date piece by piece."""
    return RuleViolation(
        "nik: the name and birth date do not match the person registered with this NIK; "
        "check them against the KTP, or ask the branch office to correct the record",
        code="person.identity_mismatch",
        field="nik",
        message_id="nik: nama dan tanggal lahir tidak cocok dengan orang yang terdaftar dengan "
        "NIK ini; periksa dengan KTP, atau minta kantor cabang memperbaiki datanya",
    )


#: Identity refusals (``person.identity_mismatch``) a login may collect in ``IDENTITY_WINDOW``
#: before enrolling people by NIK is locked for it: a sponsor or an employer cannot find a
#: person's name and birth date by guessing.
IDENTITY_MAX_REFUSALS = 5
IDENTITY_WINDOW = timedelta(hours=24)

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _identity_refusals(user: User) -> int:
    return AuditEvent.objects.filter(
        actor=user,
        action="person.identity_refused",
        occurred_at__gte=timezone.now() - IDENTITY_WINDOW,
    ).count()


def identity_guesses_left(user: User) -> int:
    """How many more identity refusals the login may collect before enrolling by NIK is
    locked for it (0: locked)."""
    return max(IDENTITY_MAX_REFUSALS - _identity_refusals(user), 0)


def identity_locked() -> PermissionDenied:
    """The refusal once a login has collected ``IDENTITY_MAX_REFUSALS`` identity refusals."""
    return PermissionDenied(
        "Too many enrolments refused for a name or birth date that did not match; "
        "ask the branch office to check the record.",
        code="person.identity_locked",
        message_id="Terlalu banyak pendaftaran ditolak karena nama atau tanggal lahir "
        "tidak cocok; minta kantor cabang memeriksa datanya.",
    )


def identity_refusals_record(user: User, niks: Sequence[str]) -> None:
    """Audit one ``person.identity_refused`` for each NIK refused (counted towards the lock),
    in its own transaction so it stays whatever the caller rolls back."""
    with transaction.atomic():
        for raw in niks:
            nik = re.sub(r"\D", "", str(raw or ""))
            audit_record(
                actor=user,
                action="person.identity_refused",
                obj=user,
                after={
                    "nik": mask_nik(nik) if len(nik) == 16 else "",
                    "code": "person.identity_mismatch",
                },
            )


def limit_identity_guesses(service: Callable[_P, _R]) -> Callable[_P, _R]:
    """Wrap an enrolment service: each identity refusal of a signed-in caller is audited (in its
    own transaction, so it stays), and after ``IDENTITY_MAX_REFUSALS`` in a day the caller is
    refused before anything is looked up. (An employer's upload counts its rows the same way:
    :func:`jamsos.registry.upload.upload_check`.)"""

    @functools.wraps(service)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        user = kwargs.get("acting_user")
        if isinstance(user, User) and identity_guesses_left(user) == 0:
            raise identity_locked()
        try:
            return service(*args, **kwargs)
        except RuleViolation as exc:
            if isinstance(user, User) and exc.code == "person.identity_mismatch":
                identity_refusals_record(user, [str(kwargs.get("nik") or "")])
            raise

    return guarded


def person_exists() -> Conflict:
    """The refusal when someone without a linked record registers a NIK that is on file."""
    return Conflict(
        "nik: this NIK is already registered; sign in and link your account to your record "
        "(with a code sent to the phone on the record), or visit a branch office",
        code="person.exists",
        field="nik",
        message_id="nik: NIK ini sudah terdaftar; masuk dan hubungkan akun Anda dengan data "
        "Anda (dengan kode yang dikirim ke nomor ponsel yang tercatat), atau datang ke kantor "
        "cabang",
    )


def person_get_or_create(
    nik: str, full_name: str, birth_date: date, sex: str, user: User | None, today: date
) -> tuple[Person, tuple[NikWarning, ...]]:
    """The person with this NIK, created if new (validated; the creation is audited).

    An existing person is used only when the name and birth date match the record, and never
    for an anonymous caller (who must sign in and link first). Must run inside the caller's
    transaction.
    """
    full_name = required_text("full_name", full_name)
    if sex not in Sex.values:
        raise field_error("sex", "must be F or M", "harus F atau M")
    check_date("birth_date", birth_date, "birth_date", today=today)
    info = parse_nik(nik, today=today, declared_birth_date=birth_date, declared_sex=sex)
    person = Person.objects.select_for_update().filter(nik=info.nik).first()
    if person is not None:
        if user is None:
            raise person_exists()
        if can(user, Action.CARD_LINK) and person.user_id != user.pk:
            raise person_exists()  # a participant's login reaches only its own record
        if not identity_matches(person, full_name, birth_date):
            raise identity_mismatch()
    if person is None:
        person = Person.objects.create(
            nik=info.nik,
            full_name=full_name,
            name_key=name_key(full_name),
            birth_date=birth_date,
            sex=sex,
            created_at=timezone.now(),
        )
        audit_record(
            actor=user,
            action="person.create",
            obj=person,
            after={"nik": mask_nik(info.nik), "full_name": full_name},
        )
    return person, info.warnings


def participant_get_or_create(
    person: Person, segment: str, branch_id: int | None, user: User | None, today: date
) -> Participant:
    """The person's card (KPJ) for a segment, created if missing (audited)."""
    participant = Participant.objects.filter(person=person, segment=segment).first()
    if participant is None:
        participant = Participant.objects.create(
            kpj=kpj_allocate(today),
            person=person,
            segment=segment,
            branch_office_id=branch_id,
            registered_at=timezone.now(),
        )
        audit_record(
            actor=user,
            action="participant.create",
            obj=participant,
            after={"kpj": participant.kpj, "segment": segment},
        )
    return participant


@dataclass(frozen=True)
class Registration:
    participant: Participant
    warnings: tuple[NikWarning, ...]
    nominal_idr: int
    #: "sent" (a code to the phone on the record), "verified" (already confirmed) or "none"
    #: (no phone on the record: the branch confirms one).
    phone_verification: str = "sent"


def sponsor_for(user: User) -> Sponsor:
    """The sponsor record of a sponsor user, created on first use."""
    require(
        user,
        Action.SPONSOR_ENROL,
        code="sponsor.forbidden",
        message="Only a sponsor has sponsored workers.",
        message_id="Hanya sponsor yang memiliki pekerja yang disponsori.",
    )
    sponsor = Sponsor.objects.filter(user=user).first()
    if sponsor is None:
        with transaction.atomic():
            sponsor = Sponsor.objects.create(
                user=user,
                name=user.get_full_name() or user.username,
                kind="person",
                created_at=timezone.now(),
            )
            audit_record(
                actor=user, action="sponsor.create", obj=sponsor, after={"name": sponsor.name}
            )
    return sponsor


def sponsored_workers(*, user: User) -> list[dict[str, Any]]:
    """The workers a sponsor pays for, newest first, with NIKs masked.

    Cover runs to the paid-through month, which the contributions records set; until a first
    payment the status is "awaiting_first_payment".
    """
    sponsor = sponsor_for(user)
    memberships = (
        BpuMembership.objects.filter(sponsor=sponsor)
        .select_related("participant__person")
        .order_by("-participant__registered_at")
    )
    return [
        {
            "kpj": m.participant.kpj,
            "full_name": m.participant.person.full_name,
            "nik": mask_nik(m.participant.person.nik),
            "occupation": m.occupation,
            "with_jht": m.with_jht,
            "status": "awaiting_first_payment",
            "cover_end_on": None,
            "phone_verified": m.participant.person.phone_verified_at is not None,
        }
        for m in memberships
    ]


def _otp_digest(person_id: int, code: str) -> str:
    return hashlib.sha256(f"{person_id}:{code}".encode()).hexdigest()


def phone_code_send(
    *,
    person: Person,
    phone: str,
    purpose: str = PhoneVerification.Purpose.PHONE,
    user: User | None = None,
    address: str = "",
) -> None:
    """Queue a 6-digit one-time code to the phone (inside the caller's transaction). Every
    code Jamsos sends goes through here; refused with ``otp.too_many`` past the limits per
    phone, NIK and client address (``notifications.limits``)."""
    phone_code_limit(phone=phone, nik=person.nik, address=address)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    PhoneVerification.objects.create(
        person=person,
        purpose=purpose,
        user=user,
        phone=phone,
        code_digest=_otp_digest(person.pk, code),
        created_at=now,
        expires_at=now + OTP_LIFETIME,
    )
    notification_queue(
        channel="sms",
        recipient=phone,
        kind="otp",
        body=f"Kode verifikasi BPJS Ketenagakerjaan (Jamsos): {code}. "
        "Berlaku 10 menit. Jangan berikan kode ini kepada siapa pun.",
    )


@limit_identity_guesses
def bpu_register(
    *,
    acting_user: User | None,
    nik: str,
    full_name: str,
    birth_date: date,
    sex: str,
    phone: str,
    occupation: str,
    income_idr: int,
    programmes: Sequence[str] = ("JKK", "JKM"),
    payer_type: str = "self",
    payer_group: str = "",
    today: date | None = None,
    address: str = "",
    sponsored: bool = False,
) -> Registration:
    """Register an informal worker: one person per NIK, a new KPJ, a code sent to the phone.

    A sponsor (*Sertakan*) registering a worker makes the membership theirs to pay; with
    ``sponsored`` only a sponsor may register.
    """
    today = today or timezone.localdate()
    if sponsored:
        require(acting_user, Action.SPONSOR_ENROL, code="sponsor.forbidden")
    elif acting_user is not None:  # signed in: the role decides, before any field is read
        require(
            acting_user,
            Action.BPU_REGISTER,
            code="bpu.register_forbidden",
            message="Your role may not register informal workers.",
            message_id="Peran Anda tidak boleh mendaftarkan pekerja bukan penerima upah.",
        )
    sponsor = None
    if acting_user is not None and can(acting_user, Action.SPONSOR_ENROL):
        sponsor = sponsor_for(acting_user)
        payer_type, payer_group = PayerType.SPONSOR, ""
    full_name = required_text("full_name", full_name)
    if len(full_name) > 100:
        raise field_error("full_name", "must be at most 100 characters", "maksimal 100 karakter")
    if sex not in Sex.values:
        raise field_error("sex", "must be F or M", "harus F atau M")
    if birth_date > today:
        raise field_error("birth_date", "must not be in the future", "tidak boleh di masa depan")
    info = parse_nik(nik, today=today, declared_birth_date=birth_date, declared_sex=sex)
    phone = normalise_phone(phone)
    check_choice("occupation", occupation, Occupation.values)
    if isinstance(income_idr, bool) or not isinstance(income_idr, int) or income_idr < 0:
        raise field_error(
            "income_idr",
            "must be a whole number of rupiah, 0 or more",
            "harus bilangan bulat rupiah, 0 atau lebih",
        )
    check_amount("income_idr", income_idr, "income", allow_zero=True)
    check_date("birth_date", birth_date, "birth_date", today=today)
    chosen = list(programmes)
    unknown = [p for p in chosen if p not in ("JKK", "JKM", "JHT")]
    if unknown:
        raise field_error(
            "programmes",
            f"{', '.join(unknown)} is not available to informal workers",
            f"{', '.join(unknown)} tidak tersedia bagi pekerja bukan penerima upah",
            code="programme.not_available",
        )
    if "JKK" not in chosen or "JKM" not in chosen:
        raise field_error(
            "programmes",
            "JKK and JKM are mandatory",
            "JKK dan JKM wajib",
            code="programme.mandatory",
        )
    check_choice("payer_type", payer_type, PayerType.values)
    if payer_type == PayerType.GOVERNMENT and payer_group not in PayerGroup.values:
        raise field_error(
            "payer_group",
            f"a government payer needs one of {', '.join(PayerGroup.values)}",
            f"pembayar pemerintah memerlukan salah satu dari {', '.join(PayerGroup.values)}",
        )
    if payer_type != PayerType.GOVERNMENT and payer_group:
        raise field_error(
            "payer_group",
            "only a government payer has a payer group",
            "hanya pembayar pemerintah yang memiliki kelompok pembayar",
        )
    nominal, _bracket = bpu_nominal(income_idr, today)
    warnings = list(info.warnings)
    now = timezone.now()
    try:
        with transaction.atomic():
            person = Person.objects.select_for_update().filter(nik=info.nik).first()
            if person is not None:
                _check_existing_for_bpu(acting_user, person, full_name, birth_date)
            if (
                person is not None
                and Participant.objects.filter(person=person, segment=Segment.BPU).exists()
            ):
                raise Conflict(
                    "nik: this NIK is already registered as an informal worker",
                    code="bpu.already_registered",
                    field="nik",
                    message_id="nik: NIK ini sudah terdaftar sebagai peserta BPU",
                )
            key = name_key(full_name)
            if (
                Person.objects.filter(name_key=key, birth_date=birth_date)
                .exclude(nik=info.nik)
                .exists()
            ):
                warnings.append(
                    NikWarning(
                        "person.possible_duplicate",
                        "Someone with the same name and birth date is registered under "
                        "another NIK; an officer will review it.",
                        "Ada orang dengan nama dan tanggal lahir yang sama dengan NIK lain; "
                        "petugas akan memeriksanya.",
                    )
                )
            created = person is None
            if person is None:
                person = Person.objects.create(
                    nik=info.nik,
                    full_name=full_name,
                    name_key=key,
                    birth_date=birth_date,
                    sex=sex,
                    phone=phone,
                    created_at=now,
                )
                audit_record(
                    actor=acting_user,
                    action="person.create",
                    obj=person,
                    after={
                        "nik": mask_nik(info.nik),
                        "full_name": full_name,
                        "birth_date": birth_date.isoformat(),
                        "sex": sex,
                    },
                )
            participant = Participant.objects.create(
                kpj=kpj_allocate(today),
                person=person,
                segment=Segment.BPU,
                branch_office=branch_for_regency(info.regency_code),
                registered_at=now,
            )
            membership = BpuMembership.objects.create(
                participant=participant,
                occupation=occupation,
                declared_income_idr=income_idr,
                with_jht="JHT" in chosen,
                payer_type=payer_type,
                payer_group=payer_group,
                sponsor=sponsor,
            )
            # The code goes to the phone on the record, never to a number typed for a person
            # already on file (the typed one is kept only for a new person).
            if person.phone_verified_at is not None:
                phone_state = "verified"
            elif person.phone:
                phone_code_send(person=person, phone=person.phone, address=address)
                phone_state = "sent"
            else:
                phone_state = "none"
            if (
                created
                and acting_user is not None
                and can(acting_user, Action.CARD_LINK)
                and not Person.objects.filter(user=acting_user).exists()
            ):
                # A participant registering a NIK new to Jamsos: the new record is theirs.
                # An existing record is linked only through person_link_start/confirm.
                person.user = acting_user
                person.save(update_fields=["user"])
                audit_record(
                    actor=acting_user,
                    action="person.link_user",
                    obj=person,
                    after={"user": acting_user.username, "how": "new_record"},
                )
            audit_record(
                actor=acting_user,
                action="bpu.register",
                obj=participant,
                after={
                    "kpj": participant.kpj,
                    "nik": mask_nik(info.nik),
                    "branch_office": participant.branch_office.code
                    if participant.branch_office
                    else None,
                    "occupation": occupation,
                    "declared_income_idr": income_idr,
                    "nominal_idr": nominal,
                    "with_jht": membership.with_jht,
                    "payer_type": payer_type,
                    "payer_group": payer_group,
                    "warnings": [w.code for w in warnings],
                },
            )
    except IntegrityError:  # a concurrent registration of the same NIK won the race
        raise Conflict(
            "nik: this NIK is already registered as an informal worker",
            code="bpu.already_registered",
            field="nik",
            message_id="nik: NIK ini sudah terdaftar sebagai peserta BPU",
        ) from None
    return Registration(participant, tuple(warnings), nominal, phone_state)


def _check_existing_for_bpu(
    acting_user: User | None, person: Person, full_name: str, birth_date: date
) -> None:
    """Who may add an informal card to a person already on file: the person's own linked
    login, or a sponsor or a branch officer (``bpu.register``) who gives the name and birth
    date on the record. An anonymous registration or a participant login not linked to that
    person is told to sign in and link first."""
    if acting_user is None:
        raise person_exists()
    if can(acting_user, Action.CARD_LINK):  # a participant login: only its own record
        if person.user_id != acting_user.pk:
            raise person_exists()
        return
    if not identity_matches(person, full_name, birth_date):
        raise identity_mismatch()


def code_check(
    pending: PhoneVerification | None, person: Person, code: str
) -> RuleViolation | None:
    """Check a one-time code against the pending one (row locked by the caller): None when it
    is right, else the error to raise once the caller's transaction has kept the count of
    wrong tries. A code counts only for the phone still on the record."""
    now = timezone.now()
    if (
        pending is None
        or pending.expires_at < now
        or pending.attempts >= OTP_MAX_ATTEMPTS
        or pending.phone != person.phone
    ):
        return _expired()
    if not secrets.compare_digest(pending.code_digest, _otp_digest(person.pk, str(code))):
        pending.attempts += 1
        pending.save(update_fields=["attempts"])
        left = OTP_MAX_ATTEMPTS - pending.attempts
        return RuleViolation(
            f"code: wrong code; {left} tries left",
            code="otp.wrong",
            field="code",
            message_id=f"code: kode salah; sisa {left} kali",
        )
    pending.verified_at = now
    pending.save(update_fields=["verified_at"])
    return None


def _expired() -> RuleViolation:
    return RuleViolation(
        "code: the code has expired; ask for a new one",
        code="otp.expired",
        field="code",
        message_id="code: kode sudah kedaluwarsa; minta kode baru",
    )


def phone_verify(*, kpj: str, code: str) -> Person:
    """Confirm a phone with the code sent to it; at most 5 tries per code, 10 minutes.

    A wrong try is counted in its own transaction, so the count survives the error. These are
    public doors, so a KPJ that does not exist, one whose phone is already confirmed and one
    with no code pending all answer ``otp.expired``: a stranger learns nothing of a card by
    its KPJ. Sending again the code that confirmed the phone answers as the first time.
    """
    failure: RuleViolation | None = None
    with transaction.atomic():
        participant = Participant.objects.select_related("person").filter(kpj=kpj).first()
        if participant is None:
            raise _expired()
        person = participant.person
        if person.phone_verified_at is not None:
            done = PhoneVerification.objects.filter(
                person=person,
                purpose=PhoneVerification.Purpose.PHONE,
                verified_at__isnull=False,
                code_digest=_otp_digest(person.pk, str(code)),
            ).exists()
            if done:
                return person  # verifying again changes nothing
            raise _expired()
        pending = (
            PhoneVerification.objects.select_for_update()
            .filter(
                person=person,
                purpose=PhoneVerification.Purpose.PHONE,
                verified_at__isnull=True,
            )
            .order_by("-created_at")
            .first()
        )
        failure = code_check(pending, person, code)
        if failure is None:
            now = timezone.now()
            person.phone_verified_at = now
            person.save(update_fields=["phone_verified_at"])
            audit_record(
                actor=None,
                action="person.phone_verified",
                obj=person,
                before={"phone_verified_at": None},
                after={"phone_verified_at": now.isoformat()},
            )
    if failure is not None:
        raise failure
    return person


def phone_code_resend(*, kpj: str, address: str = "") -> None:
    """Send a new code to the phone on the record (the old ones stop working).

    The same answer whatever the KPJ: nothing is sent for a KPJ that does not exist, a phone
    already confirmed or a record without a phone (the registration said which it was), so a
    stranger cannot tell cards apart or learn whether a phone is on record."""
    with transaction.atomic():
        participant = Participant.objects.select_related("person").filter(kpj=kpj).first()
        if participant is None:
            return
        person = participant.person
        if person.phone_verified_at is not None or not person.phone:
            return
        PhoneVerification.objects.filter(
            person=person, purpose=PhoneVerification.Purpose.PHONE, verified_at__isnull=True
        ).update(expires_at=timezone.now())
        phone_code_send(person=person, phone=person.phone, address=address)


def registration_json(registration: Registration) -> dict[str, Any]:
    p = registration.participant
    return {
        "kpj": p.kpj,
        "segment": p.segment,
        "status": "awaiting_first_payment",
        "branch_office": p.branch_office.code if p.branch_office else None,
        "nominal_idr": registration.nominal_idr,
        "phone_verification": registration.phone_verification,
        "warnings": [
            {"code": w.code, "message_en": w.message_en, "message_id": w.message_id}
            for w in registration.warnings
        ],
    }
