"""A server for the latency benchmark, run as its own process so client and server do not share
an event loop: `python -m bench.server app|bare DATABASE_URL`. It listens on a free loopback
port and prints that port on its first line of output."""

from __future__ import annotations

import socket
import sys

from aiohttp import web

from mageseg.app import create_app
from mageseg.settings import Settings

BARE_BODY = {"data": {"storeConfig": {"store_code": "default"}}}


async def bare_graphql(request: web.Request) -> web.Response:
    """The floor: read the JSON body and answer JSON, with no GraphQL and no database."""
    await request.json()
    return web.json_response(BARE_BODY)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def bare_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/graphql", bare_graphql)
    app.router.add_get("/healthz", healthz)
    return app


def main(argv: list[str]) -> int:
    kind, database_url = argv
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    if kind == "app":
        settings = Settings(database_url=database_url, graphiql=False, seed_on_empty=False)
        app = create_app(settings)
    else:
        app = bare_app()
    web.run_app(app, sock=sock, print=None, access_log=None, shutdown_timeout=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
