"""Coverage: for a person and a month, which programmes were covered and whether they were
paid — what claims read (JKP's 12 paid months of the last 24, JP contribution months, an
employer's arrears of more than 3 months).

A wage earner's month is covered by an employment in force in it; it is *paid* when the
employer's bill for that month carries the worker's lines and is paid in full. An informal
member's month is covered and paid when a paid bill's cover includes it (from the day of
payment after a lapse). A project worker is covered while the project's first instalment is
paid; a migrant worker from the day the package is paid, for the contract months.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from jamsos.contributions.models import Bill, BillLine, BpuCover
from jamsos.registry.models import Employment, Person, PmiPlacement, ProjectWorker
from jamsos.rules.calc.dates import add_months, month_start, period


@dataclass
class MonthCoverage:
    period: str
    programmes: set[str] = field(default_factory=set)
    paid_programmes: set[str] = field(default_factory=set)
    sources: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "period": self.period,
            "programmes": sorted(self.programmes),
            "paid_programmes": sorted(self.paid_programmes),
            "sources": self.sources,
        }


def _months(first: date, last: date) -> list[date]:
    months, month = [], month_start(first)
    while month <= month_start(last):
        months.append(month)
        month = add_months(month, 1)
    return months


def person_coverage(person: Person, first: date, last: date) -> list[MonthCoverage]:
    """Month by month from ``first`` to ``last`` (at most 10 years)."""
    months = _months(first, last)[:120]
    result = {period(m): MonthCoverage(period(m)) for m in months}
    if not months:
        return []
    start, end = months[0], add_months(months[-1], 1)
    _pu(person, start, end, result)
    _bpu(person, start, end, result)
    _jakon(person, start, end, result)
    _pmi(person, start, end, result)
    return list(result.values())


def _pu(person: Person, start: date, end: date, result: dict[str, MonthCoverage]) -> None:
    employments = list(
        Employment.objects.filter(participant__person=person, start_on__lt=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=start))
        .select_related("employer")
    )
    if not employments:
        return
    lines: dict[tuple[int | None, str], set[str]] = defaultdict(set)
    bills: dict[tuple[int | None, str], Bill] = {}
    for line in BillLine.objects.filter(
        employment__in=employments, bill__kind="pu", bill__period__in=list(result)
    ).select_related("bill"):
        lines[(line.employment_id, line.bill.period)].add(line.programme)
        bills[(line.employment_id, line.bill.period)] = line.bill
    for employment in employments:
        for key, month in result.items():
            first = date(int(key[:4]), int(key[5:7]), 1)
            if employment.start_on >= add_months(first, 1):
                continue
            if employment.end_on is not None and employment.end_on < first:
                continue
            programmes = lines.get((employment.pk, key), set())
            bill = bills.get((employment.pk, key))
            paid = bill is not None and bill.paid_on is not None
            month.programmes |= programmes
            if paid:
                month.paid_programmes |= programmes
            month.sources.append(
                {
                    "segment": "PU",
                    "employer": employment.employer.legal_name,
                    "npp": employment.employer.npp,
                    "billed": bill is not None,
                    "payment_code": bill.payment_code if bill else None,
                    "due_on": bill.due_on.isoformat() if bill else None,
                    "paid_on": bill.paid_on.isoformat() if bill and bill.paid_on else None,
                }
            )


def _bpu(person: Person, start: date, end: date, result: dict[str, MonthCoverage]) -> None:
    covers = BpuCover.objects.filter(
        participant__person=person,
        revoked_at__isnull=True,
        first_month__lt=end,
        last_month__gte=start,
    ).select_related("bill")
    for cover in covers:
        for month in _months(cover.first_month, cover.last_month):
            entry = result.get(period(month))
            if entry is None:
                continue
            programmes = set(cover.programmes.split(","))
            entry.programmes |= programmes
            entry.paid_programmes |= programmes
            entry.sources.append(
                {
                    "segment": "BPU",
                    "payment_code": cover.bill.payment_code,
                    "protected_from": max(cover.cover_from, month).isoformat(),
                    "paid_on": cover.bill.paid_on.isoformat() if cover.bill.paid_on else None,
                }
            )


def _jakon(person: Person, start: date, end: date, result: dict[str, MonthCoverage]) -> None:
    work = list(
        ProjectWorker.objects.filter(participant__person=person, start_on__lt=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=start))
        .select_related("project")
    )
    covered = dict(  # each project's first instalment paid on: one query for all projects
        Bill.objects.filter(
            project_id__in={w.project_id for w in work}, kind="jakon", instalment=1
        ).values_list("project_id", "paid_on")
    )
    for worker in work:
        covered_from = covered.get(worker.project_id)
        last = worker.end_on or worker.project.end_on
        for month in _months(max(worker.start_on, start), min(last, add_months(end, -1))):
            entry = result.get(period(month))
            if entry is None or covered_from is None or covered_from >= add_months(month, 1):
                continue
            entry.programmes |= {"JKK", "JKM"}
            entry.paid_programmes |= {"JKK", "JKM"}
            entry.sources.append(
                {
                    "segment": "JAKON",
                    "project": worker.project.number,
                    "paid_on": covered_from.isoformat(),
                }
            )


def _pmi(person: Person, start: date, end: date, result: dict[str, MonthCoverage]) -> None:
    for placement in PmiPlacement.objects.filter(participant__person=person):
        bill = Bill.objects.filter(placement=placement, kind="pmi").first()
        if bill is None or bill.paid_on is None:
            continue
        last = add_months(month_start(bill.paid_on), placement.contract_months)
        for month in _months(bill.paid_on, last):
            entry = result.get(period(month))
            if entry is None:
                continue
            entry.programmes |= {"JKK", "JKM"}
            entry.paid_programmes |= {"JKK", "JKM"}
            entry.sources.append(
                {
                    "segment": "PMI",
                    "country": placement.destination_country,
                    "paid_on": bill.paid_on.isoformat(),
                }
            )


def paid_months(person: Person, programme: str, first: date, last: date) -> int:
    """How many months from ``first`` to ``last`` had ``programme`` paid (JKP: 12 of 24)."""
    return sum(1 for m in person_coverage(person, first, last) if programme in m.paid_programmes)


def employer_arrears_months(employer_id: int, on: date) -> int:
    """How many of an employer's PU bills were past due and not paid in full on ``on``."""
    return (
        Bill.objects.filter(kind="pu", employer_id=employer_id, due_on__lt=on)
        .filter(Q(paid_on__isnull=True) | Q(paid_on__gt=on))
        .count()
    )
