"""Database triggers that make a table append-only on PostgreSQL and SQLite.

Used from migrations: ``migrations.RunPython(*append_only_triggers("core_auditevent"))``.
Code-level guards (:class:`jamsos.core.models.AppendOnlyModel`) catch ORM misuse early;
the triggers stop raw SQL and other clients too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Migrator = Callable[[Any, Any], None]


def append_only_triggers(table: str) -> tuple[Migrator, Migrator]:
    """Forward and reverse functions installing the triggers for ``table``."""

    def forward(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                "CREATE OR REPLACE FUNCTION jamsos_refuse_change() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
                "'% rows are append-only: % refused', TG_TABLE_NAME, TG_OP "
                "USING ERRCODE = 'integrity_constraint_violation'; END $$;",
                params=None,  # the % are plpgsql's, not driver placeholders
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION jamsos_refuse_change();"
            )
        elif vendor == "sqlite":
            for op in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: {op} refused'); END;"
                )
        else:  # pragma: no cover - only the two supported databases
            raise NotImplementedError(f"append-only triggers for {vendor}")

    def reverse(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")

    return forward, reverse


def append_only_triggers_reinstalled(table: str) -> tuple[Migrator, Migrator]:
    """Install the triggers again after a migration rebuilt ``table`` (SQLite rebuilds a
    table to alter a column, and the rebuilt table has no triggers)."""
    install, remove = append_only_triggers(table)

    def forward(apps: Any, schema_editor: Any) -> None:
        remove(apps, schema_editor)
        install(apps, schema_editor)

    def reverse(apps: Any, schema_editor: Any) -> None:
        pass

    return forward, reverse
