"""Worked examples of regulations/contributions.md §9, each named by its example id."""

from datetime import date
from decimal import Decimal

import pytest

from jamsos.rules.calc.contributions import (
    bpu_contribution,
    jakon_contribution,
    jp_cap_check,
    jp_wage_cap,
    late_fine,
    pmi_contribution,
    pu_contribution,
)


def amounts(result):
    return {(line.programme, line.payer): line.amount_idr for line in result.lines}


def test_E1_pu_5m_class_III_october_2026():
    r = pu_contribution(on=date(2026, 10, 1), wage_idr=5_000_000, jkk_risk_class=3)
    assert amounts(r) == {
        ("JKK", "employer"): 44_500,
        ("JKM", "employer"): 15_000,
        ("JHT", "employer"): 185_000,
        ("JHT", "worker"): 100_000,
        ("JP", "employer"): 100_000,
        ("JP", "worker"): 50_000,
    }
    assert r.by_payer == {"employer": 344_500, "worker": 150_000}
    assert r.total_idr == 494_500
    info = {(i.rule, i.payer): i.amount_idr for i in r.informational}
    assert info == {
        ("PU.JKP.GOVERNMENT", "government"): 11_000,
        ("PU.JKP.FROM_JKK", "employer"): 7_000,
    }
    assert r.due_on == date(2026, 11, 16)  # 15 Nov 2026 is a Sunday


def test_E2_pu_15m_class_I_march_2026_cap_binding():
    r = pu_contribution(on=date(2026, 3, 1), wage_idr=15_000_000, jkk_risk_class=1)
    a = amounts(r)
    assert a[("JKK", "employer")] == 36_000 and a[("JKM", "employer")] == 45_000
    assert a[("JHT", "employer")] == 555_000 and a[("JHT", "worker")] == 300_000
    assert a[("JP", "employer")] == 221_726 and a[("JP", "worker")] == 110_863
    assert r.by_payer == {"employer": 857_726, "worker": 410_863}
    assert r.total_idr == 1_268_589
    jp = next(line for line in r.lines if line.programme == "JP")
    assert jp.basis_idr == 11_086_300 and "capped" in jp.note


def test_E3_same_as_E2_in_february_2026_previous_cap():
    r = pu_contribution(on=date(2026, 2, 1), wage_idr=15_000_000, jkk_risk_class=1)
    a = amounts(r)
    assert (a[("JP", "employer")], a[("JP", "worker")]) == (210_948, 105_474)
    assert r.by_payer == {"employer": 846_948, "worker": 405_474}
    assert r.total_idr == 1_252_422


def test_E4_pu_10m_class_II_january_and_march_2024():
    jan = pu_contribution(on=date(2024, 1, 1), wage_idr=10_000_000, jkk_risk_class=2)
    assert (amounts(jan)[("JP", "employer")], amounts(jan)[("JP", "worker")]) == (191_192, 95_596)
    assert amounts(jan)[("JKK", "employer")] == 54_000
    assert jan.total_idr == 940_788
    mar = pu_contribution(on=date(2024, 3, 1), wage_idr=10_000_000, jkk_risk_class=2)
    assert mar.total_idr == 954_000


@pytest.mark.parametrize(
    ("on", "jkk", "total"),
    [
        (date(2025, 6, 1), 17_800, 377_800),  # PP 7/2025
        (date(2026, 1, 1), 17_800, 377_800),  # extended by PP 36/2025
        (date(2026, 2, 1), 35_600, 395_600),  # discount over
    ],
)
def test_E5_labour_intensive_discount(on, jkk, total):
    r = pu_contribution(on=on, wage_idr=4_000_000, jkk_risk_class=3, labour_intensive=True)
    assert amounts(r)[("JKK", "employer")] == jkk
    assert r.total_idr == total


def test_E5_no_discount_without_the_labour_intensive_attribute():
    r = pu_contribution(on=date(2025, 6, 1), wage_idr=4_000_000, jkk_risk_class=3)
    assert amounts(r)[("JKK", "employer")] == 35_600


def jkp(result):
    return {i.rule: i.amount_idr for i in result.informational}


def test_E6_jkp_funding_both_regimes_employer_pays_the_same():
    old = pu_contribution(on=date(2024, 6, 1), wage_idr=8_000_000, jkk_risk_class=1)
    new = pu_contribution(on=date(2025, 6, 1), wage_idr=8_000_000, jkk_risk_class=1)
    assert jkp(old) == {
        "PU.JKP.GOVERNMENT": 11_000,
        "PU.JKP.FROM_JKK": 7_000,
        "PU.JKP.FROM_JKM": 5_000,
    }
    assert sum(jkp(old).values()) == 23_000
    assert jkp(new) == {"PU.JKP.GOVERNMENT": 11_000, "PU.JKP.FROM_JKK": 7_000}
    assert (
        old.by_payer["employer"] - amounts(old)[("JP", "employer")]
        == new.by_payer["employer"] - amounts(new)[("JP", "employer")]
    )
    low = pu_contribution(on=date(2025, 6, 1), wage_idr=3_500_000, jkk_risk_class=1)
    assert jkp(low) == {"PU.JKP.GOVERNMENT": 7_700, "PU.JKP.FROM_JKK": 4_900}


def test_E6_no_jkp_before_pp_37_2021():
    assert jkp(pu_contribution(on=date(2020, 12, 1), wage_idr=5_000_000, jkk_risk_class=1)) == {}


def test_E7_bpu_lowest_nominal():
    assert bpu_contribution(on=date(2026, 5, 1), income_idr=1_000_000).total_idr == 16_800
    with_jht = bpu_contribution(
        on=date(2026, 5, 1), income_idr=1_000_000, programmes=["JKK", "JKM", "JHT"]
    )
    assert with_jht.total_idr == 36_800
    transport = bpu_contribution(on=date(2026, 5, 1), income_idr=1_000_000, transport_worker=True)
    assert transport.total_idr == 8_400
    assert (
        bpu_contribution(
            on=date(2026, 5, 1),
            income_idr=1_000_000,
            transport_worker=True,
            programmes=["JKK", "JKM", "JHT"],
        ).total_idr
        == 28_400
    )
    assert (
        bpu_contribution(on=date(2026, 5, 1), income_idr=1_000_000, months=12).total_idr == 201_600
    )


def test_E7_transport_discount_not_for_budget_paid_members():
    r = bpu_contribution(
        on=date(2026, 5, 1), income_idr=1_000_000, transport_worker=True, government_paid=True
    )
    assert r.total_idr == 16_800


@pytest.mark.parametrize(
    ("months", "total"), [(1, 81_800), (3, 245_400), (6, 490_800), (12, 981_600)]
)
def test_E8_bpu_2_5m_prepaid(months, total):
    r = bpu_contribution(
        on=date(2026, 5, 1), income_idr=2_500_000, programmes=["JKK", "JKM", "JHT"], months=months
    )
    assert r.total_idr == total
    assert all(
        line.status == "provisional" or line.programme == "JKM" for line in r.lines
    ) or r.notes[0].endswith("(provisional).")


def test_E8_bpu_jkk_jkm_only_and_maximum():
    assert bpu_contribution(on=date(2026, 5, 1), income_idr=2_500_000).total_idr == 31_800
    top = bpu_contribution(
        on=date(2026, 5, 1), income_idr=50_000_000, programmes=["JKK", "JKM", "JHT"]
    )
    assert top.total_idr == 627_800
    assert amounts(top) == {
        ("JKK", "participant"): 207_000,
        ("JKM", "participant"): 6_800,
        ("JHT", "participant"): 414_000,
    }


def test_bpu_prepayment_crossing_the_end_of_a_discount_is_right_month_by_month():
    r = bpu_contribution(on=date(2027, 1, 1), income_idr=1_000_000, months=6, transport_worker=True)
    assert r.total_idr == 3 * 8_400 + 3 * 16_800
    assert [(line.first_period, line.months, line.monthly_idr) for line in r.lines] == [
        ("2027-01", 3, 5_000),
        ("2027-01", 3, 3_400),
        ("2027-04", 3, 10_000),
        ("2027-04", 3, 6_800),
    ]


def test_E9_jakon_750m_marginal_tiers():
    r = jakon_contribution(on=date(2026, 1, 5), contract_value_idr=750_000_000)
    assert amounts(r) == {("JKK", "employer"): 1_215_000, ("JKM", "employer"): 160_000}
    assert r.total_idr == 1_375_000
    jkk = r.lines[0]
    assert [(d["tier"], d["portion_idr"]) for d in jkk.detail] == [
        ("a", 100_000_000),
        ("b", 400_000_000),
        ("c", 250_000_000),
    ]


@pytest.mark.parametrize(
    ("value", "jkk", "jkm", "total"),
    [
        (80_000_000, 168_000, 24_000, 192_000),
        (100_000_000, 210_000, 30_000, 240_000),
        (500_000_000, 890_000, 110_000, 1_000_000),
        (1_000_000_000, 1_540_000, 210_000, 1_750_000),
        (5_000_000_000, 5_940_000, 610_000, 6_550_000),
        (7_500_000_000, 8_190_000, 860_000, 9_050_000),
    ],
)
def test_E10_jakon_tier_edges(value, jkk, jkm, total):
    r = jakon_contribution(on=date(2026, 1, 5), contract_value_idr=value)
    assert amounts(r) == {("JKK", "employer"): jkk, ("JKM", "employer"): jkm}
    assert r.total_idr == total
    assert r.total_idr != 7_500_000 or value != 7_500_000_000  # not the non-marginal answer
    assert (r.lines[1].status == "provisional") is (value > 1_000_000_000)


def test_E11_jakon_wage_known_monthly_and_daily():
    assert jakon_contribution(on=date(2026, 1, 5), wage_idr=3_000_000).total_idr == 61_200
    daily = jakon_contribution(on=date(2026, 1, 5), daily_wage_idr=150_000)
    assert daily.total_idr == 76_500
    assert daily.lines[0].basis_idr == 3_750_000


@pytest.mark.parametrize(
    ("months", "via_agency", "total"),
    [
        (24, True, 370_000),
        (30, True, 451_000),
        (12, True, 226_500),
        (6, True, 145_500),
        (24, False, 332_500),
    ],
)
def test_E12_pmi_permenaker_4_2023(months, via_agency, total):
    r = pmi_contribution(on=date(2026, 1, 5), contract_months=months, via_agency=via_agency)
    assert r.total_idr == total


def test_E12_pmi_optional_jht_and_the_old_regulation():
    r = pmi_contribution(
        on=date(2026, 1, 5), contract_months=24, via_agency=True, jht_monthly_idr=100_000
    )
    assert r.total_idr == 370_000 + 24 * 100_000
    old = pmi_contribution(on=date(2020, 5, 1), contract_months=18, via_agency=True)
    assert old.total_idr == 370_000
    assert "PMI.PACKAGE/24" in old.lines[1].rule and "18/2018" in old.lines[1].legal_basis


def test_E13_late_fine_two_months():
    fine = late_fine(
        principal_idr=20_000_000, contribution_month=date(2026, 5, 1), paid_on=date(2026, 8, 10)
    )
    assert fine.due_on == date(2026, 6, 15)
    assert fine.months_late == 2
    assert fine.amount_idr == 800_000


@pytest.mark.parametrize(
    ("paid_on", "months", "amount"),
    [
        (date(2026, 6, 15), 0, 0),  # on the due date
        (date(2026, 6, 16), 1, 400_000),  # a part of a month counts as a month
        (date(2026, 7, 15), 1, 400_000),  # exactly one month
        (date(2026, 7, 16), 2, 800_000),
    ],
)
def test_E13_fine_counts_each_month_or_part_of_a_month(paid_on, months, amount):
    fine = late_fine(principal_idr=20_000_000, contribution_month=date(2026, 5, 1), paid_on=paid_on)
    assert (fine.months_late, fine.amount_idr) == (months, amount)


def test_E13_covid_fine_rate_and_due_date():
    from jamsos.rules.calc.dates import pu_due_date
    from jamsos.rules.calc.tables import rule_book

    # no decree rows for 2020: the computed calendar (Maulid Nabi on 29 Oct 2020, the 30th
    # collective leave) gives the PP 49/2020 due day, the 30th, as it is
    assert pu_due_date(date(2020, 9, 1), rule_book()) == date(2020, 10, 30)
    assert rule_book().calendar(2020)[date(2020, 10, 29)].status == "provisional"
    assert rule_book().version("PU.LATE_FINE", date(2020, 9, 1)).decimal("rate") == Decimal("0.005")
    assert rule_book().version("PU.DUE_DAY", date(2020, 9, 1)).integer("amount_idr") == 30


def test_a_due_date_beyond_every_holiday_calendar_is_left_open_with_a_note():
    r = pu_contribution(on=date(2050, 12, 1), wage_idr=5_000_000, jkk_risk_class=1)
    assert r.due_on is None
    assert r.notes == ("No holiday calendar for 2051: the due date cannot be computed.",)


def test_E14_covid_relief_september_2020():
    r = pu_contribution(on=date(2020, 9, 1), wage_idr=5_000_000, jkk_risk_class=3, jp_deferral=True)
    a = amounts(r)
    assert (a[("JKK", "employer")], a[("JKM", "employer")]) == (445, 150)
    assert (a[("JHT", "employer")], a[("JHT", "worker")]) == (185_000, 100_000)
    assert a[("JP", "employer")] + a[("JP", "worker")] == 1_500
    assert sum(i.amount_idr for i in r.informational if i.rule == "DISCOUNT.JP_DEFERRAL") == 148_500
    assert r.due_on == date(2020, 10, 30)
    assert "provisional 2020 holiday calendar" in r.notes[0]
    bpu = bpu_contribution(on=date(2020, 9, 1), income_idr=1_000_000)
    assert next(line for line in bpu.lines if line.programme == "JKM").amount_idr == 68


def test_E15_jp_cap_recomputation_reproduces_every_published_cap():
    checks = jp_cap_check()
    assert len(checks) == 11
    assert all(c.matches for c in checks), [c for c in checks if not c.matches]
    by_year = {c.effective_from.year: c for c in checks}
    assert by_year[2026].computed_idr == 11_086_300
    assert by_year[2021].computed_idr == 8_754_600  # a negative step
    assert jp_wage_cap(date(2026, 2, 28)) == 10_547_400
    assert jp_wage_cap(date(2026, 3, 1)) == 11_086_300
