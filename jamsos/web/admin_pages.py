"""The system administrator's pages: users (create, deactivate, reset the second factor, lift
a sign-in lock), payment channels and the rule tables. Each calls the service the ``jamsos``
command calls (``createuser``, ``deactivateuser``, ``reset2fa``, ``unlock``, ``payments
channel``), so the gate and the audit trail are the same."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jamsos.accounts.access import Action, require
from jamsos.accounts.lockout import signin_unlock
from jamsos.accounts.models import RoleChoices
from jamsos.accounts.services import user_create, user_deactivate, user_list
from jamsos.accounts.twofactor import second_factor_reset
from jamsos.contributions.models import PaymentChannel
from jamsos.contributions.payments import channel_create
from jamsos.core.errors import DomainError
from jamsos.registry.models import BranchOffice, RegionalOffice
from jamsos.rules.calc.tables import rule_book
from jamsos.rules.horizon import horizon_on
from jamsos.web.views import horizon_rows

FIELDS = ("username", "full_name", "role", "branch", "region", "employers")


def _error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.page_message(request.LANGUAGE_CODE))


@login_required
@require_http_methods(["GET", "POST"])
def users_page(request: HttpRequest) -> HttpResponse:
    """The list of users and the form to create one (with a one-time password shown once)."""
    require(request.user, Action.USER_CREATE)
    values = {name: request.POST.get(name, "")[:200].strip() for name in FIELDS}
    error: DomainError | None = None
    if request.method == "POST":
        password = secrets.token_urlsafe(12)
        try:
            created = user_create(
                acting_user=request.user,  # type: ignore[arg-type]
                username=values["username"],
                password=password,
                role=values["role"],
                full_name=values["full_name"],
                branch_office_code=values["branch"] or None,
                regional_office_code=values["region"] or None,
                employer_npps=[n for n in values["employers"].replace(",", " ").split() if n],
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                _(
                    "User %(username)s is created. Their first password is %(password)s: give "
                    "it to them in person; it is not shown again."
                )
                % {"username": created.username, "password": password},
            )
            return redirect("web:users")
    query = request.GET.get("q", "")[:150]
    return render(
        request,
        "web/users.html",
        {
            "rows": user_list(acting_user=request.user, query=query),  # type: ignore[arg-type]
            "q": query,
            "values": values,
            "error": (
                {"field": error.field, "message": error.page_message(request.LANGUAGE_CODE)}
                if error
                else None
            ),
            "roles": RoleChoices.choices,
            "branches": BranchOffice.objects.order_by("code"),
            "regions": RegionalOffice.objects.order_by("code"),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def user_action_view(request: HttpRequest, username: str, what: str) -> HttpResponse:
    """Deactivate a user, reset their second factor or lift their sign-in lock."""
    if what not in ("deactivate", "reset2fa", "unlock"):
        raise Http404
    try:
        if what == "deactivate":
            user_deactivate(
                acting_user=request.user,  # type: ignore[arg-type]
                username=username,
                reason=request.POST.get("reason", "")[:2000],
            )
            messages.success(
                request, _("%(username)s may no longer sign in.") % {"username": username}
            )
        elif what == "reset2fa":
            second_factor_reset(acting_user=request.user, username=username)  # type: ignore[arg-type]
            messages.success(
                request,
                _("%(username)s sets up two-step verification again at the next sign-in.")
                % {"username": username},
            )
        else:
            signin_unlock(acting_user=request.user, username=username)  # type: ignore[arg-type]
            messages.success(request, _("%(username)s may sign in again.") % {"username": username})
    except DomainError as exc:
        _error(request, exc)
    return redirect("web:users")


@login_required
@require_http_methods(["GET", "POST"])
def channels_page(request: HttpRequest) -> HttpResponse:
    """The payment channels; a new one's signing secret is shown once, to give the bank."""
    require(request.user, Action.CHANNEL_CREATE)
    secret = ""
    if request.method == "POST":
        try:
            channel, secret = channel_create(
                acting_user=request.user,  # type: ignore[arg-type]
                code=request.POST.get("code", "")[:32],
                name=request.POST.get("name", "")[:100],
            )
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Channel %(code)s is registered.") % {"code": channel.code})
    return render(
        request,
        "web/channels.html",
        {"channels": PaymentChannel.objects.order_by("code"), "secret": secret},
    )


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    """The rule tables as they are in force and to come: each version's dates, figures and legal
    basis, by data file, and the tables that end or are due for renewal soon. Read only: rules
    change by a reviewed change to the data files (docs/rules.md)."""
    require(request.user, Action.RULE_HORIZON)
    book = rule_book()
    today = timezone.localdate()
    files: list[dict[str, Any]] = []
    for source, rule_ids in sorted(book.sources.items()):
        versions = [v for rule in rule_ids for v in book.rules.get(rule, ())]
        files.append(
            {
                "source": source,
                "versions": [
                    {
                        "rule": v.rule + (f" · {v.key}" if v.key else ""),
                        "effective_from": v.effective_from,
                        "effective_to": v.effective_to,
                        "figures": ", ".join(f"{k} {x}" for k, x in v.values.items() if x),
                        "legal_basis": v.legal_basis,
                        "status": v.status,
                        "in_force": v.in_force(today),
                    }
                    for v in versions
                ],
            }
        )
    return render(
        request,
        "web/rules.html",
        {"files": files, "rule_horizon": horizon_rows(horizon_on(today)), "today": today},
    )
