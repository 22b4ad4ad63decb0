"""Dates: contribution due dates (moved past weekends and national holidays), retirement age.

Pure module. Holidays are data (``holidays.csv``, the official decree) and, for a year the decree
is not yet entered, the provisional calendar computed by the ``holidays`` package; the rule book
answers which days are working days. Collective leave days (*cuti bersama*) do not move a due
date (project rule 10).
"""

from __future__ import annotations

import calendar as _calendar  # the standard library
from datetime import date, timedelta

from jamsos.rules.calc.tables import RuleBook, RuleNotInForce


def month_start(on: date) -> date:
    return on.replace(day=1)


def add_months(on: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day."""
    index = on.year * 12 + on.month - 1 + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(on.day, last))


def period(on: date) -> str:
    return f"{on.year:04d}-{on.month:02d}"


def is_working_day(day: date, book: RuleBook) -> bool:
    """:meth:`RuleBook.is_working_day`: official holidays, else the computed calendar."""
    return book.is_working_day(day)


def next_working_day(day: date, book: RuleBook) -> date:
    """``day`` itself if it is a working day, else the next one."""
    while not is_working_day(day, book):
        day += timedelta(days=1)
    return day


def _day_in_month(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def pu_due_date(contribution_month: date, book: RuleBook) -> date:
    """PU: the 15th of the following month (30th under PP 49/2020), moved to a working day."""
    start = month_start(contribution_month)
    day = book.version("PU.DUE_DAY", start).integer("amount_idr")
    following = add_months(start, 1)
    return next_working_day(_day_in_month(following.year, following.month, day), book)


def bpu_due_date(contribution_month: date, book: RuleBook) -> date:
    """BPU: the 15th of the contribution month itself, moved to a working day."""
    start = month_start(contribution_month)
    day = book.version("BPU.DUE_DAY", start).integer("amount_idr")
    return next_working_day(_day_in_month(start.year, start.month, day), book)


def months_late(due_on: date, paid_on: date) -> int:
    """Months or parts of a month after the due date (project rule 4).

    >>> months_late(date(2026, 6, 15), date(2026, 6, 15))
    0
    >>> months_late(date(2026, 6, 15), date(2026, 6, 16))
    1
    >>> months_late(date(2026, 6, 15), date(2026, 7, 15))
    1
    >>> months_late(date(2026, 6, 15), date(2026, 8, 10))
    2
    """
    if paid_on <= due_on:
        return 0
    whole = (paid_on.year - due_on.year) * 12 + paid_on.month - due_on.month
    if add_months(due_on, whole) < paid_on:
        whole += 1
    return whole


def birthday(birth_date: date, age: int) -> date:
    """The day a person reaches ``age`` (29 Feb births reach it on 1 Mar in common years)."""
    year = birth_date.year + age
    if birth_date.month == 2 and birth_date.day == 29 and not _calendar.isleap(year):
        return date(year, 3, 1)
    return birth_date.replace(year=year)


def retirement_age_in(year: int, book: RuleBook) -> int:
    """The JP retirement age that applies in a calendar year (PP 45/2015 Pasal 15)."""
    return book.version("JP.RETIREMENT_AGE", date(year, 1, 1)).integer("age")


def retirement_date(birth_date: date, book: RuleBook) -> tuple[date, int]:
    """The day a person reaches retirement age, and that age: the first birthday on which
    their age is at least the retirement age of that year."""
    for age in range(50, 71):
        day = birthday(birth_date, age)
        if day.year < 2015:
            continue
        if age >= retirement_age_in(day.year, book):
            return day, age
    raise RuleNotInForce("JP.RETIREMENT_AGE", birth_date)  # pragma: no cover - table ends at 65
