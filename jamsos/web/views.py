"""Pages. Views parse input, call a service or selector, and render; no rules live here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jamsos import __version__
from jamsos.accounts.access import (
    Action,
    access_employer,
    can,
    can_verify_employer,
    employers_visible_to,
    is_signed_in,
)
from jamsos.core.errors import DomainError, NotFound
from jamsos.core.errors import PermissionDenied as DomainPermissionDenied
from jamsos.core.selectors import AuditFilter, audit_events
from jamsos.registry.models import EmployerStatus, EnterpriseSize
from jamsos.registry.services import employer_verify
from jamsos.rules.horizon import Horizon, horizon_on
from jamsos.web.member_pages import member_summary


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with ``database: ok`` when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any failure to reach the database is "down"
        database = "unavailable"
    ok = database == "ok"
    return JsonResponse(
        {
            "status": "ok" if ok else "degraded",
            "database": database,
            # rule tables ending or due for renewal within 120 days: a warning, not an outage
            "rules": horizon_on(timezone.localdate()).status,
            "version": __version__,
        },
        status=200 if ok else 503,
    )


# What each kind of user is pointed to on the home page: (title, text, url name or None),
# keyed by the role's name. This is wording only: a guide is shown when the gate lets the user
# open its page (``_guides``), and the page asks the gate again.
ROLE_GUIDES: dict[str, list[tuple[str, str, str | None]]] = {
    "participant": [
        (
            gettext_lazy("Your membership"),
            gettext_lazy("Your card, payments, cover end date and JHT balance."),
            "web:my_cards",
        ),
        (
            gettext_lazy("Claims"),
            gettext_lazy("Claim your JHT or JKP, follow the status and the reasons."),
            "web:claims",
        ),
    ],
    "sponsor": [
        (
            gettext_lazy("Workers you sponsor"),
            gettext_lazy("Register and pay for the workers around you (Sertakan)."),
            "web:sponsor",
        ),
    ],
    "employer_admin": [
        (
            gettext_lazy("Your companies"),
            gettext_lazy("See your registered companies, workers, bills and payments."),
            "web:employers",
        ),
        (
            gettext_lazy("Work accidents"),
            gettext_lazy("Report an accident within 2 x 24 hours and follow the JKK claim."),
            "web:accidents",
        ),
    ],
    "contractor": [
        (
            gettext_lazy("Construction projects"),
            gettext_lazy("Register projects and pay the project contribution."),
            "web:projects",
        ),
    ],
    "branch_officer": [
        (
            gettext_lazy("Claims queue"),
            gettext_lazy("Open claims by service deadline, with overdue flags."),
            "web:claim_queue",
        ),
        (
            gettext_lazy("Work queues"),
            gettext_lazy("Employers to verify, wages to approve, duplicates, late reports."),
            "web:queues",
        ),
        (
            gettext_lazy("Construction projects"),
            gettext_lazy("Projects of your branch, their workers and contributions."),
            "web:projects",
        ),
        (
            gettext_lazy("Migrant workers"),
            gettext_lazy("Register a migrant worker's placement and bill the package."),
            "web:pmi_new",
        ),
        (
            gettext_lazy("Participants"),
            gettext_lazy("Find a participant by NIK, KPJ or name."),
            "web:participants",
        ),
        (
            gettext_lazy("Employers of your branch"),
            gettext_lazy("Verify registrations and follow up arrears."),
            "web:employers",
        ),
        (
            gettext_lazy("Arrears"),
            gettext_lazy("Employers with bills past due, by days past due."),
            "web:arrears",
        ),
    ],
    "claims_officer": [
        (
            gettext_lazy("Claims queue"),
            gettext_lazy("Open claims by service deadline, with overdue flags."),
            "web:claim_queue",
        ),
        (
            gettext_lazy("Participants"),
            gettext_lazy("Find a participant by NIK, KPJ or name."),
            "web:participants",
        ),
        (
            gettext_lazy("Employers"),
            gettext_lazy("Look up employers when checking a claim."),
            "web:employers",
        ),
    ],
    "regional_head": [
        (
            gettext_lazy("Coverage and money"),
            gettext_lazy("Active participants, participation rate, contributions by month."),
            "web:reports",
        ),
        (
            gettext_lazy("Employers of your region"),
            gettext_lazy("Coverage of your region's branches."),
            "web:employers",
        ),
        (
            gettext_lazy("Arrears"),
            gettext_lazy("Employers with bills past due, by days past due."),
            "web:arrears",
        ),
    ],
    "auditor": [
        (
            gettext_lazy("Audit trail"),
            gettext_lazy("Every change with who, when and why. Read only."),
            "web:audit",
        ),
        (gettext_lazy("Employers"), gettext_lazy("All registered employers."), "web:employers"),
    ],
    "system_admin": [
        (
            gettext_lazy("Audit trail"),
            gettext_lazy("Every change with who, when and why."),
            "web:audit",
        ),
        (gettext_lazy("Employers"), gettext_lazy("All registered employers."), "web:employers"),
        (
            gettext_lazy("Monthly billing"),
            gettext_lazy("Issue the month's bills (safe to run again)."),
            "web:billing_run",
        ),
        (
            gettext_lazy("Jobs"),
            gettext_lazy("Queued and running work, its progress, retries."),
            "web:jobs",
        ),
        (
            gettext_lazy("Bank settlement files"),
            gettext_lazy("Reconcile a channel's day of payments with the notifications."),
            "web:settlements",
        ),
    ],
}


#: The action a guide's page needs (pages not listed need only a signed-in user).
GUIDE_ACTIONS: dict[str, Action] = {
    "web:claim_queue": Action.CLAIM_QUEUE,
    "web:queues": Action.BRANCH_QUEUES,
    "web:projects": Action.PROJECT_READ,
    "web:pmi_new": Action.PMI_REGISTER,
    "web:participants": Action.PARTICIPANT_READ,
    "web:employers": Action.EMPLOYER_READ,
    "web:arrears": Action.ARREARS_READ,
    "web:reports": Action.REPORT_READ,
    "web:audit": Action.AUDIT_READ,
    "web:billing_run": Action.BILLING_RUN,
    "web:settlements": Action.SETTLEMENT_READ,
    "web:sponsor": Action.SPONSOR_ENROL,
    "web:accidents": Action.ACCIDENT_READ,
}


def _guides(request: HttpRequest) -> list[tuple[str, str, str | None]]:
    if not is_signed_in(request.user):
        return []
    return [
        guide
        for guide in ROLE_GUIDES.get(str(request.user.role), [])  # type: ignore[union-attr]
        if guide[2] not in GUIDE_ACTIONS or can(request.user, GUIDE_ACTIONS[guide[2]])
    ]


def home(request: HttpRequest) -> HttpResponse:
    guides = _guides(request)
    rule_horizon = None
    if can(request.user, Action.RULE_HORIZON):
        rule_horizon = horizon_rows(horizon_on(timezone.localdate()))
    return render(
        request,
        "web/home.html",
        {"guides": guides, "rule_horizon": rule_horizon, "member": member_summary(request.user)},
    )


HORIZON_KINDS = {
    "ends": gettext_lazy("ends"),
    "provisional": gettext_lazy("turns provisional"),
    "renewal_due": gettext_lazy("due for renewal"),
}
HORIZON_USERS = {
    "billing": gettext_lazy("billing"),
    "payments": gettext_lazy("payments"),
    "projects and PMI bills": gettext_lazy("projects and PMI bills"),
    "claims": gettext_lazy("claims"),
    "pension payroll": gettext_lazy("pension payroll"),
    "JHT returns": gettext_lazy("JHT returns"),
    "simulations": gettext_lazy("simulations"),
    "reports": gettext_lazy("reports"),
}


def horizon_rows(result: Horizon) -> list[dict[str, Any]]:
    """The horizon's findings as the home page lists them, in the page's language."""
    return [
        {
            "table": f.table,
            "kind": HORIZON_KINDS[f.kind],
            "on": f.on,
            "days_left": (f.on - result.today).days,
            "used_by": ", ".join(str(HORIZON_USERS[u]) for u in f.used_by),
        }
        for f in result.findings
    ]


@login_required
def employer_list(request: HttpRequest) -> HttpResponse:
    qs = employers_visible_to(request.user)  # type: ignore[arg-type]
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(legal_name__icontains=query) | qs.filter(npp=query)
    # the filters the report tables link with (an unknown value is ignored, not an error)
    filters = {}
    for name, choices in (
        ("size", EnterpriseSize.values),
        ("status", EmployerStatus.values),
    ):
        value = request.GET.get(name, "")
        if value in choices:
            filters[name] = value
    branch = request.GET.get("branch", "")
    if branch:
        filters["branch_office__code"] = branch
    qs = qs.filter(**filters)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "web/employer_list.html",
        {"page": page, "q": query, "filtered": bool(filters), "query": kept.urlencode()},
    )


@login_required
def employer_detail(request: HttpRequest, employer_id: int) -> HttpResponse:
    try:
        employer = access_employer(request.user, employer_id)  # type: ignore[arg-type]
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "web/employer_detail.html",
        {
            "employer": employer,
            "can_verify": can_verify_employer(request.user, employer)  # type: ignore[arg-type]
            and employer.status == "pending",
            "can_bind": can(request.user, Action.EMPLOYER_USER_BIND, employer),
            "logins": employer.administrators.order_by("username")
            if can(request.user, Action.EMPLOYER_USER_BIND, employer)
            else (),
        },
    )


@login_required
@require_POST
def employer_verify_view(request: HttpRequest, employer_id: int) -> HttpResponse:
    try:
        employer_verify(
            acting_user=request.user,
            employer_id=employer_id,  # type: ignore[arg-type]
            reason=request.POST.get("reason", "")[:2000],
        )
    except NotFound:
        raise Http404 from None
    except DomainPermissionDenied as exc:
        return render(request, "web/error.html", {"message": exc.message}, status=403)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The employer is verified and now active."))
    return redirect("web:employer", employer_id=employer_id)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("User"), required=False, max_length=150)
    action = forms.CharField(label=gettext_lazy("Action"), required=False, max_length=64)
    object_type = forms.CharField(label=gettext_lazy("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=gettext_lazy("Object id"), required=False, max_length=64)
    person = forms.CharField(
        label=gettext_lazy("Person (NIK or KPJ)"), required=False, max_length=32
    )
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since: date | None = data.get("since")
        until: date | None = data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date must not be before the start date."))
        return data


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.AUDIT_READ):
        return render(
            request,
            "web/error.html",
            {
                "message": _("Only auditors and system administrators may read the audit trail."),
            },
            status=403,
        )
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilter()
    if form.is_bound and form.is_valid():
        filters = AuditFilter(**{k: v for k, v in form.cleaned_data.items() if v})
    events = audit_events(user=request.user, filters=filters)  # type: ignore[arg-type]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "web/audit_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )
