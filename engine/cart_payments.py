"""Asking a cart to be paid with reward points or store credit: Magento's
`applyRewardPointsToCart` / `removeRewardPointsFromCart` (`PaymentDataImporter::import`) and
`applyStoreCreditToCart` / `removeStoreCreditFromCart` (`BalanceManagement::apply`). Each sets
the quote's flag and collects the totals again in one transaction; what the flag takes is the
totals' business (`checkout_balances.collect`), and nothing is claimed before placeOrder.

Applying points is silent, as Magento's: with no balance, or one below the redemption threshold,
the flag stays off and the cart comes back without `applied_reward_points`."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from engine import carts, checkout_balances
from engine.carts import CartRef
from engine.errors import InputInvalid, NotAuthorized, Problem, ProblemCode
from engine.rewards.settings import for_website
from engine.stores import StoresSnapshot
from models import Quote, QuoteItem

NOT_AUTHORIZED = "The current customer isn't authorized."
SPECIFY_CUSTOMER = "Please specify a valid customer"
CREDIT_DISABLED = 'You cannot add "credit" to the cart.'
CART_EMPTY = "The cart is empty. Add products before paying with reward points or store credit."


def rewards_enabled(ref: CartRef, stores: StoresSnapshot) -> bool:
    return for_website(stores, ref.store.website.website_id).enabled


async def _customer_cart(ref: CartRef, empty_path: str) -> Quote:
    quote = await carts.cart_for_caller(ref.masked_id, ref.viewer, ref.store)
    locked = await Quote.filter(entity_id=quote.entity_id).select_for_update().first()
    quote = locked or quote
    if quote.customer_id is None:  # type: ignore[attr-defined]
        raise NotAuthorized(Problem(ProblemCode.PROTECTED, NOT_AUTHORIZED, empty_path))
    if not await QuoteItem.filter(quote_id=quote.entity_id).exists():
        raise InputInvalid(Problem(ProblemCode.INVALID, CART_EMPTY, empty_path))
    return quote


async def _save(quote: Quote, stores: StoresSnapshot) -> None:
    await carts.collect_totals(quote, stores)
    await carts.quote_saved(quote)


async def apply_reward_points(ref: CartRef, stores: StoresSnapshot) -> Quote:
    """Use the whole usable balance on the cart (callers check `rewards_enabled` first: Magento
    answers null while reward points are off)."""
    if ref.viewer.customer_id is None:
        raise NotAuthorized(Problem(ProblemCode.PROTECTED, NOT_AUTHORIZED, "cartId"))
    async with in_transaction():
        quote = await _customer_cart(ref, "cartId")
        usable = await checkout_balances.usable_points(
            ref.viewer.customer_id, ref.store.website.website_id, stores
        )
        quote.use_reward_points = usable > 0
        await _save(quote, stores)
    return quote


async def remove_reward_points(ref: CartRef, stores: StoresSnapshot) -> Quote:
    if ref.viewer.customer_id is None:
        raise NotAuthorized(Problem(ProblemCode.PROTECTED, NOT_AUTHORIZED, "cartId"))
    async with in_transaction():
        quote = await carts.cart_for_caller(ref.masked_id, ref.viewer, ref.store)
        if quote.use_reward_points:
            quote.use_reward_points = False
            await _save(quote, stores)
    return quote


def _check_credit(ref: CartRef, stores: StoresSnapshot) -> None:
    if not checkout_balances.store_credit_enabled(stores, ref.store):
        raise InputInvalid(Problem(ProblemCode.INVALID, CREDIT_DISABLED, "input.cart_id"))
    if ref.viewer.customer_id is None:
        raise NotAuthorized(Problem(ProblemCode.PROTECTED, SPECIFY_CUSTOMER, "input.cart_id"))


async def apply_store_credit(ref: CartRef, stores: StoresSnapshot) -> Quote:
    """Use the balance on the cart, up to the grand total left after points."""
    _check_credit(ref, stores)
    async with in_transaction():
        quote = await _customer_cart(ref, "input.cart_id")
        quote.use_customer_balance = True
        await _save(quote, stores)
    return quote


async def remove_store_credit(ref: CartRef, stores: StoresSnapshot) -> Quote:
    _check_credit(ref, stores)
    async with in_transaction():
        quote = await carts.cart_for_caller(ref.masked_id, ref.viewer, ref.store)
        if quote.use_customer_balance:
            quote.use_customer_balance = False
            await _save(quote, stores)
    return quote
