"""The bounds of every input, as data in one place (docs/validation.md).

Pure module: no Django. Schemas at the edge (API, forms) and the services both check against
these tables, so a value no column, calculation or report can hold is refused with a stable
code and the field at fault instead of failing deep inside (a 500).

- :data:`MONEY_CEILING_IDR` — the largest amount of each kind (every amount is above 0);
- :data:`DATE_WINDOWS` — the dates each kind of field may take, some fixed, some around today;
- :func:`bounded_period` — contribution months (``YYYY-MM``) through the one parser of
  :mod:`jamsos.core.period`, within their window;
- :data:`PAID_AT_WINDOW` — how far a bank's ``paid_at`` may lie from the time we receive it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from jamsos.core.errors import field_error
from jamsos.core.period import Period, parse_period

#: The largest whole number a 64-bit column holds; anything larger is refused at the edge.
INT64_MAX = 2**63 - 1

#: JSON bodies nested deeper than this are refused before anything recurses into them.
MAX_JSON_DEPTH = 32

#: Request bodies: JSON and forms (Django's DATA_UPLOAD_MAX_MEMORY_SIZE) and multipart uploads
#: (a 20 MB worker list plus the form around it).
MAX_BODY_BYTES = 2_621_440
MAX_MULTIPART_BYTES = 21 * 1024 * 1024

#: The longest text a free-text field takes (a name, an address, a note, an upload cell).
MAX_TEXT_CHARS = 5000

#: The largest amount of each kind, whole rupiah. Every amount is also above 0.
MONEY_CEILING_IDR: dict[str, int] = {
    # A monthly wage or declared income: far above any real one (Rp10 billion a month).
    "wage": 10_000_000_000,
    "income": 10_000_000_000,
    # A construction project's contract value: the largest national projects are tens of
    # trillions of rupiah (Rp100 trillion).
    "contract_value": 100_000_000_000_000,
    # One payment notification: a large employer's month is tens of billions (Rp1 trillion).
    "payment": 1_000_000_000_000,
    # A reimbursed cost (transport, home care) and a voluntary JHT top-up per month.
    "cost": 1_000_000_000,
    "jht_monthly": 100_000_000,
}


def check_amount(field: str, value: int, kind: str, *, allow_zero: bool = False) -> int:
    """Refuse an amount at or below 0 (or below 0 where zero means "none") or above the
    kind's ceiling.

    >>> check_amount("wage_idr", 5_000_000, "wage")
    5000000
    >>> check_amount("wage_idr", 10**19, "wage")
    Traceback (most recent call last):
    jamsos.core.errors.RuleViolation: wage_idr: must be at most 10,000,000,000
    >>> check_amount("cost_idr", 0, "cost", allow_zero=True)
    0
    """
    ceiling = MONEY_CEILING_IDR[kind]
    if isinstance(value, bool) or not isinstance(value, int):
        raise field_error(field, "must be a whole number of rupiah", "harus bilangan bulat rupiah")
    if value < 0 or (value == 0 and not allow_zero):
        raise field_error(
            field,
            "must be 0 or more" if allow_zero else "must be above 0",
            "harus 0 atau lebih" if allow_zero else "harus di atas 0",
            code="amount.out_of_range",
        )
    if value > ceiling:
        raise field_error(
            field,
            f"must be at most {ceiling:,}",
            f"paling banyak {ceiling:,}".replace(",", "."),
            code="amount.out_of_range",
        )
    return value


@dataclass(frozen=True)
class DateWindow:
    """The dates a kind of field may take: from ``earliest`` to ``latest``, or to
    ``days_ahead`` days after today when that is earlier."""

    earliest: date
    latest: date = date(2099, 12, 31)
    days_ahead: int | None = None

    def last_on(self, today: date) -> date:
        if self.days_ahead is None:
            return self.latest
        return min(self.latest, today + timedelta(days=self.days_ahead))


DATE_WINDOWS: dict[str, DateWindow] = {
    # A person's birth date: nobody registered was born before 1900, nor after today.
    "birth_date": DateWindow(date(1900, 1, 1), days_ahead=0),
    # An employment's start or end: within a year ahead.
    "employment": DateWindow(date(1950, 1, 1), days_ahead=366),
    # A risk class re-assessment: decided ahead for years to come, within the century.
    "risk_class": DateWindow(date(1950, 1, 1)),
    # A claim's event (death, disability, departure): it has happened.
    "event": DateWindow(date(1950, 1, 1), days_ahead=0),
    # A work accident: it has happened (a day ahead for time zones).
    "accident": DateWindow(date(2000, 1, 1), days_ahead=1),
    # A project's dates and a simulation's date: this century (the rule tables' span).
    "project": DateWindow(date(2000, 1, 1)),
    "simulation": DateWindow(date(2000, 1, 1)),
    # A report's or a statement's day or year.
    "report": DateWindow(date(2000, 1, 1), days_ahead=366),
}


def check_date(field: str, value: date, kind: str, *, today: date) -> date:
    """Refuse a date outside the kind's window.

    >>> check_date("event_on", date(1, 1, 1), "event", today=date(2026, 12, 1))
    Traceback (most recent call last):
    jamsos.core.errors.RuleViolation: event_on: must be from 1950-01-01 to 2026-12-01
    """
    window = DATE_WINDOWS[kind]
    last = window.last_on(today)
    day = value.date() if isinstance(value, datetime) else value
    if not window.earliest <= day <= last:
        raise field_error(
            field,
            f"must be from {window.earliest.isoformat()} to {last.isoformat()}",
            f"harus dari {window.earliest.isoformat()} sampai {last.isoformat()}",
            code="date.out_of_range",
        )
    return value


#: Contribution months: from the first month the rule tables cover to the end of the century;
#: uploads only up to the month after this one.
PERIOD_FIRST = Period(2000, 1)
PERIOD_LAST = Period(2099, 12)


def bounded_period(field: str, text: object, *, latest: date | None = None) -> Period:
    """The month ``text`` names (``YYYY-MM``, parsed by :func:`jamsos.core.period.parse_period`),
    within the window; ``latest`` narrows its end to the month of that day.

    >>> str(bounded_period("period", "2026-02"))
    '2026-02'
    >>> bounded_period("period", "9999-12")
    Traceback (most recent call last):
    jamsos.core.errors.RuleViolation: period: must be from 2000-01 to 2099-12
    >>> bounded_period("period", "2026-02-01")
    Traceback (most recent call last):
    jamsos.core.errors.RuleViolation: period: must be YYYY-MM
    """
    if not isinstance(text, str):
        raise field_error(field, "must be YYYY-MM", "harus YYYY-MM", code="invalid")
    month = parse_period(text, field)
    last = min(PERIOD_LAST, Period.of(latest)) if latest else PERIOD_LAST
    if not PERIOD_FIRST <= month <= last:
        raise field_error(
            field,
            f"must be from {PERIOD_FIRST} to {last}",
            f"harus dari {PERIOD_FIRST} sampai {last}",
            code="period.out_of_range",
        )
    return month


def next_month(today: date) -> date:
    """The first day of the month after ``today`` (the latest month billing accepts)."""
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


#: A bank's ``paid_at`` may lie at most this far before we receive the notification (a late
#: notification after a long weekend or collective leave), and at most a few minutes after it
#: (clocks differ). Older notifications are refused and kept as rejections for the finance
#: office to handle by hand: back-dating a payment would avoid a late-payment fine.
PAID_AT_WINDOW = (timedelta(days=7), timedelta(minutes=15))
