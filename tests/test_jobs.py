"""Background jobs: queued from the API, page and CLI, run by an in-process worker, locked per
kind and month, retried after a killed worker to exactly one bill per employer; the schedule
enqueues a due slot once."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from jamsos.contributions import billing
from jamsos.contributions.models import Bill
from jamsos.core.models import AuditEvent
from jamsos.jobs import worker
from jamsos.jobs.models import Job, JobStatus, Schedule
from jamsos.jobs.schedule import latest_slot, scheduler_tick
from jamsos.jobs.services import job_enqueue
from jamsos.jobs.worker import job_claim, job_run, worker_run_once
from tests.conftest import TwoFactorClient, bearer_client
from tests.test_billing import banua, workforce  # noqa: F401 - the fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def two_employers(workforce, banua, monkeypatch):  # noqa: F811
    """Sawit (two workers) and Banua (one), billed one employer per chunk: two chunks."""
    monkeypatch.setattr(billing, "CHUNK", 1)
    return [workforce.pk, banua.pk]


def one_bill_per_employer(period, employers):
    bills = Bill.objects.filter(period=period, kind="pu")
    assert sorted(bills.values_list("employer", flat=True)) == sorted(employers)
    for bill in bills:
        assert bill.total_idr and bill.total_idr == sum(
            bill.lines.values_list("amount_idr", flat=True)
        )


def test_billing_enqueued_from_the_api_returns_at_once_progresses_and_finishes(
    two_employers, monkeypatch
):
    api = bearer_client("admin")
    queued = api.post(
        "/api/v1/jobs", {"kind": "billing_run", "period": "2026-10"}, "application/json"
    )
    assert queued.status_code == 202, queued.content
    job = queued.json()
    assert (job["kind"], job["period"], job["status"], job["percent"]) == (
        "billing_run",
        "2026-10",
        "queued",
        0,
    )
    assert not Bill.objects.exists()  # nothing ran in the request

    # a second enqueue for the same month while the first is queued: 409, nothing added
    jobs_before = (Job.objects.count(), AuditEvent.objects.count())
    again = api.post(
        "/api/v1/jobs", {"kind": "billing_run", "period": "2026-10"}, "application/json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "job.already_active"
    assert f"(tugas {job['id']})" in again.json()["error"]["message"]  # Indonesian first
    assert (Job.objects.count(), AuditEvent.objects.count()) == jobs_before

    # watch the job through the API while the in-process worker runs it
    seen = []
    record = worker._progress_recorder

    def watched(j):
        progress = record(j)

        def both(stage, done, total):
            progress(stage, done, total)
            seen.append(api.get(f"/api/v1/jobs/{j.pk}").json())

        return both

    monkeypatch.setattr(worker, "_progress_recorder", watched)
    ran = worker_run_once("test-worker")
    assert ran is not None and ran.pk == job["id"]
    bills = [
        (s["status"], s["stage"], s["done"], s["total"]) for s in seen if s["stage"] == "bills"
    ]
    assert bills == [("running", "bills", 1, 2), ("running", "bills", 2, 2)]
    assert seen[0]["percent"] == 50

    done = api.get(f"/api/v1/jobs/{job['id']}").json()
    assert (done["status"], done["percent"], done["attempts"]) == ("succeeded", 100, 1)
    assert done["result"]["bills_created"] == 2 and done["result"]["period"] == "2026-10"
    one_bill_per_employer("2026-10", two_employers)
    assert worker_run_once("test-worker") is None  # the queue is empty

    # the lock is released when the job ends: the month can be queued again (issues nothing)
    rerun = api.post(
        "/api/v1/jobs", {"kind": "billing_run", "period": "2026-10"}, "application/json"
    )
    assert rerun.status_code == 202
    assert worker_run_once().result["bills_created"] == 0
    one_bill_per_employer("2026-10", two_employers)


def test_a_killed_workers_job_is_retried_to_exactly_one_bill_per_employer(
    two_employers, monkeypatch, settings
):
    settings.JAMSOS_JOB_STALE_SECONDS = 60
    api = bearer_client("admin")
    job_id = api.post(
        "/api/v1/jobs", {"kind": "billing_run", "period": "2026-10"}, "application/json"
    ).json()["id"]
    record = worker._progress_recorder

    def killed_after_first_chunk(j):
        progress = record(j)

        def kill(stage, done, total):
            progress(stage, done, total)
            raise SystemExit("killed")  # the worker process dies after chunk 1 committed

        return kill

    monkeypatch.setattr(worker, "_progress_recorder", killed_after_first_chunk)
    claimed = job_claim("worker-a")
    with pytest.raises(SystemExit):
        job_run(claimed)
    monkeypatch.setattr(worker, "_progress_recorder", record)
    job = Job.objects.get(pk=job_id)
    assert (job.status, job.worker, job.attempts, job.done) == ("running", "worker-a", 1, 1)
    assert Bill.objects.filter(period="2026-10").count() == 1  # half done

    # while its heartbeat is fresh nobody takes it; the month stays locked
    assert worker_run_once("worker-b") is None
    assert (
        api.post(
            "/api/v1/jobs", {"kind": "billing_run", "period": "2026-10"}, "application/json"
        ).status_code
        == 409
    )

    with time_machine.travel(job.heartbeat_at + timedelta(seconds=61), tick=False):
        finished = worker_run_once("worker-b")
    assert finished is not None and finished.pk == job_id
    assert (finished.status, finished.worker, finished.attempts) == ("succeeded", "worker-b", 2)
    assert finished.result["bills_created"] == 1 and finished.result["bills_existing"] == 1
    one_bill_per_employer("2026-10", two_employers)


def test_a_worker_lost_too_often_fails_the_job(two_employers, settings):
    settings.JAMSOS_JOB_STALE_SECONDS = 60
    job = Job.objects.create(
        kind="billing_run", period="2026-10", created_at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    Job.objects.filter(pk=job.pk).update(
        status="running", attempts=3, heartbeat_at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    assert worker.jobs_recover_stale() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "job.worker_lost")
    assert not Bill.objects.exists()


def test_a_failed_job_shows_its_error_and_can_be_retried(demo):
    api = bearer_client("admin")
    job_id = api.post(
        "/api/v1/jobs", {"kind": "billing_run", "period": "2014-01"}, "application/json"
    ).json()["id"]
    worker_run_once()
    failed = api.get(f"/api/v1/jobs/{job_id}").json()
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == "rule.not_in_force"
    retried = api.post(f"/api/v1/jobs/{job_id}/retry")
    assert retried.status_code == 202
    assert (retried.json()["status"], retried.json()["error"]) == ("queued", None)
    twice = api.post(f"/api/v1/jobs/{job_id}/retry")
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "job.not_failed")
    assert AuditEvent.objects.filter(action="job.retry").count() == 1


def test_who_may_queue_and_see_jobs(demo):
    cabang = bearer_client("cabang")
    counts = (Job.objects.count(), AuditEvent.objects.count())
    denied = cabang.post(
        "/api/v1/jobs", {"kind": "billing_run", "period": "2026-10"}, "application/json"
    )
    assert (denied.status_code, denied.json()["error"]["code"]) == (403, "job.forbidden")
    assert (Job.objects.count(), AuditEvent.objects.count()) == counts
    bad = bearer_client("admin").post(
        "/api/v1/jobs", {"kind": "billing_run", "period": "Oct"}, "application/json"
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (400, "job.bad_period")
    unknown = bearer_client("admin").post(
        "/api/v1/jobs", {"kind": "rm_rf", "period": "2026-10"}, "application/json"
    )
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (400, "job.unknown_kind")
    job_id = (
        bearer_client("admin")
        .post("/api/v1/jobs", {"kind": "report_refresh", "period": "2026-10"}, "application/json")
        .json()["id"]
    )
    assert cabang.get(f"/api/v1/jobs/{job_id}").status_code == 404
    assert cabang.get("/api/v1/jobs").json()["items"] == []
    assert bearer_client("auditor").get(f"/api/v1/jobs/{job_id}").status_code == 200
    assert Client().get(f"/api/v1/jobs/{job_id}").status_code == 401


def test_cli_enqueue_show_retry_and_worker_once(two_employers):
    out = io.StringIO()
    call_command("jobs", "enqueue", "--kind", "billing_run", "--period", "2026-10", stdout=out)
    job_id = int(out.getvalue().split()[1])
    with pytest.raises(CommandError, match="period: A billing_run job for 2026-10 is already"):
        call_command("jobs", "enqueue", "--kind", "billing_run", "--period", "2026-10")
    call_command("worker", "--once", stdout=io.StringIO())
    shown = io.StringIO()
    call_command("jobs", "show", str(job_id), stdout=shown)
    data = json.loads(shown.getvalue())
    assert (data["status"], data["result"]["bills_created"]) == ("succeeded", 2)
    with pytest.raises(CommandError, match="status: Only a failed job can be retried"):
        call_command("jobs", "retry", str(job_id))
    one_bill_per_employer("2026-10", two_employers)


def test_the_billing_page_queues_the_run_and_shows_its_progress(two_employers, password):
    client = TwoFactorClient()
    assert client.login(username="admin", password=password)
    response = client.post("/penagihan/", {"period": "2026-10"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tugas/{job.pk}/"
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert 'data-status="queued"' in page and 'http-equiv="refresh"' in page
    second = client.post("/penagihan/", {"period": "2026-10"}).content.decode()
    assert "sudah diantrekan atau sedang berjalan" in second and f"/tugas/{job.pk}/" in second
    assert Job.objects.count() == 1
    worker_run_once()
    page = client.get(f"/tugas/{job.pk}/").content.decode()
    assert 'data-status="succeeded"' in page and 'http-equiv="refresh"' not in page
    assert 'value="100"' in page
    one_bill_per_employer("2026-10", two_employers)


# The schedule ------------------------------------------------------------------------------


def line(**kw):
    defaults = {
        "name": "test-billing",
        "kind": "billing_run",
        "every": "month",
        "day": 1,
        "hour": 1,
        "minute": 0,
        "time_zone": "Asia/Jakarta",
        "active_from": datetime(2026, 1, 1, tzinfo=UTC),
    }
    Schedule.objects.update(enabled=False)  # only the line under test
    return Schedule.objects.create(**{**defaults, **kw})


def test_a_due_slot_is_enqueued_once_even_if_the_scheduler_ticks_twice(two_employers):
    billing_line = line(active_from=datetime(2026, 9, 15, tzinfo=UTC))
    before = datetime(2026, 9, 30, 17, 59, tzinfo=UTC)  # 00:59 WIB on 1 October
    due = datetime(2026, 9, 30, 18, 0, 30, tzinfo=UTC)  # 01:00:30 WIB
    assert scheduler_tick(before) == []
    first = scheduler_tick(due)
    assert scheduler_tick(due) == [] and scheduler_tick(due + timedelta(minutes=1)) == []
    assert [(j.kind, j.period, j.schedule_id) for j in first] == [
        ("billing_run", "2026-10", billing_line.pk)
    ]
    ran = worker_run_once()
    assert ran.status == JobStatus.SUCCEEDED, (ran.error_code, ran.error_message)
    assert ran.result["bills_created"] == 2
    # after it finished, the same slot still does not run again; the next month's does
    assert scheduler_tick(due + timedelta(days=3)) == []
    assert Job.objects.count() == 1
    november = scheduler_tick(datetime(2026, 10, 31, 18, 5, tzinfo=UTC))
    assert [j.period for j in november] == ["2026-11"]
    one_bill_per_employer("2026-10", two_employers)


def test_slots_follow_the_lines_time_zone_and_never_fire_before_the_line_existed(db):
    wit = line(name="papua", time_zone="Asia/Jayapura", every="day", day=None, hour=2)
    assert latest_slot(wit, datetime(2026, 12, 1, 16, 59, tzinfo=UTC)) == datetime(
        2026, 11, 30, 17, 0, tzinfo=UTC
    )  # 01:59 WIT on 2 December: the slot was 1 December 02:00 WIT = 17:00 UTC the day before
    assert latest_slot(wit, datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == datetime(
        2026, 12, 1, 17, 0, tzinfo=UTC
    )
    yearly = line(name="jht", kind="jht_returns", every="year", month=1, day=2, hour=4)
    slot = latest_slot(yearly, datetime(2026, 12, 1, tzinfo=UTC))
    assert slot == datetime(2026, 1, 1, 21, 0, tzinfo=UTC)  # 2 Jan 04:00 WIB
    late = line(name="late", active_from=datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert scheduler_tick(datetime(2026, 12, 1, 13, 0, tzinfo=UTC)) == list(
        Job.objects.filter(schedule=wit)
    )  # the WIT line fires; the yearly slot and the late line's 1 Dec slot do not
    assert not Job.objects.filter(schedule__in=[late, yearly]).exists()


def test_the_default_schedule_is_data(db):
    out = io.StringIO()
    call_command("jobs", "schedule", stdout=out)
    text = out.getvalue()
    for name in (
        "billing-monthly",
        "payroll-monthly",
        "reports-nightly",
        "bpu-reminders-daily",
        "jht-returns-yearly",
    ):
        assert name in text
    assert Schedule.objects.get(name="jht-returns-yearly").month == 1
    # a fresh installation's lines do not catch up on slots from before they existed
    call_command("scheduler", "--once", stdout=out)
    assert "enqueued" not in out.getvalue() and not Job.objects.exists()


@pytest.mark.parametrize(
    ("kind", "period", "result_key"),
    [
        ("report_refresh", "2026-10", "coverage_rows"),
        ("payroll", "2026-10", "total_idr"),
        ("bpu_remind", "2026-10-01", "reminders"),
        ("jht_returns", "2025", "total_idr"),
        ("payouts_export", "2026-10-01", "rows"),
    ],
)
def test_every_kind_runs_through_the_worker(demo, kind, period, result_key, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    job = job_enqueue(acting_user=demo["admin"], kind=kind, period=period)
    done = worker_run_once()
    assert done.pk == job.pk
    assert done.status == JobStatus.SUCCEEDED, (done.error_code, done.error_message)
    assert result_key in done.result and done.percent == 100


def test_an_export_jobs_file_is_for_those_who_may_see_the_job(demo, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    klaim = bearer_client("klaim")
    job_id = klaim.post(
        "/api/v1/jobs", {"kind": "payouts_export", "period": "2026-10-01"}, "application/json"
    ).json()["id"]
    assert klaim.get(f"/api/v1/jobs/{job_id}/file").status_code == 404  # not run yet
    worker_run_once()
    got = klaim.get(f"/api/v1/jobs/{job_id}/file")
    assert got.status_code == 200
    assert b"".join(got.streaming_content).startswith(b"claim,programme,account_name")
    assert bearer_client("cabang").get(f"/api/v1/jobs/{job_id}/file").status_code == 404
