"""The outbox: services queue messages in the caller's transaction; a sender delivers them.

Senders are adapters chosen by ``JAMSOS_NOTIFICATION_SENDER``: ``console`` writes to the log
(development), ``outbox`` leaves messages in the table for another system to pick up. An SMS or
WhatsApp gateway is one more class with a ``send(notification)`` method.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jamsos.notifications.models import Notification

log = logging.getLogger("jamsos.notifications")


class Sender(Protocol):
    def send(self, notification: Notification) -> None: ...


class ConsoleSender:
    def send(self, notification: Notification) -> None:
        log.info("%s to %s: %s", notification.channel, notification.recipient, notification.body)


SENDERS: dict[str, type[ConsoleSender]] = {"console": ConsoleSender}


def notification_queue(*, channel: str, recipient: str, kind: str, body: str) -> Notification:
    """Queue a message; it is sent only if the caller's transaction commits."""
    return Notification.objects.create(channel=channel, recipient=recipient, kind=kind, body=body)


def notifications_send_pending(*, limit: int = 500) -> int:
    """Deliver pending messages with the configured sender; returns how many were sent."""
    name = getattr(settings, "JAMSOS_NOTIFICATION_SENDER", "console")
    if name == "outbox":
        return 0
    sender = SENDERS[name]()
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.PENDING)
            .order_by("created_at")[:limit]
        )
        for notification in pending:
            try:
                sender.send(notification)
            except Exception as exc:  # a gateway failure must not lose the others
                notification.status = Notification.Status.FAILED
                notification.error = str(exc)[:2000]
            else:
                notification.status = Notification.Status.SENT
                notification.sent_at = timezone.now()
                sent += 1
        Notification.objects.bulk_update(pending, ["status", "sent_at", "error"])
    return sent
