"""Benchmark of the history import on PostgreSQL: `.venv/bin/python bench/stats_import.py`.

Creates the scratch database ``motcua_bench_stats`` on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``; the name in the URL is ignored), migrates it, loads the
demo agencies, calendar and catalog, writes issue #5's quarter with ``motcua.stats.synthetic``
(Q3 2024: 224,187 settled = 183,477 early + 39,491 on time + 1,219 late, plus pending,
withdrawn, stopped and never-received dossiers: 233,687 records; ``--scale D`` divides the
counts), then times ``import_national`` on it three times — first import (every record new),
re-import of the same file (every record unchanged) and of the file with every record changed
(every fact replaced, the rollups moved) — and checks the quarter's settled columns are
exactly the mix's and (``--check``) that the rollups equal ``rebuild_rollups()``.

Target: ≥ 20,000 records/s. Exits 1 when missed. Another benchmark can call
:func:`import_bench` after its own Django setup (it needs agencies and a catalog).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "motcua_bench_stats"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
TARGET = 20_000.0


def _url(url: str, name: str, scheme: str | None = None) -> str:
    p = urlsplit(url)
    return urlunsplit((scheme or p.scheme, p.netloc, "/" + name, p.query, ""))


def recreate_named_database(url: str, name: str, *, drop_only: bool = False) -> None:
    """Drop (and unless ``drop_only`` create again) the scratch database ``name``."""
    import psycopg

    with psycopg.connect(_url(url, "postgres", "postgresql"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    recreate_named_database(url, BENCH_DB, drop_only=drop_only)


def setup_django(*, load: bool) -> str:
    """Django on the scratch database named by ``DATABASE_URL``; with ``load``: migrated, with
    the demo agencies, calendar and catalog. Returns the server's version."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import OutputWrapper
    from django.db import connection, transaction

    from motcua.catalog import demo as catalog_demo
    from motcua.units import demo as units_demo
    from motcua.workdays import demo as workdays_demo

    if load:
        call_command("migrate", verbosity=0)
        quiet = OutputWrapper(open(os.devnull, "w"))  # noqa: SIM115
        with transaction.atomic():
            units_demo.load(out=quiet)
            workdays_demo.load(out=quiet)
            catalog_demo.load(out=quiet)
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        row = cur.fetchone()
    return str(row[0]) if row else "?"


def import_bench(
    *,
    scale: int = 1,
    seed: int = 2024,
    batch: int = 5_000,
    check: bool = False,
    workers: int | None = None,
) -> dict[str, Any]:
    """Write the Q3 2024 mix (/``scale``), import it twice; return the measures."""
    import orjson
    from django.db.models import Sum

    from motcua.stats import services
    from motcua.stats.importer import import_national
    from motcua.stats.management.commands.generate_national import catalog_pairs
    from motcua.stats.models import AgencyDayCount, DailyCount
    from motcua.stats.synthetic import Q3_2024, Mix, national_records, write_jsonl

    mix = Mix.q3_2024().scaled(scale)
    start, end = Q3_2024
    out: dict[str, Any] = {"records": mix.total, "settled": mix.settled}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "q3-2024.jsonl"
        t0 = time.perf_counter()
        with path.open("w", encoding="utf-8") as stream:
            write_jsonl(
                stream,
                national_records(mix=mix, start=start, end=end, pairs=catalog_pairs(), seed=seed),
            )
        out["generate_s"] = time.perf_counter() - t0
        out["file_mb"] = path.stat().st_size / 1e6
        # Every record changed (paid online or not, and the applicant's name): each fact is
        # replaced and the rollups move, the slow path of a re-import.
        changed = Path(tmp) / "q3-2024-changed.jsonl"
        with path.open("rb") as source, changed.open("wb") as target:
            for line in source:
                record = orjson.loads(line)
                record["ChuHoSo"] = record.get("ChuHoSo", "") + " (sửa)"
                paid = record.get("DuocThanhToanTrucTuyen") in (1, 2)
                record["DuocThanhToanTrucTuyen"] = 0 if paid else 2
                target.write(orjson.dumps(record) + b"\n")
        for label, name in (("first", path), ("again", path), ("changed", changed)):
            t0 = time.perf_counter()
            with name.open("rb") as stream:
                result = import_national(stream, batch_size=batch, workers=workers)
            elapsed = time.perf_counter() - t0
            assert result.skipped == 0, result.errors[:5]
            out[f"{label}_s"] = elapsed
            out[f"{label}_rate"] = result.read / elapsed
            out[f"{label}_result"] = result
    totals = AgencyDayCount.objects.filter(day__range=(start, end)).aggregate(
        early=Sum("settled_early"), on_time=Sum("settled_on_time"), late=Sum("settled_late")
    )
    out["exact"] = totals == {"early": mix.early, "on_time": mix.on_time, "late": mix.late}
    out["totals"] = totals
    if check:
        before = services.rollup_snapshot(DailyCount), services.rollup_snapshot(AgencyDayCount)
        t0 = time.perf_counter()
        services.rebuild_rollups()
        out["rebuild_s"] = time.perf_counter() - t0
        after = services.rollup_snapshot(DailyCount), services.rollup_snapshot(AgencyDayCount)
        out["rebuild_equal"] = before == after
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="divide the quarter's counts")
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: the importer's)"
    )
    parser.add_argument("--check", action="store_true", help="compare with rebuild_rollups()")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if urlsplit(server).scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("bench/stats_import.py measures PostgreSQL only (DATABASE_URL)")
    recreate_database(server)
    try:
        os.environ["DATABASE_URL"] = _url(server, BENCH_DB)
        version = setup_django(load=True)
        print(
            f"History import benchmark — PostgreSQL {version}, Python {platform.python_version()}"
            f" on {platform.machine()}, {os.cpu_count()} CPU(s), batch {args.batch:,},"
            f" workers {'default' if args.workers is None else args.workers},"
            f" load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        r = import_bench(
            scale=args.scale,
            seed=args.seed,
            batch=args.batch,
            check=args.check,
            workers=args.workers,
        )
        print(
            f"  generated {r['records']:,} records ({r['file_mb']:.0f} MB) "
            f"in {r['generate_s']:.1f} s"
        )
        print(f"  first import: {r['first_s']:.1f} s, {r['first_rate']:,.0f} records/s")
        again, changed = r["again_result"], r["changed_result"]
        print(
            f"  re-import, same file:         {r['again_s']:.1f} s, "
            f"{r['again_rate']:,.0f} records/s ({again.unchanged:,} unchanged)"
        )
        print(
            f"  re-import, every record changed: {r['changed_s']:.1f} s, "
            f"{r['changed_rate']:,.0f} records/s ({changed.updated:,} replaced)"
        )
        print(f"  Q3 2024 settled: {r['totals']} — {'exact' if r['exact'] else 'WRONG'}")
        if args.check:
            print(
                f"  rebuild_rollups(): {r['rebuild_s']:.1f} s, "
                f"{'equal' if r['rebuild_equal'] else 'DIFFERENT'}"
            )
        ok = r["exact"] and min(r["first_rate"], r["again_rate"], r["changed_rate"]) >= TARGET
        ok = ok and r.get("rebuild_equal", True)
        print(f"  target ≥ {TARGET:,.0f} records/s: {'met' if ok else 'MISSED'}")
        return 0 if ok else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(server, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
