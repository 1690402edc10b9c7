"""Reward points and store credit paying for a cart, as Magento's total collectors `reward`
(Magento_Reward, after the grand total) and `customerbalance` (Magento_CustomerBalance, after
reward points): both come after discounts, shipping and tax, points first, and neither takes the
grand total below 0.

- `collect` is the read-time collector (`carts.compute_totals` calls it last). It reads the
  balances as they are; it claims nothing.
- `claim_for_order` takes what the order uses from both balances inside placeOrder's
  transaction, each with one conditional UPDATE (`limits.spend`), and refuses the order with
  Magento's message when a balance no longer covers what the cart showed.
- `return_order_balances` gives back what an order used (cancel; credit memos call it with the
  refunded share), at most once per unit: the order's refunded columns are claimed with
  `limits.claim` up to what was used."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import Enum

from tortoise.expressions import F

from engine import limits
from engine.config import ConfigPath
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.invalidation import Topic, touch
from engine.prices import round_price
from engine.rewards import ledger, rates
from engine.rewards.ledger import Change
from engine.rewards.settings import for_website, website_store
from engine.segments import events, membership
from engine.stores import StoresSnapshot, StoreView
from models import (
    BalanceAction,
    MagentoCustomerbalance,
    MagentoCustomerbalanceHistory,
    Quote,
    RateDirection,
    RewardAction,
    SalesOrder,
)

ZERO = Decimal(0)
NOT_ENOUGH_CREDIT = "You do not have enough store credit to complete this order."


@dataclass(frozen=True)
class AppliedReward:
    points: int
    """Points the cart uses (rounded up to whole rate blocks)."""
    amount: Decimal
    """What they pay, in the website's base currency."""


@dataclass(frozen=True)
class AppliedCredit:
    amount: Decimal
    """Store credit the cart uses."""
    balance: Decimal
    """The customer's balance in the website now."""


@dataclass(frozen=True)
class BalanceTotals:
    grand_total: Decimal
    reward: AppliedReward | None = None
    store_credit: AppliedCredit | None = None


def store_credit_enabled(stores: StoresSnapshot, store: StoreView | None) -> bool:
    return stores.config_flag(ConfigPath.STORE_CREDIT_ENABLED, store)


async def usable_points(customer_id: int, website_id: int, stores: StoresSnapshot) -> int:
    """The balance when it may be spent: reward points on for the website and the balance at
    least the redemption threshold (`min_points_balance`); else 0."""
    settings = for_website(stores, website_id)
    if not settings.enabled:
        return 0
    balance = await ledger.points_of(customer_id, website_id)
    if settings.min_points_balance is not None and balance < settings.min_points_balance:
        return 0
    return balance


async def _reward(
    customer_id: int, website_id: int, grand_total: Decimal, stores: StoresSnapshot
) -> AppliedReward | None:
    """`Total\\Quote\\Reward::collect`: the whole usable balance, up to the grand total."""
    balance = await usable_points(customer_id, website_id, stores)
    if balance <= 0 or grand_total <= 0:
        return None
    rate = await rates.lookup(
        website_id, await ledger.group_of(customer_id), RateDirection.TO_CURRENCY
    )
    if rate is None:
        return None
    value = rate.to_currency(balance)
    if value <= 0:
        return None
    if value >= grand_total:
        return AppliedReward(points=rate.points_for(grand_total), amount=grand_total)
    return AppliedReward(points=min(rate.points_for(value), balance), amount=value)


async def credit_balance(customer_id: int, website_id: int) -> Decimal:
    found = await MagentoCustomerbalance.filter(
        customer_id=customer_id, website_id=website_id
    ).values_list("amount", flat=True)
    return Decimal(found[0]) if found else ZERO


async def collect(
    quote: Quote, grand_total: Decimal, store: StoreView, stores: StoresSnapshot
) -> BalanceTotals:
    """Points, then store credit, on a customer's cart that asked for them."""
    customer_id: int | None = quote.customer_id  # type: ignore[attr-defined]
    if customer_id is None or not (quote.use_reward_points or quote.use_customer_balance):
        return BalanceTotals(grand_total)
    website_id = store.website.website_id
    reward = None
    if quote.use_reward_points:
        reward = await _reward(customer_id, website_id, grand_total, stores)
        if reward is not None:
            grand_total -= reward.amount
    credit = None
    if quote.use_customer_balance and store_credit_enabled(stores, store):
        balance = await credit_balance(customer_id, website_id)
        used = min(balance, max(grand_total, ZERO))
        credit = AppliedCredit(amount=used, balance=balance)
        grand_total -= used
    return BalanceTotals(max(grand_total, ZERO), reward, credit)


# --- placeOrder ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """What the cart's last collected totals took from the balances (the quote's columns)."""

    points: int
    credit: Decimal

    @classmethod
    def of(cls, quote: Quote) -> Shown:
        return cls(
            points=int(quote.reward_points_balance or 0),
            credit=Decimal(quote.base_customer_bal_amount_used or 0),
        )


class BalanceShort(InputInvalid):
    """A balance no longer covers what the order uses; placeOrder turns it into its own
    refusal (Magento's `PaymentException` with the same message)."""


def _refuse(message: str) -> BalanceShort:
    return BalanceShort(Problem(ProblemCode.INVALID, message, "input.cart_id"))


async def claim_for_order(
    quote: Quote, order: SalesOrder, shown: Shown, stores: StoresSnapshot
) -> None:
    """Take the points and store credit `order` uses (copied from the quote's collected
    totals) from the customer's balances. The order is refused, never placed at another price,
    when a balance no longer covers what the cart showed (`shown`): another order took it."""
    customer_id: int | None = quote.customer_id  # type: ignore[attr-defined]
    points = int(order.reward_points_balance or 0)
    credit = Decimal(order.base_customer_balance_amount or 0)
    if customer_id is None or (
        points <= 0 and credit <= 0 and not shown.points and not shown.credit
    ):
        return
    # Fewer points or less credit than the cart showed, with something left to pay: the
    # balance shrank (another order spent it). With nothing left to pay, the total did.
    left = Decimal(order.base_grand_total)
    if points < shown.points and left + credit > 0:
        raise _refuse(ledger.NOT_ENOUGH_POINTS)
    if credit < shown.credit and left > 0:
        raise _refuse(NOT_ENOUGH_CREDIT)
    store = next(s for s in stores.stores if s.store_id == order.store_id)  # type: ignore[attr-defined]
    website_id = store.website.website_id
    if points > 0:
        try:
            await ledger.change(
                Change(
                    customer_id=customer_id,
                    website_id=website_id,
                    delta=-points,
                    action=RewardAction.ORDER,
                    entity=order.entity_id,
                    store_id=store.store_id,
                    additional={"increment_id": order.increment_id},
                    currency_delta=-Decimal(order.base_reward_currency_amount),
                ),
                stores,
            )
        except ledger.NotEnoughPoints:
            raise _refuse(ledger.NOT_ENOUGH_POINTS) from None
    if credit > 0:
        key = {"customer_id": customer_id, "website_id": website_id}
        if not await limits.spend(MagentoCustomerbalance, key, "amount", credit):
            raise _refuse(NOT_ENOUGH_CREDIT)
        await _credit_history(
            customer_id, website_id, -credit, BalanceAction.USED, f"Order #{order.increment_id}"
        )


async def _credit_history(
    customer_id: int, website_id: int, delta: Decimal, action: BalanceAction, info: str
) -> None:
    row = await MagentoCustomerbalance.get(customer_id=customer_id, website_id=website_id)
    await MagentoCustomerbalanceHistory.create(
        balance_id=row.balance_id,
        action=action,
        balance_amount=row.amount,
        balance_delta=delta,
        additional_info=info,
    )
    touch(Topic.CUSTOMER, customer_id)
    # Magento's `customer_balance_save_commit_after`: "Customer Store Credit" conditions.
    await membership.customer_event(customer_id, events.BALANCE_SAVE)


# --- cancel and refunds ----------------------------------------------------------------------


class ReturnReason(Enum):
    """Why an order's balances come back: Magento's action for each."""

    CANCEL = "cancel"
    """Order canceled: points action 11 "Reverted from incomplete order", credit REVERTED."""
    REFUND = "refund"
    """Credit memo: points action 9 "Refunded from order", credit REFUNDED."""


@dataclass(frozen=True)
class Returned:
    points: int
    """Points put back on the customer's balance."""
    credit: Decimal
    """Store credit put back on the customer's balance."""
    reward_amount: Decimal = ZERO
    """On a refund: the money value of the points share the credit memo covers (claimed on the
    order's `base_rwrd_crrncy_amnt_refnded`), whether or not the points themselves came back.
    It was never paid in money, so the memo's money total leaves it out."""

    @property
    def amount(self) -> Decimal:
        """What the balances cover of a credit memo: store credit and the points' value."""
        return self.credit + self.reward_amount


def _share(used: Decimal, fraction: Decimal) -> Decimal:
    """`fraction` of a balance, rounded to the cent as the memo's money is."""
    return used if fraction >= 1 else round_price(used * fraction)


async def return_order_balances(
    order: SalesOrder,
    stores: StoresSnapshot,
    *,
    fraction: Decimal = Decimal(1),
    reason: ReturnReason = ReturnReason.CANCEL,
    points: bool = True,
) -> Returned:
    """Give back `fraction` (0..1) of the points and store credit `order` used, in the
    caller's transaction: the whole of both on cancel, a credit memo's share on a refund.
    Never more than what is left unreturned (the order's `reward_points_balance_refund` and
    `base_customer_balance_refunded`, claimed atomically), so a second cancel or a refund after
    a cancel returns nothing more. Points go back to the website's balance (the cap does not
    apply: they were the customer's).

    On a refund the memo's share of the points' money value is claimed on the order's
    `base_rwrd_crrncy_amnt_refnded` (up to `base_reward_currency_amount`) even when `points`
    is False (`magento_reward/general/refund_automatically` off: the points stay spent), so a
    later memo never counts the same share twice."""
    customer_id: int | None = order.customer_id  # type: ignore[attr-defined]
    store_id: int | None = order.store_id  # type: ignore[attr-defined]
    if customer_id is None or store_id is None:
        return Returned(0, ZERO)
    fraction = min(max(fraction, ZERO), Decimal(1))
    store = next((s for s in stores.stores if s.store_id == store_id), None)
    if store is None:
        return Returned(0, ZERO)
    website_id = store.website.website_id
    fresh = await SalesOrder.get(entity_id=order.entity_id)
    refund = reason is ReturnReason.REFUND
    used_points = int(fresh.reward_points_balance or 0)
    back = min(
        int((used_points * fraction).to_integral_value(rounding=ROUND_FLOOR))
        if fraction < 1
        else used_points,
        used_points - int(fresh.reward_points_balance_refund or 0),
    )
    reward_amount = ZERO
    if refund:
        reward_amount = await _claim_reward_amount(fresh, fraction)
    key = {"entity_id": order.entity_id}
    if (
        points
        and back > 0
        and await limits.claim(
            SalesOrder, key, "reward_points_balance_refund", limit=used_points, amount=back
        )
    ):
        await _return_points(order, customer_id, website_id, store_id, back, reason, stores)
    else:
        back = 0
    used_credit = Decimal(fresh.base_customer_balance_amount or 0)
    credit = min(
        _share(used_credit, fraction),
        used_credit - Decimal(fresh.base_customer_balance_refunded or 0),
    )
    if credit > 0 and await _claim_credit(order.entity_id, credit, used_credit):
        key = {"customer_id": customer_id, "website_id": website_id}
        await limits._insert_missing(MagentoCustomerbalance, key, "amount")
        await MagentoCustomerbalance.filter(**key).update(amount=F("amount") + credit)
        await MagentoCustomerbalance.filter(**key, base_currency_code=None).update(
            base_currency_code=store.website.base_currency_code
        )
        action = BalanceAction.REFUNDED if refund else BalanceAction.REVERTED
        await _credit_history(
            customer_id, website_id, credit, action, f"Order #{order.increment_id}"
        )
    else:
        credit = ZERO
    return Returned(back, credit, reward_amount)


async def _claim_reward_amount(order: SalesOrder, fraction: Decimal) -> Decimal:
    """The memo's share of the points' money value, claimed with one conditional UPDATE on
    the order's refunded reward columns (refunded + amount <= used)."""
    used = Decimal(order.base_reward_currency_amount or 0)
    amount = min(_share(used, fraction), used - Decimal(order.base_rwrd_crrncy_amnt_refnded or 0))
    if amount <= 0:
        return ZERO
    changed = await SalesOrder.filter(
        entity_id=order.entity_id, base_rwrd_crrncy_amnt_refnded__lte=used - amount
    ).update(
        rwrd_crrncy_amnt_refunded=F("rwrd_crrncy_amnt_refunded") + amount,
        base_rwrd_crrncy_amnt_refnded=F("base_rwrd_crrncy_amnt_refnded") + amount,
    )
    return amount if changed else ZERO


async def _claim_credit(order_id: int, amount: Decimal, used: Decimal) -> bool:
    """One conditional UPDATE on both refunded columns: refunded + amount <= used."""
    changed = await SalesOrder.filter(
        entity_id=order_id, base_customer_balance_refunded__lte=used - amount
    ).update(
        base_customer_balance_refunded=F("base_customer_balance_refunded") + amount,
        customer_balance_refunded=F("customer_balance_refunded") + amount,
    )
    return bool(changed)


async def _return_points(
    order: SalesOrder,
    customer_id: int,
    website_id: int,
    store_id: int,
    points: int,
    reason: ReturnReason,
    stores: StoresSnapshot,
) -> None:
    refund = reason is ReturnReason.REFUND
    share = Decimal(points) / Decimal(order.reward_points_balance or 1)
    amount = (Decimal(order.base_reward_currency_amount) * share).quantize(Decimal("0.0001"))
    await ledger.change(
        Change(
            customer_id=customer_id,
            website_id=website_id,
            delta=points,
            action=RewardAction.CREDITMEMO if refund else RewardAction.REVERT,
            entity=order.entity_id,
            store_id=store_id,
            additional={"increment_id": order.increment_id},
            currency_delta=amount,
            apply_cap=False,
        ),
        stores,
    )


__all__ = [
    "AppliedCredit",
    "AppliedReward",
    "BalanceTotals",
    "ReturnReason",
    "Returned",
    "Shown",
    "claim_for_order",
    "collect",
    "return_order_balances",
    "store_credit_enabled",
    "website_store",
]
