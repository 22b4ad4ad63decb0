"""The contribution month: a typed (year, month) instead of a "YYYY-MM" string.

Pure module: no Django. Database columns keep the seven-character text ("2026-09"); the value
is parsed once at the edge (``Period.parse``, or ``parse_period`` for input that a person
typed) and formatted once (``str(period)``).

One convention for month differences: ``months_between(first, last)`` is the number of steps
from ``first`` to ``last`` (``last - first``), so September to October is 1 and a span that
counts both ends has ``months_between(first, last) + 1`` months.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import overload

from jamsos.core.errors import field_error

_PATTERN = re.compile(r"(\d{4})-(\d{1,2})")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month.

    >>> p = Period.parse("2026-11")
    >>> str(p + 2), str(p - 11), p.first_day, p.last_day
    ('2027-01', '2025-12', datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    >>> Period(2027, 1) - p
    2
    """

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 1 <= self.year <= 9999):
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"YYYY-MM"`` (a one-digit month too); anything else is a ``ValueError``."""
        match = _PATTERN.fullmatch(text)
        if match is None:
            raise ValueError(f"not a month as YYYY-MM: {text!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, on: date) -> Period:
        """The month ``on`` falls in."""
        return cls(on.year, on.month)

    @classmethod
    def from_index(cls, index: int) -> Period:
        """The inverse of ``index``."""
        year, month = divmod(index, 12)
        return cls(year, month + 1)

    @property
    def index(self) -> int:
        """Months since the start of year 0: ``year * 12 + month - 1``."""
        return self.year * 12 + self.month - 1

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __add__(self, months: int) -> Period:
        return Period.from_index(self.index + months)

    @overload
    def __sub__(self, other: int) -> Period: ...

    @overload
    def __sub__(self, other: Period) -> int: ...

    def __sub__(self, other: int | Period) -> Period | int:
        if isinstance(other, Period):
            return self.index - other.index
        return Period.from_index(self.index - other)

    def until(self, last: Period) -> Iterator[Period]:
        """Every month from this one to ``last``, both included (none if ``last`` is earlier)."""
        for index in range(self.index, last.index + 1):
            yield Period.from_index(index)


def months_between(first: Period, last: Period) -> int:
    """Steps from ``first`` to ``last`` (negative if ``last`` is earlier); a span counting both
    ends has one month more.

    >>> months_between(Period(2025, 10), Period(2026, 9))
    11
    """
    return last.index - first.index


def parse_period(text: str, field: str = "period") -> Period:
    """A month a person typed, as a domain error on ``field`` when it is not ``YYYY-MM``."""
    try:
        return Period.parse(text.strip())
    except ValueError:
        raise field_error(field, "must be YYYY-MM", "harus YYYY-MM") from None
