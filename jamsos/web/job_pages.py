"""Job pages: the jobs a user started (all for administrators and auditors), one job's
progress (the page reloads itself while the job is queued or running) and its retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.accounts.access import can
from jamsos.core.errors import DomainError, NotFound
from jamsos.jobs.kinds import KINDS
from jamsos.jobs.models import JobKind
from jamsos.jobs.services import job_enqueue, job_get, job_retry, jobs_visible_to


def _startable(user: object) -> list[tuple[str, str]]:
    return [
        (k, str(JobKind(k).label))
        for k, kind in KINDS.items()
        if can(user, kind.action)  # type: ignore[arg-type]
    ]


@login_required
@require_http_methods(["GET", "POST"])
def jobs_page(request: HttpRequest) -> HttpResponse:
    startable = _startable(request.user)
    error, kind, period = None, request.POST.get("kind", ""), request.POST.get("period", "")
    if request.method == "POST":
        try:
            job = job_enqueue(acting_user=request.user, kind=kind, period=period)  # type: ignore[arg-type]
        except DomainError as exc:
            error = exc.page_message(request.LANGUAGE_CODE)
        else:
            return redirect("web:job", job_id=job.pk)
    jobs = jobs_visible_to(request.user).select_related("created_by", "schedule")[:100]  # type: ignore[arg-type]
    return render(
        request,
        "web/jobs.html",
        {"jobs": jobs, "startable": startable, "error": error, "kind": kind, "period": period},
    )


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = job_get(acting_user=request.user, job_id=job_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    return render(request, "web/job.html", {"job": job, "now": timezone.now()})


@login_required
@require_POST
def job_retry_view(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job_retry(acting_user=request.user, job_id=job_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    return redirect("web:job", job_id=job_id)
