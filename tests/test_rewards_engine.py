"""Engine-level reward and balance functions that other features call: the invitation earning
entry points (invitations will call them when an invitation converts) and
`return_order_balances`, which cancel uses and credit memos will call with the refunded share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from engine.checkout_balances import ReturnReason, return_order_balances
from engine.config import ConfigPath
from engine.rewards import actions
from engine.stores import StoresSnapshot, load_snapshot
from models import (
    CoreConfigData,
    MagentoCustomerbalance,
    MagentoCustomerbalanceHistory,
    MagentoReward,
    MagentoRewardHistory,
    OrderState,
    SalesOrder,
)
from tests.factories import make_customer


async def settings(values: dict[ConfigPath, str]) -> StoresSnapshot:
    for path, value in values.items():
        await CoreConfigData.create(path=path.value, value=value)
    return await load_snapshot()


async def balance(customer_id: int) -> int:
    row = await MagentoReward.get_or_none(customer_id=customer_id, website_id=1)
    return row.points_balance if row is not None else 0


async def test_invitation_to_customer_counts_only_the_limit(db: Any) -> None:
    """Action 4: 30 points per conversion up to 2 conversions; no per-invitation dedupe."""
    stores = await settings(
        {
            ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER: "30",
            ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER_LIMIT: "2",
        }
    )
    inviter = await make_customer()
    async with in_transaction():
        results = [
            await actions.invitation_converted(inviter.entity_id, 1, n, f"f{n}@x.com", stores)
            for n in (1, 1, 2)
        ]
    assert [r is not None for r in results] == [True, True, False]
    assert await balance(inviter.entity_id) == 60
    rows = await MagentoRewardHistory.all().order_by("history_id")
    assert [(r.action, r.entity, r.points_delta) for r in rows] == [(4, 1, 30), (4, 1, 30)]


async def test_invitation_to_order_first_or_each(db: Any) -> None:
    """Action 5: once per invitation by default; `*` rewards every order up to the limit."""
    stores = await settings({ConfigPath.REWARD_POINTS_INVITATION_ORDER: "25"})
    inviter = await make_customer()
    async with in_transaction():
        for _ in range(2):
            await actions.invitation_ordered(inviter.entity_id, 1, 7, "f@x.com", stores)
    assert await balance(inviter.entity_id) == 25
    stores = await settings(
        {
            ConfigPath.REWARD_POINTS_INVITATION_ORDER_FREQUENCY: "*",
            ConfigPath.REWARD_POINTS_INVITATION_ORDER_LIMIT: "3",
        }
    )
    async with in_transaction():
        for _ in range(4):
            await actions.invitation_ordered(inviter.entity_id, 1, 7, "f@x.com", stores)
    assert await balance(inviter.entity_id) == 75  # 3 rewarded in all


async def test_invitation_points_need_rewards_on(db: Any) -> None:
    stores = await settings(
        {
            ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER: "30",
            ConfigPath.REWARD_ENABLED: "0",
        }
    )
    inviter = await make_customer()
    async with in_transaction():
        assert (
            await actions.invitation_converted(inviter.entity_id, 1, 1, "a@x.com", stores) is None
        )
    assert await balance(inviter.entity_id) == 0


async def test_return_order_balances_share_then_rest(db: Any) -> None:
    """A credit memo of half the order gives back 150 of 300 points (action 9, "Refunded from
    order") and 5.00 of 10.00 credit (REFUNDED); cancel then gives back the rest (action 11,
    REVERTED), and a second call gives nothing."""
    stores = await load_snapshot()
    ann = await make_customer()
    await MagentoReward.create(customer_id=ann.entity_id, website_id=1, points_balance=0)
    await MagentoCustomerbalance.create(customer_id=ann.entity_id, website_id=1, amount=0)
    order = await SalesOrder.create(
        increment_id="000000042",
        state=OrderState.PROCESSING,
        status="processing",
        store_id=1,
        customer_id=ann.entity_id,
        reward_points_balance=300,
        reward_currency_amount=Decimal(3),
        base_reward_currency_amount=Decimal(3),
        customer_balance_amount=Decimal(10),
        base_customer_balance_amount=Decimal(10),
    )
    async with in_transaction():
        half = await return_order_balances(
            order, stores, fraction=Decimal("0.5"), reason=ReturnReason.REFUND
        )
        rest = await return_order_balances(order, stores)
        none = await return_order_balances(order, stores)

    assert (half.points, half.credit) == (150, Decimal("5.0000"))
    assert (rest.points, rest.credit) == (150, Decimal("5.0000"))
    assert (none.points, none.credit) == (0, Decimal(0))
    assert await balance(ann.entity_id) == 300
    assert (await MagentoCustomerbalance.get(customer_id=ann.entity_id)).amount == Decimal(10)
    rows = await MagentoRewardHistory.all().order_by("history_id")
    assert [(r.action, r.points_delta) for r in rows] == [(9, 150), (11, 150)]
    credits = await MagentoCustomerbalanceHistory.all().order_by("history_id")
    assert [(c.action, c.balance_delta) for c in credits] == [
        (4, Decimal("5.0000")),
        (5, Decimal("5.0000")),
    ]
    refreshed = await SalesOrder.get(entity_id=order.entity_id)
    assert refreshed.reward_points_balance_refund == 300
    assert refreshed.base_customer_balance_refunded == Decimal(10)
    assert refreshed.base_rwrd_crrncy_amnt_refnded == Decimal("1.5")
