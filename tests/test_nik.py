"""NIK validation: contributions.md E16 and project rule 9 (unknown places warn, never reject)."""

from datetime import date

import pytest

from jamsos.core.errors import RuleViolation
from jamsos.registry.nik import format_kpj, parse_nik

TODAY = date(2026, 11, 24)


def test_E16_male_balikpapan():
    info = parse_nik("6471021508850001", today=TODAY)
    assert (info.province_code, info.regency_code, info.district_code) == ("64", "64.71", "02")
    assert (info.sex, info.birth_date, info.serial) == ("M", date(1985, 8, 15), "0001")
    assert info.warnings == ()


def test_E16_female_banjarmasin_day_plus_40():
    info = parse_nik("6371055612900003", today=TODAY)
    assert (info.sex, info.birth_date) == ("F", date(1990, 12, 16))
    assert parse_nik("6471024302850001", today=TODAY).birth_date == date(1985, 2, 3)


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("6471023208850001", "day 32 is neither 01-31 nor 41-71"),  # E16: day 32
        ("647102150885000", "must be 16 digits, not 15"),  # E16: 15 digits
        ("64710215088500012", "must be 16 digits, not 17"),
        ("64710215O8850001", "must be 16 digits"),
        ("6471020008850001", "neither 01-31 nor 41-71"),
        ("6471023102850001", "not a real date"),  # 31 February
        ("6471021508850000", "serial must not be 0000"),
        ("", "must be 16 digits"),
    ],
)
def test_invalid_niks_are_rejected_with_code_invalid_nik(nik, message):
    with pytest.raises(RuleViolation) as exc:
        parse_nik(nik, today=TODAY)
    assert (exc.value.code, exc.value.field) == ("invalid_nik", "nik")
    assert message in exc.value.message
    assert exc.value.message_for("id").startswith("nik: ")


def test_kalimantan_utara_and_new_papua_provinces_are_known_places():
    # stdnum's own table lacks province 65 and the 2022 Papua provinces; ours has them
    assert parse_nik("6571011508850001", today=TODAY).warnings == ()
    assert parse_nik("9501011508850001", today=TODAY).warnings == ()  # Papua Selatan


def test_an_unknown_place_warns_but_does_not_reject():
    info = parse_nik("6599011508850001", today=TODAY)
    assert [w.code for w in info.warnings] == ["nik.unknown_place"]
    assert info.birth_date == date(1985, 8, 15)


def test_separators_are_accepted():
    assert parse_nik("64.71.02 150885 0001", today=TODAY).nik == "6471021508850001"


def test_century_from_the_declared_birth_date_or_the_current_year():
    assert parse_nik("6471021508050001", today=TODAY).birth_date == date(2005, 8, 15)
    assert parse_nik("6471021508300001", today=TODAY).birth_date == date(1930, 8, 15)
    old = parse_nik("6471021508250001", today=TODAY, declared_birth_date=date(1925, 8, 15))
    assert old.birth_date == date(1925, 8, 15) and old.warnings == ()
    leap = parse_nik("6471022902000001", today=TODAY)  # 29 Feb exists in 2000, not 1900
    assert leap.birth_date == date(2000, 2, 29)


def test_leap_day_in_a_year_that_falls_in_the_future():
    # YY=04: 2004 is in the past and a leap year
    assert parse_nik("6471022902040001", today=TODAY).birth_date == date(2004, 2, 29)
    # YY=96 with 29 Feb: 2096 is in the future, so 1996
    assert parse_nik("6471022902960001", today=TODAY).birth_date == date(1996, 2, 29)


def test_mismatched_declared_data_warns():
    info = parse_nik(
        "6371055612900003", today=TODAY, declared_birth_date=date(1990, 12, 17), declared_sex="M"
    )
    assert [w.code for w in info.warnings] == ["nik.birth_date_mismatch", "nik.sex_mismatch"]
    assert "perempuan" in info.warnings[1].message_id
    male = parse_nik("6471021508850001", today=TODAY, declared_sex="F")
    assert "man" in male.warnings[0].message_en


def test_kpj_format():
    assert format_kpj(2026, 1) == "26000000001"
    assert len(format_kpj(2017, 999_999_999)) == 11
    with pytest.raises(ValueError):
        format_kpj(2026, 0)
