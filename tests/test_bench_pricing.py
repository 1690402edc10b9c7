"""The pricing benchmark's pieces, small and fast: its rule mix, written through the models,
prices the bench cart and the listing through HTTP (the cart gets the applying rules' discounts
and its coupon, some listed products fall below their regular price), the measuring loop reads
the `Server-Timing` the bench middleware adds, and its Markdown section replaces only itself."""

from __future__ import annotations

import argparse
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from tortoise.context import TortoiseContext

from bench import live
from bench import pricing as bench
from bench.seeding import CHEAP_HASHER
from engine import carts
from engine.invalidation import tracking
from mageseg.app import SERVICES, create_app
from mageseg.settings import Settings
from seeds.loader import load
from tests.graphql import gql

FACTS = bench.ShopFacts(
    today=date(2026, 11, 21),
    category_ids=(5, 6, 7),
    brand_options=("10", "11"),
    color_options=("20", "21", "22"),
    skus=tuple(f"S-{i}" for i in range(20)),
    cart_skus=tuple(f"S-{i}" for i in range(10)),
    cart_category_ids=(5,),
    segment_ids=tuple(range(1, 101)),
)


def test_the_rule_mix() -> None:
    cart = bench.cart_rule_specs(1000, FACTS)
    catalog = bench.catalog_rule_specs(200, FACTS)

    assert Counter(s.kind for s in cart) == {
        "fails cheaply": 840,
        "segment": 100,
        "coupon": 50,
        "applies": 10,
    }
    assert sorted(s.sort_order for s in cart) == list(range(1000))
    assert sum(len(s.coupon_codes) for s in cart) == 40 + 10 * 20 + 1
    assert Counter(s.simple_action.value for s in catalog) == {
        "by_percent": 50,
        "by_fixed": 50,
        "to_percent": 50,
        "to_fixed": 50,
    }
    assert Counter(s.kind for s in catalog)["category"] == 60
    # The same seed gives the same rules.
    assert bench.cart_rule_specs(1000, FACTS) == cart


def test_server_timing_is_read() -> None:
    assert bench.parse_server_timing("app;dur=1.250, totals;dur=0.5") == {
        "app": 1.25,
        "totals": 0.5,
    }
    assert bench.parse_server_timing(
        "app;dur=1.250, app-cpu;dur=1.000, totals;dur=0.5, totals-cpu;dur=0.400"
    ) == {"app": 1.25, "app-cpu": 1.0, "totals": 0.5, "totals-cpu": 0.4}
    assert bench.parse_server_timing(None) == {}


async def test_the_rules_price_the_cart_and_the_listing(
    db: TortoiseContext, settings: Settings, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bench's server: the app with the timing middleware (compute_totals restored after).
    monkeypatch.setattr(carts, "compute_totals", carts.compute_totals)
    app = create_app(settings, manage_database=False)
    bench.install_timing(app)
    client = await aiohttp_client(app)
    url = str(client.make_url("/graphql"))
    await load(60, progress=False, hasher=CHEAP_HASHER)
    conn = db.connections.get("default")
    # The demo seed's four cart rules (two of them segment coupons) and one catalog rule.
    assert await bench.remove_promotions(conn) == 5
    segment_ids = await live.create_segments(conn)
    shopper = await bench.pick_shopper(conn)
    await bench.build_cart(url, shopper, await bench.candidate_skus(conn))
    facts = await bench.shop_facts(conn, shopper.skus, segment_ids, await bench.local_today(conn))

    async with tracking(app[SERVICES].cache):
        codes = await bench.seed_cart_rules(bench.cart_rule_specs(100, facts))
        await bench.seed_catalog_rules(bench.catalog_rule_specs(20, facts))
        await bench.build_catalog_index()
    failure = await bench.apply_coupon(url, shopper)
    notes = await bench.describe_answers({"rules": url}, shopper)
    results = await bench.measure_cases(
        {"baseline": url, "rules": url}, shopper, bench.CASES, rounds=2, requests=2, warmup=1
    )

    assert codes == 5 - 1 + 20 + 1  # four specific coupons, one auto rule of 20, the applied one
    assert failure is None
    assert len(shopper.skus) == 10
    answer = await gql(client, bench.CART_QUERY, {"cart": shopper.cart}, token=shopper.token)
    assert answer.errors == []
    assert answer.data is not None
    cart = answer.data["cart"]
    discounts = cart["prices"]["discounts"]
    assert cart["applied_coupons"] == [{"code": bench.APPLIED_COUPON}]
    assert cart["total_quantity"] == 15
    assert {"Everything 5% off", "15 off orders over 50", bench.APPLIED_COUPON} <= {
        d["label"] for d in discounts
    }
    assert {d["applied_to"] for d in discounts} == {"ITEM", "SHIPPING"}
    assert Decimal(str(cart["prices"]["subtotal_with_discount_excluding_tax"]["value"])) < (
        Decimal(str(cart["prices"]["subtotal_excluding_tax"]["value"]))
    )
    below = [re.search(r"listing-guest: 50 products, (\d+) below", n) for n in notes]
    assert any(match and int(match.group(1)) > 0 for match in below), notes
    for result in results:
        for samples in (result.baseline, result.rules):
            assert len(samples.client) == 4
            assert len(samples.server) == 4
            assert len(samples.round_client) == 2
            assert len(samples.server_cpu) == 4
            assert all(cpu > 0 for cpu in samples.server_cpu)
            # Only the cart request computes cart totals.
            assert len(samples.totals) == (4 if result.case.cart else 0)
            assert len(samples.totals_cpu) == len(samples.totals)


def _samples(client: float, server: float, totals: float | None) -> bench.Samples:
    samples = bench.Samples()
    samples.add_round(
        [client],
        [server],
        [totals] if totals is not None else [],
        [server / 2],
        [totals / 2] if totals is not None else [],
    )
    return samples


def test_the_section_renders_and_replaces_only_itself() -> None:
    args = argparse.Namespace(rounds=1, requests=1, customers=60)
    cases = [
        bench.CaseResult(bench.CASES[0], _samples(4.0, 3.0, 1.0), _samples(6.0, 5.0, 3.0)),
        bench.CaseResult(bench.CASES[3], _samples(10.0, 9.0, None), _samples(12.0, 11.0, None)),
    ]
    result = bench.BackendResult("SQLite", "in-memory cache", 60, 1000, 200, 100, cases, ["x"])

    section = bench.render([result], args)

    assert section.startswith(f"{bench.SECTION} (1,000 cart rules, 100 segments, 200 catalog")
    assert (
        f"| SQLite | {bench.CASES[0].label} | 4.00 | 6.00 | 1.50 | 4.00 | 6.00 | 3.00 | 5.00 "
        "| 5.00 | +2.00 |" in section
    )
    assert (
        "| SQLite (in-memory cache) | 1.00 | 3.00 | 1.00 | 3.00 | 0.50 | 1.50 | 3.00 "
        "| met (wall) | not met (CPU) |" in section
    )
    assert f"| SQLite | {bench.CASES[0].label} | 1.50 | 2.50 | 1.67 | - |" in section
    assert (
        f"| SQLite | {bench.CASES[3].label} | 4.50 | 5.50 | 1.22 | within 1.2x: not met |"
        in section
    )
    document = "# Benchmarks\n\n## Seed\n\nrows\n\n## Live membership (x)\n\nms\n"
    first = bench.replace_section(document, f"{bench.SECTION} (1)\n\nold\n")
    assert first == document + f"\n{bench.SECTION} (1)\n\nold\n"
    second = bench.replace_section(first, f"{bench.SECTION} (2)\n\nnew\n")
    assert second == document + f"\n{bench.SECTION} (2)\n\nnew\n"
    middle = bench.replace_section(
        "# B\n\n" + f"{bench.SECTION} (1)\n\nold\n\n## Later\n\nx\n", f"{bench.SECTION} (2)\n"
    )
    assert middle == "# B\n\n" + f"{bench.SECTION} (2)\n\n## Later\n\nx\n"
    assert bench.replace_section("", f"{bench.SECTION} (1)\n") == f"{bench.SECTION} (1)\n"
    # The full `python -m bench` rewrites the file and carries the section over.
    assert bench.keep_section(second, document) == second
    assert bench.keep_section(document, document) == document
