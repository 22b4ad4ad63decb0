"""BPU self-registration pages (phone first): the form, then the phone code."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jamsos.accounts.access import Action, can
from jamsos.contributions.selectors import sponsored_members
from jamsos.core.errors import DomainError
from jamsos.core.net import client_address
from jamsos.registry.enrolment import (
    bpu_register,
    phone_code_resend,
    phone_verify,
)
from jamsos.registry.linking import person_link_confirm, person_link_start
from jamsos.registry.models import Occupation, Participant, PayerGroup, PayerType, Sex
from jamsos.web.throttles import is_post, public_rate_limit

FIELDS = (
    "code",
    "nik",
    "full_name",
    "birth_date",
    "sex",
    "phone",
    "occupation",
    "income_idr",
    "with_jht",
    "payer_type",
    "payer_group",
)


def _error(exc: DomainError) -> dict[str, str | None]:
    message = exc.page_message(get_language())
    if exc.field and exc.field in FIELDS:
        message = message.removeprefix(f"{exc.field}: ")
    return {"field": exc.field, "message": message}


@require_http_methods(["GET", "POST"])
@public_rate_limit(only_with=is_post)
def bpu_registration_page(request: HttpRequest) -> HttpResponse:
    """Anyone may register (a NIK new to Jamsos); a signed-in user only with a role that
    registers informal workers (their own record, a sponsored worker, at the counter)."""
    if request.user.is_authenticated and not can(request.user, Action.BPU_REGISTER):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        income = re.sub(r"[\s.,]|^Rp", "", data.get("income_idr", ""), flags=re.IGNORECASE)
        try:
            birth = date.fromisoformat(data.get("birth_date", ""))
        except ValueError:
            error = {"field": "birth_date", "message": _("Enter a date (day, month, year).")}
        if error is None and not (income.isascii() and income.isdigit()):
            error = {"field": "income_idr", "message": _("Enter the income in whole rupiah.")}
        if error is None:
            try:
                registration = bpu_register(
                    acting_user=request.user if request.user.is_authenticated else None,
                    nik=data.get("nik", ""),
                    full_name=data.get("full_name", ""),
                    birth_date=birth,
                    sex=data.get("sex", ""),
                    phone=data.get("phone", ""),
                    occupation=data.get("occupation", ""),
                    income_idr=int(income),
                    programmes=["JKK", "JKM", "JHT"] if data.get("with_jht") else ["JKK", "JKM"],
                    payer_type=data.get("payer_type", "self"),
                    payer_group=data.get("payer_group", ""),
                    address=client_address(request),
                )
            except DomainError as exc:
                error = _error(exc)
            else:
                request.session["registered_kpj"] = registration.participant.kpj
                for warning in registration.warnings:
                    messages.warning(
                        request,
                        warning.message_id if get_language() == "id" else warning.message_en,
                    )
                if registration.phone_verification == "sent":
                    return redirect("web:bpu_verify", kpj=registration.participant.kpj)
                messages.success(
                    request,
                    _("Registered with card number (KPJ) %(kpj)s.")
                    % {"kpj": registration.participant.kpj},
                )
                if registration.phone_verification == "none":
                    messages.info(
                        request,
                        _("There is no phone number on the record; a branch office records one."),
                    )
                return redirect(
                    "web:sponsor" if can(request.user, Action.SPONSOR_ENROL) else "web:my_cards"
                )
    context: dict[str, Any] = {
        "data": data,
        "error": error,
        "sexes": Sex.choices,
        "occupations": Occupation.choices,
        "payer_types": PayerType.choices,
        "payer_groups": PayerGroup.choices,
    }
    return render(request, "web/bpu_register.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@public_rate_limit(only_with=is_post)
def bpu_verify_page(request: HttpRequest, kpj: str) -> HttpResponse:
    # Only the browser that just registered may see this page for that KPJ.
    if (
        request.session.get("registered_kpj") != kpj
        or not Participant.objects.filter(kpj=kpj).exists()
    ):
        raise Http404
    error = None
    verified = False
    if request.method == "POST":
        try:
            if request.POST.get("action") == "resend":
                phone_code_resend(kpj=kpj, address=client_address(request))
                messages.info(request, _("A new code has been sent."))
            else:
                phone_verify(kpj=kpj, code=request.POST.get("code", "").strip())
                verified = True
        except DomainError as exc:
            error = _error(exc)
    return render(
        request,
        "web/bpu_verify.html",
        {"kpj": kpj, "error": error, "verified": verified},
        status=400 if error else 200,
    )


@login_required
def sponsor_page(request: HttpRequest) -> HttpResponse:
    """A sponsor's workers (Sertakan) and the way to register another."""
    try:
        workers = sponsored_members(user=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        return render(
            request, "web/error.html", {"message": exc.page_message(get_language())}, status=403
        )
    return render(request, "web/sponsor.html", {"workers": workers, "months": range(1, 13)})


def _may_link(request: HttpRequest) -> None:
    """Refuse (403) a role the access gate does not let link a login to a record."""
    if not can(request.user, Action.CARD_LINK):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def person_link_page(request: HttpRequest) -> HttpResponse:
    """A participant links their login to their record: NIK, name and birth date, then the
    code sent to the phone already on the record. Only a role that may link (a participant's
    own login) is shown the page; the service asks the gate again."""
    _may_link(request)
    data = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        try:
            birth = date.fromisoformat(data.get("birth_date", ""))
        except ValueError:
            error = {"field": "birth_date", "message": _("Enter a date (day, month, year).")}
        if error is None:
            try:
                phone = person_link_start(
                    acting_user=request.user,  # type: ignore[arg-type]
                    nik=data.get("nik", ""),
                    full_name=data.get("full_name", ""),
                    birth_date=birth,
                    address=client_address(request),
                )
            except DomainError as exc:
                error = _error(exc)
            else:
                request.session["link_phone"] = phone
                return redirect("web:person_link_code")
    return render(
        request,
        "web/person_link.html",
        {"data": data, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_link_code_page(request: HttpRequest) -> HttpResponse:
    _may_link(request)
    phone = request.session.get("link_phone")
    if not phone:
        return redirect("web:person_link")
    error = None
    if request.method == "POST":
        try:
            person_link_confirm(
                acting_user=request.user,  # type: ignore[arg-type]
                code=request.POST.get("code", "").strip(),
            )
        except DomainError as exc:
            error = _error(exc)
        else:
            request.session.pop("link_phone", None)
            messages.success(request, _("Your login is linked to your record."))
            return redirect("web:my_cards")
    return render(
        request,
        "web/person_link_code.html",
        {"phone": phone, "error": error},
        status=400 if error else 200,
    )
