"""Benchmark of the dossier hot paths on PostgreSQL: `.venv/bin/python bench/lifecycle.py`.

Options: ``--dossiers N`` (rows bulk-loaded for part 2, default 1,000,000), ``--clients C``
(default 4), ``--seconds S`` (length of one timed round, default 10), ``--rounds R`` (default 3),
``--skip-big`` (skip part 2), ``--keep`` (keep the scratch database).

It creates its own scratch database ``motcua_bench`` on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``; the database name in the URL is ignored), dropping it
first, migrates it, seeds 30 agencies with their staff and a procedure implemented by all of them,
then measures:

1. **Dossier actions per second with C concurrent clients** (one process each, spawned, each with
   its own Django setup and connection). A lifecycle is six actions through the real services:
   ``dossier_receive`` then ``dossier_act`` forward → request_supplement → supplement → settle →
   return; every service call is one transaction and counts as one action.

   **Baseline, measured in the same run**: each client first runs one lifecycle through the
   services while recording every statement Django sends (``connection.execute_wrapper``: SQL
   text, parameters and the rows returned), grouped by service call. The baseline client then
   replays those statements with psycopg 3 directly (server-side binding, statements prepared
   after 5 uses — as Django's connections are configured), one transaction per recorded service
   call (psycopg's implicit BEGIN, the same
   SAVEPOINT/RELEASE statements, COMMIT) — so the same row locks (code counter, dossier row,
   audit chain head) are taken in the same order. The only logic left in the baseline is what
   hand-written SQL would need: ids returned by INSERT … RETURNING / SELECT feed later statements,
   the code counter's value gives the new dossier code, and the audit chain head's ``seq`` + 1
   the new audit row. Everything else (timestamps, hashes, JSON payloads) is replayed verbatim.
   To make returned ids unambiguous, the sequences of the dossier, audit and outbox tables and
   the audit chain's ``seq`` are moved to distinct ranges above 10^10 before recording.
   Rounds alternate services / baseline; the best round of each is kept. Target: services ≥ 0.5×
   the baseline.

2. **The work queue with N dossiers**: N dossiers bulk-loaded with ``INSERT … SELECT
   generate_series`` (30 agencies with a skewed size, ~5 % open, the rest closed over four years,
   due dates spread around now), ``VACUUM ANALYZE``; then, as a specialist of the largest
   agency, the server time of the queue page ``GET /office/dossiers/`` (all, ``?which=overdue``,
   ``?which=at_risk``, a search by code, a search by applicant name) with the Django test
   ``Client`` — or, while that page does not exist, the selectors it is built on
   (``dossier_queue`` count + first page, ``dossier_queue_counts``). Median and p95 after one
   warm-up; target median < 100 ms. Prints ``EXPLAIN (ANALYZE, BUFFERS)`` of the main queries.

Exits 1 when a target is missed. Results are recorded in BENCHMARKS.md ("Dossier lifecycle").
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "motcua_bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
TARGET_RATIO = 0.5
TARGET_MEDIAN_MS = 100.0
PROCEDURE = "9.000001"
AGENCIES = 30
PAGE_SIZE = 25
# Returned ids above this are "identities" the baseline must thread from statement to statement.
BIG = 10**10
ID_RANGE = 10**11  # each sequence gets its own range: k * ID_RANGE

AGENCY_NAMES = [
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Sở Tư pháp",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Kế hoạch và Đầu tư",
    "Sở Giao thông vận tải",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Khoa học và Công nghệ",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Hùng", "Lan", "Linh", "Nam", "Tuyết", "Ánh"]


# -- database plumbing ----------------------------------------------------------------------------


def server_url() -> str:
    raw = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    scheme = urlsplit(raw).scheme
    if scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(
            f"bench/lifecycle.py measures PostgreSQL only; DATABASE_URL is {scheme or raw!r}.\n"
            "Unset it (default postgres://postgres@127.0.0.1:5432/) or point it at a PostgreSQL "
            "server, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/ "
            ".venv/bin/python bench/lifecycle.py"
        )
    return raw


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


def libpq(url: str) -> str:
    """The URL with the ``postgresql://`` scheme (dj-database-url also accepts aliases)."""
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))


def recreate_database(url: str) -> None:
    import psycopg

    with psycopg.connect(libpq(with_db(url, "postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def drop_database(url: str) -> None:
    import psycopg

    with psycopg.connect(libpq(with_db(url, "postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def setup_django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DEBUG"] = "0"  # no connection.queries bookkeeping
    os.environ["DB_CONN_MAX_AGE"] = "600"  # persistent connections, as in production
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


# -- seeding --------------------------------------------------------------------------------------


def agency_code(n: int) -> str:
    return f"000.00.{10 + n:02d}.H16"


def seed() -> None:
    import json

    from django.db import transaction

    from motcua.accounts.models import Membership, Role, User, UserKind
    from motcua.catalog.services import catalog_import
    from motcua.units.models import AdministrativeUnit, Agency, AgencyLevel, UnitLevel
    from motcua.workdays.services import seed_year

    year = time.localtime().tm_year
    for y in range(year - 1, year + 2):
        seed_year(year=y)
    with transaction.atomic():
        province = AdministrativeUnit.objects.create(
            code="66", name="Tỉnh Đắk Lắk", unit_type="Tỉnh", level=UnitLevel.PROVINCE
        )
        for n in range(AGENCIES):
            base = AGENCY_NAMES[n % len(AGENCY_NAMES)]
            agency = Agency.objects.create(
                code=agency_code(n),
                name=base if n < len(AGENCY_NAMES) else f"{base} (đơn vị {n})",
                level=AgencyLevel.PROVINCE,
                unit=province,
                has_one_stop_desk=True,
            )
            for role in (Role.CLERK, Role.SPECIALIST, Role.HEAD, Role.LEADER):
                user = User(
                    username=f"a{n:02d}.{role}",
                    kind=UserKind.OFFICIAL,
                    full_name=f"{FAMILY[n % 11]} {MIDDLE[n % 10]} {GIVEN[(n + 3) % 11]}",
                )
                user.set_unusable_password()
                user.save()
                Membership.objects.create(user=user, agency=agency, role=role)
    catalog = {
        "format": "motcua.catalog/1",
        "fields": [{"code": "ly-lich-tu-phap", "name": "Lý lịch tư pháp"}],
        "procedures": [
            {
                "code": PROCEDURE,
                "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
                "field": "ly-lich-tu-phap",
                "levels": ["province"],
                "implementing_agencies": {"level": "province"},
                "online_level": "full",
                "result_kind": "both",
                "supplement_mode": "pause",
                "publication": {"decision_number": "01/QĐ-BENCH", "date": "2025-06-30"},
                "cases": [
                    {
                        "name": "Trường hợp chung",
                        "time_limit": {"amount": 5, "unit": "working_days"},
                    }
                ],
                "components": [
                    {
                        "name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                        "required": True,
                        "originals": 1,
                    },
                    {"name": "Bản chụp căn cước công dân", "required": True, "copies": 1},
                ],
                "process_steps": [
                    {"name": "Tiếp nhận hồ sơ", "role": "clerk", "time_share": 10},
                    {"name": "Thẩm định, xác minh", "role": "specialist", "time_share": 60},
                    {"name": "Phê duyệt, ký kết quả", "role": "leader", "time_share": 20},
                    {"name": "Trả kết quả", "role": "clerk", "time_share": 10},
                ],
                "results": [{"code": "KQ.BENCH.1", "name": "Phiếu lý lịch tư pháp"}],
            }
        ],
    }
    catalog_import(text=json.dumps(catalog, ensure_ascii=False))


def spread_identities() -> None:
    """Move the id sequences of the written tables (and the audit chain's seq) to distinct ranges
    above ``BIG``, so a returned id can be told from any other number in a recorded statement."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """SELECT c.relname, a.attname FROM pg_class c
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'id'
               WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
                 AND (c.relname LIKE 'dossiers\\_%%' OR c.relname LIKE 'audit\\_%%'
                      OR c.relname LIKE 'integrations\\_%%' OR c.relname LIKE 'stats\\_%%')
               ORDER BY c.relname"""
        )
        tables = [row[0] for row in cur.fetchall()]
        k = 1
        for table in tables:
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
            seq = cur.fetchone()[0]
            if seq:
                cur.execute("SELECT setval(%s, %s)", [seq, k * ID_RANGE])
                k += 1
        cur.execute("UPDATE audit_auditchainhead SET seq = seq + %s WHERE id = 1", [k * ID_RANGE])


# -- part 1: the services --------------------------------------------------------------------------


@dataclass
class Staff:
    agency_code: str
    clerk: Any
    specialist: Any
    leader: Any
    components: list[Any]


def staff(n: int) -> Staff:
    from motcua.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__startswith=f"a{n:02d}.")}
    return Staff(
        agency_code=agency_code(n),
        clerk=users[f"a{n:02d}.clerk"],
        specialist=users[f"a{n:02d}.specialist"],
        leader=users[f"a{n:02d}.leader"],
        components=components(),
    )


def components() -> list[Any]:
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import ComponentIn

    version = Procedure.objects.get(code=PROCEDURE).current_version
    assert version is not None
    return [ComponentIn(component_id=pk) for pk in version.components.values_list("pk", flat=True)]


def lifecycle(s: Staff, serial: int, on_action: Callable[[int], None]) -> str:
    """One dossier from the counter to the returned result: six services, six transactions."""
    from motcua.dossiers.services import (
        ActionIn,
        ApplicantIn,
        dossier_act,
        dossier_receive,
    )

    name = f"{FAMILY[serial % 11]} {MIDDLE[serial % 10]} {GIVEN[serial % 7]}"
    on_action(0)
    d = dossier_receive(
        actor=s.clerk,
        procedure_code=PROCEDURE,
        case=None,
        channel="direct",
        applicant=ApplicantIn(
            name=name,
            id_number="066190004321",
            phone="0905123456",
            email="nguoinop@example.vn",
            address="12 Lê Duẩn, phường Buôn Ma Thuột",
        ),
        components=s.components,
        receiving_agency_code=s.agency_code,
    )
    steps: list[tuple[Any, str, ActionIn]] = [
        (s.clerk, "forward", ActionIn()),
        (
            s.specialist,
            "request_supplement",
            ActionIn(reason="Thiếu bản chụp căn cước", components=["Bản chụp căn cước công dân"]),
        ),
        (s.clerk, "supplement", ActionIn()),
        (s.leader, "settle", ActionIn(result="Cấp Phiếu lý lịch tư pháp số 123/LLTP")),
        (s.clerk, "return", ActionIn(method="counter")),
    ]
    for n, (actor, action, params) in enumerate(steps, start=1):
        on_action(n)
        dossier_act(actor=actor, code=d.code, action=action, params=params)
    on_action(len(steps) + 1)
    return d.code


# -- part 1: recording and replaying the SQL -------------------------------------------------------


@dataclass
class Recorded:
    sql: str
    params: Any
    many: bool
    columns: list[str]
    rows: list[tuple[Any, ...]] | None


@dataclass
class Ref:
    """A value taken from a row returned earlier in the replayed lifecycle (plus ``delta``)."""

    key: tuple[int, int, int, int]  # group, statement, row, column
    delta: int = 0
    as_str: bool = False


@dataclass
class Template:
    groups: list[list[Recorded]]
    code: str  # the recorded dossier's code (its last four digits come from the counter)
    counter_select: tuple[int, int, int]  # group, statement, column of last_value
    # per (group, statement): the binder of the parameters, or None when they are constant
    binders: dict[tuple[int, int], Callable[[dict[Any, Any], dict[str, str]], Any]] = field(
        default_factory=dict
    )
    needed: set[tuple[int, int]] = field(default_factory=set)  # statements whose rows we read


def record_lifecycle(s: Staff, serial: int) -> tuple[list[list[Recorded]], str]:
    from django.db import connection

    groups: list[list[Recorded]] = []

    def start_group(n: int) -> None:
        if n < 6:
            groups.append([])

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        raw = context["cursor"].cursor
        rows = None
        columns: list[str] = []
        if not many and raw.description is not None:
            columns = [d.name for d in raw.description]
            rows = raw.fetchall()
            if rows:
                raw.scroll(0, mode="absolute")  # hand the rows back to Django untouched
        groups[-1].append(Recorded(sql, params, many, columns, rows))
        return result

    with connection.execute_wrapper(wrapper):
        code = lifecycle(s, serial, start_group)
    return groups, code


def build_template(groups: list[list[Recorded]], code: str) -> Template:
    """Decide, for every parameter, whether it is a constant or a value threaded from a row."""
    from psycopg.types.json import Jsonb

    from motcua.core.text import fold

    sources: dict[Any, tuple[int, int, int, int]] = {}
    counter: tuple[int, int, int] | None = None
    tpl = Template(groups=groups, code=code, counter_select=(0, 0, 0))

    def ref_for(value: int) -> Ref | None:
        if value in sources:
            return Ref(sources[value])
        if value - 1 in sources:  # the audit chain: head.seq + 1
            return Ref(sources[value - 1], delta=1)
        return None

    code_folded = fold(code)

    def plan(value: Any) -> Any:
        """A callable producing the replay value, or the constant itself (marked by a tuple)."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int) and value >= BIG:
            return ref_for(value)
        if isinstance(value, str):
            if value.isdigit() and int(value) >= BIG:
                r = ref_for(int(value))
                if r is not None:
                    return Ref(r.key, r.delta, as_str=True)
            if code in value or code_folded in value:
                return ("code", value)
            return None
        if isinstance(value, Jsonb):
            inner = plan_json(value.obj)
            return ("json", value, inner) if inner is not None else None
        if isinstance(value, (list, tuple)):  # bulk_create sends UNNEST(array) parameters
            return plan_json(list(value))
        return None

    def plan_json(obj: Any) -> Any:
        if isinstance(obj, dict):
            sub = {k: plan_json(v) for k, v in obj.items()}
            return ("dict", obj, sub) if any(v is not None for v in sub.values()) else None
        if isinstance(obj, list):
            sub_l = [plan_json(v) for v in obj]
            return ("list", obj, sub_l) if any(v is not None for v in sub_l) else None
        return plan(obj)

    def realize(p: Any, values: dict[Any, Any], ctx: dict[str, str], original: Any) -> Any:
        if p is None:
            return original
        if isinstance(p, Ref):
            v = values[p.key] + p.delta
            return str(v) if p.as_str else v
        kind = p[0]
        if kind == "code":
            return p[1].replace(code, ctx["code"]).replace(code_folded, ctx["folded"])
        if kind == "json":
            return Jsonb(realize(p[2], values, ctx, p[1].obj), dumps=p[1].dumps)
        if kind == "dict":
            return {k: realize(p[2][k], values, ctx, v) for k, v in p[1].items()}
        if kind == "list":
            return [realize(sp, values, ctx, v) for sp, v in zip(p[2], p[1], strict=True)]
        raise AssertionError(p)

    for g, group in enumerate(groups):
        for s, st in enumerate(group):
            if st.many:
                raise SystemExit("executemany in a recorded lifecycle: not supported by the replay")
            if st.params is not None:
                plans = [plan(v) for v in st.params]
                if any(p is not None for p in plans):
                    for p in plans:
                        if isinstance(p, Ref):
                            tpl.needed.add(p.key[:2])
                        elif isinstance(p, tuple) and p[0] == "json":
                            for key in _refs(p):
                                tpl.needed.add(key[:2])

                    def binder(
                        values: dict[Any, Any],
                        ctx: dict[str, str],
                        plans: list[Any] = plans,
                        params: Any = st.params,
                    ) -> Any:
                        return [
                            realize(p, values, ctx, v) for p, v in zip(plans, params, strict=True)
                        ]

                    tpl.binders[(g, s)] = binder
            if "dossiers_dossiercodecounter" in st.sql and "FOR UPDATE" in st.sql:
                counter = (g, s, st.columns.index("last_value"))
                tpl.needed.add((g, s))
            for r, row in enumerate(st.rows or ()):
                for c, value in enumerate(row):
                    if isinstance(value, int) and not isinstance(value, bool) and value >= BIG:
                        sources.setdefault(value, (g, s, r, c))
    if counter is None:
        raise SystemExit("the recorded intake did not lock a code counter row")
    tpl.counter_select = counter
    # The counter's UPDATE writes last_value + 1: bind it to the replayed counter.
    cg = counter[0]
    for s, st in enumerate(groups[cg]):
        if st.sql.startswith('UPDATE "dossiers_dossiercodecounter"'):
            old = tpl.binders.get((cg, s))

            def counter_binder(
                values: dict[Any, Any],
                ctx: dict[str, str],
                old: Any = old,
                params: Any = st.params,
            ) -> Any:
                bound = list(old(values, ctx) if old else params)
                bound[0] = int(ctx["next"])
                return bound

            tpl.binders[(cg, s)] = counter_binder
    return tpl


def _refs(p: Any) -> Iterator[tuple[int, int, int, int]]:
    if isinstance(p, Ref):
        yield p.key
    elif isinstance(p, tuple):
        for part in p[1:]:
            if isinstance(part, dict):
                for sub in part.values():
                    yield from _refs(sub)
            elif isinstance(part, list):
                for sub in part:
                    yield from _refs(sub)
            elif isinstance(part, (Ref, tuple)):
                yield from _refs(part)


def replay_lifecycle(conn: Any, tpl: Template, on_action: Callable[[int], None]) -> None:
    """The recorded lifecycle, statement for statement, one transaction per recorded service."""
    from motcua.core.text import fold

    values: dict[Any, Any] = {}
    ctx: dict[str, str] = {}
    cg, cs, ccol = tpl.counter_select
    prefix = tpl.code[:-4]
    for g, group in enumerate(tpl.groups):
        on_action(g)
        with conn.cursor() as cur:
            for s, st in enumerate(group):
                binder = tpl.binders.get((g, s))
                params = binder(values, ctx) if binder else st.params
                if params is None:
                    cur.execute(st.sql)
                else:
                    cur.execute(st.sql, params)
                if cur.description is not None:
                    rows = cur.fetchall()
                    if (g, s) in tpl.needed:
                        for r, row in enumerate(rows):
                            for c, value in enumerate(row):
                                values[(g, s, r, c)] = value
                        if (g, s) == (cg, cs):
                            nxt = rows[0][ccol] + 1
                            ctx["next"] = str(nxt)
                            ctx["code"] = f"{prefix}{nxt:04d}"
                            ctx["folded"] = fold(ctx["code"])
        conn.commit()
    on_action(len(tpl.groups))


# -- part 1: the client processes ----------------------------------------------------------------


def client_main(index: int, bench_url: str, commands: Any, results: Any) -> None:
    """One client: its own Django, connection and agencies (services: index, baseline: +C)."""
    try:
        setup_django(bench_url)
        import psycopg

        clients = int(os.environ["BENCH_CLIENTS"])
        services_staff = staff(index)
        baseline_staff = staff(index + clients)
        lifecycle(services_staff, 0, lambda n: None)  # warm-up: caches, calendar, imports
        groups, code = record_lifecycle(baseline_staff, 1)
        tpl = build_template(groups, code)
        # As Django's connections are configured (config/settings/base.py): server-side
        # binding, statements prepared after 5 uses.
        conn = psycopg.connect(libpq(bench_url), prepare_threshold=5, options="-c timezone=UTC")
        replay_lifecycle(conn, tpl, lambda n: None)  # warm-up, and a check that it replays
        statements = sum(len(g) for g in groups)
        results.put(("ready", index, statements, len(groups)))
        serial = 2
        while True:
            cmd = commands.get()
            if cmd[0] == "stop":
                break
            mode, start_at, seconds = cmd
            while time.time() < start_at:
                time.sleep(0.001)
            t0 = time.perf_counter()
            cpu0 = time.process_time()
            deadline = t0 + seconds
            done = [0]

            def count(n: int, deadline: float = deadline, done: list[int] = done) -> None:
                if n:
                    done[0] += 1  # the previous action committed
                if time.perf_counter() >= deadline:
                    raise _Stop

            try:
                while True:
                    if mode == "services":
                        lifecycle(services_staff, serial, count)
                    else:
                        replay_lifecycle(conn, tpl, count)
                    serial += 1
            except _Stop:
                pass
            elapsed = time.perf_counter() - t0
            if mode == "baseline" and conn.info.transaction_status != 0:
                conn.rollback()
            results.put((mode, index, done[0], elapsed, time.process_time() - cpu0))
        conn.close()
    except BaseException:  # report it to the parent rather than dying silently
        results.put(("error", index, traceback.format_exc(), 0))


class _Stop(Exception):
    pass


def part_one(bench_url: str, clients: int, seconds: float, rounds: int) -> tuple[bool, str]:
    ctx = mp.get_context("spawn")
    os.environ["BENCH_CLIENTS"] = str(clients)
    commands = [ctx.Queue() for _ in range(clients)]
    results = ctx.Queue()
    procs = [
        ctx.Process(target=client_main, args=(i, bench_url, commands[i], results))
        for i in range(clients)
    ]
    for p in procs:
        p.start()
    try:
        shape = ""
        for _ in range(clients):
            msg = results.get(timeout=300)
            if msg[0] == "error":
                raise SystemExit(f"client {msg[1]} failed during setup:\n{msg[2]}")
            shape = f"{msg[2]} statements in {msg[3]} transactions"
        print(f"  one lifecycle (6 actions) recorded as {shape}")
        rates: dict[str, list[float]] = {"services": [], "baseline": []}
        for r in range(rounds):
            for mode in ("services", "baseline") if r % 2 == 0 else ("baseline", "services"):
                start_at = time.time() + 0.3
                for q in commands:
                    q.put((mode, start_at, seconds))
                total, longest, cpu = 0, 0.0, 0.0
                for _ in range(clients):
                    msg = results.get(timeout=seconds + 120)
                    if msg[0] == "error":
                        raise SystemExit(f"client {msg[1]} failed:\n{msg[2]}")
                    total += msg[2]
                    longest = max(longest, msg[3])
                    cpu += msg[4]
                rate = total / longest
                rates[mode].append(rate)
                print(
                    f"  round {r + 1} {mode:<9} {total:7,d} actions in {longest:5.1f} s "
                    f"= {rate:8,.1f} actions/s (client CPU {cpu / max(total, 1) * 1000:5.2f} "
                    "ms/action)"
                )
        for q in commands:
            q.put(("stop",))
        for p in procs:
            p.join(timeout=30)
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
    services, baseline = max(rates["services"]), max(rates["baseline"])
    ratio = services / baseline
    print(f"  services: {services:8,.1f} actions/s ({clients} clients, best of {rounds})")
    print(f"  baseline: {baseline:8,.1f} actions/s (the same SQL replayed with psycopg)")
    print(f"  ratio services/baseline: {ratio:.2f} (target ≥ {TARGET_RATIO})")
    ok = ratio >= TARGET_RATIO
    return ok, "" if ok else f"services/baseline ratio {ratio:.2f} is below {TARGET_RATIO}"


BULK_SQL = """
INSERT INTO dossiers_dossier (
    code, status, channel, version, applicant_kind, applicant_name, applicant_id_number,
    applicant_phone, applicant_email, applicant_address, summary, search_text, set_count,
    submitted_at, received_at, clock_start_at, limit_amount, limit_unit, limit_work, due_at,
    at_risk_from, paused_since, calendar_revision, supplement_count, current_step, settled_at,
    returned_at, closed_at, outcome, result_summary, result_is_refusal, return_method,
    refusal_reason, created_at, updated_at, agency_id, case_id, current_agency_id,
    procedure_version_id, receiving_agency_id)
SELECT
    (%(codes)s::text[])[recv] || '-'
        || to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-'
        || lpad((i %% 10000)::text, 4, '0'),
    status, CASE WHEN r_channel < 0.6 THEN 'online' ELSE 'direct' END, 3, 'citizen',
    (%(names)s::text[])[name_no], id_number, '0905123456', '', '', %(summary)s,
    lower((%(codes)s::text[])[recv]) || '-'
        || to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-'
        || lpad((i %% 10000)::text, 4, '0') || ' ' || (%(folded)s::text[])[name_no] || ' '
        || id_number,
    1, received_at, received_at, received_at, 5, 'working_days', interval '40 hours', due_at,
    due_at - interval '30 hours',
    CASE WHEN status IN (5, 6) THEN received_at + interval '1 day' END,
    0, CASE WHEN status = 5 THEN 1 ELSE 0 END, CASE WHEN status IN (1, 2) THEN 1 ELSE 2 END,
    CASE WHEN status IN (9, 10) THEN closed_at END, CASE WHEN status = 10 THEN closed_at END,
    CASE WHEN status NOT IN (1, 2, 4, 5, 6, 9) THEN closed_at END,
    CASE WHEN status IN (9, 10) THEN (CASE WHEN closed_at <= due_at THEN 'early' ELSE 'late' END)
         ELSE '' END,
    CASE WHEN status IN (9, 10) THEN 'Cấp Phiếu lý lịch tư pháp' ELSE '' END, false,
    CASE WHEN status = 10 THEN 'counter' ELSE '' END, '', received_at, received_at,
    (%(ids)s::bigint[])[agency], %(case_id)s,
    (%(ids)s::bigint[])[CASE WHEN status IN (1, 2) THEN recv ELSE agency END],
    %(version_id)s, (%(ids)s::bigint[])[recv]
FROM (
    SELECT i, agency, recv, name_no, id_number, r_channel, received_at,
        CASE WHEN is_open THEN
            (ARRAY[1, 2, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 6, 6, 4, 9])
                [1 + floor(r_status * 20)::int]
        ELSE
            (ARRAY[10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3, 7, 8])
                [1 + floor(r_status * 20)::int]
        END AS status,
        CASE WHEN is_open THEN now() + (r_due * 40 - 6) * interval '1 day'
             ELSE received_at + (5 + floor(r_due * 25)) * interval '1 day' END AS due_at,
        received_at + (1 + r_due * 30) * interval '1 day' AS closed_at
    FROM (
        SELECT i,
            2 + floor(%(departments)s * power(random(), 2))::int AS agency,
            random() AS r_recv, random() AS r_status, random() AS r_due, random() AS r_channel,
            1 + floor(random() * %(name_count)s)::int AS name_no,
            '0661' || lpad(floor(random() * 1e8)::bigint::text, 8, '0') AS id_number,
            -- in time order: the last 7 %% (~100 days) holds the open ones
            now() - (%(n)s - i)::float8 / %(n)s * interval '1460 days' AS received_at,
            (i > 0.93 * %(n)s AND random() < 0.7) AS is_open
        FROM generate_series(1, %(n)s) AS i
    ) raw
    CROSS JOIN LATERAL (SELECT CASE WHEN r_recv < 0.25 THEN 1 ELSE agency END AS recv) r
) rows
"""


def bulk_load(n: int) -> None:
    """``n`` dossiers: 30 agencies (the centre receives a quarter of them, boundary-free; the
    departments' sizes are skewed), about 5 % open, due dates from 6 days ago to 34 days ahead;
    closed ones over four years."""
    from django.db import connection

    from motcua.catalog.models import Procedure
    from motcua.core.text import fold
    from motcua.units.models import Agency

    version = Procedure.objects.get(code=PROCEDURE).current_version
    assert version is not None
    agencies = list(Agency.objects.order_by("code"))
    names = [f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN]
    with connection.cursor() as cur:
        cur.execute(
            """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dossiers_dossier'
               AND indexname NOT IN ('dossiers_dossier_pkey', 'dossiers_dossier_code_key')"""
        )
        indexes = cur.fetchall()
        for name, _ in indexes:  # faster to build them once, after the load
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute("SELECT setseed(0.2026)")
        cur.execute(
            BULK_SQL,
            {
                "n": n,
                "codes": [a.code for a in agencies],
                "ids": [a.pk for a in agencies],
                "departments": len(agencies) - 1,
                "names": names,
                "folded": [fold(x) for x in names],
                "name_count": len(names),
                "summary": version.name,
                "case_id": version.cases.values_list("pk", flat=True).first(),
                "version_id": version.pk,
            },
        )
        for _, definition in indexes:
            cur.execute(definition)
    # What autovacuum does after a large insert: statistics and the visibility map (a database
    # that accumulated these rows over years has almost every page all-visible).
    connection.ensure_connection()
    autocommit = connection.connection.autocommit
    connection.connection.autocommit = True
    try:
        connection.connection.execute("VACUUM ANALYZE dossiers_dossier")
    finally:
        connection.connection.autocommit = autocommit


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def part_two(dossiers: int, repeat: int) -> list[str]:
    from motcua.dossiers.models import Dossier

    existing = Dossier.objects.count()
    t0 = time.perf_counter()
    bulk_load(dossiers)
    loaded = time.perf_counter() - t0
    total = Dossier.objects.count()
    print(
        f"  loaded {total - existing:,} dossiers in {loaded:.1f} s "
        f"(indexes rebuilt, VACUUM ANALYZE); {Dossier.objects.open().count():,} open"
    )
    return time_queue(repeat)


def time_queue(repeat: int) -> list[str]:
    """The queue of the busiest agency's specialist: timings, then the plans of its queries."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from motcua.accounts.models import User
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import dossier_queue, dossier_queue_counts

    busiest = (
        Dossier.objects.open()
        .values_list("current_agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    agency_id, open_count = busiest
    from motcua.units.models import Agency

    agency = Agency.objects.get(pk=agency_id)
    n = Agency.objects.filter(code__lt=agency.code).count()
    user = User.objects.get(username=f"a{n:02d}.specialist")
    sample = Dossier.objects.open().filter(current_agency_id=agency_id).order_by("pk")[100]
    name_term = " ".join(sample.applicant_name.split()[:2])  # e.g. "Nguyễn Văn", diacritics kept
    print(
        f"  as {user.username} ({agency.name}, {open_count:,} open dossiers held); "
        f"searches: code {sample.code!r}, name {name_term!r}"
    )
    scenarios = [
        ("all", {}),
        ("overdue", {"which": "overdue"}),
        ("at_risk", {"which": "at_risk"}),
        ("search by code", {"q": sample.code}),
        ("search by name", {"q": name_term}),
    ]
    setup_test_environment()
    client = Client()
    client.force_login(user)
    page_exists = client.get("/office/dossiers/").status_code == 200
    if page_exists:
        print(
            f"  timing GET /office/dossiers/ (Django test Client, server time), "
            f"{repeat} requests each after one warm-up"
        )
    else:
        print(
            "  /office/dossiers/ does not exist yet: timing the selectors it is built on "
            f"(dossier_queue count + first {PAGE_SIZE} rows, dossier_queue_counts), "
            f"{repeat} times each after one warm-up"
        )

    def by_selectors(params: dict[str, str]) -> None:
        qs = dossier_queue(user=user, which=params.get("which", "all"), q=params.get("q", ""))
        qs.count()
        list(qs[:PAGE_SIZE])
        dossier_queue_counts(user=user)

    def by_page(params: dict[str, str]) -> None:
        response = client.get("/office/dossiers/", params)
        assert response.status_code == 200, response.status_code

    run = by_page if page_exists else by_selectors
    failures = []
    for label, params in scenarios:
        run(params)
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            run(params)
            times.append((time.perf_counter() - t) * 1000)
        median, p95 = statistics.median(times), percentile(times, 0.95)
        flag = "" if median < TARGET_MEDIAN_MS else "  ← over target"
        print(f"    {label:<15} median {median:7.1f} ms   p95 {p95:7.1f} ms{flag}")
        if median >= TARGET_MEDIAN_MS:
            failures.append(f"queue {label}: median {median:.1f} ms ≥ {TARGET_MEDIAN_MS:.0f} ms")
    # The plans of the queue's own queries (the default view), as PostgreSQL ran them.
    with CaptureQueriesContext(connection) as captured:
        run({})
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or '"dossiers_dossier"' not in sql:
            continue
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.replace("%", "%%"))
            plan = [row[0] for row in cur.fetchall()]
        print(f"  EXPLAIN (ANALYZE, BUFFERS) {sql[:110]}…")
        print("\n".join("    " + line for line in plan))
    return failures


# -- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per queue view")
    parser.add_argument("--skip-big", action="store_true", help="skip part 2 (the work queue)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= AGENCIES // 2:
        parser.error(f"--clients must be between 1 and {AGENCIES // 2}")

    url = server_url()
    bench_url = with_db(url, BENCH_DB)
    t0 = time.perf_counter()
    recreate_database(url)
    failures: list[str] = []
    try:
        setup_django(bench_url)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        seed()
        spread_identities()
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            pg_version = cur.fetchone()[0]
        connection.close()  # the clients must not inherit anything
        print(
            f"Dossier lifecycle benchmark — PostgreSQL {pg_version}, Python "
            f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPU(s)"
        )
        print(
            f"  scratch database {BENCH_DB} migrated and seeded in {time.perf_counter() - t0:.1f} s"
        )
        print(
            f"1. Dossier actions per second, {args.clients} concurrent clients "
            f"({args.rounds} rounds of {args.seconds:g} s per mode)"
        )
        ok, why = part_one(bench_url, args.clients, args.seconds, args.rounds)
        if not ok:
            failures.append(why)
        if not args.skip_big:
            print(f"2. The work queue with {args.dossiers:,} dossiers")
            failures.extend(part_two(args.dossiers, args.repeat))
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"  kept the scratch database: {bench_url}")
        else:
            drop_database(url)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if not failures:
        print("OK: all targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
