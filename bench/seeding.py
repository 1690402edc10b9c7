"""Seed insert throughput: `seeds.loader.load` (generation included) against a raw `executemany`
of the same customer rows, and its order throughput against a raw `executemany` of the same
`sales_order` rows (generated beforehand, so the baselines time the insert alone)."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

import asyncpg
from tortoise.context import TortoiseContext

from bench.databases import asyncpg_dsn
from bench.stats import median
from engine.passwords import PasswordHasher
from mageseg.database import tortoise_config
from seeds import tables
from seeds.generate import Generator, NextIds
from seeds.loader import BATCH_SIZE, load
from seeds.shop import ensure_shop
from seeds.structure import ensure_structure

# Hashing cost is not what this measures; the demo password is hashed once per load anyway.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_kib=1024)


class Databases(Protocol):
    name: str

    def fresh(self) -> Any: ...


@dataclass(frozen=True)
class SeedResult:
    backend: str
    customers: int
    rounds: int
    rows: int
    seed_rows_per_s: float
    baseline_rows_per_s: float
    orders: int
    seed_orders_per_s: float
    baseline_orders_per_s: float

    @property
    def ratio(self) -> float:
        return self.seed_rows_per_s / self.baseline_rows_per_s

    @property
    def orders_ratio(self) -> float:
        return self.seed_orders_per_s / self.baseline_orders_per_s


async def _seed_once(url: str, size: int) -> tuple[int, int, float]:
    """Rows and orders one load writes, and how long it takes."""
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        client = ctx.connections.get("default")
        started = time.perf_counter()
        await load(size, progress=False, hasher=CHEAP_HASHER)
        elapsed = time.perf_counter() - started
        counts = {}
        for table in tables.TABLES:
            result = await client.execute_query_dict(f'SELECT COUNT(*) AS n FROM "{table.name}"')
            counts[table] = int(result[0]["n"])
    return sum(counts.values()), counts[tables.ORDERS], elapsed


Rows = list[list[tuple[Any, ...]]]


async def _generated_rows(url: str, size: int) -> tuple[Rows, Rows]:
    """The customer and order rows `load` would write, batch by batch, generated on (and for)
    this database, whose structure and catalog this creates (as `load` would)."""
    now = datetime.now(UTC)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        catalog = await ensure_structure()
        shop, _ = await ensure_shop(42, catalog, today=now.date(), loaded_at=now)
    generator = Generator(
        42, catalog, today=now.date(), loaded_at=now, password_hash="x", shop=shop
    )
    ids = NextIds()
    customers: Rows = []
    orders: Rows = []
    for start in range(0, size, BATCH_SIZE):
        batch = generator.batch(min(BATCH_SIZE, size - start), ids)
        customers.append(batch.rows[tables.CUSTOMERS])
        orders.append(batch.rows[tables.ORDERS])
    return customers, orders


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return str(value)
    return value


def _insert_sql(table: tables.Table, placeholder: str) -> str:
    columns = ", ".join(f'"{c}"' for c in table.columns)
    marks = ", ".join(placeholder.format(i) for i in range(1, len(table.columns) + 1))
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'


def _count(batches: Rows) -> int:
    return sum(len(batch) for batch in batches)


async def _baseline_once(url: str, size: int) -> tuple[float, float]:
    """Customer rows/s, then order rows/s (the orders' customers being in by then)."""
    customers, orders = await _generated_rows(url, size)
    timings: list[float] = []
    if url.startswith("sqlite://"):
        connection = sqlite3.connect(url.removeprefix("sqlite://"))
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            for table, batches in ((tables.CUSTOMERS, customers), (tables.ORDERS, orders)):
                converted = [[tuple(_sqlite_value(v) for v in row) for row in b] for b in batches]
                sql = _insert_sql(table, "?")
                started = time.perf_counter()
                for batch in converted:
                    with connection:
                        connection.executemany(sql, batch)
                timings.append(time.perf_counter() - started)
        finally:
            connection.close()
    else:
        pg = await asyncpg.connect(asyncpg_dsn(url))
        try:
            for table, batches in ((tables.CUSTOMERS, customers), (tables.ORDERS, orders)):
                sql = _insert_sql(table, "${}")
                started = time.perf_counter()
                for batch in batches:
                    async with pg.transaction():
                        await pg.executemany(sql, batch)
                timings.append(time.perf_counter() - started)
        finally:
            await pg.close()
    return _count(customers) / timings[0], _count(orders) / timings[1]


async def measure_seed(databases: Databases, size: int, rounds: int) -> SeedResult:
    seed_rates: list[float] = []
    seed_order_rates: list[float] = []
    baseline_rates: list[float] = []
    baseline_order_rates: list[float] = []
    rows = orders = 0
    for _ in range(rounds):
        async with databases.fresh() as url:
            rows, orders, elapsed = await _seed_once(url, size)
        seed_rates.append(rows / elapsed)
        seed_order_rates.append(orders / elapsed)
        async with databases.fresh() as url:
            customer_rate, order_rate = await _baseline_once(url, size)
        baseline_rates.append(customer_rate)
        baseline_order_rates.append(order_rate)
    return SeedResult(
        backend=databases.name,
        customers=size,
        rounds=rounds,
        rows=rows,
        seed_rows_per_s=median(seed_rates),
        baseline_rows_per_s=median(baseline_rates),
        orders=orders,
        seed_orders_per_s=median(seed_order_rates),
        baseline_orders_per_s=median(baseline_order_rates),
    )
