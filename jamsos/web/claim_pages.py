"""Claim pages: a member files and follows claims; officers work the queue and decide."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.accounts.access import Action, can, claims_visible_to
from jamsos.benefits.claims import (
    HEIR_KINDS,
    TRANSITIONS,
    ClaimRequest,
    access_claim,
    claim_file,
    claim_transition,
    second_approval_needed,
)
from jamsos.benefits.documents import CHECKLISTS, document_read, document_upload, documents_open
from jamsos.benefits.models import Claim, ClaimKind, ClaimStatus
from jamsos.benefits.selectors import claim_json, claim_queue
from jamsos.contributions.selectors import own_participants
from jamsos.core.errors import DomainError, NotFound
from jamsos.core.exports import attachment
from jamsos.web.templatetags.jamsos import RELATIONS

MEMBER_KINDS = [k for k in ClaimKind.choices if k[0] not in HEIR_KINDS]


@login_required
def my_claims_page(request: HttpRequest) -> HttpResponse:
    claims = [claim_json(c) for c in claims_visible_to(request.user).order_by("-filed_at")[:100]]  # type: ignore[arg-type]
    return render(request, "web/claims.html", {"claims": claims})


@login_required
@require_http_methods(["GET", "POST"])
def claim_new_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    officer = can(user, Action.CLAIM_FILE_FOR_MEMBER)
    cards = list(own_participants(user))  # type: ignore[arg-type]
    if not officer and not cards:
        raise PermissionDenied
    error = None
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        died = request.POST.get("event_on") or ""
        try:
            event_on = date.fromisoformat(died) if died else None
        except ValueError:
            event_on = None
        try:
            claim = claim_file(
                acting_user=user,  # type: ignore[arg-type]
                request=ClaimRequest(
                    kpj=request.POST.get("kpj", "").strip(),
                    kind=request.POST.get("kind", ""),
                    bank_code=request.POST.get("bank_code", ""),
                    bank_account=request.POST.get("bank_account", ""),
                    claimant_name=request.POST.get("claimant_name", ""),
                    claimant_relation=request.POST.get("claimant_relation", "") or "self",
                    event_on=event_on,
                ),
            )
        except NotFound as exc:
            error = {"field": "kpj", "message": exc.page_message(request.LANGUAGE_CODE)}
        except DomainError as exc:
            error = {"field": exc.field, "message": exc.page_message(request.LANGUAGE_CODE)}
        else:
            if claim.status == "rejected":
                messages.error(request, _("The claim cannot be paid now; the reasons are below."))
            elif claim.status == "paid":
                messages.success(request, _("The claim is paid to your bank account."))
            else:
                messages.success(request, _("The claim is filed; upload the documents below."))
            return redirect("web:claim", number=claim.number)
    return render(
        request,
        "web/claim_form.html",
        {
            "officer": officer,
            "cards": cards,
            "kinds": ClaimKind.choices if officer else MEMBER_KINDS,
            "relations": [(c, n) for c, n in RELATIONS.items() if c not in ("employer", "self")],
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def claim_page(request: HttpRequest, number: str) -> HttpResponse:
    try:
        claim = access_claim(request.user, number)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    officer = can(request.user, Action.CLAIM_DECIDE)
    actions = [
        action
        for action, (starts, _target) in TRANSITIONS.items()
        if claim.status in starts
        and (officer or action == "resubmit")
        and _may_take(request.user.pk, claim, action)
    ]
    return render(
        request,
        "web/claim.html",
        {
            "claim": claim,
            "data": claim_json(claim, full=True),
            "actions": actions,
            "checklist": CHECKLISTS.get(claim.kind, ()),
            "can_upload": can(request.user, Action.CLAIM_DOCUMENT_UPLOAD) and documents_open(claim),
            "paid_out": hasattr(claim, "payout") or claim.status == ClaimStatus.PAID,
        },
    )


def _may_take(user_id: int | None, claim: Claim, action: str) -> bool:
    """Whether this officer may take the step on this claim, as the service will decide: the
    approver is neither the verifier nor the officer who filed it; a second approval only where
    the payout is above the four-eyes threshold, by a third officer."""
    if action == "approve":
        return user_id not in (claim.verified_by_id, claim.filed_by_id)
    if action == "second_approve":
        return (
            second_approval_needed(claim)
            and not claim.second_approved_by_id
            and user_id not in (claim.verified_by_id, claim.approved_by_id, claim.filed_by_id)
        )
    if action == "pay":
        return not second_approval_needed(claim) or bool(claim.second_approved_by_id)
    return True


@login_required
@require_POST
def claim_action_view(request: HttpRequest, number: str) -> HttpResponse:
    try:
        claim_transition(
            acting_user=request.user,  # type: ignore[arg-type]
            number=number,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", "")[:2000],
            override_reason=request.POST.get("override_reason", "")[:2000],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    return redirect("web:claim", number=number)


@login_required
@require_POST
def claim_document_view(request: HttpRequest, number: str) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        document_upload(
            acting_user=request.user,  # type: ignore[arg-type]
            number=number,
            item=request.POST.get("item", ""),
            filename=upload.name if upload else "",
            content=upload.read(5 * 1024 * 1024 + 1) if upload else b"",
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    else:
        messages.success(request, _("The document is uploaded."))
    return redirect("web:claim", number=number)


@login_required
def claim_document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document, content = document_read(acting_user=request.user, document_id=document_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = attachment(document.filename)
    return response


@login_required
def claim_queue_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.CLAIM_QUEUE):
        raise PermissionDenied
    programme = request.GET.get("programme", "")
    if programme not in ("", "JHT", "JKP", "JKM"):
        programme = ""
    claims = claim_queue(request.user, programme=programme)  # type: ignore[arg-type]
    return render(
        request,
        "web/claim_queue.html",
        {"claims": claims, "programme": programme, "programmes": ("JHT", "JKP", "JKM")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def accidents_page(request: HttpRequest) -> HttpResponse:
    """An employer reports work accidents (stage I) and closes them (stage II)."""
    from datetime import datetime

    from django.utils import timezone

    from jamsos.benefits.accidents import accident_report, accidents_visible_to
    from jamsos.benefits.models import AccidentCase
    from jamsos.registry.models import Employment

    user = request.user
    if not can(user, Action.ACCIDENT_REPORT):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            occurred = datetime.fromisoformat(request.POST.get("occurred_at", ""))
            if timezone.is_naive(occurred):
                occurred = timezone.make_aware(occurred)
        except ValueError:
            error = {"field": "occurred_at", "message": _("occurred_at: enter a date and time")}
        else:
            try:
                report = accident_report(
                    acting_user=user,  # type: ignore[arg-type]
                    employment_id=int(request.POST.get("employment_id") or 0),
                    occurred_at=occurred,
                    place=request.POST.get("place", ""),
                    description=request.POST.get("description", ""),
                )
            except NotFound:
                error = {"field": "employment_id", "message": _("No such worker.")}
            except DomainError as exc:
                error = {"field": exc.field, "message": exc.page_message(request.LANGUAGE_CODE)}
            else:
                if report.late:
                    messages.warning(
                        request,
                        _(
                            "Reported after 2 x 24 hours: the benefits are the employer's duty, "
                            "reimbursed on request."
                        ),
                    )
                else:
                    messages.success(request, _("The accident is reported."))
                return redirect("web:accidents")
    workers = (
        Employment.objects.filter(employer__administrators=user, end_on__isnull=True)
        .select_related("participant__person", "employer")
        .order_by("participant__person__full_name")[:500]
        if can(user, Action.ACCIDENT_REPORT)
        else Employment.objects.none()
    )
    return render(
        request,
        "web/accidents.html",
        {
            "reports": accidents_visible_to(user).order_by("-occurred_at")[:100],  # type: ignore[arg-type]
            "workers": workers,
            "cases": AccidentCase.choices,
            "error": error,
            "values": request.POST if request.method == "POST" else {},
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def accident_close_view(request: HttpRequest, number: str) -> HttpResponse:
    from jamsos.benefits.accidents import accident_close

    try:
        claim = accident_close(
            acting_user=request.user,  # type: ignore[arg-type]
            number=number,
            case=request.POST.get("case", ""),
            stmb_months=int(request.POST.get("stmb_months") or 0),
            disability_percent=request.POST.get("disability_percent") or None,
            bank_code=request.POST.get("bank_code", ""),
            bank_account=request.POST.get("bank_account", ""),
            claimant_name=request.POST.get("claimant_name", ""),
        )
    except NotFound:
        raise Http404 from None
    except (DomainError, ValueError) as exc:
        text = exc.page_message(request.LANGUAGE_CODE) if isinstance(exc, DomainError) else str(exc)
        messages.error(request, text)
        return redirect("web:accidents")
    messages.success(request, _("The case is closed and the JKK claim filed."))
    return redirect("web:claim", number=claim.number)


@login_required
@require_POST
def accident_stmb_view(request: HttpRequest, number: str) -> HttpResponse:
    """The employer claims one month of STMB while the case is open."""
    from jamsos.benefits.accidents import accident_stmb_month

    try:
        claim = accident_stmb_month(
            acting_user=request.user,  # type: ignore[arg-type]
            number=number,
            month=request.POST.get("month", ""),
            bank_code=request.POST.get("bank_code", ""),
            bank_account=request.POST.get("bank_account", ""),
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
        return redirect("web:accidents")
    messages.success(request, _("The month's STMB is claimed."))
    return redirect("web:claim", number=claim.number)
