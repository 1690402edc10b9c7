"""Live membership: `python -m bench live [--customers 1000000] [--duration 10] [--rounds 3]`.

100 active segments of mixed kinds (customer attributes, addresses, order aggregates over
relative dates, order counts, product history, cart, nested trees, newsletter / store credit)
are created (through `engine.segments.service.create`, named `bench live ...`) in the seeded
population of `bench segments` (PostgreSQL database `mageseg_bench_segments_<N>`, seeded when
missing), and removed again at the end, with every row the run added (tokens, carts, orders;
the product's stock is put back), so `bench segments` keeps its population as it was.

A real `mageseg serve` subprocess serves that database with `MAGESEG_REDIS_URL` set (Redis
database 7 by default, a fresh `MAGESEG_CACHE_NAMESPACE` per server start, keys removed at the
end) and the background runners off (`MAGESEG_REFRESH_IN_PROCESS`, `MAGESEG_TIME_IN_PROCESS`,
`MAGESEG_WEBHOOKS_IN_PROCESS` false: the 100 new segments are queued for a refresh, and the
time runner would catch up on the relative-date segments, in the server while it is measured;
production runs them in `mageseg worker` processes). The stored membership is not refreshed
first: the storefront evaluates live. The baseline is a bare aiohttp handler
in its own subprocess (`python -m bench.live bare FILE`) answering the exact bytes the server
answers for the hot customer.

Measured, on loopback:

- throughput and p50/p99 with wrk (closed loop, `--connections` kept-alive connections) for
  `customerSegments`: a hot customer (one token repeated), cold customers (a Lua script rotates
  through `--cold-customers` tokens, so each request is a different customer until they run
  out), a guest cart (masked cart id), and the bare handler;
- p50/p99 at a constant `--rate` (1,000 requests/s): wrk cannot hold a rate and wrk2 is not
  packaged in Debian, so an open-loop asyncio generator (aiohttp) in this process sends on a
  fixed schedule and measures each latency from the request's scheduled send time (no
  coordinated omission: a stalled server makes every later request late);
- `addProductsToCart` and `placeOrder` latency over HTTP, one at a time, each sample on its own
  customer (no active cart before), with the 100 segments active, against the same mutations
  with the segments inactive (baseline), alternating server runs round by round. Whatever
  re-evaluation the mutations do (none, stored membership, events) is what is measured: the
  difference is the added latency.

The section "Live membership" of BENCHMARKS.md is replaced (the rest of the file is kept).
`--database URL` measures an already seeded database as it is (any backend; SQLite works
without Redis: `--redis-url ''`)."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from tortoise.context import TortoiseContext

from bench.stats import median, percentile

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "BENCHMARKS.md"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
SECTION = "## Live membership"
NAME_PREFIX = "bench live "
WEBSITE_ID = 1  # "base"
START_TIMEOUT_S = 120.0
WRK_INSTALL = (
    "wrk not found: install it (Debian/Ubuntu: `apt-get install -y wrk`, macOS: `brew install wrk`)"
)

SEGMENTS_QUERY = "query ($cart: String!) { customerSegments(cartId: $cart) { uid } }"
CUSTOMER_CART = "{ customerCart { id } }"
GUEST_CART = "mutation { createGuestCart { cart { id } } }"
ADD = """mutation ($cart: String!, $sku: String!) {
  addProductsToCart(cartId: $cart, cartItems: [{sku: $sku, quantity: 1}]) {
    cart { id } user_errors { code message }
  }
}"""
ADDRESS = {
    "firstname": "Ann",
    "lastname": "Lee",
    "street": ["1 Main St"],
    "city": "Austin",
    "region_id": 57,
    "postcode": "78701",
    "country_code": "US",
    "telephone": "5550100",
}
CHECKOUT: tuple[tuple[str, dict[str, Any]], ...] = (
    (
        """mutation ($cart: String!, $address: CartAddressInput!) {
          setShippingAddressesOnCart(
            input: {cart_id: $cart, shipping_addresses: [{address: $address}]}
          ) { cart { id } } }""",
        {"address": ADDRESS},
    ),
    (
        """mutation ($cart: String!) {
          setBillingAddressOnCart(
            input: {cart_id: $cart, billing_address: {same_as_shipping: true}}
          ) { cart { id } } }""",
        {},
    ),
    (
        """mutation ($cart: String!) {
          setShippingMethodsOnCart(input: {cart_id: $cart,
            shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]})
          { cart { id } } }""",
        {},
    ),
    (
        """mutation ($cart: String!) {
          setPaymentMethodOnCart(input: {cart_id: $cart, payment_method: {code: "checkmo"}})
          { cart { id } } }""",
        {},
    ),
)
PLACE = """mutation ($cart: String!) {
  placeOrder(input: {cart_id: $cart}) { orderV2 { number } errors { code message } }
}"""

# Rows a run adds, removed at the end: (table, primary key), children before parents.
ADDED_ROWS = (
    ("sales_order", "entity_id"),
    ("sequence_order", "sequence_value"),
    ("quote_id_mask", "entity_id"),
    ("quote", "entity_id"),
    ("oauth_token", "entity_id"),
    ("integration", "integration_id"),  # `mageseg serve` issues a demo integration token
    ("report_viewed_product_index", "index_id"),
    ("customer_visitor", "visitor_id"),
)


# --- the segments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveSegment:
    kind: str
    apply_to: str  # models.ApplyTo member name
    tree: Any  # engine.segments.tree.Combine


def live_segments(categories: Sequence[int], brands: Sequence[int]) -> list[LiveSegment]:
    """The 100 segments: 15 customer attribute, 15 address, 20 order aggregate over a relative
    period, 10 order count, 10 product history, 15 cart, 10 nested, 5 newsletter/store credit."""
    from engine.segments.tree import (
        ANY_ORDER_STATUS,
        AddressAttribute,
        Aggregator,
        CartAmount,
        CartAmountKind,
        CartLineItems,
        CartProductsQuantity,
        Combine,
        CustomerAddress,
        CustomerAttribute,
        DefaultAddress,
        DefaultAddressKind,
        Newsletter,
        Operator,
        OrdersNumber,
        OrderStatus,
        ProductAttribute,
        ProductHistory,
        ProductHistoryAction,
        ProductList,
        ProductListSource,
        SalesAmount,
        SalesFunction,
        StoreCredit,
        UpToDate,
    )

    def root(*conditions: Any, aggregator: Aggregator = Aggregator.ALL) -> Combine:
        return Combine(aggregator, True, tuple(conditions))

    def category(i: int) -> str:
        return str(categories[i % len(categories)])

    def brand(i: int) -> str:
        return str(brands[i % len(brands)])

    out: list[LiveSegment] = []
    for i in range(15):
        start = 1950 + 4 * (i % 12)
        out.append(
            LiveSegment(
                "customer attribute",
                "REGISTERED",
                root(
                    CustomerAttribute("gender", Operator.IS, str(1 + i % 2)),
                    CustomerAttribute("dob", Operator.GREATER_OR_EQUAL, date(start, 1, 1)),
                    CustomerAttribute("dob", Operator.LESS_OR_EQUAL, date(start + 9, 12, 31)),
                ),
            )
        )
    regions = (57, 12, 43, 33, 23, 18, 1, 2, 3, 4, 5, 6, 7, 8, 9)
    for i in range(15):
        kind = DefaultAddressKind.BILLING if i % 2 else DefaultAddressKind.SHIPPING
        out.append(
            LiveSegment(
                "address",
                "REGISTERED",
                root(
                    CustomerAddress(
                        Aggregator.ALL,
                        (
                            DefaultAddress(Operator.IS, kind),
                            AddressAttribute("country_id", Operator.IS, "US"),
                            AddressAttribute("region_id", Operator.IS, str(regions[i])),
                        ),
                    )
                ),
            )
        )
    periods = (7, 30, 90, 180, 365)
    for i in range(20):
        status = "complete" if i % 2 else ANY_ORDER_STATUS
        out.append(
            LiveSegment(
                "order aggregate, relative period",
                "REGISTERED",
                root(
                    SalesAmount(
                        SalesFunction.AVERAGE if i % 4 == 3 else SalesFunction.TOTAL,
                        Operator.GREATER_OR_EQUAL,
                        Decimal(100 * (1 + i % 10)),
                        Aggregator.ALL,
                        (
                            OrderStatus(Operator.IS, status),
                            UpToDate(Operator.GREATER_OR_EQUAL, periods[i % len(periods)]),
                        ),
                    )
                ),
            )
        )
    for i in range(10):
        # Half are "ordered within N days", half "no order for N days".
        none = i % 2 == 1
        out.append(
            LiveSegment(
                "order count, relative period",
                "REGISTERED",
                root(
                    OrdersNumber(
                        Operator.IS if none else Operator.GREATER_OR_EQUAL,
                        Decimal(0 if none else 1 + i % 3),
                        Aggregator.ALL,
                        (UpToDate(Operator.GREATER_OR_EQUAL, (30, 90, 180)[i % 3]),),
                    )
                ),
            )
        )
    for i in range(10):
        action = ProductHistoryAction.ORDERED if i % 2 == 0 else ProductHistoryAction.VIEWED
        out.append(
            LiveSegment(
                "product history",
                "REGISTERED" if action is ProductHistoryAction.ORDERED else "BOTH",
                root(
                    ProductHistory(
                        action,
                        True,
                        Aggregator.ANY,
                        (
                            ProductAttribute("category_ids", Operator.IS, category(i)),
                            ProductAttribute("brand", Operator.IS, brand(i)),
                        ),
                    )
                ),
            )
        )
    for i in range(15):
        shape = i % 4
        node: Any
        if shape == 0:
            node = CartAmount(CartAmountKind.SUBTOTAL, Operator.GREATER_OR_EQUAL, Decimal(25 * i))
        elif shape == 1:
            node = CartLineItems(Operator.GREATER_OR_EQUAL, Decimal(1 + i % 3))
        elif shape == 2:
            node = CartProductsQuantity(Operator.GREATER_OR_EQUAL, Decimal(1 + i % 4))
        else:
            node = ProductList(
                ProductListSource.CART,
                True,
                Aggregator.ALL,
                (ProductAttribute("category_ids", Operator.IS, category(i)),),
            )
        out.append(LiveSegment("cart", "BOTH", root(node)))
    for i in range(10):
        out.append(
            LiveSegment(
                "nested",
                "REGISTERED",
                root(
                    Combine(
                        Aggregator.ANY,
                        True,
                        (
                            CustomerAttribute("group_id", Operator.IS, str(1 + i % 3)),
                            CustomerAttribute(
                                "dob", Operator.LESS_OR_EQUAL, date(1960 + i, 12, 31)
                            ),
                        ),
                    ),
                    ProductList(ProductListSource.WISHLIST, i % 2 == 1, Aggregator.ALL, ()),
                    OrdersNumber(
                        Operator.GREATER_OR_EQUAL,
                        Decimal(1 + i % 4),
                        Aggregator.ALL,
                        (UpToDate(Operator.GREATER_OR_EQUAL, 365),),
                    ),
                ),
            )
        )
    for i in range(5):
        node = (
            Newsletter(i % 2 == 0)
            if i < 2
            else StoreCredit(Operator.GREATER_OR_EQUAL, Decimal(10 * i))
        )
        out.append(LiveSegment("newsletter / store credit", "REGISTERED", root(node)))
    return out


async def _scalars(conn: Any, sql: str) -> list[Any]:
    rows = await conn.execute_query_dict(sql)
    return [next(iter(row.values())) for row in rows]


async def create_segments(conn: Any) -> list[int]:
    """Remove the segments of an earlier run, then create the 100 (active, website `base`)."""
    from engine.segments import magento_json, service, validate
    from models import ApplyTo

    await conn.execute_script(
        f"DELETE FROM magento_customersegment_segment WHERE name LIKE '{NAME_PREFIX}%'"
    )
    categories = await _scalars(
        conn,
        "SELECT c.entity_id FROM catalog_category_entity c WHERE c.level = 3 AND EXISTS "
        "(SELECT 1 FROM catalog_category_product p WHERE p.category_id = c.entity_id) "
        "ORDER BY c.entity_id",
    )
    brands = await _scalars(
        conn,
        "SELECT o.option_id FROM eav_attribute_option o JOIN eav_attribute a "
        "ON a.attribute_id = o.attribute_id WHERE a.entity_type_id = 4 "
        "AND a.attribute_code = 'brand' ORDER BY o.option_id",
    )
    ids = []
    for number, segment in enumerate(live_segments(categories, brands), start=1):
        saved = await service.create(
            service.SegmentChanges(
                name=f"{NAME_PREFIX}{number:03d} {segment.kind}",
                is_active=True,
                apply_to=ApplyTo[segment.apply_to],
                website_ids=[WEBSITE_ID],
                conditions_serialized=magento_json.dumps(validate.dump_tree(segment.tree)),
            )
        )
        ids.append(int(saved.segment_id))
    return ids


async def set_active(conn: Any, active: bool) -> None:
    value = "TRUE" if active else "FALSE"
    if conn.capabilities.dialect != "postgres":
        value = "1" if active else "0"
    await conn.execute_script(
        f"UPDATE magento_customersegment_segment SET is_active = {value} "
        f"WHERE name LIKE '{NAME_PREFIX}%'"
    )


# --- shoppers ---------------------------------------------------------------------------------


@dataclass
class Shoppers:
    """Tokens of the customers the run uses (the first one is the hot customer)."""

    hot: str
    cold: list[str]
    mutating: list[str]  # customers with no active cart, one per mutation sample
    sku: str = ""
    guest_cart: str = ""
    marks: dict[str, int] = field(default_factory=dict)  # table -> largest key before the run
    stock: tuple[int, str] | None = None  # product id, qty before the run


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def record_marks(conn: Any) -> dict[str, int]:
    marks = {}
    for table, key in ADDED_ROWS:
        rows = await _scalars(conn, f'SELECT COALESCE(MAX("{key}"), 0) AS n FROM "{table}"')
        marks[table] = int(rows[0])
    return marks


async def remove_added_rows(conn: Any, marks: dict[str, int]) -> None:
    for table, key in ADDED_ROWS:
        if table in marks:
            await conn.execute_script(f'DELETE FROM "{table}" WHERE "{key}" > {marks[table]}')


async def issue_tokens(conn: Any, customer_ids: Sequence[int]) -> list[str]:
    """Customer tokens written straight into `oauth_token` (the server only reads them)."""
    from models import OauthToken
    from models.auth import UserType

    expires = datetime.now(UTC) + timedelta(hours=6)
    tokens = [secrets.token_urlsafe(32) for _ in customer_ids]
    rows = [
        OauthToken(
            user_type=UserType.CUSTOMER,
            customer_id=customer_id,
            token_hash=_digest(token),
            expires_at=expires,
        )
        for customer_id, token in zip(customer_ids, tokens, strict=True)
    ]
    await OauthToken.bulk_create(rows, batch_size=5000)
    return tokens


async def pick_shoppers(conn: Any, cold: int, mutating: int) -> Shoppers:
    marks = await record_marks(conn)
    ids = [
        int(i)
        for i in await _scalars(
            conn,
            f"SELECT entity_id FROM customer_entity WHERE website_id = {WEBSITE_ID} "
            "ORDER BY entity_id",
        )
    ]
    without_cart = [
        int(i)
        for i in await _scalars(
            conn,
            f"SELECT c.entity_id FROM customer_entity c WHERE c.website_id = {WEBSITE_ID} "
            "AND NOT EXISTS (SELECT 1 FROM quote q WHERE q.customer_id = c.entity_id "
            f"AND q.is_active) ORDER BY c.entity_id DESC LIMIT {int(mutating)}",
        )
    ]
    if len(without_cart) < mutating:
        raise RuntimeError(f"only {len(without_cart)} customers without a cart, {mutating} wanted")
    chosen = random.Random(42).sample(ids, min(len(ids), cold + 1))
    tokens = await issue_tokens(conn, chosen)
    mutating_tokens = await issue_tokens(conn, without_cart)
    return Shoppers(tokens[0], tokens[1:], mutating_tokens, marks=marks)


# --- servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:] if log.exists() else ""


async def _wait_healthy(base: str, process: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    async with aiohttp.ClientSession() as session:
        while True:
            if process.returncode is not None:
                raise RuntimeError(f"the server exited: {_tail(log)}")
            try:
                async with session.get(f"{base}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {_tail(log)}")
            await asyncio.sleep(0.1)


@asynccontextmanager
async def _process(args: Sequence[str], env: dict[str, str], log: Path) -> AsyncIterator[str]:
    """Start `args` (which must serve /healthz on the port in env BENCH_PORT), yield its
    /graphql URL, stop it."""
    port = int(env["BENCH_PORT"])
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            *args, env=env, stdout=output, stderr=output, cwd=ROOT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(base, process, log)
        yield f"{base}/graphql"
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


def mageseg_command() -> list[str]:
    found = Path(sys.executable).with_name("mageseg")
    if found.exists():
        return [str(found)]
    return [sys.executable, "-m", "mageseg.cli"]


@asynccontextmanager
async def mageseg_server(
    database_url: str, redis_url: str | None, namespace: str, log: Path
) -> AsyncIterator[str]:
    """`mageseg serve` on `database_url`; yields the /graphql URL."""
    port = free_port()
    env = {
        **os.environ,
        "BENCH_PORT": str(port),
        "MAGESEG_DATABASE_URL": database_url,
        "MAGESEG_REDIS_URL": redis_url or "",
        "MAGESEG_CACHE_NAMESPACE": namespace,
        # Background work that is not the request path runs in workers in production.
        "MAGESEG_REFRESH_IN_PROCESS": "false",
        "MAGESEG_TIME_IN_PROCESS": "false",
        "MAGESEG_WEBHOOKS_IN_PROCESS": "false",
        "MAGESEG_LOG_LEVEL": "WARNING",
        "MAGESEG_GRAPHIQL": "false",
        "MAGESEG_SEED_ON_EMPTY": "false",
    }
    command = [*mageseg_command(), "serve", "--no-seed", "--host", "127.0.0.1", "--port", str(port)]
    async with _process(command, env, log) as url:
        yield url


@asynccontextmanager
async def bare_server(body: bytes, folder: Path) -> AsyncIterator[str]:
    """The baseline: `python -m bench.live bare FILE` answering `body` to every POST."""
    path = folder / "bare-body.json"
    path.write_bytes(body)
    port = free_port()
    env = {**os.environ, "BENCH_PORT": str(port)}
    command = [sys.executable, "-m", "bench.live", "bare", str(path)]
    async with _process(command, env, folder / "bare.log") as url:
        yield url


def bare_app(body: bytes) -> web.Application:
    async def graphql(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=body, content_type="application/json")

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/graphql", graphql)
    app.router.add_get("/healthz", healthz)
    return app


def serve_bare(argv: Sequence[str]) -> int:
    body = Path(argv[0]).read_bytes()
    port = int(os.environ["BENCH_PORT"])
    web.run_app(
        bare_app(body), host="127.0.0.1", port=port, print=None, access_log=None, shutdown_timeout=2
    )
    return 0


# --- requests ---------------------------------------------------------------------------------


def request_body(cart: str = "") -> bytes:
    return json.dumps({"query": SEGMENTS_QUERY, "variables": {"cart": cart}}).encode()


def headers_for(token: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


async def graphql(
    session: aiohttp.ClientSession,
    url: str,
    query: str,
    token: str | None = None,
    **variables: Any,
) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables})
    async with session.post(url, data=body, headers=headers_for(token)) as response:
        answer: dict[str, Any] = await response.json()
    if response.status != 200 or answer.get("errors"):
        raise RuntimeError(f"{query.split('(')[0]!r} answered {response.status}: {answer}")
    return answer


async def raw_answer(
    session: aiohttp.ClientSession, url: str, body: bytes, token: str | None
) -> bytes:
    async with session.post(url, data=body, headers=headers_for(token)) as response:
        raw = await response.read()
    if response.status != 200 or b'"errors"' in raw:
        raise RuntimeError(f"customerSegments answered {response.status}: {raw[:500]!r}")
    return raw


async def pick_sku(conn: Any, session: aiohttp.ClientSession, url: str) -> tuple[str, str]:
    """A simple product a guest cart takes, and that guest cart (masked id)."""
    skus = await _scalars(
        conn,
        "SELECT p.sku FROM catalog_product_entity p JOIN cataloginventory_stock_item s "
        "ON s.product_id = p.entity_id WHERE p.type_id = 'simple' AND s.is_in_stock "
        "ORDER BY s.qty DESC, p.entity_id LIMIT 20",
    )
    created = await graphql(session, url, GUEST_CART)
    cart = str(created["data"]["createGuestCart"]["cart"]["id"])
    for sku in skus:
        added = await graphql(session, url, ADD, cart=cart, sku=str(sku))
        if not added["data"]["addProductsToCart"]["user_errors"]:
            return str(sku), cart
    raise RuntimeError(f"no product of {skus} could be added to a cart")


async def stock_of(conn: Any, sku: str) -> tuple[int, str]:
    rows = await conn.execute_query_dict(
        "SELECT s.product_id, s.qty FROM cataloginventory_stock_item s "
        "JOIN catalog_product_entity p ON p.entity_id = s.product_id "
        f"WHERE p.sku = '{sku.replace(chr(39), '')}'"
    )
    return int(rows[0]["product_id"]), str(rows[0]["qty"])


async def restore_stock(conn: Any, stock: tuple[int, str]) -> None:
    product_id, qty = stock
    await conn.execute_script(
        f"UPDATE cataloginventory_stock_item SET qty = {Decimal(qty)} "
        f"WHERE product_id = {int(product_id)}"
    )


# --- wrk (closed loop) ------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx, socket errors, GraphQL errors (open loop)
    unanswered: int = 0  # open loop: not answered by the cutoff (counted as a lower bound)


WRK_SCRIPT = """
local body = %(body)s
local tokens = {}
local counter = 0
local step = 1
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  if args[1] ~= nil and args[1] ~= "" then
    for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  end
  counter = tonumber(args[2] or "0") + (thread_index or 0)
  step = tonumber(args[3] or "1")
end

function request()
  local headers = {["Content-Type"] = "application/json"}
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[(counter %% #tokens) + 1]
    counter = counter + step
  end
  return wrk.format("POST", nil, headers, body)
end
"""


def lua_string(value: bytes) -> str:
    return "[==[" + value.decode() + "]==]"


def wrk_binary() -> str | None:
    return shutil.which("wrk")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    """wrk's `--latency` report: Requests/sec, the 50% and 99% lines, requests, errors."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and total):
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return LoadResult(
        float(rps.group(1)), _ms(p50.group(1)), _ms(p99.group(1)), int(total.group(1)), errors
    )


async def run_wrk(
    url: str,
    body: bytes,
    folder: Path,
    *,
    duration: float,
    connections: int,
    threads: int,
    tokens_file: Path | None = None,
    offset: int = 0,
) -> LoadResult:
    binary = wrk_binary()
    if binary is None:
        raise RuntimeError(WRK_INSTALL)
    script = folder / "request.lua"
    script.write_text(WRK_SCRIPT % {"body": lua_string(body)}, encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        binary,
        f"-t{threads}",
        f"-c{max(connections, threads)}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "-s",
        str(script),
        url,
        "--",
        str(tokens_file or ""),
        str(offset),
        str(threads),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{text}")
    return parse_wrk(text)


# --- open loop (constant rate) ----------------------------------------------------------------


async def open_loop(
    url: str,
    body: bytes,
    tokens: Sequence[str | None],
    *,
    rate: float,
    duration: float,
    connections: int = 256,
    offset: int = 0,
) -> LoadResult:
    """Send `rate` requests/s for `duration` s on a fixed schedule, whatever the answers' pace;
    each latency runs from the request's scheduled send time to its complete answer, so a
    stall shows up in every request it delays (no coordinated omission). Request i carries
    `tokens[(offset + i) % len(tokens)]`."""
    loop = asyncio.get_running_loop()
    total = max(1, int(rate * duration))
    latencies: list[float] = []
    errors = 0
    headers = [headers_for(token) for token in tokens]
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        # Open the connections before the clock starts.
        await asyncio.gather(
            *(
                raw_answer(session, url, body, tokens[(offset + i) % len(tokens)])
                for i in range(min(connections, 32))
            ),
            return_exceptions=True,
        )

        async def one(index: int, scheduled: float) -> None:
            nonlocal errors
            try:
                async with session.post(
                    url, data=body, headers=headers[(offset + index) % len(headers)]
                ) as response:
                    raw = await response.read()
                    if response.status != 200 or b'"errors"' in raw:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append(loop.time() - scheduled)

        tasks = []
        start = loop.time() + 0.05
        for index in range(total):
            scheduled = start + index / rate
            delay = scheduled - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(index, scheduled)))
        # A server that cannot keep up would take minutes to drain: stop waiting after a grace
        # period; what is still unanswered then counts with its wait so far (a lower bound).
        cutoff = start + duration + max(5.0, duration)
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, cutoff - loop.time()))
        stopped = loop.time()
        unanswered = len(pending)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        elapsed = stopped - start
    answered = total - unanswered
    bounds = [stopped - (start + i / rate) for i in range(unanswered)]
    everything = latencies + bounds
    return LoadResult(
        answered / elapsed,
        percentile(everything, 0.50) * 1000,
        percentile(everything, 0.99) * 1000,
        total,
        errors,
        unanswered,
    )


async def settle(url: str, body: bytes, token: str | None, limit_s: float = 120.0) -> None:
    """Wait for a server to work off a backlog: until three requests in a row answer within
    50 ms (or `limit_s` passes)."""
    deadline = time.monotonic() + limit_s
    fast = 0
    async with aiohttp.ClientSession() as session:
        while fast < 3 and time.monotonic() < deadline:
            started = time.perf_counter()
            await raw_answer(session, url, body, token)
            fast = fast + 1 if time.perf_counter() - started < 0.05 else 0
            await asyncio.sleep(0.2)


# --- mutations --------------------------------------------------------------------------------


@dataclass
class MutationTimings:
    add: list[float] = field(default_factory=list)
    place: list[float] = field(default_factory=list)


async def _timed(
    session: aiohttp.ClientSession, url: str, query: str, token: str, **variables: Any
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    answer = await graphql(session, url, query, token, **variables)
    return time.perf_counter() - started, answer


async def mutate(
    url: str, tokens: Sequence[str], sku: str, timings: MutationTimings | None
) -> None:
    """For each token (a customer with no active cart): open the customer's cart, time
    `addProductsToCart` of one item, check out (untimed), time `placeOrder`."""
    async with aiohttp.ClientSession() as session:
        for token in tokens:
            opened = await graphql(session, url, CUSTOMER_CART, token)
            cart = opened["data"]["customerCart"]["id"]
            add_s, added = await _timed(session, url, ADD, token, cart=cart, sku=sku)
            if added["data"]["addProductsToCart"]["user_errors"]:
                raise RuntimeError(f"addProductsToCart: {added}")
            for query, variables in CHECKOUT:
                await graphql(session, url, query, token, cart=cart, **variables)
            place_s, placed = await _timed(session, url, PLACE, token, cart=cart)
            if placed["data"]["placeOrder"]["errors"]:
                raise RuntimeError(f"placeOrder: {placed}")
            if timings is not None:
                timings.add.append(add_s)
                timings.place.append(place_s)


# --- the run ----------------------------------------------------------------------------------


@dataclass
class CaseResult:
    label: str
    closed: list[LoadResult] = field(default_factory=list)
    opened: list[LoadResult] = field(default_factory=list)

    def median_of(self, results: list[LoadResult], attribute: str) -> float | None:
        values = [getattr(r, attribute) for r in results]
        return median(values) if values else None


@dataclass
class Report:
    database: str
    customers: int
    orders: int
    segments: int
    cases: list[CaseResult]
    active: MutationTimings
    inactive: MutationTimings
    cold_tokens: int
    cold_requests: int
    args: argparse.Namespace
    notes: list[str] = field(default_factory=list)


async def _flush_namespace(redis_url: str | None, prefix: str) -> None:
    if not redis_url:
        return
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=1000)]
        for start in range(0, len(keys), 1000):
            await client.delete(*keys[start : start + 1000])
    finally:
        await client.aclose()


async def population_url(args: argparse.Namespace) -> str:
    if args.database:
        return str(args.database)
    from bench.segments import postgres_population

    population = await postgres_population(args.database_url, args.customers)
    return population.url


async def run(args: argparse.Namespace) -> Report:
    url = await population_url(args)
    redis_url = args.redis_url or None
    run_id = uuid.uuid4().hex[:8]
    prefix = f"bench-live-{run_id}"
    folder = Path(tempfile.mkdtemp(prefix="mageseg-bench-live-"))
    log = folder / "server.log"
    print(f"Database {url}; logs in {folder}", file=sys.stderr)
    from mageseg.database import tortoise_config

    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        conn = ctx.connections.get("default")
        customers = int((await _scalars(conn, "SELECT COUNT(*) FROM customer_entity"))[0])
        orders = int((await _scalars(conn, "SELECT COUNT(*) FROM sales_order"))[0])
        mutating = 2 * args.rounds * (args.mutations + args.warmup_mutations)
        print("Creating the 100 segments and the shoppers' tokens...", file=sys.stderr)
        shoppers = await pick_shoppers(conn, args.cold_customers, mutating)
        try:
            segment_ids = await create_segments(conn)
            report = await _measure(args, conn, url, redis_url, prefix, folder, log, shoppers)
            report.database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
            report.customers = customers
            report.orders = orders
            report.segments = len(segment_ids)
            return report
        finally:
            print("Cleaning up...", file=sys.stderr)
            await conn.execute_script(
                f"DELETE FROM magento_customersegment_segment WHERE name LIKE '{NAME_PREFIX}%'"
            )
            await remove_added_rows(conn, shoppers.marks)
            if shoppers.stock is not None:
                await restore_stock(conn, shoppers.stock)
            await _flush_namespace(redis_url, prefix)
            if not args.keep_logs:
                shutil.rmtree(folder, ignore_errors=True)


async def _measure(
    args: argparse.Namespace,
    conn: Any,
    url: str,
    redis_url: str | None,
    prefix: str,
    folder: Path,
    log: Path,
    shoppers: Shoppers,
) -> Report:
    cases = {
        key: CaseResult(label)
        for key, label in (
            ("bare", "bare aiohttp handler, same JSON bytes (baseline)"),
            ("hot", "hot customer (one token repeated)"),
            ("cold", "cold customers (a different token per request)"),
            ("guest", "guest cart (masked cart id)"),
        )
    }
    cold_file = folder / "cold-tokens.txt"
    cold_file.write_text("\n".join(shoppers.cold) + "\n", encoding="utf-8")
    hot_file = folder / "hot-token.txt"
    hot_file.write_text(shoppers.hot + "\n", encoding="utf-8")
    token_files = {"bare": hot_file, "hot": hot_file, "cold": cold_file, "guest": None}
    customer_body = request_body("")
    notes: list[str] = []
    cold_offset = 0
    cold_requests = 0
    have_wrk = wrk_binary() is not None
    if not have_wrk:
        notes.append(WRK_INSTALL + "; the wrk rows are missing.")
        print(WRK_INSTALL, file=sys.stderr)
    async with mageseg_server(url, redis_url, f"{prefix}-load", log) as app_url:
        async with aiohttp.ClientSession() as session:
            shoppers.sku, shoppers.guest_cart = await pick_sku(conn, session, app_url)
            shoppers.stock = await stock_of(conn, shoppers.sku)
            hot_answer = await raw_answer(session, app_url, customer_body, shoppers.hot)
            guest_answer = await raw_answer(
                session, app_url, request_body(shoppers.guest_cart), None
            )
            for token in shoppers.cold[:20]:
                await raw_answer(session, app_url, customer_body, token)
        hot_uids = len(json.loads(hot_answer)["data"]["customerSegments"])
        guest_uids = len(json.loads(guest_answer)["data"]["customerSegments"])
        notes.append(
            f"The hot customer is in {hot_uids} of the segments, the guest cart in "
            f"{guest_uids}; the bare handler answers the hot customer's {len(hot_answer)} bytes."
        )
        async with bare_server(hot_answer, folder) as bare_url:
            targets: dict[str, tuple[str, bytes, list[str | None]]] = {
                "bare": (bare_url, customer_body, [shoppers.hot]),
                "hot": (app_url, customer_body, [shoppers.hot]),
                "cold": (app_url, customer_body, list(shoppers.cold)),
                "guest": (app_url, request_body(shoppers.guest_cart), [None]),
            }
            # Warm up every case (connections, caches of the hot path, JIT-less Python).
            for target, body, tokens in targets.values():
                await open_loop(target, body, tokens[:1], rate=min(args.rate, 200), duration=1)
            for round_number in range(1, args.rounds + 1):
                print(f"Load, round {round_number}/{args.rounds}", file=sys.stderr)
                for key, (target, body, tokens) in targets.items():
                    if have_wrk:
                        result = await run_wrk(
                            target,
                            body,
                            folder,
                            duration=args.duration,
                            connections=args.connections,
                            threads=args.threads,
                            tokens_file=token_files[key],
                            offset=cold_offset if key == "cold" else 0,
                        )
                        cases[key].closed.append(result)
                        if key == "cold":
                            cold_offset += result.requests
                            cold_requests += result.requests
                        print(f"  wrk {key}: {_load(result)}", file=sys.stderr)
                    opened = await open_loop(
                        target,
                        body,
                        tokens,
                        rate=args.rate,
                        duration=args.duration,
                        offset=cold_offset if key == "cold" else 0,
                    )
                    if key == "cold":
                        cold_offset += opened.requests
                        cold_requests += opened.requests
                    cases[key].opened.append(opened)
                    print(f"  {args.rate:g}/s {key}: {_load(opened)}", file=sys.stderr)
                    if opened.unanswered:
                        await settle(app_url, customer_body, shoppers.hot)
    active = MutationTimings()
    inactive = MutationTimings()
    per_phase = args.mutations + args.warmup_mutations
    remaining = list(shoppers.mutating)
    for round_number in range(1, args.rounds + 1):
        order = (True, False) if round_number % 2 else (False, True)
        for is_active in order:
            await set_active(conn, is_active)
            state = "active" if is_active else "inactive"
            batch, remaining = remaining[:per_phase], remaining[per_phase:]
            namespace = f"{prefix}-mutations-{round_number}-{state}"
            async with mageseg_server(url, redis_url, namespace, log) as app_url:
                await mutate(app_url, batch[: args.warmup_mutations], shoppers.sku, None)
                timings = active if is_active else inactive
                before = len(timings.add)
                await mutate(app_url, batch[args.warmup_mutations :], shoppers.sku, timings)
            print(
                f"Mutations, round {round_number}, segments {state}: addProductsToCart "
                f"{median(timings.add[before:]) * 1000:.1f} ms, placeOrder "
                f"{median(timings.place[before:]) * 1000:.1f} ms (medians)",
                file=sys.stderr,
            )
    await set_active(conn, True)
    return Report(
        database="",
        customers=0,
        orders=0,
        segments=0,
        cases=list(cases.values()),
        active=active,
        inactive=inactive,
        cold_tokens=len(shoppers.cold),
        cold_requests=cold_requests,
        args=args,
        notes=notes,
    )


def _load(result: LoadResult) -> str:
    return (
        f"{result.requests_per_s:,.0f} req/s, p50 {result.p50_ms:.2f} ms, "
        f"p99 {result.p99_ms:.2f} ms, {result.requests:,} requests, {result.errors} errors, "
        f"{result.unanswered} unanswered"
    )


# --- the report -------------------------------------------------------------------------------


def _num(value: float | None, pattern: str) -> str:
    return "-" if value is None else format(value, pattern)


def render(report: Report) -> str:
    args = report.args
    cases = report.cases
    bare = cases[0]
    bare_rps = bare.median_of(bare.closed, "requests_per_s")
    cache = "Redis" if args.redis_url else "in-memory cache"
    lines = [
        f"{SECTION} ({report.database} {report.customers:,} customers / {report.orders:,} "
        f"orders, {report.segments} active segments, {cache}; median of {args.rounds} rounds)",
        "",
        "`python -m bench live` (`make bench-live`; see `bench/live.py`). A `mageseg serve`",
        f"subprocess ({cache}), against a bare aiohttp handler (its own subprocess) answering",
        "the hot customer's exact JSON bytes, both on loopback, on the same machine as the load",
        "generator, the database and Redis. Request: `customerSegments(cartId)` `{ uid }`;",
        "customers send a token and an empty cart id, the guest its masked cart id.",
        f"Closed loop: wrk, {args.threads} thread(s), {args.connections} connections, "
        f"{args.duration:g} s per case and round. Constant rate: {args.rate:,.0f} requests/s for",
        f"{args.duration:g} s from an open-loop asyncio/aiohttp generator (wrk cannot hold a rate;",
        "wrk2 is not packaged in Debian) that times each request from its scheduled send time,",
        "so stalls are not hidden (no coordinated omission); it runs in the benchmark process,",
        "its own overhead shows in the baseline row. A request still unanswered 5 s (or one",
        "duration) after the last send counts with its wait so far, and its percentile is",
        "marked >= (the server could not keep up). Cases take turns within each round.",
        "",
        "| request | wrk requests/s | / baseline | wrk p50 ms | wrk p99 ms | "
        f"answered/s at {args.rate:,.0f}/s | p50 ms at {args.rate:,.0f}/s "
        f"| p99 ms at {args.rate:,.0f}/s | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        rps = case.median_of(case.closed, "requests_per_s")
        ratio = rps / bare_rps if rps is not None and bare_rps else None
        errors = sum(r.errors for r in case.closed + case.opened)
        bound = ">= " if any(r.unanswered for r in case.opened) else ""
        lines.append(
            f"| {case.label} | {_num(rps, ',.0f')} | {_num(ratio, '.2f')} "
            f"| {_num(case.median_of(case.closed, 'p50_ms'), '.2f')} "
            f"| {_num(case.median_of(case.closed, 'p99_ms'), '.2f')} "
            f"| {_num(case.median_of(case.opened, 'requests_per_s'), ',.0f')} "
            f"| {bound}{_num(case.median_of(case.opened, 'p50_ms'), '.2f')} "
            f"| {bound}{_num(case.median_of(case.opened, 'p99_ms'), '.2f')} | {errors} |"
        )
    lines += [
        "",
        f"Mutations over HTTP, one at a time, {args.mutations} samples per round and state "
        f"({args.rounds} rounds, after {args.warmup_mutations} warm-up samples per server start),",
        "each on its own customer (an existing customer with order history and no active cart):",
        "`addProductsToCart` of one item into the customer's new cart, and `placeOrder` of that",
        "cart after checkout (untimed). Baseline: the same mutations with the 100 segments",
        "inactive, in server runs alternating with the active ones. p50 is the median of the",
        "per-round medians, p99 is over every sample; added = active - inactive.",
        "",
        "| mutation | p50 ms, segments active | p50 ms, inactive (baseline) | added p50 ms | "
        "p99 ms, active | p99 ms, inactive | added p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, attribute in (("`addProductsToCart`", "add"), ("`placeOrder`", "place")):
        on = getattr(report.active, attribute)
        off = getattr(report.inactive, attribute)
        if not on or not off:
            continue
        p50_on = _round_median(on, args.rounds) * 1000
        p50_off = _round_median(off, args.rounds) * 1000
        p99_on = percentile(on, 0.99) * 1000
        p99_off = percentile(off, 0.99) * 1000
        lines.append(
            f"| {label} | {p50_on:.1f} | {p50_off:.1f} | {p50_on - p50_off:+.1f} "
            f"| {p99_on:.1f} | {p99_off:.1f} | {p99_on - p99_off:+.1f} |"
        )
    lines += ["", *_notes(report)]
    return "\n".join(lines) + "\n"


def _round_median(samples: list[float], rounds: int) -> float:
    size = max(1, len(samples) // max(1, rounds))
    chunks = [samples[i : i + size] for i in range(0, len(samples), size)]
    return median([median(chunk) for chunk in chunks if chunk])


def _notes(report: Report) -> list[str]:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    reused = max(0, report.cold_requests - report.cold_tokens)
    lines = [
        f"Notes: {cpus} CPUs shared by the load generator, the server (one process, one event",
        "loop; its refresh, time and webhook runners off, as with `mageseg worker` processes),",
        "PostgreSQL and Redis. Cold customers: "
        f"{report.cold_tokens:,} tokens of distinct customers for {report.cold_requests:,} cold "
        f"requests (wrk and open loop together), so {reused:,} requests went to a customer asked",
        "about before in the run. Errors count non-2xx answers, socket errors, and (open loop)",
        "answers carrying GraphQL `errors`; wrk's answers are checked by sampling before the",
        "run.",
    ]
    lines += report.notes
    return [" ".join(lines)]


def replace_section(document: str, section: str) -> str:
    """`document` with its live section replaced by `section` (appended when absent)."""
    pattern = re.compile(rf"^{re.escape(SECTION)}.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(document):
        return pattern.sub(lambda _: section + "\n", document, count=1).rstrip("\n") + "\n"
    return document.rstrip("\n") + "\n\n" + section


def keep_section(old: str, new: str) -> str:
    """For `python -m bench`, which rewrites BENCHMARKS.md: carry the live section over."""
    match = re.search(rf"^{re.escape(SECTION)}.*?(?=^## |\Z)", old, re.S | re.M)
    if not match or SECTION in new:
        return new
    return new.rstrip("\n") + "\n\n" + match.group(0).rstrip("\n") + "\n"


# --- command line -----------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench live", description=__doc__)
    p.add_argument("--customers", type=int, default=1_000_000, help="population size")
    p.add_argument(
        "--database-url",
        default=os.environ.get("MAGESEG_BENCH_DATABASE_URL", DEFAULT_PG),
        help="a PostgreSQL server database to connect to (the population has its own)",
    )
    p.add_argument("--database", help="measure this seeded database as it is instead")
    p.add_argument("--redis-url", default=DEFAULT_REDIS, help="'' for the in-memory cache")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--duration", type=float, default=10.0, help="seconds per load case")
    p.add_argument("--connections", type=int, default=16, help="wrk connections")
    p.add_argument("--threads", type=int, default=1, help="wrk threads")
    p.add_argument("--rate", type=float, default=1000.0, help="open-loop requests/s")
    p.add_argument("--cold-customers", type=int, default=50_000, help="cold tokens")
    p.add_argument("--mutations", type=int, default=20, help="samples per round and state")
    p.add_argument("--warmup-mutations", type=int, default=3)
    p.add_argument("--keep-logs", action="store_true", help="keep the servers' logs")
    p.add_argument("--output", type=Path, default=OUTPUT, help="the Markdown file to update")
    p.add_argument("--no-write", action="store_true", help="print the section only")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["bare"]:
        return serve_bare(arguments[1:])
    args = parser().parse_args(arguments)
    report = asyncio.run(run(args))
    section = render(report)
    if not args.no_write:
        old = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        args.output.write_text(replace_section(old, section), encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
