"""The rule horizon as an operator sees it: ``jamsos rules horizon``, ``/healthz`` and the system
administrator's home page."""

import io
import json
from datetime import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from jamsos.rules.horizon import horizon_on
from tests.conftest import TwoFactorClient

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 12, 2, 9)


@pytest.fixture(autouse=True)
def _fresh_horizon():
    horizon_on.cache_clear()
    yield
    horizon_on.cache_clear()


def test_cli_json_lists_the_tables_ending_soonest_first():
    out = io.StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("rules", "horizon", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["today"], body["days"], body["until"], body["status"]) == (
        "2026-12-02",
        120,
        "2027-04-01",
        "expiring",
    )
    assert [(t["on"], t["table"], t["kind"]) for t in body["tables"]] == [
        ("2026-03-01", "jp_benefit_limits.csv", "renewal_due"),
        ("2027-01-01", "holidays.csv", "provisional"),
        ("2027-01-01", "jht_returns.csv", "ends"),
        ("2027-01-01", "rates.csv: PU.WAGE_FLOOR", "renewal_due"),
        ("2027-01-01", "reporting/minimum_wages.csv", "renewal_due"),
        ("2027-03-01", "jp_wage_cap.csv", "renewal_due"),
        ("2027-04-01", "discounts.csv", "ends"),
    ]
    holidays = body["tables"][1]
    assert holidays["days_left"] == 30
    assert holidays["used_by"] == ["billing", "payments", "projects and PMI bills", "simulations"]
    assert "SKB" in holidays["renewed_by"]


def test_cli_text_and_a_window_with_nothing_to_do():
    out = io.StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("rules", "horizon", "--days", "40", stdout=out)
    text = out.getvalue()
    assert text.startswith(
        "rules: expiring - 5 tables need attention by 2027-01-11 (40 days from 2026-12-02)"
    )
    assert "2027-01-01  (+30 days)  holidays.csv: turns provisional" in text
    assert "    used by: billing, payments, projects and PMI bills, simulations" in text
    out = io.StringIO()
    with time_machine.travel(datetime(2025, 6, 2, 9), tick=False):
        call_command("rules", "horizon", "--days", "0", stdout=out)
    assert out.getvalue() == (
        "rules: ok - every table is in force and needs nothing until 2025-06-02 (0 days)\n"
    )
    with pytest.raises(CommandError, match="--days: must be 0 to 3660"):
        call_command("rules", "horizon", "--days", "-1")


def test_healthz_says_expiring_and_stays_200(client):
    with time_machine.travel(TODAY, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["rules"] == "expiring"
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize(
    ("language", "heading", "row"),
    [
        ("id", "Data aturan yang perlu diperbarui", "menjadi sementara"),
        ("en", "Rule data to renew", "turns provisional"),
    ],
)
def test_the_system_administrator_home_page_shows_the_warning(demo, language, heading, row):
    with time_machine.travel(TODAY, tick=False):
        client = TwoFactorClient()
        client.cookies["django_language"] = language
        assert client.login(username="admin", password="jamsos-demo-2026")
        text = client.get("/").content.decode()
        officer = TwoFactorClient()
        assert officer.login(username="cabang", password="jamsos-demo-2026")
        other = officer.get("/").content.decode()
    assert f'<h2 id="rule-horizon">{heading}</h2>' in text
    assert "<code>holidays.csv</code>" in text and row in text
    assert ("1 Januari 2027 (30" if language == "id" else "1 January 2027 (30") in text
    assert "rule-horizon" not in other
