"""Fresh, migrated databases for each measurement: SQLite files copied from a migrated template,
PostgreSQL databases created from a migrated template database."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from tortoise.backends.base import executor

from mageseg.database import migrate


def forget_compiled_sql() -> None:
    """Tortoise caches compiled INSERT SQL per process, keyed by connection name and table but
    not by dialect (stack notes, gotcha 1): forget it before switching backends."""
    executor.EXECUTOR_CACHE.clear()


def asyncpg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


class SqliteDatabases:
    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.sqlite3"

    async def prepare(self) -> None:
        forget_compiled_sql()
        await migrate(f"sqlite://{self.template}")

    @asynccontextmanager
    async def fresh(self) -> AsyncIterator[str]:
        forget_compiled_sql()
        path = self.folder / f"{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copy(self.template, path)
        try:
            yield f"sqlite://{path}"
        finally:
            for leftover in self.folder.glob(f"{path.name}*"):
                leftover.unlink()


class PostgresDatabases:
    name = "PostgreSQL"

    def __init__(self, url: str) -> None:
        self.base, _, _ = url.rpartition("/")
        self.admin_url = url
        self.template = f"mageseg_bench_template_{uuid.uuid4().hex[:8]}"

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    async def _admin(self, sql: str) -> None:
        conn = await asyncpg.connect(asyncpg_dsn(self.admin_url))
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def prepare(self) -> None:
        await self._admin(f'CREATE DATABASE "{self.template}"')
        forget_compiled_sql()
        await migrate(self.url(self.template))

    async def close(self) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    @asynccontextmanager
    async def fresh(self) -> AsyncIterator[str]:
        forget_compiled_sql()
        name = f"mageseg_bench_{uuid.uuid4().hex[:12]}"
        await self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        try:
            yield self.url(name)
        finally:
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
