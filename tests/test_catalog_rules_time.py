"""Catalog rule prices across midnight in every timezone, on a controllable clock.

Given website 1 (America/Chicago, UTC-5 in June) and website 2 (Asia/Tokyo, UTC+9), a tee at 100
on both, rule A (-10 %, priority 1) ending on 2026-06-15 and rule B (to 70, priority 2) starting
on 2026-06-16, both on both websites. The clock starts at 2026-06-15 12:00 UTC (07:00 in Chicago,
21:00 in Tokyo): both websites show 90. Tokyo's midnight comes first (15:00 UTC): Tokyo shows 70,
Chicago still 90, and still at 23:59:59 Chicago time (04:59:59 UTC the next day); at Chicago's
midnight (05:00 UTC) Chicago shows 70 too. The runner moves each website's window of price rows
(yesterday, today, tomorrow) at its own midnight; the row of the new day existed before it."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web
from tortoise.context import TortoiseContext

from engine import catalog
from engine.catalog import ProductChanges
from engine.clock import ManualClock, using
from engine.pricing import rule_runner
from graph.uids import encode_uid
from mageseg.app import RULE_RUNNER, create_app
from mageseg.settings import Settings
from models import CatalogruleIndexRun, CatalogruleProductPrice, Store, StoreGroup, StoreWebsite
from tests.graphql import gql
from tests.test_catalog_rules_admin import create_rule

T0 = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
TOKYO_MIDNIGHT = datetime(2026, 6, 15, 15, 0, tzinfo=UTC)  # 2026-06-16 00:00 JST
CHICAGO_MIDNIGHT = datetime(2026, 6, 16, 5, 0, tzinfo=UTC)  # 2026-06-16 00:00 CDT
JUNE_15, JUNE_16 = date(2026, 6, 15), date(2026, 6, 16)

PRICE = """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) {
    items { price_range { minimum_price { final_price { value } } } }
  }
}
"""


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def app(settings: Settings, db: TortoiseContext, clock: ManualClock) -> web.Application:
    return create_app(settings, manage_database=False, clock=clock)


@pytest.fixture
async def client(aiohttp_client: Any, app: web.Application) -> Any:
    """The app, once its rule runner's first pass (at T0) is done."""
    client = await aiohttp_client(app)
    await asyncio.wait_for(app[RULE_RUNNER].ready.wait(), 10)
    return client


async def run_pass(
    app: web.Application, clock: ManualClock, moment: datetime
) -> list[rule_runner.WindowRun]:
    """Move the clock (which wakes the app's runner) and wait for the pass it triggers."""
    runner = app[RULE_RUNNER]
    done = runner.next_pass()
    clock.set(moment)
    return await asyncio.wait_for(done, 10)


async def final_price(client: Any, store: str) -> float:
    response = await gql(client, PRICE, {"sku": "tee"}, store=store)
    assert response.errors == [], response.errors
    items = response.data["products"]["items"]  # type: ignore[index]
    value: float = items[0]["price_range"]["minimum_price"]["final_price"]["value"]
    return value


async def rows(website_id: int) -> list[tuple[date, Decimal]]:
    found = (
        await CatalogruleProductPrice.filter(website_id=website_id, customer_group_id=0)
        .order_by("rule_date")
        .values_list("rule_date", "rule_price")
    )
    return [(d, Decimal(p).quantize(Decimal("0.01"))) for d, p in found]


async def test_rules_end_and_start_at_each_websites_midnight(
    client: Any, app: web.Application, clock: ManualClock, admin_token: str
) -> None:
    await StoreWebsite.create(website_id=2, code="tokyo", name="Tokyo", timezone="Asia/Tokyo")
    await StoreGroup.create(group_id=2, website_id=2, code="tokyo_group", name="Tokyo")
    await Store.create(store_id=2, code="tokyo_ja", website_id=2, group_id=2, name="Tokyo JA")
    with using(clock):
        await catalog.create_product(
            ProductChanges(
                sku="tee", name="Tee", price=Decimal(100), qty=Decimal(10), website_ids=(1, 2)
            )
        )
    websites = [encode_uid(1), encode_uid(2)]
    await create_rule(
        client,
        admin_token,
        name="A",
        website_uids=websites,
        sort_order=1,
        stop_rules_processing=False,
        to_date="2026-06-15",
    )
    await create_rule(
        client,
        admin_token,
        name="B",
        website_uids=websites,
        sort_order=2,
        simple_action="TO_FIXED",
        discount_amount=70,
        from_date="2026-06-16",
    )
    assert await final_price(client, "default") == 90.0
    assert await final_price(client, "tokyo_ja") == 90.0
    # Saving the rules wrote both websites' windows; tomorrow's row is there already.
    window_15 = [
        (date(2026, 6, 14), Decimal("90.00")),
        (JUNE_15, Decimal("90.00")),
        (JUNE_16, Decimal("70.00")),
    ]
    assert await rows(1) == window_15
    assert await rows(2) == window_15
    # Tokyo is new to the runner: its first pass takes its day.
    first = await run_pass(app, clock, T0 + timedelta(minutes=1))
    assert [(r.website_id, r.local_date) for r in first] == [(2, JUNE_15)]

    # Tokyo's midnight: rule A ended at 23:59:59 JST, B started at 00:00 JST; Chicago unmoved.
    tokyo = await run_pass(app, clock, TOKYO_MIDNIGHT + timedelta(seconds=2))
    assert [(r.website_id, r.local_date, r.prices) for r in tokyo] == [(2, JUNE_16, 2 * 3)]
    assert await final_price(client, "tokyo_ja") == 70.0
    assert await final_price(client, "default") == 90.0
    assert await rows(2) == [
        (JUNE_15, Decimal("90.00")),
        (JUNE_16, Decimal("70.00")),
        (date(2026, 6, 17), Decimal("70.00")),
    ]
    assert await rows(1) == window_15

    # One second before Chicago's midnight rule A still holds there.
    clock.set(CHICAGO_MIDNIGHT - timedelta(seconds=1))
    assert await final_price(client, "default") == 90.0
    chicago = await run_pass(app, clock, CHICAGO_MIDNIGHT)
    assert [(r.website_id, r.local_date) for r in chicago] == [(1, JUNE_16)]
    assert await final_price(client, "default") == 70.0
    assert await final_price(client, "tokyo_ja") == 70.0
    assert await rows(1) == await rows(2)
    runs = (
        await CatalogruleIndexRun.all()
        .order_by("website_id")
        .values_list("website_id", "last_local_date")
    )
    assert [(int(w), d) for w, d in runs] == [(1, JUNE_16), (2, JUNE_16)]


async def test_a_day_is_moved_once_even_when_two_passes_race(
    client: Any, app: web.Application, clock: ManualClock
) -> None:
    later = CHICAGO_MIDNIGHT + timedelta(hours=1)  # the app's runner sleeps on its own clock
    first, second = await asyncio.gather(rule_runner.run_due(later), rule_runner.run_due(later))
    assert sorted((r.website_id, r.local_date) for r in first + second) == [(1, JUNE_16)]
    assert await CatalogruleIndexRun.all().values_list("last_local_date", flat=True) == [JUNE_16]
