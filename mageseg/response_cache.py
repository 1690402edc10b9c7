"""The full-response cache for hot storefront queries: a repeated `customerSegments` (or
`storeConfig`) answers from the cache without parsing or executing GraphQL at all.

Key: a hash of the raw request body (query text, variables, operation name) with the headers that
change an answer (`Store`, `Authorization`, `X-Magento-Visitor`). A response is kept only when the
operation was a query selecting nothing but `CACHEABLE_FIELDS`, succeeded (no errors, HTTP 200,
no headers set by a resolver), wrote nothing and read each versioned scope at a single version.
It is stored with the scopes and versions the resolvers recorded (`invalidation.read`/`record`)
*before* reading their data, and is valid while every one of those versions is unchanged, until
the earliest `valid_until` the resolvers noted (local midnight) and until the caller's token
expires. The token is checked again after the versions were taken, so a token revoked before that
is never cached, and one revoked after bumps `CUSTOMER:id` (`auth.revoke_token`).

A hit is one round trip. Each process keeps a near copy of the entries it stored or read
lately (`LOCAL_ENTRIES`, least recently used dropped): for those, one MGET of the current
versions of the entry's scopes decides, and the entry is neither fetched nor unpickled. The copy
is only ever trusted with versions fetched for that request, as the shared entry is, so a write
(a bump) or an outage (the epoch) in any process makes it miss. When the near copy is out of
date, another process may have stored a newer entry: then the shared entry is read, with the
current versions of the scopes the process remembers for the key, in one MGET. A process that
has not seen the key yet reads the entry first and then its versions (two round trips), and
remembers."""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import NamedTuple

from engine.auth import ViewerKind
from engine.cache import DEFAULT_TTL_SECONDS, Cache, Family, Scope, family_scope
from engine.clock import Clock
from engine.invalidation import Topic, Tracker
from graph.context import Context
from models import OauthToken

HEADER = "X-Mageseg-Cache"
# Root fields whose answer is a function of the versioned scopes their resolvers record.
CACHEABLE_FIELDS = frozenset({"customerSegments", "storeConfig", "__typename"})
# Request headers that change an answer.
KEY_HEADERS = ("Store", "Authorization", "X-Magento-Visitor")
ENTRY_FIELDS = 7
# How many keys a process remembers the scopes of.
LOCAL_KEYS = 100_000
# How many entries a process keeps a near copy of (a customerSegments answer is a few hundred
# bytes; storeConfig's a few kilobytes).
LOCAL_ENTRIES = 20_000


# A cached response, stored as a plain tuple (it unpickles in a third of a dataclass's time):
# (scopes, their versions, body, valid_until, token_expires_at, operation_name, cache_id).
# `cache_id`: the caller's `X-Magento-Cache-Id` (mageseg/http_cache.py), computed inside the
# operation so that its reads (the caller's segments) are among the scopes. `valid_until`:
# seconds since the
# epoch, by the services' clock, after which the answer is no longer right (a relative date at
# local midnight), or None. `token_expires_at`: seconds since the epoch, by the system clock (as
# `auth.authenticate`), when the caller's token expires, or None. `operation_name`: what the
# request that stored it named its operation (for the metrics of hits), or None.
Entry = tuple[
    tuple[Scope, ...], tuple[int, ...], bytes, float | None, float | None, str | None, str | None
]


class Hit(NamedTuple):
    body: bytes
    operation_name: str | None
    cache_id: str | None


def response_key(body: bytes, headers: Mapping[str, str]) -> str:
    digest = hashlib.blake2b(body, digest_size=20)
    for name in KEY_HEADERS:
        digest.update(b"\0" + (headers.get(name) or "").encode())
    return digest.hexdigest()


class ResponseCache:
    def __init__(self, cache: Cache, clock: Clock, *, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        self.cache = cache
        self.clock = clock
        self.ttl = ttl
        self._scopes: OrderedDict[str, tuple[Scope, ...]] = OrderedDict()
        # Near copies: key -> (the entry as stored, validated by versions on every use; when the
        # copy is dropped, by `time.monotonic()`: the TTL after this process stored or read it, so
        # a copy read from Redis may outlive the shared entry by up to one TTL. Versions decide
        # freshness; the entry's own `valid_until` and token expiry are checked on every use).
        self._entries: OrderedDict[str, tuple[Entry, float]] = OrderedDict()

    def _remember(self, key: str, scopes: tuple[Scope, ...]) -> None:
        self._scopes[key] = scopes
        if len(self._scopes) > LOCAL_KEYS:
            self._scopes.popitem(last=False)

    def _keep(self, key: str, entry: Entry, ttl: float) -> None:
        self._entries[key] = (entry, time.monotonic() + ttl)
        self._entries.move_to_end(key)
        if len(self._entries) > LOCAL_ENTRIES:
            self._entries.popitem(last=False)

    async def lookup(self, key: str) -> Hit | None:
        """The cached answer for `key` when it is still valid, else None."""
        kept = self._entries.get(key)
        if kept is not None:
            near, until = kept
            if time.monotonic() < until and await self.cache.versions(near[0]) == near[1]:
                self._entries.move_to_end(key)
                return self._usable(near)
            # Out of date here; another process may have stored a newer one.
            self._entries.pop(key, None)
        scopes = self._scopes.get(key)
        found, versions = await self.cache.get_checked(f"response:{key}", scopes or ())
        if type(found) is not tuple or len(found) != ENTRY_FIELDS:
            return None  # absent, or stored by another release
        entry: Entry = found
        if scopes is None or scopes != entry[0]:
            versions = await self.cache.versions(entry[0])
        if versions != entry[1]:
            return None
        if scopes is None:
            self._remember(key, entry[0])
        self._keep(key, entry, self.ttl)
        return self._usable(entry)

    def _usable(self, entry: Entry) -> Hit | None:
        """The entry's answer unless it expired (local midnight, the caller's token)."""
        _, _, body, valid_until, token_expires_at, name, cache_id = entry
        if valid_until is not None and self.clock.now().timestamp() >= valid_until:
            return None
        if token_expires_at is not None and time.time() >= token_expires_at:
            return None
        return Hit(body, name, cache_id)

    async def store(
        self,
        key: str,
        tracker: Tracker,
        context: Context,
        status: int,
        body: bytes,
        cache_id: str | None = None,
    ) -> bool:
        """Keep the response when everything says it may be; returns whether it was kept."""
        if not self._cacheable(tracker, status):
            return False
        token_expires_at: float | None = None
        if context.bearer is not None:
            try:
                viewer = await context.viewer()
            except Exception:  # a refused token answered with an error; nothing to keep
                return False
            if viewer.kind is not ViewerKind.CUSTOMER or viewer.token_id is None:
                return False
            scope = (Topic.CUSTOMER.value, str(viewer.customer_id))
            if scope not in tracker.reads:
                (version,) = await self.cache.versions([scope])
                tracker.reads[scope] = version
            token = await OauthToken.get_or_none(entity_id=viewer.token_id, revoked=False)
            if token is None:
                return False
            if token.expires_at is not None:
                token_expires_at = _aware(token.expires_at).timestamp()
        if family_scope(Family.STORES) not in tracker.reads:
            return False  # every storefront answer reads the store views; be safe
        scopes = tuple(sorted(tracker.reads))
        versions = tuple(tracker.reads[s] for s in scopes)
        if min(versions) <= 0:  # versions of a cache outage
            return False
        ttl = self.ttl
        valid_until = None if tracker.valid_until is None else tracker.valid_until.timestamp()
        if valid_until is not None:
            ttl = min(ttl, valid_until - self.clock.now().timestamp())
        if token_expires_at is not None:
            ttl = min(ttl, token_expires_at - time.time())
        if ttl <= 0:
            return False
        entry: Entry = (
            scopes,
            versions,
            body,
            valid_until,
            token_expires_at,
            context.operation_name,
            cache_id,
        )
        await self.cache.put(f"response:{key}", entry, ttl=max(1, math.ceil(ttl)))
        self._remember(key, scopes)
        self._keep(key, entry, ttl)
        return True

    @staticmethod
    def _cacheable(tracker: Tracker, status: int) -> bool:
        return (
            status == 200
            and tracker.query_fields is not None
            and tracker.query_fields <= CACHEABLE_FIELDS
            and not tracker.failed
            and not tracker.unstable
            and not tracker.touched
            and not tracker.callbacks
            and bool(tracker.reads)
        )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
