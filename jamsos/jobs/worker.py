"""The worker: claims queued jobs one at a time, runs them, records progress and outcome.

A running job's row carries a heartbeat the worker refreshes while it works. A job whose
heartbeat is older than ``JAMSOS_JOB_STALE_SECONDS`` belongs to a worker that died (killed,
machine lost); any worker puts it back in the queue, and the next attempt runs the same
idempotent service again, which finishes what the dead one left. After ``max_attempts`` the
job fails with ``job.worker_lost``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from jamsos.core.errors import Conflict, DomainError
from jamsos.jobs.kinds import Progress, kind_for
from jamsos.jobs.models import Job, JobStatus

log = logging.getLogger("jamsos.jobs")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def stale_seconds() -> int:
    return int(getattr(settings, "JAMSOS_JOB_STALE_SECONDS", 120))


def jobs_recover_stale() -> list[int]:
    """Put back in the queue (or fail, after the last attempt) every running job whose worker
    stopped beating; returns their ids."""
    cutoff = timezone.now() - timedelta(seconds=stale_seconds())
    recovered = []
    with transaction.atomic():
        stale = Job.objects.select_for_update().filter(
            status=JobStatus.RUNNING, heartbeat_at__lt=cutoff
        )
        for job in stale:
            recovered.append(job.pk)
            if job.attempts >= job.max_attempts:
                job.status = JobStatus.FAILED
                job.finished_at = timezone.now()
                job.error_code = "job.worker_lost"
                job.error_message = f"the worker {job.worker} stopped {job.attempts} times"
            else:
                job.status = JobStatus.QUEUED
            log.warning("job %s: worker %s lost; %s", job.pk, job.worker, job.status)
            job.save(update_fields=["status", "finished_at", "error_code", "error_message"])
    return recovered


def job_claim(worker: str) -> Job | None:
    """Take the oldest queued job, or None. Two workers never take the same job: the claim is
    a conditional UPDATE that only one of them can win."""
    while True:
        job = Job.objects.filter(status=JobStatus.QUEUED).order_by("pk").first()
        if job is None:
            return None
        now = timezone.now()
        won = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING,
            worker=worker,
            attempts=job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
        )
        if won:
            job.refresh_from_db()
            return job


def _progress_recorder(job: Job) -> Progress:
    def progress(stage: str, done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(
            stage=stage[:40], done=done, total=total, heartbeat_at=timezone.now()
        )
        if threading.current_thread() is not threading.main_thread():
            connection.close()  # a billing thread's own connection

    return progress


def job_run(job: Job, echo: Progress | None = None) -> Job:
    """Run a claimed job to its end and record the outcome. A domain error fails the job with
    its code; any other exception is retried until the attempts are used up. A worker that
    dies here leaves the job running with a stopping heartbeat (see jobs_recover_stale)."""
    kind = kind_for(job.kind)
    started = time.monotonic()
    try:
        recorder = _progress_recorder(job)

        def progress(stage: str, done: int, total: int) -> None:
            recorder(stage, done, total)
            if echo is not None:  # the command line shows it as well
                echo(stage, done, total)

        result = kind.run(job.period, job.created_by, progress)
    except DomainError as exc:
        _finish(job, JobStatus.FAILED, code=exc.code, message=exc.message)
    except Exception as exc:
        log.exception("job %s failed", job.pk)
        again = job.attempts < job.max_attempts
        _finish(
            job,
            JobStatus.QUEUED if again else JobStatus.FAILED,
            code="job.error",
            message=f"{type(exc).__name__}: {exc}"[:2000],
        )
    else:
        _finish(job, JobStatus.SUCCEEDED, result=result)
    job.refresh_from_db()
    log.info(
        "job %s %s %s: %s in %.1f s",
        job.pk,
        job.kind,
        job.period,
        job.status,
        time.monotonic() - started,
    )
    return job


def _finish(
    job: Job, status: str, *, result: object = None, code: str = "", message: str = ""
) -> None:
    fields: dict[str, object] = {
        "status": status,
        "error_code": code,
        "error_message": message,
        "heartbeat_at": timezone.now(),
    }
    if status != JobStatus.QUEUED:
        fields["finished_at"] = timezone.now()
    if status == JobStatus.SUCCEEDED:
        fields["result"] = result
        total = Job.objects.filter(pk=job.pk).values_list("total", flat=True).first() or 1
        fields["done"] = fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)


def job_run_here(job: Job, *, echo: Progress | None = None) -> Job:
    """Run a queued job in this process (the command line's ``--wait``), as a worker would:
    the same claim, progress, retries and outcome. A job another worker holds is refused."""
    jobs_recover_stale()
    now = timezone.now()
    won = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        worker=f"{worker_name()}:here",
        attempts=job.attempts + 1,
        started_at=now,
        heartbeat_at=now,
    )
    if not won:
        raise Conflict(
            f"job {job.pk} is running in another worker",
            code="job.already_active",
            field="period",
            message_id=f"tugas {job.pk} sedang berjalan di pekerja lain",
        )
    job.refresh_from_db()
    return job_run(job, echo)


def worker_run_once(worker: str | None = None) -> Job | None:
    """One turn of the worker: recover lost jobs, then claim and run one job. Returns the job
    it ran, or None when the queue was empty. Tests call this in-process."""
    jobs_recover_stale()
    job = job_claim(worker or worker_name())
    if job is None:
        return None
    return job_run(job)


class Heartbeat:
    """Refresh the running job's heartbeat from a thread with its own connection, so that a
    long step without progress calls does not look like a dead worker."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.job_id: int | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="job-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self.stop.wait(self.every):
            if self.job_id is not None:
                try:
                    Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # the next beat tries again
                    log.exception("heartbeat failed")
                finally:
                    connection.close()


def worker_loop(*, poll: float = 2.0, once: bool = False, max_jobs: int | None = None) -> int:
    """Run jobs until stopped (or the queue is empty with ``once``); returns the jobs run."""
    name = worker_name()
    beat = Heartbeat(every=max(stale_seconds() / 4, 1))
    beat.thread.start()
    ran = 0
    try:
        while max_jobs is None or ran < max_jobs:
            if not connection.in_atomic_block:  # (a test's transaction stays open)
                close_old_connections()
            jobs_recover_stale()
            job = job_claim(name)
            if job is None:
                if once:
                    break
                time.sleep(poll)
                continue
            beat.job_id = job.pk
            try:
                job_run(job)
            except BaseException:
                # stopped (SIGTERM, Ctrl-C) in the middle: the step's transaction rolled back;
                # the job goes back in the queue for the next worker
                Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                    status=JobStatus.QUEUED
                )
                raise
            finally:
                beat.job_id = None
            ran += 1
    finally:
        beat.stop.set()
    return ran
