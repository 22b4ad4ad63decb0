"""Coverage: active participants by office, segment and sex for a month, and the
participation rate against the workforce (BPS) of the provinces the office serves.

Active in a month: a wage earner with an employment in force (counted at the employer's branch),
an informal member whose paid cover includes the month, a construction worker on a project that
month (the project's branch), a migrant worker from the placement agreement's month for the
contract months. The
refresh is a few INSERT ... SELECT statements per month, in one transaction (safe to repeat).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from jamsos.accounts.models import User
from jamsos.accounts.roles import Role
from jamsos.core.errors import NotFound, PermissionDenied
from jamsos.registry.models import BranchOffice, PmiPlacement, RegionalOffice
from jamsos.reporting.models import CoverageSummary
from jamsos.reporting.workforce import labour_force

INSERT_SQL = """
INSERT INTO reporting_coveragesummary (branch_office_id, segment, sex, participants, period)
SELECT s.*, %(period)s FROM ({select}) s
"""

#: Fixed statements (no user input), one per segment counted in SQL.
REFRESH_SQL = {
    "PU": """
        SELECT emp.branch_office_id, 'PU', p.sex, COUNT(DISTINCT e.participant_id)
        FROM registry_employment e
        JOIN registry_employer emp ON emp.id = e.employer_id
        JOIN registry_participant pa ON pa.id = e.participant_id
        JOIN registry_person p ON p.id = pa.person_id
        WHERE e.start_on <= %(last)s AND (e.end_on IS NULL OR e.end_on >= %(first)s)
          AND emp.branch_office_id IS NOT NULL
        GROUP BY emp.branch_office_id, p.sex""",
    "BPU": """
        SELECT pa.branch_office_id, 'BPU', p.sex, COUNT(DISTINCT c.participant_id)
        FROM contributions_bpucover c
        JOIN registry_participant pa ON pa.id = c.participant_id
        JOIN registry_person p ON p.id = pa.person_id
        WHERE c.revoked_at IS NULL AND c.first_month <= %(first)s AND c.last_month >= %(first)s
          AND pa.branch_office_id IS NOT NULL
        GROUP BY pa.branch_office_id, p.sex""",
    "JAKON": """
        SELECT pr.branch_office_id, 'JAKON', p.sex, COUNT(DISTINCT w.participant_id)
        FROM registry_projectworker w
        JOIN registry_project pr ON pr.id = w.project_id
        JOIN registry_participant pa ON pa.id = w.participant_id
        JOIN registry_person p ON p.id = pa.person_id
        WHERE w.start_on <= %(last)s AND (w.end_on IS NULL OR w.end_on >= %(first)s)
        GROUP BY pr.branch_office_id, p.sex""",
}


def coverage_refresh(*, period: str) -> int:
    """Recompute a month's summary rows; returns how many rows it holds."""
    from jamsos.contributions.billing import period_bounds

    first, last = period_bounds(period)
    params = {"first": first, "last": last}
    with transaction.atomic():
        CoverageSummary.objects.filter(period=period).delete()
        with connection.cursor() as cursor:
            for sql in REFRESH_SQL.values():
                cursor.execute(INSERT_SQL.format(select=sql), {**params, "period": period})
        # migrant workers: from the agreement's month for the contract months
        month_index = first.year * 12 + first.month
        placements = (
            PmiPlacement.objects.filter(
                agreement_on__lte=last, participant__branch_office__isnull=False
            )
            .annotate(
                ends=ExtractYear("agreement_on") * 12
                + ExtractMonth("agreement_on")
                + F("contract_months")
            )
            .filter(ends__gt=month_index)
            .values("participant__branch_office_id", "participant__person__sex")
            .annotate(n=Count("participant", distinct=True))
        )
        CoverageSummary.objects.bulk_create(
            CoverageSummary(
                period=period,
                branch_office_id=row["participant__branch_office_id"],
                segment="PMI",
                sex=row["participant__person__sex"],
                participants=row["n"],
            )
            for row in placements
        )
        from jamsos.reporting.money import money_refresh

        money_refresh(period=period)
        return CoverageSummary.objects.filter(period=period).count()


def _scope(user: User, office: str) -> tuple[str, list[BranchOffice]]:
    branch = BranchOffice.objects.filter(code=office).first()
    region = RegionalOffice.objects.filter(code=office).first()
    if branch is None and region is None:
        raise NotFound(f"office: no office {office}", field="office", code="office.not_found")
    branches = [branch] if branch else list(BranchOffice.objects.filter(regional_office=region))
    if user.role == Role.BRANCH_OFFICER and (branch is None or branch.pk != user.branch_office_id):
        raise PermissionDenied("A branch officer sees its own branch.", code="report.scope")
    if user.role == Role.REGIONAL_HEAD and any(
        b.regional_office_id != user.regional_office_id for b in branches
    ):
        raise PermissionDenied("A regional head sees their own region.", code="report.scope")
    if user.role not in (
        Role.BRANCH_OFFICER,
        Role.REGIONAL_HEAD,
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
        Role.CLAIMS_OFFICER,
    ):
        raise PermissionDenied("Reports are for the agency's offices.", code="report.scope")
    return (branch.name if branch else region.name), branches  # type: ignore[union-attr]


def coverage_report(*, user: User, office: str, period: str) -> dict[str, Any]:
    """Active participants of an office's branches in a month, by segment and sex, and the
    participation rate against the labour force of the provinces they serve."""
    from jamsos.contributions.billing import period_bounds

    first, _last = period_bounds(period)
    name, branches = _scope(user, office)
    rows = CoverageSummary.objects.filter(period=period, branch_office__in=branches)
    by_segment = {
        r["segment"]: int(r["n"])
        for r in rows.values("segment").annotate(n=Sum("participants")).order_by("segment")
    }
    by_sex = {
        r["sex"]: int(r["n"])
        for r in rows.values("sex").annotate(n=Sum("participants")).order_by("sex")
    }
    total = sum(by_segment.values())
    provinces = set(
        BranchOffice.regencies.through.objects.filter(branchoffice__in=branches).values_list(
            "regency__province_id", flat=True
        )
    )
    force, used = labour_force(provinces, first.year)
    missing = sorted(provinces - {w.province for w in used})
    return {
        "office": office,
        "name": name,
        "period": period,
        "refreshed": rows.exists(),
        "active": total,
        "by_segment": by_segment,
        "by_sex": by_sex,
        "labour_force": force,
        "participation_rate": round(total / force, 4) if force else None,
        "workforce": [
            {
                "province": w.province,
                "year": w.year,
                "labour_force": w.labour_force,
                "source": w.source,
                "status": w.status,
            }
            for w in used
        ],
        "provinces_without_figures": missing,
    }


def month_of(on: date) -> str:
    return f"{on.year}-{on.month:02d}"
