"""Duplicate people and reversible merges (branch officers)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from jamsos.api.auth import bearer
from jamsos.api.schemas import ERRORS
from jamsos.registry.duplicates import duplicate_candidates, person_merge, person_merge_undo
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
def duplicates(request: HttpRequest) -> Any:
    """People in your scope who share a name and a birth date under different NIKs."""
    return duplicate_candidates(user=request.user)  # type: ignore[arg-type]


@router.post("/people/merges", response={201: MergeOut, **ERRORS})
def merge(request: HttpRequest, payload: MergeIn) -> Any:
    return Status(
        201,
        person_merge(
            acting_user=request.user,  # type: ignore[arg-type]
            kept_id=payload.kept_id,
            merged_id=payload.merged_id,
            reason=payload.reason,
        ),
    )


@router.post("/people/merges/{merge_id}/undo", response={200: MergeOut, **ERRORS})
def undo(request: HttpRequest, merge_id: int, payload: ReasonIn) -> Any:
    return person_merge_undo(
        acting_user=request.user,  # type: ignore[arg-type]
        merge_id=merge_id,
        reason=payload.reason,
    )


@router.get("/queues", response={200: dict[str, Any], **ERRORS}, tags=["queues"])
def queues(request: HttpRequest) -> Any:
    """A branch officer's work: employers to verify, wages to approve, duplicates to review,
    late project registrations and late worker reports."""
    return officer_queues(user=request.user)  # type: ignore[arg-type]
