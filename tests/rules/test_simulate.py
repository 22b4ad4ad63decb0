"""The simulation request contract: field-named errors in two languages."""

import pytest

from jamsos.core.errors import RuleViolation
from jamsos.rules.simulate import simulate_contribution

PU = {"segment": "PU", "on": "2026-10-01", "wage_idr": 5_000_000, "jkk_risk_class": 3}


def test_pu_result_follows_the_json_contract():
    r = simulate_contribution(PU)
    assert r["total_idr"] == 494_500
    assert r["by_payer"] == {"employer": 344_500, "worker": 150_000}
    line = r["lines"][0]
    assert {
        "programme",
        "payer",
        "basis_idr",
        "rate",
        "amount_idr",
        "rule",
        "legal_basis",
        "status",
    } <= set(line)
    assert line["rate"] == "0.0089" and isinstance(line["amount_idr"], int)
    assert [i["programme"] for i in r["informational"]] == ["JKP", "JKP"]
    assert r["due_on"] == "2026-11-16"


@pytest.mark.parametrize(
    ("payload", "field", "code", "en", "id_"),
    [
        ({}, "segment", "required", "is required", "wajib diisi"),
        ({"segment": "XX", "on": "2026-01-01"}, "segment", "invalid", "must be one of", "harus"),
        ({**PU, "on": "2026-13-01"}, "on", "invalid", "not a valid date", "bukan tanggal"),
        ({**PU, "on": 20260101}, "on", "invalid", "ISO date", "tanggal ISO"),
        ({**PU, "wage_idr": 5_000_000.5}, "wage_idr", "invalid", "whole number", "bilangan bulat"),
        ({**PU, "wage_idr": "5000000"}, "wage_idr", "invalid", "whole number", "bilangan bulat"),
        ({**PU, "wage_idr": 0}, "wage_idr", "invalid", "at least 1", "minimal 1"),
        ({**PU, "jkk_risk_class": 6}, "jkk_risk_class", "invalid", "at most 5", "maksimal 5"),
        (
            {**PU, "programmes": ["JKK", "JKP"]},
            "programmes",
            "programme.not_available",
            "JKP",
            "JKP",
        ),
        (
            {**PU, "programmes": ["JHT", "JP"]},
            "programmes",
            "programme.mandatory",
            "JKK and JKM are mandatory",
            "JKK dan JKM wajib",
        ),
        ({**PU, "programmes": "JKK"}, "programmes", "invalid", "list", "daftar"),
        ({**PU, "programmes": ["JKK", "JKM", "JKK"]}, "programmes", "invalid", "twice", "dua kali"),
        (
            {**PU, "enterprise_size": "medium", "programmes": ["JKK", "JKM", "JHT"]},
            "programmes",
            "programme.mandatory",
            "must also enrol JP",
            "wajib juga",
        ),
        ({**PU, "enterprise_size": "huge"}, "enterprise_size", "invalid", "one of", "salah satu"),
        ({**PU, "labour_intensive": "yes"}, "labour_intensive", "invalid", "true or false", "true"),
        ({**PU, "on": "2015-06-01"}, "on", "rule.not_in_force", "no rule", "tidak ada aturan"),
        (
            {"segment": "BPU", "on": "2026-01-01", "income_idr": 1_000_000, "months": 13},
            "months",
            "invalid",
            "at most 12",
            "maksimal 12",
        ),
        (
            {
                "segment": "BPU",
                "on": "2026-01-01",
                "income_idr": 1_000_000,
                "programmes": ["JKK", "JKM", "JP"],
            },
            "programmes",
            "programme.not_available",
            "JP",
            "JP",
        ),
        (
            {"segment": "JAKON", "on": "2026-01-01"},
            "contract_value_idr",
            "invalid",
            "exactly one",
            "tepat satu",
        ),
        (
            {"segment": "JAKON", "on": "2026-01-01", "contract_value_idr": 1, "wage_idr": 1},
            "contract_value_idr",
            "invalid",
            "exactly one",
            "tepat satu",
        ),
        (
            {"segment": "PMI", "on": "2026-01-01", "contract_months": 24},
            "via_agency",
            "required",
            "is required",
            "wajib",
        ),
        (
            {
                "segment": "PMI",
                "on": "2026-01-01",
                "contract_months": 24,
                "via_agency": True,
                "jht_monthly_idr": 75_000,
            },
            "jht_monthly_idr",
            "invalid",
            "one of 50,000",
            "salah satu",
        ),
        (
            {"segment": "PMI", "on": "2020-01-01", "contract_months": 30, "via_agency": True},
            "contract_months",
            "rule.not_defined",
            "longer than 24",
            "lebih dari 24",
        ),
        ([1, 2], "body", "invalid", "JSON object", "objek JSON"),
    ],
)
def test_bad_input_names_the_field_and_the_rule(payload, field, code, en, id_):
    with pytest.raises(RuleViolation) as exc:
        simulate_contribution(payload)
    assert (exc.value.field, exc.value.code) == (field, code)
    assert en in exc.value.message
    assert id_ in exc.value.message_for("id")
    assert exc.value.message_for("en") == exc.value.message


def test_enterprise_size_sets_the_default_programmes():
    small = simulate_contribution({**PU, "enterprise_size": "small"})
    assert sorted({line["programme"] for line in small["lines"]}) == ["JHT", "JKK", "JKM"]
    micro = simulate_contribution({**PU, "enterprise_size": "micro"})
    assert sorted({line["programme"] for line in micro["lines"]}) == ["JKK", "JKM"]


@pytest.mark.parametrize(
    ("payload", "total"),
    [
        (
            {
                "segment": "BPU",
                "on": "2026-05-01",
                "income_idr": 2_500_000,
                "programmes": ["JKK", "JKM", "JHT"],
                "months": 3,
            },
            245_400,
        ),
        ({"segment": "JAKON", "on": "2026-01-05", "contract_value_idr": 750_000_000}, 1_375_000),
        ({"segment": "JAKON", "on": "2026-01-05", "daily_wage_idr": 150_000}, 76_500),
        (
            {"segment": "PMI", "on": "2026-01-05", "contract_months": 30, "via_agency": True},
            451_000,
        ),
    ],
)
def test_every_segment(payload, total):
    assert simulate_contribution(payload)["total_idr"] == total
