"""Branch officer pages: the work queues, wage approval, duplicate people and their merges."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jamsos.accounts.access import Action, can
from jamsos.core.errors import DomainError, NotFound
from jamsos.core.errors import PermissionDenied as DomainPermissionDenied
from jamsos.registry.duplicates import duplicate_candidates, person_merge, person_merge_undo
from jamsos.registry.employment import pu_wage_approve
from jamsos.registry.models import PersonMerge
from jamsos.registry.queues import officer_queues


def _officer(request: HttpRequest) -> None:
    if not can(request.user, Action.BRANCH_QUEUES):
        raise PermissionDenied


@login_required
def queues_page(request: HttpRequest) -> HttpResponse:
    _officer(request)
    return render(request, "web/queues.html", officer_queues(user=request.user))  # type: ignore[arg-type]


@login_required
@require_POST
def wage_approve_view(request: HttpRequest, wage_id: int) -> HttpResponse:
    _officer(request)
    try:
        pu_wage_approve(acting_user=request.user, wage_record_id=wage_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    except DomainPermissionDenied:
        raise PermissionDenied from None
    messages.success(request, _("The wage is approved; the next bill uses it."))
    return redirect("web:queues")


@login_required
def duplicates_page(request: HttpRequest) -> HttpResponse:
    _officer(request)
    merges = (
        PersonMerge.objects.filter(merged_by=request.user)
        .select_related("kept", "merged")
        .order_by("-merged_at")[:20]
    )
    return render(
        request,
        "web/duplicates.html",
        {"candidates": duplicate_candidates(user=request.user), "merges": merges},  # type: ignore[arg-type]
    )


@login_required
@require_POST
def merge_view(request: HttpRequest) -> HttpResponse:
    _officer(request)
    try:
        person_merge(
            acting_user=request.user,  # type: ignore[arg-type]
            kept_id=int(request.POST.get("kept_id", "0") or 0),
            merged_id=int(request.POST.get("merged_id", "0") or 0),
            reason=request.POST.get("reason", "")[:2000],
        )
    except (DomainError, ValueError) as exc:
        text = exc.page_message(request.LANGUAGE_CODE) if isinstance(exc, DomainError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, _("The two records are merged. The merge can be undone."))
    return redirect("web:duplicates")


@login_required
@require_POST
def merge_undo_view(request: HttpRequest, merge_id: int) -> HttpResponse:
    _officer(request)
    try:
        person_merge_undo(
            acting_user=request.user,  # type: ignore[arg-type]
            merge_id=merge_id,
            reason=request.POST.get("reason", "")[:2000],
        )
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    else:
        messages.success(request, _("The merge is undone; each record has its cards back."))
    return redirect("web:duplicates")
