"""The holiday calendar: official SKB rows win; the ``holidays`` package fills the other years
as provisional rows naming their source."""

from datetime import date
from importlib.metadata import version

import pytest

from jamsos.rules.calc import computed_holidays
from jamsos.rules.calc.tables import Holiday, RuleNotInForce, load, rule_book

BOOK = rule_book()


def test_2026_is_the_decree_with_its_number():
    calendar = BOOK.calendar(2026)
    assert len(calendar) == 25
    assert {h.status for h in calendar.values()} == {"confirmed"}
    assert {h.legal_basis for h in calendar.values()} == {
        "SKB Menag/Menaker/MenPANRB 1497/2025; 2/2025; 5/2025 (19 November 2025)"
    }
    assert BOOK.holiday_status(2026) == "confirmed"


def test_2027_is_computed_and_provisional_with_its_source():
    calendar = BOOK.calendar(2027)
    idulfitri = calendar[date(2027, 3, 10)]
    assert idulfitri.name == "Hari Raya Idul Fitri (perkiraan)"
    assert (idulfitri.kind, idulfitri.status) == ("public", "provisional")
    assert idulfitri.legal_basis.startswith(
        f"Computed by holidays {version('holidays')} (Python package), "
        "Indonesian calendar; provisional until the SKB"
    )
    assert "on the 2027 national holidays" in idulfitri.legal_basis
    assert calendar[date(2027, 3, 9)].kind == "collective_leave"
    assert {h.status for h in calendar.values()} == {"provisional"}
    assert BOOK.holiday_status(2027) == "provisional"
    # public holidays move due dates, collective leave and ordinary weekdays do not
    assert not BOOK.is_working_day(date(2027, 3, 10))
    assert BOOK.is_working_day(date(2027, 3, 9))
    assert BOOK.is_working_day(date(2027, 3, 16))
    assert not BOOK.is_working_day(date(2027, 3, 13))  # Saturday


def test_official_rows_win_over_computed_ones_for_a_year_that_has_them():
    asked = []

    def fake(year):
        asked.append(year)
        day = date(year, 6, 2)
        return {day: Holiday(day, "computed", "public", "package", "provisional")}

    book = load(computed=fake)
    # 2 June 2026 (Tuesday) is no holiday in the decree: the computed one is not consulted
    assert book.is_working_day(date(2026, 6, 2))
    assert 2026 not in asked
    # a year without official rows takes the computed calendar
    assert not book.is_working_day(date(2027, 6, 2))
    assert asked == [2027]
    book.is_working_day(date(2027, 6, 3))
    assert asked == [2027]  # computed once per year


def test_without_a_computed_source_a_year_beyond_the_decree_is_refused():
    book = load(computed=None)
    with pytest.raises(RuleNotInForce, match="HOLIDAYS is in force on 2027-01-04"):
        book.is_working_day(date(2027, 1, 4))
    assert book.holiday_status(2027) is None
    assert BOOK.holiday_status(computed_holidays.LAST_YEAR + 1) is None


def test_every_computed_year_has_every_movable_holiday():
    expected = (
        "Imlek",
        "Nyepi",
        "Wafat Yesus Kristus",
        "Idul Fitri",
        "Idul Adha",
        "Waisak",
        "Tahun Baru Islam",
        "Maulid Nabi",
        "Isra Mikraj",
        "Natal",
    )
    for year in range(computed_holidays.FIRST_YEAR, computed_holidays.LAST_YEAR + 1):
        names = " | ".join(n for n, kind in computed_holidays.computed_days(year).values())
        missing = [name for name in expected if name not in names]
        assert missing == [], (year, missing)
    assert computed_holidays.computed_days(computed_holidays.FIRST_YEAR - 1) == {}
