"""Cart price rules on one cart: the facts, the gate and the `Calculation` that
`engine.carts.compute_totals` runs (and `explainCartRules` reads).

Fast path: with no active rule for the cart's website and group, nothing is loaded. Product facts
(categories, promo attributes) are fetched only when a candidate rule reads them, and the
shopper's live segments only when a candidate rule has a customer-segment condition (the cached
answer behind `customerSegments(cartId)`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from engine.rules import evaluate
from engine.rules.facts import load_product_facts
from engine.rules.tree import CartFacts, ItemFacts, ProductFacts
from engine.salesrules import prefilter, usage
from engine.salesrules.calculator import Calculation, Line
from engine.salesrules.rule_set import CartRule, rule_set
from engine.salesrules.usage import cart_codes
from engine.segments.eligibility import current_segment_ids
from models import CatalogProductEntity, Quote, QuoteAddress


@dataclass(frozen=True)
class PricedLine:
    """A cart line priced before cart rules."""

    item_id: int
    product: CatalogProductEntity
    qty: Decimal
    price: Decimal
    virtual: bool
    variant: CatalogProductEntity | None = None
    """The chosen child of a configurable line (`product` is the parent)."""


def _line_facts(line: PricedLine, products: dict[int, ProductFacts]) -> ProductFacts:
    """What product conditions read for a line. A configurable line reads its parent, and the
    child for an attribute the parent has no value of (Magento's configurable `ValidatorPlugin`
    on `SalesRule\\Model\\Rule\\Condition\\Product::validate`)."""
    own = products.get(line.product.entity_id) or ProductFacts(line.product, frozenset(), {})
    if line.variant is None:
        return own
    child = products.get(line.variant.entity_id)
    if child is None:
        return own
    return ProductFacts(own.product, own.category_ids, {**child.custom, **own.custom})


def _holds(cart: CartFacts) -> Callable[[CartRule], bool]:
    def holds(rule: CartRule) -> bool:
        return not rule.conditions.conditions or evaluate.cart_holds(rule.conditions, cart)

    return holds


def _takes(rule: CartRule, item: ItemFacts) -> bool:
    return evaluate.item_qualifies(rule.actions, item)


async def calculation(
    *,
    quote: Quote,
    website_id: int,
    store_id: int,
    group_id: int,
    lines: Sequence[PricedLine],
    address: QuoteAddress | None,
    payment_method: str | None,
    today: date,
    now: datetime,
    codes: Sequence[str] | None = None,
    every_rule: bool = False,
) -> Calculation | None:
    """The rule application for the cart, or None when no rule can apply (no lines, or no
    active rule for the website and group). `codes` replaces the cart's own coupon codes (a
    coupon being applied); `every_rule` keeps inactive and other websites' rules too (for
    explaining).

    Without `every_rule` only the rules the set's lookup finds for the cart are handed to the
    calculator (`engine.salesrules.lookup`: the others cannot pass their checks); product facts
    are loaded when one of them reads them, the shopper's segments when one is found by a
    segment or reads segments."""
    rules = await rule_set()
    candidates = rules.rules if every_rule else rules.candidates(website_id, group_id)
    if not candidates or (not lines and not every_rule):
        return None
    customer_id: int | None = quote.customer_id  # type: ignore[attr-defined]
    codes = list(codes) if codes is not None else await cart_codes(quote)
    data = await usage.coupon_data(codes, customer_id, now, rules.by_ids())
    plain = tuple(_item(line, {}) for line in lines)

    async def segments() -> frozenset[int]:
        return frozenset(
            await current_segment_ids(
                website_id,
                customer_id=customer_id,
                quote_id=None if customer_id is not None else quote.entity_id,
                visitor_id=None if customer_id is not None else quote.visitor_id,  # type: ignore[attr-defined]
                now=now,
            )
        )

    segment_ids: frozenset[int] = frozenset()
    chosen: tuple[CartRule, ...]
    if every_rule:
        chosen = candidates
        if any(r.reads_segments for r in chosen):
            segment_ids = await segments()
    else:
        lookup = rules.lookup(website_id, group_id, today)
        view = prefilter.CartView.of(
            _cart_facts(
                plain, lines, website_id, group_id, quote, address, payment_method, frozenset()
            )
        )
        hits = lookup.cart_hits(view, data.coupons)
        if lookup.files_segments or lookup.reads_segments(hits):
            segment_ids = await segments()
            hits |= lookup.segment_hits(segment_ids)
        chosen = lookup.ordered(hits)
    data.spent_rules = await usage.spent_rules(customer_id, chosen)
    items = plain
    if any(r.reads_products for r in chosen):
        products = await load_product_facts(
            [line.product.entity_id for line in lines]
            + [line.variant.entity_id for line in lines if line.variant is not None],
            rows=[line.product for line in lines]
            + [line.variant for line in lines if line.variant is not None],
        )
        items = tuple(_item(line, products) for line in lines)
    cart = _cart_facts(
        items, lines, website_id, group_id, quote, address, payment_method, segment_ids
    )
    gate = usage.gate(data, website_id, group_id, store_id, today)
    return Calculation(
        chosen,
        cart,
        [Line(item, line.virtual) for item, line in zip(items, lines, strict=True)],
        gate,
        _holds(cart),
        _takes,
        coupon_order=codes,
    )


def _item(line: PricedLine, products: dict[int, ProductFacts]) -> ItemFacts:
    return ItemFacts(
        item_id=line.item_id,
        product=_line_facts(line, products),
        qty=line.qty,
        price=line.price,
        row_total=line.price * line.qty,
    )


def _cart_facts(
    items: tuple[ItemFacts, ...],
    lines: Sequence[PricedLine],
    website_id: int,
    group_id: int,
    quote: Quote,
    address: QuoteAddress | None,
    payment_method: str | None,
    segment_ids: frozenset[int],
) -> CartFacts:
    subtotal = sum((item.row_total for item in items), Decimal(0))
    weight = sum(
        (
            Decimal((line.variant or line.product).weight or 0) * line.qty
            for line in lines
            if not line.virtual
        ),
        Decimal(0),
    )
    return CartFacts(
        website_id=website_id,
        customer_group_id=group_id,
        customer_id=quote.customer_id,  # type: ignore[attr-defined]
        items=items,
        base_subtotal=subtotal,
        base_subtotal_with_discount=subtotal,
        total_qty=sum((line.qty for line in lines), Decimal(0)),
        weight=weight,
        payment_method=payment_method,
        shipping_method=address.shipping_method if address is not None else None,
        postcode=address.postcode if address is not None else None,
        region=address.region if address is not None else None,
        region_id=address.region_id if address is not None else None,
        country_id=address.country_id if address is not None else None,
        segment_ids=segment_ids,
    )
