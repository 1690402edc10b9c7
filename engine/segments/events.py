"""The events a segment listens to (Magento's `collectMatchedEvents`, reference §3.5 and §3.7):
stored in `magento_customersegment_event` at save, so a change re-checks only the segments whose
conditions read the changed data.

The root always adds `customer_login`, and `visitor_init` unless the segment applies to
registered customers only. A `SegmentMembership` node listens to the events of the referenced
segment's tree when it is given in `referenced`; without it, to every event (a referenced
segment's conditions can read anything, and missing a re-check would leave stale members)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import assert_never

from engine.segments.tree import (
    AddressAttribute,
    AddressHasRegion,
    AnyNode,
    CartAmount,
    CartLineItems,
    CartProductsQuantity,
    Combine,
    CustomerAddress,
    CustomerAttribute,
    DateRange,
    DefaultAddress,
    Newsletter,
    OrderAddress,
    OrderAddressAttribute,
    OrderAddressType,
    OrdersNumber,
    OrderStatus,
    ProductAttribute,
    ProductCombine,
    ProductHistory,
    ProductHistoryAction,
    ProductList,
    ProductListSource,
    PurchasedQuantity,
    SalesAmount,
    SegmentMembership,
    StoreCredit,
    UpToDate,
)
from models.segments import ApplyTo

CUSTOMER_LOGIN = "customer_login"
VISITOR_INIT = "visitor_init"
CUSTOMER_SAVE = "customer_save_commit_after"
ADDRESS_SAVE = "customer_address_save_commit_after"
ADDRESS_DELETE = "customer_address_delete_commit_after"
BALANCE_SAVE = "customer_balance_save_commit_after"
NEWSLETTER_SAVE = "newsletter_subscriber_save_commit_after"
QUOTE_SAVE = "sales_quote_save_commit_after"
CART_SAVE = "checkout_cart_save_after"
QUOTE_TOTALS = "sales_quote_collect_totals_after"
PRODUCT_VIEW = "catalog_controller_product_view"
WISHLIST_RENEWED = "wishlist_items_renewed"
ORDER_SAVE = "sales_order_save_commit_after"

ALL_EVENTS = frozenset(
    {
        CUSTOMER_LOGIN,
        VISITOR_INIT,
        CUSTOMER_SAVE,
        ADDRESS_SAVE,
        ADDRESS_DELETE,
        BALANCE_SAVE,
        NEWSLETTER_SAVE,
        QUOTE_SAVE,
        CART_SAVE,
        QUOTE_TOTALS,
        PRODUCT_VIEW,
        WISHLIST_RENEWED,
        ORDER_SAVE,
    }
)
"""Every event Magento's observers pass to segment processing (`etc/events.xml`,
`etc/frontend/events.xml`)."""

_ADDRESS_EVENTS = frozenset({ADDRESS_SAVE, ADDRESS_DELETE})
_DEFAULT_ADDRESS_ATTRIBUTES = frozenset({"default_billing", "default_shipping"})


def _node_events(
    node: AnyNode, referenced: Mapping[int, AnyNode | None] | None, seen: frozenset[int]
) -> frozenset[str]:
    def children(nodes: tuple[AnyNode, ...]) -> frozenset[str]:
        found: frozenset[str] = frozenset()
        for child in nodes:
            found |= _node_events(child, referenced, seen)
        return found

    match node:
        case Combine() | ProductCombine():
            return children(node.conditions)
        case CustomerAttribute():
            if node.attribute in _DEFAULT_ADDRESS_ATTRIBUTES:
                return frozenset({CUSTOMER_SAVE}) | _ADDRESS_EVENTS
            return frozenset({CUSTOMER_SAVE})
        case Newsletter():
            return frozenset({CUSTOMER_SAVE, NEWSLETTER_SAVE})
        case StoreCredit():
            return frozenset({BALANCE_SAVE})
        case CustomerAddress():
            return _ADDRESS_EVENTS | children(node.conditions)
        case DefaultAddress():
            return _ADDRESS_EVENTS | {CUSTOMER_SAVE}
        case AddressAttribute() | AddressHasRegion():
            return _ADDRESS_EVENTS
        case CartAmount():
            return frozenset({QUOTE_SAVE, CART_SAVE, QUOTE_TOTALS})
        case CartLineItems() | CartProductsQuantity():
            return frozenset({QUOTE_SAVE, QUOTE_TOTALS})
        case ProductList():
            event = CART_SAVE if node.source == ProductListSource.CART else WISHLIST_RENEWED
            return frozenset({event}) | children(node.conditions)
        case ProductHistory():
            event = PRODUCT_VIEW if node.action == ProductHistoryAction.VIEWED else ORDER_SAVE
            return frozenset({event}) | children(node.conditions)
        case ProductAttribute() | UpToDate() | DateRange() | OrderStatus():
            return frozenset()
        case OrderAddress() | SalesAmount() | OrdersNumber() | PurchasedQuantity():
            return frozenset({ORDER_SAVE}) | children(node.conditions)
        case OrderAddressType() | OrderAddressAttribute():
            return frozenset({ORDER_SAVE})
        case SegmentMembership():
            if referenced is None or node.segment_id not in referenced:
                return ALL_EVENTS
            target = referenced[node.segment_id]
            if target is None or node.segment_id in seen:
                return frozenset()
            return _node_events(target, referenced, seen | {node.segment_id})
        case _:
            assert_never(node)


def events_of(
    tree: Combine,
    apply_to: ApplyTo,
    *,
    referenced: Mapping[int, AnyNode | None] | None = None,
) -> frozenset[str]:
    """Magento event names whose data `tree` reads, plus `customer_login` and (unless the segment
    is for registered customers only) `visitor_init`."""
    events = {CUSTOMER_LOGIN} | _node_events(tree, referenced, frozenset())
    if apply_to != ApplyTo.REGISTERED:
        events.add(VISITOR_INIT)
    else:
        events.discard(VISITOR_INIT)
    return frozenset(events)
