"""The reporting's pure modules: data files refused when wrong, charts escape and link."""

import doctest

import pytest

from jamsos.reporting import charts, minimum_wage, workforce
from jamsos.reporting.minimum_wage import minimum_wage_table, minimum_wages_for, parse

HEADER = "area,year,amount_idr,decree_idr,kind,source,status,note\n"


@pytest.mark.parametrize("module", [charts, minimum_wage, workforce])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("63,2026,3725000,3725000,UMP,,confirmed,", "no source"),
        ("63,2026,3725000,3725000,UMR,K,confirmed,", "kind must be UMP or UMK"),
        ("63,2026,3725000,abc,UMP,K,confirmed,", "a number is not valid"),
        ("61,2023,2608601,2608601.75,UMP,K,confirmed,", "rounded up"),
        ("63.71,2026,3855894,3855894,UMP,K,confirmed,", "a UMP is for a province"),
    ],
)
def test_minimum_wage_rows_are_refused_with_the_line_and_rule(line, message):
    with pytest.raises(ValueError, match=f"line 2: .*{message}"):
        parse(HEADER + line)


def test_the_shipped_minimum_wages_load_and_banjarmasin_has_its_umk():
    table = minimum_wage_table()
    umk, ump = minimum_wages_for(2026)
    assert umk["63.71"].amount_idr == 3_855_894 and ump["63"].amount_idr == 3_725_000
    assert len(ump) == 5 and all(w.source for w in table.values())
    _umk, ump_2027 = minimum_wages_for(2027)  # not yet published: the latest one stands
    assert ump_2027["64"].year == 2026


def test_charts_escape_text_and_link_shapes():
    svg = charts.bars("<b>", [("A & B", 3, "/rows?x=1&y=2")])
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "A &amp; B" in svg
    assert 'href="/rows?x=1&amp;y=2"' in svg
    empty = charts.stacked_bars("empty", [], {})
    assert empty.startswith("<svg") and 'role="img"' in empty
    tiles = charts.tile_map("m", {"63": None})
    assert "#dddddd" in tiles and "—" in tiles
