"""Every test gets a fresh, fully migrated database: SQLite by default, PostgreSQL when
MAGESEG_TEST_DATABASE_URL is set, with the cache in Redis when MAGESEG_TEST_REDIS_URL is set.

The schema is migrated once per session (per xdist worker) into a template (a file for SQLite, a
template database for PostgreSQL) and copied for each test, which is much faster than migrating
every time. On PostgreSQL, CREATE and DROP DATABASE cost ~0.2 s each: `PostgresDatabases` creates
the next tests' databases and drops used ones on a thread of its own while tests run.

PostgreSQL databases the suite creates are named `mageseg_test_<host>_<pid>_<random>` and
`mageseg_template_<host>_<pid>_<random>` (the pytest process that made them). A run drops its own
at the end, also when interrupted (Ctrl-C, or SIGTERM, which the suite turns into the same
interrupt); the databases of a run that could not clean up (killed with SIGKILL, machine lost) are
dropped by the next run on the same machine, which drops every such database whose process is
gone (`drop_leftover_databases`)."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import os
import re
import shutil
import signal
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from tortoise.context import TortoiseContext

from engine import auth
from graph import schema as graph_schema
from mageseg import app as app_module
from mageseg.app import SERVICES, create_app
from mageseg.database import migrate, tortoise_config
from mageseg.settings import Settings
from tests import transactions

PG_URL = os.environ.get("MAGESEG_TEST_DATABASE_URL") or None
REDIS_URL = os.environ.get("MAGESEG_TEST_REDIS_URL") or None


def _pg_url(name: str) -> str:
    assert PG_URL is not None
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{name}"


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


# Which machine made a database: process ids only mean something on the machine that gave them.
HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]
OWNED_NAME = re.compile(r"mageseg_(?:test|template)_([0-9a-f]{6})_(\d+)_[0-9a-f]+")


def _database_name(kind: str) -> str:
    """`mageseg_<kind>_<host>_<pid>_<random>`: whoever finds it can tell whether its maker lives."""
    return f"mageseg_{kind}_{HOST}_{os.getpid()}_{uuid.uuid4().hex[:10]}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


async def drop_leftover_databases(conn: asyncpg.Connection) -> list[str]:
    """Drops the test and template databases made on this machine by processes that are gone (a
    run killed before it could drop its own) and returns their names. Databases of live runs,
    of other machines and of anything else on the server are left alone."""
    names = await conn.fetch(
        "SELECT datname FROM pg_database WHERE datname LIKE 'mageseg\\_te%' ORDER BY datname"
    )
    dropped = []
    for (name,) in names:
        match = OWNED_NAME.fullmatch(name)
        if match is None or match[1] != HOST or _process_alive(int(match[2])):
            continue
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        dropped.append(name)
    return dropped


# Used test databases dropped together (one connection each): see PostgresDatabases._work.
DROP_BATCH = 8


class PostgresDatabases:
    """Copies of the template database, made `ahead` tests in advance and dropped after use on
    `threads` threads with a connection each, so a test waits for neither (done inline, the two
    statements were about half of the PostgreSQL suite's time). CREATE and DROP DATABASE wait on
    the disk (0.05 s on an idle server, seconds when others write), not on CPU; a DROP also waits
    for a checkpoint. So a thread with nothing to create drops used databases, up to DROP_BATCH
    at once (their drops share a checkpoint): with one drop at a time, drops fell hundreds behind
    the tests, and with only one thread dropping over a thousand, so the end of a run spent
    minutes on them. `waited` is the time tests spent in `take`."""

    def __init__(self, template: str, ahead: int = 3, threads: int = 2) -> None:
        self._template = template
        self._ahead = ahead
        self._ready: deque[str] = deque()
        self._creating = 0
        self._used: list[str] = []
        self._failure: BaseException | None = None
        self._closing = False
        self._changed = threading.Condition()
        self.waited = 0.0
        self._threads = [
            threading.Thread(target=asyncio.run, args=(self._work(),), daemon=True)
            for _ in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def take(self) -> str:
        started = time.monotonic()
        with self._changed:
            while not self._ready and self._failure is None:
                self._changed.wait()
            self.waited += time.monotonic() - started
            if self._failure is not None:
                raise RuntimeError("creating a test database failed") from self._failure
            name = self._ready.popleft()
            self._changed.notify_all()
            return name

    def give_back(self, name: str) -> None:
        with self._changed:
            self._used.append(name)
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        for thread in self._threads:
            thread.join()
        if self._failure is not None:
            raise RuntimeError("a test database could not be created or dropped") from self._failure

    def _next_step(self) -> tuple[str, list[str]] | None:
        """What to do next: keep `ahead` databases ready first, then drop up to DROP_BATCH used
        ones at once; None when closing."""
        with self._changed:
            while True:
                if self._closing:
                    return None
                if len(self._ready) + self._creating < self._ahead and self._failure is None:
                    self._creating += 1
                    return "create", [_database_name("test")]
                if self._used:
                    batch = self._used[-DROP_BATCH:]
                    del self._used[-DROP_BATCH:]
                    return "drop", batch
                self._changed.wait()

    async def _work(self) -> None:
        assert PG_URL is not None
        pool = await asyncpg.create_pool(_asyncpg_dsn(PG_URL), min_size=1, max_size=DROP_BATCH)

        async def drop(names: list[str]) -> None:
            # Each DROP DATABASE waits for a checkpoint (seconds while the disk is busy); drops
            # sent together share one, so a batch costs about what one drop does.
            async def one(name: str) -> None:
                async with pool.acquire() as conn:
                    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

            await asyncio.gather(*(one(name) for name in names))

        try:
            while (step := self._next_step()) is not None:
                action, names = step
                try:
                    if action == "create":
                        (name,) = names
                        async with pool.acquire() as conn:
                            await conn.execute(
                                f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"'
                            )
                            # A test's commits need not wait for the disk: it is thrown away.
                            await conn.execute(
                                f'ALTER DATABASE "{name}" SET synchronous_commit = off'
                            )
                    else:
                        await drop(names)
                except Exception as failure:  # reported to the waiting test, then at close
                    with self._changed:
                        self._failure = failure
                        self._creating -= action == "create"
                        self._changed.notify_all()
                    continue
                if action == "create":
                    with self._changed:
                        self._creating -= 1
                        self._ready.extend(names)
                        self._changed.notify_all()
            with self._changed:  # each thread takes its share: every name is dropped once
                leftovers = [*self._ready, *self._used]
                self._ready.clear()
                self._used.clear()
            for start in range(0, len(leftovers), DROP_BATCH):
                await drop(leftovers[start : start + DROP_BATCH])
        finally:
            await pool.close()


@pytest.fixture(scope="session", autouse=True)
def shared_schemas() -> Iterator[None]:
    """`create_app` builds the strawberry schema, ~0.1 s of CPU per test (the largest per-test cost
    once the database is copied): apps of one process share the schema built for the same limits.
    A schema holds no state of an app or a request (strawberry makes extensions per operation),
    as in production, where a process builds it once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_module, "build_schema", functools.cache(graph_schema.build_schema))
        yield


@pytest.fixture(autouse=True)
def media_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Media files (the demo seed's images, uploads) go to the test's own folder."""
    folder = tmp_path / "media"
    monkeypatch.setenv("MAGESEG_MEDIA_PATH", str(folder))
    return folder


@pytest.fixture(autouse=True)
def mail_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """E-mails (welcome, password reset, ...) go to the test's own folder mailbox."""
    folder = tmp_path / "mail"
    monkeypatch.setenv("MAGESEG_MAIL_URL", f"folder://{folder}")
    return folder


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if PG_URL is None:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        asyncio.run(migrate(f"sqlite://{path}"))
        yield str(path)
        return
    name = _database_name("template")

    async def create() -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(PG_URL))
        await drop_leftover_databases(conn)
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


@pytest.fixture(scope="session")
def postgres_databases(template_database: str) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(template_database)
    yield databases
    databases.close()


@pytest.fixture
async def database_url(template_database: str, tmp_path: Path, request: Any) -> AsyncIterator[str]:
    if PG_URL is None:
        path = tmp_path / "test.sqlite3"
        shutil.copy(template_database, path)
        yield f"sqlite://{path}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    name = databases.take()
    try:
        yield _pg_url(name)
    finally:
        databases.give_back(name)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[TortoiseContext]:
    ctx = TortoiseContext()
    async with ctx:
        await ctx.init(config=tortoise_config(database_url))
        yield ctx


@pytest.fixture
def settings(database_url: str, media_folder: Path, mail_folder: Path) -> Settings:
    return Settings(
        media_path=str(media_folder),
        mail_url=f"folder://{mail_folder}",
        database_url=database_url,
        redis_url=REDIS_URL,
        cache_namespace=f"test-{uuid.uuid4().hex[:12]}",
        # Cheap hashing keeps the suite fast; production uses the Settings defaults.
        password_time_cost=1,
        password_memory_kib=1024,
        seed_on_empty=False,
        # A deployment sets its own; without one, the first start writes a generated salt into
        # core_config_data (tests/test_cache_id.py checks that path), which tests counting
        # configuration rows would see.
        cache_id_salt="test-cache-id-salt",
    )


@pytest.fixture
def app(settings: Settings, db: TortoiseContext) -> web.Application:
    app = create_app(settings, manage_database=False)
    transactions.watch(app)  # every mutation through `gql`: one transaction (tests/transactions)
    return app


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


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    """SIGTERM (a CI job cancelled, `timeout`, `kill`) interrupts the run like Ctrl-C does, so that
    session fixtures still drop the run's PostgreSQL databases; by default it would end the
    process at once and leave them behind."""
    if PG_URL is not None and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """With MAGESEG_TEST_MUTATIONS_SEEN=<dir>, each process writes the mutations it checked for
    one transaction there (tests/transactions.py); DEVELOPERS.md compares them with the schema."""
    target = os.environ.get("MAGESEG_TEST_MUTATIONS_SEEN")
    if target:
        from tests.graphql import CHECKED

        Path(target).mkdir(parents=True, exist_ok=True)
        (Path(target) / f"{os.getpid()}.txt").write_text("".join(f"{m}\n" for m in CHECKED))
