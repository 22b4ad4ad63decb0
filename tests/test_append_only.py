"""Every append-only table refuses UPDATE and DELETE in the database, not only in the ORM.

The test enumerates every concrete subclass of ``AppendOnlyModel`` (a new financial or audit
table is covered the day it is added), writes one row into each — foreign keys may point
nowhere because Django's foreign keys are checked at commit and the row is rolled back first —
and proves that a raw ``UPDATE`` and a raw ``DELETE`` are refused by the trigger and leave the
row as it was. The suite runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from jamsos.core.models import AppendOnlyError, AppendOnlyModel

pytestmark = pytest.mark.django_db

APPEND_ONLY = sorted(
    (m for m in apps.get_models() if issubclass(m, AppendOnlyModel)), key=lambda m: m._meta.label
)

#: Values a column needs beyond the generic ones (check constraints, formats).
OVERRIDES: dict[str, dict[str, object]] = {
    "contributions.Payment": {"kind": "payment", "amount_idr": 1},
    "contributions.Allocation": {"bill_id": 10**9, "amount_idr": 1},
}


def _value(field: models.Field):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        return 10**9  # checked at commit; rolled back before
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return date(2026, 1, 1)
    if isinstance(field, models.DecimalField):
        return Decimal(1)
    if isinstance(field, (models.IntegerField, models.BigIntegerField)):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    return "1"


def _row(model: type[models.Model]) -> models.Model:
    values: dict[str, object] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        values[field.attname] = None if field.null else _value(field)
    values.update(OVERRIDES.get(model._meta.label, {}))
    if model._meta.label == "ledger.Leg":  # a posting's legs sum to zero, in one statement
        legs = model.objects.bulk_create(
            [model(**{**values, "amount_idr": 1}), model(**{**values, "amount_idr": -1})]
        )
        return legs[0]
    row = model(**values)
    row.save()
    return row


def _refused(sql: str, params: list[object]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


def test_every_financial_and_audit_table_is_append_only():
    labels = {m._meta.label for m in APPEND_ONLY}
    assert {
        "core.AuditEvent",
        "ledger.Posting",
        "ledger.Leg",
        "contributions.Payment",
        "contributions.Allocation",
        "contributions.BillLine",
        "contributions.JhtEntry",
        "benefits.Payout",
        "benefits.ClaimEvent",
        "benefits.PensionPayment",
        "benefits.InstalmentPayment",
    } <= labels


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m._meta.label)
def test_the_database_refuses_update_and_delete(model):
    table, pk = model._meta.db_table, model._meta.pk.column
    with transaction.atomic():
        row = _row(model)
        before = model.objects.filter(pk=row.pk).values().get()
        column = next(
            f.column
            for f in model._meta.concrete_fields
            if not f.primary_key and not isinstance(f, models.ForeignKey)
        )
        update = f"UPDATE {table} SET {column} = {column} WHERE {pk} = %s"  # noqa: S608
        assert _refused(update, [row.pk])
        assert _refused(f"DELETE FROM {table} WHERE {pk} = %s", [row.pk])  # noqa: S608
        assert model.objects.filter(pk=row.pk).values().get() == before
        with pytest.raises(AppendOnlyError):
            model.objects.filter(pk=row.pk).update(**{column: before[column]})
        with pytest.raises(AppendOnlyError):
            row.save()
        with pytest.raises(AppendOnlyError):
            row.delete()
        transaction.set_rollback(True)  # the dangling foreign keys are never checked
