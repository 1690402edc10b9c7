"""Tortoise configuration and the migrate step that server start-up and `mageseg migrate` share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as run_migrations

from mageseg.settings import DEFAULT_DATABASE_URL

MODEL_MODULES = ["models"]


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def ensure_sqlite_directory(database_url: str) -> None:
    """SQLite creates the file but not its folder (`var/` on a fresh clone)."""
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        Path(database_url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)


async def migrate(database_url: str) -> None:
    """Apply every pending migration. Migrations only add; none drops data."""
    ensure_sqlite_directory(database_url)
    config = tortoise_config(database_url)
    # As tortoise's own CLI does: a context of its own, so its connections close on exit.
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        await run_migrations(config=config)


# Read by tortoise's own CLI (`tortoise makemigrations`), see [tool.tortoise] in pyproject.toml.
TORTOISE_ORM = tortoise_config(DEFAULT_DATABASE_URL)
