"""Claims decided by the pure ``rules.calc.claims.decide`` over facts written here by hand.

Every amount below is worked out by hand from regulations/benefits.md and the rule data (the
figures in the comments), never taken from the calculator under test.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamsos.core.errors import RuleViolation
from jamsos.rules.calc.claims import (
    HEIRS,
    ClaimFacts,
    ClaimRequest,
    PastClaim,
    check_claimant,
    decide,
    event_on,
    jkm_window,
    jkp_window,
    jp_average_wage,
    membership_months,
    school_year,
)
from jamsos.rules.calc.dates import add_months
from jamsos.rules.calc.tables import rule_book

BOOK = rule_book()
BORN = date(1985, 8, 15)


def ask(kind, **extra):
    return ClaimRequest(kpj="26000000001", kind=kind, bank_code="BNI", bank_account="1", **extra)


def facts(**values):
    return ClaimFacts(birth_date=values.pop("birth_date", BORN), **values)


def parts(result):
    return {c.name: c.amount_idr for c in result.components}


def codes(result):
    return [r.code for r in result.reasons]


def field_of(call):
    with pytest.raises(RuleViolation) as error:
        call()
    return error.value.field


# --- membership months (the day counts) -------------------------------------------------------


def test_membership_from_31_may_2016_is_119_months_on_1_may_2026():
    assert membership_months(date(2016, 5, 31), date(2026, 5, 1)) == 119
    assert membership_months(date(2016, 5, 31), date(2026, 5, 30)) == 119
    assert membership_months(date(2016, 5, 31), date(2026, 5, 31)) == 120


def test_partial_jht_31_may_2016_to_1_may_2026_is_refused_until_31_may():
    member = facts(member_since=date(2016, 5, 31), jht_balance_idr=100_000_000)
    early = decide(member, ask("jht_partial_10"), date(2026, 5, 1), BOOK)
    assert not early.result.eligible and early.event_on == date(2026, 5, 1)
    assert codes(early.result) == ["jht.partial_needs_10_years"]
    assert early.result.reasons[0].possible_from == date(2026, 5, 31)
    assert "1 more" in early.result.reasons[0].message_en
    on_time = decide(member, ask("jht_partial_10"), date(2026, 5, 31), BOOK)
    # 10 % of Rp100.000.000 = Rp10.000.000, under the Rp50.000.000 untaxed layer
    assert on_time.result.eligible and parts(on_time.result) == {"partial_10": 10_000_000}
    assert on_time.result.tax_idr == 0


# --- JHT ----------------------------------------------------------------------------------


def test_partial_10_rounds_half_up_and_30_is_taxed_above_50_million():
    member = facts(member_since=date(2010, 1, 2), jht_balance_idr=123_456_789)
    ten = decide(member, ask("jht_partial_10"), date(2026, 3, 1), BOOK).result
    assert parts(ten) == {"partial_10": 12_345_679}  # 12.345.678,9 -> 12.345.679
    member = facts(member_since=date(2010, 1, 2), jht_balance_idr=200_000_000)
    thirty = decide(member, ask("jht_partial_30"), date(2026, 3, 1), BOOK).result
    # 30 % = Rp60.000.000; 5 % of the Rp10.000.000 above Rp50.000.000 = Rp500.000
    assert parts(thirty) == {"partial_30": 60_000_000} and thirty.tax_idr == 500_000


def test_partial_is_once_and_needs_a_membership():
    taken = facts(member_since=date(2010, 1, 2), partial_taken=True)
    assert codes(decide(taken, ask("jht_partial_10"), date(2026, 3, 1), BOOK).result) == [
        "jht.partial_once"
    ]
    never = decide(facts(), ask("jht_partial_30"), date(2026, 3, 1), BOOK).result
    assert codes(never) == ["jht.partial_needs_10_years"]
    assert never.reasons[0].possible_from == date(2036, 3, 1)  # 120 months from the day


def test_jht_at_retirement_age():
    # born 10 Mar 1967: 59 on 10 Mar 2026, the retirement age of 2025-2027 (PP 45/2015 Pasal 15)
    member = facts(birth_date=date(1967, 3, 10), jht_balance_idr=80_000_000)
    early = decide(member, ask("jht_retirement"), date(2026, 3, 9), BOOK)
    assert codes(early.result) == ["jht.not_retirement_age"]
    assert early.result.reasons[0].possible_from == date(2026, 3, 10)
    assert early.event_on == date(2026, 3, 9)
    paid = decide(member, ask("jht_retirement"), date(2026, 4, 1), BOOK)
    assert paid.event_on == date(2026, 3, 10)
    # the whole balance; 5 % of Rp30.000.000 above Rp50.000.000 = Rp1.500.000
    assert parts(paid.result) == {"balance": 80_000_000} and paid.result.tax_idr == 1_500_000


def test_jht_after_leaving_work_waits_a_month_and_a_day():
    left = facts(
        left_work_on=date(2026, 9, 30), exit_reason="resignation", jht_balance_idr=9_500_000
    )
    early = decide(left, ask("jht_leaving_work"), date(2026, 10, 20), BOOK)
    assert codes(early.result) == ["jht.waiting_period"]
    assert early.result.reasons[0].possible_from == date(2026, 10, 31)
    assert early.event_on == date(2026, 9, 30)
    paid = decide(left, ask("jht_leaving_work"), date(2026, 10, 31), BOOK)
    assert parts(paid.result) == {"balance": 9_500_000} and paid.result.tax_idr == 0


def test_jht_after_leaving_work_needs_no_active_membership():
    working = decide(facts(), ask("jht_leaving_work"), date(2026, 10, 20), BOOK)
    assert codes(working.result) == ["jht.membership_active"]
    assert working.event_on == date(2026, 10, 20)
    other = facts(left_work_on=date(2026, 9, 30), exit_reason="termination", membership_active=True)
    refused = decide(other, ask("jht_leaving_work"), date(2026, 11, 20), BOOK).result
    assert codes(refused) == ["jht.membership_active"]
    assert "Another membership" in refused.reasons[0].message_en


@pytest.mark.parametrize("kind", ["jht_death", "jht_total_disability", "jht_leaving_indonesia"])
def test_jht_on_death_disability_or_departure_pays_the_balance(kind):
    member = facts(jht_balance_idr=60_000_000)
    decision = decide(member, ask(kind, event_on=date(2026, 5, 2)), date(2026, 6, 1), BOOK)
    assert decision.event_on == date(2026, 5, 2)
    # 5 % of the Rp10.000.000 above Rp50.000.000
    assert parts(decision.result) == {"balance": 60_000_000} and decision.result.tax_idr == 500_000


# --- JKP ----------------------------------------------------------------------------------


def test_jkp_60_percent_of_the_wage_for_six_months_after_pp_6_2025():
    ended = facts(
        left_work_on=date(2026, 9, 30),
        exit_reason="termination",
        wage_idr=4_000_000,
        jkk_paid=(True,) * 12,
    )
    decision = decide(ended, ask("jkp"), date(2026, 10, 20), BOOK)
    assert decision.event_on == date(2026, 9, 30) and decision.result.eligible
    assert decision.result.schedule == tuple((m, 2_400_000) for m in range(1, 7))  # 60 % x 4 jt


def test_jkp_wage_is_capped_at_5_million():
    ended = facts(
        left_work_on=date(2026, 9, 30),
        exit_reason="termination",
        wage_idr=8_000_000,
        jkk_paid=(True,) * 24,
    )
    result = decide(ended, ask("jkp"), date(2026, 10, 20), BOOK).result
    assert result.monthly_idr == 3_000_000  # 60 % of the Rp5.000.000 cap


def test_jkp_before_pp_6_2025_needs_six_months_in_a_row_and_pays_45_then_25_percent():
    gap = (True,) * 12 + (False,) + (True,) * 5
    ended = facts(
        left_work_on=date(2024, 6, 30), exit_reason="termination", wage_idr=4_000_000, jkk_paid=gap
    )
    refused = decide(ended, ask("jkp"), date(2024, 7, 10), BOOK).result
    assert codes(refused) == ["jkp.needs_6_consecutive"]
    assert "(5)" in refused.reasons[0].message_en  # five months paid in a row
    ended = facts(
        left_work_on=date(2024, 6, 30),
        exit_reason="termination",
        wage_idr=4_000_000,
        jkk_paid=(True,) * 13 + (False,) + (True,) * 6,
    )
    paid = decide(ended, ask("jkp"), date(2024, 7, 10), BOOK).result
    # 45 % of Rp4.000.000 = Rp1.800.000 for months 1-3, 25 % = Rp1.000.000 for months 4-6
    assert paid.schedule == (
        (1, 1_800_000),
        (2, 1_800_000),
        (3, 1_800_000),
        (4, 1_000_000),
        (5, 1_000_000),
        (6, 1_000_000),
    )


def test_jkp_refused_while_employed_and_after_a_resignation():
    working = decide(facts(), ask("jkp"), date(2026, 10, 20), BOOK)
    assert codes(working.result) == ["jkp.still_employed"]
    assert working.event_on == date(2026, 10, 20)
    resigned = facts(
        left_work_on=date(2026, 9, 30), exit_reason="resignation", jkk_paid=(True,) * 24
    )
    assert codes(decide(resigned, ask("jkp"), date(2026, 10, 1), BOOK).result) == [
        "jkp.excluded_resignation"
    ]


# --- JKM ----------------------------------------------------------------------------------


def test_jkm_to_the_spouse_is_42_million():
    died = facts(jkm_months=48, employers_on_event=1)
    request = ask("jkm", event_on=date(2026, 8, 1), claimant_relation="spouse")
    decision = decide(died, request, date(2026, 8, 20), BOOK)
    assert decision.event_on == date(2026, 8, 1)
    assert parts(decision.result) == {
        "death_lump_sum": 20_000_000,
        "periodic_benefit": 12_000_000,
        "funeral": 10_000_000,
    }


def test_jkm_counts_the_lump_sum_and_periodic_benefit_once_per_employer():
    died = facts(jkm_months=48, employers_on_event=2)
    request = ask("jkm", event_on=date(2026, 8, 1), claimant_relation="child", children=("SD",))
    result = decide(died, request, date(2026, 8, 20), BOOK).result
    # 2 x Rp20 jt + 2 x Rp12 jt + one funeral Rp10 jt + one SD scholarship Rp1,5 jt
    assert parts(result) == {
        "death_lump_sum": 40_000_000,
        "periodic_benefit": 24_000_000,
        "funeral": 10_000_000,
        "scholarship_child_1_SD": 1_500_000,
    }
    assert result.total_idr == 75_500_000
    assert result.components[0].note.endswith("Once for each of the 2 employers.")


def test_jkm_without_heirs_pays_the_funeral_to_who_arranged_it():
    died = facts(jkm_months=48, employers_on_event=1)
    request = ask("jkm", event_on=date(2026, 8, 1), claimant_relation="funeral_organiser")
    result = decide(died, request, date(2026, 8, 20), BOOK).result
    assert parts(result) == {"funeral": 10_000_000}
    assert codes(result) == ["jkm.no_heirs"] and result.reasons[0].blocking is False


# --- JP -----------------------------------------------------------------------------------


def test_jp_old_age_after_20_years_on_5_million():
    member = facts(
        birth_date=date(1967, 3, 10),
        jp_months=240,
        jp_basis_idr=240 * 5_000_000,
        jp_paid_idr=1,
        jp_span_months=240,
    )
    early = decide(member, ask("jp_old_age"), date(2026, 3, 1), BOOK)
    assert codes(early.result) == ["jp.not_retirement_age"]
    assert early.result.reasons[0].possible_from == date(2026, 3, 10)
    paid = decide(member, ask("jp_old_age"), date(2026, 3, 10), BOOK)
    # 1 % x 20 years x Rp5.000.000 = Rp1.000.000 a month
    assert paid.event_on == date(2026, 3, 10) and paid.result.monthly_idr == 1_000_000


def test_jp_disability_and_widow_use_15_years_when_dense():
    # 12 months paid of 13: density 92 % >= 80 %, so 15 years are used
    member = facts(
        jp_months=12, jp_basis_idr=12 * 4_000_000, jp_paid_idr=1_440_000, jp_span_months=13
    )
    disabled = decide(
        member, ask("jp_disability", event_on=date(2026, 10, 10)), date(2026, 10, 20), BOOK
    )
    assert disabled.result.monthly_idr == 600_000  # 1 % x 15 x Rp4.000.000
    widow = decide(
        member,
        ask("jp_survivor", event_on=date(2026, 10, 10), claimant_relation="widow"),
        date(2026, 10, 20),
        BOOK,
    )
    assert widow.result.monthly_idr == 300_000  # half of Rp600.000


def test_jp_under_15_years_pays_the_contributions_back_or_nothing_without_them():
    sparse = facts(
        jp_months=12, jp_basis_idr=12 * 4_000_000, jp_paid_idr=1_440_000, jp_span_months=40
    )
    request = ask("jp_disability", event_on=date(2026, 10, 10))
    result = decide(sparse, request, date(2026, 10, 20), BOOK).result
    assert parts(result) == {"lump_sum": 1_440_000} and result.reasons[0].blocking is False
    empty = decide(facts(), request, date(2026, 10, 20), BOOK).result
    assert not empty.eligible and codes(empty) == ["jp.under_15_years"]


def test_jp_survivor_names_widow_child_or_parent():
    request = ask("jp_survivor", event_on=date(2026, 10, 10), claimant_relation="sibling")
    assert field_of(lambda: decide(facts(), request, date(2026, 10, 20), BOOK)) == (
        "claimant_relation"
    )


def test_jp_average_wage_rounds_half_up_not_down():
    assert jp_average_wage(12_000_001, 3) == 4_000_000  # 4.000.000,33
    assert jp_average_wage(12_000_002, 3) == 4_000_001  # 4.000.000,67: a floor gave 4.000.000
    assert jp_average_wage(0, 0) == 0


# --- scholarships -------------------------------------------------------------------------

JKM_PAID = PastClaim("KL-1", "JKM", date(2025, 8, 1))


def test_a_later_school_years_scholarship():
    member = facts(benefit_paid=JKM_PAID)
    request = ask("scholarship", claimant_relation="child", children=("SD", "SMA", "PT"))
    result = decide(member, request, date(2026, 8, 1), BOOK)
    assert result.event_on == date(2026, 8, 1)
    # at most two children: SD Rp1.500.000 and SMA Rp3.000.000
    assert parts(result.result) == {
        "scholarship_child_1_SD": 1_500_000,
        "scholarship_child_2_SMA": 3_000_000,
    }
    assert result.result.programme == "JKM"
    assert codes(result.result) == ["scholarship.max_children"]


def test_scholarship_refusals():
    request = ask("scholarship", claimant_relation="child", children=("SD",))
    none = decide(facts(), request, date(2026, 8, 1), BOOK).result
    assert codes(none) == ["scholarship.no_benefit"] and none.programme == "JKM"
    jkk = facts(benefit_paid=PastClaim("KL-2", "JKK", date(2026, 7, 3)))
    first = decide(jkk, request, date(2027, 6, 30), BOOK).result
    assert codes(first) == ["scholarship.first_year_paid"] and first.programme == "JKK"
    assert first.reasons[0].possible_from == date(2027, 7, 1)
    taken = facts(benefit_paid=JKM_PAID, scholarships=(PastClaim("KL-3", "JKM", date(2026, 7, 1)),))
    again = decide(taken, request, date(2027, 1, 5), BOOK).result
    assert codes(again) == ["scholarship.once_a_year"] and "KL-3" in again.reasons[0].message_en


def test_scholarship_needs_known_levels():
    member = facts(benefit_paid=JKM_PAID)
    none = ask("scholarship", claimant_relation="child")
    assert field_of(lambda: decide(member, none, date(2026, 8, 1), BOOK)) == "children"
    bad = ask("scholarship", claimant_relation="child", children=("S3",))
    assert field_of(lambda: decide(member, bad, date(2026, 8, 1), BOOK)) == "children"


# --- dates, windows and the claimant -------------------------------------------------------


def test_event_dates():
    on = date(2026, 10, 20)
    kw = {"birth_date": date(1967, 3, 10), "left_work_on": None, "book": BOOK}
    assert event_on(ask("jp_old_age"), on, **kw) == date(2026, 3, 10)
    assert event_on(ask("jkp"), on, **kw) == on
    assert event_on(ask("jkp"), on, **{**kw, "left_work_on": date(2026, 9, 30)}) == date(
        2026, 9, 30
    )
    assert event_on(ask("scholarship"), on, **kw) == on
    for kind in ("jkm", "jht_death", "jp_disability", "jp_survivor"):
        assert event_on(ask(kind, event_on=date(2026, 10, 1)), on, **kw) == date(2026, 10, 1)
        assert field_of(lambda k=kind: event_on(ask(k), on, **kw)) == "event_on"
        future = ask(kind, event_on=on + timedelta(days=1))
        assert field_of(lambda r=future: event_on(r, on, **kw)) == "event_on"


def test_windows_and_school_years():
    assert jkp_window(date(2026, 9, 30)) == (date(2024, 10, 1), date(2026, 9, 1))
    assert jkm_window(date(2026, 8, 1)) == (date(2016, 8, 1), date(2026, 8, 1))
    assert school_year(date(2026, 6, 30)) == 2025 and school_year(date(2026, 7, 1)) == 2026


def test_heirs_in_the_legal_order():
    check_claimant(ask("jkm", claimant_relation="spouse"))
    check_claimant(ask("jp_survivor", claimant_relation="widow"))  # JP names its own survivors
    check_claimant(ask("jht_leaving_work"))
    assert field_of(lambda: check_claimant(ask("jht_death"))) == "claimant_relation"
    assert HEIRS[0] == "spouse" and HEIRS[-1] == "funeral_organiser"


def test_an_unknown_kind_is_a_field_error():
    assert field_of(lambda: decide(facts(), ask("jkk_stmb"), date(2026, 1, 1), BOOK)) == "kind"


# --- properties ---------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(since=days, on=days)
def test_membership_months_is_the_last_whole_month_reached(since, on):
    months = membership_months(since, on)
    if on < since:
        assert months == 0
    else:
        assert add_months(since, months) <= on < add_months(since, months + 1)


@settings(max_examples=200, deadline=None)
@given(since=days, n=st.integers(0, 400))
def test_membership_months_counts_back_what_add_months_adds(since, n):
    assert membership_months(since, add_months(since, n)) == n


@settings(max_examples=150, deadline=None)
@given(
    since=st.dates(min_value=date(2000, 1, 1), max_value=date(2026, 1, 1)),
    balance=st.integers(0, 10**12),
    taken=st.booleans(),
    kind=st.sampled_from(["jht_partial_10", "jht_partial_30"]),
)
def test_partial_jht_is_paid_exactly_after_120_months_once(since, balance, taken, kind):
    on = date(2026, 3, 1)
    member = facts(member_since=since, jht_balance_idr=balance, partial_taken=taken)
    result = decide(member, ask(kind), on, BOOK).result
    assert result.eligible == (add_months(since, 120) <= on and not taken)
    if result.eligible:
        share = 10 if kind == "jht_partial_10" else 30
        assert abs(result.total_idr * 100 - balance * share) <= 50


@settings(max_examples=150, deadline=None)
@given(
    employers=st.integers(1, 4),
    months=st.integers(36, 120),
    died=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)),
)
def test_jkm_grows_by_32_million_for_each_more_employer(employers, months, died):
    request = ask("jkm", event_on=died, claimant_relation="spouse")
    result = decide(facts(jkm_months=months, employers_on_event=employers), request, died, BOOK)
    assert result.result.total_idr == 42_000_000 + (employers - 1) * 32_000_000


@settings(max_examples=150, deadline=None)
@given(
    paid=st.lists(st.booleans(), min_size=0, max_size=24),
    wage=st.integers(0, 50_000_000),
    left=st.dates(min_value=date(2025, 2, 7), max_value=date(2026, 12, 31)),
)
def test_jkp_after_pp_6_2025_needs_12_of_24_months(paid, wage, left):
    ended = facts(left_work_on=left, exit_reason="termination", wage_idr=wage, jkk_paid=tuple(paid))
    result = decide(ended, ask("jkp"), left, BOOK).result
    assert result.eligible == (sum(paid) >= 12)
    if result.eligible:
        assert abs(result.monthly_idr * 10 - min(wage, 5_000_000) * 6) <= 5  # 60 %, half up
