"""Why a cart price rule did or did not apply to a cart (`explainCartRules`, admins only): every
rule in Magento's processing order, with the amount it took when it applied, or the first reason
it did not, checked in the order Magento's validation does: active, website, customer group,
dates, coupon, usage limits, conditions (the first failing condition node with Magento's
condition id and admin sentence), actions taking no item, or every item it would take already
claimed by an earlier rule that discards subsequent rules.

The explanation is the very computation the cart's totals use (`engine.carts.cart_rules`), so
the two cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from engine import carts
from engine.rules.evaluate import RuleFailure, first_failure
from engine.salesrules.calculator import ZERO, Reason
from engine.salesrules.rule_set import CartRule, rule_set
from engine.stores import StoresSnapshot
from models import Quote, QuoteIdMask


@dataclass(frozen=True)
class Explanation:
    rule: CartRule
    reason: Reason
    amount: Decimal = ZERO
    item_amount: Decimal = ZERO
    shipping_amount: Decimal = ZERO
    failure: RuleFailure | None = None
    coupon_code: str | None = None
    """The cart's code for the rule: the one that triggered it, or the used-up one."""


@dataclass(frozen=True)
class CartExplanation:
    quote: Quote
    currency: str
    rules: tuple[Explanation, ...]


async def explain(masked_id: str, stores: StoresSnapshot) -> CartExplanation:
    """Every cart rule's fate on the cart `masked_id` names (any cart, active or not)."""
    mask = await QuoteIdMask.get_or_none(masked_id=masked_id) if masked_id else None
    quote = None if mask is None else await Quote.get_or_none(entity_id=mask.quote_id)  # type: ignore[attr-defined]
    if quote is None:
        raise carts.cart_not_found(masked_id)
    store = carts.store_of(stores, quote.store_id)  # type: ignore[attr-defined]
    currency = quote.quote_currency_code or store.website.base_currency_code
    calculation, shipping = await carts.cart_rules(quote, stores, every_rule=True)
    if calculation is None:  # no cart rule at all
        return CartExplanation(quote, currency, ())
    result = calculation.apply(shipping, explain=True)
    gate = calculation.gate
    explained: list[Explanation] = []
    for rule in (await rule_set()).rules:
        outcome = result.outcomes.get(rule.rule_id)
        if outcome is None:
            continue
        failure = None
        if outcome.reason is Reason.CONDITION:
            if rule.corrupt is not None:
                failure = RuleFailure("1", f"The stored conditions cannot be read: {rule.corrupt}")
            else:
                failure = first_failure(rule.conditions, calculation.cart)
        explained.append(
            Explanation(
                rule=rule,
                reason=outcome.reason,
                amount=outcome.amount,
                item_amount=outcome.item_amount,
                shipping_amount=outcome.shipping_amount,
                failure=failure,
                coupon_code=gate.coupons.get(rule.rule_id) or gate.spent_coupons.get(rule.rule_id),
            )
        )
    return CartExplanation(quote, currency, tuple(explained))
