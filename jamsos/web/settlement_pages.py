"""Bank settlement pages for the finance office: upload a channel's file (reconciled by a job),
the files received with their outcomes, one file's report and its download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jamsos.accounts.access import Action, can
from jamsos.contributions.models import PaymentChannel, SettlementOutcome
from jamsos.contributions.settlement import (
    OUTCOMES,
    settlement_files,
    settlement_report,
    settlement_report_csv,
    settlement_submit,
)
from jamsos.core.bounds import MAX_MULTIPART_BYTES
from jamsos.core.errors import DomainError, NotFound, field_error
from jamsos.core.exports import attachment
from jamsos.jobs.models import ACTIVE, Job


@login_required
@require_http_methods(["GET", "POST"])
def settlements_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.SETTLEMENT_READ):
        raise PermissionDenied
    may_upload = can(request.user, Action.SETTLEMENT_IMPORT)
    error, channel = None, request.POST.get("channel", "")
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise field_error("file", "choose a file", "pilih berkas")
            if upload.size and upload.size > MAX_MULTIPART_BYTES - 1024 * 1024:
                raise field_error(
                    "file",
                    "is larger than 20 MB; use jamsos settlement import",
                    "lebih dari 20 MB; pakai jamsos settlement import",
                    code="settlement.too_large",
                )
            found, _new, _job = settlement_submit(
                acting_user=request.user,  # type: ignore[arg-type]
                channel=channel,
                data=upload.read(),
                name=upload.name or "",
            )
        except DomainError as exc:
            error = exc.message_for(request.LANGUAGE_CODE)
        else:
            return redirect("web:settlement", file_id=found.pk)
    files = [
        settlement_report(acting_user=request.user, file_id=f.pk)  # type: ignore[arg-type]
        for f in settlement_files(acting_user=request.user)  # type: ignore[arg-type]
    ]
    return render(
        request,
        "web/settlements.html",
        {
            "files": files,
            "may_upload": may_upload,
            "channels": PaymentChannel.objects.filter(active=True).order_by("code"),
            "channel": channel,
            "error": error,
        },
    )


@login_required
def settlement_page(request: HttpRequest, file_id: int) -> HttpResponse:
    if not can(request.user, Action.SETTLEMENT_READ):
        raise PermissionDenied
    try:
        report = settlement_report(acting_user=request.user, file_id=file_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    job = Job.objects.filter(kind="settlement", period=str(file_id)).order_by("-pk").first()
    rows = [
        (SettlementOutcome(o).label, o.value, *report.rows.get(o.value, (0, 0))) for o in OUTCOMES
    ]
    return render(
        request,
        "web/settlement.html",
        {
            "report": report,
            "file": report.file,
            "rows": rows,
            "job": job,
            "running": job is not None and job.status in ACTIVE,
        },
    )


@login_required
def settlement_download(request: HttpRequest, file_id: int) -> HttpResponse:
    if not can(request.user, Action.SETTLEMENT_READ):
        raise PermissionDenied
    try:
        name, content = settlement_report_csv(acting_user=request.user, file_id=file_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(name)
    return response
