"""Segment refresh: `python -m bench segments [--customers 100000,1000000] [--rounds 3]`.

Five representative segments (a customer attribute, an order aggregate with status and period,
an address, a product history, a nested ALL/ANY tree) are refreshed over the seed generator's
population (5 orders per customer on average) in three ways, interleaved round by round:

- `refresh_segment`: the product, `engine.segments.refresh.refresh_segment` end to end (claim,
  load the tree, compile, stage, swap the membership rows, record the status);
- compiled: `engine.segments.sql.compile_members` for the same tree, written by this module's
  `write_members` (the same staging and three-statement swap `refresh` uses);
- hand-written: SQL written for each segment independently of the compiler (the baseline),
  written by the same `write_members` into a segment of its own.

Each variant's membership is checked against the hand-written one (count and two checksums over
the customer ids); a mismatch stops the run. Peak RSS of this process (the server side of a
refresh: it must not load customers) and of the PostgreSQL backends is sampled every 5 ms.

Populations are reused: PostgreSQL database `mageseg_bench_segments_<N>` on the server of
`--database-url` (default `MAGESEG_BENCH_DATABASE_URL`, else postgres://postgres@127.0.0.1:5432/
postgres), SQLite file `var/bench/segments-<N>.sqlite3`; each is seeded (`seeds.loader.load`,
seed 42) when missing or not holding exactly N customers (a PostgreSQL seed that was
interrupted is topped up). 1,000,000 customers take 20-40 minutes to seed on 2 cores and about
12 GB of disk. The section "Segment refresh" of
BENCHMARKS.md is replaced (the rest of the file is kept)."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

from bench.databases import asyncpg_dsn, forget_compiled_sql
from bench.seeding import CHEAP_HASHER
from bench.stats import median
from engine.segments.tree import (
    AddressAttribute,
    Aggregator,
    Combine,
    CustomerAddress,
    CustomerAttribute,
    DefaultAddress,
    DefaultAddressKind,
    Operator,
    OrdersNumber,
    OrderStatus,
    ProductAttribute,
    ProductHistory,
    ProductHistoryAction,
    ProductList,
    ProductListSource,
    SalesAmount,
    SalesFunction,
    UpToDate,
)
from mageseg.database import migrate, tortoise_config
from seeds.loader import BATCH_SIZE

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "BENCHMARKS.md"
SQLITE_DIR = ROOT / "var" / "bench"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
SECTION = "## Segment refresh"
MEMBERS = "magento_customersegment_customer"
STAGE = "mageseg_bench_stage"
WEBSITE_ID = 1  # "base", the default website (about 3 customers in 4)

# --- the population ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Population:
    backend: str  # "PostgreSQL" / "SQLite"
    url: str
    customers: int
    orders: int = 0
    seeded_s: float | None = None  # None when reused


def _pg_url(base: str, name: str) -> str:
    return f"{base.rpartition('/')[0]}/{name}"


async def _count_customers(url: str) -> int | None:
    """Customers in the database at `url`, None when it has no schema yet."""
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        client = ctx.connections.get("default")
        try:
            rows = await client.execute_query_dict("SELECT COUNT(*) AS n FROM customer_entity")
        except Exception:
            return None
        return int(rows[0]["n"])


async def _seed(url: str, customers: int) -> float:
    """Load `customers` more (a load appends, so an interrupted seed is topped up)."""
    from seeds.loader import load

    forget_compiled_sql()
    await migrate(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        started = time.perf_counter()
        print(await load(customers, hasher=CHEAP_HASHER, progress=True), file=sys.stderr)
        return time.perf_counter() - started


async def postgres_population(server_url: str, customers: int) -> Population:
    name = f"mageseg_bench_segments_{customers}"
    url = _pg_url(server_url, name)
    admin = await asyncpg.connect(asyncpg_dsn(server_url))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        count = await _count_customers(url) if exists else None
        seeded_s = None
        if count is not None and count < customers and count % BATCH_SIZE == 0:
            # An interrupted seed (whole batches only): top it up.
            print(f"{name} holds {count:,} customers: adding the rest", file=sys.stderr)
            seeded_s = await _seed(url, customers - count)
        elif count != customers:
            if exists:
                print(
                    f"{name} holds {count} customers, not {customers}: seeding again",
                    file=sys.stderr,
                )
                await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{name}"')
            print(f"Seeding {customers:,} customers into {name}...", file=sys.stderr)
            seeded_s = await _seed(url, customers)
    finally:
        await admin.close()
    return Population("PostgreSQL", url, customers, seeded_s=seeded_s)


def _sqlite_path(folder: Path, customers: int, *, remove: bool = False) -> Path | None:
    """The population's file, None when absent; `remove` deletes it (and its journals)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"segments-{customers}.sqlite3"
    if remove:
        for leftover in folder.glob(f"{path.name}*"):
            leftover.unlink()
    return path if path.exists() else None


async def sqlite_population(folder: Path, customers: int) -> Population:
    found = _sqlite_path(folder, customers)
    path = folder / f"segments-{customers}.sqlite3"
    url = f"sqlite://{path}"
    count = await _count_customers(url) if found else None
    seeded_s = None
    if count != customers:
        _sqlite_path(folder, customers, remove=True)
        print(f"Seeding {customers:,} customers into {path}...", file=sys.stderr)
        seeded_s = await _seed(url, customers)
    return Population("SQLite", url, customers, seeded_s=seeded_s)


# --- the segments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the hand-written SQL and the trees need to know about the seeded shop."""

    is_postgres: bool
    now: datetime
    timezone: str
    store_ids: tuple[int, ...]
    category_id: int
    brand_attribute_id: int
    brand_option: int

    def day_start(self, day: date) -> datetime:
        """Start of `day` in the website's timezone, as a UTC instant."""
        local = datetime.combine(day, clock_time(0), tzinfo=ZoneInfo(self.timezone))
        return local.astimezone(UTC)

    def up_to_date(self, days: int) -> datetime:
        today = self.now.astimezone(ZoneInfo(self.timezone)).date()
        return self.day_start(today - timedelta(days=days))


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    tree: Combine
    hand_sql: Callable[[Facts], tuple[str, tuple[Any, ...]]]
    """SQL with `?` placeholders selecting one column `customer_id`, distinct."""


def _stores(f: Facts) -> str:
    return ", ".join(str(int(s)) for s in f.store_ids)


def _customer_attribute_sql(f: Facts) -> tuple[str, tuple[Any, ...]]:
    return (
        "SELECT c.entity_id AS customer_id FROM customer_entity c "
        "WHERE c.website_id = ? AND c.gender = 2 AND c.dob >= ? AND c.dob <= ?",
        (WEBSITE_ID, date(1980, 1, 1), date(1989, 12, 31)),
    )


def _sales_amount_sql(f: Facts) -> tuple[str, tuple[Any, ...]]:
    return (
        "SELECT o.customer_id FROM sales_order o "
        "JOIN customer_entity c ON c.entity_id = o.customer_id AND c.website_id = ? "
        f"WHERE o.store_id IN ({_stores(f)}) AND o.status = 'complete' AND o.created_at >= ? "
        "GROUP BY o.customer_id HAVING SUM(o.base_grand_total) >= ?",
        (WEBSITE_ID, f.up_to_date(365), 1000),
    )


def _address_sql(f: Facts) -> tuple[str, tuple[Any, ...]]:
    return (
        "SELECT c.entity_id AS customer_id FROM customer_entity c "
        "JOIN customer_address_entity a ON a.entity_id = c.default_billing "
        "AND a.parent_id = c.entity_id "
        "WHERE c.website_id = ? AND a.country_id = 'US' AND a.region_id = 57",
        (WEBSITE_ID,),
    )


def _product_history_sql(f: Facts) -> tuple[str, tuple[Any, ...]]:
    return (
        "SELECT DISTINCT o.customer_id FROM sales_order_item i "
        "JOIN sales_order o ON o.entity_id = i.order_id "
        "JOIN customer_entity c ON c.entity_id = o.customer_id AND c.website_id = ? "
        f"WHERE o.store_id IN ({_stores(f)}) AND i.product_id IN ("
        "SELECT product_id FROM catalog_category_product WHERE category_id = ? "
        "UNION SELECT entity_id FROM catalog_product_entity_int "
        "WHERE attribute_id = ? AND store_id = 0 AND value = ?)",
        (WEBSITE_ID, f.category_id, f.brand_attribute_id, f.brand_option),
    )


def _nested_sql(f: Facts) -> tuple[str, tuple[Any, ...]]:
    return (
        "SELECT c.entity_id AS customer_id FROM customer_entity c "
        "JOIN (SELECT customer_id FROM sales_order "
        f"WHERE store_id IN ({_stores(f)}) GROUP BY customer_id HAVING COUNT(*) >= 3) o "
        "ON o.customer_id = c.entity_id "
        "WHERE c.website_id = ? AND (c.group_id = 2 OR c.dob <= ?) "
        "AND NOT EXISTS (SELECT 1 FROM wishlist w "
        "JOIN wishlist_item wi ON wi.wishlist_id = w.wishlist_id "
        "WHERE w.customer_id = c.entity_id)",
        (WEBSITE_ID, date(1965, 12, 31)),
    )


def segments(f: Facts) -> list[Segment]:
    return [
        Segment(
            "customer",
            "customer attribute: gender is Female and born in the 1980s",
            Combine(
                Aggregator.ALL,
                True,
                (
                    CustomerAttribute("gender", Operator.IS, "2"),
                    CustomerAttribute("dob", Operator.GREATER_OR_EQUAL, date(1980, 1, 1)),
                    CustomerAttribute("dob", Operator.LESS_OR_EQUAL, date(1989, 12, 31)),
                ),
            ),
            _customer_attribute_sql,
        ),
        Segment(
            "sales",
            "order aggregate: total sales >= 1000 over complete orders of the last 365 days",
            Combine(
                Aggregator.ALL,
                True,
                (
                    SalesAmount(
                        SalesFunction.TOTAL,
                        Operator.GREATER_OR_EQUAL,
                        Decimal(1000),
                        Aggregator.ALL,
                        (
                            OrderStatus(Operator.IS, "complete"),
                            UpToDate(Operator.GREATER_OR_EQUAL, 365),
                        ),
                    ),
                ),
            ),
            _sales_amount_sql,
        ),
        Segment(
            "address",
            "address: default billing address in US / Texas",
            Combine(
                Aggregator.ALL,
                True,
                (
                    CustomerAddress(
                        Aggregator.ALL,
                        (
                            DefaultAddress(Operator.IS, DefaultAddressKind.BILLING),
                            AddressAttribute("country_id", Operator.IS, "US"),
                            AddressAttribute("region_id", Operator.IS, "57"),
                        ),
                    ),
                ),
            ),
            _address_sql,
        ),
        Segment(
            "ordered",
            "product history: ordered a product of one category or of one brand",
            Combine(
                Aggregator.ALL,
                True,
                (
                    ProductHistory(
                        ProductHistoryAction.ORDERED,
                        True,
                        Aggregator.ANY,
                        (
                            ProductAttribute("category_ids", Operator.IS, str(f.category_id)),
                            ProductAttribute("brand", Operator.IS, str(f.brand_option)),
                        ),
                    ),
                ),
            ),
            _product_history_sql,
        ),
        Segment(
            "nested",
            "nested: ALL(ANY(group is Wholesale, born before 1966), no wish list item, "
            ">= 3 orders)",
            Combine(
                Aggregator.ALL,
                True,
                (
                    Combine(
                        Aggregator.ANY,
                        True,
                        (
                            CustomerAttribute("group_id", Operator.IS, "2"),
                            CustomerAttribute("dob", Operator.LESS_OR_EQUAL, date(1965, 12, 31)),
                        ),
                    ),
                    ProductList(ProductListSource.WISHLIST, False, Aggregator.ALL, ()),
                    OrdersNumber(Operator.GREATER_OR_EQUAL, Decimal(3), Aggregator.ALL, ()),
                ),
            ),
            _nested_sql,
        ),
    ]


# --- SQL plumbing -----------------------------------------------------------------------------


def numbered(sql: str, is_postgres: bool) -> str:
    """`?` placeholders to `$1..$n` on PostgreSQL (our SQL has no `?` in literals)."""
    if not is_postgres:
        return sql
    parts = sql.split("?")
    return parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))


def sqlite_params(params: Sequence[Any]) -> list[Any]:
    """Values as tortoise stores them in SQLite: dates as ISO text, instants as UTC text."""
    out: list[Any] = []
    for value in params:
        if isinstance(value, datetime):
            out.append(value.astimezone(UTC).isoformat(sep=" "))
        elif isinstance(value, date):
            out.append(value.isoformat())
        elif isinstance(value, Decimal):
            out.append(float(value))
        else:
            out.append(value)
    return out


async def write_members(
    conn: Any,
    is_postgres: bool,
    segment_id: int,
    website_id: int,
    members_sql: str,
    params: Sequence[Any],
    now: datetime,
) -> None:
    """Replace one segment's members of one website with the rows of `members_sql` (placeholders
    already in the dialect's form), the way `engine.segments.refresh` does: stage, then delete
    the rows gone, touch the rows kept, insert the new ones. Runs inside the caller's
    transaction."""

    def p(values: Sequence[Any]) -> list[Any]:
        return list(values) if is_postgres else sqlite_params(values)

    async def run(sql: str, values: Sequence[Any] = ()) -> None:
        await conn.execute_query(numbered(sql, is_postgres), p(values))

    commit = " ON COMMIT DROP" if is_postgres else ""
    await run(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (website_id INTEGER NOT NULL, "
        f"customer_id INTEGER NOT NULL, PRIMARY KEY (website_id, customer_id)){commit}"
    )
    await run(f"DELETE FROM {STAGE}")
    await conn.execute_query(
        f"INSERT INTO {STAGE} (website_id, customer_id) "
        f"SELECT DISTINCT {int(website_id)}, q.customer_id FROM ({members_sql}) AS q",
        p(params),
    )
    await run(
        f"DELETE FROM {MEMBERS} WHERE segment_id = ? AND NOT EXISTS (SELECT 1 FROM {STAGE} s "
        f"WHERE s.website_id = {MEMBERS}.website_id AND s.customer_id = {MEMBERS}.customer_id)",
        [segment_id],
    )
    await run(f"UPDATE {MEMBERS} SET updated_date = ? WHERE segment_id = ?", [now, segment_id])
    await run(
        f"INSERT INTO {MEMBERS} (segment_id, customer_id, website_id, added_date, updated_date) "
        f"SELECT ?, s.customer_id, s.website_id, ?, ? FROM {STAGE} s WHERE NOT EXISTS "
        f"(SELECT 1 FROM {MEMBERS} m WHERE m.segment_id = ? AND m.website_id = s.website_id "
        "AND m.customer_id = s.customer_id)",
        [segment_id, now, now, segment_id],
    )
    if not is_postgres:
        await run(f"DROP TABLE temp.{STAGE}")


async def checksum(conn: Any, is_postgres: bool, segment_id: int) -> tuple[int, int, int]:
    """Members of a segment: count, sum of ids, sum of a scrambled id (a set fingerprint)."""
    rows = await conn.execute_query_dict(
        numbered(
            "SELECT COUNT(*) AS n, COALESCE(SUM(customer_id), 0) AS s, "
            "COALESCE(SUM((customer_id * 2654435761) % 1000000007), 0) AS h "
            f"FROM {MEMBERS} WHERE segment_id = ?",
            is_postgres,
        ),
        [segment_id],
    )
    row = rows[0]
    return int(row["n"]), int(row["s"]), int(row["h"])


# --- memory -----------------------------------------------------------------------------------


def _rss_kib(pid: int | str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class RssSampler:
    """Peak RSS of this process and of the largest database backend while `with` runs."""

    def __init__(self, backend_pids: Sequence[int]) -> None:
        self.backend_pids = tuple(backend_pids)
        self.peak_self = 0
        self.peak_backend = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        self.peak_self = max(self.peak_self, _rss_kib("self"))
        for pid in self.backend_pids:
            self.peak_backend = max(self.peak_backend, _rss_kib(pid))

    def _loop(self) -> None:
        while not self._stop.wait(0.005):
            self._sample()

    def __enter__(self) -> RssSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    peak_self_kib: int = 0
    peak_backend_kib: int = 0
    error: str | None = None

    @property
    def median_s(self) -> float | None:
        return median(self.seconds) if self.seconds else None


@dataclass
class SegmentResult:
    population: Population
    segment: Segment
    members: int = 0
    hand: Timings = field(default_factory=Timings)
    compiled: Timings = field(default_factory=Timings)
    refresh: Timings = field(default_factory=Timings)


async def _facts(conn: Any, is_postgres: bool, now: datetime) -> Facts:
    async def scalar(sql: str) -> Any:
        rows = await conn.execute_query_dict(sql)
        return next(iter(rows[0].values()))

    timezone = await scalar(f"SELECT timezone FROM store_website WHERE website_id = {WEBSITE_ID}")
    stores = await conn.execute_query_dict(
        f"SELECT store_id FROM store WHERE website_id = {WEBSITE_ID} ORDER BY store_id"
    )
    brand = await scalar(
        "SELECT attribute_id FROM eav_attribute WHERE entity_type_id = 4 "
        "AND attribute_code = 'brand'"
    )
    option = await scalar(
        f"SELECT MIN(option_id) + 2 FROM eav_attribute_option WHERE attribute_id = {int(brand)}"
    )
    # The first leaf of the demo tree (level 3, directly holding products).
    category = await scalar(
        "SELECT MIN(c.entity_id) FROM catalog_category_entity c WHERE c.level = 3 "
        "AND EXISTS (SELECT 1 FROM catalog_category_product p WHERE p.category_id = c.entity_id)"
    )
    return Facts(
        is_postgres=is_postgres,
        now=now,
        timezone=str(timezone or "UTC"),
        store_ids=tuple(int(r["store_id"]) for r in stores),
        category_id=int(category),
        brand_attribute_id=int(brand),
        brand_option=int(option),
    )


async def _backend_pids(conn: Any, is_postgres: bool) -> list[int]:
    if not is_postgres:
        return []
    rows = await conn.execute_query_dict(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    )
    return [int(r["pid"]) for r in rows]


async def _new_segment(name: str, tree: Combine | None) -> int:
    from models.segments import (
        ApplyTo,
        MagentoCustomersegmentSegment,
        MagentoCustomersegmentWebsite,
    )

    serialized = None
    if tree is not None:
        from engine.segments import magento_json, validate

        serialized = magento_json.dumps(validate.dump_tree(tree))
    segment = await MagentoCustomersegmentSegment.create(
        name=name, conditions_serialized=serialized, apply_to=ApplyTo.REGISTERED
    )
    await MagentoCustomersegmentWebsite.create(segment_id=segment.segment_id, website_id=WEBSITE_ID)
    return int(segment.segment_id)


async def _timed(
    timings: Timings, backend_pids: Sequence[int], work: Callable[[], Awaitable[None]]
) -> bool:
    if timings.error:
        return False
    try:
        with RssSampler(backend_pids) as rss:
            started = time.perf_counter()
            await work()
            elapsed = time.perf_counter() - started
    except Exception as error:  # reported in the table, the other variants go on
        timings.error = f"{type(error).__name__}: {error}"[:300]
        print(f"  failed: {timings.error}", file=sys.stderr)
        return False
    timings.seconds.append(elapsed)
    timings.peak_self_kib = max(timings.peak_self_kib, rss.peak_self)
    timings.peak_backend_kib = max(timings.peak_backend_kib, rss.peak_backend)
    return True


async def measure_population(
    population: Population, rounds: int, warmup: int, only: Sequence[str]
) -> list[SegmentResult]:
    forget_compiled_sql()
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(population.url))
        conn = ctx.connections.get("default")
        is_postgres = population.backend == "PostgreSQL"
        # The segments (and members) of an earlier run go first, so reruns start alike.
        await conn.execute_script(
            "DELETE FROM magento_customersegment_segment WHERE name LIKE 'bench %'"
        )
        if is_postgres:
            await conn.execute_script(f"VACUUM {MEMBERS}")
            await conn.execute_script("ANALYZE")
        orders = await conn.execute_query_dict("SELECT COUNT(*) AS n FROM sales_order")
        population = Population(
            population.backend,
            population.url,
            population.customers,
            int(orders[0]["n"]),
            population.seeded_s,
        )
        now = datetime.now(UTC)
        facts = await _facts(conn, is_postgres, now)
        results: list[SegmentResult] = []
        for segment in segments(facts):
            if only and segment.key not in only:
                continue
            print(f"{population.backend} {population.customers:,}: {segment.key}", file=sys.stderr)
            result = SegmentResult(population, segment)
            results.append(result)
            hand_id = await _new_segment(f"bench {segment.key} (hand-written)", None)
            try:
                compiled_id = await _new_segment(f"bench {segment.key} (compiled)", segment.tree)
            except Exception as error:  # the engine is not there yet / rejects the tree
                compiled_id = None
                result.compiled.error = result.refresh.error = f"{type(error).__name__}: {error}"[
                    :300
                ]
                print(f"  cannot save the tree: {result.compiled.error}", file=sys.stderr)
            await _run_rounds(result, facts, conn, hand_id, compiled_id, rounds, warmup)
        return results


async def _compiled_query(tree: Combine, is_postgres: bool, now: datetime) -> tuple[str, list[Any]]:
    from engine.segments.scope_loader import build_scope
    from engine.segments.sql import Dialect, compile_members

    scope = await build_scope(WEBSITE_ID, tree, now=now)
    query = compile_members(tree, scope, Dialect.POSTGRES if is_postgres else Dialect.SQLITE)
    return query.sql, list(query.params)


async def _run_rounds(
    result: SegmentResult,
    facts: Facts,
    conn: Any,
    hand_id: int,
    compiled_id: int | None,
    rounds: int,
    warmup: int,
) -> None:
    is_postgres = facts.is_postgres
    segment = result.segment
    hand_sql, hand_params = segment.hand_sql(facts)
    hand_sql = numbered(hand_sql, is_postgres)
    pids = await _backend_pids(conn, is_postgres)
    expected: tuple[int, int, int] | None = None

    async def hand() -> None:
        async with in_transaction() as tx:
            await write_members(
                tx, is_postgres, hand_id, WEBSITE_ID, hand_sql, hand_params, facts.now
            )

    async def compiled() -> None:
        assert compiled_id is not None
        sql, params = await _compiled_query(segment.tree, is_postgres, facts.now)
        async with in_transaction() as tx:
            await write_members(tx, is_postgres, compiled_id, WEBSITE_ID, sql, params, facts.now)

    async def refresh() -> None:
        from engine.segments.refresh import refresh_segment

        assert compiled_id is not None
        outcome = await refresh_segment(compiled_id, now=facts.now)
        if outcome.error:
            raise RuntimeError(outcome.error)

    variants: list[tuple[Timings, Callable[[], Awaitable[None]], int | None]] = [
        (result.hand, hand, hand_id),
        (result.compiled, compiled, compiled_id),
        (result.refresh, refresh, compiled_id),
    ]
    for round_number in range(warmup + rounds):
        for timings, work, segment_id in variants:
            if segment_id is None:
                continue
            kept = list(timings.seconds)
            if not await _timed(timings, pids, work):
                continue
            if round_number < warmup:
                timings.seconds = kept
            async with in_transaction() as tx:
                got = await checksum(tx, is_postgres, segment_id)
            if expected is None:
                expected = got
                result.members = got[0]
            elif got != expected:
                timings.error = f"different members: {got} instead of {expected}"
                timings.seconds = []
                print(f"  {timings.error}", file=sys.stderr)
        if round_number < warmup:
            continue
        print(
            f"  round {round_number + 1 - warmup}: hand {_fmt(result.hand.seconds[-1:])}, "
            f"compiled {_fmt(result.compiled.seconds[-1:])}, "
            f"refresh_segment {_fmt(result.refresh.seconds[-1:])}",
            file=sys.stderr,
        )


def _fmt(values: Sequence[float]) -> str:
    return f"{values[0]:.2f} s" if values else "-"


# --- the report -------------------------------------------------------------------------------


def _seconds(t: Timings) -> str:
    if t.error:
        return "n/a"
    value = t.median_s
    return "-" if value is None else f"{value:.2f}"


def _ratio(t: Timings, base: Timings) -> str:
    if t.error or t.median_s is None or not base.median_s:
        return "n/a"
    return f"{t.median_s / base.median_s:.2f}"


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f}" if kib else "-"


def render(results: Sequence[SegmentResult], rounds: int, warmup: int) -> str:
    populations = []
    for r in results:
        if r.population not in populations:
            populations.append(r.population)
    sizes = ", ".join(
        f"{p.backend} {p.customers:,} customers / {p.orders:,} orders" for p in populations
    )
    lines = [
        f"{SECTION} ({sizes}; median of {rounds} rounds after {warmup} warm-up)",
        "",
        "`python -m bench segments` (see `bench/segments.py`). Five representative segments of",
        "website `base` refreshed over the seed generator's population, three ways, interleaved:",
        "`refresh_segment` end to end (claim, load, compile, stage, swap the membership rows,",
        "record status); the compiled query alone (`compile_members`) written the same way as the",
        "baseline; and the baseline, SQL hand-written for each segment independently of the",
        "compiler, written by the same staging + delete/update/insert swap `refresh` uses, in",
        "one transaction. Every variant's members are checked equal to the baseline's (count and",
        "id checksums). Peak RSS is sampled every 5 ms: the Python process doing the refresh,",
        "and the largest PostgreSQL backend of the database (shared buffers it touched included).",
        "",
        "| database | customers | segment | members | baseline s | compiled s | compiled / "
        "baseline | refresh_segment s | refresh / baseline | peak RSS python MiB | "
        "peak RSS backend MiB |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p = r.population
        peak_self = max(r.hand.peak_self_kib, r.compiled.peak_self_kib, r.refresh.peak_self_kib)
        peak_backend = max(
            r.hand.peak_backend_kib, r.compiled.peak_backend_kib, r.refresh.peak_backend_kib
        )
        lines.append(
            f"| {p.backend} | {p.customers:,} | {r.segment.label} | {r.members:,} "
            f"| {_seconds(r.hand)} | {_seconds(r.compiled)} | {_ratio(r.compiled, r.hand)} "
            f"| {_seconds(r.refresh)} | {_ratio(r.refresh, r.hand)} "
            f"| {_mib(peak_self)} | {_mib(peak_backend)} |"
        )
    errors = sorted(
        {
            f"- {variant}: {t.error}"
            for r in results
            for variant, t in (("compiled", r.compiled), ("refresh_segment", r.refresh))
            if t.error
        }
    )
    if errors:
        lines += ["", "Not measured (n/a):", "", *errors]
    return "\n".join(lines) + "\n"


def replace_section(document: str, section: str) -> str:
    """`document` with its segment section replaced by `section` (appended when absent)."""
    pattern = re.compile(rf"^{re.escape(SECTION)}.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(document):
        return pattern.sub(lambda _: section + "\n", document, count=1).rstrip("\n") + "\n"
    return document.rstrip("\n") + "\n\n" + section


def keep_section(old: str, new: str) -> str:
    """For `python -m bench`, which rewrites BENCHMARKS.md: carry the segment section over."""
    match = re.search(rf"^{re.escape(SECTION)}.*?(?=^## |\Z)", old, re.S | re.M)
    if not match or SECTION in new:
        return new
    return new.rstrip("\n") + "\n\n" + match.group(0).rstrip("\n") + "\n"


# --- command line -----------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


async def run(args: argparse.Namespace) -> list[SegmentResult]:
    results: list[SegmentResult] = []
    only = [key for key in args.only.split(",") if key]
    for size in _sizes(args.sqlite_customers):
        population = await sqlite_population(args.sqlite_dir, size)
        results += await measure_population(population, args.rounds, args.warmup, only)
    if not args.no_postgres:
        for size in _sizes(args.customers):
            population = await postgres_population(args.database_url, size)
            results += await measure_population(population, args.rounds, args.warmup, only)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench segments", description=__doc__)
    parser.add_argument(
        "--customers",
        default="100000,1000000",
        help="PostgreSQL population sizes, comma-separated (default 100000,1000000)",
    )
    parser.add_argument(
        "--sqlite-customers",
        default="20000",
        help="SQLite population sizes, comma-separated; '' for none (default 20000)",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first")
    parser.add_argument("--only", default="", help="segment keys, comma-separated")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("MAGESEG_BENCH_DATABASE_URL", DEFAULT_PG),
        help="a PostgreSQL server database to connect to (the populations get their own)",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--sqlite-dir", type=Path, default=SQLITE_DIR)
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the Markdown file to update")
    parser.add_argument("--no-write", action="store_true", help="print the section only")
    args = parser.parse_args(argv)
    results = asyncio.run(run(args))
    section = render(results, args.rounds, args.warmup)
    if not args.no_write:
        old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        args.output.write_text(replace_section(old, section), encoding="utf-8")
    print(section)
    return 0
