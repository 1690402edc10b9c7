"""Coupons on a storefront cart: Magento's `applyCouponToCart`, `applyCouponsToCart`,
`removeCouponFromCart` and `removeCouponsFromCart` (Quote's `CouponManagement` and Adobe
Commerce's multicoupon `CouponManagement`), each one transaction.

The cart's codes are `mageseg_quote_coupon` rows in the order they were applied, with
`quote.coupon_code` holding the first. Applying writes the codes, collects the totals (which drop
every code whose rule did not apply, Magento's `_validateCouponCode`) and checks the asked-for
codes survived; when one did not, the whole mutation is refused and nothing changes (Magento
keeps the codes that did apply: here a refused request leaves the cart as it was).

Messages and categories are Magento's: for the single-coupon mutations a cart with no items and
a code that does not apply are `graphql-no-such-entity`; for the multi-coupon ones every refusal
is `graphql-input`."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from tortoise.transactions import in_transaction

from engine import carts, clock
from engine.carts import CartRef
from engine.config import ConfigPath
from engine.errors import InputInvalid, NoSuchEntity, Problem, ProblemCode
from engine.salesrules import usage
from engine.salesrules.rule_set import rule_set
from engine.salesrules.usage import cart_codes
from engine.stores import StoresSnapshot
from models import Quote, QuoteCoupon, QuoteItem

ALREADY_APPLIED = "A coupon is already applied to the cart. Please remove it to apply another"
NO_PRODUCTS = "Cart does not contain products."
NOT_VALID = "The coupon code isn't valid. Verify the code and try again."
TOO_MANY = "Maximum allowed number of applied coupons was exceeded."
NOT_DELETED = "The coupon code couldn't be deleted. Verify the coupon code and try again."


def not_applied(codes: Sequence[str]) -> str:
    """The multicoupon refusal: `The following coupon codes could not be applied: "A","B".`"""
    return 'The following coupon codes could not be applied: "' + '","'.join(codes) + '".'


class Strategy(StrEnum):
    """`ApplyCouponsStrategy`."""

    APPEND = "APPEND"
    REPLACE = "REPLACE"


def _required(name: str, path: str) -> InputInvalid:
    return InputInvalid(
        Problem(ProblemCode.REQUIRED, f'Required parameter "{name}" is missing', path)
    )


async def _locked(ref: CartRef) -> Quote:
    quote = await carts.cart_for_caller(ref.masked_id, ref.viewer, ref.store)
    locked = await Quote.filter(entity_id=quote.entity_id).select_for_update().first()
    return locked or quote


async def _has_items(quote: Quote) -> bool:
    return await QuoteItem.filter(quote_id=quote.entity_id).exists()


async def _write_codes(quote: Quote, codes: Sequence[str]) -> None:
    await QuoteCoupon.filter(quote_id=quote.entity_id).delete()
    for position, code in enumerate(codes):
        await QuoteCoupon.create(quote_id=quote.entity_id, code=code, position=position)
    quote.coupon_code = codes[0] if codes else None
    await quote.save(update_fields=["coupon_code", "updated_at"])


async def _canonical(codes: Sequence[str]) -> list[str]:
    """The codes as stored on their coupon (found case-insensitively), unknown ones as given,
    without repeats."""
    found = await usage.coupons_by_code(codes)
    result: list[str] = []
    for code in codes:
        row = found.get(code)
        canonical = row.code if row is not None else code
        if canonical not in result:
            result.append(canonical)
    return result


async def _usable(codes: Sequence[str], quote: Quote) -> set[str]:
    """Magento's `ValidateCouponCode`: codes that exist and are not used up for this customer."""
    rules = {r.rule_id: r for r in (await rule_set()).rules}
    customer_id: int | None = quote.customer_id  # type: ignore[attr-defined]
    statuses = await usage.code_statuses(codes, customer_id, clock.now(), rules)
    return {s.code for s in statuses if s.usable}


async def apply_coupon(ref: CartRef, code: str, stores: StoresSnapshot) -> Quote:
    """`applyCouponToCart`: one code on a cart that has none."""
    code = (code or "").strip()
    if not code:
        raise _required("coupon_code", "input.coupon_code")
    async with in_transaction():
        quote = await _locked(ref)
        if await cart_codes(quote):
            raise InputInvalid(Problem(ProblemCode.INVALID, ALREADY_APPLIED, "input.coupon_code"))
        if not await _has_items(quote):
            raise NoSuchEntity(Problem(ProblemCode.NOT_FOUND, NO_PRODUCTS, "input.cart_id"))
        (canonical,) = await _canonical([code])
        await _write_codes(quote, [canonical])
        await carts.collect_totals(quote, stores)
        if quote.coupon_code != canonical:
            raise NoSuchEntity(Problem(ProblemCode.NOT_FOUND, NOT_VALID, "input.coupon_code"))
        await carts.quote_saved(quote)
    return quote


async def apply_coupons(
    ref: CartRef, codes: Sequence[str | None], strategy: Strategy, stores: StoresSnapshot
) -> Quote:
    """`applyCouponsToCart`: append the codes to the cart's, or replace them (Adobe Commerce's
    multicoupon; at most `sales/multicoupon/maximum_number_of_coupons_per_order` codes)."""
    wanted = [c.strip() for c in codes if c is not None and c.strip()]
    if not wanted:
        raise _required("coupon_codes", "input.coupon_codes")
    async with in_transaction():
        quote = await _locked(ref)
        wanted = await _canonical(wanted)
        current = await cart_codes(quote)
        if strategy is Strategy.APPEND:
            if not [c for c in wanted if c not in current]:
                return quote
            everything = list(dict.fromkeys([*current, *wanted]))
        else:
            everything = wanted
        if len(everything) > stores.config_int(ConfigPath.MAX_COUPONS, ref.store):
            raise InputInvalid(Problem(ProblemCode.INVALID, TOO_MANY, "input.coupon_codes"))
        if not await _has_items(quote):
            raise InputInvalid(Problem(ProblemCode.INVALID, NO_PRODUCTS, "input.cart_id"))
        usable = await _usable(everything, quote)
        invalid = [c for c in everything if c not in usable]
        if invalid:
            raise InputInvalid(
                Problem(ProblemCode.INVALID, not_applied(invalid), "input.coupon_codes")
            )
        await _write_codes(quote, everything)
        await carts.collect_totals(quote, stores)
        kept = set(await cart_codes(quote))
        missing = [c for c in everything if c not in kept]
        if missing:
            raise InputInvalid(
                Problem(ProblemCode.INVALID, not_applied(missing), "input.coupon_codes")
            )
        await carts.quote_saved(quote)
    return quote


async def remove_coupons(
    ref: CartRef, codes: Sequence[str | None] | None, stores: StoresSnapshot, *, single: bool
) -> Quote:
    """`removeCouponFromCart` (`codes` None: every code) and `removeCouponsFromCart` (an empty
    list removes every code)."""
    async with in_transaction():
        quote = await _locked(ref)
        if not await _has_items(quote):
            error = Problem(ProblemCode.NOT_FOUND, NO_PRODUCTS, "input.cart_id")
            raise NoSuchEntity(error) if single else InputInvalid(error)
        current = await cart_codes(quote)
        dropping = {c.strip().lower() for c in codes or () if c and c.strip()}
        remaining = [c for c in current if dropping and c.lower() not in dropping]
        await _write_codes(quote, remaining)
        await carts.collect_totals(quote, stores)
        if single and quote.coupon_code:
            raise InputInvalid(Problem(ProblemCode.INVALID, NOT_DELETED, "input.cart_id"))
        await carts.quote_saved(quote)
    return quote
