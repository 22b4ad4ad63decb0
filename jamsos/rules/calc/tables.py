"""Rule data: effective-dated rows loaded from the CSV files in ``jamsos/rules/data``.

Pure module: no Django, no database. Every row carries ``effective_from`` (inclusive),
``effective_to`` (exclusive, ``None`` while in force), its legal basis and a status
(``confirmed`` or ``provisional`` with a note). :func:`rule_book` loads and validates all
files once; :meth:`RuleBook.version` picks the version in force on a date.

Adding next year's JP cap or a new discount is a new row in a data file: see docs/rules.md.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import TypeVar, cast

from jamsos.core.errors import RuleViolation
from jamsos.rules.calc import computed_holidays

STATUSES = ("confirmed", "provisional")
T = TypeVar("T")


class RuleDataError(ValueError):
    """The rule data files are inconsistent (overlap, gap, missing legal basis ...)."""


class RuleNotInForce(RuleViolation, LookupError):
    """No version of a rule is in force on the requested date.

    A domain error with a stable code, so every interface refuses with a message naming the
    rule and the date (API 400 ``rule.not_in_force``, a page saying so, the CLI exiting 1)
    instead of failing: the rule data has to be extended (docs/rules.md).

    >>> RuleNotInForce("HOLIDAYS", date(2051, 1, 2)).message_for("id")
    'Aturan HOLIDAYS tidak berlaku pada 2051-01-02: data aturan belum mencakup tanggal itu.'
    """

    default_code = "rule.not_in_force"

    def __init__(self, rule: str, on: date) -> None:
        super().__init__(
            f"no version of {rule} is in force on {on.isoformat()}: "
            "the rule data does not cover that date yet.",
            message_id=f"Aturan {rule} tidak berlaku pada {on.isoformat()}: "
            "data aturan belum mencakup tanggal itu.",
        )
        self.rule = rule
        self.on = on


@dataclass(frozen=True)
class Version:
    """One version of one rule (or one row of a versioned table such as a tier or a package)."""

    rule: str
    effective_from: date
    effective_to: date | None
    legal_basis: str
    status: str
    note: str
    values: Mapping[str, str] = field(default_factory=dict)
    key: str = ""  # tells rows of one rule apart in a table (tier, package, bracket)

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)

    def decimal(self, name: str) -> Decimal:
        return Decimal(self.values[name])

    def integer(self, name: str) -> int:
        return int(self.values[name])

    def optional_integer(self, name: str) -> int | None:
        raw = self.values.get(name, "")
        return int(raw) if raw else None


def _date(raw: str, where: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise RuleDataError(f"{where}: not an ISO date: {raw!r}") from None


def parse_rows(
    rows: Iterable[Mapping[str, str]], *, source: str, key_columns: Sequence[str] = ()
) -> list[Version]:
    """Turn CSV rows into versions; the columns other than the standard ones become values."""
    standard = {"rule", "effective_from", "effective_to", "legal_basis", "status", "note"}
    versions = []
    for number, row in enumerate(rows, start=2):
        where = f"{source} line {number}"
        rule = (row.get("rule") or "").strip()
        if not rule:
            raise RuleDataError(f"{where}: the rule id is empty")
        effective_to = (row.get("effective_to") or "").strip()
        versions.append(
            Version(
                rule=rule,
                effective_from=_date((row.get("effective_from") or "").strip(), where),
                effective_to=_date(effective_to, where) if effective_to else None,
                legal_basis=(row.get("legal_basis") or "").strip(),
                status=(row.get("status") or "").strip(),
                note=(row.get("note") or "").strip(),
                values={k: (v or "").strip() for k, v in row.items() if k not in standard},
                key="/".join((row.get(c) or "").strip() for c in key_columns),
            )
        )
    return versions


def validate(versions: Sequence[Version], *, source: str, gaps_allowed: bool = False) -> list[str]:
    """Problems in a set of versions: missing legal basis or status, overlaps, gaps."""
    problems = []
    for v in versions:
        label = f"{source}: {v.rule}{'/' + v.key if v.key else ''} from {v.effective_from}"
        if not v.legal_basis:
            problems.append(f"{label}: no legal basis")
        if v.status not in STATUSES:
            problems.append(f"{label}: status must be confirmed or provisional, not {v.status!r}")
        if v.status == "provisional" and not v.note:
            problems.append(f"{label}: a provisional row needs a note saying what is unconfirmed")
        if v.effective_to is not None and v.effective_to <= v.effective_from:
            problems.append(f"{label}: effective_to {v.effective_to} is not after effective_from")
    groups: dict[tuple[str, str], list[Version]] = defaultdict(list)
    for v in versions:
        groups[(v.rule, v.key)].append(v)
    for (rule, key), group in groups.items():
        group.sort(key=lambda v: v.effective_from)
        for before, after in pairwise(group):
            name = f"{source}: {rule}{'/' + key if key else ''}"
            if before.effective_to is None or after.effective_from < before.effective_to:
                problems.append(
                    f"{name}: versions from {before.effective_from} and "
                    f"{after.effective_from} overlap"
                )
            elif after.effective_from > before.effective_to and not gaps_allowed:
                problems.append(
                    f"{name}: gap between {before.effective_to} and {after.effective_from}"
                )
    return problems


@dataclass(frozen=True)
class Holiday:
    on: date
    name: str
    kind: str  # "public" (moves due dates) or "collective_leave" (does not)
    legal_basis: str
    status: str


@cache
def computed_calendar(year: int) -> Mapping[date, Holiday]:
    """The provisional calendar of a year from the ``holidays`` package (empty outside the
    years it covers completely); computed once per year and process."""
    basis = computed_holidays.legal_basis(year)
    return {
        day: Holiday(day, name, kind, basis, "provisional")
        for day, (name, kind) in computed_holidays.computed_days(year).items()
    }


@dataclass(frozen=True)
class RuleBook:
    """All rule data, indexed by rule id.

    Lookups are memoised: the same rule on the same date always gives the same answer, and a
    billing run asks the same few questions for every worker of a month.
    """

    rules: Mapping[str, tuple[Version, ...]]
    discounts: tuple[Version, ...]
    holidays: Mapping[date, Holiday]  # the official rows of holidays.csv
    holiday_years: frozenset[int]  # the years that have official rows
    #: a year's provisional calendar, asked only for a year without official rows
    computed_holidays: Callable[[int], Mapping[date, Holiday]] | None = None
    #: data file -> the rule ids it holds
    sources: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _memo: dict[tuple[object, ...], object] = field(default_factory=dict, compare=False, repr=False)

    def _remember(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        try:
            found = self._memo[key]
        except KeyError:
            try:
                found = compute()
            except RuleNotInForce as exc:
                found = exc
            self._memo[key] = found
        if isinstance(found, RuleNotInForce):
            raise RuleNotInForce(found.rule, found.on)
        return cast(T, found)

    def versions(self, rule: str) -> tuple[Version, ...]:
        return self.rules.get(rule, ())

    def version(self, rule: str, on: date) -> Version:
        """The one version of a single-row rule in force on ``on``."""

        def find() -> Version:
            for v in self.rules.get(rule, ()):
                if v.in_force(on):
                    return v
            raise RuleNotInForce(rule, on)

        return self._remember(("version", rule, on), find)

    def table(self, rule: str, on: date) -> list[Version]:
        """All rows of a table rule (tiers, packages, brackets) in force on ``on``."""

        def find() -> tuple[Version, ...]:
            rows = tuple(v for v in self.rules.get(rule, ()) if v.in_force(on))
            if not rows:
                raise RuleNotInForce(rule, on)
            return rows

        return list(self._remember(("table", rule, on), find))

    def discounts_for(self, rule: str, on: date, eligibility: frozenset[str]) -> list[Version]:
        """Discounts in force on ``on`` that apply to ``rule`` for a subject with these flags."""

        def find() -> tuple[Version, ...]:
            found = []
            for d in self.discounts:
                prefixes = d.values["applies_to"].split()
                applies = any(rule == p or rule.startswith(p + ".") for p in prefixes)
                flag = d.values["eligibility"]
                if applies and (flag == "all" or flag in eligibility) and d.in_force(on):
                    found.append(d)
            return tuple(found)

        key = ("discounts", rule, on, eligibility)
        return list(self._remember(key, find))

    def calendar(self, year: int) -> Mapping[date, Holiday]:
        """A year's holidays: the official rows where ``holidays.csv`` has the year (they win
        over computed ones), else the provisional computed calendar; :class:`RuleNotInForce`
        for ``HOLIDAYS`` where neither exists."""

        def find() -> Mapping[date, Holiday]:
            if year in self.holiday_years:
                return {d: h for d, h in self.holidays.items() if d.year == year}
            computed = self.computed_holidays(year) if self.computed_holidays else {}
            if not computed:
                raise RuleNotInForce("HOLIDAYS", date(year, 1, 1))
            return computed

        return self._remember(("calendar", year), find)

    def is_working_day(self, day: date) -> bool:
        """Not a Saturday, Sunday or public holiday; collective leave (*cuti bersama*) is a
        working day (project rule 10). The one place that answers this question."""
        try:
            holiday = self.calendar(day.year).get(day)
        except RuleNotInForce:
            raise RuleNotInForce("HOLIDAYS", day) from None
        return day.weekday() < 5 and not (holiday and holiday.kind == "public")

    def holiday_status(self, year: int) -> str | None:
        """``confirmed`` for a year with official rows, ``provisional`` for a computed one,
        None for a year without a calendar."""
        if year in self.holiday_years:
            return "confirmed"
        try:
            self.calendar(year)
        except RuleNotInForce:
            return None
        return "provisional"


#: data file -> (columns that tell rows of one rule apart, whether gaps between versions are ok)
FILES: dict[str, tuple[tuple[str, ...], bool]] = {
    "rates.csv": ((), False),
    "jp_wage_cap.csv": ((), False),
    "jakon_tiers.csv": (("tier",), False),
    "pmi_packages.csv": (("max_contract_months",), False),
    "pmi_jht_options.csv": (("amount_idr",), False),
    "bpu_brackets.csv": (("lower_idr",), False),
    "retirement_age.csv": ((), False),
    "benefits.csv": ((), False),
    "stmb_schedule.csv": (("from_month",), False),
    "scholarships.csv": (("level",), False),
    "jp_benefit_limits.csv": ((), False),
    "jkp_schedule.csv": (("from_month",), False),
    "jht_tax.csv": (("lower_idr",), False),
    "jht_returns.csv": ((), False),
}


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("jamsos.rules").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def load(
    read: object = None,
    computed: Callable[[int], Mapping[date, Holiday]] | None = computed_calendar,
) -> RuleBook:
    """Read and validate every data file; raise :class:`RuleDataError` listing all problems.
    ``computed`` gives the provisional holiday calendar of a year without official rows."""
    reader = read if callable(read) else _read
    problems: list[str] = []
    rules: dict[str, list[Version]] = defaultdict(list)
    sources: dict[str, tuple[str, ...]] = {}
    for name, (key_columns, gaps_allowed) in FILES.items():
        rows = reader(name)
        if name == "jp_wage_cap.csv":
            rows = [{"rule": "PU.JP.WAGE_CAP", **r} for r in rows]
        versions = parse_rows(rows, source=name, key_columns=key_columns)
        problems += validate(versions, source=name, gaps_allowed=gaps_allowed)
        sources[name] = tuple(sorted({v.rule for v in versions}))
        for v in versions:
            rules[v.rule].append(v)
    discounts = parse_rows(reader("discounts.csv"), source="discounts.csv")
    problems += validate(discounts, source="discounts.csv", gaps_allowed=True)
    holidays: dict[date, Holiday] = {}
    for number, row in enumerate(reader("holidays.csv"), start=2):
        on = _date(row["date"], f"holidays.csv line {number}")
        if not row.get("legal_basis"):
            problems.append(f"holidays.csv line {number}: no legal basis")
        if row.get("kind") not in ("public", "collective_leave"):
            problems.append(f"holidays.csv line {number}: kind must be public or collective_leave")
        holidays[on] = Holiday(on, row["name"], row["kind"], row["legal_basis"], row["status"])
    if problems:
        raise RuleDataError("rule data problems:\n" + "\n".join(problems))
    return RuleBook(
        rules={k: tuple(sorted(v, key=lambda x: x.effective_from)) for k, v in rules.items()},
        discounts=tuple(discounts),
        holidays=holidays,
        holiday_years=frozenset(d.year for d in holidays),
        computed_holidays=computed,
        sources=sources,
    )


@lru_cache(maxsize=1)
def rule_book() -> RuleBook:
    """The rule data shipped with Jamsos, loaded once per process."""
    return load()
