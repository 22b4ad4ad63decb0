"""The provisional holiday calendar: Indonesia's national holidays computed by the ``holidays``
package for the years the official joint decree (SKB) is not yet in ``holidays.csv``.

Pure module: no Django. The package computes the Islamic, Chinese, Balinese and Buddhist dates
and also lists the collective leave days (*cuti bersama*) it knows of in its ``government``
category. Rows from here are always ``provisional`` and name the package and its version as their
basis; :func:`jamsos.rules.calc.tables.load` uses them only for a year without official rows.
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import version

import holidays as holiday_package

#: The years for which the package's Indonesian calendar has every movable holiday (its Nyepi
#: table ends in 2050 in the pinned version). Outside them a year has no calendar at all and
#: :class:`~jamsos.rules.calc.tables.RuleNotInForce` is raised, as for any rule that ran out.
#: ``tests/rules/test_computed_holidays.py`` proves every year in the range is complete.
FIRST_YEAR = 2003
LAST_YEAR = 2050

SOURCE = f"holidays {version('holidays')} (Python package), Indonesian calendar"


def legal_basis(year: int) -> str:
    return (
        f"Computed by {SOURCE}; provisional until the SKB Menag/Menaker/MenPANRB "
        f"on the {year} national holidays and collective leave is entered"
    )


def computed_days(year: int) -> dict[date, tuple[str, str]]:
    """``{day: (name, kind)}`` for one year: ``public`` holidays (they move due dates) and
    ``collective_leave`` (they do not). A day that is both is a public holiday.

    >>> computed_days(2027)[date(2027, 3, 10)]
    ('Hari Raya Idul Fitri (perkiraan)', 'public')
    >>> computed_days(2027)[date(2027, 3, 9)]
    ('Cuti Bersama Hari Raya Idul Fitri', 'collective_leave')
    >>> computed_days(2051)
    {}
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return {}
    days: dict[date, tuple[str, str]] = {}
    for category, kind in (("government", "collective_leave"), ("public", "public")):
        calendar = holiday_package.country_holidays(
            "ID", years=year, categories=(category,), language="id"
        )
        for day in calendar:
            days[day] = ("; ".join(calendar.get_list(day)), kind)
    return days
