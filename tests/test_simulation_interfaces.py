"""The CLI, the API and the page compute the same figures for the same request, and each
refuses bad input naming the field (CLI exit 2, API 400, page message beside the field)."""

import io
import json
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

REQUESTS = [
    (
        {"segment": "PU", "on": "2026-03-01", "wage_idr": 15_000_000, "jkk_risk_class": 1},
        {
            "segment": "PU",
            "on": "2026-03-01",
            "wage_idr": "15.000.000",
            "jkk_risk_class": "1",
            "programmes": ["JKK", "JKM", "JHT", "JP"],
        },
    ),
    (
        {
            "segment": "PU",
            "on": "2025-06-01",
            "wage_idr": 4_000_000,
            "jkk_risk_class": 3,
            "labour_intensive": True,
        },
        {
            "segment": "PU",
            "on": "2025-06-01",
            "wage_idr": "4000000",
            "jkk_risk_class": "3",
            "labour_intensive": "on",
        },
    ),
    (
        {
            "segment": "BPU",
            "on": "2026-05-01",
            "income_idr": 2_500_000,
            "programmes": ["JKK", "JKM", "JHT"],
            "months": 3,
        },
        {
            "segment": "BPU",
            "on": "2026-05-01",
            "income_idr": "Rp2.500.000",
            "programmes": ["JKK", "JKM", "JHT"],
            "months": "3",
        },
    ),
    (
        {"segment": "JAKON", "on": "2026-01-05", "contract_value_idr": 750_000_000},
        {"segment": "JAKON", "on": "2026-01-05", "contract_value_idr": "750,000,000"},
    ),
    (
        {
            "segment": "PMI",
            "on": "2026-01-05",
            "contract_months": 30,
            "via_agency": True,
            "jht_monthly_idr": 100_000,
        },
        {
            "segment": "PMI",
            "on": "2026-01-05",
            "contract_months": "30",
            "via_agency": "on",
            "jht_monthly_idr": "100000",
        },
    ),
]


def cli(payload, *args):
    out = io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO(json.dumps(payload))
    try:
        call_command("simulate", "contribution", *args, stdout=out)
    finally:
        sys.stdin = stdin
    return json.loads(out.getvalue())


def page_figures(client, form):
    html = client.get("/simulasi/iuran/", form).content.decode()
    total = int(re.search(r'data-total-idr="(\d+)"', html).group(1))
    section = html[html.index('class="result"') :]
    head = section[: section.index("<h3>")] if "<h3>" in section else section
    lines = [
        (p, y, int(a))
        for p, y, a in re.findall(
            r'<tr data-programme="([^"]+)" data-payer="([^"]+)" data-amount-idr="(\d+)"', head
        )
    ]
    return total, lines


@pytest.mark.parametrize(
    ("api_request", "form"),
    REQUESTS,
    ids=[r[0]["segment"] + str(i) for i, r in enumerate(REQUESTS)],
)
def test_cli_api_and_page_give_the_same_figures(client, api_request, form):
    api = client.post(
        "/api/v1/simulations/contributions", api_request, content_type="application/json"
    )
    assert api.status_code == 200, api.content
    api_result = api.json()
    assert cli(api_request) == api_result
    total, lines = page_figures(client, form)
    assert total == api_result["total_idr"]
    assert lines == [(x["programme"], x["payer"], x["amount_idr"]) for x in api_result["lines"]]


def test_the_api_needs_no_login_and_refuses_bad_input(client):
    bad = client.post(
        "/api/v1/simulations/contributions",
        {"segment": "PU", "on": "2026-03-01", "wage_idr": "lots", "jkk_risk_class": 1},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "error": {
            "code": "invalid",
            "field": "wage_idr",
            "message": "wage_idr: must be a whole number (whole rupiah, no decimals)",
        }
    }
    broken = client.post("/api/v1/simulations/contributions", "{", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["error"]["code"] == "invalid_json"
    assert broken.json()["error"]["message"] == "body: bukan JSON yang sah"


def test_openapi_documents_the_simulation_request(client):
    spec = client.get("/api/v1/openapi.json").json()
    op = spec["paths"]["/api/v1/simulations/contributions"]["post"]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["segment"]["enum"] == ["PU", "BPU", "JAKON", "PMI"]
    assert {"200", "400"} <= set(op["responses"])
    assert "security" not in op


def test_cli_bad_input_exits_2_with_a_json_error(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"segment": "BPU", "on": "2026-01-01"}'))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("simulate", "contribution", "--lang", "en", stdout=out)
    assert exc.value.code == 2
    assert json.loads(out.getvalue()) == {
        "error": {"code": "required", "field": "income_idr", "message": "income_idr: is required"}
    }


def test_cli_reads_a_file_and_reports_unreadable_or_malformed_input(tmp_path):
    request = tmp_path / "req.json"
    request.write_text(json.dumps(REQUESTS[3][0]))
    out = io.StringIO()
    call_command("simulate", "contribution", "--file", str(request), stdout=out)
    assert json.loads(out.getvalue())["total_idr"] == 1_375_000
    request.write_text("{not json")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("simulate", "contribution", "--file", str(request), stdout=out)
    assert exc.value.code == 2
    assert json.loads(out.getvalue())["error"]["code"] == "invalid_json"
    with pytest.raises(SystemExit):
        call_command(
            "simulate",
            "contribution",
            "--file",
            str(tmp_path / "missing.json"),
            stdout=io.StringIO(),
        )


def test_console_script_exit_status(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({"JAMSOS_DEBUG": "true", "JAMSOS_VAR_DIR": str(tmp_path)})
    ok = subprocess.run(
        [sys.executable, "-m", "jamsos.cli.main", "simulate", "contribution"],
        input=json.dumps(REQUESTS[0][0]),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["total_idr"] == 1_268_589
    bad = subprocess.run(
        [sys.executable, "-m", "jamsos.cli.main", "simulate", "contribution"],
        input='{"segment": "PU"}',
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["error"]["field"] == "on"


def test_page_shows_the_error_beside_the_field_in_indonesian(client):
    response = client.get(
        "/simulasi/iuran/", {"segment": "BPU", "on": "2026-01-01", "income_idr": "satu juta"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="e-income_idr">harus bilangan bulat (rupiah utuh, tanpa desimal)</p>' in html
    assert 'aria-invalid="true" aria-describedby="e-income_idr"' in html


def test_page_without_input_shows_an_empty_form_and_marks_provisional_figures(client):
    empty = client.get("/simulasi/iuran/?segment=PMI")
    assert empty.status_code == 200 and "data-total-idr" not in empty.content.decode()
    html = client.get(
        "/simulasi/iuran/",
        {"segment": "JAKON", "on": "2026-01-05", "contract_value_idr": "7500000000"},
    ).content.decode()
    assert 'data-total-idr="9050000"' in html
    assert "sementara" in html  # JKM tiers d-e are provisional
