"""Duplicate people and reversible merges (branch officers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.outputs import QueuesOut
from jamsos.api.schemas import ERRORS
from jamsos.core.net import client_address
from jamsos.registry.duplicates import duplicate_candidates, person_merge, person_merge_undo
from jamsos.registry.linking import (
    mask_phone,
    person_link_confirm,
    person_link_start,
    person_phone_record,
)
from jamsos.registry.queues import officer_queues

router = Router(tags=["people"], auth=bearer)


class CandidatePersonOut(Schema):
    id: int
    name: str
    nik: str
    kpj: list[str]


class CandidateOut(Schema):
    name: str
    birth_date: str
    people: list[CandidatePersonOut]


class MergeIn(Schema):
    kept_id: int
    merged_id: int
    reason: str = Field(max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(default="", max_length=2000)


class MergeOut(Schema):
    id: int
    kept_id: int
    merged_id: int
    moved_participants: list[int]
    reverted: bool

    @staticmethod
    def resolve_reverted(obj: Any) -> bool:
        return obj.reverted_at is not None


@router.get("/people/duplicates", response={200: list[CandidateOut], **ERRORS})
def duplicates(request: ApiRequest) -> Any:
    """People in your scope who share a name and a birth date under different NIKs."""
    return duplicate_candidates(user=request.user)


@router.post("/people/merges", response={201: MergeOut, **ERRORS})
def merge(request: ApiRequest, payload: MergeIn) -> Any:
    return Status(
        201,
        person_merge(
            acting_user=request.user,
            kept_id=payload.kept_id,
            merged_id=payload.merged_id,
            reason=payload.reason,
        ),
    )


@router.post("/people/merges/{merge_id}/undo", response={200: MergeOut, **ERRORS})
def undo(request: ApiRequest, merge_id: int, payload: ReasonIn) -> Any:
    return person_merge_undo(
        acting_user=request.user,
        merge_id=merge_id,
        reason=payload.reason,
    )


@router.get("/queues", response={200: QueuesOut, **ERRORS}, tags=["queues"])
def queues(request: ApiRequest) -> Any:
    """A branch officer's work: employers to verify, wages to approve, duplicates to review,
    late project registrations and late worker reports."""
    return officer_queues(user=request.user)


class LinkIn(Schema):
    nik: str = Field(max_length=32)
    full_name: str = Field(max_length=200)
    birth_date: date


class LinkSentOut(Schema):
    phone: str = Field(description="The phone on the record, masked, that the code went to")


class LinkCodeIn(Schema):
    code: str = Field(min_length=1, max_length=12)


class LinkedOut(Schema):
    linked: bool
    kpj: list[str]


@router.post("/people/link", response={202: LinkSentOut, **ERRORS}, tags=["people"])
def link_start(request: ApiRequest, payload: LinkIn) -> Any:
    """A participant's login asks to be linked to their record: the NIK, name and birth date
    must match it, and a code goes to the phone already on the record (never another)."""
    phone = person_link_start(
        acting_user=request.user,
        nik=payload.nik,
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        address=client_address(request),
    )
    return Status(202, {"phone": phone})


@router.post("/people/link/confirm", response={200: LinkedOut, **ERRORS}, tags=["people"])
def link_confirm(request: ApiRequest, payload: LinkCodeIn) -> Any:
    """Link with the code sent to the phone on the record."""
    person = person_link_confirm(acting_user=request.user, code=payload.code)
    return {"linked": True, "kpj": list(person.participations.values_list("kpj", flat=True))}


class PhoneIn(Schema):
    phone: str = Field(max_length=32, description="Indonesian mobile number")


class PhoneOut(Schema):
    kpj: str
    phone: str
    phone_verified: bool


@router.post("/participants/{kpj}/phone", response={200: PhoneOut, **ERRORS}, tags=["people"])
def record_phone(request: ApiRequest, kpj: str, payload: PhoneIn) -> Any:
    """A branch officer records the phone a person shows at the counter (KTP seen), so they
    can link their login online with a code sent to it."""
    person = person_phone_record(acting_user=request.user, kpj=kpj, phone=payload.phone)
    return {"kpj": kpj, "phone": mask_phone(person.phone), "phone_verified": False}
