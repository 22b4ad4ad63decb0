"""The rule horizon: what ends or needs renewing soon, and the CI guard that every table the
billing run, payments and claims need is in force for the next 400 days."""

from datetime import date, timedelta

import pytest

from jamsos.rules.calc import computed_holidays
from jamsos.rules.calc.contributions import bpu_contribution, pu_contribution
from jamsos.rules.calc.dates import add_months, bpu_due_date, month_start, pu_due_date
from jamsos.rules.calc.tables import Holiday, RuleNotInForce, load, rule_book
from jamsos.rules.horizon import Finding, horizon, minimum_wage_finding, tables

BOOK = rule_book()
#: the real date, not a frozen one: CI fails 400 days before production would
TODAY = date.today()
AHEAD = TODAY + timedelta(days=400)


def test_every_rule_in_force_today_is_still_in_force_in_400_days():
    """Billing (PU rates, JP cap, wage floor, due day, fine), payments (BPU rates and brackets,
    Jakon tiers, PMI packages) and claims (benefits, STMB, JKP, scholarships, JP limits and
    retirement age, JHT tax): a rule that is in force today and ends within 400 days fails here.
    Discounts end on purpose; JHT.RETURN is entered after each year closes (docs/rules.md)."""
    ending = []
    for rule, versions in BOOK.rules.items():
        keys = {v.key for v in versions if v.in_force(TODAY)}
        for key in keys:
            if not any(v.key == key and v.in_force(AHEAD) for v in versions):
                ending.append(f"{rule}/{key}" if key else rule)
    assert ending == [], f"rule data ends before {AHEAD}: extend it (docs/rules.md)"


def test_every_day_of_the_next_400_days_has_a_holiday_calendar_and_every_due_date_exists():
    day = TODAY
    while day <= AHEAD + timedelta(days=62):  # the due date of the last month falls after it
        BOOK.is_working_day(day)  # raises RuleNotInForce where no calendar exists
        day += timedelta(days=1)
    month = month_start(TODAY)
    while month <= AHEAD:
        assert pu_due_date(month, BOOK) > month
        assert bpu_due_date(month, BOOK) >= month
        month = add_months(month, 1)


def test_the_calculators_answer_for_the_day_400_days_ahead():
    pu = pu_contribution(on=AHEAD, wage_idr=5_000_000, jkk_risk_class=3)
    bpu = bpu_contribution(on=AHEAD, income_idr=2_500_000, programmes=("JKK", "JKM", "JHT"))
    assert pu.due_on is not None and bpu.due_on is not None
    assert pu.total_idr > 0 and bpu.total_idr > 0


def test_the_horizon_on_2_december_2026_lists_what_ends_soonest_first():
    result = horizon(date(2026, 12, 2))
    rows = [(f.on.isoformat(), f.table, f.kind) for f in result.findings]
    assert rows == [
        ("2026-03-01", "jp_benefit_limits.csv", "renewal_due"),
        ("2027-01-01", "holidays.csv", "provisional"),
        ("2027-01-01", "jht_returns.csv", "ends"),
        ("2027-01-01", "rates.csv: PU.WAGE_FLOOR", "renewal_due"),
        ("2027-01-01", "reporting/minimum_wages.csv", "renewal_due"),
        ("2027-03-01", "jp_wage_cap.csv", "renewal_due"),
        ("2027-04-01", "discounts.csv", "ends"),
    ]
    assert result.status == "expiring"
    found = {f.table: f for f in result.findings}
    assert (
        found["jht_returns.csv"].detail == "JHT.RETURN: the 2026 figure is needed from 2027-01-01"
    )
    assert found["discounts.csv"].detail == (
        "DISCOUNT.TRANSPORT_WORKER: the last version ends on 2027-03-31"
    )
    assert "billing" in found["holidays.csv"].used_by
    assert found["holidays.csv"].detail.startswith("the 2027 calendar is computed by holidays ")
    body = result.as_json()
    assert (body["until"], body["status"], body["tables"][1]["days_left"]) == (
        "2027-04-01",
        "expiring",
        30,
    )


def test_a_short_window_is_ok_and_a_long_one_sees_the_end_of_the_computed_calendar():
    assert horizon(date(2025, 6, 2), days=30, extra=()).status == "ok"
    late = horizon(date(2050, 11, 1), days=120, extra=())
    holidays = [f for f in late.findings if f.table == "holidays.csv"]
    assert [(f.kind, f.on) for f in holidays] == [
        ("provisional", date(2050, 11, 1)),
        ("ends", date(2051, 1, 1)),
    ]
    assert (
        holidays[1].detail == "no holiday calendar for 2051: due dates from 2051-01-01 are refused"
    )
    assert computed_holidays.LAST_YEAR == 2050


def test_a_provisional_row_that_begins_soon_and_a_table_that_ends_soon_are_listed():
    def reader(name):
        from jamsos.rules.calc.tables import _read

        rows = _read(name)
        if name == "benefits.csv":
            rows = [r for r in rows if r["rule"] != "JKM.FUNERAL"] + [
                {
                    "rule": "JKM.FUNERAL",
                    "effective_from": "2021-02-02",
                    "effective_to": "2027-02-01",
                    "amount_idr": "10000000",
                    "legal_basis": "PP 82/2019",
                    "status": "confirmed",
                    "note": "",
                }
            ]
        if name == "scholarships.csv":
            rows = [*rows[:-1], {**rows[-1], "effective_to": "2027-01-01"}]
            rows.append(
                {
                    **rows[-1],
                    "effective_from": "2027-01-01",
                    "effective_to": "",
                    "status": "provisional",
                    "note": "announced, not enacted",
                }
            )
        return rows

    book = load(reader, computed=lambda year: {})
    result = horizon(date(2026, 12, 2), book=book, extra=())
    found = {(f.table, f.kind): f for f in result.findings}
    assert found[("benefits.csv", "ends")].detail == (
        "JKM.FUNERAL: the last version ends on 2027-01-31"
    )
    assert found[("scholarships.csv", "provisional")].on == date(2027, 1, 1)
    assert found[("holidays.csv", "ends")].on == date(2027, 1, 1)


def test_minimum_wages_are_due_the_january_after_the_last_year_in_the_data():
    finding = minimum_wage_finding({2025, 2026}, date(2026, 12, 2))
    assert (finding.on, finding.kind) == (date(2027, 1, 1), "renewal_due")
    assert minimum_wage_finding((), date(2026, 12, 2)).on == date(2026, 1, 1)
    ahead = Finding("x", "ends", date(2030, 1, 1), "", (), "")
    assert horizon(date(2026, 12, 2), extra=(ahead,)).findings[-1].table != "x"


def test_every_rule_of_every_file_belongs_to_one_table():
    known = tables(BOOK)
    for rule in BOOK.rules:
        assert sum(t.covers(rule) for t in known) == 1, rule
    assert tables(BOOK)[0].covers("HOLIDAYS")


def test_a_year_beyond_every_calendar_is_refused_with_the_rule_and_the_day():
    with pytest.raises(RuleNotInForce) as error:
        BOOK.is_working_day(date(2051, 1, 3))
    assert (error.value.rule, error.value.on, error.value.code) == (
        "HOLIDAYS",
        date(2051, 1, 3),
        "rule.not_in_force",
    )
    assert Holiday  # the type the calendars are made of
