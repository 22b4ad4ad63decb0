"""Reads of the audit trail, for auditors and system administrators only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jamsos.accounts.access import require
from jamsos.accounts.policy import Action
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
    person: str = ""  # a NIK or a KPJ: events about the person, their cards and claims


def _person_objects(nik_or_kpj: str) -> Q:
    """Events about one person: the person (reads, merges), their cards and their claims."""
    person_model = apps.get_model("registry", "Person")
    participant_model = apps.get_model("registry", "Participant")
    claim_model = apps.get_model("benefits", "Claim")
    key = "".join(ch for ch in nik_or_kpj if ch.isdigit())
    person = person_model.objects.filter(
        Q(nik=key) | Q(participations__kpj=key) if key else Q(pk__in=[])
    ).first()
    if person is None:
        return Q(pk__in=[])
    cards = [
        str(pk)
        for pk in participant_model.objects.filter(person=person).values_list("pk", flat=True)
    ]
    claims = [
        str(pk)
        for pk in claim_model.objects.filter(participant__person=person).values_list(
            "pk", flat=True
        )
    ]
    return (
        Q(object_type="registry.person", object_id=str(person.pk))
        | Q(object_type="registry.participant", object_id__in=cards)
        | Q(object_type="benefits.claim", object_id__in=claims)
    )


def audit_events(*, user: User, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Audit events matching the filter, newest first."""
    require(
        user,
        Action.AUDIT_READ,
        message=_("Only auditors and system administrators may read the audit trail."),
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
    if f.person:
        qs = qs.filter(_person_objects(f.person))
    return qs
