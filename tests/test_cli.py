"""The `mageseg` command line, run as a user runs it: in its own process."""

from __future__ import annotations

import asyncio
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise.exceptions import DBConnectionError

from engine import auth
from engine.errors import AuthenticationFailed
from graph.schema import schema_sdl
from mageseg import preflight
from mageseg.cli import demo_admin_token, demo_token_file
from mageseg.settings import DEFAULT_DATABASE_URL, Settings
from tests.conftest import PG_URL
from tests.factories import make_customer

ROOT = Path(__file__).resolve().parent.parent


def mageseg(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mageseg.cli", *args],
        capture_output=True,
        text=True,
        # Generous: migrating a new database from scratch took over 120 s on a busy shared machine.
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


async def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(mageseg, *args, env=env, cwd=cwd)


async def test_admin_token_create_list_revoke(database_url: str, db: Any) -> None:
    created = await run("admin-token", "create", "erp", "--database-url", database_url)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert (await auth.authenticate(token)).kind is auth.ViewerKind.ADMIN

    listed = await run("admin-token", "list", "--database-url", database_url)
    assert listed.stdout.startswith("erp\tactive tokens: 1\tcreated ")

    duplicate = await run("admin-token", "create", "erp", "--database-url", database_url)
    assert duplicate.returncode == 1
    assert duplicate.stderr.splitlines()[-1] == 'error: Integration "erp" already exists.'

    revoked = await run("admin-token", "revoke", "erp", "--database-url", database_url)
    assert revoked.stdout.strip() == "Revoked 1 token(s) of integration 'erp'."
    try:
        await auth.authenticate(token)
    except AuthenticationFailed:
        pass
    else:
        raise AssertionError("a revoked integration token must not authenticate")


async def test_admin_token_needs_a_name() -> None:
    result = await run("admin-token", "create")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: admin-token create|revoke needs a NAME"


async def test_export_schema_writes_the_sdl(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = await run("export-schema", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == schema_sdl()


async def test_migrate_creates_and_upgrades_a_database(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/new/mageseg.sqlite3"
    first = await run("migrate", "--database-url", url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"Database at {url} is up to date."
    again = await run("migrate", "--database-url", url)
    assert again.returncode == 0, again.stderr


def test_the_default_database_is_the_projects_var_whatever_the_directory() -> None:
    assert DEFAULT_DATABASE_URL.removeprefix("sqlite://") == str(ROOT / "var" / "mageseg.sqlite3")
    assert Settings.from_env({}).database_url == DEFAULT_DATABASE_URL
    assert Settings.from_env({}).var_dir == str(ROOT / "var")


async def test_every_database_command_says_which_database(database_url: str) -> None:
    result = await run("migrate", "--database-url", database_url)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"Database: {preflight.describe_database(database_url)}"
    )
    # A relative SQLite path is shown resolved: no guessing which file a command used.
    assert preflight.describe_database("sqlite://here.sqlite3") == (
        f"SQLite {Path.cwd() / 'here.sqlite3'}"
    )
    assert preflight.describe_database("postgres://shop:secret@db.internal:6543/live") == (
        "PostgreSQL live on db.internal:6543 as shop"
    )


async def test_commands_with_nothing_to_do_say_so(database_url: str) -> None:
    refreshed = await run("refresh", "--all", "--database-url", database_url)
    assert refreshed.returncode == 0, refreshed.stderr
    assert refreshed.stdout == "Nothing to refresh: no segment has stored members.\n"
    worked = await run("worker", "--once", "--database-url", database_url)
    assert worked.returncode == 0, worked.stderr
    assert worked.stdout == (
        "Worker pass done: 0 queued refresh(es) (0 failed), 0 website day(s) re-evaluated, "
        "0 reward earning(s) expired, 0 webhook delivery attempt(s).\n"
    )
    assert "\r" not in refreshed.stderr + worked.stderr  # no progress bar off a terminal


async def test_seed_refuses_to_append_without_append(database_url: str, db: Any) -> None:
    await make_customer()
    refused = await run("seed", "--size", "3", "--database-url", database_url)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.splitlines()[-1] == (
        "error: the database already holds 1 customers; add --append to add 3 more, or point "
        "--database-url at an empty database"
    )


async def test_the_demo_admin_token_survives_restarts(
    settings: Settings, tmp_path: Path, db: Any
) -> None:
    settings = Settings(**{**settings.__dict__, "var_dir": str(tmp_path / "var")})
    first = await demo_admin_token(settings)
    path = demo_token_file(settings)
    assert path.read_text(encoding="utf-8") == first + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert await demo_admin_token(settings) == first  # the next start
    assert (await auth.authenticate(first)).kind is auth.ViewerKind.ADMIN
    await auth.revoke_integration("demo")  # someone revoked it: a new one, saved
    second = await demo_admin_token(settings)
    assert second != first
    assert path.read_text(encoding="utf-8") == second + "\n"
    assert (await auth.authenticate(second)).kind is auth.ViewerKind.ADMIN


async def test_an_unreachable_redis_is_one_line(database_url: str) -> None:
    result = await run(
        "migrate",
        "--database-url",
        database_url,
        env={"MAGESEG_REDIS_URL": "redis://127.0.0.1:1/0"},
    )
    # migrate needs no cache; a command that does refuses in one line.
    assert result.returncode == 0, result.stderr
    refused = await run(
        "refresh", "--all", "--database-url", database_url,
        env={"MAGESEG_REDIS_URL": "redis://127.0.0.1:1/0"},
    )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1] == (
        "error: cannot reach Redis at redis://127.0.0.1:1/0 (ConnectionError); start it, fix "
        "MAGESEG_REDIS_URL / --redis-url, or unset it to use the in-process cache"
    )


async def test_a_port_in_use_is_one_line(database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = await run("serve", "--port", str(port), "--database-url", database_url)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"error: 127.0.0.1:{port} is in use (another mageseg?); stop what listens there, or "
        "choose another port with --port or MAGESEG_PORT"
    )


def test_a_missing_postgresql_database_says_createdb() -> None:
    url = "postgres://postgres@127.0.0.1:5432/shop"
    try:
        try:
            raise asyncpg.InvalidCatalogNameError('database "shop" does not exist')
        except asyncpg.InvalidCatalogNameError as cause:
            raise DBConnectionError("Can't establish connection to database shop") from cause
    except DBConnectionError as error:
        advice = preflight.explain(error, url, None)
    assert advice == (
        "error: the PostgreSQL database 'shop' does not exist; create it with: "
        "createdb -h 127.0.0.1 -p 5432 -U postgres shop"
    )
    refused = preflight.explain(ConnectionRefusedError(111, "refused"), url, None)
    assert refused == (
        "error: cannot reach PostgreSQL shop on 127.0.0.1:5432 as postgres: is PostgreSQL "
        "running there? Start it, or fix MAGESEG_DATABASE_URL / --database-url"
    )
    assert preflight.explain(ValueError("a bug"), url, None) is None


@pytest.mark.skipif(PG_URL is None, reason="needs the PostgreSQL test server")
async def test_a_missing_postgresql_database_end_to_end() -> None:
    assert PG_URL is not None
    url = PG_URL.rpartition("/")[0] + "/mageseg_no_such_database"
    result = await run("migrate", "--database-url", url)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(
        "error: the PostgreSQL database 'mageseg_no_such_database' does not exist; create it "
        "with: createdb -h "
    )


def test_a_too_old_python_is_one_line(tmp_path: Path) -> None:
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\necho 3.9\n", encoding="utf-8")
    old.chmod(0o755)
    result = subprocess.run(
        ["make", "-s", f"VENV={tmp_path / 'venv'}", f"PYTHON={old}", f"{tmp_path}/venv/bin/python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == (
        f"error: mageseg needs Python 3.11 or newer, '{old}' is 3.9; run make "
        "PYTHON=python3.12 (any 3.11+ interpreter)"
    )
    assert not (tmp_path / "venv").exists()
