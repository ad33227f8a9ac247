"""Database triggers that make the audit table append-only (installed by migration 0002).

Test settings switch them off (``MOTCUA_AUDIT_TRIGGERS = False``) because transactional tests
empty every table between tests; the audit tests install them explicitly to check they work.
"""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditevent"

INSTALL = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
        f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
        f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
        f"CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
        f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
        f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();",
    ],
}

REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_no_update;",
        "DROP TRIGGER IF EXISTS audit_no_delete;",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
        f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
        "DROP FUNCTION IF EXISTS audit_append_only();",
    ],
}


def install(cursor: Any, vendor: str) -> None:
    for sql in INSTALL.get(vendor, []):
        cursor.execute(sql)


def remove(cursor: Any, vendor: str) -> None:
    for sql in REMOVE.get(vendor, []):
        cursor.execute(sql)
