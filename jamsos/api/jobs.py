"""Jobs: queue a long piece of work, watch its progress, retry it when it failed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.schemas import ERRORS
from jamsos.core.errors import NotFound
from jamsos.core.exports import safe_filename
from jamsos.jobs.kinds import export_dir
from jamsos.jobs.services import job_enqueue, job_get, job_retry, jobs_visible_to

router = Router(tags=["jobs"], auth=bearer)


class JobIn(Schema):
    kind: str = Field(
        max_length=20,
        description=(
            "billing_run, report_refresh, payroll, bpu_remind, jht_returns, payouts_export, "
            "settlement"
        ),
    )
    period: str = Field(
        max_length=10, description="YYYY-MM, YYYY-MM-DD or YYYY by kind (settlement: the file id)"
    )


class JobError(Schema):
    code: str
    message: str


class JobOut(Schema):
    id: int
    kind: str
    period: str
    status: str = Field(description="queued, running, succeeded or failed")
    stage: str
    done: int
    total: int
    percent: int
    attempts: int
    max_attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None
    error: JobError | None


@router.post("/jobs", response={202: JobOut, **ERRORS})
def enqueue(request: ApiRequest, payload: JobIn) -> Any:
    """Queue a job and answer at once (202) with its id; ``GET /jobs/{id}`` shows progress.
    A second job of the same kind and period while one is queued or running: 409
    ``job.already_active``."""
    job = job_enqueue(acting_user=request.user, kind=payload.kind, period=payload.period)
    return Status(202, job.as_json())


@router.get("/jobs", response={200: list[JobOut], **ERRORS})
@paginate(LimitOffsetPagination)
def jobs(request: ApiRequest) -> Any:
    """The jobs you started, newest first (all jobs for administrators and auditors)."""
    return [j.as_json() for j in jobs_visible_to(request.user).order_by("-pk")[:500]]


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job(request: ApiRequest, job_id: int) -> Any:
    """One job: status, stage, done of total, result or error."""
    return job_get(acting_user=request.user, job_id=job_id).as_json()


@router.post("/jobs/{job_id}/retry", response={202: JobOut, **ERRORS})
def retry(request: ApiRequest, job_id: int) -> Any:
    """Queue a failed job again (409 ``job.not_failed`` otherwise)."""
    return Status(202, job_retry(acting_user=request.user, job_id=job_id).as_json())


@router.get("/jobs/{job_id}/file", response={200: str, **ERRORS})
def job_file(request: ApiRequest, job_id: int) -> Any:
    """The file an export job wrote (the payout bank file)."""
    job = job_get(acting_user=request.user, job_id=job_id)
    name = (job.result or {}).get("file") if job.status == "succeeded" else None
    path = export_dir() / str(name)
    if not name or not path.is_file():
        raise NotFound(
            "This job has no file.", message_id="Tugas ini tidak punya berkas.", code="job.no_file"
        )
    return FileResponse(path.open("rb"), as_attachment=True, filename=safe_filename(str(name)))
