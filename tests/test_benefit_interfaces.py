"""Benefit simulations: the same figures from the CLI, the API and the page; errors name the
field."""

import io
import json
import re
import sys

import pytest
from django.core.management import call_command

from jamsos.core.errors import RuleViolation
from jamsos.rules.simulate import simulate_benefit

pytestmark = pytest.mark.django_db

CASES = [
    (
        {
            "programme": "JKM",
            "event_on": "2026-03-10",
            "contribution_months": 48,
            "children": [{"level": "SMP"}, {"level": "SMA"}],
        },
        {
            "programme": "JKM",
            "event_on": "2026-03-10",
            "contribution_months": "48",
            "segment": "PU",
            "child_1": "SMP",
            "child_2": "SMA",
        },
        47_000_000,
    ),
    (
        {
            "programme": "JKK",
            "event_on": "2026-01-01",
            "case": "transport",
            "transport": [
                {"mode": "land", "cost_idr": 3_000_000},
                {"mode": "air", "cost_idr": 12_000_000},
            ],
        },
        {
            "programme": "JKK",
            "event_on": "2026-01-01",
            "case": "transport",
            "transport_land_idr": "3.000.000",
            "transport_air_idr": "12.000.000",
        },
        13_000_000,
    ),
    (
        {
            "programme": "JKK",
            "event_on": "2026-01-01",
            "case": "partial_disability",
            "wage_idr": 5_000_000,
            "disability_percent": "40",
            "function_loss_percent": "50",
        },
        {
            "programme": "JKK",
            "event_on": "2026-01-01",
            "case": "partial_disability",
            "wage_idr": "5000000",
            "disability_percent": "40",
            "function_loss_percent": "50",
        },
        80_000_000,
    ),
    (
        {
            "programme": "JHT",
            "event_on": "2026-01-01",
            "kind": "full",
            "balance_idr": 150_000_000,
            "membership_months": 144,
            "reason": "retirement",
        },
        {
            "programme": "JHT",
            "event_on": "2026-01-01",
            "kind": "full",
            "balance_idr": "150.000.000",
            "membership_months": "144",
            "reason": "retirement",
        },
        150_000_000,
    ),
    (
        {
            "programme": "JP",
            "event_on": "2024-06-01",
            "contribution_months": 240,
            "average_indexed_wage_idr": 8_000_000,
        },
        {
            "programme": "JP",
            "event_on": "2024-06-01",
            "kind": "old_age",
            "contribution_months": "240",
            "average_indexed_wage_idr": "8000000",
        },
        1_600_000,
    ),
    (
        {
            "programme": "JKP",
            "event_on": "2025-03-10",
            "wage_idr": 7_000_000,
            "reason": "termination",
            "contribution_months_last_24": 20,
            "consecutive_months": 20,
        },
        {
            "programme": "JKP",
            "event_on": "2025-03-10",
            "wage_idr": "7000000",
            "reason": "termination",
            "contribution_months_last_24": "20",
            "consecutive_months": "20",
        },
        3_000_000,
    ),
]


def cli(payload):
    out = io.StringIO()
    stdin, sys.stdin = sys.stdin, io.StringIO(json.dumps(payload))
    try:
        call_command("simulate", "benefit", stdout=out)
    finally:
        sys.stdin = stdin
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("request_body", "form", "total"),
    CASES,
    ids=[c[0]["programme"] + str(i) for i, c in enumerate(CASES)],
)
def test_cli_api_and_page_agree(client, request_body, form, total):
    api = client.post("/api/v1/simulations/benefits", request_body, content_type="application/json")
    assert api.status_code == 200, api.content
    result = api.json()
    assert result["total_idr"] == total
    assert cli(request_body) == result
    html = client.get("/simulasi/manfaat/", form).content.decode()
    assert f'data-total-idr="{total}"' in html
    page_components = [
        (n, int(a))
        for n, a in re.findall(r'<tr data-component="([^"]+)" data-amount-idr="(\d+)"', html)
    ]
    assert page_components == [(c["name"], c["amount_idr"]) for c in result["components"]]


def test_jkp_schedule_and_ineligible_reasons_on_the_page(client):
    html = client.get(
        "/simulasi/manfaat/",
        {
            "programme": "JKP",
            "event_on": "2025-02-06",
            "wage_idr": "4000000",
            "reason": "termination",
            "contribution_months_last_24": "12",
            "consecutive_months": "4",
        },
    ).content.decode()
    assert 'data-eligible="false"' in html
    assert 'data-code="jkp.needs_6_consecutive"' in html
    assert "Sebelum 7 Feb 2025 JKP juga memerlukan iuran 6 bulan berturut-turut" in html
    ok = client.get(
        "/simulasi/manfaat/",
        {
            "programme": "JKP",
            "event_on": "2025-03-10",
            "wage_idr": "4000000",
            "reason": "termination",
            "contribution_months_last_24": "12",
            "consecutive_months": "4",
        },
    ).content.decode()
    assert ok.count('<li data-amount-idr="2400000">') == 6


def test_jht_waiting_period_says_when_the_claim_becomes_possible(client):
    response = client.post(
        "/api/v1/simulations/benefits",
        {
            "programme": "JHT",
            "event_on": "2026-05-15",
            "kind": "full",
            "balance_idr": 10_000_000,
            "membership_months": 30,
            "reason": "resignation",
            "left_work_on": "2026-04-15",
        },
        content_type="application/json",
    )
    body = response.json()
    assert body["eligible"] is False and body["total_idr"] == 0
    assert body["reasons"][0]["possible_from"] == "2026-05-16"
    assert body["reasons"][0]["message_id"].startswith("JHT dibayarkan satu bulan")


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({}, "programme", "required"),
        ({"programme": "JKX", "event_on": "2026-01-01"}, "programme", "invalid"),
        ({"programme": "JKK", "event_on": "2026-01-01"}, "case", "required"),
        ({"programme": "JKK", "event_on": "2026-01-01", "case": "death"}, "wage_idr", "required"),
        (
            {
                "programme": "JKK",
                "event_on": "2026-01-01",
                "case": "partial_disability",
                "wage_idr": 1,
            },
            "disability_percent",
            "required",
        ),
        (
            {
                "programme": "JKK",
                "event_on": "2026-01-01",
                "case": "partial_disability",
                "wage_idr": 1,
                "disability_percent": "140",
            },
            "disability_percent",
            "invalid",
        ),
        (
            {
                "programme": "JKK",
                "event_on": "2026-01-01",
                "case": "partial_disability",
                "wage_idr": 1,
                "disability_percent": "abc",
            },
            "disability_percent",
            "invalid",
        ),
        (
            {
                "programme": "JKK",
                "event_on": "2026-01-01",
                "case": "partial_disability",
                "wage_idr": 1,
                "disability_percent": 1.5,
            },
            "disability_percent",
            "invalid",
        ),
        (
            {"programme": "JKK", "event_on": "2026-01-01", "case": "transport"},
            "transport",
            "required",
        ),
        (
            {"programme": "JKK", "event_on": "2026-01-01", "case": "transport", "transport": []},
            "transport",
            "invalid",
        ),
        (
            {
                "programme": "JKK",
                "event_on": "2026-01-01",
                "case": "transport",
                "transport": [{"mode": "rocket", "cost_idr": 1}],
            },
            "transport.0.mode",
            "invalid",
        ),
        (
            {
                "programme": "JKK",
                "event_on": "2026-01-01",
                "case": "transport",
                "transport": [{"mode": "air", "cost_idr": -5}],
            },
            "transport.0.cost_idr",
            "invalid",
        ),
        (
            {"programme": "JKK", "event_on": "2026-01-01", "case": "transport", "transport": ["x"]},
            "transport.0",
            "invalid",
        ),
        (
            {
                "programme": "JKM",
                "event_on": "2026-01-01",
                "contribution_months": 5,
                "children": [{"level": "S3"}],
            },
            "children.0.level",
            "invalid",
        ),
        (
            {
                "programme": "JKM",
                "event_on": "2026-01-01",
                "contribution_months": 5,
                "children": "two",
            },
            "children",
            "invalid",
        ),
        (
            {
                "programme": "JHT",
                "event_on": "2026-01-01",
                "kind": "full",
                "balance_idr": 1,
                "membership_months": 1,
                "reason": "resignation",
            },
            "left_work_on",
            "required",
        ),
        (
            {
                "programme": "JKP",
                "event_on": "2026-01-01",
                "wage_idr": 1,
                "reason": "termination",
                "contribution_months_last_24": 25,
                "consecutive_months": 1,
            },
            "contribution_months_last_24",
            "invalid",
        ),
        (
            {"programme": "JKM", "event_on": "2015-01-01", "contribution_months": 5},
            "event_on",
            "rule.not_in_force",
        ),
        ("not an object", "body", "invalid"),
    ],
)
def test_bad_benefit_requests_name_the_field(payload, field, code):
    with pytest.raises(RuleViolation) as exc:
        simulate_benefit(payload)
    assert (exc.value.field, exc.value.code) == (field, code)
    assert exc.value.message_id and exc.value.message


def test_page_shows_a_benefit_error_beside_the_field(client):
    response = client.get(
        "/simulasi/manfaat/",
        {"programme": "JKK", "event_on": "2026-01-01", "case": "death", "wage_idr": "enam juta"},
    )
    assert response.status_code == 400
    assert 'id="e-wage_idr">harus bilangan bulat' in response.content.decode()


def test_openapi_documents_the_benefit_request(client):
    spec = client.get("/api/v1/openapi.json").json()
    op = spec["paths"]["/api/v1/simulations/benefits"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["properties"]["programme"][
        "enum"
    ] == ["JKK", "JKM", "JHT", "JP", "JKP"]
