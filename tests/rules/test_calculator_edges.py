"""Edges of the pure calculators that the worked examples do not reach."""

from datetime import date

import pytest

from jamsos.rules.calc.benefits import jht_benefit, jkk_benefit
from jamsos.rules.calc.contributions import bpu_contribution, late_fine, pu_contribution
from jamsos.rules.calc.dates import retirement_date
from jamsos.rules.calc.tables import rule_book
from jamsos.rules.simulate import simulate_contribution


def test_pu_calculator_computes_only_the_programmes_asked_for():
    r = pu_contribution(
        on=date(2026, 10, 1), wage_idr=5_000_000, jkk_risk_class=3, programmes=("JHT",)
    )
    assert [(line.programme, line.payer) for line in r.lines] == [
        ("JHT", "employer"),
        ("JHT", "worker"),
    ]
    assert r.total_idr == 285_000  # 5.7 % (benefits.md example 28)


def test_bpu_calculator_with_jht_only():
    r = bpu_contribution(on=date(2026, 5, 1), income_idr=1_000_000, programmes=("JHT",))
    assert r.total_idr == 20_000


def test_short_stmb_uses_only_the_first_band():
    r = jkk_benefit(event_on=date(2026, 1, 1), case="stmb", wage_idr=4_000_000, stmb_months=3)
    assert [c.name for c in r.components] == ["stmb_months_1_12"]
    assert r.total_idr == 12_000_000


def test_unknown_cases_are_programming_errors():
    with pytest.raises(ValueError, match="unknown JKK case 'flood'"):
        jkk_benefit(event_on=date(2026, 1, 1), case="flood")
    with pytest.raises(ValueError, match="unknown JHT kind 'half'"):
        jht_benefit(event_on=date(2026, 1, 1), balance_idr=1, kind="half", membership_months=1)


def test_fine_as_json():
    fine = late_fine(
        principal_idr=1_000_000, contribution_month=date(2026, 5, 1), paid_on=date(2026, 7, 1)
    )
    assert fine.as_json() == {
        "principal_idr": 1_000_000,
        "due_on": "2026-06-15",
        "paid_on": "2026-07-01",
        "months_late": 1,
        "rate": "0.02",
        "amount_idr": 20_000,
        "rule": "PU.LATE_FINE",
        "legal_basis": "PP 44/2015; PP 46/2015: 2 % for each month late",
        "status": "confirmed",
    }


def test_retirement_for_someone_already_past_the_age_when_jp_began():
    # born 1955: 56 in 2011, before the table starts in 2015; 60 on 1 Mar 2015
    assert retirement_date(date(1955, 3, 1), rule_book()) == (date(2015, 3, 1), 60)


def test_explicit_null_booleans_are_false():
    r = simulate_contribution(
        {
            "segment": "PU",
            "on": "2025-06-01",
            "wage_idr": 4_000_000,
            "jkk_risk_class": 3,
            "labour_intensive": None,
        }
    )
    assert r["lines"][0]["amount_idr"] == 35_600


@pytest.mark.parametrize(
    ("wage", "on", "outcome"),
    [
        (2_317_601, date(2026, 5, 1), "ok"),
        (2_317_600, date(2026, 5, 1), "needs_approval"),
        (1_000_000, date(2026, 5, 1), "needs_approval"),
        (999_999, date(2026, 5, 1), "refused"),
        (2_000_000, date(2024, 5, 1), "needs_approval"),  # below the 2024 floor 2,036,947
        (500_000, date(2022, 5, 1), "ok"),  # no floor applied before the 2023 circular
    ],
)
def test_pu_wage_floor(wage, on, outcome):
    from jamsos.rules.calc.contributions import pu_wage_floor_check

    check = pu_wage_floor_check(wage, on)
    assert check.outcome == outcome
    if on.year >= 2023:
        assert check.absolute_floor_idr == 1_000_000 and check.status == "provisional"
