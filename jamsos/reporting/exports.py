"""Report tables as CSV and XLSX (openpyxl): the same tables the dashboard shows, one sheet
each in the workbook, one block each (first column names the table) in the CSV."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from jamsos.core.exports import csv_bytes, safe_row
from jamsos.reporting.coverage import SEGMENTS

Table = tuple[str, list[str], list[list[Any]]]


def as_csv(tables: Sequence[Table]) -> bytes:
    width = max((len(header) for _n, header, _r in tables), default=0)
    lines: list[list[Any]] = [["table", *[f"c{i + 1}" for i in range(width)]]]
    for name, header, rows in tables:
        lines.append([name, *header])
        lines.extend([name, *row] for row in rows)
    return csv_bytes(lines)


def as_xlsx(tables: Sequence[Table]) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for name, header, rows in tables:
        sheet = book.create_sheet(name[:31])
        sheet.append(safe_row(header))
        for row in rows:
            sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dashboard_tables(data: dict[str, Any]) -> list[Table]:
    """The dashboard's tables: coverage (headline and each breakdown by segment), money by
    month, arrears by age, claims by programme, employers, compliance, BPU retention."""
    coverage, money = data["coverage"], data["money"]
    tables: list[Table] = [
        (
            "coverage",
            ["measure", "value"],
            [
                ["period", coverage["period"]],
                ["active", coverage["active"]],
                *[[f"segment {s}", n] for s, n in coverage["by_segment"].items()],
                *[[f"programme {p}", n] for p, n in coverage["by_programme"].items()],
                ["labour_force", coverage["labour_force"]],
                ["participation_rate", coverage["participation_rate"]],
            ],
        )
    ]
    for dimension, lines in coverage["crosstab"].items():
        tables.append(
            (
                f"coverage by {dimension}",
                [dimension, *SEGMENTS, "total"],
                [[ln["value"], *[ln.get(s, 0) for s in SEGMENTS], ln["total"]] for ln in lines],
            )
        )
    tables.append(
        (
            "money by month",
            ["period", "billed_idr", "paid_on_billed_idr", "received_idr", "benefits_paid_idr"],
            [
                [
                    m["period"],
                    m["billed_idr"],
                    m["paid_on_billed_idr"],
                    m["received_idr"],
                    m["benefits_paid_idr"],
                ]
                for m in money["months"]
            ],
        )
    )
    tables.append(
        (
            "money year",
            ["measure", "value"],
            [
                ["year", money["year"]],
                ["received_idr", money["totals"]["received_idr"]],
                ["received_previous_year_idr", money["received_previous_year_idr"]],
                ["growth", money["growth"]],
                ["collection_rate", money["collection_rate"]],
            ],
        )
    )
    tables.append(
        (
            "arrears by age",
            ["age", "bills", "amount_idr"],
            [[a["age"], a["bills"], a["amount_idr"]] for a in money["arrears_by_age"]],
        )
    )
    tables.append(
        (
            "claims by programme",
            ["programme", "claims", "amount_idr"],
            [[p, c["claims"], c["amount_idr"]] for p, c in money["claims_by_programme"].items()],
        )
    )
    employers = data.get("employers")
    if employers:
        tables.append(
            (
                "employers",
                ["size", "status", "employers"],
                [
                    [size, status, n]
                    for size, by_status in employers["by_size_and_status"].items()
                    for status, n in by_status.items()
                ],
            )
        )
        tables.append(
            (
                "employers by month",
                ["period", "new_employers", "projects_registered", "projects_running", "covered"],
                [
                    [
                        p,
                        employers["new_by_month"].get(p, 0),
                        employers["projects_by_month"].get(p, {}).get("registered", 0),
                        employers["projects_by_month"].get(p, {}).get("running", 0),
                        employers["projects_by_month"].get(p, {}).get("covered", 0),
                    ]
                    for p in sorted(
                        set(employers["new_by_month"]) | set(employers["projects_by_month"])
                    )
                ],
            )
        )
        tables.append(
            (
                "compliance",
                ["flag", "employers", "workers"],
                [[k, v["employers"], v["workers"]] for k, v in employers["compliance"].items()],
            )
        )
    retention = data.get("retention")
    if retention:
        tables.append(
            (
                "bpu retention",
                ["cohort", "joined", "after_3", "after_6", "after_12"],
                [
                    [c["cohort"], c["joined"], c["after_3"], c["after_6"], c["after_12"]]
                    for c in retention["cohorts"]
                ],
            )
        )
    return tables
