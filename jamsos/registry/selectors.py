"""Reads of the registry for pages and the API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from jamsos.accounts.access import (
    access_employer,
    acts_for_employers,
    can,
    can_manage_workers,
    employers_visible_to,
    participants_visible_to,
    require,
    sees_full_personal_data,
)
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.core.audit import audit_reads, audit_record
from jamsos.core.errors import NotFound
from jamsos.registry.enrolment import mask_nik, name_key
from jamsos.registry.models import Employer, Employment, Participant, WageRecord


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
    if acts_for_employers(user):
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
        "can_record_phone": can(user, Action.PHONE_RECORD, participant),
        "employments": list(employments),
        "bpu": getattr(participant, "bpu", None),
    }


@dataclass(frozen=True)
class WorkersPage:
    """One page of an employer's workers; ``full`` says whether the NIKs may be shown whole."""

    employer: Employer
    count: int
    rows: list[Employment]
    full: bool

    def nik(self, employment: Employment) -> str:
        nik = str(employment.participant.person.nik)
        return nik if self.full else mask_nik(nik)


def employer_workers(
    *,
    user: User,
    employer_id: int,
    offset: int = 0,
    limit: int = 50,
    order: tuple[str, ...] = ("end_on", "-start_on", "pk"),
) -> WorkersPage:
    """A page of the employer's workers. Whole NIKs only for those who manage the workers
    (its administrators, its branch's officers), and then the page's people are recorded as
    read — one bulk insert per page."""
    employer = access_employer(user, employer_id)
    require(user, Action.WORKER_READ)
    full = can_manage_workers(user, employer)
    employments = (
        Employment.objects.filter(employer=employer)
        .select_related("participant__person", "division")
        .prefetch_related(Prefetch("wages", queryset=WageRecord.objects.order_by("effective_from")))
        .order_by(*order)
    )
    count = employments.count()
    rows = list(employments[offset : offset + limit])
    if full and rows:
        audit_reads(
            actor=user,
            action="person.read",
            objects=[e.participant.person for e in rows],
            after={"read": "workers", "employer": employer.npp},
        )
    return WorkersPage(employer, count, rows, full)
