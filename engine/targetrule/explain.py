"""Why a product shows these related / up-sell / cross-sell products to this shopper: every rule
of the list's type in the order Magento runs them (segment pass "All" first, then one pass per
segment of the shopper, priority ascending within a pass), with what it contributed or the first
reason it did not (inactive, outside its dates, "products to match" failing with the node to
blame, nothing displayed, the list already full), then the manual links, the rotation and where
the list was cut. Computed fresh, never from the cache. A random rotation is shown by product id
within each priority (what a shopper sees is one shuffle of it)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.carts import cart_not_found
from engine.config import ConfigPath
from engine.segments.eligibility import current_segment_ids
from engine.stores import StoresSnapshot
from engine.targetrule.links import load_links
from engine.targetrule.lists import (
    Behavior,
    ListSettings,
    ListType,
    Rotation,
    RuleTrace,
    Shopper,
    Trace,
    local_day,
    match_products,
    rotate,
    settings,
)
from models import QuoteIdMask


@dataclass(frozen=True)
class Explanation:
    list_type: ListType
    product_id: int
    group_id: int
    segment_ids: frozenset[int]
    settings: ListSettings
    rules: tuple[RuleTrace, ...]
    rule_based: tuple[int, ...]
    manual: tuple[int, ...]
    cut: tuple[int, ...]

    @property
    def shown(self) -> tuple[int, ...]:
        return self.rule_based + self.manual


async def explain(
    product_id: int,
    list_type: ListType,
    shopper: Shopper,
    stores: StoresSnapshot,
    quote_id: int | None = None,
) -> Explanation:
    segments = frozenset(
        await current_segment_ids(
            shopper.website_id,
            customer_id=shopper.customer_id,
            quote_id=quote_id if shopper.customer_id is None else None,
            visitor_id=shopper.visitor_id if shopper.customer_id is None else None,
            now=shopper.now,
        )
    )
    config = settings(stores, list_type)
    trace = Trace()
    items = await match_products(
        product_id,
        list_type,
        shopper,
        segments,
        local_day(shopper),
        stores.config_flag(ConfigPath.SHOW_OUT_OF_STOCK),
        trace,
    )
    (links,) = await load_links([(product_id, list_type.link_type)])
    manual = tuple(link.linked_product_id for link in links)
    if config.behavior is Behavior.RULE_BASED_ONLY:
        manual = ()
    chosen: list[int] = []
    cut: list[int] = []
    if config.behavior is not Behavior.SELECTED_ONLY:
        kept = {p: v for p, v in items.items() if p not in manual}
        ordered = rotate(kept, Rotation.BY_ID, len(kept))
        chosen, cut = ordered[: config.limit], ordered[config.limit :]
    return Explanation(
        list_type,
        product_id,
        shopper.group_id,
        segments,
        config,
        tuple(trace.rules),
        tuple(chosen),
        manual,
        tuple(cut),
    )


@dataclass(frozen=True)
class CartShopper:
    """Who a cart belongs to, as segments see them."""

    customer_id: int | None
    quote_id: int
    visitor_id: int | None


async def cart_shopper(masked_id: str) -> CartShopper:
    """The owner of the cart `masked_id` (`Could not find a cart with ID "..."` otherwise)."""
    mask = await QuoteIdMask.get_or_none(masked_id=masked_id).prefetch_related("quote")
    if mask is None:
        raise cart_not_found(masked_id)
    quote = mask.quote
    return CartShopper(
        quote.customer_id,  # type: ignore[attr-defined]
        quote.entity_id,
        quote.visitor_id,  # type: ignore[attr-defined]
    )
