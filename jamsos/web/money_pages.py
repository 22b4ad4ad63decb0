"""Money pages: an employer's statement and bills, arrears for officers, a member's cards,
payments, cover and JHT statement (page and PDF), and the billing run for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.accounts.access import Action, access_employer, can, offices_visible_to
from jamsos.contributions.bpu import bpu_payment_request
from jamsos.contributions.jht import jht_statement
from jamsos.contributions.selectors import (
    AGE_BUCKETS,
    access_bill,
    access_member,
    arrears,
    bill_detail,
    employer_statement,
    jht_balance_read,
    member_statement,
    own_participants,
    payment_ways,
)
from jamsos.core.errors import DomainError, NotFound
from jamsos.core.errors import PermissionDenied as DomainPermissionDenied
from jamsos.core.exports import attachment
from jamsos.jobs.models import ACTIVE, Job
from jamsos.jobs.services import job_enqueue
from jamsos.registry.enrolment import mask_nik
from jamsos.web.pdf import jht_statement_pdf, participant_card_pdf


@login_required
def employer_statement_page(request: HttpRequest, employer_id: int) -> HttpResponse:
    try:
        employer = access_employer(request.user, employer_id)  # type: ignore[arg-type]
        statement = employer_statement(request.user, employer_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    return render(request, "web/statement.html", {"employer": employer, "statement": statement})


@login_required
def bill_page(request: HttpRequest, payment_code: str) -> HttpResponse:
    try:
        bill = access_bill(request.user, payment_code)  # type: ignore[arg-type]
        detail = bill_detail(request.user, payment_code, line_limit=0)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    lines = bill.lines.select_related("employment__participant__person", "citation").order_by(
        "employment_id", "programme", "payer"
    )
    page = Paginator(lines, 60).get_page(request.GET.get("page"))
    settled = bill.cancelled_at or bill.paid_on or bill.outstanding_idr <= 0
    return render(
        request,
        "web/bill.html",
        {
            "bill": bill,
            "detail": detail,
            "page": page,
            "ways": None if settled else payment_ways(bill),
            "sponsor_view": can(request.user, Action.SPONSOR_ENROL),
        },
    )


@login_required
def arrears_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.ARREARS_READ):
        raise PermissionDenied
    branch_id = request.GET.get("branch") or None
    _regions, branches = offices_visible_to(request.user)
    try:
        chosen = int(branch_id) if branch_id else None
    except ValueError:
        chosen = None
    rows = arrears(request.user, branch_office_id=chosen)  # type: ignore[arg-type]
    totals = {name: sum(r[name] for r in rows) for name, _l, _h in AGE_BUCKETS}
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/arrears.html",
        {
            "page": page,
            "rows": page.object_list,
            "totals": totals,
            "total": sum(r["total_idr"] for r in rows),
            "branches": branches,
            "chosen": chosen,
        },
    )


@login_required
def my_cards_page(request: HttpRequest) -> HttpResponse:
    """A participant's own cards: status, cover end, payments and JHT."""
    cards, person = [], None
    for participant in own_participants(request.user):  # type: ignore[arg-type]
        person = participant.person
        cards.append(member_statement(request.user, participant.kpj))  # type: ignore[arg-type]
    return render(
        request,
        "web/my_cards.html",
        {
            "cards": cards,
            "person": person,
            "nik": mask_nik(person.nik) if person else "",
            "months": range(1, 13),
            "can_link": can(request.user, Action.CARD_LINK),
            "can_register": can(request.user, Action.BPU_REGISTER),
        },
    )


@login_required
@require_POST
def member_pay_view(request: HttpRequest, kpj: str) -> HttpResponse:
    """Ask for a payment code for 1 to 12 months (the member or their sponsor)."""
    try:
        months = int(request.POST.get("months", ""))
    except ValueError:
        months = 0
    try:
        bill = bpu_payment_request(acting_user=request.user, kpj=kpj, months=months)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.page_message(request.LANGUAGE_CODE))
    else:
        messages.success(
            request,
            _("Pay %(amount)s with payment code %(code)s by %(due)s.")
            % {
                "amount": f"Rp{bill.total_idr:,}".replace(",", "."),
                "code": bill.payment_code,
                "due": date_format(bill.due_on, "l, j F Y"),
            },
        )
        return redirect("web:bill", payment_code=bill.payment_code)
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("web:my_cards")
    return redirect(back)


def _statement_year(request: HttpRequest) -> int:
    """The year asked for; the current year (the balance so far) by default."""
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
def jht_page(request: HttpRequest, kpj: str) -> HttpResponse:
    try:
        participant = access_member(request.user, kpj)  # type: ignore[arg-type]
        balance = jht_balance_read(request.user, participant)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    except DomainPermissionDenied:
        raise PermissionDenied from None
    year = _statement_year(request)
    statement = jht_statement(participant, year)
    return render(
        request,
        "web/jht.html",
        {
            "participant": participant,
            "statement": statement,
            "balance": balance,
            "years": range(timezone.localdate().year, 2014, -1),
        },
    )


@login_required
def jht_pdf(request: HttpRequest, kpj: str) -> HttpResponse:
    try:
        participant = access_member(request.user, kpj)  # type: ignore[arg-type]
        jht_balance_read(request.user, participant, "statement_pdf")  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    except DomainPermissionDenied:
        raise PermissionDenied from None
    year = _statement_year(request)
    content = jht_statement_pdf(jht_statement(participant, year), request.LANGUAGE_CODE)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"jht-{kpj}-{year}.pdf")
    return response


@login_required
def card_pdf(request: HttpRequest, kpj: str) -> HttpResponse:
    """The participant's card as a PDF (their own, or one an officer may see)."""
    try:
        participant = access_member(request.user, kpj)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    response = HttpResponse(
        participant_card_pdf(participant, request.LANGUAGE_CODE), content_type="application/pdf"
    )
    response["Content-Disposition"] = attachment(f"kartu-{kpj}.pdf")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def billing_run_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.BILLING_RUN):
        raise PermissionDenied
    error, active = None, None
    today = timezone.localdate()
    period = request.POST.get("period") or f"{today.year}-{today.month:02d}"
    if request.method == "POST":
        # the run goes to the worker; the job's page shows its progress
        try:
            job = job_enqueue(acting_user=request.user, kind="billing_run", period=period)  # type: ignore[arg-type]
        except DomainError as exc:
            error = exc.page_message(request.LANGUAGE_CODE)
            active = Job.objects.filter(
                kind="billing_run", period=period, status__in=ACTIVE
            ).first()
        else:
            return redirect("web:job", job_id=job.pk)
    recent = Job.objects.filter(kind="billing_run").order_by("-pk")[:12]
    return render(
        request,
        "web/billing_run.html",
        {"period": period, "error": error, "active": active, "recent": recent},
    )
