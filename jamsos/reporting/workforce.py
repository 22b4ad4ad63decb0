"""The workforce denominators of the participation rate: labour force and employed population
per province and year (BPS Sakernas), kept as data with their source in
``reporting/data/workforce.csv`` — an analyst adds a year as one line with its source.

Pure module: no Django.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Workforce:
    province: str
    year: int
    labour_force: int | None
    employed: int | None
    source: str
    status: str


def parse(text: str) -> dict[tuple[str, int], Workforce]:
    """Rows by (province code, year); a row without a source or with a bad number is refused.

    >>> rows = parse("province,year,labour_force,employed,source,status,note\\n"
    ...              "64,2024,10,9,BPS,confirmed,\\n")
    >>> rows[("64", 2024)].labour_force
    10
    """
    rows: dict[tuple[str, int], Workforce] = {}
    for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        if not row.get("source"):
            raise ValueError(f"workforce.csv line {number}: no source")
        try:
            item = Workforce(
                row["province"].strip(),
                int(row["year"]),
                int(row["labour_force"]) if row.get("labour_force") else None,
                int(row["employed"]) if row.get("employed") else None,
                row["source"].strip(),
                row.get("status", "").strip() or "provisional",
            )
        except ValueError:
            raise ValueError(
                f"workforce.csv line {number}: a number is not a whole number"
            ) from None
        rows[(item.province, item.year)] = item
    return rows


@lru_cache(maxsize=1)
def workforce_table() -> dict[tuple[str, int], Workforce]:
    text = resources.files("jamsos.reporting").joinpath("data", "workforce.csv").read_text("utf-8")
    return parse(text)


def labour_force(provinces: set[str], year: int) -> tuple[int, list[Workforce]]:
    """The labour force of some provinces for a year: each province's latest figure up to that
    year; provinces with no figure are left out (and listed by the caller as missing)."""
    table = workforce_table()
    used = []
    for code in sorted(provinces):
        known = [w for (p, y), w in table.items() if p == code and y <= year and w.labour_force]
        if known:
            used.append(max(known, key=lambda w: w.year))
    return sum(w.labour_force or 0 for w in used), used
