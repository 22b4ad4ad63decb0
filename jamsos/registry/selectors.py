"""Reads of the registry for pages and the API."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import QuerySet

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.core.audit import audit_record
from jamsos.core.errors import NotFound
from jamsos.registry.access import (
    employers_visible_to,
    participants_visible_to,
    sees_full_personal_data,
)
from jamsos.registry.enrolment import mask_nik, name_key
from jamsos.registry.models import Participant


def participant_search(*, user: User, query: str) -> QuerySet[Participant]:
    """Participants matching a NIK, a KPJ or a name (all words), within the user's scope."""
    qs = participants_visible_to(user).order_by("person__name_key", "kpj")
    text = query.strip()
    digits = re.sub(r"[\s.\-]", "", text)
    if not text:
        return qs.none()
    if digits.isascii() and digits.isdigit() and len(digits) == 16:
        return qs.filter(person__nik=digits)
    if digits.isascii() and digits.isdigit() and len(digits) == 11:
        return qs.filter(kpj=digits)
    words = name_key(text).split()
    if not words:
        return qs.none()
    for word in words:
        qs = qs.filter(person__name_key__contains=word)
    return qs


def participant_record(*, user: User, kpj: str) -> dict[str, object]:
    """A participant's record; showing the full NIK and phone writes a read-audit event."""
    participant = participants_visible_to(user).filter(kpj=kpj).first()
    if participant is None:
        raise NotFound(
            "No such participant.",
            message_id="Peserta tidak ditemukan.",
            code="participant.not_found",
        )
    person = participant.person
    full = sees_full_personal_data(user)
    employments = participant.employments.select_related("employer").order_by("-start_on")
    if user.role == Role.EMPLOYER_ADMIN:
        # An employer administrator sees its own employments of the worker, not the others.
        employments = employments.filter(employer__in=employers_visible_to(user))
    if full:
        with transaction.atomic():
            audit_record(
                actor=user,
                action="person.read",
                obj=person,
                after={"kpj": kpj, "nik": mask_nik(person.nik)},
            )
    return {
        "participant": participant,
        "person": person,
        "nik": person.nik if full else mask_nik(person.nik),
        "phone": person.phone
        if full
        else (person.phone[:5] + "****" + person.phone[-3:] if person.phone else ""),
        "full": full,
        "can_record_phone": user.role == Role.BRANCH_OFFICER
        and participant.branch_office_id == user.branch_office_id,
        "employments": list(employments),
        "bpu": getattr(participant, "bpu", None),
    }
