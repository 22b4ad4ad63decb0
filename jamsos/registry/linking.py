"""Linking a participant's login to their record (person) already on file.

Knowing a NIK is never enough: the login gives the NIK, the name and the birth date, which must
match the record (the name normalised for case, spaces, punctuation, accents and titles), and
then types the one-time code Jamsos sends to the phone *already on the record* — never to a
number the requester types. Only then is the login linked and sees the person's cards, JHT
balance and claims. A record without a phone cannot be linked online: the branch office does
it with the KTP.

A refusal does not say which detail differs (NIK unknown, other name, other birth date all give
``person.link_refused``), and each refusal is audited; after ``LINK_MAX_REFUSALS`` in a day the
login must go to a branch office.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NoReturn

from django.db import transaction
from django.utils import timezone

from jamsos.accounts.access import can, participants_visible_to
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.core.audit import audit_record
from jamsos.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from jamsos.core.models import AuditEvent
from jamsos.registry.enrolment import (
    code_check,
    identity_matches,
    mask_nik,
    normalise_phone,
    phone_code_send,
)
from jamsos.registry.models import Person, PhoneVerification

#: Refused attempts a login may make in ``LINK_WINDOW`` before it must go to a branch office.
LINK_MAX_REFUSALS = 5
LINK_WINDOW = timedelta(hours=24)


def mask_phone(phone: str) -> str:
    """``+628125000199`` -> ``+62812****199``: enough for the owner to recognise it."""
    return phone[:6] + "****" + phone[-3:] if phone else ""


def _refused() -> RuleViolation:
    return RuleViolation(
        "nik: the NIK, name and birth date do not match a record that can be linked; check "
        "them against your KTP, and if they are right visit a branch office",
        code="person.link_refused",
        field="nik",
        message_id="nik: NIK, nama dan tanggal lahir tidak cocok dengan data yang dapat "
        "dihubungkan; periksa dengan KTP Anda, dan bila sudah benar datanglah ke kantor cabang",
    )


def _check_login(acting_user: User) -> None:
    if not can(acting_user, Action.CARD_LINK):
        raise PermissionDenied(
            "Only a participant's own login is linked to a record.",
            code="person.link_forbidden",
            message_id="Hanya akun peserta sendiri yang dihubungkan dengan data.",
        )
    if Person.objects.filter(user=acting_user).exists():
        raise Conflict(
            "Your login is already linked to your record.",
            code="person.link_exists",
            message_id="Akun Anda sudah terhubung dengan data Anda.",
        )


def _refusals(acting_user: User) -> int:
    return AuditEvent.objects.filter(
        actor=acting_user,
        action="person.link_refused",
        occurred_at__gte=timezone.now() - LINK_WINDOW,
    ).count()


def _refuse(acting_user: User, nik: str, error: RuleViolation | Conflict) -> NoReturn:
    """Record the refused attempt (its own transaction, so it stays) and raise."""
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action="person.link_refused",
            obj=acting_user,
            after={"nik": mask_nik(nik) if len(nik) == 16 else "", "code": error.code},
        )
    raise error


def person_link_start(
    *, acting_user: User, nik: str, full_name: str, birth_date: date, address: str = ""
) -> str:
    """Check the NIK, name and birth date against the record and send a one-time code to the
    phone on the record (within the limits of ``notifications.limits``; ``address`` is the
    client's). Returns that phone, masked. Nothing is linked yet."""
    _check_login(acting_user)
    if _refusals(acting_user) >= LINK_MAX_REFUSALS:
        raise PermissionDenied(
            "Too many attempts to link a record; visit a branch office with your KTP.",
            code="person.link_locked",
            message_id="Terlalu banyak percobaan menghubungkan data; datanglah ke kantor cabang "
            "dengan KTP Anda.",
        )
    digits = re.sub(r"\D", "", nik or "")[:16]
    person = Person.objects.filter(nik=digits).first() if len(digits) == 16 else None
    if person is None or not identity_matches(person, full_name or "", birth_date):
        _refuse(acting_user, digits, _refused())
    if person.user_id is not None:
        _refuse(
            acting_user,
            digits,
            Conflict(
                "nik: this record is already linked to another login; visit a branch office "
                "with your KTP",
                code="person.link_taken",
                field="nik",
                message_id="nik: data ini sudah terhubung dengan akun lain; datanglah ke kantor "
                "cabang dengan KTP Anda",
            ),
        )
    if not person.phone:
        raise Conflict(
            "nik: there is no phone number on your record, so it cannot be linked online; "
            "visit a branch office with your KTP",
            code="person.link_no_phone",
            field="nik",
            message_id="nik: tidak ada nomor ponsel pada data Anda, sehingga tidak dapat "
            "dihubungkan secara daring; datanglah ke kantor cabang dengan KTP Anda",
        )
    with transaction.atomic():
        PhoneVerification.objects.filter(
            user=acting_user, purpose=PhoneVerification.Purpose.LINK, verified_at__isnull=True
        ).update(expires_at=timezone.now())
        phone_code_send(
            person=person,
            phone=person.phone,
            purpose=PhoneVerification.Purpose.LINK,
            user=acting_user,
            address=address,
        )
        audit_record(
            actor=acting_user,
            action="person.link_code_sent",
            obj=person,
            after={"user": acting_user.username, "phone": mask_phone(person.phone)},
        )
    return mask_phone(person.phone)


def person_link_confirm(*, acting_user: User, code: str) -> Person:
    """Link the login to the record with the code sent to the record's phone (5 tries per
    code, 10 minutes); a wrong try is counted even though the error rolls nothing else."""
    _check_login(acting_user)
    failure: RuleViolation | Conflict | None = None
    with transaction.atomic():
        pending = (
            PhoneVerification.objects.select_for_update()
            .select_related("person")
            .filter(
                user=acting_user,
                purpose=PhoneVerification.Purpose.LINK,
                verified_at__isnull=True,
            )
            .order_by("-created_at")
            .first()
        )
        if pending is None:
            failure = code_check(None, Person(), code)
        else:
            person = Person.objects.select_for_update().get(pk=pending.person_id)
            failure = code_check(pending, person, code)
            if failure is None and person.user_id is not None:
                failure = Conflict(
                    "code: this record was linked to another login meanwhile; visit a branch "
                    "office with your KTP",
                    code="person.link_taken",
                    field="code",
                    message_id="code: data ini sudah terhubung dengan akun lain; datanglah ke "
                    "kantor cabang dengan KTP Anda",
                )
            if failure is None:
                now = timezone.now()
                person.user = acting_user
                fields = ["user"]
                if person.phone_verified_at is None:  # the code reached that phone
                    person.phone_verified_at = now
                    fields.append("phone_verified_at")
                person.save(update_fields=fields)
                audit_record(
                    actor=acting_user,
                    action="person.link_user",
                    obj=person,
                    after={"user": acting_user.username, "how": "code_to_phone_on_record"},
                )
    if failure is not None:
        raise failure
    return person


def person_phone_record(*, acting_user: User, kpj: str, phone: str) -> Person:
    """A branch officer of the participant's branch records the phone the person shows at the
    counter (with the KTP), so that the person can link their login online with a code sent to
    it. The phone is unconfirmed until a code sent to it is typed; earlier codes stop working."""
    participant = participants_visible_to(acting_user).filter(kpj=kpj).first()
    if participant is None:
        raise NotFound(
            "kpj: no such participant",
            message_id="kpj: peserta tidak ditemukan",
            code="participant.not_found",
            field="kpj",
        )
    if not can(acting_user, Action.PHONE_RECORD, participant):
        raise PermissionDenied(
            "Only an officer of the participant's branch records a phone, with the KTP seen.",
            code="person.phone_forbidden",
            message_id="Hanya petugas kantor cabang peserta yang mencatat nomor ponsel, dengan "
            "melihat KTP.",
        )
    phone = normalise_phone(phone)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=participant.person_id)
        before = {"phone": mask_phone(person.phone)}
        person.phone, person.phone_verified_at = phone, None
        person.save(update_fields=["phone", "phone_verified_at"])
        PhoneVerification.objects.filter(person=person, verified_at__isnull=True).update(
            expires_at=timezone.now()
        )
        audit_record(
            actor=acting_user,
            action="person.phone_recorded",
            obj=person,
            before=before,
            after={"phone": mask_phone(phone), "kpj": kpj},
        )
    return person
