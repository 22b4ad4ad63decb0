"""Coverage: active participants of a month by office, segment, programme, status, sex, age
band, sector (PU) or occupation (BPU), province and regency, and the participation rate
against the workforce (BPS) of the provinces in scope.

Active in a month: a wage earner with an employment in force (counted once, at the employer of
their earliest such employment, found by an anti-join: no per-row look-up at millions of rows);
an informal member whose paid cover includes the month; a construction worker on a project that
month (the project's branch); a migrant worker from the placement agreement's month for the
contract months. Programmes follow what the bills charge:
JKK and JKM for everyone, JHT for wage earners of small and larger employers and members who
chose it, JP for wage earners of medium and large employers (Perpres 109/2013 Pasal 6), JKP
with every wage earner's JKK line. The refresh is one INSERT ... SELECT per segment, in one
transaction (safe to repeat).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Sum

from jamsos.accounts.models import User
from jamsos.registry.models import Segment
from jamsos.reporting.models import CoverageCell, CoverageSummary
from jamsos.reporting.scope import report_scope, scope_provinces, summary_meta
from jamsos.reporting.workforce import labour_force

#: Age bands at the month's last day (lower bound in years, label).
AGE_BANDS = ((55, "55+"), (45, "45-54"), (35, "35-44"), (25, "25-34"), (0, "<25"))
PROGRAMMES = ("JKK", "JKM", "JHT", "JP", "JKP")
STATUSES = ("paid", "arrears", "unbilled")

COLUMNS = (
    "branch_office_id, segment, sex, age_band, category, regency, status, "
    "participants, jht, jp, jkp"
)

INSERT_SQL = f"""
INSERT INTO reporting_coveragesummary ({COLUMNS}, province, period)
SELECT {COLUMNS}, SUBSTR(s.regency, 1, 2), %(period)s FROM ({{select}}) s
"""  # noqa: S608 - fixed fragments

#: The home regency of a NIK: its first four digits (province, regency), as ``63.71``.
NIK_REGENCY = """COALESCE((SELECT r.code FROM registry_regency r
    WHERE r.code = SUBSTR(p.nik, 1, 2) || '.' || SUBSTR(p.nik, 3, 2)), '')"""

BILL_STATUS = """CASE WHEN {bill}.id IS NULL THEN 'unbilled'
    WHEN {bill}.paid_idr >= {bill}.total_idr THEN 'paid' ELSE 'arrears' END"""

#: Fixed statements (no user input), one per segment. ``{age}`` is the age-band CASE.
REFRESH_SQL = {
    "PU": f"""
        SELECT emp.branch_office_id AS branch_office_id, 'PU' AS segment, p.sex AS sex,
               {{age}} AS age_band, emp.sector AS category,
               COALESCE(emp.regency_id, '') AS regency, {BILL_STATUS.format(bill="b")} AS status,
               COUNT(*) AS participants, SUM(CASE WHEN emp.size = 'micro' THEN 0 ELSE 1 END) AS jht,
               SUM(CASE WHEN emp.size IN ('medium', 'large') THEN 1 ELSE 0 END) AS jp,
               COUNT(*) AS jkp
        FROM registry_employment e
        JOIN registry_employer emp ON emp.id = e.employer_id
        JOIN registry_participant pa ON pa.id = e.participant_id
        JOIN registry_person p ON p.id = pa.person_id
        LEFT JOIN contributions_bill b ON b.kind = 'pu' AND b.employer_id = emp.id
             AND b.period = %(period)s AND b.cancelled_at IS NULL
        WHERE e.start_on <= %(last)s AND (e.end_on IS NULL OR e.end_on >= %(first)s)
          AND NOT EXISTS (SELECT 1 FROM registry_employment e2
                          WHERE e2.participant_id = e.participant_id AND e2.id < e.id
                            AND e2.start_on <= %(last)s
                            AND (e2.end_on IS NULL OR e2.end_on >= %(first)s))
        GROUP BY 1, 2, 3, 4, 5, 6, 7""",  # noqa: S608 - fixed fragments
    "BPU": f"""
        SELECT pa.branch_office_id AS branch_office_id, 'BPU' AS segment, p.sex AS sex,
               {{age}} AS age_band, m.occupation AS category, {NIK_REGENCY} AS regency,
               'paid' AS status, COUNT(*) AS participants,
               SUM(CASE WHEN c.programmes LIKE '%%JHT%%' THEN 1 ELSE 0 END) AS jht,
               0 AS jp, 0 AS jkp
        FROM contributions_bpucover c
        JOIN registry_participant pa ON pa.id = c.participant_id
        JOIN registry_person p ON p.id = pa.person_id
        JOIN registry_bpumembership m ON m.participant_id = pa.id
        WHERE c.revoked_at IS NULL AND c.first_month <= %(first)s AND c.last_month >= %(first)s
          AND NOT EXISTS (SELECT 1 FROM contributions_bpucover c2
                          WHERE c2.participant_id = c.participant_id AND c2.id < c.id
                            AND c2.revoked_at IS NULL AND c2.first_month <= %(first)s
                            AND c2.last_month >= %(first)s)
          AND pa.branch_office_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7""",  # noqa: S608 - fixed fragments
    "JAKON": """
        SELECT pr.branch_office_id AS branch_office_id, 'JAKON' AS segment, p.sex AS sex,
               {age} AS age_band, '' AS category, pr.regency_id AS regency,
               CASE WHEN pb.project_id IS NULL THEN 'unbilled'
                    WHEN pb.paid >= pb.total THEN 'paid' ELSE 'arrears' END AS status,
               COUNT(*) AS participants, 0 AS jht, 0 AS jp, 0 AS jkp
        FROM registry_projectworker w
        JOIN registry_project pr ON pr.id = w.project_id
        JOIN registry_participant pa ON pa.id = w.participant_id
        JOIN registry_person p ON p.id = pa.person_id
        LEFT JOIN (SELECT project_id, SUM(total_idr) AS total, SUM(paid_idr) AS paid
                   FROM contributions_bill WHERE kind = 'jakon' AND cancelled_at IS NULL
                   GROUP BY project_id) pb ON pb.project_id = pr.id
        WHERE w.start_on <= %(last)s AND (w.end_on IS NULL OR w.end_on >= %(first)s)
          AND NOT EXISTS (SELECT 1 FROM registry_projectworker w2
                          WHERE w2.participant_id = w.participant_id AND w2.id < w.id
                            AND w2.start_on <= %(last)s
                            AND (w2.end_on IS NULL OR w2.end_on >= %(first)s))
        GROUP BY 1, 2, 3, 4, 5, 6, 7""",
    "PMI": f"""
        SELECT pa.branch_office_id AS branch_office_id, 'PMI' AS segment, p.sex AS sex,
               {{age}} AS age_band, '' AS category, {NIK_REGENCY} AS regency,
               {BILL_STATUS.format(bill="b")} AS status, COUNT(*) AS participants,
               0 AS jht, 0 AS jp, 0 AS jkp
        FROM registry_pmiplacement pl
        JOIN registry_participant pa ON pa.id = pl.participant_id
        JOIN registry_person p ON p.id = pa.person_id
        LEFT JOIN contributions_bill b ON b.kind = 'pmi' AND b.placement_id = pl.id
             AND b.cancelled_at IS NULL
        WHERE pl.id IN (SELECT MIN(pl2.id) FROM registry_pmiplacement pl2
                        WHERE pl2.agreement_on <= %(last)s AND ({{in_contract}})
                        GROUP BY pl2.participant_id)
          AND pa.branch_office_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7""",  # noqa: S608 - fixed fragments
}


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def age_band_sql(last: date) -> tuple[str, dict[str, date]]:
    """A CASE giving each person's age band at ``last``, and its date parameters (born on or
    before the date = at least that old)."""
    whens, params = [], {}
    for years, label in AGE_BANDS[:-1]:
        params[f"born{years}"] = _years_before(last, years)
        whens.append(f"WHEN p.birth_date <= %(born{years})s THEN '{label}'")
    return f"CASE {' '.join(whens)} ELSE '{AGE_BANDS[-1][1]}' END", params


def _in_contract_sql(first: date) -> tuple[str, dict[str, date]]:
    """Placements whose contract months include the month: for each contract length in the
    data, an agreement on or after the first day of the month (length - 1) months back."""
    from jamsos.registry.models import PmiPlacement

    lengths = sorted(set(PmiPlacement.objects.values_list("contract_months", flat=True)))
    clauses, params = ["1 = 0"], {}
    for n in lengths:
        index = first.year * 12 + first.month - 1 - (n - 1)
        params[f"from{n}"] = date(index // 12, index % 12 + 1, 1)
        clauses.append(f"(pl2.contract_months = {int(n)} AND pl2.agreement_on >= %(from{n})s)")
    return " OR ".join(clauses), params


#: Dimensions rolled up into ``CoverageCell`` (besides ``all``): column of CoverageSummary.
CELL_DIMENSIONS = ("sex", "age_band", "status", "category")

CELL_SQL = """
INSERT INTO reporting_coveragecell (period, branch_office_id, province, regency, dimension,
    value, segment, participants, jht, jp, jkp)
SELECT period, branch_office_id, province, regency, %(dimension)s, {column}, segment,
       SUM(participants), SUM(jht), SUM(jp), SUM(jkp)
FROM reporting_coveragesummary WHERE period = %(period)s
GROUP BY period, branch_office_id, province, regency, segment{group}
"""


def coverage_refresh_month(*, period: str) -> int:
    """Recompute a month's coverage rows (in the caller's transaction); returns the rows."""
    from jamsos.contributions.billing import period_bounds

    first, last = period_bounds(period)
    age, age_params = age_band_sql(last)
    in_contract, contract_params = _in_contract_sql(first)
    params: dict[str, int | str | date] = {
        "first": first,
        "last": last,
        "period": period,
        **age_params,
        **contract_params,
    }
    CoverageSummary.objects.filter(period=period).delete()
    with connection.cursor() as cursor:
        for sql in REFRESH_SQL.values():
            select = sql.format(age=age, in_contract=in_contract)
            cursor.execute(INSERT_SQL.format(select=select), params)
        CoverageCell.objects.filter(period=period).delete()
        for dimension in ("all", *CELL_DIMENSIONS):
            sql = (
                CELL_SQL.format(column="''", group="")
                if dimension == "all"
                else CELL_SQL.format(column=dimension, group=f", {dimension}")
            )
            cursor.execute(sql, {"period": period, "dimension": dimension})
    return CoverageSummary.objects.filter(period=period).count()


def coverage_refresh(*, period: str) -> int:
    """Refresh every summary of a month (kept for callers of the first version)."""
    from jamsos.reporting.refresh import report_refresh

    return report_refresh(periods=[period])[period]


#: Dimensions a coverage report crosses with the segment (the dashboard's tables).
DIMENSIONS = ("sex", "age_band", "status", "category", "province", "regency", "branch")
SEGMENTS = tuple(Segment.values)


def _add(table: dict[str, dict[str, Any]], value: str, segment: str, n: int) -> None:
    line = table.setdefault(value, {"value": value, "total": 0})
    line[segment] = line.get(segment, 0) + n
    line["total"] += n


#: age bands from the youngest ("<25" would sort after "55+" as text)
AGE_ORDER = {label: i for i, (_low, label) in enumerate(reversed(AGE_BANDS))}


def _order(dimension: str) -> Any:
    """How a breakdown's values are ordered: age bands by age, the others by their code."""
    if dimension == "age_band":
        return lambda value: (AGE_ORDER.get(value, len(AGE_ORDER)), value)
    return lambda value: value


def coverage_report(
    *, user: User | None, office: str, period: str, province: str = "", regency: str = ""
) -> dict[str, Any]:
    """Active participants of an office (or a province or regency within it) in a month, by
    every dimension, and the participation rate against the labour force of the provinces.
    Two queries on the rolled-up ``CoverageCell`` rows, whatever the region's size."""
    from jamsos.contributions.billing import period_bounds

    first, _last = period_bounds(period)
    scope = report_scope(user, office, province, regency)
    cells = CoverageCell.objects.filter(scope.rows(), period=period)
    crosstab: dict[str, dict[str, dict[str, Any]]] = {d: {} for d in DIMENSIONS}
    sums = {"n": Sum("participants"), "jht": Sum("jht"), "jp": Sum("jp"), "jkp": Sum("jkp")}
    for r in (
        cells.exclude(dimension="all")
        .values("dimension", "value", "segment")
        .annotate(n=Sum("participants"))
        .order_by("dimension", "value")
    ):
        _add(crosstab[r["dimension"]], r["value"], r["segment"], int(r["n"]))
    programmes = {"jht": 0, "jp": 0, "jkp": 0}
    by_segment: dict[str, int] = {}
    everyone: Iterable[Mapping[str, Any]] = (
        cells.filter(dimension="all")
        .values("segment", "province", "regency", "branch_office__code")
        .annotate(**sums)
        .order_by("segment", "province", "regency")
    )
    for row in everyone:
        n = int(row["n"])
        by_segment[row["segment"]] = by_segment.get(row["segment"], 0) + n
        for key in programmes:
            programmes[key] += int(row[key] or 0)
        _add(crosstab["province"], row["province"], row["segment"], n)
        _add(crosstab["regency"], row["regency"], row["segment"], n)
        _add(crosstab["branch"], row["branch_office__code"], row["segment"], n)
    total = sum(by_segment.values())
    tables = {d: [crosstab[d][v] for v in sorted(crosstab[d], key=_order(d))] for d in DIMENSIONS}

    def totals(dimension: str, segment: str | None = None) -> dict[str, int]:
        return {
            line["value"]: line["total"] if segment is None else line[segment]
            for line in tables[dimension]
            if (line["total"] if segment is None else line.get(segment))
        }

    provinces = scope_provinces(scope)
    force, used = labour_force(provinces, first.year)
    missing = sorted(provinces - {w.province for w in used})
    return {
        **summary_meta(scope),
        "period": period,
        "refreshed": bool(tables["sex"]) or CoverageCell.objects.filter(period=period).exists(),
        "active": total,
        "by_segment": {s: by_segment[s] for s in SEGMENTS if s in by_segment},
        "by_sex": totals("sex"),
        "by_age_band": totals("age_band"),
        "by_status": totals("status"),
        "by_programme": {
            "JKK": total,
            "JKM": total,
            "JHT": programmes["jht"],
            "JP": programmes["jp"],
            "JKP": programmes["jkp"],
        },
        "by_sector": totals("category", "PU"),
        "by_occupation": totals("category", "BPU"),
        "by_province": totals("province"),
        "by_regency": totals("regency"),
        "by_branch": totals("branch"),
        "crosstab": tables,
        "participation_by_province": _participation_by_province(totals("province"), first.year),
        "labour_force": force,
        "participation_rate": round(total / force, 6) if force else None,
        "workforce": [
            {
                "province": w.province,
                "year": w.year,
                "labour_force": w.labour_force,
                "employed": w.employed,
                "workers": w.workers,
                "basis": w.basis,
                "source": w.source,
                "status": w.status,
            }
            for w in used
        ],
        "provinces_without_figures": missing,
    }


def _participation_by_province(by_province: dict[str, int], year: int) -> dict[str, float | None]:
    """Each province's active participants in scope over its labour force (the map)."""
    rates: dict[str, float | None] = {}
    for province, n in by_province.items():
        if not province:
            continue
        force, _used = labour_force({province}, year)
        rates[province] = round(n / force, 6) if force else None
    return rates


def coverage_trend(
    *, user: User | None, office: str, periods: list[str], province: str = "", regency: str = ""
) -> list[dict[str, Any]]:
    """Active participants by segment for each of some months (the trend chart)."""
    scope = report_scope(user, office, province, regency)
    found: dict[str, dict[str, int]] = {p: {} for p in periods}
    for r in (
        CoverageCell.objects.filter(scope.rows(), period__in=periods, dimension="all")
        .values("period", "segment")
        .annotate(n=Sum("participants"))
    ):
        found[r["period"]][r["segment"]] = int(r["n"])
    return [
        {"period": p, "by_segment": found[p], "active": sum(found[p].values())} for p in periods
    ]


def month_of(on: date) -> str:
    return f"{on.year}-{on.month:02d}"
