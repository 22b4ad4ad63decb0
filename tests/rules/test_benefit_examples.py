"""Worked examples of regulations/benefits.md §8, each named by its number."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos.rules.calc.benefits import (
    jht_benefit,
    jkk_benefit,
    jkm_benefit,
    jkp_benefit,
    jp_benefit,
)
from jamsos.rules.calc.dates import retirement_date
from jamsos.rules.calc.tables import rule_book


def parts(result):
    return {c.name: c.amount_idr for c in result.components}


def codes(result):
    return [r.code for r in result.reasons]


def test_B1_jkm_4_years_two_children_first_year():
    r = jkm_benefit(event_on=date(2026, 3, 10), contribution_months=48, children=["SMP", "SMA"])
    assert r.eligible
    assert parts(r) == {
        "death_lump_sum": 20_000_000,
        "periodic_benefit": 12_000_000,
        "funeral": 10_000_000,
        "scholarship_child_1_SMP": 2_000_000,
        "scholarship_child_2_SMA": 3_000_000,
    }
    assert r.total_idr == 47_000_000


def test_B2_jkm_under_3_years_no_scholarship():
    r = jkm_benefit(event_on=date(2026, 3, 10), contribution_months=24, children=["SMP", "SMA"])
    assert r.eligible and r.total_idr == 42_000_000
    assert codes(r) == ["jkm.scholarship_needs_contributions"]
    assert r.reasons[0].blocking is False
    assert "36" in r.reasons[0].message_en and "36" in r.reasons[0].message_id


def test_B3_jkm_before_2_december_2019():
    assert jkm_benefit(event_on=date(2019, 12, 1), contribution_months=24).total_idr == 24_000_000
    assert jkm_benefit(event_on=date(2019, 12, 2), contribution_months=24).total_idr == 42_000_000


def test_B3_jkm_old_regime_scholarship_needs_5_years_and_is_one_lump_sum():
    r = jkm_benefit(event_on=date(2019, 6, 1), contribution_months=60, children=["SD", "SMP"])
    assert parts(r)["scholarship"] == 12_000_000 and r.total_idr == 36_000_000
    short = jkm_benefit(event_on=date(2019, 6, 1), contribution_months=59, children=["SD"])
    assert short.total_idr == 24_000_000


def test_B4_jkm_new_bpu_member_under_3_months_funeral_only():
    r = jkm_benefit(event_on=date(2025, 6, 1), contribution_months=2, segment="BPU")
    assert r.total_idr == 10_000_000
    assert r.components[0].status == "provisional"
    assert codes(r) == ["jkm.under_3_months"]
    # not before Permenaker 1/2025, and not for PU (as Kemnaker frames the rule)
    assert (
        jkm_benefit(event_on=date(2025, 1, 1), contribution_months=2, segment="BPU").total_idr
        == 42_000_000
    )
    assert (
        jkm_benefit(event_on=date(2025, 6, 1), contribution_months=2, segment="PU").total_idr
        == 42_000_000
    )


def test_B5_jkk_death_wage_6m():
    r = jkk_benefit(event_on=date(2026, 1, 1), case="death", wage_idr=6_000_000)
    assert parts(r) == {
        "death_lump_sum": 288_000_000,
        "periodic_benefit": 12_000_000,
        "funeral": 10_000_000,
    }
    assert r.total_idr == 310_000_000


def test_B6_jkk_death_before_2_december_2019():
    r = jkk_benefit(event_on=date(2019, 12, 1), case="death", wage_idr=6_000_000, children=["SD"])
    assert r.total_idr - parts(r)["scholarship"] == 295_800_000
    assert parts(r)["scholarship"] == 12_000_000


def test_B7_jkk_death_floor_is_the_jkm_lump_sum():
    r = jkk_benefit(event_on=date(2026, 1, 1), case="death", wage_idr=350_000)
    assert parts(r)["death_lump_sum"] == 20_000_000
    assert r.total_idr == 42_000_000
    assert "minimum" in r.components[0].note


def test_B8_stmb_14_months():
    r = jkk_benefit(event_on=date(2026, 1, 1), case="stmb", wage_idr=4_000_000, stmb_months=14)
    assert r.total_idr == 52_000_000
    assert r.monthly_idr == 4_000_000
    assert r.schedule[11] == (12, 4_000_000) and r.schedule[12] == (13, 2_000_000)


def test_B9_stmb_14_months_before_2_december_2019_provisional():
    r = jkk_benefit(event_on=date(2019, 1, 1), case="stmb", wage_idr=4_000_000, stmb_months=14)
    assert r.total_idr == 46_000_000
    assert [c.status for c in r.components] == ["confirmed", "provisional", "confirmed"]


def test_B10_total_permanent_disability():
    r = jkk_benefit(event_on=date(2026, 1, 1), case="total_disability", wage_idr=5_000_000)
    assert parts(r) == {"total_disability_lump_sum": 280_000_000, "periodic_benefit": 12_000_000}
    assert r.total_idr == 292_000_000


def test_B11_partial_disability_anatomical_and_functional():
    anatomical = jkk_benefit(
        event_on=date(2026, 1, 1),
        case="partial_disability",
        wage_idr=5_000_000,
        disability_percent=Decimal(40),
    )
    functional = jkk_benefit(
        event_on=date(2026, 1, 1),
        case="partial_disability",
        wage_idr=5_000_000,
        disability_percent=Decimal(40),
        function_loss_percent=Decimal(50),
    )
    assert (anatomical.total_idr, functional.total_idr) == (160_000_000, 80_000_000)


def test_B12_transport_caps_per_mode_added_together():
    r = jkk_benefit(
        event_on=date(2026, 1, 1),
        case="transport",
        transport=[("land", 1_000_000), ("air", 12_000_000), ("land", 2_000_000)],
    )
    assert parts(r) == {"transport_land": 3_000_000, "transport_air": 10_000_000}
    assert r.total_idr == 13_000_000


def test_B13_home_care_cap_and_not_before_pp_82_2019():
    assert (
        jkk_benefit(
            event_on=date(2026, 1, 1), case="home_care", home_care_cost_idr=25_000_000
        ).total_idr
        == 20_000_000
    )
    old = jkk_benefit(event_on=date(2019, 12, 1), case="home_care", home_care_cost_idr=25_000_000)
    assert not old.eligible and codes(old) == ["jkk.home_care_not_covered"]


@pytest.mark.parametrize(
    ("months", "wage", "monthly"),
    [
        (240, 8_000_000, 1_600_000),  # B14
        (180, 2_000_000, 393_500),  # B15: raised to the 2024 minimum
        (480, 12_000_000, 4_718_200),  # B16: lowered to the 2024 maximum
    ],
)
def test_B14_B15_B16_jp_old_age_2024(months, wage, monthly):
    r = jp_benefit(
        event_on=date(2024, 6, 1), contribution_months=months, average_indexed_wage_idr=wage
    )
    assert r.monthly_idr == monthly == r.total_idr


def test_B15_jp_minimum_in_2016():
    r = jp_benefit(
        event_on=date(2016, 6, 1), contribution_months=180, average_indexed_wage_idr=2_000_000
    )
    assert r.monthly_idr == 310_050


def test_B17_jp_under_15_years_lump_sum():
    r = jp_benefit(
        event_on=date(2024, 6, 1), contribution_months=168, average_indexed_wage_idr=5_000_000
    )
    assert not r.eligible and codes(r) == ["jp.under_15_years"]
    with_account = jp_benefit(
        event_on=date(2024, 6, 1),
        contribution_months=168,
        average_indexed_wage_idr=5_000_000,
        accumulated_idr=25_000_000,
    )
    assert with_account.eligible and with_account.total_idr == 25_000_000
    assert with_account.monthly_idr is None


def test_jp_disability_and_survivors_use_15_years_with_enough_density():
    dense = jp_benefit(
        event_on=date(2024, 6, 1),
        contribution_months=60,
        average_indexed_wage_idr=8_000_000,
        kind="disability",
        density_percent=Decimal(90),
    )
    assert dense.monthly_idr == 1_200_000  # 1 % x 15 x 8,000,000
    sparse = jp_benefit(
        event_on=date(2024, 6, 1),
        contribution_months=60,
        average_indexed_wage_idr=8_000_000,
        kind="disability",
        density_percent=Decimal(70),
    )
    assert not sparse.eligible
    widow = jp_benefit(
        event_on=date(2024, 6, 1),
        contribution_months=24,
        average_indexed_wage_idr=8_000_000,
        kind="widow",
        density_percent=Decimal(100),
    )
    assert widow.monthly_idr == 600_000 and widow.components[0].status == "provisional"
    too_new = jp_benefit(
        event_on=date(2024, 6, 1),
        contribution_months=6,
        average_indexed_wage_idr=8_000_000,
        kind="widow",
        density_percent=Decimal(100),
    )
    assert not too_new.eligible


@pytest.mark.parametrize(
    ("event_on", "wage", "first", "total"),
    [
        (date(2024, 6, 1), 7_000_000, 2_250_000, 10_500_000),  # B18, PP 37/2021
        (date(2025, 3, 10), 7_000_000, 3_000_000, 18_000_000),  # B19, PP 6/2025
        (date(2024, 6, 1), 4_000_000, 1_800_000, 8_400_000),  # B20
        (date(2025, 6, 1), 4_000_000, 2_400_000, 14_400_000),  # B20
    ],
)
def test_B18_B19_B20_jkp_cash(event_on, wage, first, total):
    r = jkp_benefit(
        event_on=event_on,
        wage_idr=wage,
        reason="termination",
        contribution_months_last_24=20,
        consecutive_months=20,
    )
    assert r.eligible
    assert (r.monthly_idr, r.total_idr) == (first, first)
    assert sum(a for _m, a in r.schedule) == total
    assert [m for m, _a in r.schedule] == [1, 2, 3, 4, 5, 6]


def test_B21_jkp_6_consecutive_months_only_before_7_february_2025():
    before = jkp_benefit(
        event_on=date(2025, 2, 6),
        wage_idr=4_000_000,
        reason="termination",
        contribution_months_last_24=12,
        consecutive_months=4,
    )
    after = jkp_benefit(
        event_on=date(2025, 2, 7),
        wage_idr=4_000_000,
        reason="termination",
        contribution_months_last_24=12,
        consecutive_months=4,
    )
    assert not before.eligible and codes(before) == ["jkp.needs_6_consecutive"]
    assert after.eligible and after.monthly_idr == 2_400_000


@pytest.mark.parametrize(
    "reason", ["resignation", "contract_end", "retirement", "death", "total_disability"]
)
def test_jkp_excluded_reasons(reason):
    r = jkp_benefit(
        event_on=date(2026, 1, 5),
        wage_idr=4_000_000,
        reason=reason,
        contribution_months_last_24=24,
        consecutive_months=24,
    )
    assert not r.eligible and codes(r) == [f"jkp.excluded_{reason}"]
    assert r.total_idr == 0


def test_jkp_needs_12_of_24_months():
    r = jkp_benefit(
        event_on=date(2026, 1, 5),
        wage_idr=4_000_000,
        reason="termination",
        contribution_months_last_24=11,
        consecutive_months=11,
    )
    assert codes(r) == ["jkp.needs_12_of_24"]


def test_B22_jht_partial_10_and_30_once_after_10_years():
    ten = jht_benefit(
        event_on=date(2026, 1, 1), balance_idr=150_000_000, kind="partial_10", membership_months=144
    )
    thirty = jht_benefit(
        event_on=date(2026, 1, 1), balance_idr=150_000_000, kind="partial_30", membership_months=144
    )
    assert (ten.total_idr, thirty.total_idr) == (15_000_000, 45_000_000)
    assert (ten.tax_idr, thirty.tax_idr) == (0, 0)
    again = jht_benefit(
        event_on=date(2026, 1, 1),
        balance_idr=150_000_000,
        kind="partial_10",
        membership_months=144,
        partial_taken_before=True,
    )
    assert codes(again) == ["jht.partial_once"]
    young = jht_benefit(
        event_on=date(2026, 1, 1), balance_idr=150_000_000, kind="partial_10", membership_months=100
    )
    assert codes(young) == ["jht.partial_needs_10_years"]
    assert young.reasons[0].possible_from == date(2027, 9, 1)


def test_B23_jht_full_lump_sum_tax():
    r = jht_benefit(
        event_on=date(2026, 1, 1),
        balance_idr=150_000_000,
        kind="full",
        membership_months=144,
        reason="retirement",
    )
    assert (r.total_idr, r.tax_idr, r.net_idr) == (150_000_000, 5_000_000, 145_000_000)
    assert "provisional" in r.notes[0]  # post-2024 tax treatment unconfirmed


def test_B24_jht_waiting_period_after_resignation():
    early = jht_benefit(
        event_on=date(2026, 5, 15),
        balance_idr=10_000_000,
        kind="full",
        membership_months=30,
        reason="resignation",
        left_work_on=date(2026, 4, 15),
    )
    assert not early.eligible and codes(early) == ["jht.waiting_period"]
    assert early.reasons[0].possible_from == date(2026, 5, 16)
    ready = jht_benefit(
        event_on=date(2026, 5, 16),
        balance_idr=10_000_000,
        kind="full",
        membership_months=30,
        reason="resignation",
        left_work_on=date(2026, 4, 15),
    )
    assert ready.eligible and ready.total_idr == 10_000_000
    assert ready.components[0].status == "provisional"


def test_jht_leaving_work_not_paid_before_pp_60_2015_and_contract_end_from_2022():
    old = jht_benefit(
        event_on=date(2015, 8, 1),
        balance_idr=1,
        kind="full",
        membership_months=1,
        reason="resignation",
        left_work_on=date(2015, 6, 1),
    )
    assert codes(old) == ["jht.reason_not_in_force"]
    pkwt = jht_benefit(
        event_on=date(2022, 4, 25),
        balance_idr=1,
        kind="full",
        membership_months=1,
        reason="contract_end",
        left_work_on=date(2022, 1, 1),
    )
    assert codes(pkwt) == ["jht.reason_not_in_force"]


def test_B25_jkk_claim_lapses_after_5_years():
    r = jkk_benefit(event_on=date(2024, 3, 1), case="transport", transport=[("land", 100)])
    assert r.claim_deadline_on == date(2029, 3, 1)
    late = jkk_benefit(
        event_on=date(2024, 3, 1),
        case="transport",
        transport=[("land", 100)],
        claimed_on=date(2029, 3, 2),
    )
    assert not late.eligible and codes(late) == ["jkk.claim_lapsed"]
    old = jkk_benefit(event_on=date(2019, 12, 1), case="transport", transport=[("land", 100)])
    assert old.claim_deadline_on == date(2021, 12, 1)  # 2 years under PP 44/2015


def test_B26_jkp_claim_deadline():
    r = jkp_benefit(
        event_on=date(2025, 3, 10),
        wage_idr=4_000_000,
        reason="termination",
        contribution_months_last_24=12,
        consecutive_months=12,
    )
    assert r.claim_deadline_on == date(2025, 9, 10)
    late = jkp_benefit(
        event_on=date(2025, 3, 10),
        wage_idr=4_000_000,
        reason="termination",
        contribution_months_last_24=12,
        consecutive_months=12,
        claimed_on=date(2025, 9, 11),
    )
    assert codes(late) == ["jkp.claim_deadline_passed"]
    old = jkp_benefit(
        event_on=date(2024, 3, 10),
        wage_idr=4_000_000,
        reason="termination",
        contribution_months_last_24=12,
        consecutive_months=12,
    )
    assert old.claim_deadline_on == date(2024, 6, 10)


@pytest.mark.parametrize(
    ("born", "age", "year"), [(1967, 59, 2026), (1968, 59, 2027), (1969, 60, 2029)]
)
def test_B27_retirement_age_by_birth_year(born, age, year):
    day, reached = retirement_date(date(born, 6, 1), rule_book())
    assert (reached, day.year) == (age, year)


def test_scholarship_for_at_most_two_children():
    r = jkk_benefit(
        event_on=date(2026, 1, 1), case="death", wage_idr=6_000_000, children=["SMP", "PT", "SD"]
    )
    assert parts(r)["scholarship_child_1_SMP"] == 2_000_000
    assert parts(r)["scholarship_child_2_PT"] == 12_000_000
    assert "scholarship_child_3_SD" not in parts(r)
    assert codes(r) == ["scholarship.max_children"] and r.eligible


@settings(max_examples=200)
@given(
    wage=st.integers(min_value=1, max_value=100_000_000),
    more=st.integers(min_value=0, max_value=50_000_000),
    case=st.sampled_from(["death", "total_disability", "stmb"]),
    on=st.dates(min_value=date(2015, 7, 1), max_value=date(2027, 12, 31)),
)
def test_jkk_benefits_never_decrease_as_the_wage_rises(wage, more, case, on):
    kw = {"event_on": on, "case": case, "stmb_months": 14}
    assert (
        jkk_benefit(wage_idr=wage, **kw).total_idr
        <= jkk_benefit(wage_idr=wage + more, **kw).total_idr
    )


@settings(max_examples=200)
@given(
    wage=st.integers(min_value=1, max_value=50_000_000),
    more=st.integers(min_value=0, max_value=10_000_000),
    on=st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 31)),
)
def test_jkp_never_decreases_and_is_capped(wage, more, on):
    kw = {
        "event_on": on,
        "reason": "termination",
        "contribution_months_last_24": 24,
        "consecutive_months": 24,
    }
    low = jkp_benefit(wage_idr=wage, **kw)
    high = jkp_benefit(wage_idr=wage + more, **kw)
    assert sum(a for _m, a in low.schedule) <= sum(a for _m, a in high.schedule) <= 18_000_000
