"""Writing the audit trail. Every state-changing service calls :func:`audit_record`
inside its own transaction, so the change and its audit row commit or fail together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from jamsos.core.models import AuditEvent
from jamsos.core.net import current_origin

if TYPE_CHECKING:
    from jamsos.accounts.models import User


def object_label(obj: models.Model) -> tuple[str, str]:
    """The ``(object_type, object_id)`` an audit event names: ``("registry.employer", "7")``."""
    return obj._meta.label_lower, str(obj.pk)


def snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    """A JSON-ready copy of some fields of a row, for the before/after of an event."""
    result: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{name}: a snapshot names fields of the row, not a reverse relation")
        value = getattr(obj, field.attname)
        result[name] = value if isinstance(value, (str, int, bool, type(None))) else str(value)
    return result


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    object_ref: tuple[str, str] | None = None,
    anonymous: bool = False,
) -> AuditEvent:
    """Append one audit event. Must run inside the caller's transaction.

    ``object_ref`` names the object when there is no row to pass (a sign-in attempt for a
    username that does not exist); ``anonymous`` marks an event with no signed-in actor that
    came from outside (a sign-in attempt), as opposed to the system itself.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    if obj is not None:
        object_type, object_id = object_label(obj)
    elif object_ref is not None:
        object_type, object_id = object_ref
    else:
        raise ValueError("audit_record needs obj or object_ref")
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.username if actor else "",
        actor_role=actor.role if actor else ("anonymous" if anonymous else "system"),
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        reason=reason,
        origin=current_origin(),
    )


def audit_reads(
    *,
    actor: User | None,
    action: str,
    objects: Iterable[models.Model],
    after: Mapping[str, Any] | None = None,
) -> int:
    """Record that ``actor`` was shown personal data of each of ``objects`` (a full NIK, a
    balance, a document): one event per object, written in one bulk insert, so a list page
    costs one statement. Reads change nothing, so this needs no surrounding transaction; one
    event (a single record shown) is one plain INSERT, without the transaction a bulk insert
    opens around itself."""
    origin = current_origin()
    rows = [
        AuditEvent(
            actor=actor,
            actor_username=actor.username if actor else "",
            actor_role=actor.role if actor else "system",
            action=action,
            object_type=object_type,
            object_id=object_id,
            after=dict(after) if after is not None else None,
            origin=origin,
        )
        for object_type, object_id in dict.fromkeys(object_label(o) for o in objects)
    ]
    if len(rows) == 1:
        rows[0].save()
    else:
        AuditEvent.objects.bulk_create(rows)
    return len(rows)
