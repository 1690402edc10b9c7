"""Every test gets a fresh, fully migrated database: SQLite by default, PostgreSQL when
MAGESEG_TEST_DATABASE_URL is set, with the cache in Redis when MAGESEG_TEST_REDIS_URL is set.

The schema is migrated once per session into a template (a file for SQLite, a template database
for PostgreSQL) and copied for each test, which is much faster than migrating every time."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from tortoise.context import TortoiseContext

from engine import auth
from mageseg.app import SERVICES, create_app
from mageseg.database import migrate, tortoise_config
from mageseg.settings import Settings

PG_URL = os.environ.get("MAGESEG_TEST_DATABASE_URL") or None
REDIS_URL = os.environ.get("MAGESEG_TEST_REDIS_URL") or None


def _pg_url(name: str) -> str:
    assert PG_URL is not None
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{name}"


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@pytest.fixture(autouse=True)
def media_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Media files (the demo seed's images, uploads) go to the test's own folder."""
    folder = tmp_path / "media"
    monkeypatch.setenv("MAGESEG_MEDIA_PATH", str(folder))
    return folder


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if PG_URL is None:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        asyncio.run(migrate(f"sqlite://{path}"))
        yield str(path)
        return
    name = f"mageseg_template_{uuid.uuid4().hex[:8]}"

    async def create() -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(PG_URL))
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
        await migrate(_pg_url(name))

    async def drop() -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(PG_URL))
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    asyncio.run(create())
    yield name
    asyncio.run(drop())


@pytest.fixture
async def database_url(template_database: str, tmp_path: Path) -> AsyncIterator[str]:
    if PG_URL is None:
        path = tmp_path / "test.sqlite3"
        shutil.copy(template_database, path)
        yield f"sqlite://{path}"
        return
    name = f"mageseg_test_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(_asyncpg_dsn(PG_URL))
    await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    try:
        yield _pg_url(name)
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[TortoiseContext]:
    ctx = TortoiseContext()
    async with ctx:
        await ctx.init(config=tortoise_config(database_url))
        yield ctx


@pytest.fixture
def settings(database_url: str, media_folder: Path) -> Settings:
    return Settings(
        media_path=str(media_folder),
        database_url=database_url,
        redis_url=REDIS_URL,
        cache_namespace=f"test-{uuid.uuid4().hex[:12]}",
        # Cheap hashing keeps the suite fast; production uses the Settings defaults.
        password_time_cost=1,
        password_memory_kib=1024,
        seed_on_empty=False,
    )


@pytest.fixture
def app(settings: Settings, db: TortoiseContext) -> web.Application:
    return create_app(settings, manage_database=False)


@pytest.fixture
async def client(aiohttp_client: Any, app: web.Application) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = await aiohttp_client(app)
    return client


@pytest.fixture
def services(app: web.Application) -> Any:
    return app[SERVICES]


@pytest.fixture
async def admin_token(db: TortoiseContext) -> str:
    return await auth.create_integration_token("test-admin")
