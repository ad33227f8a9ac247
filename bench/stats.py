"""Benchmark of the statistics on PostgreSQL: `.venv/bin/python bench/stats.py`.

Creates the scratch database ``motcua_bench_stats_big`` on the server of ``DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/``; the name in the URL is ignored), migrates it,
loads the demo agencies (39), calendar and catalog (43 procedures), then:

1. writes ``--dossiers`` national-format records (default 1,000,000) over one year (2025) with
   ``motcua.stats.synthetic`` — the proportions of issue #5's quarter (early : on time : late =
   183,477 : 39,491 : 1,219), plus pending, withdrawn, stopped and never-received dossiers — and
   times ``import_national`` on them (target ≥ 20,000 records/s);
2. ``VACUUM ANALYZE``, then times report II.06a for the province and the full year read from
   the rollups (``report_06a``) against **the same report counted by scanning the dossier
   table** (``report_06a_scan``: one grouped query with a ``COUNT(*) FILTER`` per cell over
   every fact), checks that both give the same numbers, and prints the ratio (target ≥ 10×,
   and < 1 s);
3. times the Decision 766 index of the province for the year (``compute_index``) and both
   rankings (``rank_index``) (target < 1 s each); as a reference, the dossier-based numbers of
   the index counted by scanning the facts (the drill-down filters) for the same year.

Each timing is the median of ``--repeat`` runs (default 5) after one warm-up. Exits 1 when a
target is missed. Results are recorded in BENCHMARKS.md ("Statistics").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats_import import _url, setup_django  # noqa: E402 (after the path is set)
from bench.stats_import import recreate_named_database as _recreate  # noqa: E402

BENCH_DB = "motcua_bench_stats_big"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
TARGET_IMPORT = 20_000.0
TARGET_SECONDS = 1.0
TARGET_RATIO = 10.0


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    _recreate(url, BENCH_DB, drop_only=drop_only)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of ``repeat`` runs after a warm-up, and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def year_mix(total: int) -> Any:
    """Issue #5's quarter mix scaled to ``total`` records (exactly)."""
    from dataclasses import fields, replace

    from motcua.stats.synthetic import Mix

    mix = Mix.q3_2024()
    counts = {
        f.name: getattr(mix, f.name) for f in fields(mix) if isinstance(getattr(mix, f.name), int)
    }
    factor = total / sum(counts.values())
    scaled = {k: round(v * factor) for k, v in counts.items()}
    scaled["early"] += total - sum(scaled.values())  # exact total
    return replace(mix, **scaled)


def load(total: int, seed: int) -> dict[str, Any]:
    from motcua.stats.importer import import_national
    from motcua.stats.management.commands.generate_national import catalog_pairs
    from motcua.stats.synthetic import national_records, write_jsonl

    mix = year_mix(total)
    out: dict[str, Any] = {"records": mix.total}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2025.jsonl"
        t0 = time.perf_counter()
        with path.open("w", encoding="utf-8") as stream:
            write_jsonl(
                stream,
                national_records(
                    mix=mix,
                    start=dt.date(2025, 1, 1),
                    end=dt.date(2025, 12, 31),
                    pairs=catalog_pairs(),
                    seed=seed,
                ),
            )
        out["generate_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with path.open("rb") as stream:
            result = import_national(stream, batch_size=5_000)
        out["import_s"] = time.perf_counter() - t0
        out["imported"] = result.read - result.skipped
        out["import_rate"] = result.read / out["import_s"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database (no load)")
    args = parser.parse_args(argv)
    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if urlsplit(server).scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("bench/stats.py measures PostgreSQL only (DATABASE_URL)")
    if not args.reuse:
        recreate_database(server)
    try:
        os.environ["DATABASE_URL"] = _url(server, BENCH_DB)
        version = setup_django(load=not args.reuse)
        from django.db import connection
        from django.utils import translation

        from motcua.stats.index766 import IndexPeriod, compute_index, drill_facts, rank_index
        from motcua.stats.models import DossierFact
        from motcua.stats.report06a import Period, report_06a, report_06a_scan

        translation.activate("vi")
        ok = True
        print(
            f"Statistics benchmark — PostgreSQL {version}, Python {platform.python_version()}"
            f" on {platform.machine()}, {os.cpu_count()} CPU(s)"
        )
        if not args.reuse:
            r = load(args.dossiers, args.seed)
            met = r["import_rate"] >= TARGET_IMPORT
            ok &= met
            print(
                f"  generated {r['records']:,} national records for 2025 in "
                f"{r['generate_s']:.0f} s; imported {r['imported']:,} in {r['import_s']:.0f} s: "
                f"{r['import_rate']:,.0f} records/s (target ≥ {TARGET_IMPORT:,.0f}: "
                f"{'met' if met else 'MISSED'})"
            )
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        facts = DossierFact.objects.count()
        print(f"  {facts:,} dossier facts in the database")

        year = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        fast_s, fast = timed(lambda: report_06a(year), args.repeat)
        scan_s, scan = timed(lambda: report_06a_scan(year), max(1, args.repeat // 2))
        same = fast.total.numbers() == scan.total.numbers() and [
            r.numbers() for r in fast.rows
        ] == [r.numbers() for r in scan.rows]
        ratio = scan_s / fast_s
        met = same and fast_s < TARGET_SECONDS and ratio >= TARGET_RATIO
        ok &= met
        t = fast.total
        print(
            f"  report II.06a, province, 2025 ({len(fast.rows)} rows): rollups "
            f"{fast_s * 1000:.1f} ms, scan of the dossier table {scan_s * 1000:.0f} ms: "
            f"{ratio:.0f}× faster; same numbers: {'yes' if same else 'NO'} "
            f"(target < 1 s and ≥ {TARGET_RATIO:.0f}×: {'met' if met else 'MISSED'})"
        )
        print(
            f"    received {t.received_online + t.received_direct_postal:,} "
            f"(online {t.received_online:,}), settled {t.settled_total:,} (early "
            f"{t.settled_early:,}, on time {t.settled_on_time:,}, late {t.settled_late:,}), "
            f"pending {t.pending_total:,}, identity {'holds' if t.identity_holds else 'FAILS'}"
        )
        period = IndexPeriod.parse("2025")
        index_s, index = timed(lambda: compute_index(period), args.repeat)
        met = index_s < TARGET_SECONDS
        ok &= met
        print(
            f"  766 index, province, 2025: {index_s * 1000:.0f} ms, total {index.total:.2f} "
            f"(target < 1 s: {'met' if met else 'MISSED'})"
        )
        for ranking in ("agencies", "communes"):

            def rank(r: str = ranking) -> Any:
                return rank_index(period, r)

            rank_s, ranked = timed(rank, args.repeat)
            met = rank_s < TARGET_SECONDS
            ok &= met
            print(
                f"  766 ranking of {ranking} ({len(ranked)} units), 2025: {rank_s * 1000:.0f} ms "
                f"(target < 1 s: {'met' if met else 'MISSED'})"
            )
        drills = [i.drill for g in index.groups for i in g.indicators if i.drill]

        def scan_index() -> list[int]:
            return [drill_facts(d, period).count() for d in drills]

        scan_index_s, counts = timed(scan_index, max(1, args.repeat // 2))
        dens = [i.denominator for g in index.groups for i in g.indicators if i.drill]
        print(
            f"  reference: the index's {len(drills)} dossier denominators counted by scanning "
            f"the facts: {scan_index_s * 1000:.0f} ms ({scan_index_s / index_s:.1f}× the "
            f"rollups); same numbers: {'yes' if counts == dens else 'NO'}"
        )
        ok &= counts == dens
        print(f"  all targets: {'met' if ok else 'MISSED'}")
        return 0 if ok else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(server, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
