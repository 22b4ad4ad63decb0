"""Job figures for the operators' metrics, read from the jobs table at scrape time, so every
worker's jobs are counted whatever process serves ``/metrics``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric, SummaryMetricFamily
from prometheus_client.registry import Collector

from jamsos.jobs.models import Job, JobStatus

#: durations are summed over the jobs finished in this window
WINDOW = timedelta(days=30)


class JobCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        depth = GaugeMetricFamily(
            "jamsos_jobs_queue_depth", "Jobs waiting for a worker", labels=["kind"]
        )
        running = GaugeMetricFamily("jamsos_jobs_running", "Jobs running now", labels=["kind"])
        by_status = GaugeMetricFamily(
            "jamsos_jobs", "Jobs in the table by kind and status", labels=["kind", "status"]
        )
        for row in Job.objects.values("kind", "status").annotate(n=Count("id")).order_by():
            by_status.add_metric([row["kind"], row["status"]], row["n"])
            if row["status"] == JobStatus.QUEUED:
                depth.add_metric([row["kind"]], row["n"])
            elif row["status"] == JobStatus.RUNNING:
                running.add_metric([row["kind"]], row["n"])
        oldest = Job.objects.filter(status=JobStatus.QUEUED).aggregate(t=Min("created_at"))["t"]
        waiting = GaugeMetricFamily(
            "jamsos_jobs_oldest_queued_seconds", "Age of the oldest queued job (0 when none)"
        )
        waiting.add_metric([], (now - oldest).total_seconds() if oldest else 0)
        durations = SummaryMetricFamily(
            "jamsos_job_duration_seconds",
            "Run time of jobs finished in the last 30 days, by kind and outcome",
            labels=["kind", "status"],
        )
        sums: dict[tuple[str, str], list[float]] = {}
        finished = Job.objects.filter(
            finished_at__gte=now - WINDOW, started_at__isnull=False
        ).values_list("kind", "status", "started_at", "finished_at")
        for kind, status, started, ended in finished.iterator():
            if started is None or ended is None:  # never, by the filter
                continue
            entry = sums.setdefault((kind, status), [0, 0.0])
            entry[0] += 1
            entry[1] += (ended - started).total_seconds()
        for (kind, status), (count, total) in sorted(sums.items()):
            durations.add_metric([kind, status], int(count), total)
        yield from (depth, running, by_status, waiting, durations)
