"""The one shared cache: aiocache, in memory by default, Redis when several processes serve.

Keys are built here and nowhere else. Each cached family has a version number kept in the cache
itself; bumping it invalidates every key of the family at once, in every process that shares the
backend. Values must be immutable (frozen dataclasses, tuples), because the memory backend hands
back the very object it stored. A cached `None` is wrapped in a 1-tuple so it is not a miss."""

from __future__ import annotations

import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from typing import Any, TypeVar, cast

from aiocache import Cache as CacheFactory
from aiocache.serializers import NullSerializer, PickleSerializer

T = TypeVar("T")

DEFAULT_TTL_SECONDS = 300


class Family(StrEnum):
    """A group of keys invalidated together."""

    STORES = "stores"


class Cache:
    """A narrow facade over aiocache, so the rest of the code never depends on its API (the next
    aiocache major replaces the factory and the Redis backend)."""

    def __init__(self, backend: Any, namespace: str) -> None:
        self._backend = backend
        self._namespace = namespace

    @classmethod
    def create(cls, redis_url: str | None, namespace: str = "mageseg") -> Cache:
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
            # A blocking pool waits for a free connection instead of failing under bursts.
            connection_pool_class=redis.asyncio.BlockingConnectionPool,
            connection_pool_kwargs={"timeout": 5},
        )
        return cls(backend, namespace)

    def _key(self, *parts: object) -> str:
        return ":".join((self._namespace, *(str(p) for p in parts)))

    async def _version(self, family: Family) -> int:
        # INCR stores a plain integer that the pickle serializer cannot read: parse it ourselves.
        version = await self._backend.get(
            self._key(family, "version"), loads_fn=lambda raw: None if raw is None else int(raw)
        )
        return int(version or 0)

    async def get_or_load(
        self,
        family: Family,
        key: str,
        load: Callable[[], Awaitable[T]],
        ttl: int = DEFAULT_TTL_SECONDS,
    ) -> T:
        versioned = self._key(family, await self._version(family), key)
        hit = await self._backend.get(versioned)
        if hit is not None:
            return cast(T, hit[0])
        value = await load()
        await self._backend.set(versioned, (value,), ttl=ttl)
        return value

    async def versions(self, scopes: Sequence[tuple[str, str]]) -> tuple[int, ...]:
        """The current version of each (topic, key) scope, in one round trip."""
        if not scopes:
            return ()
        keys = [self._key("v", topic, key) for topic, key in scopes]
        found = await self._backend.multi_get(
            keys, loads_fn=lambda raw: None if raw is None else int(raw)
        )
        return tuple(int(value or 0) for value in found)

    async def bump_versions(self, scopes: Sequence[tuple[str, str]]) -> None:
        """Bump each (topic, key) scope: keys built from its old version are never read again."""
        for topic, key in scopes:
            await self._backend.increment(self._key("v", topic, key))

    async def invalidate(self, family: Family) -> None:
        """Bump the family's version: every process sharing the backend misses from now on."""
        await self._backend.increment(self._key(family, "version"))

    async def ping(self) -> bool:
        probe = self._key("ping")
        await self._backend.set(probe, (True,), ttl=5)
        return bool(await self._backend.get(probe))

    async def close(self) -> None:
        await self._backend.close()
