"""The Magento events a segment listens to, from its conditions and Apply To (§3.5, §3.7)."""

from __future__ import annotations

from decimal import Decimal

from engine.segments.events import ALL_EVENTS, events_of
from engine.segments.tree import (
    AddressAttribute,
    Aggregator,
    CartAmount,
    CartAmountKind,
    CartLineItems,
    Combine,
    CustomerAddress,
    CustomerAttribute,
    DefaultAddress,
    DefaultAddressKind,
    Newsletter,
    Operator,
    OrderAddress,
    OrdersNumber,
    ProductAttribute,
    ProductHistory,
    ProductHistoryAction,
    ProductList,
    ProductListSource,
    SegmentMembership,
    StoreCredit,
)
from models.segments import ApplyTo

Op = Operator


def test_empty_root_listens_to_login_and_visitor_init() -> None:
    assert events_of(Combine(), ApplyTo.BOTH) == {"customer_login", "visitor_init"}
    assert events_of(Combine(), ApplyTo.VISITORS) == {"customer_login", "visitor_init"}
    assert events_of(Combine(), ApplyTo.REGISTERED) == {"customer_login"}


def test_customer_conditions() -> None:
    tree = Combine(
        conditions=(
            CustomerAttribute("email", Op.CONTAINS, "x"),
            Newsletter(True),
            StoreCredit(Op.GREATER, Decimal("1")),
        )
    )
    assert events_of(tree, ApplyTo.REGISTERED) == {
        "customer_login",
        "customer_save_commit_after",
        "newsletter_subscriber_save_commit_after",
        "customer_balance_save_commit_after",
    }
    default_billing = Combine(
        conditions=(CustomerAttribute("default_billing", Op.IS, "is_exists"),)
    )
    assert events_of(default_billing, ApplyTo.REGISTERED) == {
        "customer_login",
        "customer_save_commit_after",
        "customer_address_save_commit_after",
        "customer_address_delete_commit_after",
    }


def test_address_conditions() -> None:
    tree = Combine(
        conditions=(
            CustomerAddress(
                Aggregator.ALL,
                (
                    DefaultAddress(Op.IS, DefaultAddressKind.BILLING),
                    AddressAttribute("city", Op.IS, "Austin"),
                ),
            ),
        )
    )
    assert events_of(tree, ApplyTo.REGISTERED) == {
        "customer_login",
        "customer_address_save_commit_after",
        "customer_address_delete_commit_after",
        "customer_save_commit_after",
    }


def test_cart_product_and_sales_conditions() -> None:
    cart = Combine(
        conditions=(
            CartAmount(CartAmountKind.SUBTOTAL, Op.GREATER, Decimal("1")),
            CartLineItems(Op.GREATER, Decimal("1")),
            ProductList(ProductListSource.CART, True, Aggregator.ALL, ()),
            ProductHistory(
                ProductHistoryAction.VIEWED,
                True,
                Aggregator.ALL,
                (ProductAttribute("sku", Op.IS, "A"),),
            ),
        )
    )
    assert events_of(cart, ApplyTo.VISITORS) == {
        "customer_login",
        "visitor_init",
        "sales_quote_save_commit_after",
        "checkout_cart_save_after",
        "sales_quote_collect_totals_after",
        "catalog_controller_product_view",
    }
    sales = Combine(
        conditions=(
            Combine(
                conditions=(ProductList(ProductListSource.WISHLIST, False, Aggregator.ALL, ()),)
            ),
            ProductHistory(ProductHistoryAction.ORDERED, True, Aggregator.ALL, ()),
            OrdersNumber(Op.IS, Decimal("0")),
            OrderAddress(),
        )
    )
    assert events_of(sales, ApplyTo.REGISTERED) == {
        "customer_login",
        "wishlist_items_renewed",
        "sales_order_save_commit_after",
    }


def test_segment_membership_listens_to_the_referenced_tree() -> None:
    tree = Combine(conditions=(SegmentMembership(Op.IS, 3),))
    # Unknown referenced tree: every event, so no change can leave members stale.
    assert events_of(tree, ApplyTo.BOTH) == ALL_EVENTS
    assert events_of(tree, ApplyTo.REGISTERED) == ALL_EVENTS - {"visitor_init"}
    referenced = {
        3: Combine(conditions=(Newsletter(True), SegmentMembership(Op.IS_NOT, 4))),
        4: Combine(conditions=(SegmentMembership(Op.IS, 3), StoreCredit(Op.LESS, Decimal("5")))),
    }
    assert events_of(tree, ApplyTo.REGISTERED, referenced=referenced) == {
        "customer_login",
        "customer_save_commit_after",
        "newsletter_subscriber_save_commit_after",
        "customer_balance_save_commit_after",
    }
    # An inactive / other-website reference (None) reads nothing.
    assert events_of(tree, ApplyTo.REGISTERED, referenced={3: None}) == {"customer_login"}
