"""Demo reward points and store credit: exchange rates for the demo groups, points for orders,
registration and newsletter signups, and the first customer of the default website (the one the
README signs in as) given points and store credit to spend. Created once: a shop that already
has rates, or a customer who already has a balance, is left as it is."""

from __future__ import annotations

from decimal import Decimal

from tortoise.transactions import in_transaction

from engine import balance
from engine.config import ConfigPath
from engine.rewards import ledger
from engine.stores import load_snapshot
from models import (
    CoreConfigData,
    CustomerEntity,
    MagentoReward,
    MagentoRewardRate,
    RateDirection,
    RewardAction,
    StoreWebsite,
)

WHOLESALE_GROUP_ID = 2
RETAILER_GROUP_ID = 3
WELCOME_POINTS = 500
WELCOME_CREDIT = Decimal("25.00")

# (website: 0 all, group: 0 all, direction, points, currency amount)
RATES = (
    (0, 0, RateDirection.TO_CURRENCY, 100, Decimal(1)),  # 100 points = $1 off
    (0, 0, RateDirection.TO_POINTS, 1, Decimal(1)),  # $1 paid = 1 point
    (0, WHOLESALE_GROUP_ID, RateDirection.TO_CURRENCY, 50, Decimal(1)),  # 50 points = $1
    (0, WHOLESALE_GROUP_ID, RateDirection.TO_POINTS, 1, Decimal(10)),  # $10 = 1 point
    (0, RETAILER_GROUP_ID, RateDirection.TO_POINTS, 2, Decimal(1)),  # $1 = 2 points
)
SETTINGS = (
    (ConfigPath.REWARD_POINTS_ORDER, "1"),
    (ConfigPath.REWARD_POINTS_REGISTER, "50"),
    (ConfigPath.REWARD_POINTS_NEWSLETTER, "20"),
)


async def ensure_rewards() -> None:
    async with in_transaction():
        if not await MagentoRewardRate.exists():
            for website_id, group_id, direction, points, amount in RATES:
                await MagentoRewardRate.create(
                    website_id=website_id,
                    customer_group_id=group_id,
                    direction=direction,
                    points=points,
                    currency_amount=amount,
                )
            for path, value in SETTINGS:
                await CoreConfigData.get_or_create(
                    scope="default", scope_id=0, path=path.value, defaults={"value": value}
                )
        website = await StoreWebsite.filter(is_default=True).first()
        if website is None:
            return
        first = (
            await CustomerEntity.filter(website_id=website.website_id).order_by("entity_id").first()
        )
        if first is None:
            return
        stores = await load_snapshot()
        if not await MagentoReward.exists(customer_id=first.entity_id):
            # Once, on the first load: the README's numbers (a generated balance is replaced).
            await balance.apply(
                first.entity_id,
                [balance.BalanceChange(website.website_id, balance=WELCOME_CREDIT, comment="Demo")],
                website.website_id,
                stores,
            )
            await ledger.change(
                ledger.Change(
                    customer_id=first.entity_id,
                    website_id=website.website_id,
                    delta=WELCOME_POINTS,
                    action=RewardAction.ADMIN,
                    comment="Welcome points (demo)",
                ),
                stores,
            )
