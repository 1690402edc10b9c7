"""Seed insert throughput: `seeds.loader.load` (generation included) against a raw `executemany`
of the same customer rows (generated beforehand, so the baseline times the insert alone)."""

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

    @property
    def ratio(self) -> float:
        return self.seed_rows_per_s / self.baseline_rows_per_s


async def _seed_once(url: str, size: int) -> tuple[int, float]:
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        client = ctx.connections.get("default")
        started = time.perf_counter()
        await load(size, progress=False, hasher=CHEAP_HASHER)
        elapsed = time.perf_counter() - started
        rows = 0
        for table in tables.TABLES:
            result = await client.execute_query_dict(f'SELECT COUNT(*) AS n FROM "{table.name}"')
            rows += int(result[0]["n"])
    return rows, elapsed


async def _customer_rows(url: str, size: int) -> list[tuple[Any, ...]]:
    """The customer rows `load` would write, generated on (and for) this database."""
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        catalog = await ensure_structure()
    now = datetime.now(UTC)
    generator = Generator(42, catalog, today=now.date(), loaded_at=now, password_hash="x")
    return generator.batch(size, NextIds()).rows[tables.CUSTOMERS]


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return str(value)
    return value


def _insert_sql(placeholder: str) -> str:
    columns = ", ".join(f'"{c}"' for c in tables.CUSTOMERS.columns)
    marks = ", ".join(placeholder.format(i) for i in range(1, len(tables.CUSTOMERS.columns) + 1))
    return f'INSERT INTO "{tables.CUSTOMERS.name}" ({columns}) VALUES ({marks})'


async def _baseline_once(url: str, size: int) -> float:
    rows = await _customer_rows(url, size)
    batches = [rows[i : i + BATCH_SIZE] for i in range(0, len(rows), BATCH_SIZE)]
    if url.startswith("sqlite://"):
        converted = [[tuple(_sqlite_value(v) for v in row) for row in b] for b in batches]
        sql = _insert_sql("?")
        connection = sqlite3.connect(url.removeprefix("sqlite://"))
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            started = time.perf_counter()
            for batch in converted:
                with connection:
                    connection.executemany(sql, batch)
            elapsed = time.perf_counter() - started
        finally:
            connection.close()
    else:
        sql = _insert_sql("${}")
        pg = await asyncpg.connect(asyncpg_dsn(url))
        try:
            started = time.perf_counter()
            for batch in batches:
                async with pg.transaction():
                    await pg.executemany(sql, batch)
            elapsed = time.perf_counter() - started
        finally:
            await pg.close()
    return len(rows) / elapsed


async def measure_seed(databases: Databases, size: int, rounds: int) -> SeedResult:
    seed_rates: list[float] = []
    baseline_rates: list[float] = []
    rows = 0
    for _ in range(rounds):
        async with databases.fresh() as url:
            rows, elapsed = await _seed_once(url, size)
        seed_rates.append(rows / elapsed)
        async with databases.fresh() as url:
            baseline_rates.append(await _baseline_once(url, size))
    return SeedResult(
        backend=databases.name,
        customers=size,
        rounds=rounds,
        rows=rows,
        seed_rows_per_s=median(seed_rates),
        baseline_rows_per_s=median(baseline_rates),
    )
