"""Construction projects (contractors and branch officers) and migrant placements (PMI)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.accounts.access import (
    Action,
    access_project,
    acts_for_employers,
    can,
    can_member,
    employers_visible_to,
    projects_visible_to,
)
from jamsos.contributions.jakon_pmi import (
    placement_bill_issue,
    project_bills_issue,
    project_covered_from,
)
from jamsos.contributions.selectors import bill_summary
from jamsos.core.errors import DomainError, NotFound
from jamsos.core.errors import PermissionDenied as DomainPermissionDenied
from jamsos.registry.models import Employer, Funding, PmiPlacement, ProjectWorker, Sex
from jamsos.registry.projects import (
    COUNTRY_CODES,
    pmi_register,
    project_register,
    project_worker_add,
    project_worker_end,
)


def _date(field: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DomainError(
            _("%(field)s: enter a date") % {"field": field}, field=field, code="invalid"
        ) from None


def _int(field: str, raw: str) -> int:
    try:
        return int(raw.replace(".", "").replace(",", "").strip())
    except ValueError:
        raise DomainError(
            _("%(field)s: enter a whole number of rupiah") % {"field": field},
            field=field,
            code="invalid",
        ) from None


def _id(field: str, raw: str) -> int:
    """The id of a chosen option (a contractor, a worker replaced)."""
    try:
        return int(raw.strip())
    except ValueError:
        raise DomainError(
            _("%(field)s: choose one of the options") % {"field": field},
            field=field,
            code="required",
        ) from None


def _labels() -> dict[str, str]:
    """The form's words for the fields a service names (its messages start ``field: ``)."""
    return {
        "contractor_id": _("Contractor"),
        "name": _("Project name"),
        "owner_name": _("Project owner"),
        "regency": _("Regency or city"),
        "work_order_on": _("Work order (SPK) date"),
        "contract_value_idr": _("Contract value (Rp)"),
        "funding": _("Funding"),
        "start_on": _("Planned start"),
        "end_on": _("Planned end"),
        "nik": "NIK",
        "full_name": _("Full name"),
        "birth_date": _("Birth date"),
        "sex": _("Sex"),
        "kind": _("Kind"),
        "replaces": _("Replaces (optional)"),
        "instalments": _("Instalments"),
    }


def _error(exc: DomainError, request: HttpRequest) -> dict[str, Any]:
    """The error for the form, its field named in the form's words rather than its code."""
    message = exc.page_message(request.LANGUAGE_CODE)
    label = _labels().get(exc.field or "")
    if label and message != exc.message_for(request.LANGUAGE_CODE):
        message = f"{label}: {message}"
    return {"field": exc.field, "message": message}


@login_required
def project_list_page(request: HttpRequest) -> HttpResponse:
    projects = projects_visible_to(request.user).order_by("-registered_at")  # type: ignore[arg-type]
    page = Paginator(projects, 25).get_page(request.GET.get("page"))
    can_register = can(request.user, Action.PROJECT_REGISTER)
    return render(request, "web/projects.html", {"page": page, "can_register": can_register})


@login_required
@require_http_methods(["GET", "POST"])
def project_register_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, Action.PROJECT_REGISTER):
        raise PermissionDenied
    # a contractor (or employer administrator) chooses among the companies it is bound to; an
    # officer types the contractor's NPP, looked up within the officer's scope
    by_npp = not acts_for_employers(user)
    contractors = Employer.objects.filter(administrators=user).order_by("legal_name")
    error = None
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            result = project_register(
                acting_user=user,  # type: ignore[arg-type]
                contractor_id=_contractor_id(user, request.POST, by_npp=by_npp),
                name=request.POST.get("name", ""),
                owner_name=request.POST.get("owner_name", ""),
                regency_code=request.POST.get("regency", "").strip(),
                work_order_on=_date("work_order_on", request.POST.get("work_order_on", "")),
                contract_value_idr=_int(
                    "contract_value_idr", request.POST.get("contract_value_idr", "")
                ),
                funding=request.POST.get("funding", ""),
                start_on=_date("start_on", request.POST.get("start_on", "")),
                end_on=_date("end_on", request.POST.get("end_on", "")),
            )
        except DomainError as exc:
            error = _error(exc, request)
        else:
            if result.late:
                messages.warning(
                    request,
                    _("Registered after the deadline of %(date)s (14 working days after the SPK).")
                    % {"date": result.deadline_on},
                )
            else:
                messages.success(
                    request, _("Project %(number)s registered.") % {"number": result.project.number}
                )
            return redirect("web:project", project_id=result.project.pk)
    return render(
        request,
        "web/project_form.html",
        {
            "contractors": contractors,
            "by_npp": by_npp,
            "fundings": Funding.choices,
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


def _contractor_id(user: Any, data: Any, *, by_npp: bool) -> int:
    if not by_npp:
        return _id("contractor_id", data.get("contractor_id", ""))
    npp = data.get("contractor_npp", "").strip()
    employer = employers_visible_to(user).filter(npp=npp).first() if npp else None
    if employer is None:
        raise DomainError(
            _("contractor_id: no employer with NPP %(npp)s in your office") % {"npp": repr(npp)},
            field="contractor_id",
            code="employer.not_found",
        )
    return employer.pk


def _project_context(request: HttpRequest, project_id: int) -> dict[str, Any]:
    try:
        project = access_project(request.user, project_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    workers = (
        ProjectWorker.objects.filter(project=project)
        .select_related("participant__person", "replaces__participant__person")
        .order_by("end_on", "-start_on")
    )
    user = request.user
    manages = can(user, Action.PROJECT_WORKER_MANAGE, project)
    return {
        "project": project,
        "workers": workers,
        "current": [w for w in workers if w.end_on is None],
        "bills": [bill_summary(b) for b in project.bills.order_by("instalment")],
        "covered_from": project_covered_from(project),
        "manages": manages,
        "bills_it": can(user, Action.PROJECT_BILL, project),
        "kinds": ProjectWorker.Kind.choices,
        "instalment_choices": range(1, 13),
        "sexes": Sex.choices,
    }


@login_required
def project_page(request: HttpRequest, project_id: int) -> HttpResponse:
    return render(request, "web/project.html", _project_context(request, project_id))


@login_required
@require_POST
def project_worker_add_view(request: HttpRequest, project_id: int) -> HttpResponse:
    context = _project_context(request, project_id)
    if not context["manages"]:
        raise PermissionDenied
    replaces = request.POST.get("replaces") or None
    try:
        _worker, _warnings, late = project_worker_add(
            acting_user=request.user,  # type: ignore[arg-type]
            project_id=project_id,
            nik=request.POST.get("nik", ""),
            full_name=request.POST.get("full_name", ""),
            birth_date=_date("birth_date", request.POST.get("birth_date", "")),
            sex=request.POST.get("sex", ""),
            kind=request.POST.get("kind", ""),
            start_on=_date("start_on", request.POST.get("start_on", "")),
            replaces_id=_id("replaces", replaces) if replaces else None,
        )
    except DomainError as exc:
        context.update({"error": _error(exc, request), "values": request.POST})
        return render(request, "web/project.html", context, status=400)
    if late:
        messages.warning(request, _("Reported more than 7 working days after the start."))
    else:
        messages.success(request, _("The worker is registered on the project."))
    return redirect("web:project", project_id=project_id)


@login_required
@require_POST
def project_worker_end_view(request: HttpRequest, project_id: int, worker_id: int) -> HttpResponse:
    context = _project_context(request, project_id)
    if not context["manages"]:
        raise PermissionDenied
    try:
        project_worker_end(
            acting_user=request.user,  # type: ignore[arg-type]
            worker_id=worker_id,
            end_on=_date("end_on", request.POST.get("end_on", "")),
        )
    except (DomainError, DomainPermissionDenied) as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    else:
        messages.success(request, _("The worker has left the project."))
    return redirect("web:project", project_id=project_id)


@login_required
@require_POST
def project_bill_view(request: HttpRequest, project_id: int) -> HttpResponse:
    context = _project_context(request, project_id)
    if not context["bills_it"]:
        raise PermissionDenied
    try:
        project_bills_issue(
            acting_user=request.user,  # type: ignore[arg-type]
            project_id=project_id,
            instalments=_int("instalments", request.POST.get("instalments", "1")),
        )
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    else:
        messages.success(request, _("The contribution is billed; pay with the codes below."))
    return redirect("web:project", project_id=project_id)


@login_required
@require_http_methods(["GET", "POST"])
def pmi_register_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.PMI_REGISTER):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            placement, _warnings = pmi_register(
                acting_user=request.user,  # type: ignore[arg-type]
                nik=request.POST.get("nik", ""),
                full_name=request.POST.get("full_name", ""),
                birth_date=_date("birth_date", request.POST.get("birth_date", "")),
                sex=request.POST.get("sex", ""),
                agreement_on=_date("agreement_on", request.POST.get("agreement_on", "")),
                destination_country=request.POST.get("destination_country", "").upper(),
                via_agency=request.POST.get("via_agency") == "yes",
                contract_months=_int("contract_months", request.POST.get("contract_months", "")),
            )
        except DomainError as exc:
            error = _error(exc, request)
        else:
            messages.success(request, _("The placement is registered."))
            return redirect("web:pmi", placement_id=placement.pk)
    return render(
        request,
        "web/pmi_form.html",
        {
            "values": request.POST if request.method == "POST" else {},
            "error": error,
            "countries": sorted(COUNTRY_CODES),
            "sexes": Sex.choices,
        },
        status=400 if error else 200,
    )


def _placement(request: HttpRequest, placement_id: int) -> PmiPlacement:
    placement = (
        PmiPlacement.objects.select_related("participant__person", "participant__branch_office")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None or not can_member(request.user, placement.participant, Action.PMI_READ):
        raise Http404
    return placement


@login_required
def pmi_page(request: HttpRequest, placement_id: int) -> HttpResponse:
    placement = _placement(request, placement_id)
    bills = [bill_summary(b) for b in placement.bills.all()]
    return render(request, "web/pmi.html", {"placement": placement, "bills": bills})


@login_required
@require_POST
def pmi_bill_view(request: HttpRequest, placement_id: int) -> HttpResponse:
    _placement(request, placement_id)
    try:
        placement_bill_issue(acting_user=request.user, placement_id=placement_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    else:
        messages.success(request, _("The package is billed."))
    return redirect("web:pmi", placement_id=placement_id)
