"""Bank settlement files: upload one (reconciled by a job), read its report, download it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from jamsos.api.auth import bearer
from jamsos.api.schemas import ERRORS, file_response
from jamsos.contributions.settlement import (
    settlement_files,
    settlement_report,
    settlement_report_csv,
    settlement_submit,
)
from jamsos.core.bounds import MAX_MULTIPART_BYTES
from jamsos.core.errors import RuleViolation
from jamsos.core.exports import attachment

router = Router(tags=["payments"], auth=bearer)


class OutcomeOut(Schema):
    lines: int
    amount_idr: int


class OutcomesOut(Schema):
    matched: OutcomeOut = Field(description="notified before: same code and amount")
    missing: OutcomeOut = Field(description="not notified: posted now as a payment")
    unknown_code: OutcomeOut = Field(description="no bill has the payment code")
    amount_mismatch: OutcomeOut = Field(description="notified with another amount or code")
    duplicate: OutcomeOut = Field(description="bank reference repeated in the file")


class SettlementOut(Schema):
    id: int
    channel: str
    name: str
    sha256: str
    received_at: datetime
    reconciled_at: datetime | None
    lines: int
    amount_idr: int
    pending: int = Field(description="lines not reconciled yet")
    outcomes: OutcomesOut


class SubmittedOut(SettlementOut):
    duplicate: bool = Field(description="the same file was received before: nothing changes")
    job_id: int | None = Field(description="the reconciliation job (GET /api/v1/jobs/{id})")


@router.post("/settlements", response={200: SubmittedOut, 202: SubmittedOut, **ERRORS})
def upload(request: HttpRequest, channel: Form[str], file: File[UploadedFile]) -> Any:
    """Upload a channel's settlement file (CSV, docs/payments.md; at most 20 MB here, larger
    files through ``jamsos settlement import``). Answers 202 with the reconciliation job; the
    same file again answers 200 with ``duplicate: true`` and changes nothing. A bad line
    refuses the whole file (400 ``settlement.bad_line`` naming the line and the column)."""
    if file.size and file.size > MAX_MULTIPART_BYTES - 1024 * 1024:
        raise RuleViolation(
            "file: is larger than 20 MB; use jamsos settlement import",
            field="file",
            code="settlement.too_large",
            message_id="file: lebih dari 20 MB; pakai jamsos settlement import",
        )
    found, new, job = settlement_submit(
        acting_user=request.user,  # type: ignore[arg-type]
        channel=channel,
        data=file.read(),
        name=file.name or "",
    )
    report = settlement_report(acting_user=request.user, file_id=found.pk).as_json()  # type: ignore[arg-type]
    body = {**report, "duplicate": not new, "job_id": job.pk if job else None}
    return Status(202 if job is not None else 200, body)


@router.get("/settlements", response={200: list[SettlementOut], **ERRORS})
def files(request: HttpRequest) -> Any:
    """The latest 100 settlement files with their outcomes (finance office, auditors)."""
    user = request.user
    return [
        settlement_report(acting_user=user, file_id=f.pk).as_json()  # type: ignore[arg-type]
        for f in settlement_files(acting_user=user)  # type: ignore[arg-type]
    ]


@router.get("/settlements/{file_id}", response={200: SettlementOut, **ERRORS})
def report(request: HttpRequest, file_id: int) -> Any:
    """A file's report: lines and amounts per outcome."""
    return settlement_report(acting_user=request.user, file_id=file_id).as_json()  # type: ignore[arg-type]


@router.get(
    "/settlements/{file_id}/report.csv",
    response={200: None, **ERRORS},
    openapi_extra=file_response("text/csv"),
)
def report_csv(request: HttpRequest, file_id: int) -> HttpResponse:
    """The report as CSV: counts and sums per outcome, then every line to follow up."""
    name, content = settlement_report_csv(acting_user=request.user, file_id=file_id)  # type: ignore[arg-type]
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(name)
    return response
