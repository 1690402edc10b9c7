"""The one writer of reward balances: every change goes through `change`, inside the caller's
transaction, and writes its `magento_reward_history` row (Magento's `Reward::save` with
`_preparePointsBalance`, `History::beforeSave` and `useAvailablePoints`).

- A positive change is trimmed to the balance cap (`max_points_balance`); the history row then
  records `is_capped_reward` and `cropped_points`. A change trimmed to nothing still writes its
  row when it was capped (Magento's `afterSave`), and nothing at all otherwise.
- A negative change is one conditional UPDATE (`limits.spend`): it never takes a balance below
  zero, and two transactions spending the same points cannot both succeed. It then uses the
  oldest unexpired earnings first (FIFO over `history_id`, `points_used`).
- An earning gets its expiry: the local midnight `expiration_days` after today's date in the
  website's timezone (`expired_at_static` and `_dynamic`); `expiry` expires what is unused then."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from engine import clock, limits
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.invalidation import Topic, touch
from engine.rewards import rates
from engine.rewards.settings import RewardSettings, for_website
from engine.segments import compare
from engine.stores import StoresSnapshot
from models import (
    CustomerEntity,
    MagentoReward,
    MagentoRewardHistory,
    RateDirection,
    RewardAction,
)

MESSAGES: Mapping[RewardAction, str] = {
    RewardAction.ADMIN: "Updated by moderator",
    RewardAction.ORDER: "Redeemed for order #%1",
    RewardAction.REGISTER: "Registered as customer",
    RewardAction.NEWSLETTER: "Signed up for newsletter with email %1",
    RewardAction.INVITATION_CUSTOMER: "The invitation to %1 converted into a customer.",
    RewardAction.INVITATION_ORDER: "The invitation to %1 converted into an order.",
    RewardAction.REVIEW: "For submitting a product review",
    RewardAction.ORDER_EXTRA: "Earned points for order #%1",
    RewardAction.CREDITMEMO: "Refunded from order #%1",
    RewardAction.SALESRULE: "Earned promotion extra points from order #%1",
    RewardAction.REVERT: "Reverted from incomplete order #%1",
    RewardAction.CREDITMEMO_VOID: "Points voided at order #%1 refund.",
}
"""Each action's `getHistoryMessage()`, what the storefront shows as `change_reason`."""

NOT_ENOUGH_POINTS = "You don't have enough reward points to pay for this purchase."


class NotEnoughPoints(InputInvalid):
    """A spending larger than the balance (Magento's `Balance\\Validator` PaymentException)."""

    def __init__(self, path: str = "") -> None:
        super().__init__(Problem(ProblemCode.INVALID, NOT_ENOUGH_POINTS, path))


def message_of(action: RewardAction, additional: Mapping[str, Any]) -> str:
    argument = additional.get("increment_id") or additional.get("email") or ""
    return MESSAGES[action].replace("%1", str(argument))


@dataclass(frozen=True)
class Change:
    customer_id: int
    website_id: int
    delta: int
    action: RewardAction
    entity: int | None = None
    store_id: int | None = None
    comment: str | None = None
    additional: Mapping[str, Any] = field(default_factory=dict)
    currency_delta: Decimal | None = None
    """The money the change stands for, when the caller knows it (an order's spending)."""
    apply_cap: bool = True
    """False for points given back (a canceled order's): they were the customer's already."""


async def reward_row(customer_id: int, website_id: int, stores: StoresSnapshot) -> MagentoReward:
    """The customer's balance row in the website, created with 0 when missing and locked for
    this transaction (on PostgreSQL)."""
    await limits._insert_missing(
        MagentoReward, {"customer_id": customer_id, "website_id": website_id}, "points_balance"
    )
    row = await MagentoReward.select_for_update().get(
        customer_id=customer_id, website_id=website_id
    )
    if row.website_currency_code is None:
        row.website_currency_code = stores.website(website_id).base_currency_code
        await row.save(update_fields=["website_currency_code"])
    return row


async def group_of(customer_id: int) -> int:
    """The customer's current group (the rates follow it, as Magento's `Reward::setCustomer`)."""
    row = await CustomerEntity.filter(entity_id=customer_id).only("entity_id", "group_id").first()
    return int(row.group_id) if row is not None else 0  # type: ignore[attr-defined]


async def points_of(customer_id: int, website_id: int) -> int:
    """The balance in points, 0 without a row."""
    row = await MagentoReward.get_or_none(customer_id=customer_id, website_id=website_id)
    return row.points_balance if row is not None else 0


def expiry_of(now: datetime, settings: RewardSettings, timezone: str) -> datetime | None:
    """Local midnight `expiration_days` after today in the website's timezone, as UTC."""
    if settings.expiration_days is None:
        return None
    day = compare.today(now, timezone) + timedelta(days=settings.expiration_days)
    return compare.day_start(day, timezone)


async def change(c: Change, stores: StoresSnapshot) -> MagentoRewardHistory | None:
    """Apply `c` and write its history row (None: nothing changed, nothing written). A negative
    change larger than the balance raises `NotEnoughPoints`; callers run this in their
    transaction, so the refusal rolls everything back."""
    settings = for_website(stores, c.website_id)
    website = stores.website(c.website_id)
    reward = await reward_row(c.customer_id, c.website_id, stores)
    delta = c.delta
    additional: dict[str, Any] = dict(c.additional)
    if delta > 0:
        cap = settings.max_points_balance
        if c.apply_cap and cap is not None and reward.points_balance + delta > cap:
            allowed = max(cap - reward.points_balance, 0)
            additional["is_capped_reward"] = 1
            additional["cropped_points"] = delta - allowed
            delta = allowed
        if delta:
            await MagentoReward.filter(reward_id=reward.reward_id).update(
                points_balance=reward.points_balance + delta
            )
            reward.points_balance += delta
    elif delta < 0:
        if not await limits.spend(
            MagentoReward, {"reward_id": reward.reward_id}, "points_balance", -delta
        ):
            raise NotEnoughPoints()
        reward.points_balance += delta
        await _use_fifo(reward.reward_id, -delta)
    if delta == 0 and not additional.get("is_capped_reward"):
        return None
    group_id = await group_of(c.customer_id)
    rate = await rates.lookup(c.website_id, group_id, RateDirection.TO_CURRENCY)
    if rate is not None:
        additional["rate"] = {
            "points": rate.points,
            "currency_amount": str(rate.currency_amount),
            "direction": int(rate.direction),
            "currency_code": website.base_currency_code,
        }
    value = rate.to_currency(reward.points_balance) if rate is not None else Decimal(0)
    currency_delta = c.currency_delta
    if currency_delta is None:
        worth = rate.to_currency(abs(delta)) if rate is not None else Decimal(0)
        currency_delta = worth if delta >= 0 else -worth
    now = clock.now()
    expires = expiry_of(now, settings, website.timezone) if delta > 0 else None
    row = await MagentoRewardHistory.create(
        reward_id=reward.reward_id,
        website_id=c.website_id,
        store_id=c.store_id,
        action=c.action,
        entity=c.entity,
        points_balance=reward.points_balance,
        points_delta=delta,
        currency_amount=value,
        currency_delta=currency_delta,
        base_currency_code=website.base_currency_code,
        additional_data=json.dumps(additional, sort_keys=True),
        comment=c.comment,
        created_at=now,
        expired_at_static=expires,
        expired_at_dynamic=expires,
    )
    touch(Topic.CUSTOMER, c.customer_id)
    return row


async def _use_fifo(reward_id: int, points: int) -> None:
    """`useAvailablePoints`: spend from the oldest earnings still unused and unexpired."""
    rows = (
        await MagentoRewardHistory.filter(reward_id=reward_id, is_expired=False, points_delta__gt=0)
        .order_by("history_id")
        .select_for_update()
    )
    for row in rows:
        if points <= 0:
            break
        free = row.points_delta - row.points_used
        if free <= 0:
            continue
        take = min(free, points)
        await MagentoRewardHistory.filter(history_id=row.history_id).update(
            points_used=row.points_used + take
        )
        points -= take


async def already_rewarded(
    customer_id: int, website_id: int, action: RewardAction, entity: int | None
) -> bool:
    """`canAddRewardPoints`: an entity is rewarded once per action."""
    return await MagentoRewardHistory.filter(
        reward__customer_id=customer_id, website_id=website_id, action=action, entity=entity
    ).exists()


async def times_rewarded(customer_id: int, website_id: int, action: RewardAction) -> int:
    """How many times the action was rewarded (limits count rows with points)."""
    return await MagentoRewardHistory.filter(
        reward__customer_id=customer_id,
        website_id=website_id,
        action=action,
        is_duplicate_of=None,
    ).count()
