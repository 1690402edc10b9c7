"""One transaction per mutation, checked: every GraphQL mutation the suite sends through `gql`
(tests/graphql.py) to the `app` fixture is watched, and fails its test if it commits more than
once or writes outside a transaction.

How it watches (tortoise-orm 1.1.9): the commit of every transactional client class
(`TransactionalDBClient` subclasses: SQLite's and asyncpg's transaction wrappers) and the
`execute_*` methods of the plain clients are wrapped once per process. What they see is recorded
in the `Journal` of the request that caused it: a middleware opens one per request that carries
`JOURNAL_HEADER` and closes it when the handler returns, so runners woken afterwards (segment
refreshes, webhook deliveries) are not counted. A nested `in_transaction()` is a savepoint, not a
commit (asyncpg releases it through the nested wrapper's `commit`, which is not counted)."""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.asyncpg.client import TransactionWrapper as AsyncpgTransaction
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper

JOURNAL_HEADER = "X-Test-Journal"
JOURNALS = web.AppKey("test_journals", dict)
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE)\b", re.IGNORECASE)


@dataclass
class Journal:
    """What one request did to the database."""

    commits: int = 0
    outside: list[str] = field(default_factory=list)
    """Writes run in autocommit (no transaction), their SQL."""
    closed: bool = False

    def problems(self, root_fields: int = 1) -> list[str]:
        """What broke the rule; an operation selecting several mutation root fields runs each
        as its own transaction (as Magento), so it may commit once per field."""
        found = []
        if self.commits > root_fields:
            found.append(f"{self.commits} commits for {root_fields} mutation field(s)")
        found.extend(f"write outside a transaction: {sql[:160]}" for sql in self.outside)
        return found


_CURRENT: ContextVar[Journal | None] = ContextVar("test_journal", default=None)


def _open() -> Journal | None:
    journal = _CURRENT.get()
    return None if journal is None or journal.closed else journal


def _watch_commit(method: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    @functools.wraps(method)
    async def commit(self: Any, *args: Any, **kwargs: Any) -> None:
        await method(self, *args, **kwargs)
        journal = _open()
        # asyncpg releases a savepoint through `commit` on the nested wrapper, whose parent is
        # the outer transaction: only the outermost commit counts.
        nested = isinstance(getattr(self, "_parent", None), TransactionalDBClient)
        if journal is not None and not nested:
            journal.commits += 1

    return commit


def _watch_execute(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def execute(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        journal = _open()
        if (
            journal is not None
            and not isinstance(self, TransactionalDBClient)
            and _WRITE.match(query)
        ):
            journal.outside.append(query)
        return await method(self, query, *args, **kwargs)

    return execute


_EXECUTES = ("execute_insert", "execute_many", "execute_query", "execute_query_dict")
_installed = False


def install() -> None:
    """Wrap the clients' methods (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    for transactional in (SqliteTransactionWrapper, AsyncpgTransaction):
        setattr(transactional, "commit", _watch_commit(transactional.commit))  # noqa: B010
    for plain in (SqliteClient, AsyncpgDBClient):
        for name in _EXECUTES:
            if name in vars(plain):
                setattr(plain, name, _watch_execute(getattr(plain, name)))


@web.middleware
async def middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    key = request.headers.get(JOURNAL_HEADER)
    if key is None:
        return await handler(request)
    journal = Journal()
    request.app[JOURNALS][key] = journal
    token = _CURRENT.set(journal)
    try:
        return await handler(request)
    finally:
        journal.closed = True
        _CURRENT.reset(token)


def watch(app: web.Application) -> None:
    """Journal the requests of `app` that ask for it (call before the app starts)."""
    install()
    app[JOURNALS] = {}
    app.middlewares.append(middleware)
