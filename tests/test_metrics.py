"""/metrics: denied by default; with the token or a staff session, Prometheus text with request
latency and counts by route, and the jobs' queue depth, failures and durations."""

import pytest
from django.test import Client

from jamsos.jobs.services import job_enqueue
from jamsos.jobs.worker import worker_run_once

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-" + "m" * 30


def test_metrics_are_denied_by_default(demo, settings, password):
    settings.JAMSOS_METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 403
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 403 and b"jamsos_" not in wrong.content
    officer = Client()
    assert officer.login(username="cabang", password=password)
    assert officer.get("/metrics").status_code == 403
    settings.JAMSOS_METRICS_TOKEN = ""  # no token configured: a bearer header opens nothing
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_metrics_with_the_token_show_requests_and_jobs(demo, settings, password):
    settings.JAMSOS_METRICS_TOKEN = TOKEN
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/pemberi-kerja/12345/").status_code == 302  # to the login page
    job_enqueue(acting_user=None, kind="billing_run", period="2014-01")  # fails: no rule
    worker_run_once()
    job_enqueue(acting_user=None, kind="report_refresh", period="2026-10")
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert (
        'jamsos_http_request_duration_seconds_bucket{le="0.01",method="GET",route="healthz"}'
        in text
    )
    # the route is the pattern, never the identifier in the path
    assert 'route="pemberi-kerja/<int:employer_id>/",status="302"' in text
    assert "12345" not in text
    assert 'jamsos_jobs_queue_depth{kind="report_refresh"} 1.0' in text
    assert 'jamsos_jobs{kind="billing_run",status="failed"} 1.0' in text
    assert 'jamsos_job_duration_seconds_count{kind="billing_run",status="failed"} 1.0' in text
    assert "jamsos_jobs_oldest_queued_seconds" in text
    from django.utils import timezone

    from jamsos.rules.horizon import horizon_on

    horizon = horizon_on(timezone.localdate())
    left = min(((f.on - horizon.today).days for f in horizon.findings), default=horizon.days)
    assert f"jamsos_rule_horizon_days_left {float(left)}" in text
    for f in horizon.findings:
        assert f'jamsos_rule_horizon_days{{kind="{f.kind}",table="{f.table}"}}' in text
    admin = Client()
    assert admin.login(username="admin", password=password)
    assert admin.get("/metrics").status_code == 200
