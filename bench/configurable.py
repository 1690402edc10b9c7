"""Configurable products: `python -m bench.configurable [--rounds 5] [--requests 40]`.

Two pairs of cases, in the same run against the same demo shop (`seeds.loader.load`, SQLite,
in-memory cache), served in process over HTTP (aiohttp's test server, one request at a time):

- a guest cart of 10 configurable lines (10 demo parents, each with a chosen child added by
  `addProductsToCart` with its option uids) beside a guest cart of 10 simple products, both read
  with Venia's cart-page document (items with prices, `configurable_options` and
  `configured_variant`, and the cart's prices);
- a category listing page of 24 configurable products beside one of 24 simple products, both
  read with Venia's category-page document (prices, small image, options with swatches,
  `total_count`, `aggregations` and `sort_fields`): the products of the department holding the
  most of each type, narrowed to 24 by sku so each page holds exactly its type.

The cases take turns within each round; p50 is the median of the per-round medians, p99 is over
every sample."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from aiohttp.test_utils import TestClient, TestServer
from tortoise.context import TortoiseContext

from engine import configurable
from engine.passwords import PasswordHasher
from engine.uids import encode_uid
from mageseg.app import create_app
from mageseg.database import migrate, tortoise_config
from mageseg.settings import Settings
from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductSuperLink,
)
from models.catalog import ProductStatus, ProductType, Visibility
from seeds.loader import load

CART = """
query ($id: String!) { cart(cart_id: $id) {
  id total_quantity
  items {
    uid quantity product { uid sku name stock_status }
    prices { price { value currency } row_total { value } total_item_discount { value } }
    errors { code message }
    ... on ConfigurableCartItem {
      configurable_options { id option_label value_id value_label }
      configured_variant { uid sku }
    }
  }
  prices { subtotal_excluding_tax { value } grand_total { value } discounts { label } }
} }
"""
LISTING = """
query ($filter: ProductAttributeFilterInput!) {
  products(filter: $filter, pageSize: 24, currentPage: 1) {
    items {
      __typename uid name sku url_key url_suffix stock_status rating_summary
      small_image { url label }
      price_range { minimum_price { regular_price { value currency } final_price { value }
        discount { amount_off percent_off } } maximum_price { final_price { value } } }
      ... on ConfigurableProduct {
        configurable_options { attribute_code attribute_id uid label
          values { default_label label store_label use_default_value value_index uid
            swatch_data { value ... on ImageSwatchData { thumbnail } } } }
      }
    }
    page_info { total_pages current_page }
    total_count
    aggregations(filter: {category: {includeDirectChildrenOnly: true}}) {
      label count attribute_code position options { label value count }
    }
    sort_fields { default options { label value } }
  }
}
"""
ADD = """
mutation ($id: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $id, cartItems: $items) { user_errors { code message } }
}
"""


async def _post(client: TestClient[Any, Any], query: str, variables: dict[str, Any]) -> Any:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body = await response.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def _cart(client: TestClient[Any, Any], items: list[dict[str, Any]]) -> str:
    data = await _post(client, "mutation { createGuestCart { cart { id } } }", {})
    cart_id: str = data["createGuestCart"]["cart"]["id"]
    added = await _post(client, ADD, {"id": cart_id, "items": items})
    errors = added["addProductsToCart"]["user_errors"]
    if errors:
        raise RuntimeError(errors)
    return cart_id


async def _configurable_items() -> list[dict[str, Any]]:
    parents = await CatalogProductEntity.filter(
        type_id=ProductType.CONFIGURABLE, status=ProductStatus.ENABLED
    ).order_by("entity_id")
    configs = await configurable.load_configurations([p.entity_id for p in parents], 1, 1)
    items = []
    for parent, config in zip(parents, configs, strict=True):
        if not config.variants:
            continue
        variant = config.variants[0]
        uids = [configurable.option_uid(a, o) for a, o in variant.options.items()]
        items.append({"sku": parent.sku, "quantity": 1, "selected_options": uids})
        if len(items) == 10:
            break
    return items


async def _simple_items() -> list[dict[str, Any]]:
    children = {
        int(i)
        for i in cast(
            list[Any], await CatalogProductSuperLink.all().values_list("product_id", flat=True)
        )
    }
    in_stock = {
        int(i)
        for i in cast(
            list[Any],
            await CataloginventoryStockItem.filter(is_in_stock=True).values_list(
                "product_id", flat=True
            ),
        )
    }
    rows = await CatalogProductEntity.filter(
        type_id=ProductType.SIMPLE, status=ProductStatus.ENABLED, visibility=Visibility.BOTH
    ).order_by("entity_id")
    return [
        {"sku": p.sku, "quantity": 1}
        for p in rows
        if p.entity_id not in children and p.entity_id in in_stock
    ][:10]


async def _listing_filter(configurable_type: bool) -> dict[str, Any]:
    """The department with the most visible, enabled products of the type, and 24 of them."""
    kind = ProductType.CONFIGURABLE if configurable_type else ProductType.SIMPLE
    children = {
        int(i)
        for i in cast(
            list[Any], await CatalogProductSuperLink.all().values_list("product_id", flat=True)
        )
    }
    rows = await CatalogProductEntity.filter(
        type_id=kind, status=ProductStatus.ENABLED, visibility=Visibility.BOTH
    ).order_by("entity_id")
    ids = {p.entity_id: p.sku for p in rows if p.entity_id not in children}
    departments = await CatalogCategoryEntity.filter(level=2).order_by("entity_id")
    links = await CatalogCategoryProduct.filter(
        category_id__in=[d.entity_id for d in departments], product_id__in=list(ids)
    ).values_list("category_id", "product_id")
    held: dict[int, list[int]] = {}
    for category_id, product_id in links:
        held.setdefault(int(category_id), []).append(int(product_id))
    category_id, products = max(held.items(), key=lambda item: (len(item[1]), -item[0]))
    if len(products) < 24:
        raise RuntimeError(f"no department holds 24 {kind.value} products")
    return {
        "category_uid": {"eq": encode_uid(category_id)},
        "sku": {"in": [ids[i] for i in sorted(products)[:24]]},
    }


async def _measure(
    client: TestClient[Any, Any],
    cases: dict[str, tuple[str, dict[str, Any]]],
    rounds: int,
    requests: int,
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    samples: dict[str, list[float]] = {name: [] for name in cases}
    medians: dict[str, list[float]] = {name: [] for name in cases}
    for query, variables in cases.values():  # warm up
        await _post(client, query, variables)
    for round_number in range(rounds):
        order = list(cases.items())
        if round_number % 2:
            order.reverse()
        for name, (query, variables) in order:
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                await _post(client, query, variables)
                times.append((time.perf_counter() - start) * 1000)
            samples[name].extend(times)
            medians[name].append(statistics.median(times))
    return samples, medians


def _report(title: str, samples: dict[str, list[float]], medians: dict[str, list[float]]) -> str:
    lines = [title]
    for name in samples:
        ordered = sorted(samples[name])
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        lines.append(f"- {name}: p50 {statistics.median(medians[name]):.1f} ms, p99 {p99:.1f} ms")
    return "\n".join(lines)


async def run(rounds: int, requests: int, customers: int) -> str:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite://{Path(directory) / 'bench.sqlite3'}"
        await migrate(url)
        ctx = TortoiseContext()
        async with ctx:
            await ctx.init(config=tortoise_config(url))
            await load(
                customers,
                seed=7,
                progress=False,
                hasher=PasswordHasher(time_cost=1, memory_kib=1024),
            )
            settings = Settings(database_url=url, seed_on_empty=False)
            app = create_app(settings, manage_database=False)
            async with TestClient(TestServer(app)) as client:
                carts = {
                    "10 simple lines": (
                        CART,
                        {"id": await _cart(client, await _simple_items())},
                    ),
                    "10 configurable lines": (
                        CART,
                        {"id": await _cart(client, await _configurable_items())},
                    ),
                }
                listings = {
                    "24 simple products": (
                        LISTING,
                        {"filter": await _listing_filter(configurable_type=False)},
                    ),
                    "24 configurable products": (
                        LISTING,
                        {"filter": await _listing_filter(configurable_type=True)},
                    ),
                }
                cart_times = await _measure(client, carts, rounds, requests)
                listing_times = await _measure(client, listings, rounds, requests)
    return "\n".join(
        (
            _report(
                f"Cart read (Venia's cart page document), guest, SQLite, {rounds} rounds x "
                f"{requests} requests:",
                *cart_times,
            ),
            _report(
                f"Category page (Venia's listing document with aggregations), guest, SQLite, "
                f"{rounds} rounds x {requests} requests:",
                *listing_times,
            ),
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--customers", type=int, default=20)
    args = parser.parse_args()
    print(asyncio.run(run(args.rounds, args.requests, args.customers)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
