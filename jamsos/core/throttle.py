"""Counting requests and attempts per key in fixed windows, in the database.

A per-process cache would count per web worker (and reset on restart), so an attacker with
``JAMSOS_WEB_WORKERS`` = 3 would get three times the limit; a counter row updated with
``count = count + 1`` is atomic on SQLite and PostgreSQL and shared by every worker.

Windows are fixed (aligned to the epoch), so a burst that straddles a boundary can reach twice
the limit; every limit here is set with that in mind. Expired rows are pruned now and then by
the writes themselves.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from jamsos.core.models import ThrottleCounter

#: One write in this many that opens a new window also deletes expired windows.
PRUNE_ONE_IN = 200


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` events per ``seconds``."""

    limit: int
    seconds: int


@dataclass(frozen=True)
class Hit:
    count: int
    limit: int
    retry_after: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit


def key_digest(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()


def _window(now: datetime, seconds: int) -> tuple[datetime, datetime]:
    epoch = int(now.timestamp())
    start = datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo or UTC)
    return start, start + timedelta(seconds=seconds)


def throttle_hit(scope: str, key: str, rate: Rate, *, now: datetime | None = None) -> Hit:
    """Count one event for ``key`` and return the count in the current window.

    Runs in the caller's transaction when there is one (so an event that is rolled back is not
    counted), otherwise in its own.
    """
    now = now or timezone.now()
    start, end = _window(now, rate.seconds)
    digest = key_digest(scope, key)
    rows = ThrottleCounter.objects.filter(scope=scope, key_digest=digest, window_start=start)
    with transaction.atomic():
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    ThrottleCounter.objects.create(
                        scope=scope, key_digest=digest, window_start=start, expires_at=end, count=1
                    )
            except IntegrityError:  # another worker opened the window first
                rows.update(count=F("count") + 1)
            else:
                if secrets.randbelow(PRUNE_ONE_IN) == 0:
                    throttle_prune(now=now)
        count = rows.values_list("count", flat=True).first() or 0
    return Hit(count=count, limit=rate.limit, retry_after=int((end - now).total_seconds()) + 1)


def throttle_count(scope: str, key: str, rate: Rate, *, now: datetime | None = None) -> Hit:
    """The count in the current window, without counting anything."""
    now = now or timezone.now()
    start, end = _window(now, rate.seconds)
    count = (
        ThrottleCounter.objects.filter(
            scope=scope, key_digest=key_digest(scope, key), window_start=start
        )
        .values_list("count", flat=True)
        .first()
        or 0
    )
    return Hit(count=count, limit=rate.limit, retry_after=int((end - now).total_seconds()) + 1)


def throttle_prune(*, now: datetime | None = None) -> int:
    """Delete windows that have ended; returns how many rows went."""
    deleted, _ = ThrottleCounter.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
