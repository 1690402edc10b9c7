"""Reading balances and history: the storefront's `Customer.reward_points` and the admin's
view. Customers never see the duplicates expiry writes (`is_duplicate_of`), as Magento's
`skipExpiredDuplicates`; admins see every row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from engine.rewards import ledger, rates
from engine.rewards.rates import Rate
from models import MagentoReward, MagentoRewardHistory, RateDirection, RewardAction


@dataclass(frozen=True)
class Summary:
    points: int
    value: Decimal
    """What the balance is worth by the redemption rate, in the website's base currency."""
    earning: Rate | None
    redemption: Rate | None


async def summary(customer_id: int, website_id: int, group_id: int) -> Summary:
    points = await ledger.points_of(customer_id, website_id)
    redemption = await rates.lookup(website_id, group_id, RateDirection.TO_CURRENCY)
    earning = await rates.lookup(website_id, group_id, RateDirection.TO_POINTS)
    value = redemption.to_currency(points) if redemption is not None else Decimal(0)
    return Summary(points, value, earning, redemption)


@dataclass(frozen=True)
class Entry:
    history_id: int
    website_id: int
    action: RewardAction
    points_balance: int
    points_delta: int
    points_used: int
    currency_amount: Decimal
    currency_delta: Decimal
    message: str
    comment: str | None
    created_at: datetime
    expires_at: datetime | None
    is_expired: bool
    is_duplicate_of: int | None
    entity: int | None
    additional: dict[str, Any]


def _entry(row: MagentoRewardHistory) -> Entry:
    try:
        additional = json.loads(row.additional_data or "{}")
    except ValueError:
        additional = {}
    action = RewardAction(row.action)
    return Entry(
        history_id=row.history_id,
        website_id=row.website_id,  # type: ignore[attr-defined]
        action=action,
        points_balance=row.points_balance,
        points_delta=row.points_delta,
        points_used=row.points_used,
        currency_amount=Decimal(row.currency_amount),
        currency_delta=Decimal(row.currency_delta),
        message=ledger.message_of(action, additional),
        comment=row.comment,
        created_at=row.created_at,
        expires_at=row.expired_at_static,
        is_expired=bool(row.is_expired),
        is_duplicate_of=row.is_duplicate_of,
        entity=row.entity,
        additional=additional,
    )


async def entries(
    customer_id: int, website_ids: Sequence[int] | None = None, *, duplicates: bool = False
) -> list[Entry]:
    """The customer's history, newest first (`created_at DESC, history_id DESC`)."""
    query = MagentoRewardHistory.filter(reward__customer_id=customer_id)
    if website_ids is not None:
        query = query.filter(website_id__in=list(website_ids))
    if not duplicates:
        query = query.filter(is_duplicate_of=None)
    rows = await query.order_by("-created_at", "-history_id")
    return [_entry(row) for row in rows]


async def balances(customer_id: int) -> list[tuple[int, int]]:
    """(website id, points) of each of the customer's balances."""
    rows = await MagentoReward.filter(customer_id=customer_id).order_by("website_id")
    return [(row.website_id, row.points_balance) for row in rows]  # type: ignore[attr-defined]
