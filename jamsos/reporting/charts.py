"""Charts drawn on the server as SVG: a trend line, stacked bars, horizontal bars and a tile map
of provinces. No script, so they pass the pages' strict content security policy, print, and
read the same on a phone; every shape carries a <title> (its figure) and may link to the rows
it counts. Text is escaped here; the callers mark the result safe.

Pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

#: Colour-blind-safe palette (Okabe and Ito), one per series.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(n: float, decimal_comma: bool = False) -> str:
    """A compact axis label, in English or (``decimal_comma``) Indonesian style.

    >>> [_short(x) for x in (950, 12_500, 3_200_000, 5_060_000_000_000)]
    ['950', '12.5k', '3.2M', '5.06T']
    >>> [_short(x, True) for x in (950, 5_610, 3_200_000, 2_000_000_000)]
    ['950', '5,61 rb', '3,2 jt', '2 M']
    """
    units = (
        ((1e12, " T"), (1e9, " M"), (1e6, " jt"), (1e3, " rb"))
        if decimal_comma
        else ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
    )
    for size, suffix in units:
        if abs(n) >= size:
            figure = f"{n / size:.3g}"
            return (figure.replace(".", ",") if decimal_comma else figure) + suffix
    return f"{n:.0f}"


def _count(n: int, decimal_comma: bool = False) -> str:
    """A whole count with thousands separators: "1,160", or "1.160" in Indonesian style.

    >>> _count(1160), _count(1160, True)
    ('1,160', '1.160')
    """
    text = f"{n:,}"
    return text.replace(",", ".") if decimal_comma else text


def _link(href: str | None, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def _svg(width: int, height: int, label: str, body: str) -> str:
    """The chart: an image to assistive technology, or a labelled group when its shapes link
    to rows (an image's content is not reachable, so its links would be lost).

    >>> 'role="group"' in _svg(10, 10, "x", '<a href="/r">1</a>')
    True
    """
    role = "group" if "<a href" in body else "img"
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _legend(names: Sequence[str], x: int, y: int) -> str:
    parts = []
    for i, name in enumerate(names):
        dx = x + i * 110
        parts.append(
            f'<rect x="{dx}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % 7]}"/>'
            f'<text x="{dx + 14}" y="{y}" font-size="11">{escape(name)}</text>'
        )
    return "".join(parts)


def stacked_bars(
    label: str,
    columns: Sequence[str],
    series: Mapping[str, Sequence[int]],
    links: Sequence[str | None] | None = None,
    decimal_comma: bool = False,
) -> str:
    """One bar per column, stacked by series (e.g. active participants by segment per month).

    >>> svg = stacked_bars("Aktif", ["2026-01", "2026-02"], {"PU": [3, 4], "BPU": [1, 0]})
    >>> svg.count("<rect") - 2  # four values, one of them zero; minus the legend swatches
    3
    """
    width, height, left, bottom, top = 640, 260, 56, 40, 28
    totals = [sum(values[i] for values in series.values()) for i in range(len(columns))]
    peak = max(totals, default=0) or 1
    step = (width - left - 10) / max(len(columns), 1)
    bar = step * 0.7
    scale = (height - bottom - top) / peak
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#666"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="10" text-anchor="end">'
        f"{_short(peak, decimal_comma)}</text>",
        f'<text x="{left - 6}" y="{height - bottom}" font-size="10" text-anchor="end">0</text>',
    ]
    for i, column in enumerate(columns):
        x = left + i * step + (step - bar) / 2
        y = float(height - bottom)
        shapes = []
        for j, (name, values) in enumerate(series.items()):
            value = values[i]
            if not value:
                continue
            h = value * scale
            y -= h
            shapes.append(
                f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar)}" height="{_num(h)}" '
                f'fill="{PALETTE[j % 7]}"><title>{escape(column)} {escape(name)}: '
                f"{_count(value, decimal_comma)}</title></rect>"
            )
        href = links[i] if links else None
        body.append(_link(href, "".join(shapes)))
        if len(columns) <= 12 or i % 2 == 0:
            body.append(
                f'<text x="{_num(x + bar / 2)}" y="{height - bottom + 14}" font-size="10" '
                f'text-anchor="middle">{escape(column[-5:])}</text>'
            )
    body.append(_legend(list(series), left, height - 6))
    return _svg(width, height, label, "".join(body))


def trend_lines(
    label: str,
    columns: Sequence[str],
    series: Mapping[str, Sequence[int]],
    decimal_comma: bool = False,
) -> str:
    """One line per series across the columns (e.g. billed and received per month).

    >>> trend_lines("Iuran", ["01", "02", "03"], {"billed": [5, 6, 7]}).count("<polyline")
    1
    """
    width, height, left, bottom, top = 640, 240, 64, 40, 20
    peak = max((v for values in series.values() for v in values), default=0) or 1
    step = (width - left - 20) / max(len(columns) - 1, 1)
    scale = (height - bottom - top) / peak
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#666"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="10" text-anchor="end">'
        f"{_short(peak, decimal_comma)}</text>",
    ]
    for j, (name, values) in enumerate(series.items()):
        points = [(left + i * step, height - bottom - v * scale) for i, v in enumerate(values)]
        body.append(
            f'<polyline fill="none" stroke="{PALETTE[j % 7]}" stroke-width="2" points="'
            + " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
            + '"/>'
        )
        for (x, y), v, column in zip(points, values, columns, strict=True):
            body.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{PALETTE[j % 7]}">'
                f"<title>{escape(column)} {escape(name)}: "
                f"{_count(v, decimal_comma)}</title></circle>"
            )
    for i, column in enumerate(columns):
        if len(columns) <= 12 or i % 2 == 0:
            body.append(
                f'<text x="{_num(left + i * step)}" y="{height - bottom + 14}" font-size="10" '
                f'text-anchor="middle">{escape(column[-5:])}</text>'
            )
    body.append(_legend(list(series), left, height - 6))
    return _svg(width, height, label, "".join(body))


def bars(
    label: str, items: Sequence[tuple[str, int, str | None]], decimal_comma: bool = False
) -> str:
    """Horizontal bars, one per (name, value, link), largest scale first as given.

    >>> bars("Sektor", [("C", 10, "/rows?c=C"), ("G", 5, None)]).count("<a href")
    1
    """
    row, left, width = 22, 250, 640
    height = row * len(items) + 10
    peak = max((v for _n, v, _h in items), default=0) or 1
    scale = (width - left - 80) / peak
    body = []
    for i, (name, value, href) in enumerate(items):
        y = 5 + i * row
        shape = (
            f'<text x="{left - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{escape(name if len(name) <= 38 else name[:37] + '…')}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{_num(max(value * scale, 1))}" height="14" '
            f'fill="{PALETTE[0]}"><title>{escape(name)}: '
            f"{_count(value, decimal_comma)}</title></rect>"
            f'<text x="{_num(left + value * scale + 4)}" y="{y + 14}" font-size="11">'
            f"{_count(value, decimal_comma)}</text>"
        )
        body.append(_link(href, shape))
    return _svg(width, max(height, 20), label, "".join(body))


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    column: int
    row: int


#: A schematic tile map of Kalimantan's five provinces (no boundary data is shipped): each
#: province one square, placed as on the island.
KALIMANTAN_TILES = (
    Tile("65", "Kalimantan Utara", 2, 0),
    Tile("61", "Kalimantan Barat", 0, 1),
    Tile("62", "Kalimantan Tengah", 1, 1),
    Tile("64", "Kalimantan Timur", 2, 1),
    Tile("63", "Kalimantan Selatan", 2, 2),
)


def shade(rate: float | None, top: float) -> str:
    """A blue from light (0) to dark (``top``); grey when there is no figure.

    >>> shade(None, 1.0), shade(0.0, 1.0), shade(1.0, 1.0)
    ('#dddddd', '#e8f1f8', '#0b4f85')
    """
    if rate is None or top <= 0:
        return "#dddddd"
    t = max(0.0, min(rate / top, 1.0))
    low, high = (0xE8, 0xF1, 0xF8), (0x0B, 0x4F, 0x85)
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high, strict=True))


def percent(rate: float, decimal_comma: bool = False) -> str:
    """A rate with two decimals, Indonesian style when asked.

    >>> percent(0.45342), percent(0.45342, decimal_comma=True)
    ('45.34%', '45,34 %')
    """
    text = f"{rate * 100:.2f}"
    return text.replace(".", ",") + " %" if decimal_comma else text + "%"


def tile_map(
    label: str,
    rates: Mapping[str, float | None],
    links: Mapping[str, str] | None = None,
    tiles: Sequence[Tile] = KALIMANTAN_TILES,
    decimal_comma: bool = False,
) -> str:
    """Provinces as squares shaded by a rate (e.g. participation), each linking to its rows.

    >>> svg = tile_map("Kepesertaan", {"63": 0.45, "64": 0.5})
    >>> svg.count("<rect"), "45.00%" in svg
    (5, True)
    """
    size, gap = 120, 6
    columns = max(t.column for t in tiles) + 1
    rows = max(t.row for t in tiles) + 1
    top = max((r for r in rates.values() if r is not None), default=0.0)
    body = []
    for t in tiles:
        x, y = t.column * (size + gap), t.row * (size + gap)
        rate = rates.get(t.code)
        figure = "—" if rate is None else percent(rate, decimal_comma)
        fill = shade(rate, top)
        ink = "#ffffff" if rate is not None and top and rate / top > 0.55 else "#111111"
        shape = (
            f'<rect x="{x}" y="{y}" width="{size}" height="{size}" rx="6" fill="{fill}">'
            f"<title>{escape(t.name)}: {figure}</title></rect>"
            f'<text x="{x + 8}" y="{y + 22}" font-size="12" fill="{ink}">'
            f"{escape(t.name.replace('Kalimantan ', 'Kal. '))}</text>"
            f'<text x="{x + 8}" y="{y + 64}" font-size="22" font-weight="bold" fill="{ink}">'
            f"{figure}</text>"
        )
        body.append(_link((links or {}).get(t.code), shape))
    width, height = columns * (size + gap), rows * (size + gap)
    return _svg(width, height, label, "".join(body))
