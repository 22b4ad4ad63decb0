"""``/metrics`` for operators in the Prometheus text format (ADR 0015): request latency and
counts by route and status, unhandled errors, the jobs (queue depth, running, failures,
durations) and the rule horizon (days until a rule table needs attention). Denied unless
the request carries ``Authorization: Bearer $JAMSOS_METRICS_TOKEN`` or comes from a signed-in
system administrator or auditor.

Under gunicorn each worker process counts its own requests; set ``PROMETHEUS_MULTIPROC_DIR``
to an empty folder (docs/deploy/) and ``/metrics`` adds them up across processes.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from jamsos.accounts.access import Action, can
from jamsos.jobs.metrics import JobCollector
from jamsos.rules.horizon import horizon_on

REQUEST_SECONDS = Histogram(
    "jamsos_http_request_duration_seconds",
    "Time to answer a request, by method and route",
    ["method", "route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REQUESTS = Counter(
    "jamsos_http_requests",
    "Requests answered, by method, route and status",
    ["method", "route", "status"],
)
EXCEPTIONS = Counter(
    "jamsos_http_exceptions", "Requests that ended in an unhandled exception", ["route"]
)


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unmatched"


class MetricsMiddleware:
    """Time every request and count it by route (the URL pattern, never the raw path, so an
    identifier in a URL never becomes a label)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route(request)
        method = (
            request.method
            if request.method in ("GET", "POST", "PUT", "PATCH", "DELETE")
            else "other"
        )
        REQUEST_SECONDS.labels(method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(method, route, str(response.status_code)).inc()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        EXCEPTIONS.labels(_route(request)).inc()


class RuleHorizonCollector(Collector):
    """The rule horizon (``jamsos rules horizon``): days until each rule table ends, turns
    provisional or is due for renewal, and the fewest of them (the window when none is due)."""

    def collect(self) -> Iterator[Metric]:
        result = horizon_on(timezone.localdate())
        days = GaugeMetricFamily(
            "jamsos_rule_horizon_days",
            "Days until a rule table ends, turns provisional or is due for renewal",
            labels=["table", "kind"],
        )
        for finding in result.findings:
            days.add_metric([finding.table, finding.kind], (finding.on - result.today).days)
        soonest = GaugeMetricFamily(
            "jamsos_rule_horizon_days_left",
            "Days until the soonest rule table needs attention (the window when none does)",
        )
        soonest.add_metric(
            [], min(((f.on - result.today).days for f in result.findings), default=result.days)
        )
        yield from (days, soonest)


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "JAMSOS_METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[7:].encode(), token.encode())
    user = getattr(request, "user", None)
    return can(user, Action.METRICS_READ)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    jobs = CollectorRegistry()
    jobs.register(JobCollector())
    jobs.register(RuleHorizonCollector())
    body = generate_latest(registry) + generate_latest(jobs)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
