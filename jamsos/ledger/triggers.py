"""The PostgreSQL trigger that refuses a statement leaving a posting unbalanced.

A statement-level AFTER INSERT trigger with a transition table: it sums, per posting touched
by the statement, every leg of that posting. Services insert a posting's legs in one
statement, so a posting is complete when the statement ends. SQLite has no statement-level
triggers; there the check is the code's (``jamsos.ledger.services``).
"""

from __future__ import annotations

from typing import Any

FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_legs_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
    SELECT l.posting_id INTO bad FROM ledger_leg l
    WHERE l.posting_id IN (SELECT DISTINCT posting_id FROM new_legs)
    GROUP BY l.posting_id HAVING SUM(l.amount_idr) <> 0 LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'posting % legs do not sum to zero', bad USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
"""

TRIGGER = """
CREATE TRIGGER ledger_leg_balanced AFTER INSERT ON ledger_leg
REFERENCING NEW TABLE AS new_legs FOR EACH STATEMENT EXECUTE FUNCTION ledger_legs_balanced();
"""


def install(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER)


def remove(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS ledger_leg_balanced ON ledger_leg;")
