"""What one operation changed, announced after its transaction commits.

Engine code that writes data a cached answer may have read calls `touch(topic, key)`; code that must
run once the write is visible to other processes registers `after_commit(callback)`. The wiring
(the GraphQL operation, a CLI command, a background runner) opens `tracking(cache)` around the
work: when the block ends, every touched version is bumped in the shared cache and the callbacks
run. Bumping only after commit is what makes versioned keys safe: a reader that saw the old version
read the old data, and a reader that sees the new version reads committed data."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum

from engine.cache import Cache

log = logging.getLogger(__name__)


class Topic(StrEnum):
    """What a version counts changes of."""

    # Anything of one registered customer that segment conditions or storefront answers read:
    # the account, addresses, newsletter, store credit, carts, wish lists, views, orders, tokens.
    CUSTOMER = "customer"
    # One cart (guest or customer), by quote id.
    QUOTE = "quote"
    # One guest visitor's views, by visitor id.
    VISITOR = "visitor"
    # Segment definitions and their websites, and shared data conditions read (catalog, config).
    SEGMENTS = "segments"


AfterCommit = Callable[[], Awaitable[None]]


@dataclass
class Tracker:
    cache: Cache
    touched: set[tuple[Topic, str]] = field(default_factory=set)
    callbacks: list[AfterCommit] = field(default_factory=list)


_current: ContextVar[Tracker | None] = ContextVar("mageseg_invalidation", default=None)


def touch(topic: Topic, key: object = "") -> None:
    """Mark `topic`/`key` changed; its version is bumped when the tracking block ends. Outside
    any tracking block (a unit test calling the engine directly) there is nothing to bump."""
    tracker = _current.get()
    if tracker is not None:
        tracker.touched.add((topic, str(key)))


def after_commit(callback: AfterCommit) -> None:
    """Run `callback` when the tracking block ends (after every transaction in it committed)."""
    tracker = _current.get()
    if tracker is not None:
        tracker.callbacks.append(callback)


def current_cache() -> Cache | None:
    """The cache of the enclosing tracking block, for engine code that memoizes by version."""
    tracker = _current.get()
    return None if tracker is None else tracker.cache


@asynccontextmanager
async def tracking(cache: Cache) -> AsyncIterator[Tracker]:
    """Collect touches and callbacks; a nested block joins the outer one."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    tracker = Tracker(cache)
    token = _current.set(tracker)
    try:
        yield tracker
    finally:
        _current.reset(token)
        await flush(tracker)


async def flush(tracker: Tracker) -> None:
    touched, tracker.touched = tracker.touched, set()
    callbacks, tracker.callbacks = tracker.callbacks, []
    if touched:
        await tracker.cache.bump_versions(sorted(touched))
    for callback in callbacks:
        try:
            await callback()
        except Exception:  # one failing listener must not hide the others or fail the write
            log.exception("after-commit callback %r failed", callback)
