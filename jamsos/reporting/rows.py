"""The rows behind a coverage figure: the participants a summary cell counts, read from the
live records with the same rules as the refresh (``coverage.py``), within the viewer's scope,
a page at a time (keyset pagination by id, so page 500 costs what page 1 does)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet

from jamsos.accounts.models import User
from jamsos.contributions.models import Bill, BpuCover
from jamsos.core.errors import field_error
from jamsos.registry.models import Employment, PmiPlacement, ProjectWorker
from jamsos.reporting.coverage import AGE_BANDS, SEGMENTS, STATUSES, _in_contract_sql, _years_before
from jamsos.reporting.scope import report_scope, summary_meta

PAGE = 50


def _age_filter(band: str, last: Any, person: str) -> Q:
    """People whose age at ``last`` falls in the band."""
    bounds = {label: years for years, label in AGE_BANDS}
    if band not in bounds:
        raise field_error(
            "age_band",
            f"must be one of {', '.join(bounds)}",
            f"harus salah satu dari {', '.join(bounds)}",
        )
    low = bounds[band]
    q = Q(**{f"{person}__birth_date__lte": _years_before(last, low)}) if low else Q()
    higher = [years for years, _label in AGE_BANDS if years > low]
    if higher:
        q &= Q(**{f"{person}__birth_date__gt": _years_before(last, min(higher))})
    return q


def _check_status(status: str) -> None:
    if status not in STATUSES:
        choices = ", ".join(STATUSES)
        raise field_error("status", f"must be one of {choices}", f"harus salah satu dari {choices}")


def _first_of_each(model: type[Model], q: Q) -> QuerySet[Any]:
    """The rows matching ``q`` with no lower-id such row of the same participant — one row a
    person, as the refresh counts them (an anti-join, cheap for a page in id order)."""
    rows = model._default_manager
    earlier = rows.filter(q, participant=OuterRef("participant"), id__lt=OuterRef("id"))
    return rows.filter(q).filter(~Exists(earlier))


def _in_month(first: Any, last: Any) -> Q:
    return Q(start_on__lte=last) & (Q(end_on__isnull=True) | Q(end_on__gte=first))


def _bill_status(qs: QuerySet[Any], status: str, bills: QuerySet[Bill]) -> QuerySet[Any]:
    _check_status(status)
    if status == "unbilled":
        return qs.filter(~Exists(bills))
    if status == "paid":
        return qs.filter(Exists(bills.filter(paid_idr__gte=F("total_idr"))))
    return qs.filter(Exists(bills.filter(paid_idr__lt=F("total_idr"))))


def _nik_regency(code: str) -> str:
    return code.replace(".", "")


def coverage_rows(
    *,
    user: User | None,
    office: str,
    period: str,
    segment: str,
    filters: dict[str, str],
    after: int = 0,
) -> dict[str, Any]:
    """Participants counted in a coverage cell: ``filters`` may name sex, age_band, category
    (sector or occupation), status, province, regency and branch (a branch code within the
    office)."""
    from jamsos.contributions.billing import period_bounds

    first, last = period_bounds(period)
    if segment not in SEGMENTS:
        raise field_error(
            "segment",
            f"must be one of {', '.join(SEGMENTS)}",
            f"harus salah satu dari {', '.join(SEGMENTS)}",
        )
    scope = report_scope(user, office, filters.get("province", ""), filters.get("regency", ""))
    branch_ids = scope.branch_ids
    if filters.get("branch"):
        branch_ids = [b.pk for b in scope.branches if b.code == filters["branch"]]
    qs: QuerySet[Any]
    if segment == "PU":
        qs = _first_of_each(Employment, _in_month(first, last)).filter(
            employer__branch_office_id__in=branch_ids
        )
        person, area, category = "participant__person", "employer__regency", "employer__sector"
        bills = Bill.objects.filter(
            kind="pu", employer=OuterRef("employer"), period=period, cancelled_at__isnull=True
        )
        place = "employer__legal_name"
    elif segment == "BPU":
        qs = _first_of_each(
            BpuCover, Q(revoked_at__isnull=True, first_month__lte=first, last_month__gte=first)
        ).filter(participant__branch_office_id__in=branch_ids)
        person, area, category = "participant__person", "", "participant__bpu__occupation"
        bills = Bill.objects.none()
        place = "participant__bpu__payer_type"
    elif segment == "JAKON":
        qs = _first_of_each(ProjectWorker, _in_month(first, last)).filter(
            project__branch_office_id__in=branch_ids
        )
        person, area, category = "participant__person", "project__regency", ""
        bills = Bill.objects.filter(
            kind="jakon", project=OuterRef("project"), cancelled_at__isnull=True
        )
        place = "project__name"
    else:
        in_contract, params = _in_contract_sql(first)
        ids = [
            p.pk
            for p in PmiPlacement.objects.raw(
                "SELECT MIN(pl2.id) AS id FROM registry_pmiplacement pl2 "  # noqa: S608
                f"WHERE pl2.agreement_on <= %(last)s AND ({in_contract}) "
                "GROUP BY pl2.participant_id",
                {**params, "last": last},
            )
        ]
        qs = PmiPlacement.objects.filter(id__in=ids, participant__branch_office_id__in=branch_ids)
        person, area, category = "participant__person", "", ""
        bills = Bill.objects.filter(kind="pmi", placement=OuterRef("pk"), cancelled_at__isnull=True)
        place = "destination_country"
    if filters.get("sex"):
        qs = qs.filter(**{f"{person}__sex": filters["sex"]})
    if filters.get("age_band"):
        qs = qs.filter(_age_filter(filters["age_band"], last, person))
    if filters.get("category") and category:
        qs = qs.filter(**{category: filters["category"]})
    if filters.get("status"):
        if segment == "BPU":
            if filters["status"] != "paid":
                qs = qs.none()
        elif segment == "JAKON":
            # a project counts as paid when its bills together are paid
            qs = _jakon_status(qs, filters["status"])
        else:
            qs = _bill_status(qs, filters["status"], bills)
    for key, by_code in (("regency", True), ("province", False)):
        code = scope.regency if key == "regency" else scope.province
        if not code:
            continue
        if area:
            qs = qs.filter(**{area: code} if by_code else {f"{area}__code__startswith": f"{code}."})
        else:
            qs = qs.filter(**{f"{person}__nik__startswith": _nik_regency(code)})
        break
    page = list(
        qs.filter(pk__gt=after)
        .order_by("pk")
        .values("pk", "participant__kpj", f"{person}__full_name", f"{person}__sex", place)[
            : PAGE + 1
        ]
    )
    more = len(page) > PAGE
    page = page[:PAGE]
    return {
        **summary_meta(scope),
        "period": period,
        "segment": segment,
        "filters": {k: v for k, v in filters.items() if v},
        "rows": [
            {
                "kpj": r["participant__kpj"],
                "name": r[f"{person}__full_name"],
                "sex": r[f"{person}__sex"],
                "where": r[place],
            }
            for r in page
        ],
        "next_after": page[-1]["pk"] if more else None,
    }


def _jakon_status(qs: QuerySet[Any], status: str) -> QuerySet[Any]:
    from django.db.models import Sum

    _check_status(status)
    totals = (
        Bill.objects.filter(kind="jakon", cancelled_at__isnull=True)
        .values("project_id")
        .annotate(total=Sum("total_idr"), paid=Sum("paid_idr"))
    )
    if status == "unbilled":
        return qs.exclude(project_id__in=totals.values("project_id"))
    paid = totals.filter(paid__gte=F("total")).values("project_id")
    if status == "paid":
        return qs.filter(project_id__in=paid)
    return qs.filter(project_id__in=totals.values("project_id")).exclude(project_id__in=paid)
