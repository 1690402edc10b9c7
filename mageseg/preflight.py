"""Setup problems a newcomer meets first (no database, no Redis, a busy port), each said in one
line with what to do, instead of a traceback; and the one-line description of the database a
command works on."""

from __future__ import annotations

import asyncio
import errno
import socket
from urllib.parse import urlsplit

import asyncpg  # type: ignore[import-untyped]
from redis import asyncio as aioredis
from redis.exceptions import RedisError

from engine.mail.transports import MailUrlInvalid
from mageseg.settings import sqlite_path


class SetupError(Exception):
    """Something outside mageseg is missing or busy; the message says what to do, in one line."""


def describe_database(database_url: str) -> str:
    """`SQLite /abs/path/mageseg.sqlite3` or `PostgreSQL db on host:port as user` (no password)."""
    path = sqlite_path(database_url)
    if path is not None:
        return f"SQLite {path}"
    parts = urlsplit(database_url)
    user = f" as {parts.username}" if parts.username else ""
    return f"PostgreSQL {parts.path.lstrip('/')} on {parts.hostname}:{parts.port or 5432}{user}"


def _createdb_command(database_url: str) -> str:
    parts = urlsplit(database_url)
    user = f" -U {parts.username}" if parts.username else ""
    name = parts.path.lstrip("/")
    return f"createdb -h {parts.hostname} -p {parts.port or 5432}{user} {name}"


def explain(error: BaseException, database_url: str, redis_url: str | None) -> str | None:
    """The one-line advice for a setup failure somewhere in `error`'s chain, or None when it is
    not one (a bug: let the traceback through)."""
    seen: set[int] = set()
    current: BaseException | None = error
    postgres = sqlite_path(database_url) is None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SetupError):
            return str(current)
        if isinstance(current, MailUrlInvalid):
            return f"error: MAGESEG_MAIL_URL: {current}"
        if isinstance(current, asyncpg.InvalidCatalogNameError):
            return (
                f"error: the PostgreSQL database {urlsplit(database_url).path.lstrip('/')!r} "
                f"does not exist; create it with: {_createdb_command(database_url)}"
            )
        if isinstance(current, asyncpg.InvalidPasswordError):
            return (
                f"error: PostgreSQL refused the user or password of MAGESEG_DATABASE_URL "
                f"({describe_database(database_url)}): {current}"
            )
        if postgres and isinstance(current, OSError) and _refused(current):
            return (
                f"error: cannot reach {describe_database(database_url)}: is PostgreSQL running "
                "there? Start it, or fix MAGESEG_DATABASE_URL / --database-url"
            )
        current = current.__cause__ or current.__context__
    return None


def _refused(error: OSError) -> bool:
    return isinstance(error, ConnectionRefusedError | socket.gaierror | TimeoutError) or (
        error.errno in {errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH}
    )


async def check_redis(redis_url: str | None) -> None:
    """Refuse to start on a Redis that does not answer: at run time an outage is survived (the
    cache gives up and answers come from the database), but at start it is a setting to fix."""
    if redis_url is None:
        return
    client = aioredis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
    try:
        async with asyncio.timeout(3):
            await client.ping()
    except (RedisError, OSError, TimeoutError) as error:
        raise SetupError(
            f"error: cannot reach Redis at {redis_url} ({type(error).__name__}); start it, fix "
            "MAGESEG_REDIS_URL / --redis-url, or unset it to use the in-process cache"
        ) from error
    finally:
        await client.aclose()


def check_port(host: str, port: int) -> None:
    """Fail before the slow start-up (migrations, seed) when the port is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise SetupError(
            f"error: cannot resolve the host {host!r} to listen on: {error}"
        ) from error
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise port_in_use(host, port, error) from error


def port_in_use(host: str, port: int, error: OSError) -> SetupError:
    reason = "is in use (another mageseg?)" if error.errno == errno.EADDRINUSE else str(error)
    return SetupError(
        f"error: {host}:{port} {reason}; stop what listens there, or choose another port "
        "with --port or MAGESEG_PORT"
    )
