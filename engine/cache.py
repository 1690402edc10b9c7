"""The one shared cache: aiocache, in memory by default, Redis when several processes serve.

Keys are built here and nowhere else. Invalidation is by versions kept in the cache itself: a
*scope* (`("customer", "42")`, `("family", "stores")`) has a counter; a cached value is stored with
(or under) the versions of the scopes it was computed from, and bumping a counter makes every such
value unreachable, in every process sharing the backend. Values must be immutable (frozen
dataclasses, tuples), because the memory backend hands back the very object it stored. A cached
`None` is wrapped in a 1-tuple so it is not a miss.

Versions as callers see them are opaque integers that fold in a global *epoch*: equal means
"nothing changed", nothing else may be read into them. The epoch exists for outages. When Redis
cannot be reached every operation degrades instead of failing (a read is a miss, a write or a bump
is skipped) after a short timeout, and for a second after a failure Redis is not tried at all, so
answers come from the database, slower but right. A bump that was skipped would leave stale entries
reachable once Redis is back, in every process: one process cannot know what another wrote while
neither could reach Redis. So every process that saw an outage (any failed call) bumps the epoch
before its first operation once Redis answers again, and drops its in-process memos: every key of
every scope changes at once, whichever process made the writes. `watch` runs in each server
process and touches Redis every half second, so an idle process sees an outage too (it would
otherwise trust the old entries on its first request after it) and a process that lost bumps
makes them up within a second of Redis answering, even with no traffic. While Redis is away
`versions` returns fresh negative numbers on every call, which match nothing, so in-process memos
keyed by versions miss too. If Redis loses its data the epoch is re-created from the clock, with
the same effect: versions only grow."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from itertools import count
from typing import Any, TypeVar, cast

from aiocache import Cache as CacheFactory
from aiocache.serializers import NullSerializer, PickleSerializer

from engine.metrics import metrics

T = TypeVar("T")

log = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 300
# How long one cache operation may take before it counts as an outage.
DEFAULT_TIMEOUT_SECONDS = 0.5
# Redis connections per process; waiting for a free one counts against the timeout.
POOL_SIZE = 256
# Connections of the batched reads' own client (one MGET is in flight at a time; a spare for a
# connection being closed after a failure).
BATCHED_CONNECTIONS = 4
# After a failure, how long to answer from the database without trying Redis again.
RETRY_AFTER_SECONDS = 1.0
# How often `watch` touches the backend, so an idle process notices an outage.
WATCH_EVERY_SECONDS = 0.5
# How many scopes' version keys a process keeps built.
VERSION_KEYS = 100_000
# A version is `epoch * EPOCH_FACTOR + counter`.
EPOCH_FACTOR = 1 << 40

Scope = tuple[str, str]


class Family(StrEnum):
    """A group of keys invalidated together (a scope `("family", name)`)."""

    STORES = "stores"


def family_scope(family: Family) -> Scope:
    return ("family", family.value)


def _raw(value: Any) -> Any:
    return value


class Batched:
    """Automatic batching of MGETs over a redis-py client: the MGETs that concurrent requests
    issue go out as ONE MGET of the union of their keys (one connection checkout, one command to
    pack and one reply to parse) instead of one round trip each. One MGET is in flight at a time:
    the MGETs asked for meanwhile wait for it to come back and leave together as the next one
    (as auto-pipelining clients do), and a lone MGET waits for nothing but the rest of the
    current turn of the event loop. Under load most cache hits arrive together and ask mostly the
    same keys (the epoch, the stores and segments versions, a hot caller's entry), so the per-hit
    cost of the client (pool, timeouts, socket calls, command packing and reply parsing) is
    shared by all of them. Each caller gets its own keys' values, in its order. A failure of the
    MGET fails every caller in it (each then degrades as for any backend failure)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._waiting: list[tuple[list[str], asyncio.Future[list[Any]]]] = []
        # The MGET in flight (None when none is).
        self._flight: asyncio.Task[None] | None = None

    async def mget(self, keys: list[str]) -> list[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[Any]] = loop.create_future()
        if self._flight is not None and self._flight.get_loop() is not loop:
            self._flight = None  # left behind by a loop that ended (tests run several)
            self._waiting = [(k, f) for k, f in self._waiting if f.get_loop() is loop]
        self._waiting.append((keys, future))
        if len(self._waiting) == 1 and self._flight is None:
            loop.call_soon(self._send)
        return await future

    def _send(self) -> None:
        if self._flight is not None:
            return  # the MGET in flight sends the waiting ones when it is back
        batch, self._waiting = self._waiting, []
        batch = [(keys, future) for keys, future in batch if not future.done()]
        if batch:
            # Referenced by the futures' callers until it ends; it never raises.
            self._flight = asyncio.ensure_future(self._execute(batch))
            self._flight.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[None]) -> None:
        if self._flight is task:
            self._flight = None
            if self._waiting:
                task.get_loop().call_soon(self._send)

    async def _execute(self, batch: list[tuple[list[str], asyncio.Future[list[Any]]]]) -> None:
        try:
            if len(batch) == 1:
                union = batch[0][0]
            else:
                union = list(dict.fromkeys(key for keys, _ in batch for key in keys))
            values = await self._client.mget(union)
        except BaseException as error:
            for _, future in batch:
                if not future.done():
                    future.set_exception(
                        error if isinstance(error, Exception) else ConnectionError(repr(error))
                    )
            if not isinstance(error, Exception):
                raise
            return
        if len(batch) == 1:
            keys, future = batch[0]
            if not future.done():
                future.set_result(list(values))
            return
        found = dict(zip(union, values, strict=True))
        for keys, future in batch:
            if not future.done():
                future.set_result([found[key] for key in keys])


class Cache:
    """A narrow facade over aiocache, so the rest of the code never depends on its API (the next
    aiocache major replaces the factory and the Redis backend)."""

    def __init__(
        self,
        backend: Any,
        namespace: str,
        *,
        shared: bool = False,
        retry_after: float = RETRY_AFTER_SECONDS,
        mget: Callable[[list[str]], Awaitable[list[Any]]] | None = None,
        closing: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._backend = backend
        self._namespace = namespace
        # Redis stores pickles and integers as bytes; the memory backend keeps the objects.
        self.shared = shared
        self._retry_after = retry_after
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._lost_bumps = False
        self._recovering = asyncio.Lock()
        self._unknown = count(-1, -1)
        # How MGETs reach the backend: batched by `Batched` (Redis) while the backend is the
        # one it was made for, else through aiocache (a backend swapped by a test included).
        self._mget = mget
        self._mget_backend = backend if mget is not None else None
        self._closing = closing
        # The redis-py client under aiocache, for the writes of answers (`put`), on the same
        # terms as `_mget`.
        self._redis = getattr(backend, "client", None) if mget is not None else None
        # In-process copies of `get_or_load(..., memo=True)` values: key -> (version, value).
        self._memo: dict[str, tuple[int, object]] = {}
        # Built keys of scopes' versions (every hit names a few); emptied when it grows past
        # `VERSION_KEYS`.
        self._version_keys: dict[Scope, str] = {}

    @classmethod
    def create(
        cls,
        redis_url: str | None,
        namespace: str = "mageseg",
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry_after: float = RETRY_AFTER_SECONDS,
    ) -> Cache:
        if not redis_url:
            return cls(CacheFactory(CacheFactory.MEMORY, serializer=NullSerializer()), namespace)
        url = urllib.parse.urlparse(redis_url)
        db = int(url.path.strip("/") or 0)
        import redis.asyncio

        backend = CacheFactory(
            CacheFactory.REDIS,
            endpoint=url.hostname or "127.0.0.1",
            port=url.port or 6379,
            db=db,
            password=url.password,
            serializer=PickleSerializer(),
            # aiocache's own per-call timeout wraps every call in a new task (asyncio.wait_for),
            # which costs more than the round trip: the socket and pool timeouts bound it instead.
            timeout=None,
            create_connection_timeout=timeout,
            pool_max_size=POOL_SIZE,
            # A blocking pool waits for a free connection instead of failing under bursts.
            connection_pool_class=redis.asyncio.BlockingConnectionPool,
            connection_pool_kwargs={"timeout": timeout, "socket_timeout": timeout},
        )
        # The hot reads (every cache hit is one MGET) skip aiocache's call layers and go out
        # batched (`Batched`), on a client of their own: with one MGET in flight at a time it
        # needs no blocking pool (whose checkout costs a fifth of a lone MGET's CPU). Writes and
        # everything else stay on aiocache.
        # `from_pool`: the client owns the pool, so closing it closes the connections.
        reads = redis.asyncio.Redis.from_pool(
            redis.asyncio.ConnectionPool(
                host=url.hostname or "127.0.0.1",
                port=url.port or 6379,
                db=db,
                password=url.password,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                max_connections=BATCHED_CONNECTIONS,
            )
        )
        batched = Batched(reads)
        return cls(
            backend,
            namespace,
            shared=True,
            retry_after=retry_after,
            mget=batched.mget,
            closing=reads.aclose,
        )

    # -- keys -----------------------------------------------------------------------------------

    def _key(self, *parts: object) -> str:
        return ":".join((self._namespace, *(str(p) for p in parts)))

    def _version_key(self, scope: Scope) -> str:
        key = self._version_keys.get(scope)
        if key is None:
            if len(self._version_keys) >= VERSION_KEYS:
                self._version_keys.clear()
            key = self._version_keys[scope] = self._key("v", scope[0], scope[1])
        return key

    # -- degradation ----------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while an outage is being waited out (operations skip the backend)."""
        return self._down_since is None

    async def _run(self, operation: Callable[[], Awaitable[T]], default: T) -> tuple[bool, T]:
        """Run one backend operation: (True, result), or (False, default) when the backend is
        away. The first failure logs once; the first success after it logs the recovery."""
        if self._down_since is not None:
            if time.monotonic() < self._retry_at:
                return False, default
            if not await self._recover():
                return False, default
        try:
            return True, await operation()
        except Exception as error:  # any backend failure degrades to the database
            self._failed(error)
            return False, default

    def _failed(self, error: BaseException) -> None:
        now = time.monotonic()
        if self._down_since is None:
            self._down_since = now
            log.warning(
                "cache backend unavailable (%s: %s): answering from the database",
                type(error).__name__,
                error,
            )
        self._retry_at = now + self._retry_after

    async def _recover(self) -> bool:
        """Whether the backend answers again after an outage; the first caller to see it
        answer bumps the epoch and drops the memos, concurrent callers wait for it."""
        async with self._recovering:
            down_since = self._down_since
            if down_since is None:
                return True
            if time.monotonic() < self._retry_at:
                return False
            try:
                await self._new_epoch()
            except Exception as error:
                self._failed(error)
                return False
            log.warning(
                "cache backend is back after %.1f s; epoch bumped: entries written before the "
                "outage are not trusted%s",
                time.monotonic() - down_since,
                " (invalidations were lost meanwhile)" if self._lost_bumps else "",
            )
            self._memo.clear()
            self._lost_bumps = False
            self._down_since = None
            return True

    async def _new_epoch(self) -> None:
        """Change every version at once (after an outage this process saw)."""
        if await self._backend.get(self._key("epoch"), loads_fn=_raw) is None:
            await self._epoch_from(None)  # Redis lost its data: an epoch from the clock
        else:
            await self._backend.increment(self._key("epoch"))

    async def watch(self, every: float = WATCH_EVERY_SECONDS) -> None:
        """Touch the backend every `every` seconds until cancelled, so this process notices an
        outage without traffic and recovers from it (bumping the epoch) as soon as the backend
        answers. Only for a shared backend (the memory one has no outages)."""
        while True:
            await self._run(lambda: self._backend.exists(self._key("epoch")), False)
            await asyncio.sleep(every)

    # -- versions -------------------------------------------------------------------------------

    async def _epoch_from(self, raw: Any) -> int:
        if raw is not None:
            return int(raw)
        # First use, or Redis lost its data: the clock in milliseconds, larger than any epoch
        # before (so versions keep growing) and never met before.
        fresh = int(time.time() * 1000)
        dumps = str if self.shared else _raw
        with contextlib.suppress(ValueError):  # another process created it first
            await self._backend.add(self._key("epoch"), fresh, dumps_fn=dumps)
        return int(await self._backend.get(self._key("epoch"), loads_fn=_raw))

    def _unknown_versions(self, n: int) -> tuple[int, ...]:
        return tuple(next(self._unknown) for _ in range(n))

    async def _fetch(self, keys: list[str]) -> tuple[bool, list[Any]]:
        """One MGET of `keys`, the first being the epoch's (created when missing)."""
        if (
            self._down_since is None
            and self._mget is not None
            and self._backend is self._mget_backend
        ):
            # Every cache hit comes here: `_run`'s semantics without its extra frames.
            try:
                found = await self._mget(keys)
                found[0] = int(found[0]) if found[0] is not None else await self._epoch_from(None)
            except Exception as error:  # any backend failure degrades to the database
                self._failed(error)
                return False, []
            return True, found

        async def work() -> list[Any]:
            if self._mget is not None and self._backend is self._mget_backend:
                found = list(await self._mget(keys))
            else:
                found = list(await self._backend.multi_get(keys, loads_fn=_raw))
            found[0] = await self._epoch_from(found[0])
            return found

        return await self._run(work, [])

    def _compose(self, epoch: int, raw: Sequence[Any]) -> tuple[int, ...]:
        return tuple(epoch * EPOCH_FACTOR + int(value or 0) for value in raw)

    async def versions(self, scopes: Sequence[Scope]) -> tuple[int, ...]:
        """The current version of each scope, in one round trip (opaque; see the module)."""
        if not scopes:
            return ()
        keys = [self._key("epoch"), *(self._version_key(s) for s in scopes)]
        ok, found = await self._fetch(keys)
        if not ok:
            return self._unknown_versions(len(scopes))
        return self._compose(found[0], found[1:])

    async def bump_versions(self, scopes: Sequence[Scope]) -> None:
        """Bump each scope: values stored with its old version are never read again."""
        if not scopes:
            return

        async def work() -> None:
            for scope in scopes:
                await self._backend.increment(self._version_key(scope))

        ok, _ = await self._run(work, None)
        if not ok:
            self._lost_bumps = True

    async def invalidate(self, family: Family) -> None:
        """Bump the family's version: every process sharing the backend misses from now on."""
        await self.bump_versions([family_scope(family)])

    async def invalidate_all(self) -> None:
        """Bump the epoch: every version changes (after data was written behind the cache's back,
        by a seed or a restore)."""
        ok, _ = await self._run(lambda: self._backend.increment(self._key("epoch")), 0)
        if not ok:
            self._lost_bumps = True

    # -- values ---------------------------------------------------------------------------------

    def _decode(self, raw: Any) -> Any:
        if raw is None:
            return None
        return pickle.loads(raw) if self.shared else raw

    async def get_checked(self, name: str, scopes: Sequence[Scope]) -> tuple[Any, tuple[int, ...]]:
        """The value stored under `name` (None when absent) and the current versions of `scopes`,
        in one round trip: the caller compares the versions it stored with the value to these."""
        keys = [self._key("epoch"), self._key("val", name), *(self._version_key(s) for s in scopes)]
        ok, found = await self._fetch(keys)
        if not ok:
            return None, self._unknown_versions(len(scopes))
        try:
            value = self._decode(found[1])
        except Exception:  # a value pickled by another release: a miss
            value = None
        return value, self._compose(found[0], found[2:])

    async def put(self, name: str, value: object, ttl: float = DEFAULT_TTL_SECONDS) -> None:
        """Store `value` under `name` (skipped while the backend is away)."""
        key = self._key("val", name)
        if (
            self._down_since is None
            and self._redis is not None
            and self._backend is self._mget_backend
        ):
            # Every cold answer stores one or two entries: aiocache's `set` (a pickle and a
            # SETEX, or PSETEX for a float TTL) without its call layers.
            try:
                raw = pickle.dumps(value)
                if isinstance(ttl, float):
                    await self._redis.psetex(key, int(ttl * 1000), raw)
                else:
                    await self._redis.setex(key, ttl, raw)
            except Exception as error:  # any backend failure degrades to the database
                self._failed(error)
            return
        await self._run(lambda: self._backend.set(key, value, ttl=ttl), None)

    async def get_or_load(
        self,
        family: Family,
        key: str,
        load: Callable[[], Awaitable[T]],
        ttl: int = DEFAULT_TTL_SECONDS,
        *,
        memo: bool = False,
        observe: Callable[[Scope, int], None] | None = None,
    ) -> T:
        """The value of `key` in `family`, loaded on a miss. With `memo`, a copy is also kept in
        this process and reused while the family's version is unchanged (one small round trip
        instead of fetching and unpickling the value). `observe` is told the family's version
        before anything is read (`invalidation.record`)."""
        (version,) = await self.versions([family_scope(family)])
        if observe is not None:
            observe(family_scope(family), version)
        if memo:
            kept = self._memo.get(f"{family}:{key}")
            if kept is not None and kept[0] == version:
                metrics().cache.labels("hit").inc()
                return cast(T, kept[1])
        versioned = self._key(family, version, key)
        hit = None
        if version > 0:
            _, hit = await self._run(lambda: self._backend.get(versioned), None)
        if hit is not None:
            metrics().cache.labels("hit").inc()
            value = cast(T, hit[0])
        else:
            metrics().cache.labels("miss").inc()
            value = await load()
            if version > 0:
                await self._run(lambda: self._backend.set(versioned, (value,), ttl=ttl), None)
        if memo and version > 0:
            self._memo[f"{family}:{key}"] = (version, value)
        return value

    async def ping(self) -> bool:
        """Whether the backend answers now (raises when it does not; not degraded)."""
        probe = self._key("ping")
        await self._backend.set(probe, (True,), ttl=5)
        return bool(await self._backend.get(probe))

    async def close(self) -> None:
        await self._backend.close()
        if self._closing is not None:
            await self._closing()
