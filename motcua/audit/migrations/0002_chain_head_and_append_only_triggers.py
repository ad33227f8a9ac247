"""Create the chain head and make the audit table append-only at the database level."""

from __future__ import annotations

from django.db import migrations

TABLE = "audit_auditevent"

SQLITE_UP = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]

POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    f"CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS audit_no_update_delete ON {TABLE};",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_append_only();",
]


def create_head(apps, schema_editor):  # type: ignore[no-untyped-def]
    head = apps.get_model("audit", "AuditChainHead")
    head.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


def install_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def remove_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
