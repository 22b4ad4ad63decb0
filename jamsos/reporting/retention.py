"""BPU retention: of the informal members whose first paid cover began in a month (the
cohort), how many were still covered — had paid for the month — 3, 6 and 12 months later, by
branch office, occupation and payer (self, sponsor, donor, government).

The refresh recomputes every cohort in one statement (months counted as year * 12 + month, in
each database's own date functions); a cohort too young for a mark reports no figure for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.db.models import Sum

from jamsos.accounts.models import User
from jamsos.reporting.models import RetentionSummary, replace_rows
from jamsos.reporting.scope import report_scope, summary_meta

MARKS = (3, 6, 12)


def month_index_sql(column: str) -> str:
    """``year * 12 + month - 1`` of a date column, in the connected database's dialect."""
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int - 1)"
    return (
        f"(CAST(strftime('%%Y', {column}) AS INTEGER) * 12 "
        f"+ CAST(strftime('%%m', {column}) AS INTEGER) - 1)"
    )


def _still_covered(months: int) -> str:
    first, last = month_index_sql("c2.first_month"), month_index_sql("c2.last_month")
    return f"""SUM(CASE WHEN EXISTS (
        SELECT 1 FROM contributions_bpucover c2
        WHERE c2.participant_id = f.participant_id AND c2.revoked_at IS NULL
          AND {first} <= f.cohort + {months} AND {last} >= f.cohort + {months}
    ) THEN 1 ELSE 0 END)"""  # noqa: S608 - fixed fragments, no user input


def retention_sql() -> str:
    marks = ", ".join(_still_covered(m) for m in MARKS)
    first = month_index_sql("c.first_month")
    return f"""
    SELECT pa.branch_office_id, f.cohort, m.occupation, m.payer_type, COUNT(*), {marks}
    FROM (SELECT c.participant_id, MIN({first}) AS cohort FROM contributions_bpucover c
          WHERE c.revoked_at IS NULL GROUP BY c.participant_id) f
    JOIN registry_participant pa ON pa.id = f.participant_id
    JOIN registry_bpumembership m ON m.participant_id = pa.id
    WHERE pa.branch_office_id IS NOT NULL
    GROUP BY pa.branch_office_id, f.cohort, m.occupation, m.payer_type
    """  # noqa: S608 - fixed fragments, no user input


def retention_refresh() -> int:
    """Recompute every cohort (caller's transaction); returns the rows."""
    with connection.cursor() as cursor:
        cursor.execute(retention_sql(), ())
        found = cursor.fetchall()
    replace_rows(
        RetentionSummary,
        (
            RetentionSummary(
                branch_office_id=branch,
                cohort=f"{int(cohort) // 12}-{int(cohort) % 12 + 1:02d}",
                occupation=occupation,
                payer_type=payer,
                joined=joined,
                after_3=m3,
                after_6=m6,
                after_12=m12,
            )
            for branch, cohort, occupation, payer, joined, m3, m6, m12 in found
        ),
    )
    return len(found)


def _rate(kept: int, joined: int) -> float | None:
    return round(kept / joined, 4) if joined else None


def retention_report(
    *, user: User | None, office: str, year: int, today_period: str, by: str = "occupation"
) -> dict[str, Any]:
    """Cohorts of a year (months that joined), and the same split by occupation or payer;
    a mark not yet reached (cohort + months after ``today_period``) is None."""
    from jamsos.core.errors import field_error

    if by not in ("occupation", "payer_type"):
        raise field_error(
            "by", "must be occupation or payer_type", "harus occupation atau payer_type"
        )
    scope = report_scope(user, office)
    rows = RetentionSummary.objects.filter(
        branch_office__in=scope.branch_ids, cohort__startswith=f"{year}-"
    )
    sums = {"joined": Sum("joined"), **{f"after_{m}": Sum(f"after_{m}") for m in MARKS}}
    now_index = int(today_period[:4]) * 12 + int(today_period[5:7]) - 1

    def reached(cohort: str, months: int) -> bool:
        return int(cohort[:4]) * 12 + int(cohort[5:7]) - 1 + months <= now_index

    def line(r: Mapping[str, Any], cohorts: list[str]) -> dict[str, Any]:
        joined = int(r["joined"] or 0)
        out: dict[str, Any] = {"joined": joined}
        for m in MARKS:
            # only cohorts that have reached the mark count towards its rate
            if all(not reached(c, m) for c in cohorts):
                out[f"after_{m}"] = None
                out[f"rate_{m}"] = None
            else:
                out[f"after_{m}"] = int(r[f"after_{m}"] or 0)
                out[f"rate_{m}"] = _rate(out[f"after_{m}"], joined)
        return out

    cohorts = [
        {"cohort": r["cohort"], **line(r, [r["cohort"]])}
        for r in rows.values("cohort").annotate(**sums).order_by("cohort")
    ]
    # a group's rate counts only the cohorts old enough for each mark: one query, summed here
    per: dict[str, dict[str, Any]] = {}
    for r in rows.values(by, "cohort").annotate(**sums).order_by(by, "cohort"):
        entry = per.setdefault(r[by], {"group": r[by], "joined": 0})
        entry["joined"] += int(r["joined"] or 0)
        for m in MARKS:
            if reached(r["cohort"], m):
                entry[f"ripe_{m}"] = entry.get(f"ripe_{m}", 0) + int(r["joined"] or 0)
                entry[f"after_{m}"] = entry.get(f"after_{m}", 0) + int(r[f"after_{m}"] or 0)
    groups: list[dict[str, Any]] = []
    for entry in per.values():
        for m in MARKS:
            ripe = entry.pop(f"ripe_{m}", 0)
            entry.setdefault(f"after_{m}", None)
            entry[f"rate_{m}"] = _rate(entry[f"after_{m}"], ripe) if ripe else None
        groups.append(entry)
    return {**summary_meta(scope), "year": year, "by": by, "cohorts": cohorts, "groups": groups}
