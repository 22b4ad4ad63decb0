"""Construction projects and their workers; migrant-worker placements."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from jamsos.api.auth import ApiRequest, bearer, public_or_bearer
from jamsos.api.schemas import ERRORS, IsoDate, WarningOut, warnings_json
from jamsos.api.throttles import PUBLIC_RATE
from jamsos.registry.projects import (
    pmi_register,
    project_register,
    project_worker_add,
    project_worker_end,
)

router = Router(tags=["projects and migrant workers"])


class ProjectIn(Schema):
    contractor_id: int
    name: str = Field(max_length=200)
    owner_name: str = Field(max_length=200)
    regency: str = Field(max_length=5)
    work_order_on: IsoDate
    contract_value_idr: int
    funding: str = Field(max_length=8, description="APBN, APBD or private")
    start_on: IsoDate
    end_on: IsoDate


class ProjectOut(Schema):
    id: int
    number: str
    branch_office: str
    registration_deadline_on: date | None
    registered_late: bool | None


class PersonIn(Schema):
    nik: str = Field(max_length=32)
    full_name: str = Field(max_length=200)
    birth_date: IsoDate
    sex: str = Field(max_length=1)


class ProjectWorkerIn(PersonIn):
    kind: str = Field(max_length=12, description="daily, piece or fixed_term")
    start_on: IsoDate
    replaces: int | None = Field(
        default=None, description="id of the project worker this one replaces"
    )


class ProjectWorkerOut(Schema):
    id: int
    kpj: str
    reported_late: bool | None
    warnings: list[WarningOut]


class PmiIn(PersonIn):
    agreement_on: IsoDate
    destination_country: str = Field(max_length=2)
    via_agency: bool
    contract_months: int


class PmiOut(Schema):
    kpj: str
    warnings: list[WarningOut]


@router.post("/projects", response={201: ProjectOut, **ERRORS}, auth=bearer)
def register_project(request: ApiRequest, payload: ProjectIn) -> Any:
    """Register a project; registration later than 14 working days after the SPK is flagged."""
    result = project_register(
        acting_user=request.user,
        contractor_id=payload.contractor_id,
        name=payload.name,
        owner_name=payload.owner_name,
        regency_code=payload.regency,
        work_order_on=payload.work_order_on,
        contract_value_idr=payload.contract_value_idr,
        funding=payload.funding,
        start_on=payload.start_on,
        end_on=payload.end_on,
    )
    return Status(
        201,
        {
            "id": result.project.pk,
            "number": result.project.number,
            "branch_office": result.project.branch_office.code,
            "registration_deadline_on": result.deadline_on,
            "registered_late": result.late,
        },
    )


@router.post(
    "/projects/{project_id}/workers", response={201: ProjectWorkerOut, **ERRORS}, auth=bearer
)
def add_project_worker(request: ApiRequest, project_id: int, payload: ProjectWorkerIn) -> Any:
    worker, warnings, late = project_worker_add(
        acting_user=request.user,
        project_id=project_id,
        nik=payload.nik,
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        kind=payload.kind,
        start_on=payload.start_on,
        replaces_id=payload.replaces,
    )
    return Status(
        201,
        {
            "id": worker.pk,
            "kpj": worker.participant.kpj,
            "reported_late": late,
            "warnings": warnings_json(warnings),
        },
    )


class WorkerEndIn(Schema):
    end_on: IsoDate


class WorkerEndOut(Schema):
    id: int
    kpj: str
    end_on: IsoDate


@router.post(
    "/projects/workers/{worker_id}/end", response={200: WorkerEndOut, **ERRORS}, auth=bearer
)
def end_project_worker(request: ApiRequest, worker_id: int, payload: WorkerEndIn) -> Any:
    """A worker leaves the project without a replacement."""
    worker = project_worker_end(
        acting_user=request.user,
        worker_id=worker_id,
        end_on=payload.end_on,
    )
    return {"id": worker.pk, "kpj": worker.participant.kpj, "end_on": worker.end_on}


@router.post(
    "/pmi/registrations",
    response={201: PmiOut, **ERRORS},
    auth=public_or_bearer,
    throttle=PUBLIC_RATE,
)
def register_pmi(request: HttpRequest, payload: PmiIn) -> Any:
    """Register a migrant worker's placement (by the worker or their agency, or with a bearer
    token by the worker's own login or a branch officer)."""
    placement, warnings = pmi_register(
        acting_user=request.user if request.user.is_authenticated else None,
        nik=payload.nik,
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        agreement_on=payload.agreement_on,
        destination_country=payload.destination_country,
        via_agency=payload.via_agency,
        contract_months=payload.contract_months,
    )
    return Status(201, {"kpj": placement.participant.kpj, "warnings": warnings_json(warnings)})
