"""Reward points in the graph: the storefront types of `Magento_RewardGraphQl` exactly as
declared (`Customer.reward_points`, `Cart.applied_reward_points`), and the admin's rates,
balances and history."""

from __future__ import annotations

from enum import Enum

import strawberry

from engine.checkout_balances import AppliedReward
from engine.config import ConfigPath
from engine.rewards import history, ledger
from engine.rewards.history import Entry
from engine.rewards.rates import Rate
from engine.rewards.settings import for_website
from engine.stores import StoresSnapshot, StoreView
from graph.common import Money
from graph.context import Info
from graph.dates import magento_datetime
from graph.errors import UserError
from graph.limits import LONG_TEXT
from graph.uids import encode_uid
from models import RateDirection


@strawberry.type(description="Lists the amount of reward points.")
class RewardPointsAmount:
    money: Money = strawberry.field(description="The reward points amount in store currency.")
    points: float = strawberry.field(description="The reward points amount in points.")


@strawberry.type(description="Contains details about customer's reward points rate.")
class RewardPointsRate:
    currency_amount: float = strawberry.field(
        description="The money value for the exchange rate. For earnings, this is the amount "
        "spent to earn the specified points. For redemption, this is the amount of money the "
        "number of points represents."
    )
    points: float = strawberry.field(
        description="The number of points for an exchange rate. For earnings, this is the "
        "number of points earned. For redemption, this is the number of points needed for "
        "redemption."
    )

    @classmethod
    def of(cls, rate: Rate | None) -> RewardPointsRate:
        """A missing rate reads `{points: 0, currency_amount: 0}`, as Magento's."""
        if rate is None:
            return cls(currency_amount=0.0, points=0.0)
        return cls(currency_amount=float(rate.currency_amount), points=float(rate.points))


@strawberry.type(
    description="Lists the reward points exchange rates. The values depend on the customer group."
)
class RewardPointsExchangeRates:
    earning: RewardPointsRate | None = strawberry.field(
        description="How many points are earned for a given amount spent."
    )
    redemption: RewardPointsRate | None = strawberry.field(
        description="How many points must be redeemed to get a given amount of currency "
        "discount at the checkout."
    )


@strawberry.enum(description="Whether the customer receives a kind of reward points e-mail.")
class RewardPointsSubscriptionStatusesEnum(Enum):
    SUBSCRIBED = strawberry.enum_value("SUBSCRIBED", description="The customer is subscribed.")
    NOT_SUBSCRIBED = strawberry.enum_value(
        "NOT_SUBSCRIBED", description="The customer is not subscribed."
    )


@strawberry.type(description="Indicates whether the customer subscribes to reward points emails.")
class RewardPointsSubscriptionStatus:
    balance_updates: RewardPointsSubscriptionStatusesEnum = strawberry.field(
        description="Indicates whether the customer subscribes to 'Reward points balance "
        "updates' emails."
    )
    points_expiration_notifications: RewardPointsSubscriptionStatusesEnum = strawberry.field(
        description="Indicates whether the customer subscribes to 'Reward points expiration "
        "notifications' emails."
    )


@strawberry.type(description="Contain details about the reward points transaction.")
class RewardPointsBalanceHistoryItem:
    balance: RewardPointsAmount | None = strawberry.field(
        description="The award points balance after the completion of the transaction."
    )
    change_reason: str = strawberry.field(description="The reason the balance changed.")
    date: str = strawberry.field(description="The date of the transaction.")
    points_change: float = strawberry.field(
        description="The number of points added or deducted in the transaction."
    )


@strawberry.type(description="Contains details about a customer's reward points.")
class RewardPoints:
    balance: RewardPointsAmount | None = strawberry.field(
        description="The current balance of reward points."
    )
    balance_history: list[RewardPointsBalanceHistoryItem | None] | None = strawberry.field(
        description="The balance history of reward points."
    )
    exchange_rates: RewardPointsExchangeRates | None = strawberry.field(
        description="The current exchange rates for reward points."
    )
    subscription_status: RewardPointsSubscriptionStatus | None = strawberry.field(
        description="The subscription status of emails related to reward points."
    )


def _display_currency(stores: StoresSnapshot, store: StoreView) -> str:
    return stores.config_value(ConfigPath.DEFAULT_DISPLAY_CURRENCY, store)


async def reward_points_of(customer_id: int, info: Info) -> RewardPoints | None:
    """`CustomerRewardPoints`: null while reward points are off for the store's website; the
    balance of (customer, the store's website), valued by the redemption rate of the customer's
    group and labelled with the store's currency, as Magento's."""
    stores = await info.context.stores()
    store = await info.context.store()
    website_id = store.website.website_id
    settings = for_website(stores, website_id)
    if not settings.enabled:
        return None
    group_id = await ledger.group_of(customer_id)
    summary = await history.summary(customer_id, website_id, group_id)
    currency = _display_currency(stores, store)
    rows: list[RewardPointsBalanceHistoryItem | None] = []
    if settings.publish_history:
        for entry in await history.entries(customer_id, [website_id]):
            rows.append(
                RewardPointsBalanceHistoryItem(
                    balance=RewardPointsAmount(
                        money=Money.of(entry.currency_amount, currency),
                        points=float(entry.points_balance),
                    ),
                    change_reason=entry.message,
                    date=magento_datetime(entry.created_at),
                    points_change=float(entry.points_delta),
                )
            )
    status = (
        RewardPointsSubscriptionStatusesEnum.SUBSCRIBED
        if settings.subscribe_by_default
        else RewardPointsSubscriptionStatusesEnum.NOT_SUBSCRIBED
    )
    return RewardPoints(
        balance=RewardPointsAmount(
            money=Money.of(summary.value, currency), points=float(summary.points)
        ),
        balance_history=rows,
        exchange_rates=RewardPointsExchangeRates(
            earning=RewardPointsRate.of(summary.earning),
            redemption=RewardPointsRate.of(summary.redemption),
        ),
        subscription_status=RewardPointsSubscriptionStatus(
            balance_updates=status, points_expiration_notifications=status
        ),
    )


async def _reward_points(root: CustomerRewardFields, info: Info) -> RewardPoints | None:
    return await reward_points_of(root.entity_id, info)


@strawberry.type
class CustomerRewardFields:
    """Base class of the storefront `Customer` type: adds `reward_points` (see
    `CustomerWishlistFields` for why a base class)."""

    entity_id: strawberry.Private[int]

    reward_points: RewardPoints | None = strawberry.field(
        resolver=_reward_points, description="Customer reward points details."
    )


def applied_reward_points(reward: AppliedReward | None, currency: str) -> RewardPointsAmount | None:
    """`Cart.applied_reward_points`: null unless the cart uses points."""
    if reward is None:
        return None
    return RewardPointsAmount(money=Money.of(reward.amount, currency), points=float(reward.points))


# --- admin ---------------------------------------------------------------------------------------


@strawberry.enum(description="Which way a reward exchange rate converts (`direction`).")
class RewardRateDirection(Enum):
    POINTS_TO_CURRENCY = strawberry.enum_value(
        "POINTS_TO_CURRENCY",
        description="1: X points are worth Y of currency when spent (redemption).",
    )
    CURRENCY_TO_POINTS = strawberry.enum_value(
        "CURRENCY_TO_POINTS",
        description="2: X of currency paid earns Y points (earning).",
    )


DIRECTIONS = {
    RewardRateDirection.POINTS_TO_CURRENCY: RateDirection.TO_CURRENCY,
    RewardRateDirection.CURRENCY_TO_POINTS: RateDirection.TO_POINTS,
}


@strawberry.type(description="A reward points exchange rate (`magento_reward_rate`).")
class RewardExchangeRate:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the rate.")
    website_uid: strawberry.ID | None = strawberry.field(
        description="The website the rate applies to; null for all websites."
    )
    customer_group_uid: strawberry.ID | None = strawberry.field(
        description="The customer group the rate applies to; null for all groups."
    )
    direction: RewardRateDirection = strawberry.field(description="Which way it converts.")
    points: int = strawberry.field(description="The points side of the rate.")
    currency_amount: float = strawberry.field(
        description="The currency side of the rate, in the website's base currency."
    )

    @classmethod
    def of(cls, rate: Rate) -> RewardExchangeRate:
        return cls(
            uid=strawberry.ID(encode_uid(rate.rate_id)),
            website_uid=strawberry.ID(encode_uid(rate.website_id)) if rate.website_id else None,
            customer_group_uid=strawberry.ID(encode_uid(rate.customer_group_id))
            if rate.customer_group_id
            else None,
            direction=next(k for k, v in DIRECTIONS.items() if v == rate.direction),
            points=rate.points,
            currency_amount=float(rate.currency_amount),
        )


@strawberry.input(description="A reward points exchange rate to save.")
class RewardExchangeRateInput:
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="A website; omitted or null for all websites."
    )
    customer_group_uid: strawberry.ID | None = strawberry.field(
        default=None, description="A customer group; omitted or null for all groups."
    )
    direction: RewardRateDirection = strawberry.field(description="Which way it converts.")
    points: float = strawberry.field(description="The points side: a whole number above 0.")
    currency_amount: float = strawberry.field(
        description="The currency side: an amount above 0 (at most 4 decimals)."
    )


@strawberry.type(description="The result of saving or deleting a reward exchange rate.")
class RewardExchangeRateOutput:
    rate: RewardExchangeRate | None = strawberry.field(
        description="The rate as saved (or as it was, when deleted); null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


@strawberry.input(description="An admin's change to a customer's reward points balance.")
class RewardPointsAdjustmentInput:
    customer_uid: strawberry.ID = strawberry.field(description="The customer.")
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The website of the balance; the customer's own when omitted."
    )
    points_delta: float = strawberry.field(
        description="Points to add (positive) or take (negative): a whole number, not 0, never "
        "taking the balance below 0. Additions are trimmed to the balance cap."
    )
    comment: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="Why, kept with the history row."
    )


@strawberry.enum(description="Why a reward points balance changed (Magento's history action).")
class RewardHistoryAction(Enum):
    ADMIN = strawberry.enum_value("ADMIN", description="0: updated by an admin.")
    ORDER = strawberry.enum_value("ORDER", description="1: redeemed for an order.")
    REGISTER = strawberry.enum_value("REGISTER", description="2: registration.")
    NEWSLETTER = strawberry.enum_value("NEWSLETTER", description="3: newsletter signup.")
    INVITATION_CUSTOMER = strawberry.enum_value(
        "INVITATION_CUSTOMER", description="4: an invitation converted into a customer."
    )
    INVITATION_ORDER = strawberry.enum_value(
        "INVITATION_ORDER", description="5: an invitation converted into an order."
    )
    REVIEW = strawberry.enum_value("REVIEW", description="6: a product review.")
    ORDER_EXTRA = strawberry.enum_value("ORDER_EXTRA", description="8: earned for an order.")
    CREDITMEMO = strawberry.enum_value("CREDITMEMO", description="9: refunded from an order.")
    SALESRULE = strawberry.enum_value("SALESRULE", description="10: cart price rule extra.")
    REVERT = strawberry.enum_value("REVERT", description="11: reverted from a canceled order.")
    CREDITMEMO_VOID = strawberry.enum_value(
        "CREDITMEMO_VOID", description="12: points voided at an order's refund."
    )


@strawberry.type(description="One change of a reward points balance, as admins see it.")
class AdminRewardHistoryEntry:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the history row.")
    website_uid: strawberry.ID = strawberry.field(description="The website of the balance.")
    action: RewardHistoryAction = strawberry.field(description="What changed the balance.")
    change_reason: str = strawberry.field(description="The message customers see.")
    points_change: int = strawberry.field(description="Points added (positive) or taken.")
    points_balance: int = strawberry.field(description="The balance after the change.")
    points_used: int = strawberry.field(
        description="Of an earning, how many points were spent since (oldest first)."
    )
    currency_amount: float = strawberry.field(
        description="What the balance after the change was worth, in base currency."
    )
    comment: str | None = strawberry.field(description="The admin's comment, if any.")
    created_at: str = strawberry.field(description="When (`YYYY-MM-DD HH:MM:SS`, UTC).")
    expires_at: str | None = strawberry.field(
        description="Of an earning, when its unused points expire (UTC); null: never."
    )
    is_expired: bool = strawberry.field(description="Whether the earning has expired.")
    is_expiry: bool = strawberry.field(
        description="Whether this row records an expiry (hidden from customers)."
    )

    @classmethod
    def of(cls, entry: Entry) -> AdminRewardHistoryEntry:
        return cls(
            uid=strawberry.ID(encode_uid(entry.history_id)),
            website_uid=strawberry.ID(encode_uid(entry.website_id)),
            action=RewardHistoryAction[entry.action.name],
            change_reason=entry.message,
            points_change=entry.points_delta,
            points_balance=entry.points_balance,
            points_used=entry.points_used,
            currency_amount=float(entry.currency_amount),
            comment=entry.comment,
            created_at=magento_datetime(entry.created_at),
            expires_at=magento_datetime(entry.expires_at) if entry.expires_at is not None else None,
            is_expired=entry.is_expired,
            is_expiry=entry.is_duplicate_of is not None,
        )


@strawberry.type(description="A customer's reward points balance in one website.")
class AdminRewardBalance:
    website_uid: strawberry.ID = strawberry.field(description="The website of the balance.")
    points: int = strawberry.field(description="The balance in points.")


@strawberry.type(description="A customer's reward points, as admins see them.")
class AdminRewardPoints:
    customer_uid: strawberry.ID = strawberry.field(description="The customer.")
    balances: list[AdminRewardBalance] = strawberry.field(
        description="One entry per website the customer has a balance in."
    )
    history: list[AdminRewardHistoryEntry] = strawberry.field(
        description="Every change, newest first, expiry records included."
    )


@strawberry.type(description="The result of an admin's reward points adjustment.")
class RewardPointsAdjustmentOutput:
    reward_points: AdminRewardPoints | None = strawberry.field(
        description="The customer's reward points after the change; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


async def admin_reward_points(customer_id: int) -> AdminRewardPoints:
    return AdminRewardPoints(
        customer_uid=strawberry.ID(encode_uid(customer_id)),
        balances=[
            AdminRewardBalance(website_uid=strawberry.ID(encode_uid(w)), points=p)
            for w, p in await history.balances(customer_id)
        ],
        history=[
            AdminRewardHistoryEntry.of(e)
            for e in await history.entries(customer_id, duplicates=True)
        ],
    )
