"""Rate counters in an UNLOGGED table on PostgreSQL: they are protective, short-lived counts, so
losing them in a server crash is harmless, and a hit then writes no WAL and its commit waits for
no disk flush (a public lookup costs one such write)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def unlogged(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET UNLOGGED")


def logged(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_rate_counters")]
    operations = [migrations.RunPython(unlogged, logged)]
