"""Employers and projects: employers by size and status, new employers per month, projects
registered, running and covered, and the compliance list a branch officer works through.

Compliance flags, refreshed per month for active employers (``ComplianceFlag``):

- below_minimum_wage: workers whose approved wage in force at the month's end is below the
  minimum wage of the employer's regency (its UMK that year, else the province's UMP —
  ``reporting/data/minimum_wages.csv``);
- wage_unchanged: workers whose wage in force took effect 24 months or more before the month's
  end (and who were employed then);
- programmes_below_stage: the recorded enterprise size makes fewer programmes mandatory
  (Perpres 109/2013 Pasal 6) than the size the headcount suggests, by the BPS workforce bands
  (micro 1-4, small 5-19, medium 20-99, large 100 or more — an indicator for a visit, since
  the legal size is set by assets and turnover);
- headcount_drop: workers at the month's end at least 20 % and at least 5 fewer than three
  months before.

Each flag lists its rows from the live records (``compliance_rows``), one employer at a time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from jamsos.accounts.access import require_operator
from jamsos.accounts.models import User
from jamsos.accounts.policy import Action
from jamsos.core.errors import NotFound, PermissionDenied, field_error
from jamsos.registry.models import Employer, Employment, Project, ProjectWorker, WageRecord
from jamsos.reporting.minimum_wage import minimum_wages_for
from jamsos.reporting.models import (
    ComplianceFlag,
    EmployerSummary,
    ProjectSummary,
    replace_rows,
)
from jamsos.reporting.scope import report_scope, summary_meta
from jamsos.rules.calc.contributions import MANDATORY_BY_SIZE
from jamsos.rules.calc.dates import add_months

#: BPS workforce bands (lower bound of workers, size).
HEADCOUNT_SIZES = ((100, "large"), (20, "medium"), (5, "small"), (0, "micro"))
UNCHANGED_MONTHS = 24
DROP_SHARE = 0.20
DROP_MIN_WORKERS = 5
DROP_MONTHS = 3
#: Rows listed behind one flag (the rest are in the employer's worker list).
ROWS_LIMIT = 500


def size_for_headcount(workers: int) -> str:
    return next(size for floor, size in HEADCOUNT_SIZES if workers >= floor)


def minimum_wage_sql(year: int) -> str:
    """A CASE giving the minimum wage for ``emp.regency_id`` in a year (integers from the
    data file, no user input); NULL where no figure is known."""
    umk, ump = minimum_wages_for(year)
    whens = [
        f"WHEN emp.regency_id = '{a}' THEN {int(w.amount_idr)}" for a, w in sorted(umk.items())
    ]
    whens += [
        f"WHEN SUBSTR(emp.regency_id, 1, 2) = '{a}' THEN {int(w.amount_idr)}"
        for a, w in sorted(ump.items())
    ]
    return f"CASE {' '.join(whens)} ELSE NULL END" if whens else "NULL"


WAGES_SQL = """
SELECT emp.id, emp.branch_office_id,
       SUM(CASE WHEN w.wage_idr < ({minimum}) THEN 1 ELSE 0 END),
       SUM(CASE WHEN w.effective_from <= %(unchanged)s AND e.start_on <= %(unchanged)s
                THEN 1 ELSE 0 END)
FROM registry_employment e
JOIN registry_employer emp ON emp.id = e.employer_id
JOIN registry_wagerecord w ON w.employment_id = e.id
WHERE emp.status = 'active' AND e.start_on <= %(last)s
  AND (e.end_on IS NULL OR e.end_on >= %(last)s)
  AND w.effective_from = (SELECT MAX(w2.effective_from) FROM registry_wagerecord w2
                          WHERE w2.employment_id = e.id AND w2.status = 'approved'
                            AND w2.effective_from <= %(last)s)
GROUP BY emp.id, emp.branch_office_id
"""

HEADCOUNT_SQL = """
SELECT emp.id, emp.branch_office_id, emp.size,
       SUM(CASE WHEN e.start_on <= %(last)s AND (e.end_on IS NULL OR e.end_on >= %(last)s)
                THEN 1 ELSE 0 END),
       SUM(CASE WHEN e.start_on <= %(before)s AND (e.end_on IS NULL OR e.end_on >= %(before)s)
                THEN 1 ELSE 0 END)
FROM registry_employment e
JOIN registry_employer emp ON emp.id = e.employer_id
WHERE emp.status = 'active' AND e.start_on <= %(last)s
  AND (e.end_on IS NULL OR e.end_on >= %(before)s)
GROUP BY emp.id, emp.branch_office_id, emp.size
"""


def employers_refresh(*, period: str) -> int:
    """Recompute a month's employer, project and compliance rows (caller's transaction)."""
    from jamsos.contributions.billing import period_bounds
    from jamsos.reporting.money import _bounds

    first, last = period_bounds(period)
    start, end = _bounds(first, last)
    replace_rows(
        EmployerSummary,
        (
            EmployerSummary(
                period=period,
                branch_office_id=r["branch_office_id"],
                size=r["size"],
                status=r["status"],
                employers=r["n"],
                new=r["new"],
            )
            for r in Employer.objects.filter(registered_at__lt=end)
            .values("branch_office_id", "size", "status")
            .annotate(n=Count("pk"), new=Count("pk", filter=Q(registered_at__gte=start)))
            .order_by()
        ),
        period=period,
    )
    running = Q(start_on__lte=last, end_on__gte=first)
    worker_in_month = ProjectWorker.objects.filter(
        project=OuterRef("pk"), start_on__lte=last
    ).filter(Q(end_on__isnull=True) | Q(end_on__gte=first))
    replace_rows(
        ProjectSummary,
        (
            ProjectSummary(
                period=period,
                branch_office_id=r["branch_office_id"],
                registered=r["registered"],
                running=r["running"],
                covered=r["covered"],
                contract_value_idr=int(r["value"] or 0),
            )
            for r in Project.objects.filter(registered_at__lt=end)
            .annotate(has_worker=Exists(worker_in_month))
            .values("branch_office_id")
            .annotate(
                registered=Count("pk", filter=Q(registered_at__gte=start)),
                running=Count("pk", filter=running),
                covered=Count("pk", filter=running & Q(has_worker=True)),
                value=Sum("contract_value_idr", filter=Q(registered_at__gte=start)),
            )
            .order_by()
        ),
        period=period,
    )
    return compliance_refresh(period=period, last=last)


def compliance_refresh(*, period: str, last: date) -> int:
    flags: list[ComplianceFlag] = []

    def flag(kind: str, employer: int, branch: int, workers: int, detail: str = "") -> None:
        flags.append(
            ComplianceFlag(
                period=period,
                branch_office_id=branch,
                employer_id=employer,
                kind=kind,
                workers=workers,
                detail=detail,
            )
        )

    params = {
        "last": last,
        "unchanged": add_months(last, -UNCHANGED_MONTHS),
        "before": add_months(last, -DROP_MONTHS),
    }
    kinds = ComplianceFlag.Kind
    with connection.cursor() as cursor:
        cursor.execute(WAGES_SQL.format(minimum=minimum_wage_sql(last.year)), params)
        for employer, branch, below, unchanged in cursor.fetchall():
            if below:
                flag(kinds.BELOW_MINIMUM_WAGE, employer, branch, below)
            if unchanged:
                flag(kinds.WAGE_UNCHANGED, employer, branch, unchanged)
        cursor.execute(HEADCOUNT_SQL, params)
        for employer, branch, size, now, before in cursor.fetchall():
            needed = size_for_headcount(now)
            missing = sorted(set(MANDATORY_BY_SIZE[needed]) - set(MANDATORY_BY_SIZE.get(size, ())))
            if now and missing:
                detail = f"{size or '-'}→{needed}: {' '.join(missing)}"
                flag(kinds.PROGRAMMES_BELOW_STAGE, employer, branch, now, detail)
            drop = before - now
            if drop >= DROP_MIN_WORKERS and drop >= DROP_SHARE * before:
                flag(kinds.HEADCOUNT_DROP, employer, branch, drop, f"{before}→{now}")
    replace_rows(ComplianceFlag, flags, period=period)
    return len(flags)


def _check_kind(kind: str) -> None:
    if kind not in ComplianceFlag.Kind.values:
        kinds = ", ".join(ComplianceFlag.Kind.values)
        raise field_error("kind", f"must be one of {kinds}", f"harus salah satu dari {kinds}")


def employers_report(*, user: User | None, office: str, period: str) -> dict[str, Any]:
    """Employers by size and status at a month's end, new employers per month of its year,
    projects registered, running and covered, and how many employers carry each flag."""
    scope = report_scope(user, office)
    rows = EmployerSummary.objects.filter(branch_office__in=scope.branch_ids, period=period)
    by_size: dict[str, dict[str, int]] = {}
    for r in rows.values("size", "status").annotate(n=Sum("employers")).order_by("size", "status"):
        by_size.setdefault(r["size"] or "-", {})[r["status"]] = int(r["n"])
    year = period[:4]
    new_by_month = {
        r["period"]: int(r["n"])
        for r in EmployerSummary.objects.filter(
            branch_office__in=scope.branch_ids, period__startswith=f"{year}-", period__lte=period
        )
        .values("period")
        .annotate(n=Sum("new"))
        .order_by("period")
    }
    projects = {
        r["period"]: {k: int(r[k] or 0) for k in ("registered", "running", "covered", "value")}
        for r in ProjectSummary.objects.filter(
            branch_office__in=scope.branch_ids, period__startswith=f"{year}-", period__lte=period
        )
        .values("period")
        .annotate(
            registered=Sum("registered"),
            running=Sum("running"),
            covered=Sum("covered"),
            value=Sum("contract_value_idr"),
        )
        .order_by("period")
    }
    flags = {
        r["kind"]: {"employers": int(r["n"]), "workers": int(r["w"] or 0)}
        for r in ComplianceFlag.objects.filter(branch_office__in=scope.branch_ids, period=period)
        .values("kind")
        .annotate(n=Count("pk"), w=Sum("workers"))
        .order_by("kind")
    }
    return {
        **summary_meta(scope),
        "period": period,
        "employers": sum(sum(v.values()) for v in by_size.values()),
        "active_employers": sum(v.get("active", 0) for v in by_size.values()),
        "by_size_and_status": by_size,
        "new_by_month": new_by_month,
        "projects_by_month": projects,
        "projects": projects.get(period, {"registered": 0, "running": 0, "covered": 0, "value": 0}),
        "projects_registered_in_year": sum(p["registered"] for p in projects.values()),
        "compliance": {
            kind: flags.get(kind, {"employers": 0, "workers": 0})
            for kind in ComplianceFlag.Kind.values
        },
    }


def compliance_list(
    *, user: User | None, office: str, period: str, kind: str = "", page: int = 1
) -> dict[str, Any]:
    """The flagged employers of an office in a month, largest first, a page at a time."""
    scope = report_scope(user, office)
    flags = ComplianceFlag.objects.filter(
        branch_office__in=scope.branch_ids, period=period
    ).select_related("employer")
    if kind:
        _check_kind(kind)
        flags = flags.filter(kind=kind)
    pages = Paginator(flags.order_by("-workers", "employer_id", "kind"), 50)
    current = pages.get_page(page)
    return {
        **summary_meta(scope),
        "period": period,
        "kind": kind or None,
        "count": pages.count,
        "page": current.number,
        "pages": pages.num_pages,
        "flags": [
            {
                "employer_id": f.employer_id,
                "npp": f.employer.npp,
                "employer": f.employer.legal_name,
                "kind": f.kind,
                "workers": f.workers,
                "detail": f.detail,
            }
            for f in current
        ],
    }


def compliance_rows(*, user: User | None, npp: str, period: str, kind: str) -> dict[str, Any]:
    """The rows behind one employer's flag: the workers and wages it counts."""
    from jamsos.contributions.billing import period_bounds

    require_operator(user, Action.REPORT_READ, code="report.scope")  # the gate first
    employer = Employer.objects.filter(npp=npp).select_related("branch_office", "regency").first()
    if employer is None:
        raise NotFound(
            f"npp: no employer {npp}",
            message_id=f"npp: tidak ada pemberi kerja {npp}",
            field="npp",
            code="employer.not_found",
        )
    try:
        report_scope(user, employer.branch_office.code)
    except PermissionDenied:
        raise PermissionDenied(
            "This employer is outside your office.",
            message_id="Pemberi kerja ini di luar kantor Anda.",
            code="report.scope",
        ) from None
    _first, last = period_bounds(period)
    _check_kind(kind)
    flag = ComplianceFlag.objects.filter(period=period, employer=employer, kind=kind).first()
    active = Employment.objects.filter(employer=employer, start_on__lte=last).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=last)
    )
    rows: list[dict[str, Any]] = []
    minimum = None
    if kind in (ComplianceFlag.Kind.BELOW_MINIMUM_WAGE, ComplianceFlag.Kind.WAGE_UNCHANGED):
        umk, ump = minimum_wages_for(last.year)
        regency = employer.regency_id or ""
        area = umk.get(regency) or ump.get(regency[:2])
        minimum = area.amount_idr if area else None
        unchanged = add_months(last, -UNCHANGED_MONTHS)
        wages = WageRecord.objects.filter(
            employment=OuterRef("pk"), status="approved", effective_from__lte=last
        ).order_by("-effective_from")
        counted = active.annotate(
            wage=Subquery(wages.values("wage_idr")[:1]),
            wage_from=Subquery(wages.values("effective_from")[:1]),
        ).filter(wage__isnull=False)
        if kind == ComplianceFlag.Kind.BELOW_MINIMUM_WAGE:
            counted = counted.filter(wage__lt=minimum) if minimum is not None else counted.none()
        else:
            counted = counted.filter(wage_from__lte=unchanged, start_on__lte=unchanged)
        for e in counted.select_related("participant__person").order_by("participant__kpj")[
            :ROWS_LIMIT
        ]:
            rows.append(
                {
                    "kpj": e.participant.kpj,
                    "name": e.participant.person.full_name,
                    "wage_idr": e.wage,
                    "wage_from": e.wage_from.isoformat(),
                }
            )
    elif kind == ComplianceFlag.Kind.HEADCOUNT_DROP:
        before = add_months(last, -DROP_MONTHS)
        for left in (
            Employment.objects.filter(employer=employer, end_on__gte=before, end_on__lt=last)
            .select_related("participant__person")
            .order_by("end_on")
        ):
            rows.append(
                {
                    "kpj": left.participant.kpj,
                    "name": left.participant.person.full_name,
                    "end_on": left.end_on.isoformat() if left.end_on else None,
                    "exit_reason": left.exit_reason,
                }
            )
    else:  # programmes below the stage
        workers = active.count()
        rows.append(
            {
                "size": employer.size,
                "workers": workers,
                "size_for_headcount": size_for_headcount(workers),
                "mandatory": list(MANDATORY_BY_SIZE.get(employer.size, ())),
                "mandatory_for_headcount": list(MANDATORY_BY_SIZE[size_for_headcount(workers)]),
            }
        )
    return {
        "npp": employer.npp,
        "employer": employer.legal_name,
        "period": period,
        "kind": kind,
        "flagged": flag is not None,
        "workers": flag.workers if flag else 0,
        "detail": flag.detail if flag else "",
        "minimum_wage_idr": minimum,
        "rows": rows,
    }
