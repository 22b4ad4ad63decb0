"""Money: whole rupiah and the project's one rounding function.

Pure module: no Django. Amounts are ``int`` whole rupiah everywhere outside a
calculation. Inside a calculation, values are :class:`~decimal.Decimal`; each
line (one programme x one payer for one participant and month) is computed
exactly and rounded once, half up, by :func:`round_idr`. Totals are sums of
rounded lines. Floats are refused so that binary fractions never leak in.

Project rule 1 (docs/rules.md); see docs/adr/0005-rounding.md.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

_ONE = Decimal(1)


def to_decimal(value: int | str | Decimal) -> Decimal:
    """Exact decimal for an int, a decimal string or a Decimal; floats are refused."""
    if isinstance(value, (bool, float)):
        raise TypeError("money and rates are never floats; pass int, str or Decimal")
    result = value if isinstance(value, Decimal) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return result


def round_idr(value: int | str | Decimal) -> int:
    """Round an exact amount half up to whole rupiah.

    >>> round_idr(Decimal("1234.5"))
    1235
    >>> round_idr(Decimal("1234.49"))
    1234
    >>> round_idr(Decimal("-2.5"))
    -3
    """
    return int(to_decimal(value).quantize(_ONE, rounding=ROUND_HALF_UP))


#: Rates stored as integers are millionths (``rate_micro``): 3.7 % is 37 000.
MICRO = 1_000_000


def rate_micro(rate: Decimal) -> int:
    """A rate as whole millionths; a rate finer than a millionth is refused, never cut.

    >>> rate_micro(Decimal("0.0174"))
    17400
    """
    micro = to_decimal(rate) * MICRO
    if micro != micro.to_integral_value():
        raise ValueError(f"rate {rate} is finer than a millionth")
    return int(micro)


def micro_amount(basis_idr: int, micro: int) -> int:
    """``basis_idr`` times a rate in millionths, rounded once by :func:`round_idr`; the SQL of
    the billing run computes the same as ``(basis * rate_micro + 500000) / 1000000``.

    >>> micro_amount(4_000_001, 17_400), micro_amount(1, 500_000)
    (69600, 1)
    """
    return round_idr(Decimal(basis_idr * micro) / MICRO)


def round_down_to(value: int | str | Decimal, step: int) -> int:
    """Round down to a multiple of ``step`` rupiah (JP cap, BPU brackets).

    >>> round_down_to(10_547_399, 100)
    10547300
    """
    if step <= 0:
        raise ValueError("step must be a positive number of rupiah")
    units = (to_decimal(value) / step).quantize(_ONE, rounding=ROUND_DOWN)
    return int(units) * step


def format_idr(amount_idr: int) -> str:
    """Indonesian display form: ``Rp1.234.567`` (dot as thousands separator).

    >>> format_idr(-36800)
    '-Rp36.800'
    """
    sign = "-" if amount_idr < 0 else ""
    return f"{sign}Rp{abs(amount_idr):,}".replace(",", ".")
