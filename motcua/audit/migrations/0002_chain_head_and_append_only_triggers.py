"""Create the chain head and make the audit table append-only at the database level."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations

from motcua.audit import triggers


def create_head(apps, schema_editor):  # type: ignore[no-untyped-def]
    head = apps.get_model("audit", "AuditChainHead")
    head.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


def install_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    if getattr(settings, "MOTCUA_AUDIT_TRIGGERS", True):
        with schema_editor.connection.cursor() as cursor:
            triggers.install(cursor, schema_editor.connection.vendor)


def remove_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        triggers.remove(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
