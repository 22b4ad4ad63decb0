"""Reads of the audit trail, for auditors and system administrators only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jamsos.accounts.roles import AUDIT_READERS
from jamsos.core.errors import PermissionDenied
from jamsos.core.models import AuditEvent

if TYPE_CHECKING:
    from jamsos.accounts.models import User


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None  # inclusive


def audit_events(*, user: User, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Audit events matching the filter, newest first."""
    if not user.is_authenticated or user.role not in AUDIT_READERS:
        raise PermissionDenied(
            _("Only auditors and system administrators may read the audit trail.")
        )
    f = filters or AuditFilter()
    qs = AuditEvent.objects.all()
    if f.actor:
        qs = qs.filter(actor_username=f.actor)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.since:
        qs = qs.filter(occurred_at__date__gte=f.since)
    if f.until:
        qs = qs.filter(occurred_at__date__lte=f.until)
    return qs
