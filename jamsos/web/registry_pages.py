"""Registry pages: participant search and record, an employer's workers, the monthly upload."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.accounts.access import access_employer_for_workers
from jamsos.accounts.services import employer_user_bind
from jamsos.core.errors import DomainError, NotFound
from jamsos.core.errors import PermissionDenied as DomainPermissionDenied
from jamsos.core.exports import attachment
from jamsos.registry.enrolment import mask_nik
from jamsos.registry.linking import person_phone_record
from jamsos.registry.selectors import employer_workers, participant_record, participant_search
from jamsos.registry.upload import (
    access_upload,
    template_csv,
    upload_check,
    upload_errors_file,
    upload_finalise,
)


@login_required
def participant_search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    results = participant_search(user=request.user, query=query)  # type: ignore[arg-type]
    page = Paginator(results, 25).get_page(request.GET.get("page"))
    rows = [
        {
            "kpj": p.kpj,
            "name": p.person.full_name,
            "nik": mask_nik(p.person.nik),
            "segment": p.get_segment_display(),
            "branch": p.branch_office.name if p.branch_office else "—",
        }
        for p in page.object_list
    ]
    return render(request, "web/participant_search.html", {"q": query, "page": page, "rows": rows})


@login_required
def participant_page(request: HttpRequest, kpj: str) -> HttpResponse:
    try:
        record = participant_record(user=request.user, kpj=kpj)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    return render(request, "web/participant.html", record)


PER_PAGE = 25


@login_required
@require_POST
def participant_phone_view(request: HttpRequest, kpj: str) -> HttpResponse:
    """A branch officer records the phone a person shows at the counter."""
    try:
        person_phone_record(
            acting_user=request.user,  # type: ignore[arg-type]
            kpj=kpj,
            phone=request.POST.get("phone", "")[:32],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    else:
        messages.success(request, _("The phone is recorded; the person can now link their login."))
    return redirect("web:participant", kpj=kpj)


@login_required
def employer_workers_page(request: HttpRequest, employer_id: int) -> HttpResponse:
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    try:
        workers = employer_workers(
            user=request.user,  # type: ignore[arg-type]
            employer_id=employer_id,
            offset=(number - 1) * PER_PAGE,
            limit=PER_PAGE,
            order=("end_on", "participant__person__name_key", "pk"),
        )
    except NotFound:
        raise Http404 from None
    employer, full = workers.employer, workers.full
    page = Paginator(range(workers.count), PER_PAGE).get_page(number)
    rows = []
    for e in workers.rows:
        wages = list(e.wages.all())
        approved = [w for w in wages if w.status == "approved"]
        rows.append(
            {
                "kpj": e.participant.kpj,
                "name": e.participant.person.full_name,
                "nik": workers.nik(e),
                "start_on": e.start_on,
                "end_on": e.end_on,
                "exit_reason": e.get_exit_reason_display(),
                "wage_idr": approved[-1].wage_idr if approved else None,
                "pending": bool(wages and wages[-1].status != "approved"),
            }
        )
    return render(
        request,
        "web/employer_workers.html",
        {"employer": employer, "page": page, "rows": rows, "can_manage": full},
    )


@login_required
def upload_template(request: HttpRequest, employer_id: int) -> HttpResponse:
    try:
        access_employer_for_workers(request.user, employer_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jamsos-workers-template.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload_page(request: HttpRequest, employer_id: int) -> HttpResponse:
    # in scope but not one who manages its workers: 403, as the API answers
    try:
        employer = access_employer_for_workers(request.user, employer_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    error = None
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            error = _("Choose a CSV or XLSX file.")
        else:
            try:
                checked = upload_check(
                    acting_user=request.user,  # type: ignore[arg-type]
                    employer_id=employer.pk,
                    period=request.POST.get("period", ""),
                    filename=uploaded.name or "upload.csv",
                    content=uploaded.read(),
                )
            except DomainPermissionDenied:
                return render(
                    request,
                    "web/error.html",
                    {
                        "message": _(
                            "Only the employer's administrators or its branch officers may "
                            "upload its workers."
                        )
                    },
                    status=403,
                )
            except DomainError as exc:
                error = exc.page_message(get_language())
            else:
                return redirect("web:upload", upload_id=checked.pk)
    return render(
        request,
        "web/upload_form.html",
        {"employer": employer, "error": error},
        status=400 if error else 200,
    )


def _upload_or_404(request: HttpRequest, upload_id: int):  # type: ignore[no-untyped-def]
    try:
        return access_upload(request.user, upload_id)  # type: ignore[arg-type]
    except NotFound:  # a refusal in scope stays 403, as the API answers
        raise Http404 from None


@login_required
def upload_result_page(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _upload_or_404(request, upload_id)
    problems = [r for r in upload.rows if r["errors"]][:50]
    return render(request, "web/upload_result.html", {"upload": upload, "problems": problems})


@login_required
def upload_errors_download(request: HttpRequest, upload_id: int) -> HttpResponse:
    name, content = upload_errors_file(_upload_or_404(request, upload_id))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(name)
    return response


@login_required
@require_POST
def upload_finalise_view(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = _upload_or_404(request, upload_id)
    try:
        upload_finalise(acting_user=request.user, upload_id=upload.pk)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.page_message(get_language()))
    else:
        messages.success(request, _("The list is applied."))
    return redirect("web:upload", upload_id=upload.pk)


@login_required
@require_POST
def employer_user_bind_view(request: HttpRequest, employer_id: int) -> HttpResponse:
    """An officer of the employer's branch (or an administrator) binds a contractor's or an
    employer administrator's login to the employer."""
    username = request.POST.get("username", "")[:150]
    try:
        bound = employer_user_bind(
            acting_user=request.user,  # type: ignore[arg-type]
            employer_id=employer_id,
            username=username,
        )
    except NotFound as exc:
        if exc.field != "username":
            raise Http404 from None
        messages.error(request, exc.message)
    except DomainPermissionDenied as exc:
        return render(
            request,
            "web/error.html",
            {"message": exc.message_for(request.LANGUAGE_CODE)},
            status=403,
        )
    except DomainError as exc:
        messages.error(request, exc.message_for(request.LANGUAGE_CODE))
    else:
        if bound:
            messages.success(
                request, _("%(username)s now acts for this employer.") % {"username": username}
            )
        else:
            messages.info(
                request,
                _("%(username)s already acts for this employer.") % {"username": username},
            )
    return redirect("web:employer", employer_id=employer_id)
