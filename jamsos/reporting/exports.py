"""Report tables as CSV and XLSX (openpyxl), the same rows the pages show."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook


def as_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def as_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_rows(
    coverage: dict[str, object], money: dict[str, object]
) -> tuple[list[str], list[list[object]]]:
    """One table for an office: each month's money, then the coverage of the chosen month."""
    header = ["section", "key", "value_1", "value_2", "value_3", "value_4"]
    rows: list[list[object]] = []
    for segment, count in dict(coverage["by_segment"]).items():  # type: ignore[call-overload]
        rows.append(["coverage", segment, count, "", "", ""])
    rows.append(["coverage", "labour_force", coverage["labour_force"], "", "", ""])
    rows.append(["coverage", "participation_rate", coverage["participation_rate"], "", "", ""])
    for month in money["months"]:  # type: ignore[attr-defined]
        rows.append(
            [
                "money",
                month["period"],
                month["billed_idr"],
                month["paid_on_billed_idr"],
                month["received_idr"],
                month["benefits_paid_idr"],
            ]
        )
    return header, rows
