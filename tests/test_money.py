"""Pure tests of the project's one rounding rule (regulations/README.md, project rule 1)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamsos.core.money import format_idr, round_down_to, round_idr, to_decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0.5"), 1),
        (Decimal("1.5"), 2),
        (Decimal("2.5"), 3),  # half up, not banker's
        (Decimal("2.4999"), 2),
        (Decimal("-0.5"), -1),
        ("124000.5", 124001),
        (7, 7),
        # JHT worker share 2 % of Rp5,123,456 = 102,469.12 -> 102,469
        (Decimal("5123456") * Decimal("0.02"), 102469),
        # JKK 0.24 % of Rp3,496,194 = 8,390.8656 -> 8,391
        (Decimal("3496194") * Decimal("0.0024"), 8391),
    ],
)
def test_round_idr_half_up(value, expected):
    assert round_idr(value) == expected


def test_floats_are_refused():
    with pytest.raises(TypeError, match="never floats"):
        round_idr(0.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_decimal(True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a finite amount"):
        to_decimal("NaN")


def test_round_down_to_step():
    # JP cap rule: previous x (1 + growth), rounded down to Rp100
    assert round_down_to(Decimal("10042300") * Decimal("1.0503"), 100) == 10547400
    assert round_down_to(199, 100) == 100
    with pytest.raises(ValueError, match="positive"):
        round_down_to(100, 0)


def test_format_idr_uses_indonesian_separators():
    assert format_idr(36800) == "Rp36.800"
    assert format_idr(5_060_000_000_000) == "Rp5.060.000.000.000"
    assert format_idr(-1) == "-Rp1"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_round_idr_is_within_half_a_rupiah(value):
    assert abs(Decimal(round_idr(value)) - value) <= Decimal("0.5")


def test_rates_in_millionths_are_exact_or_refused():
    from jamsos.core.money import micro_amount, rate_micro

    assert rate_micro(Decimal("0.0024")) == 2_400
    assert rate_micro(Decimal("0.0174") * Decimal("0.5")) == 8_700
    with pytest.raises(ValueError):  # int() used to cut this to 1 millionth
        rate_micro(Decimal("0.0000019"))
    assert micro_amount(2_500_000, 1) == 3  # 2,5 rupiah: half up
    assert micro_amount(2_499_999, 1) == 2


@given(basis=st.integers(0, 10**12), micro=st.integers(0, 1_000_000))
def test_the_billing_sql_formula_is_round_idr(basis, micro):
    from jamsos.core.money import micro_amount

    # (basis x rate_micro + 500 000) div 1 000 000, as the billing SQL computes in integers
    assert (basis * micro + 500_000) // 1_000_000 == micro_amount(basis, micro)
