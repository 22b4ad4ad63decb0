"""NIK (Nomor Induk Kependudukan): structure, birth date and sex, place of registration.

Pure module: no Django. Layout PP KK CC DD MM YY SSSS (Dukcapil, Kemendagri): province,
regency, district, birth day (+40 for women), month, two-digit year, serial.

Structure and birth date are checked with python-stdnum (``stdnum.id.nik``) and reject the
number. The place is looked up in Jamsos's own Kemendagri table (``registry/data``), which is
newer than stdnum's: an unknown place only warns (project rule 9). A declared birth date or sex
that disagrees with the NIK warns too: such NIKs exist and are never reissued.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik

from jamsos.core.errors import RuleViolation


@dataclass(frozen=True)
class NikWarning:
    code: str
    message_en: str
    message_id: str


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str
    regency_code: str  # "PP.KK", as in the Kemendagri table
    district_code: str
    birth_date: date
    sex: str  # "F" or "M"
    serial: str
    warnings: tuple[NikWarning, ...] = ()


def _invalid(en: str, id_: str) -> RuleViolation:
    return RuleViolation(f"nik: {en}", field="nik", code="invalid_nik", message_id=f"nik: {id_}")


@lru_cache(maxsize=1)
def _places() -> tuple[frozenset[str], frozenset[str]]:
    base = resources.files("jamsos.registry").joinpath("data")
    provinces = {
        r["code"]
        for r in csv.DictReader(
            base.joinpath("provinces.csv").read_text(encoding="utf-8").splitlines()
        )
    }
    regencies = {
        r["code"]
        for r in csv.DictReader(
            base.joinpath("regencies.csv").read_text(encoding="utf-8").splitlines()
        )
    }
    return frozenset(provinces), frozenset(regencies)


def _century(yy: int, month: int, day: int, today: date, declared: date | None) -> int:
    """Resolve the two-digit year: the declared birth date decides when it fits; otherwise
    20YY unless that would be in the future (docs/registry.md)."""
    if (
        declared is not None
        and declared.year % 100 == yy
        and (declared.month, declared.day) == (month, day)
    ):
        return declared.year
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def parse_nik(
    raw: str,
    *,
    today: date,
    declared_birth_date: date | None = None,
    declared_sex: str | None = None,
) -> NikInfo:
    """Validate a NIK and decode it; raise ``RuleViolation`` (code ``invalid_nik``) if the
    structure or the birth date is wrong.

    >>> parse_nik("6471021508850001", today=date(2026, 1, 1)).birth_date
    datetime.date(1985, 8, 15)
    """
    number = stdnum_nik.compact(raw or "")
    if not (number.isascii() and number.isdigit()):
        raise _invalid("must be 16 digits", "harus 16 digit angka")
    if len(number) != 16:
        raise _invalid(
            f"must be 16 digits, not {len(number)}", f"harus 16 digit, bukan {len(number)}"
        )
    raw_day, month, yy = int(number[6:8]), int(number[8:10]), int(number[10:12])
    if not (1 <= raw_day <= 31 or 41 <= raw_day <= 71):
        raise _invalid(
            f"day {number[6:8]} is neither 01-31 nor 41-71",
            f"tanggal {number[6:8]} tidak di antara 01-31 atau 41-71",
        )
    try:
        stdnum_nik.get_birth_date(number)  # checks that some century gives a real date
    except ValidationError:
        raise _invalid(
            "the birth date in the NIK is not a real date",
            "tanggal lahir dalam NIK bukan tanggal yang sah",
        ) from None
    if number[12:] == "0000":
        raise _invalid("the serial must not be 0000", "nomor urut tidak boleh 0000")
    day = raw_day - 40 if raw_day > 40 else raw_day
    year = _century(yy, month, day, today, declared_birth_date)
    # stdnum found a century in which the date exists; 29 Feb only differs between 1900 and
    # 2000, and YY 00 resolves to 2000, so the chosen century always has the date
    birth_date = date(year, month, day)
    sex = "F" if raw_day > 40 else "M"
    warnings = []
    provinces, regencies = _places()
    regency = f"{number[:2]}.{number[2:4]}"
    if number[:2] not in provinces or regency not in regencies:
        warnings.append(
            NikWarning(
                "nik.unknown_place",
                f"Region {regency} is not in the Kemendagri table; check the NIK with the KTP.",
                f"Wilayah {regency} tidak ada di tabel Kemendagri; periksa NIK dengan KTP.",
            )
        )
    if declared_birth_date is not None and declared_birth_date != birth_date:
        warnings.append(
            NikWarning(
                "nik.birth_date_mismatch",
                f"The NIK says born {birth_date.isoformat()}, the form says "
                f"{declared_birth_date.isoformat()}.",
                f"NIK menyatakan lahir {birth_date.isoformat()}, formulir menyatakan "
                f"{declared_birth_date.isoformat()}.",
            )
        )
    if declared_sex is not None and declared_sex != sex:
        warnings.append(
            NikWarning(
                "nik.sex_mismatch",
                f"The NIK is of a {'woman' if sex == 'F' else 'man'}.",
                f"NIK ini milik {'perempuan' if sex == 'F' else 'laki-laki'}.",
            )
        )
    return NikInfo(
        number, number[:2], regency, number[4:6], birth_date, sex, number[12:], tuple(warnings)
    )


def format_kpj(enrolment_year: int, serial: int) -> str:
    """An 11-digit KPJ card number: the two-digit year of first enrolment and a 9-digit serial
    (the prefix seen on BPJS statements; no check digit is known).

    >>> format_kpj(2026, 42)
    '26000000042'
    """
    if not 0 < serial < 10**9:
        raise ValueError("KPJ serial out of range")
    return f"{enrolment_year % 100:02d}{serial:09d}"
