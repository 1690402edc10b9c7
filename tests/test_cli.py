"""The `mageseg` command line, run as a user runs it: in its own process."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

from engine import auth
from engine.errors import AuthenticationFailed
from graph.schema import schema_sdl


def mageseg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mageseg.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def run(*args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(mageseg, *args)


async def test_admin_token_create_list_revoke(database_url: str, db: Any) -> None:
    created = await run("admin-token", "create", "erp", "--database-url", database_url)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert (await auth.authenticate(token)).kind is auth.ViewerKind.ADMIN

    listed = await run("admin-token", "list", "--database-url", database_url)
    assert listed.stdout.startswith("erp\tactive tokens: 1\tcreated ")

    duplicate = await run("admin-token", "create", "erp", "--database-url", database_url)
    assert duplicate.returncode == 1
    assert duplicate.stderr.strip() == 'error: Integration "erp" already exists.'

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
