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

    @property
    def workers(self) -> int:
        """The denominator: the labour force, or the employed where the labour force of the
        province and year is not known."""
        return self.labour_force or self.employed or 0

    @property
    def basis(self) -> str:
        return "labour_force" if self.labour_force else "employed"


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


def labour_force(
    provinces: set[str], year: int, table: dict[tuple[str, int], Workforce] | None = None
) -> tuple[int, list[Workforce]]:
    """The workers of some provinces for a year: each province's latest figure up to that
    year — its labour force, or its employed population where the labour force is not known
    (``basis`` says which); provinces with no figure are left out (the caller lists them).

    >>> t = parse("province,year,labour_force,employed,source,status,note\\n"
    ...           "63,2024,2220000,,BPS,provisional,\\n61,2024,,2860000,BPS,provisional,\\n")
    >>> total, used = labour_force({"61", "63", "99"}, 2026, t)
    >>> total, [(w.province, w.basis) for w in used]
    (5080000, [('61', 'employed'), ('63', 'labour_force')])
    """
    table = workforce_table() if table is None else table
    used = []
    for code in sorted(provinces):
        known = [w for (p, y), w in table.items() if p == code and y <= year and w.workers]
        if known:
            used.append(max(known, key=lambda w: w.year))
    return sum(w.workers for w in used), used
