"""The aiohttp application: GraphQL at /graphql (GraphiQL on GET), /healthz, and the ORM and
cache lifecycle."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from aiohttp import web
from strawberry.aiohttp.views import GraphQLView
from strawberry.http import GraphQLHTTPResponse
from tortoise import Tortoise
from tortoise.context import TortoiseContext

from engine.cache import Cache
from engine.passwords import PasswordHasher
from engine.services import Services
from graph.context import Context
from graph.errors import AUTH_CATEGORIES
from graph.schema import build_schema
from mageseg.database import migrate, tortoise_config
from mageseg.exports import add_routes as add_export_routes
from mageseg.settings import Settings

logger = logging.getLogger("mageseg")

SERVICES = web.AppKey("services", Services)
# Request bodies above this are refused before parsing (aiohttp answers 413).
MAX_REQUEST_BYTES = 256 * 1024


def build_services(settings: Settings) -> Services:
    return Services(
        cache=Cache.create(settings.redis_url, settings.cache_namespace),
        passwords=PasswordHasher(settings.password_time_cost, settings.password_memory_kib),
        customer_token_lifetime=timedelta(hours=settings.customer_token_lifetime_hours),
    )


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else header.strip()


class MagesegView(GraphQLView[Context, None]):
    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services

    async def get_context(
        self, request: web.Request, response: web.Response | web.WebSocketResponse
    ) -> Context:
        return Context(
            services=self.services,
            bearer=_bearer(request.headers.get("Authorization")),
            store_code=request.headers.get("Store"),
            request_headers=request.headers,
            response_headers=response.headers,
        )

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: web.Response,
    ) -> web.Response:
        """As Magento: a refused token or a missing right answers HTTP 401."""
        results = response_data if isinstance(response_data, list) else [response_data]
        for result in results:
            errors: list[Any] = list(result.get("errors") or [])
            if any(e.get("extensions", {}).get("category") in AUTH_CATEGORIES for e in errors):
                sub_response.set_status(401)
        return super().create_response(response_data, sub_response)


async def healthz(request: web.Request) -> web.Response:
    checks: dict[str, str] = {}
    try:
        await Tortoise.get_connection("default").execute_query("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure means unhealthy; report it, do not raise
        checks["database"] = f"error: {type(error).__name__}"
    try:
        checks["cache"] = "ok" if await request.app[SERVICES].cache.ping() else "error"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return web.json_response(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def create_app(settings: Settings, *, manage_database: bool = True) -> web.Application:
    """`manage_database=False` leaves the ORM to the caller (tests open their own database)."""
    services = build_services(settings)
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[SERVICES] = services

    async def database(app: web.Application) -> AsyncIterator[None]:
        await migrate(settings.database_url)
        # Keep our own context and close it ourselves: tortoise's global close can miss it.
        ctx = TortoiseContext()
        with ctx:
            await ctx.init(config=tortoise_config(settings.database_url))
            yield
            await ctx.close_connections()

    async def cache(app: web.Application) -> AsyncIterator[None]:
        yield
        await services.cache.close()

    async def segment_refresh_runner(app: web.Application) -> AsyncIterator[None]:
        from engine.segments.jobs import RefreshRunner, listen_dsn

        runner = RefreshRunner(
            poll_seconds=settings.refresh_poll_seconds, listen_dsn=listen_dsn(settings.database_url)
        )
        await runner.start()
        yield
        await runner.stop()

    if manage_database:
        app.cleanup_ctx.append(database)
    app.cleanup_ctx.append(cache)
    if settings.refresh_in_process:
        app.cleanup_ctx.append(segment_refresh_runner)
    schema = build_schema(
        max_depth=settings.max_query_depth,
        max_tokens=settings.max_query_tokens,
        max_aliases=settings.max_query_aliases,
        debug=settings.debug,
    )
    view = MagesegView(
        services, schema=schema, graphql_ide="graphiql" if settings.graphiql else None
    )
    app.router.add_route("*", "/graphql", view)
    app.router.add_get("/healthz", healthz)
    add_export_routes(app)
    return app
