"""The aiohttp application: GraphQL at /graphql (GraphiQL on GET), /healthz, and the ORM and
cache lifecycle."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from cross_web import HTTPException
from strawberry.aiohttp.views import GraphQLView
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from tortoise import Tortoise
from tortoise.context import TortoiseContext

from engine import cache_id
from engine.cache import Cache
from engine.cache_id import HEADER as CACHE_ID_HEADER
from engine.clock import Clock, SystemClock
from engine.config import ConfigPath
from engine.invalidation import tracking
from engine.mail.mailer import Mailer
from engine.mail.transports import transport_from_url
from engine.media.storage import MediaStorage
from engine.passwords import PasswordHasher
from engine.pricing.rule_runner import RuleRunner
from engine.rewards.expiry import ExpiryRunner
from engine.segments.timeline import TimeRunner
from engine.services import Services
from graph.context import Context
from graph.errors import AUTH_CATEGORIES, Category
from graph.schema import build_schema
from mageseg import graphiql, http_cache, metrics
from mageseg.database import migrate, tortoise_config
from mageseg.exports import add_routes as add_export_routes
from mageseg.response_cache import HEADER as CACHE_HEADER
from mageseg.response_cache import ResponseCache, response_key
from mageseg.settings import Settings

logger = logging.getLogger("mageseg")

SERVICES = web.AppKey("services", Services)
# The time-driven re-evaluation runner of this process, when `time_in_process` (tests wait on it).
TIME_RUNNER = web.AppKey("time_runner", TimeRunner)
# The runner moving the catalog-rule price window at each website's midnight (same setting).
RULE_RUNNER = web.AppKey("rule_runner", RuleRunner)
# The runner expiring reward points at each website's midnight (same setting).
EXPIRY_RUNNER = web.AppKey("reward_expiry_runner", ExpiryRunner)
# Request bodies above this are refused before parsing (aiohttp answers 413).
MAX_REQUEST_BYTES = 256 * 1024


def build_services(settings: Settings, *, clock: Clock | None = None) -> Services:
    return Services(
        cache=Cache.create(settings.redis_url, settings.cache_namespace),
        passwords=PasswordHasher(settings.password_time_cost, settings.password_memory_kib),
        customer_token_lifetime=timedelta(hours=settings.customer_token_lifetime_hours),
        clock=clock or SystemClock(),
        media=MediaStorage(
            Path(settings.media_path), settings.media_url, settings.media_max_upload_bytes
        ),
        mail=Mailer(
            transport_from_url(
                settings.mail_url, Path(settings.var_dir) / "mail", settings.mail_timeout_seconds
            )
        ),
    )


# Where the view keeps a request's GraphQL context, for the response cache to read after it ran.
CONTEXT = web.RequestKey("mageseg_context", Context)
# The operation name of an answer served from the full-response cache ("" when it had none).
CACHED_OPERATION = web.RequestKey("mageseg_cached_operation", str)
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
HIT_HEADERS = {**JSON_HEADERS, CACHE_HEADER: "HIT"}


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else header.strip()


class MagesegView(GraphQLView[Context, None]):
    def __init__(
        self,
        services: Services,
        offline_ide: str | None = None,
        cache_id_salt: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.offline_ide = offline_ide
        self.responses = ResponseCache(services.cache, services.clock)
        self.salt = cache_id.Salt(cache_id_salt)

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        """A POSTed operation runs inside one tracking block (bumps and after-commit callbacks
        are done before the response leaves); hot storefront queries answer from the
        full-response cache (`mageseg/response_cache.py`) without touching GraphQL.

        A request that is not HTTP GraphQL at all (headers or body that are not UTF-8, a body
        that is not one JSON object, nesting past the parser's limit) is answered 400 with a
        Magento-shaped `graphql-input` error, never a 5xx."""
        try:
            return await self._serve(request)
        except HTTPException as error:
            return bad_request(error.reason, error.status_code)

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        # A WebSocket handshake is a GET, so a POST is never one (strawberry's own check costs
        # as much as a cache hit's parsing).
        if request.method != "POST":
            if request.method == "GET" and _is_get_query(request):
                return await self._serve_get(request)
            return await self.run(request=request)
        body = await request.read()
        key = response_key(body, request.headers)
        cached = await self.responses.lookup(key)
        if cached is not None:
            request[CACHED_OPERATION] = cached.operation_name or ""
            headers = {**HIT_HEADERS, **http_cache.no_cache_headers(self.services.clock.now())}
            if cached.cache_id is not None:
                headers[CACHE_ID_HEADER] = cached.cache_id
            return web.Response(body=cached.body, headers=headers)
        async with tracking(self.services.cache) as tracker:
            response = await self.run(request=request)
            context = request.get(CONTEXT)
            # A read-only operation's id is computed inside the block, its reads recorded with
            # the answer's; after a write, once the block has bumped what the write changed.
            computed = None
            wrote = bool(tracker.touched)  # the block's end clears them
            if isinstance(context, Context) and not wrote:
                computed = await http_cache.caller_cache_id(context, self.salt)
            if (
                isinstance(response, web.Response)
                and isinstance(response.body, bytes)
                and isinstance(context, Context)
                and not body.lstrip().startswith(b"[")
                and set(response.headers) <= {"Content-Type"}
            ):
                await self.responses.store(
                    key, tracker, context, response.status, response.body, computed
                )
        if isinstance(context, Context) and wrote:
            computed = await http_cache.caller_cache_id(context, self.salt)
        response.headers.update(http_cache.no_cache_headers(self.services.clock.now()))
        if computed is not None:
            response.headers[CACHE_ID_HEADER] = computed
        response.headers[CACHE_HEADER] = "MISS"
        return response

    async def _serve_get(self, request: web.Request) -> web.StreamResponse:
        """A GET query, with the headers that let a cache in front keep it
        (`mageseg/http_cache.py`)."""
        async with tracking(self.services.cache) as tracker:
            response = await self.run(request=request)
            context = request.get(CONTEXT)
            if not isinstance(context, Context):
                return response
            wrote = bool(tracker.touched)  # the block's end clears them
            computed = await http_cache.caller_cache_id(context, self.salt)
            anonymous = await http_cache.anonymous_cache_id(context, self.salt)
        now = self.services.clock.now()
        public = http_cache.publicly_cacheable(
            query_fields=tracker.query_fields,
            succeeded=response.status == 200 and not tracker.failed and not wrote,
            authorized=bool(request.headers.get("Authorization")),
            sent_id=http_cache.requested_id(request.headers),
            computed_id=computed,
            anonymous_id=anonymous,
        )
        if public:
            stores = await context.stores()
            ttl = stores.config_int(ConfigPath.FULL_PAGE_CACHE_TTL, await context.store())
            response.headers.update(http_cache.public_headers(ttl, now))
        else:
            response.headers.update(http_cache.no_cache_headers(now))
        if computed is not None:
            response.headers[CACHE_ID_HEADER] = computed
        return response

    async def render_graphql_ide(self, request: web.Request) -> web.Response:
        """GraphiQL from mageseg's own pinned assets when they were fetched (no CDN)."""
        if self.offline_ide is None:
            return await super().render_graphql_ide(request)
        return web.Response(text=self.offline_ide, content_type="text/html")

    def decode_json(self, data: str | bytes) -> object:
        """One JSON object, from UTF-8 text: batches are not served (as Magento), and a body
        that is not UTF-8 or nests past Python's recursion limit is refused, not a crash."""
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            decoded = json.loads(text)
        except UnicodeDecodeError:
            raise HTTPException(400, "The request body is not valid UTF-8.") from None
        except RecursionError:
            raise HTTPException(400, "The request body is nested too deeply.") from None
        except ValueError:
            raise HTTPException(400, "Unable to parse request body as JSON") from None
        if not isinstance(decoded, dict):
            raise HTTPException(400, "The request body must be a JSON object.")
        return decoded

    async def get_context(
        self, request: web.Request, response: web.Response | web.WebSocketResponse
    ) -> Context:
        context = Context(
            services=self.services,
            bearer=_bearer(request.headers.get("Authorization")),
            store_code=request.headers.get("Store"),
            request_headers=request.headers,
            response_headers=response.headers,
            remote_ip=request.remote or "",
        )
        request[CONTEXT] = context
        return context

    async def on_ws_connect(self, context: Context) -> None:
        """A WebSocket may carry its token in `connection_init`'s payload instead of the upgrade
        request's `Authorization` header (browsers cannot set headers on WebSockets)."""
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        if isinstance(header, str) and header.strip():
            context.bearer = _bearer(header)
            context._viewer = None

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


KEY_HEADERS = ("Store", "Authorization", "X-Magento-Visitor", "Content-Type")


def _is_get_query(request: web.Request) -> bool:
    """A GraphQL query sent by GET (not GraphiQL's page, not a WebSocket handshake)."""
    return "query" in request.query and request.headers.get("Upgrade", "").lower() != "websocket"


def _is_utf8(value: str) -> bool:
    """aiohttp decodes header bytes that are not UTF-8 to lone surrogates (`surrogateescape`)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@web.middleware
async def refuse_undecodable_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """The headers mageseg reads must be UTF-8 text (on every route: GraphQL and exports)."""
    headers = request.headers
    for name in KEY_HEADERS:
        value = headers.get(name)
        if value is not None and not value.isascii() and not _is_utf8(value):
            return bad_request(f'The "{name}" header is not valid UTF-8.')
    return await handler(request)


def bad_request(message: str, status: int = 400) -> web.Response:
    """A request refused before GraphQL ran, in the shape of Magento's errors."""
    body = {"errors": [{"message": message, "extensions": {"category": Category.INPUT.value}}]}
    return web.Response(body=json.dumps(body).encode(), status=status, headers=JSON_HEADERS)


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


def _operation_of(request: web.Request) -> tuple[str | None, str] | None:
    cached = request.get(CACHED_OPERATION)
    if cached is not None:
        return cached or None, "cached"
    context = request.get(CONTEXT)
    if not isinstance(context, Context) or context.operation_failed is None:
        return None
    return context.operation_name, "error" if context.operation_failed else "ok"


def create_app(
    settings: Settings, *, manage_database: bool = True, clock: Clock | None = None
) -> web.Application:
    """`manage_database=False` leaves the ORM to the caller (tests open their own database);
    `clock` replaces the system clock (tests)."""
    services = build_services(settings, clock=clock)
    app = web.Application(
        client_max_size=MAX_REQUEST_BYTES,
        middlewares=[refuse_undecodable_headers, metrics.middleware(_operation_of, CACHE_HEADER)],
    )
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
        # With Redis, notice outages even when idle (see `Cache.watch`).
        watcher = asyncio.create_task(services.cache.watch()) if services.cache.shared else None
        yield
        if watcher is not None:
            watcher.cancel()
            # Bounded: a cancellation swallowed inside a client's wait_for (Python 3.11) would
            # otherwise keep the server from ever shutting down.
            await asyncio.wait({watcher}, timeout=2)
        await services.cache.close()

    async def segment_refresh_runner(app: web.Application) -> AsyncIterator[None]:
        from engine.segments.jobs import RefreshRunner, listen_dsn

        runner = RefreshRunner(
            poll_seconds=settings.refresh_poll_seconds,
            listen_dsn=listen_dsn(settings.database_url),
            cache=services.cache,
            clock=services.clock,
        )
        await runner.start()
        yield
        await runner.stop()

    async def membership_feed(app: web.Application) -> AsyncIterator[None]:
        from engine.segments import feed
        from engine.segments.jobs import listen_dsn

        feed.configure(settings.feed_poll_seconds)
        dsn = listen_dsn(settings.database_url)
        listener = feed.Listener(dsn) if dsn else None
        if listener is not None:
            await listener.start()
        yield
        if listener is not None:
            await listener.stop()

    async def webhook_deliverer(app: web.Application) -> AsyncIterator[None]:
        from mageseg.webhooks import Deliverer

        deliverer = Deliverer.from_settings(settings)
        await deliverer.start()
        yield
        await deliverer.stop()

    if manage_database:
        app.cleanup_ctx.append(database)
    app.cleanup_ctx.append(cache)
    if settings.refresh_in_process:
        app.cleanup_ctx.append(segment_refresh_runner)

    async def segment_time_runner(app: web.Application) -> AsyncIterator[None]:
        runner = TimeRunner(
            services.clock, poll_seconds=settings.time_poll_seconds, cache=services.cache
        )
        app[TIME_RUNNER] = runner
        await runner.start()
        yield
        await runner.stop()

    async def catalog_rule_runner(app: web.Application) -> AsyncIterator[None]:
        runner = RuleRunner(
            services.clock, poll_seconds=settings.time_poll_seconds, cache=services.cache
        )
        app[RULE_RUNNER] = runner
        await runner.start()
        yield
        await runner.stop()

    async def reward_expiry_runner(app: web.Application) -> AsyncIterator[None]:
        runner = ExpiryRunner(
            services.clock, poll_seconds=settings.time_poll_seconds, cache=services.cache
        )
        app[EXPIRY_RUNNER] = runner
        await runner.start()
        yield
        await runner.stop()

    if settings.time_in_process:
        app.cleanup_ctx.append(segment_time_runner)
        app.cleanup_ctx.append(catalog_rule_runner)
        app.cleanup_ctx.append(reward_expiry_runner)
    app.cleanup_ctx.append(membership_feed)
    if settings.webhooks_in_process:
        app.cleanup_ctx.append(webhook_deliverer)
    schema = build_schema(
        max_depth=settings.max_query_depth,
        max_tokens=settings.max_query_tokens,
        max_aliases=settings.max_query_aliases,
        debug=settings.debug,
    )
    assets = Path(settings.graphiql_assets_path)
    offline = settings.graphiql and graphiql.available(assets)
    if offline:
        app.router.add_static("/graphiql", assets, follow_symlinks=False)
    view = MagesegView(
        services,
        offline_ide=graphiql.page() if offline else None,
        cache_id_salt=settings.cache_id_salt,
        schema=schema,
        graphql_ide="graphiql" if settings.graphiql else None,
        # Subscriptions speak graphql-transport-ws only (the legacy graphql-ws is not offered).
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
    )
    app.router.add_route("*", "/graphql", view)

    async def cache_id_salt(app: web.Application) -> None:
        # Read (or generate and keep) the salt before serving: never inside an operation.
        await view.salt.get()

    app.on_startup.append(cache_id_salt)
    app.router.add_get("/healthz", healthz)
    add_export_routes(app)
    metrics.add_routes(app)
    add_media_route(app, settings)
    return app


def add_media_route(app: web.Application, settings: Settings) -> None:
    """Serve the media folder: at `media_url`'s path when it is one (`/media/`), else at
    `/media/` for a CDN in front to pull from."""
    prefix = settings.media_url if settings.media_url.startswith("/") else "/media/"
    folder = Path(settings.media_path)
    folder.mkdir(parents=True, exist_ok=True)
    app.router.add_static(prefix.rstrip("/") or "/media", folder, follow_symlinks=False)
