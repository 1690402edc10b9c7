"""Reward points expire at local midnight in the website's timezone, on the service's clock
(a `ManualClock` here), run by the expiry runner at each website's midnight. Earnings are used
oldest first (FIFO), so what expires is what is left of each earning. The storefront history
hides the expiry rows (Magento's `skipExpiredDuplicates`); admins see them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from tortoise.context import TortoiseContext

from engine.clock import ManualClock
from engine.rewards import expiry
from mageseg.app import EXPIRY_RUNNER, create_app
from mageseg.settings import Settings
from models import MagentoReward, MagentoRewardHistory, StoreWebsite
from tests.factories import make_customer, token_for
from tests.rewards_support import adjust, config, rewards_of

T0 = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)  # 21:00 on June 15 in Tokyo


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def app(settings: Settings, db: TortoiseContext, clock: ManualClock) -> web.Application:
    return create_app(settings, manage_database=False, clock=clock)


@pytest.fixture
async def client(aiohttp_client: Any, app: web.Application) -> Any:
    await StoreWebsite.filter(website_id=1).update(timezone="Asia/Tokyo")
    client = await aiohttp_client(app)
    await asyncio.wait_for(app[EXPIRY_RUNNER].ready.wait(), 60)
    return client


async def run_pass(
    app: web.Application, clock: ManualClock, moment: datetime
) -> list[expiry.ExpiryRun]:
    """Move the clock (which wakes the runner) and wait for the pass it triggers."""
    done = app[EXPIRY_RUNNER].next_pass()
    clock.set(moment)
    return await asyncio.wait_for(done, 60)


async def balance(customer_id: int) -> int:
    return (await MagentoReward.get(customer_id=customer_id)).points_balance


async def test_points_expire_at_tokyo_midnight_oldest_first(
    client: Any, app: web.Application, clock: ManualClock, admin_token: str
) -> None:
    """#30-#32, `expiration_days` 3. +100 on June 15 (Tokyo) expires at June 18 00:00 JST =
    June 17 15:00 UTC; +50 on June 16 expires at June 18 15:00 UTC. Spending 120 uses the 100
    first, then 20 of the 50. At the first expiry nothing is left of the 100 (balance stays 30);
    at the second the 30 left of the 50 expire (balance 0)."""
    await config(client, admin_token, "REWARD_EXPIRATION_DAYS", "3")
    ann = await make_customer()
    await adjust(client, admin_token, ann, 100)
    clock.set(datetime(2026, 6, 16, 12, 0, tzinfo=UTC))
    await adjust(client, admin_token, ann, 50)
    await adjust(client, admin_token, ann, -120)
    used = await MagentoRewardHistory.filter(points_delta__gt=0).order_by("history_id")
    assert [(r.points_delta, r.points_used) for r in used] == [(100, 100), (50, 20)]
    assert [r.expired_at_static for r in used] == [
        datetime(2026, 6, 17, 15, 0, tzinfo=UTC),
        datetime(2026, 6, 18, 15, 0, tzinfo=UTC),
    ]

    before = await run_pass(app, clock, datetime(2026, 6, 17, 14, 59, tzinfo=UTC))
    first = await run_pass(app, clock, datetime(2026, 6, 17, 15, 0, 1, tzinfo=UTC))
    after_first = await balance(ann.entity_id)
    second = await run_pass(app, clock, datetime(2026, 6, 18, 15, 0, 1, tzinfo=UTC))

    assert [(r.rows, r.points) for r in before] == [(0, 0)]
    assert [(r.rows, r.points) for r in first] == [(1, 0)]
    assert after_first == 30
    assert [(r.rows, r.points) for r in second] == [(1, 30)]
    assert await balance(ann.entity_id) == 0
    storefront = await rewards_of(client, await token_for(ann))
    assert storefront["balance"]["points"] == 0.0
    assert [h["points_change"] for h in storefront["balance_history"]] == [-120.0, 50.0, 100.0]
    expired = await MagentoRewardHistory.filter(is_duplicate_of__not_isnull=True).values_list(
        "points_delta", "points_balance"
    )
    assert expired == [(-30, 0)]


async def test_dynamic_expiry_follows_the_current_setting(
    client: Any, app: web.Application, clock: ManualClock, admin_token: str
) -> None:
    """With `expiry_calculation` dynamic, the days in force when the runner passes decide: +40
    on June 15 with 10 days, then the setting lowered to 1: it expires at June 16 00:00 JST."""
    await config(client, admin_token, "REWARD_EXPIRATION_DAYS", "10")
    await config(client, admin_token, "REWARD_EXPIRY_CALCULATION", "dynamic")
    ann = await make_customer()
    await adjust(client, admin_token, ann, 40)
    await config(client, admin_token, "REWARD_EXPIRATION_DAYS", "1")

    runs = await run_pass(app, clock, datetime(2026, 6, 15, 15, 0, 1, tzinfo=UTC))

    assert [(r.rows, r.points) for r in runs] == [(1, 40)]
    assert await balance(ann.entity_id) == 0
