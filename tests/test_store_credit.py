"""Store credit at checkout through HTTP (Adobe Commerce `Magento_CustomerBalance`): applied
after discounts, tax and reward points, never below 0; kept on the cart and the order; given
back on cancel; shown with its history on `Customer.store_credit`; read by the segment
condition "Shopping Cart Store Credit Amount". Flat-rate shipping is 5.00 per item."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from models import MagentoCustomerbalance, MagentoCustomerbalanceHistory, Quote
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.rewards_support import (
    APPLY_CREDIT,
    APPLY_POINTS,
    REMOVE_CREDIT,
    SPEND,
    adjust,
    cart_of,
    config,
    give_credit,
    place,
    rate,
    set_status,
)
from tests.test_orders_support import make_cart, make_product
from tests.test_segments_support import combine, create_segment, leaf, member_emails, members_of

CREDIT = """
{
  customer {
    store_credit {
      enabled
      current_balance { value currency }
      balance_history(pageSize: 2) {
        total_count
        page_info { current_page page_size total_pages }
        items { action actual_balance { value } balance_change { value } }
      }
    }
  }
}
"""


async def credit(customer_id: int) -> Decimal:
    row = await MagentoCustomerbalance.get_or_none(customer_id=customer_id, website_id=1)
    return Decimal(row.amount) if row is not None else Decimal(0)


async def test_credit_pays_part_of_the_cart(client: Any, admin_token: str) -> None:
    """#24-#25: 50.00 of credit on a 105.00 cart: 50 applied, 55 to pay; after the order the
    balance is 0 and the order says 50 of store credit; history: Used -50, Created +50."""
    ann = await make_customer()
    token = await token_for(ann)
    await give_credit(ann, "50")
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)

    applied = await gql(client, APPLY_CREDIT, {"id": masked}, token=token)

    assert applied.data == {
        "applyStoreCreditToCart": {
            "cart": {
                "prices": {"grand_total": {"value": 55.0}},
                "applied_store_credit": {
                    "enabled": True,
                    "applied_balance": {"value": 50.0},
                    "current_balance": {"value": 50.0},
                },
            }
        }
    }
    order = await place(client, masked, token)
    assert order["total"] == {
        "grand_total": {"value": 55.0},
        "total_reward_points": {"value": 0.0},
        "total_store_credit": {"value": 50.0},
    }
    assert await credit(ann.entity_id) == Decimal(0)
    mine = await gql(client, CREDIT, token=token)
    assert mine.data == {
        "customer": {
            "store_credit": {
                "enabled": True,
                "current_balance": {"value": 0.0, "currency": "USD"},
                "balance_history": {
                    "total_count": 2,
                    "page_info": {"current_page": 1, "page_size": 2, "total_pages": 1},
                    "items": [
                        {
                            "action": "Used",
                            "actual_balance": {"value": 0.0},
                            "balance_change": {"value": -50.0},
                        },
                        {
                            "action": "Created",
                            "actual_balance": {"value": 50.0},
                            "balance_change": {"value": 50.0},
                        },
                    ],
                },
            }
        }
    }


async def test_credit_never_takes_the_total_below_zero(client: Any, admin_token: str) -> None:
    """#26: 200.00 of credit on a 105.00 cart: 105 applied, grand total 0, 95 left."""
    ann = await make_customer()
    token = await token_for(ann)
    await give_credit(ann, "200")
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)

    await gql(client, APPLY_CREDIT, {"id": masked}, token=token)
    cart = await cart_of(client, masked, token)
    order = await place(client, masked, token)

    assert cart["prices"]["grand_total"] == {"value": 0.0}
    assert cart["applied_store_credit"] == {
        "enabled": True,
        "applied_balance": {"value": 105.0},
        "current_balance": {"value": 200.0},
    }
    assert order["total"]["total_store_credit"] == {"value": 105.0}
    assert await credit(ann.entity_id) == Decimal(95)


async def test_points_first_then_credit_and_cancel_returns_both(
    client: Any, admin_token: str
) -> None:
    """#27-#28: 300 points (100 = $1) pay $3 of 105.00, then 10.00 of credit: 105 - 3 - 10 = 92.
    Canceling gives back the 300 points and the 10.00 (history "Reverted")."""
    await rate(client, admin_token, SPEND, 100, 1)
    ann = await make_customer()
    token = await token_for(ann)
    await adjust(client, admin_token, ann, 300)
    await give_credit(ann, "10")
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)
    await gql(client, APPLY_CREDIT, {"id": masked}, token=token)
    await gql(client, APPLY_POINTS, {"id": masked}, token=token)

    order = await place(client, masked, token)
    assert order["total"] == {
        "grand_total": {"value": 92.0},
        "total_reward_points": {"value": 3.0},
        "total_store_credit": {"value": 10.0},
    }
    assert await credit(ann.entity_id) == Decimal(0)

    await set_status(client, admin_token, order["number"], "canceled")

    assert await credit(ann.entity_id) == Decimal(10)
    actions = (
        await MagentoCustomerbalanceHistory.all()
        .order_by("history_id")
        .values_list("action", "balance_delta", "additional_info")
    )
    assert actions == [
        (2, Decimal("10.0000"), None),
        (3, Decimal("-10.0000"), f"Order #{order['number']}"),
        (5, Decimal("10.0000"), f"Order #{order['number']}"),
    ]


async def test_removing_credit(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    token = await token_for(ann)
    await give_credit(ann, "30")
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)
    await gql(client, APPLY_CREDIT, {"id": masked}, token=token)

    removed = await gql(client, REMOVE_CREDIT, {"id": masked}, token=token)

    assert removed.data == {
        "removeStoreCreditFromCart": {
            "cart": {
                "prices": {"grand_total": {"value": 105.0}},
                "applied_store_credit": {"applied_balance": {"value": 0.0}},
            }
        }
    }


async def test_segment_reads_the_cart_store_credit(client: Any, admin_token: str) -> None:
    """#29: "Shopping Cart Store Credit Amount >= 40" (Magento's `base_customer_bal_amount_used`):
    Ann's cart uses 50 and joins, live and by a full refresh; Bob's cart uses none."""
    ann = await make_customer("ann@example.com")
    bob = await make_customer("bob@example.com")
    await give_credit(ann, "50")
    _, ann_cart = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)
    await make_cart([(await make_product("desk", "100.00"), "1")], customer=bob)
    condition = combine(leaf("CART_AMOUNT", "store_credit", "GREATER_OR_EQUAL", "40"))
    segment = await create_segment(client, admin_token, condition)
    assert await member_emails(client, admin_token, segment["uid"]) == []

    await gql(client, APPLY_CREDIT, {"id": ann_cart}, token=await token_for(ann))

    assert await member_emails(client, admin_token, segment["uid"]) == ["ann@example.com"]
    assert await members_of(client, admin_token, condition) == ["ann@example.com"]


async def test_store_credit_refused(client: Any, admin_token: str) -> None:
    ann = await make_customer()
    token = await token_for(ann)
    _, guest_cart = await make_cart([(await make_product("lamp", "100.00"), "1")])
    _, empty = await make_cart([], customer=ann)

    as_guest = await gql(client, APPLY_CREDIT, {"id": guest_cart})
    assert as_guest.messages == ["Please specify a valid customer"]
    assert as_guest.errors[0]["extensions"]["category"] == "graphql-authorization"
    not_theirs = await gql(client, APPLY_CREDIT, {"id": guest_cart}, token=token)
    assert not_theirs.messages == [
        f'The current user cannot perform operations on cart "{guest_cart}"'
    ]
    on_empty = await gql(client, APPLY_CREDIT, {"id": empty}, token=token)
    assert on_empty.messages == [
        "The cart is empty. Add products before paying with reward points or store credit."
    ]
    await config(client, admin_token, "STORE_CREDIT_ENABLED", "0")
    disabled = await gql(client, APPLY_CREDIT, {"id": guest_cart}, token=token)
    assert disabled.messages == ['You cannot add "credit" to the cart.']
    assert await Quote.filter(use_customer_balance=True).count() == 0


async def test_spending_credit_updates_a_store_credit_segment(
    client: Any, admin_token: str
) -> None:
    """Spending store credit at placeOrder fires `customer_balance_save_commit_after`: Ann
    (50.00 of credit) leaves "Customer Store Credit Amount >= 30" when an order takes it all, and
    comes back when the order is canceled."""
    ann = await make_customer()
    token = await token_for(ann)
    await give_credit(ann, "50")
    condition = combine(leaf("CUSTOMER_STORE_CREDIT", None, "GREATER_OR_EQUAL", "30"))
    segment = await create_segment(client, admin_token, condition)
    assert await member_emails(client, admin_token, segment["uid"]) == ["ann@example.com"]
    _, masked = await make_cart([(await make_product("lamp", "100.00"), "1")], customer=ann)
    await gql(client, APPLY_CREDIT, {"id": masked}, token=token)

    order = await place(client, masked, token)
    assert await member_emails(client, admin_token, segment["uid"]) == []
    await set_status(client, admin_token, order["number"], "canceled")

    assert await member_emails(client, admin_token, segment["uid"]) == ["ann@example.com"]
