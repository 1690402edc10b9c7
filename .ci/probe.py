"""Exit 0 when the PostgreSQL or Redis server at the URL given answers, 1 otherwise."""

import asyncio
import sys


async def probe(url: str) -> None:
    if url.startswith("redis"):
        import redis.asyncio

        client = redis.asyncio.Redis.from_url(url, socket_connect_timeout=3)
        await client.ping()
        await client.aclose()
    else:
        import asyncpg

        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), timeout=3)
        await conn.close()


try:
    asyncio.run(probe(sys.argv[1]))
except Exception as error:
    print(f"{sys.argv[1]}: {type(error).__name__}: {error}", file=sys.stderr)
    sys.exit(1)
