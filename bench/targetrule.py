"""Related product rules: `python -m bench targetrule [--products 10000] [--rules 500]
[--segments 100] [--rounds 3] [--requests 150]`.

A product page's three lists (`related_products`, `upsell_products`, `crosssell_products`, each
with sku, name and price) over HTTP, with 500 active rules over 10,000 products and 100 active
segments, beside the same page served from a copy of the database with the manual links only (no
rule), measured in the same run; and the time to build the "products to match" index of the 500
rules (`engine.targetrule.index.reindex_all`).

The shop: 50 categories, 10,000 simple products (each in one category, prices 5..500, weights
1..10, every product with 3 related, 2 up-sell and 2 cross-sell links), 100 segments (90 for
registered customers on `firstname`, 10 for visitors with no conditions, so a guest is in 10) and
500 rules: a third per list type; 30% for 1 to 3 specified segments (a tenth of those for a
visitor segment); "products to match" a category (80%), a price range (10%) or everything (10%);
"products to display" the same category as the matched product, with a price between 80% and
120% of it (40%), the same category only (30%), the same weight (10%), a constant price range
(10%) or a constant category (10%). Result limits 3..10, priorities 0..9.

The shopper is a guest (visitor segments evaluated live on every request, as `customerSegments`
would). Requests go to `--pages` product pages in turn, one at a time over a kept-alive loopback
connection to `mageseg serve` (SQLite, in-memory cache, background runners off): the first round
pays for the cache fills (reported apart as "first visit"), later rounds hit the per-shopper
cache. p50 is the median of the per-round medians, p99 is over every sample. The section
"Related product rules" of BENCHMARKS.md is replaced, the rest is kept."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import aiohttp

from bench import live
from bench.pricing import orm
from bench.stats import median, percentile
from mageseg.database import migrate

SECTION = "## Related product rules"
OUTPUT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
M = "Magento\\TargetRule\\Model\\Rule\\Condition\\"
A = "Magento\\TargetRule\\Model\\Actions\\Condition\\"
SEGMENT_NS = "Magento\\CustomerSegment\\Model\\Segment\\Condition\\"
PAGE = """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) {
    items {
      sku
      related_products { sku name price_range { minimum_price { final_price { value } } } }
      upsell_products { sku name price_range { minimum_price { final_price { value } } } }
      crosssell_products { sku name price_range { minimum_price { final_price { value } } } }
    }
  }
}
"""


def _combine(kind: str, *conditions: dict[str, Any]) -> str:
    return json.dumps(
        {
            "type": kind + "Combine",
            "aggregator": "all",
            "value": "1",
            "conditions": list(conditions),
        }
    )


def _match(rng: random.Random, categories: list[int]) -> str:
    draw = rng.random()
    leaf = M + "Product\\Attributes"
    if draw < 0.8:
        return _combine(
            M,
            {
                "type": leaf,
                "attribute": "category_ids",
                "operator": "==",
                "value": str(rng.choice(categories)),
            },
        )
    if draw < 0.9:
        low = rng.randrange(5, 400)
        return _combine(
            M,
            {"type": leaf, "attribute": "price", "operator": ">=", "value": str(low)},
            {"type": leaf, "attribute": "price", "operator": "<=", "value": str(low + 100)},
        )
    return _combine(M)


def _display(rng: random.Random, categories: list[int]) -> str:
    leaf = A + "Product\\Attributes"
    price = A + "Product\\Special\\Price"
    same_category = {
        "type": leaf,
        "attribute": "category_ids",
        "operator": "==",
        "value_type": "same_as",
        "value": "",
    }
    draw = rng.random()
    if draw < 0.4:
        return _combine(
            A,
            same_category,
            {"type": price, "operator": ">=", "value": "80"},
            {"type": price, "operator": "<=", "value": "120"},
        )
    if draw < 0.7:
        return _combine(A, same_category)
    if draw < 0.8:
        return _combine(
            A,
            {
                "type": leaf,
                "attribute": "weight",
                "operator": "==",
                "value_type": "same_as",
                "value": "",
            },
        )
    if draw < 0.9:
        low = rng.randrange(5, 400)
        return _combine(
            A,
            {
                "type": leaf,
                "attribute": "price",
                "operator": ">=",
                "value_type": "constant",
                "value": str(low),
            },
            {
                "type": leaf,
                "attribute": "price",
                "operator": "<=",
                "value_type": "constant",
                "value": str(low + 50),
            },
        )
    return _combine(
        A,
        {
            "type": leaf,
            "attribute": "category_ids",
            "operator": "==",
            "value_type": "constant",
            "value": str(rng.choice(categories)),
        },
    )


async def build_shop(url: str, products: int, segments: int) -> list[str]:
    """Categories, products with links, segments; returns the skus."""
    from engine.segments import service
    from models import (
        ApplyTo,
        CatalogCategoryEntity,
        CatalogCategoryProduct,
        CataloginventoryStockItem,
        CatalogProductEntity,
        CatalogProductLink,
        CatalogProductLinkAttributeInt,
        CatalogProductWebsite,
    )

    rng = random.Random(17)
    async with orm(url):
        categories = []
        for number in range(50):
            row = await CatalogCategoryEntity.create(
                parent_id=2, path="", level=2, name=f"Category {number}"
            )
            row.path = f"1/2/{row.entity_id}"
            await row.save()
            categories.append(row.entity_id)
        skus = [f"B-{i:05d}" for i in range(products)]
        await CatalogProductEntity.bulk_create(
            [
                CatalogProductEntity(
                    attribute_set_id=4,
                    sku=sku,
                    name=f"Product {sku}",
                    url_key=sku.lower(),
                    price=Decimal(rng.randrange(500, 50_000)) / 100,
                    weight=Decimal(rng.randrange(1, 11)),
                    tax_class_id=2,
                )
                for sku in skus
            ],
            batch_size=1000,
        )
        ids = list(
            await CatalogProductEntity.all()
            .order_by("entity_id")
            .values_list("entity_id", flat=True)
        )
        await CatalogProductWebsite.bulk_create(
            [CatalogProductWebsite(product_id=p, website_id=1) for p in ids], batch_size=1000
        )
        await CataloginventoryStockItem.bulk_create(
            [CataloginventoryStockItem(product_id=p, qty=100) for p in ids], batch_size=1000
        )
        await CatalogCategoryProduct.bulk_create(
            [CatalogCategoryProduct(category_id=rng.choice(categories), product_id=p) for p in ids],
            batch_size=1000,
        )
        links = []
        for p in ids:
            others = rng.sample(ids, 8)
            kinds = [1, 1, 1, 4, 4, 5, 5]
            links += [
                CatalogProductLink(product_id=p, linked_product_id=o, link_type_id=k)
                for o, k in zip(others, kinds, strict=False)
                if o != p
            ]
        await CatalogProductLink.bulk_create(links, batch_size=2000)
        link_rows = await CatalogProductLink.all().values_list("link_id", "link_type_id")
        attribute = {1: 1, 4: 2, 5: 3}
        await CatalogProductLinkAttributeInt.bulk_create(
            [
                CatalogProductLinkAttributeInt(
                    product_link_attribute_id=attribute[t], link_id=i, value=rng.randrange(1, 10)
                )
                for i, t in link_rows
            ],
            batch_size=2000,
        )
        for number in range(segments):
            visitor = number >= segments - segments // 10
            await service.create(
                service.SegmentChanges(
                    name=f"Bench segment {number:03d}",
                    is_active=True,
                    apply_to=ApplyTo.VISITORS if visitor else ApplyTo.REGISTERED,
                    website_ids=[1],
                    conditions_serialized=None
                    if visitor
                    else json.dumps(
                        {
                            "type": SEGMENT_NS + "Combine\\Root",
                            "aggregator": "all",
                            "value": "1",
                            "conditions": [
                                {
                                    "type": SEGMENT_NS + "Customer\\Attributes",
                                    "attribute": "firstname",
                                    "operator": "==",
                                    "value": f"Name{number}",
                                }
                            ],
                        }
                    ),
                )
            )
        return skus


async def add_rules(url: str, count: int) -> float:
    """Insert the rules, then time the full index build; returns seconds."""
    from tortoise.transactions import in_transaction

    from engine.targetrule import index
    from models import (
        CatalogCategoryEntity,
        MagentoCustomersegmentSegment,
        MagentoTargetrule,
        MagentoTargetruleCustomersegment,
    )
    from models.segments import ApplyTo as SegmentApplyTo

    rng = random.Random(23)
    async with orm(url):
        categories = [
            int(c)
            for c in cast(
                list[Any],
                await CatalogCategoryEntity.filter(level=2).values_list("entity_id", flat=True),
            )
        ]
        registered = list(
            await MagentoCustomersegmentSegment.filter(
                apply_to=SegmentApplyTo.REGISTERED
            ).values_list("segment_id", flat=True)
        )
        visitors = list(
            await MagentoCustomersegmentSegment.filter(
                apply_to=SegmentApplyTo.VISITORS
            ).values_list("segment_id", flat=True)
        )
        for number in range(count):
            rule = await MagentoTargetrule.create(
                name=f"Bench rule {number:03d}",
                is_active=True,
                apply_to=number % 3 + 1,
                sort_order=rng.randrange(10),
                positions_limit=rng.randrange(3, 11),
                conditions_serialized=_match(rng, categories),
                actions_serialized=_display(rng, categories),
            )
            if rng.random() < 0.3:
                pool = visitors if rng.random() < 0.1 else registered
                for segment in rng.sample(pool, rng.randrange(1, 4) if len(pool) > 3 else 1):
                    await MagentoTargetruleCustomersegment.create(
                        rule_id=rule.rule_id, segment_id=segment
                    )
        started = time.perf_counter()
        async with in_transaction():
            summary = await index.reindex_all()
        seconds = time.perf_counter() - started
        print(
            f"index: {summary.rules} rules x {summary.products} products -> {summary.rows} rows "
            f"in {seconds:.1f} s",
            file=sys.stderr,
        )
        return seconds


async def _time(session: aiohttp.ClientSession, url: str, sku: str) -> float:
    body = json.dumps({"query": PAGE, "variables": {"sku": sku}})
    started = time.perf_counter()
    async with session.post(url, data=body, headers={"Content-Type": "application/json"}) as r:
        answer = await r.json()
    elapsed = (time.perf_counter() - started) * 1000
    assert "errors" not in answer, answer
    return elapsed


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="bench-targetrule-"))
    try:
        base = folder / "links.sqlite3"
        await migrate(f"sqlite://{base}")
        skus = await build_shop(f"sqlite://{base}", args.products, args.segments)
        rules_db = folder / "rules.sqlite3"
        shutil.copy(base, rules_db)
        index_seconds = await add_rules(f"sqlite://{rules_db}", args.rules)
        pages = random.Random(5).sample(skus, args.pages)
        samples: dict[str, list[list[float]]] = {"rules": [], "links": []}
        first: dict[str, list[float]] = {"rules": [], "links": []}
        async with (
            live.mageseg_server(
                f"sqlite://{rules_db}", None, "tr-rules", folder / "r.log"
            ) as rules_url,
            live.mageseg_server(
                f"sqlite://{base}", None, "tr-links", folder / "l.log"
            ) as links_url,
            aiohttp.ClientSession() as session,
        ):
            urls = {"rules": rules_url, "links": links_url}
            for round_number in range(args.rounds):
                order = ["rules", "links"] if round_number % 2 == 0 else ["links", "rules"]
                for case in order:
                    times = []
                    for number in range(args.requests):
                        elapsed = await _time(session, urls[case], pages[number % len(pages)])
                        times.append(elapsed)
                        if round_number == 0 and number < len(pages):
                            first[case].append(elapsed)
                    samples[case].append(times)
        return {"index_seconds": index_seconds, "samples": samples, "first": first}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def render(args: argparse.Namespace, found: dict[str, Any]) -> str:
    def p50(case: str) -> float:
        return median([median(r) for r in found["samples"][case]])

    def p99(case: str) -> float:
        return percentile([t for r in found["samples"][case] for t in r], 0.99)

    def first(case: str, q: float) -> float:
        return percentile(found["first"][case], q) if q < 1 else median(found["first"][case])

    lines = [
        f"{SECTION} ({args.rules} rules, {args.products:,} products, {args.segments} segments)",
        "",
        "Written by `python -m bench targetrule` (bench/targetrule.py, which says what is built).",
        "A guest's product page with its three lists (sku, name, final price of each product),",
        f"{args.pages} product pages in turn, {args.rounds} rounds x {args.requests} requests per",
        "case; SQLite, in-memory cache, one `mageseg serve` process per database. Baseline: the",
        "same page on a copy of the database with the manual links only (no rule), same run.",
        "**The machine was shared** with other sessions' work while this ran: compare the ratio.",
        "",
        "| page | p50 ms | p99 ms | p50 / baseline | first visit p50 ms | first visit p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
        f"| rules + links | {p50('rules'):.1f} | {p99('rules'):.1f} | "
        f"{p50('rules') / p50('links'):.2f} | {first('rules', 1):.1f} | "
        f"{first('rules', 0.99):.1f} |",
        f"| links only (baseline) | {p50('links'):.1f} | {p99('links'):.1f} | 1.00 | "
        f"{first('links', 1):.1f} | {first('links', 0.99):.1f} |",
        "",
        f"Index build (`reindex_all`: {args.rules} rules x {args.products:,} products, in one",
        f"transaction, SQLite): {found['index_seconds']:.1f} s.",
    ]
    return "\n".join(lines) + "\n"


def write(section: str, output: Path) -> None:
    old = output.read_text() if output.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\b.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda _: section + "\n", old)
    else:
        new = old.rstrip("\n") + "\n\n" + section
    output.write_text(new.rstrip("\n") + "\n")


def keep_section(old: str, new: str) -> str:
    """For `python -m bench`, which rewrites BENCHMARKS.md: carry this section over."""
    match = re.search(rf"^{re.escape(SECTION)}\b.*?(?=^## |\Z)", old, re.S | re.M)
    if not match or re.search(rf"^{re.escape(SECTION)}\b", new, re.M):
        return new
    return new.rstrip("\n") + "\n\n" + match.group(0).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench targetrule", description=__doc__)
    p.add_argument("--products", type=int, default=10_000)
    p.add_argument("--rules", type=int, default=500)
    p.add_argument("--segments", type=int, default=100)
    p.add_argument("--pages", type=int, default=100)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--requests", type=int, default=150)
    p.add_argument("--output", type=Path, default=OUTPUT)
    args = p.parse_args(argv)
    found = asyncio.run(measure(args))
    section = render(args, found)
    print(section)
    write(section, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
