"""Regional minimum wages (UMP per province, UMK per regency or city) per year, kept as data
with their decree in ``reporting/data/minimum_wages.csv``. A decree's figure with cents is kept
as written and, for comparing whole-rupiah wages, rounded up (a wage below 2,608,601.75 is a
wage below 2,608,602).

Pure module: no Django.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class MinimumWage:
    area: str  # province code ("63") or regency code ("63.71")
    year: int
    amount_idr: int
    decree_idr: Decimal
    kind: str  # UMP or UMK
    source: str
    status: str


def parse(text: str) -> dict[tuple[str, int], MinimumWage]:
    """Rows by (area, year); a row without a source, or whose whole-rupiah amount is not the
    decree's figure rounded up, is refused.

    >>> rows = parse("area,year,amount_idr,decree_idr,kind,source,status,note\\n"
    ...              "61,2023,2608602,2608601.75,UMP,SK 1359,confirmed,\\n")
    >>> rows[("61", 2023)].amount_idr
    2608602
    """
    rows: dict[tuple[str, int], MinimumWage] = {}
    for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        where = f"minimum_wages.csv line {number}"
        if not row.get("source"):
            raise ValueError(f"{where}: no source")
        if row.get("kind") not in ("UMP", "UMK"):
            raise ValueError(f"{where}: kind must be UMP or UMK")
        try:
            decree = Decimal(row["decree_idr"])
            item = MinimumWage(
                row["area"].strip(),
                int(row["year"]),
                int(row["amount_idr"]),
                decree,
                row["kind"],
                row["source"].strip(),
                row.get("status", "").strip() or "provisional",
            )
        except (ValueError, InvalidOperation):
            raise ValueError(f"{where}: a number is not valid") from None
        if item.amount_idr != int(decree.to_integral_value(rounding=ROUND_CEILING)):
            raise ValueError(f"{where}: amount_idr must be the decree's figure rounded up")
        if (item.kind == "UMP") != ("." not in item.area):
            raise ValueError(f"{where}: a UMP is for a province, a UMK for a regency or city")
        rows[(item.area, item.year)] = item
    return rows


@lru_cache(maxsize=1)
def minimum_wage_table() -> dict[tuple[str, int], MinimumWage]:
    text = (
        resources.files("jamsos.reporting").joinpath("data", "minimum_wages.csv").read_text("utf-8")
    )
    return parse(text)


def minimum_wages_for(
    year: int, table: dict[tuple[str, int], MinimumWage] | None = None
) -> tuple[dict[str, MinimumWage], dict[str, MinimumWage]]:
    """The minimum wages in force in a year: UMK by regency and UMP by province. A UMK applies
    only for the year it was set (a regency without one that year falls back to its province's
    UMP); a UMP not yet in the data for the year is the latest earlier one.

    >>> t = parse("area,year,amount_idr,decree_idr,kind,source,status,note\\n"
    ...           "63,2025,3496194,3496194,UMP,K,confirmed,\\n"
    ...           "63.71,2024,3379514,3379513.74,UMK,K,confirmed,\\n")
    >>> umk, ump = minimum_wages_for(2026, t)
    >>> (sorted(umk), ump["63"].amount_idr)
    ([], 3496194)
    """
    table = minimum_wage_table() if table is None else table
    umk = {a: w for (a, y), w in table.items() if y == year and w.kind == "UMK"}
    ump: dict[str, MinimumWage] = {}
    for (area, y), wage in sorted(table.items(), key=lambda kv: kv[0][1]):
        if wage.kind == "UMP" and y <= year:
            ump[area] = wage
    return umk, ump
