"""Reading the outbox: the messages sent to a person's phone, for the person themselves."""

from __future__ import annotations

from django.db.models import QuerySet

from jamsos.accounts.access import Action, require
from jamsos.accounts.models import User
from jamsos.notifications.models import Notification
from jamsos.registry.models import Person

#: Kinds never shown on a page: a one-time code is for the phone only (showing it to whoever
#: holds the password would make the phone no proof at all).
PHONE_ONLY = ("otp",)


def messages_to(user: User, *, limit: int = 50) -> QuerySet[Notification]:
    """The messages sent to the phone on the signed-in participant's record, newest first."""
    require(user, Action.OWN_RECORD_READ)
    phones = [p for p in Person.objects.filter(user=user).values_list("phone", flat=True) if p]
    return (
        Notification.objects.filter(recipient__in=phones)
        .exclude(kind__in=PHONE_ONLY)
        .order_by("-created_at", "-pk")[:limit]
    )
