"""Properties that must hold for every input, not only the worked examples."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos.rules.calc.contributions import (
    bpu_contribution,
    jakon_contribution,
    jp_wage_cap,
    pu_contribution,
)

wages = st.integers(min_value=1, max_value=200_000_000)
months = st.dates(min_value=date(2015, 7, 1), max_value=date(2027, 12, 31))
classes = st.integers(min_value=1, max_value=5)


@settings(max_examples=300)
@given(
    wage=wages,
    raise_by=st.integers(min_value=0, max_value=50_000_000),
    on=months,
    risk=classes,
    labour_intensive=st.booleans(),
)
def test_pu_amounts_never_decrease_as_the_wage_rises(wage, raise_by, on, risk, labour_intensive):
    low = pu_contribution(
        on=on, wage_idr=wage, jkk_risk_class=risk, labour_intensive=labour_intensive
    )
    high = pu_contribution(
        on=on, wage_idr=wage + raise_by, jkk_risk_class=risk, labour_intensive=labour_intensive
    )
    for a, b in zip(low.lines, high.lines, strict=True):
        assert (a.programme, a.payer) == (b.programme, b.payer)
        assert a.amount_idr <= b.amount_idr


@settings(max_examples=300)
@given(wage=wages, on=months, risk=classes)
def test_jp_never_exceeds_its_share_of_the_cap(wage, on, risk):
    result = pu_contribution(on=on, wage_idr=wage, jkk_risk_class=risk)
    cap = jp_wage_cap(on)
    jp = {line.payer: line.amount_idr for line in result.lines if line.programme == "JP"}
    assert jp["employer"] <= int(Decimal(cap) * Decimal("0.02") + Decimal("0.5"))
    assert jp["worker"] <= int(Decimal(cap) * Decimal("0.01") + Decimal("0.5"))


@settings(max_examples=200)
@given(wage=wages, on=months, risk=classes)
def test_pu_lines_sum_to_the_totals(wage, on, risk):
    r = pu_contribution(on=on, wage_idr=wage, jkk_risk_class=risk)
    assert sum(r.by_payer.values()) == r.total_idr == sum(line.amount_idr for line in r.lines)
    assert set(r.by_payer) == {"employer", "worker"}
    # informational JKP lines are never billed
    assert all(line.programme != "JKP" for line in r.lines)


@settings(max_examples=200)
@given(
    income=st.integers(min_value=0, max_value=100_000_000),
    more=st.integers(min_value=0, max_value=10_000_000),
    n=st.integers(min_value=1, max_value=12),
    on=months,
    transport=st.booleans(),
)
def test_bpu_monotonic_and_sums(income, more, n, on, transport):
    kwargs = {
        "on": on,
        "programmes": ["JKK", "JKM", "JHT"],
        "months": n,
        "transport_worker": transport,
    }
    a = bpu_contribution(income_idr=income, **kwargs)
    b = bpu_contribution(income_idr=income + more, **kwargs)
    assert a.total_idr <= b.total_idr
    assert a.total_idr == sum(line.amount_idr for line in a.lines)
    assert sum(line.months for line in a.lines) == 3 * n
    assert all(line.amount_idr == line.monthly_idr * line.months for line in a.lines)


@settings(max_examples=200)
@given(
    value=st.integers(min_value=1, max_value=20_000_000_000),
    more=st.integers(min_value=0, max_value=5_000_000_000),
)
def test_jakon_marginal_tiers_never_decrease_and_stay_below_the_flat_top_rate(value, more):
    on = date(2026, 1, 5)
    a = jakon_contribution(on=on, contract_value_idr=value)
    b = jakon_contribution(on=on, contract_value_idr=value + more)
    assert a.total_idr <= b.total_idr
    # never above the first tier's combined 0.24 % of the whole value
    assert a.total_idr <= int(Decimal(value) * Decimal("0.0024")) + 2


@pytest.mark.parametrize(
    ("before", "after", "cap_before", "cap_after"),
    [
        (date(2026, 2, 28), date(2026, 3, 1), 10_547_400, 11_086_300),
        (date(2025, 2, 28), date(2025, 3, 1), 10_042_300, 10_547_400),
        (date(2024, 2, 29), date(2024, 3, 1), 9_559_600, 10_042_300),
    ],
)
def test_jp_cap_switches_on_1_march(before, after, cap_before, cap_after):
    assert jp_wage_cap(before) == cap_before
    assert jp_wage_cap(after) == cap_after
    assert after - before == timedelta(days=1)


def test_labour_intensive_discount_edges():
    def jkk(on):
        r = pu_contribution(on=on, wage_idr=4_000_000, jkk_risk_class=3, labour_intensive=True)
        return r.lines[0].amount_idr

    assert jkk(date(2025, 1, 31)) == 35_600  # January 2025: before PP 7/2025
    assert jkk(date(2025, 2, 1)) == 17_800
    assert jkk(date(2026, 1, 31)) == 17_800  # January 2026 is the last discounted month
    assert jkk(date(2026, 2, 1)) == 35_600


def test_jkp_regime_switch_6_7_february_2025_is_by_contribution_month():
    # contributions select rules by the first day of the month (project rule 2): the whole
    # February 2025 month is still under PP 37/2021's recomposition; March is under PP 6/2025
    feb = pu_contribution(on=date(2025, 2, 7), wage_idr=5_000_000, jkk_risk_class=1)
    mar = pu_contribution(on=date(2025, 3, 1), wage_idr=5_000_000, jkk_risk_class=1)
    assert any(i.rule == "PU.JKP.FROM_JKM" for i in feb.informational)
    assert not any(i.rule == "PU.JKP.FROM_JKM" for i in mar.informational)
