"""Monthly worker lists: template, upload (dry run), errors file, finalise."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from jamsos.accounts.access import access_employer_for_workers
from jamsos.api.auth import ApiRequest, bearer
from jamsos.api.schemas import ERRORS, file_response
from jamsos.core.errors import RuleViolation
from jamsos.core.exports import attachment
from jamsos.registry.upload import (
    MAX_BYTES,
    access_upload,
    template_csv,
    upload_check,
    upload_errors_file,
    upload_finalise,
)

router = Router(tags=["uploads"], auth=bearer)


class UploadOut(Schema):
    id: int
    period: str
    filename: str
    status: str
    summary: dict[str, Any]


@router.get(
    "/employers/{employer_id}/uploads/template.csv",
    response={200: None, **ERRORS},
    openapi_extra=file_response("text/csv"),
)
def template(request: ApiRequest, employer_id: int) -> HttpResponse:
    access_employer_for_workers(request.user, employer_id)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jamsos-workers-template.csv"'
    return response


@router.post("/employers/{employer_id}/uploads", response={201: UploadOut, **ERRORS})
def upload(
    request: ApiRequest, employer_id: int, period: Form[str], file: File[UploadedFile]
) -> Any:
    """Check a worker list (CSV or XLSX) for a period: nothing is applied yet."""
    if file.size and file.size > MAX_BYTES:
        raise RuleViolation(
            "file: is larger than 20 MB",
            field="file",
            code="upload.too_large",
            message_id="file: lebih dari 20 MB",
        )
    checked = upload_check(
        acting_user=request.user,
        employer_id=employer_id,
        period=period,
        filename=file.name or "upload.csv",
        content=file.read(),
    )
    return Status(201, checked)


@router.get("/uploads/{upload_id}", response={200: UploadOut, **ERRORS})
def get_upload(request: ApiRequest, upload_id: int) -> Any:
    return access_upload(request.user, upload_id)


@router.get(
    "/uploads/{upload_id}/errors.csv",
    response={200: None, **ERRORS},
    openapi_extra=file_response("text/csv"),
)
def errors_file(request: ApiRequest, upload_id: int) -> HttpResponse:
    name, content = upload_errors_file(access_upload(request.user, upload_id))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(name)
    return response


@router.post("/uploads/{upload_id}/finalise", response={200: UploadOut, **ERRORS})
def finalise(request: ApiRequest, upload_id: int) -> Any:
    """Apply the checked list: everything in one transaction, or nothing."""
    return upload_finalise(
        acting_user=request.user,
        upload_id=upload_id,
    )
