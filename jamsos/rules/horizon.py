"""The rule horizon: which rule tables end, turn provisional or are due for their yearly renewal
soon, and what depends on each, so the data is extended months before anything is refused.

Pure module: no Django. ``jamsos rules horizon``, ``/healthz`` and the system administrator's
home page all call :func:`horizon`; docs/rules.md says who renews each table and when.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from jamsos.rules.calc import computed_holidays
from jamsos.rules.calc.tables import FILES, RuleBook, Version, rule_book

DEFAULT_DAYS = 120
#: How long a missing figure needed after its year (JHT.RETURN) stays listed.
RETIRED_AFTER_DAYS = 365

BILLING = "billing"
PAYMENTS = "payments"
PROJECTS = "projects and PMI bills"
CLAIMS = "claims"
PAYROLL = "pension payroll"
JHT_RETURNS = "JHT returns"
SIMULATIONS = "simulations"
REPORTS = "reports"


@dataclass(frozen=True)
class Table:
    """One rule table as the horizon sees it."""

    name: str  # the data file, or "file: RULE" for one rule of a shared file
    rules: tuple[str, ...]  # rule ids, or prefixes ending in "."
    used_by: tuple[str, ...]
    renewed_by: str
    #: (month, day) on which a new version is due every year; None for tables that change only
    #: when a regulation does
    renew_on: tuple[int, int] | None = None
    #: years between a version's dates and the day it is needed (1 for JHT.RETURN: a year's rate
    #: is credited after the year closes)
    lag_years: int = 0

    def covers(self, rule: str) -> bool:
        return any(rule == r or (r.endswith(".") and rule.startswith(r)) for r in self.rules)


SKB = (
    "the rules maintainer, from the joint decree (SKB) of the Ministers of Religious Affairs, "
    "Manpower and Administrative Reform, signed each year between September and November"
)
REGULATION = "the rules maintainer, when a government regulation or ministerial decree changes it"

#: Tables with a yearly renewal or special handling first; every other data file follows.
SPECIAL: tuple[Table, ...] = (
    Table(
        "holidays.csv",
        ("HOLIDAYS",),
        (BILLING, PAYMENTS, PROJECTS, SIMULATIONS),
        SKB,
    ),
    Table(
        "jp_wage_cap.csv",
        ("PU.JP.WAGE_CAP",),
        (BILLING, SIMULATIONS),
        "the rules maintainer, from BPJS Ketenagakerjaan's letter each February (the cap grows "
        "by the previous year's GDP growth, PP 45/2015 Pasal 29), in force from 1 March",
        renew_on=(3, 1),
    ),
    Table(
        "rates.csv: PU.WAGE_FLOOR",
        ("PU.WAGE_FLOOR",),
        (BILLING, SIMULATIONS),
        "the rules maintainer, from the lowest provincial minimum wage (UMP) the governors set "
        "by 21 November, in force from 1 January",
        renew_on=(1, 1),
    ),
    Table(
        "jp_benefit_limits.csv",
        ("JP.LIMITS",),
        (CLAIMS, PAYROLL, SIMULATIONS),
        "the rules maintainer, from BPJS Ketenagakerjaan's yearly announcement of the indexed "
        "JP minimum and maximum (PP 45/2015 Pasal 18), in force from 1 March",
        renew_on=(3, 1),
    ),
    Table(
        "jht_returns.csv",
        ("JHT.RETURN",),
        (JHT_RETURNS,),
        "the rules maintainer, from the JHT fund's declared return of the year just closed "
        "(PP 46/2015 Pasal 22), before `jamsos jht credit-returns` runs in January",
        renew_on=(1, 1),
        lag_years=1,
    ),
    Table(
        "discounts.csv",
        ("DISCOUNT.",),
        (BILLING, PAYMENTS, SIMULATIONS),
        "the rules maintainer, when a regulation grants or extends a discount (after it ends "
        "the full rate applies: nothing is refused)",
    ),
)

OTHER_USERS: dict[str, tuple[str, ...]] = {
    "rates.csv": (BILLING, PAYMENTS, PROJECTS, SIMULATIONS),
    "jakon_tiers.csv": (PROJECTS, SIMULATIONS),
    "pmi_packages.csv": (PROJECTS, SIMULATIONS),
    "pmi_jht_options.csv": (PROJECTS, SIMULATIONS),
    "bpu_brackets.csv": (PAYMENTS, SIMULATIONS),
    "retirement_age.csv": (CLAIMS, PAYROLL, SIMULATIONS),
    "benefits.csv": (CLAIMS, SIMULATIONS),
    "stmb_schedule.csv": (CLAIMS, SIMULATIONS),
    "scholarships.csv": (CLAIMS, SIMULATIONS),
    "jkp_schedule.csv": (CLAIMS, PAYROLL, SIMULATIONS),
    "jht_tax.csv": (CLAIMS, SIMULATIONS),
}


def tables(book: RuleBook) -> tuple[Table, ...]:
    """Every table: the special ones, then each data file with the rules not covered above."""
    found = list(SPECIAL)
    for name in FILES:
        held = book.sources.get(name, ())
        rules = tuple(r for r in held if not any(t.covers(r) for t in SPECIAL))
        if rules:
            found.append(Table(name, rules, OTHER_USERS[name], REGULATION))
    return tuple(found)


@dataclass(frozen=True)
class Finding:
    table: str
    kind: str  # "ends" | "provisional" | "renewal_due"
    on: date  # the day the table ends (first day without it), turns provisional, or is due
    detail: str
    used_by: tuple[str, ...]
    renewed_by: str

    def as_json(self, today: date) -> dict[str, object]:
        return {
            "table": self.table,
            "kind": self.kind,
            "on": self.on.isoformat(),
            "days_left": (self.on - today).days,
            "detail": self.detail,
            "used_by": list(self.used_by),
            "renewed_by": self.renewed_by,
        }


@dataclass(frozen=True)
class Horizon:
    today: date
    days: int
    findings: tuple[Finding, ...]

    @property
    def status(self) -> str:
        """``ok``, or ``expiring`` when any table needs attention within the window."""
        return "expiring" if self.findings else "ok"

    def as_json(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "days": self.days,
            "until": (self.today + timedelta(days=self.days)).isoformat(),
            "status": self.status,
            "tables": [f.as_json(self.today) for f in self.findings],
        }


def _shift(day: date, years: int) -> date:
    return day.replace(year=day.year + years) if years else day


def _last_versions(book: RuleBook, table: Table) -> list[Version]:
    """The latest version of each rule (and each row of a keyed table) of the table."""
    latest: dict[tuple[str, str], Version] = {}
    versions: Iterable[Version] = [v for vs in book.rules.values() for v in vs] + list(
        book.discounts
    )
    for v in versions:
        if table.covers(v.rule):
            known = latest.get((v.rule, v.key))
            if known is None or v.effective_from > known.effective_from:
                latest[(v.rule, v.key)] = v
    return list(latest.values())


def _holidays(book: RuleBook, table: Table, today: date, until: date) -> list[Finding]:
    findings = []
    years = range(today.year, until.year + 1)
    missing = next((y for y in years if book.holiday_status(y) is None), None)
    if missing is not None:
        on = max(today, date(missing, 1, 1))
        findings.append(
            Finding(
                table.name,
                "ends",
                on,
                f"no holiday calendar for {missing}: due dates from {on} are refused",
                table.used_by,
                table.renewed_by,
            )
        )
    provisional = next((y for y in years if book.holiday_status(y) == "provisional"), None)
    if provisional is not None:
        on = max(today, date(provisional, 1, 1))
        findings.append(
            Finding(
                table.name,
                "provisional",
                on,
                f"the {provisional} calendar is computed by {computed_holidays.SOURCE} "
                f"(provisional) until the year's SKB is entered",
                table.used_by,
                table.renewed_by,
            )
        )
    return findings


def _versioned(book: RuleBook, table: Table, today: date, until: date) -> list[Finding]:
    findings = []
    last = _last_versions(book, table)
    # a figure needed after the fact stays listed until it is entered; a rule that ended before
    # today was superseded on purpose (one that runs out unplanned fails the 400-day test first)
    since = today - timedelta(days=RETIRED_AFTER_DAYS if table.lag_years else 1)
    ending = sorted(
        {
            (_shift(v.effective_to, table.lag_years), v.rule, v.effective_to)
            for v in last
            if v.effective_to is not None
            and since < _shift(v.effective_to, table.lag_years) <= until
        }
    )
    if ending:
        parts = []
        for on, rule, effective_to in ending:
            if table.lag_years:
                parts.append(f"{rule}: the {effective_to.year} figure is needed from {on}")
            else:
                parts.append(f"{rule}: the last version ends on {on - timedelta(days=1)}")
        findings.append(
            Finding(
                table.name, "ends", ending[0][0], "; ".join(parts), table.used_by, table.renewed_by
            )
        )
    starting = sorted(
        v.effective_from for v in last if v.status == "provisional" and today < v.effective_from
    )
    if starting and starting[0] <= until:
        findings.append(
            Finding(
                table.name,
                "provisional",
                starting[0],
                f"provisional rows begin on {starting[0]}",
                table.used_by,
                table.renewed_by,
            )
        )
    if table.renew_on is not None and last:
        newest = max(v.effective_from for v in last)
        month, day = table.renew_on
        due = date(newest.year, month, day)
        if due <= newest:
            due = date(newest.year + 1, month, day)
        due = _shift(due, table.lag_years)
        open_ended = any(v.effective_to is None for v in last)
        if open_ended and due <= until:
            findings.append(
                Finding(
                    table.name,
                    "renewal_due",
                    due,
                    f"the version from {newest} is carried forward: the figure in force "
                    f"from {due} is not in the data yet",
                    table.used_by,
                    table.renewed_by,
                )
            )
    return findings


def horizon(
    today: date,
    days: int = DEFAULT_DAYS,
    book: RuleBook | None = None,
    extra: Sequence[Finding] | None = None,
) -> Horizon:
    """Every table that ends, turns provisional or is due for renewal on or before
    ``today + days``, soonest first. ``extra`` defaults to the reports' minimum wages."""
    book = book or rule_book()
    if extra is None:
        # reference data of the reports, renewed each year like the rules (a pure module)
        from jamsos.reporting.minimum_wage import minimum_wage_table

        extra = (minimum_wage_finding({y for _a, y in minimum_wage_table()}, today),)
    until = today + timedelta(days=days)
    findings: list[Finding] = [f for f in extra if f.on <= until]
    for table in tables(book):
        if table.rules == ("HOLIDAYS",):
            findings += _holidays(book, table, today, until)
        else:
            findings += _versioned(book, table, today, until)
    findings.sort(key=lambda f: (f.on, f.table, f.kind))
    return Horizon(today, days, tuple(findings))


@lru_cache(maxsize=4)
def horizon_on(today: date) -> Horizon:
    """:func:`horizon` with the default window, once a day per process (``/healthz`` and the
    administrator's home page ask it on every request)."""
    return horizon(today)


def minimum_wage_finding(years: Iterable[int], today: date) -> Finding:
    """The regional minimum wages the reports compare wages with: a year without rows falls
    back to the latest provincial figure, so the next year is due on 1 January."""
    newest = max(years, default=today.year - 1)
    due = date(newest + 1, 1, 1)
    return Finding(
        "reporting/minimum_wages.csv",
        "renewal_due",
        due,
        f"minimum wages (UMP, UMK) end with {newest}: reports from {due} compare wages with "
        f"the {newest} provincial figures",
        (REPORTS,),
        "the reports maintainer, from the governors' decrees (UMP by 21 November, UMK by "
        "30 November)",
    )
