"""PU contribution calculation throughput: the explained calculator versus a bare Decimal
baseline doing only the six multiplications and roundings, on the same wages.

It tells the billing issue what per-row Python costs: a region has about 1.95 million PU
participants a month. Prints medians of 5 repeats and the ratio to the baseline.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jamsos.rules.calc.contributions import pu_contribution
from jamsos.rules.calc.tables import rule_book

N = 20_000
REPEATS = 5
ON = date(2026, 10, 1)
RATES = [Decimal(r) for r in ("0.0089", "0.003", "0.037", "0.02", "0.02", "0.01")]


def baseline(wages: list[int]) -> int:
    total = 0
    one = Decimal(1)
    for wage in wages:
        w = Decimal(wage)
        capped = Decimal(min(wage, 11_086_300))
        for i, rate in enumerate(RATES):
            total += int(((capped if i >= 4 else w) * rate).quantize(one, ROUND_HALF_UP))
    return total


def calculator(wages: list[int]) -> int:
    book = rule_book()
    return sum(
        pu_contribution(on=ON, wage_idr=w, jkk_risk_class=3, book=book).total_idr for w in wages
    )


def median_seconds(fn, wages: list[int]) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn(wages)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    rng = random.Random(2026)
    wages = [rng.randrange(2_000_000, 25_000_000) for _ in range(N)]
    rule_book()  # load the data once, outside the timing
    base_s, base_total = median_seconds(baseline, wages)
    calc_s, calc_total = median_seconds(calculator, wages)
    assert base_total == calc_total, (base_total, calc_total)  # same rupiah either way
    print(f"workers per run: {N:,}; repeats: {REPEATS} (medians)")
    print(f"baseline (bare Decimal): {base_s * 1000:8.1f} ms  {N / base_s:12,.0f} workers/s")
    print(f"explained calculator   : {calc_s * 1000:8.1f} ms  {N / calc_s:12,.0f} workers/s")
    print(f"ratio calculator/baseline: {calc_s / base_s:.1f}x")
    print(f"1.95 million PU workers at this rate: {1_950_000 / (N / calc_s):.0f} s")


if __name__ == "__main__":
    main()
