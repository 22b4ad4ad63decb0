"""The shipped rule data is consistent, and the validator rejects what it must."""

from datetime import date
from decimal import Decimal

import pytest

from jamsos.rules.calc.tables import (
    FILES,
    RuleDataError,
    RuleNotInForce,
    load,
    parse_rows,
    rule_book,
    validate,
)


def row(rule="X", f="2020-01-01", t="", basis="PP 1/2020", status="confirmed", note="", **v):
    return {
        "rule": rule,
        "effective_from": f,
        "effective_to": t,
        "legal_basis": basis,
        "status": status,
        "note": note,
        **v,
    }


def problems(rows, gaps_allowed=False):
    return validate(parse_rows(rows, source="t.csv"), source="t.csv", gaps_allowed=gaps_allowed)


def test_shipped_rule_data_loads_without_problems():
    book = load()
    assert book.version("PU.JKK.CLASS3", date(2026, 1, 1)).decimal("rate") == Decimal("0.0089")
    # every rule row names its legal basis and a known status
    for versions in book.rules.values():
        for v in versions:
            assert v.legal_basis and v.status in ("confirmed", "provisional")


def test_overlapping_versions_are_rejected():
    found = problems([row(f="2020-01-01", t="2021-06-01"), row(f="2021-01-01")])
    assert found == ["t.csv: X: versions from 2020-01-01 and 2021-01-01 overlap"]


def test_an_open_version_followed_by_another_is_an_overlap():
    assert "overlap" in problems([row(f="2020-01-01"), row(f="2021-01-01")])[0]


def test_gaps_are_rejected_unless_allowed():
    rows = [row(f="2020-01-01", t="2020-06-01"), row(f="2020-07-01")]
    assert problems(rows) == ["t.csv: X: gap between 2020-06-01 and 2020-07-01"]
    assert problems(rows, gaps_allowed=True) == []


def test_rows_without_legal_basis_or_with_unexplained_provisional_status_are_rejected():
    found = problems(
        [row(basis=""), row(rule="Y", status="provisional"), row(rule="Z", status="maybe")]
    )
    assert "t.csv: X from 2020-01-01: no legal basis" in found
    assert (
        "t.csv: Y from 2020-01-01: a provisional row needs a note saying what is unconfirmed"
        in found
    )
    assert any("status must be confirmed or provisional" in p for p in found)


def test_an_end_before_the_start_and_a_bad_date_are_rejected():
    assert "is not after effective_from" in problems([row(f="2020-01-01", t="2020-01-01")])[0]
    with pytest.raises(RuleDataError, match="not an ISO date"):
        parse_rows([row(f="01/01/2020")], source="t.csv")
    with pytest.raises(RuleDataError, match="rule id is empty"):
        parse_rows([row(rule="")], source="t.csv")


def test_load_reports_every_problem_in_the_files():
    def reader(name):
        if name == "rates.csv":
            return [
                row(rule="A", basis=""),
                row(rule="B", f="2020-01-01"),
                row(rule="B", f="2020-05-01"),
            ]
        if name == "holidays.csv":
            return [
                {
                    "date": "2026-01-01",
                    "name": "x",
                    "kind": "party",
                    "legal_basis": "",
                    "status": "confirmed",
                }
            ]
        return []

    with pytest.raises(RuleDataError) as exc:
        load(reader)
    text = str(exc.value)
    assert "rates.csv: A from 2020-01-01: no legal basis" in text
    assert "rates.csv: B: versions from 2020-01-01 and 2020-05-01 overlap" in text
    assert "holidays.csv line 2: no legal basis" in text
    assert "kind must be public or collective_leave" in text


def test_lookups_outside_any_version_raise_rule_not_in_force():
    book = rule_book()
    with pytest.raises(RuleNotInForce, match=r"no version of PU\.JKM is in force on 2015-06-30"):
        book.version("PU.JKM", date(2015, 6, 30))
    with pytest.raises(RuleNotInForce):
        book.table("PMI.PACKAGE", date(2018, 12, 9))
    assert book.versions("NO.SUCH.RULE") == ()


def test_every_data_file_is_listed():
    from importlib import resources

    shipped = {
        p.name
        for p in resources.files("jamsos.rules").joinpath("data").iterdir()
        if p.name.endswith(".csv")
    }
    assert shipped == set(FILES) | {"discounts.csv", "holidays.csv"}


def test_provisional_rows_are_visible_as_such():
    book = rule_book()
    assert book.version("PU.JKP.FROM_JKK", date(2026, 1, 1)).status == "provisional"
    tiers = {t.key: t.status for t in book.table("JAKON.CONTRACT", date(2026, 1, 1))}
    assert tiers == {
        "a": "confirmed",
        "b": "confirmed",
        "c": "confirmed",
        "d": "provisional",
        "e": "provisional",
    }


def test_memoised_lookups_give_the_same_answers_and_errors_every_time():
    book = load()
    first = book.version("PU.JKM", date(2026, 1, 1))
    assert book.version("PU.JKM", date(2026, 1, 1)) is first
    for _ in range(2):  # a remembered "not in force" is raised again, not returned
        with pytest.raises(RuleNotInForce):
            book.version("PU.JKM", date(2015, 1, 1))
    rows = book.table("JAKON.CONTRACT", date(2026, 1, 1))
    rows.clear()  # a caller changing its list does not change the book
    assert len(book.table("JAKON.CONTRACT", date(2026, 1, 1))) == 5
