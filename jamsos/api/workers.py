"""Wage earners of an employer: list, enrol, report wages and leavers, approve low wages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from ninja import Query, Router, Schema, Status
from pydantic import Field

from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.schemas import ERRORS, IsoDate, WarningOut, warnings_json
from jamsos.registry.employment import (
    pu_employment_end,
    pu_wage_approve,
    pu_wage_change,
    pu_worker_enrol,
)
from jamsos.registry.enrolment import mask_nik
from jamsos.registry.models import Employment, WageRecord
from jamsos.registry.selectors import employer_workers

router = Router(tags=["workers"], auth=bearer)


class WorkerOut(Schema):
    """One employment; expects ``participant__person``, ``division`` and ``wages`` loaded."""

    employment_id: int
    kpj: str
    full_name: str
    nik: str
    division: str
    start_on: date
    end_on: date | None
    exit_reason: str
    wage_idr: int | None
    wage_status: str | None

    @staticmethod
    def resolve_employment_id(obj: Employment) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_kpj(obj: Employment) -> str:
        return str(obj.participant.kpj)

    @staticmethod
    def resolve_full_name(obj: Employment) -> str:
        return str(obj.participant.person.full_name)

    @staticmethod
    def resolve_nik(obj: Employment, context: dict[str, Any]) -> str:
        nik = str(obj.participant.person.nik)
        return nik if getattr(context["request"], "jamsos_full_nik", False) else mask_nik(nik)

    @staticmethod
    def resolve_division(obj: Employment) -> str:
        return str(obj.division.code)

    @staticmethod
    def resolve_wage_idr(obj: Employment) -> int | None:
        approved = [w for w in obj.wages.all() if w.status == "approved"]
        return approved[-1].wage_idr if approved else None

    @staticmethod
    def resolve_wage_status(obj: Employment) -> str | None:
        wages = list(obj.wages.all())
        return wages[-1].status if wages else None


class EnrolIn(Schema):
    nik: str = Field(max_length=32)
    full_name: str = Field(max_length=200)
    birth_date: IsoDate
    sex: str = Field(max_length=1)
    start_on: IsoDate
    wage_idr: int
    division: str = Field(default="000", max_length=3)


class EnrolOut(Schema):
    employment_id: int
    kpj: str
    warnings: list[WarningOut]


class WageIn(Schema):
    effective_from: IsoDate
    wage_idr: int


class WageOut(Schema):
    wage_record_id: int
    status: str
    warnings: list[WarningOut]


class EndIn(Schema):
    end_on: IsoDate
    exit_reason: str = Field(
        max_length=16, description="resignation, termination, contract_end, retirement, death"
    )


def _employments() -> QuerySet[Employment]:
    return (
        Employment.objects.select_related("participant__person", "division")
        .prefetch_related(Prefetch("wages", queryset=WageRecord.objects.order_by("effective_from")))
        .order_by("end_on", "-start_on", "pk")
    )


class WorkersPageOut(Schema):
    items: list[WorkerOut]
    count: int


@router.get("/employers/{employer_id}/workers", response={200: WorkersPageOut, **ERRORS})
def list_workers(
    request: ApiRequest,
    employer_id: int,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """The employer's workers; NIKs are masked for roles that do not manage them, and a page
    with whole NIKs is recorded in the audit trail as read."""
    page = employer_workers(
        user=request.user,
        employer_id=employer_id,
        offset=offset,
        limit=limit,
    )
    request.jamsos_full_nik = page.full
    return {"items": page.rows, "count": page.count}


@router.post("/employers/{employer_id}/workers", response={201: EnrolOut, **ERRORS})
def enrol_worker(request: ApiRequest, employer_id: int, payload: EnrolIn) -> Any:
    enrolment = pu_worker_enrol(
        acting_user=request.user,
        employer_id=employer_id,
        nik=payload.nik,
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        start_on=payload.start_on,
        wage_idr=payload.wage_idr,
        division_code=payload.division,
    )
    return Status(
        201,
        {
            "employment_id": enrolment.employment.pk,
            "kpj": enrolment.employment.participant.kpj,
            "warnings": warnings_json(enrolment.warnings),
        },
    )


@router.post("/employments/{employment_id}/wages", response={201: WageOut, **ERRORS})
def report_wage(request: ApiRequest, employment_id: int, payload: WageIn) -> Any:
    record, warnings = pu_wage_change(
        acting_user=request.user,
        employment_id=employment_id,
        effective_from=payload.effective_from,
        wage_idr=payload.wage_idr,
    )
    return Status(
        201,
        {"wage_record_id": record.pk, "status": record.status, "warnings": warnings_json(warnings)},
    )


@router.post("/employments/{employment_id}/end", response={200: WorkerOut, **ERRORS})
def end_employment(request: ApiRequest, employment_id: int, payload: EndIn) -> Any:
    employment = pu_employment_end(
        acting_user=request.user,
        employment_id=employment_id,
        end_on=payload.end_on,
        exit_reason=payload.exit_reason,
    )
    request.jamsos_full_nik = True
    return _employments().get(pk=employment.pk)


@router.post("/wage-records/{wage_record_id}/approve", response={200: WageOut, **ERRORS})
def approve_wage(request: ApiRequest, wage_record_id: int) -> Any:
    record = pu_wage_approve(
        acting_user=request.user,
        wage_record_id=wage_record_id,
    )
    return {"wage_record_id": record.pk, "status": record.status, "warnings": []}
