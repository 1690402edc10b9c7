"""Points expire at local midnight in each website's timezone, on the service's clock.

Magento's hourly cron `magento_reward_expire_points` compares each earning's expiry instant
with the server's now. Here an earning made on local date D with `expiration_days` N expires at
the website's local midnight starting D + N, and the expiry runner (a `MidnightRunner`, beside
the segment time runner and the catalog-rule window) runs at every website's midnight and every
poll. With `expiry_calculation` static the date fixed at earning (`expired_at_static`) decides;
with dynamic the current `expiration_days` applies to every earning (Magento recomputes
`expired_at_dynamic` when the setting changes; reading it at run time gives the same answer).

An expiry is Magento's `expirePoints`: the earning is marked `is_expired`, a duplicate row
(`is_duplicate_of`, `points_delta` minus the unused points, hidden from customers) records the
drop, and the balance goes down by what was unused (never below 0). Each earning is claimed with
a conditional UPDATE of `is_expired`, so two processes never expire it twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from engine.invalidation import Topic, touch
from engine.midnight import MidnightRunner, customer_websites
from engine.rewards.settings import for_website
from engine.segments import compare
from engine.stores import load_snapshot
from models import MagentoReward, MagentoRewardHistory

logger = logging.getLogger("mageseg.rewards.expiry")

BATCH = 500


@dataclass(frozen=True)
class ExpiryRun:
    website_id: int
    rows: int
    """Earnings expired."""
    points: int
    """Unused points taken off balances."""


async def expire_due(now: datetime) -> list[ExpiryRun]:
    stores = await load_snapshot()
    runs: list[ExpiryRun] = []
    for website in customer_websites(stores):
        settings = for_website(stores, website.website_id)
        if not settings.enabled:
            continue
        query = MagentoRewardHistory.filter(
            website_id=website.website_id,
            is_expired=False,
            points_delta__gt=0,
            is_duplicate_of=None,
        )
        if settings.dynamic_expiry:
            if settings.expiration_days is None:
                continue
            last_day = compare.today(now, website.timezone) - timedelta(
                days=settings.expiration_days
            )
            query = query.filter(
                created_at__lt=compare.day_start(last_day + timedelta(days=1), website.timezone)
            )
        else:
            query = query.filter(expired_at_static__lte=now)
        rows = points = 0
        while True:
            batch = await query.order_by("history_id").limit(BATCH)
            if not batch:
                break
            for row in batch:
                points += await _expire(row, now)
                rows += 1
            if len(batch) < BATCH:
                break
        if rows:
            logger.info(
                "website %s: %s earnings expired, %s points", website.website_id, rows, points
            )
        runs.append(ExpiryRun(website.website_id, rows, points))
    return runs


async def _expire(row: MagentoRewardHistory, now: datetime) -> int:
    async with in_transaction():
        claimed = await MagentoRewardHistory.filter(
            history_id=row.history_id, is_expired=False
        ).update(is_expired=True)
        if not claimed:
            return 0
        fresh = await MagentoRewardHistory.get(history_id=row.history_id)
        unused = fresh.points_delta - fresh.points_used
        if unused <= 0:
            return 0
        reward = await MagentoReward.select_for_update().get(reward_id=row.reward_id)  # type: ignore[attr-defined]
        taken = min(unused, reward.points_balance)
        balance = reward.points_balance - taken
        await MagentoReward.filter(reward_id=reward.reward_id).update(points_balance=balance)
        await MagentoRewardHistory.create(
            reward_id=reward.reward_id,
            website_id=fresh.website_id,  # type: ignore[attr-defined]
            store_id=fresh.store_id,  # type: ignore[attr-defined]
            action=fresh.action,
            entity=fresh.entity,
            points_balance=balance,
            points_delta=-unused,
            currency_amount=0,
            currency_delta=0,
            base_currency_code=fresh.base_currency_code,
            additional_data=fresh.additional_data,
            comment=fresh.comment,
            created_at=now,
            is_expired=True,
            is_duplicate_of=fresh.history_id,
        )
        touch(Topic.CUSTOMER, reward.customer_id)  # type: ignore[attr-defined]
    return unused


class ExpiryRunner(MidnightRunner[ExpiryRun]):
    """Expires reward points at each website's local midnight (`expire_due`)."""

    task_name = "reward-expiry-runner"
    failure_message = "reward points expiry failed"
    logger = logger

    async def due(self, now: datetime) -> list[ExpiryRun]:
        return await expire_due(now)
