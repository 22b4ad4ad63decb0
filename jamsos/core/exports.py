"""What every file Jamsos hands out goes through: spreadsheet cells and download names.

Pure module: no Django.

- :func:`safe_cell` — a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return would run as a formula in a spreadsheet (``=HYPERLINK(...)``, ``@SUM(...)``,
  ``=cmd|...``); it is written with a leading apostrophe, which spreadsheets show as text.
  Numbers stay numbers.
- :func:`csv_bytes` — rows to UTF-8 CSV, every cell through :func:`safe_cell`.
- :func:`attachment` — a ``Content-Disposition`` value whose file name holds only letters,
  digits, dot, dash and underscore (an uploaded name can hold quotes, slashes or new lines).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet may hold it without running it.

    >>> safe_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("@SUM(A1)"), safe_cell(-5), safe_cell("Budi")
    ("'@SUM(A1)", -5, 'Budi')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[object]) -> list[object]:
    return [safe_cell(v) for v in row]


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text, every cell neutralised.

    >>> csv_text([["name"], ["=1+2"]])
    "name\\r\\n'=1+2\\r\\n"
    """
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(safe_row(row))
    return out.getvalue()


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    return csv_text(rows).encode("utf-8")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str, default: str = "download") -> str:
    """A file name that is safe in a header and on any disk.

    >>> safe_filename('../../etc/passwd"\\r\\nX: y.csv')
    'etc_passwd_X_y.csv'
    >>> safe_filename("...", "upload.csv")
    'upload.csv'
    """
    cleaned = _UNSAFE.sub("_", name).strip("._-")[:120]
    return cleaned or default


def attachment(name: str, default: str = "download") -> str:
    """The ``Content-Disposition`` header value for a download named ``name``."""
    return f'attachment; filename="{safe_filename(name, default)}"'
