"""What one operation changed, announced after its transaction commits.

Engine code that writes data a cached answer may have read calls `touch(topic, key)`; code that must
run once the write is visible to other processes registers `after_commit(callback)`. The wiring
(the GraphQL operation, a CLI command, a background runner) opens `tracking(cache)` around the
work: when the block ends, every touched version is bumped in the shared cache and the callbacks
run. Bumping only after commit is what makes versioned keys safe: a reader that saw the old version
read the old data, and a reader that sees the new version reads committed data.

The other half is for readers: code whose result a cached answer depends on calls `read(topic,
key)` (or `record` with versions it fetched itself) *before* reading the data. The versions are
kept in the tracker, so the full-response cache can store the answer with exactly the versions the
data was read at; a version read before the data can only be older than the data, never newer."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
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
    # Price rules and prices by group: cart rules, coupons and labels, catalog rules and their
    # index, tier prices, category permissions and dynamic blocks.
    PROMOTIONS = "promotions"
    # Product relations: manual product links and related product rules with their index.
    RELATIONS = "relations"


Scope = tuple[str, str]
AfterCommit = Callable[[], Awaitable[None]]


@dataclass
class Tracker:
    cache: Cache
    touched: set[tuple[Topic, str]] = field(default_factory=set)
    callbacks: list[AfterCommit] = field(default_factory=list)
    # What the operation read, at which version (see `read`).
    reads: dict[Scope, int] = field(default_factory=dict)
    # A scope was read at two different versions: the data changed while it was being read.
    unstable: bool = False
    # Set by the GraphQL wiring: the root fields of the query that ran (None for a mutation, a
    # subscription or a document that did not parse), and whether the result had errors.
    query_fields: frozenset[str] | None = None
    failed: bool = False
    # The earliest instant at which something the operation read stops being true with no write
    # at all (a relative date at local midnight); see `expires`.
    valid_until: datetime | None = None


_current: ContextVar[Tracker | None] = ContextVar("mageseg_invalidation", default=None)


def touch(topic: Topic, key: object = "") -> None:
    """Mark `topic`/`key` changed; its version is bumped when the tracking block ends. Outside
    any tracking block (a unit test calling the engine directly) there is nothing to bump."""
    tracker = _current.get()
    if tracker is not None:
        tracker.touched.add((topic, str(key)))


def after_commit(callback: AfterCommit) -> None:
    """Run `callback` when the tracking block ends (after every transaction in it committed).
    A callback registered twice in one block runs once."""
    tracker = _current.get()
    if tracker is not None and callback not in tracker.callbacks:
        tracker.callbacks.append(callback)


def record(scopes: Sequence[Scope], versions: Sequence[int]) -> None:
    """Note that data of `scopes` is about to be read, the cache holding `versions` for them."""
    tracker = _current.get()
    if tracker is None:
        return
    for scope, version in zip(scopes, versions, strict=True):
        seen = tracker.reads.setdefault(scope, version)
        if seen != version:
            tracker.unstable = True


async def read(*scopes: tuple[Topic, object]) -> tuple[int, ...]:
    """Fetch (one round trip) and record the versions of `scopes`; call it before reading their
    data. Returns the versions, for the caller's own keys; () outside any tracking block."""
    tracker = _current.get()
    if tracker is None:
        return ()
    keys = [(str(topic), str(key)) for topic, key in scopes]
    versions = await tracker.cache.versions(keys)
    record(keys, versions)
    return versions


def expires(at: datetime) -> None:
    """Note that what is being read is only right until `at` (an aware instant)."""
    tracker = _current.get()
    if tracker is not None and (tracker.valid_until is None or at < tracker.valid_until):
        tracker.valid_until = at


def current_tracker() -> Tracker | None:
    """The enclosing tracking block's tracker, for the wiring."""
    return _current.get()


def current_cache() -> Cache | None:
    """The cache of the enclosing tracking block, for engine code that memoizes by version."""
    tracker = _current.get()
    return None if tracker is None else tracker.cache


@asynccontextmanager
async def tracking(cache: Cache, *, join: bool = True) -> AsyncIterator[Tracker]:
    """Collect touches and callbacks; a nested block joins the outer one unless `join` is False
    (a background loop started from a tracked command flushes each pass itself)."""
    outer = _current.get()
    if outer is not None and join:
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
