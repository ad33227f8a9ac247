"""Benchmark of the public portal under load: `.venv/bin/python bench/portal.py`.

Options: ``--postgres`` (scratch PostgreSQL database ``motcua_bench_portal`` on the server of
``DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/``; without it a scratch SQLite
file ``var/bench/portal.sqlite3``), ``--clients C`` (default 50), ``--seconds S`` (per scenario,
default 12), ``--rounds R`` (default 3: each scenario runs in R slices of S/R seconds,
interleaved — healthz, search, tracking, healthz, … — so that the baseline and the pages are
measured over the same stretches of a shared machine's time), ``--dossiers N`` (default 2,000),
``--workers W`` / ``--threads T`` (gunicorn; default 4 sync workers), ``--configs`` (also try
a few worker/thread layouts, short runs, and print them), ``--keep`` (keep the scratch database).

1. Prepares the scratch database: migrate, ``load_demo``, a few dossiers received through the real
   service (``dossier_receive``) at several procedures, then N dossiers cloned from them in bulk
   (rows and their events) with known codes and phone numbers.
2. Starts **gunicorn** (``config.wsgi``) on a free loopback port with production settings
   (``bench/portal_settings.py`` = ``config.settings.production`` + the tracking limit from the
   environment): ``SECRET_KEY`` set, ``DEBUG=0``, ``ALLOWED_HOSTS=127.0.0.1``, persistent
   database connections, and ``MOTCUA_TRACK_MAX_ATTEMPTS`` raised — the C clients share one IP.
3. C concurrent aiohttp clients from this process, S seconds per scenario (in R rounds):
   - ``/healthz`` — the baseline, a minimal Django view through the same server and middleware;
   - search ``/thu-tuc/?q=`` — rotating realistic queries, with and without diacritics;
   - tracking — a new visitor per lookup: GET ``/tra-cuu/`` (CSRF cookie + token), POST code +
     phone, follow the redirect to the signed result link ``/tra-cuu/ket-qua/<token>/`` (what a
     browser does) and check the dossier's code is on the page. Three requests, one "lookup".
     Cookies are handled by hand: production marks them ``Secure`` and the benchmark talks
     plain HTTP on loopback.
   Prints requests/s and p50/p95/p99 per scenario, the ratio scenario/baseline (requests/s), and
   pass/fail against the targets (issue 4): ratio ≥ 0.5 and p95 < 100 ms per request.

Exits 1 when a target is missed or a request fails. Results: BENCHMARKS.md ("Public portal").
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "motcua_bench_portal"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
SQLITE_FILE = ROOT / "var" / "bench" / "portal.sqlite3"
TARGET_RATIO = 0.5
TARGET_P95_MS = 100.0
SECRET = "bench-portal-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 - scratch server only
TRACK_LIMIT = 10**9

QUERIES = [
    "khai sinh",
    "đăng ký khai sinh",
    "dang ky khai sinh",
    "kết hôn",
    "ket hon",
    "khai tử",
    "hộ kinh doanh",
    "ho kinh doanh",
    "giấy phép xây dựng",
    "giay phep xay dung",
    "lý lịch tư pháp",
    "ly lich tu phap",
    "chứng thực",
    "doanh nghiệp",
    "đất đai",
    "thường trú",
    "cấp lại",
    "xác nhận tình trạng hôn nhân",
]


# -- database ---------------------------------------------------------------------------------


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def libpq(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(libpq(with_db(url, "postgres")), autocommit=True) as conn:
        conn.execute(sql)


def scratch_url(use_postgres: bool) -> tuple[str, str]:
    """(scratch DATABASE_URL, server URL or "" for SQLite)."""
    if use_postgres:
        server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
        if urlsplit(server).scheme not in ("postgres", "postgresql", "pgsql"):
            server = DEFAULT_SERVER
        pg_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        pg_admin(server, f'CREATE DATABASE "{BENCH_DB}"')
        return with_db(server, BENCH_DB), server
    SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{SQLITE_FILE}", ""


def server_env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.portal_settings",
        SECRET_KEY=SECRET,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=db_url,
        DB_CONN_MAX_AGE="60",
        MOTCUA_TRACK_MAX_ATTEMPTS=str(TRACK_LIMIT),
        MOTCUA_VAR_DIR=str(SQLITE_FILE.parent),
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare(db_url: str, dossiers: int) -> list[tuple[str, str]]:
    """Migrate, load the demo, create the dossiers; return their (code, phone) pairs."""
    os.environ.update(server_env(db_url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return seed_dossiers(dossiers)


def seed_dossiers(n: int) -> list[tuple[str, str]]:
    from django.db import connection, transaction

    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.dossiers.services import ApplicantIn, dossier_receive

    clerk = User.objects.get(username="motcua.tt")
    templates: list[Dossier] = []
    skipped: list[str] = []  # procedures a provincial counter cannot receive without an agency
    procedures = list(Procedure.objects.filter(current_version__isnull=False).order_by("code")[:43])
    for i, procedure in enumerate(procedures):
        if len(templates) >= 12:
            break
        try:
            templates.append(
                dossier_receive(
                    actor=clerk,
                    procedure_code=procedure.code,
                    case=None,
                    channel="direct",
                    applicant=ApplicantIn(
                        name=f"Nguyễn Văn Mẫu {i}", phone=f"0905{i:06d}", address="Buôn Ma Thuột"
                    ),
                )
            )
        except Exception as exc:  # a procedure this counter cannot receive: the next one
            skipped.append(f"{procedure.code}: {exc}")
            continue
    if not templates:
        raise SystemExit(f"no dossier received through dossier_receive: {skipped[:3]}")
    events = {t.pk: list(DossierEvent.objects.filter(dossier=t).order_by("seq")) for t in templates}
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    pairs: list[tuple[str, str]] = []
    with transaction.atomic():
        batch: list[Dossier] = []
        for i in range(n):
            t = templates[i % len(templates)]
            d = Dossier(**{f.attname: getattr(t, f.attname) for f in fields})
            d.code = f"{t.code}-B{i:05d}"[:40]
            d.applicant_phone = f"09{i:08d}"
            d.applicant_name = f"Người nộp {i}"
            batch.append(d)
            pairs.append((d.code, d.applicant_phone))
        created = Dossier.objects.bulk_create(batch, batch_size=500)
        if created[0].pk is None:  # SQLite before RETURNING support: read the ids back
            by_code = dict(Dossier.objects.filter(code__contains="-B").values_list("code", "pk"))
            for d in created:
                d.pk = by_code[d.code]
        rows: list[DossierEvent] = []
        efields = [f for f in DossierEvent._meta.concrete_fields if not f.primary_key]
        for i, d in enumerate(created):
            t = templates[i % len(templates)]
            for e in events[t.pk]:
                copy = DossierEvent(**{f.attname: getattr(e, f.attname) for f in efields})
                copy.dossier_id = d.pk
                rows.append(copy)
        DossierEvent.objects.bulk_create(rows, batch_size=1000)
    connection.close()
    return pairs


# -- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(db_url: str, workers: int, threads: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    cmd = [
        gunicorn,
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--backlog",
        "256",
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
    ]
    proc = subprocess.Popen(cmd, env=server_env(db_url), start_new_session=True)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as r:  # noqa: S310
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# -- the load ---------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    requests: list[float] = field(default_factory=list)  # latency per HTTP request, s
    units: list[float] = field(default_factory=list)  # latency per lookup (tracking), s
    errors: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return len(self.requests) / self.seconds if self.seconds else 0.0

    @property
    def ups(self) -> float:
        return len(self.units) / self.seconds if self.seconds else 0.0


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _cookies(resp: Any, jar: dict[str, str]) -> None:
    for raw in resp.headers.getall("Set-Cookie", []):
        parsed = SimpleCookie()
        parsed.load(raw)
        for key, morsel in parsed.items():
            jar[key] = morsel.value


def _cookie_header(jar: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}


async def run_scenario(
    name: str, base: str, clients: int, seconds: float, pairs: list[tuple[str, str]]
) -> Result:
    import aiohttp

    result = Result(name)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(
        base, connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:

        async def timed(method: str, url: str, **kw: Any) -> tuple[int, str, Any]:
            t0 = time.perf_counter()
            async with session.request(method, url, allow_redirects=False, **kw) as resp:
                body = await resp.text()
                result.requests.append(time.perf_counter() - t0)
                return resp.status, body, resp

        async def one_healthz(_: int, rng: random.Random) -> None:
            status, _body, _r = await timed("GET", "/healthz")
            if status != 200:
                result.errors.append(f"healthz {status}")

        async def one_search(_: int, rng: random.Random) -> None:
            q = rng.choice(QUERIES)
            status, body, _r = await timed("GET", "/thu-tuc/", params={"q": q})
            if status != 200 or "<html" not in body:
                result.errors.append(f"search {q!r} {status}")

        async def one_track(_: int, rng: random.Random) -> None:
            code, phone = rng.choice(pairs)
            jar: dict[str, str] = {}
            t0 = time.perf_counter()
            status, body, resp = await timed("GET", "/tra-cuu/")
            _cookies(resp, jar)
            token = CSRF_INPUT.search(body)
            if status != 200 or token is None or "csrftoken" not in jar:
                result.errors.append(f"track form {status}")
                return
            status, body, resp = await timed(
                "POST",
                "/tra-cuu/",
                data={"csrfmiddlewaretoken": token.group(1), "code": code, "contact": phone},
                headers=_cookie_header(jar),
            )
            _cookies(resp, jar)
            location = resp.headers.get("Location", "")
            if status != 302 or not location.startswith("/tra-cuu/"):
                result.errors.append(f"track post {status} {body[:200]!r}")
                return
            status, body, _r = await timed("GET", location, headers=_cookie_header(jar))
            if status != 200 or code not in body:
                result.errors.append(f"track result {status}")
                return
            result.units.append(time.perf_counter() - t0)

        work = {"healthz": one_healthz, "search": one_search, "tracking": one_track}[name]
        start = time.perf_counter()
        deadline = start + seconds

        async def client(k: int) -> None:
            rng = random.Random(k)
            n = 0
            while time.perf_counter() < deadline and n < 1_000_000 and len(result.errors) < 100:
                try:
                    await work(k, rng)
                except (TimeoutError, aiohttp.ClientError) as exc:
                    result.errors.append(f"{name}: {exc!r}")
                n += 1

        await asyncio.gather(*(client(k) for k in range(clients)))
        result.seconds = time.perf_counter() - start
    return result


SCENARIOS = ("healthz", "search", "tracking")


def measure(
    base: str, clients: int, seconds: float, pairs: list[tuple[str, str]], rounds: int = 1
) -> dict[str, Result]:
    """Each scenario for ``seconds`` in all, in ``rounds`` interleaved slices (healthz, search,
    tracking, healthz, …): on a shared machine whose speed drifts, the baseline and the pages
    are then measured over the same stretches of time."""
    for name in SCENARIOS:
        asyncio.run(run_scenario(name, base, clients, min(2.0, seconds), pairs))  # warm-up
    out = {name: Result(name) for name in SCENARIOS}
    for _ in range(rounds):
        for name in SCENARIOS:
            part = asyncio.run(run_scenario(name, base, clients, seconds / rounds, pairs))
            whole = out[name]
            whole.seconds += part.seconds
            whole.requests += part.requests
            whole.units += part.units
            whole.errors += part.errors
    return out


def report(results: dict[str, Result]) -> bool:
    base = results["healthz"]
    ok = True
    print(
        f"\n{'scenario':<10} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'ratio':>6}  verdict"
    )
    for name, r in results.items():
        ratio = r.rps / base.rps if base.rps else 0.0
        p95 = pct(r.requests, 95)
        verdict = "baseline"
        if name != "healthz":
            good = ratio >= TARGET_RATIO and p95 < TARGET_P95_MS and not r.errors
            ok = ok and good
            verdict = "PASS" if good else "FAIL"
        if r.errors:
            ok = False
            verdict += f" ({len(r.errors)} errors, first: {r.errors[0]})"
        print(
            f"{name:<10} {r.rps:>9.1f} {pct(r.requests, 50):>8.1f} {p95:>8.1f} "
            f"{pct(r.requests, 99):>8.1f} {ratio:>6.2f}  {verdict}"
        )
    t = results["tracking"]
    if t.units:
        print(
            f"tracking lookups (GET form + POST + GET result): {t.ups:.1f}/s, "
            f"p50 {pct(t.units, 50):.1f} ms, p95 {pct(t.units, 95):.1f} ms, "
            f"p99 {pct(t.units, 99):.1f} ms"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved slices per scenario")
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--configs", action="store_true", help="also try other layouts")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f", {platform.platform()}"
    )
    db_url, server = scratch_url(args.postgres)
    print(f"database: {'PostgreSQL ' + BENCH_DB if server else SQLITE_FILE}")
    t0 = time.perf_counter()
    pairs = prepare(db_url, args.dossiers)
    print(
        f"prepared: migrate + load_demo + {len(pairs)} dossiers in {time.perf_counter() - t0:.1f} s"
    )
    print(
        f"server: gunicorn config.wsgi, settings bench.portal_settings (production), DEBUG=0, "
        f"DB_CONN_MAX_AGE=60, MOTCUA_TRACK_MAX_ATTEMPTS={TRACK_LIMIT} (raised: all {args.clients} "
        "clients share 127.0.0.1 and the per-IP tracking limit would stop them)"
    )
    print(
        f"load: {args.clients} concurrent aiohttp clients, {args.seconds:g} s per scenario in "
        f"{args.rounds} interleaved rounds"
    )
    layouts = [(args.workers, args.threads)]
    if args.configs:
        layouts += [
            (w, t) for (w, t) in [(2, 1), (4, 1), (6, 1), (2, 4), (4, 4)] if (w, t) not in layouts
        ]
    ok = True
    try:
        for i, (workers, threads) in enumerate(layouts):
            proc, base = start_gunicorn(db_url, workers, threads)
            try:
                print(f"\n== gunicorn {workers} workers × {threads} threads, {base}")
                results = measure(base, args.clients, args.seconds, pairs, args.rounds)
                good = report(results)
                if i == 0:
                    ok = good
            finally:
                stop(proc)
    finally:
        if not args.keep:
            if server:
                from django.db import connections

                connections.close_all()
                pg_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    print("\nresult:", "all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
