"""Order documents through HTTP: the admin invoices, ships and refunds orders placed in the
storefront (`adminInvoiceOrder`, `adminShipOrder`, `adminRefundOrder`), the order's state and
status move as Magento's, the customer reads the documents (`CustomerOrder.invoices`,
`shipments`, `credit_memos`, `state`), and refused input is Magento's message with nothing
written. Worked examples: every amount computed by hand in a comment."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web

from mageseg.app import create_app
from mageseg.settings import Settings
from models import (
    CataloginventoryStockItem,
    SalesCreditmemo,
    SalesInvoice,
    SalesOrder,
    SalesOrderItem,
    Salesrule,
    SalesruleCoupon,
    SalesruleCouponUsage,
    SalesruleCustomer,
    SalesShipment,
    TaxCalculation,
)
from tests.graphql import gql
from tests.test_cart_discounts import (
    APPLY_COUPON,
    BILLING_ADDRESS,
    PAYMENT,
    customer_cart,
    make_rule,
    ship,
)
from tests.test_carts import ADDRESS, add, make_product

PLACE = """
mutation ($id: String!) {
  placeOrder(input: {cart_id: $id}) { orderV2 { id number state status items { id product_sku } } }
}
"""
ORDER_FIELDS = """
state status_code status total_invoiced total_paid total_refunded
items { product_sku quantity_invoiced quantity_shipped quantity_refunded status }
"""
INVOICE = (
    """
mutation ($input: AdminInvoiceOrderInput!) {
  adminInvoiceOrder(input: $input) {
    invoice { number
      items { product_sku quantity_invoiced product_sale_price { value }
        discounts { label amount { value } coupon { code } } order_item { product_sku } }
      total { subtotal { value } total_shipping { value } total_tax { value }
        discounts { label amount { value } }
        shipping_handling { total_amount { value } discounts { amount { value } } }
        grand_total { value } base_grand_total { value } }
      comments { message } }
    order { """
    + ORDER_FIELDS
    + """ }
    user_errors { code message path }
  }
}
"""
)
SHIP = (
    """
mutation ($input: AdminShipOrderInput!) {
  adminShipOrder(input: $input) {
    shipment { number items { product_sku quantity_shipped product_sale_price { value } }
      tracking { carrier title number } comments { message } }
    order { """
    + ORDER_FIELDS
    + """ }
    user_errors { code message path }
  }
}
"""
)
REFUND = (
    """
mutation ($input: AdminRefundOrderInput!) {
  adminRefundOrder(input: $input) {
    credit_memo { number
      items { product_sku quantity_refunded discounts { amount { value } } }
      total { subtotal { value } total_shipping { value } total_tax { value } adjustment { value }
        discounts { label amount { value } }
        shipping_handling { total_amount { value } discounts { amount { value } } }
        grand_total { value } }
      comments { message } }
    order { """
    + ORDER_FIELDS
    + """ }
    user_errors { code message path }
  }
}
"""
)
CUSTOMER_DOCUMENTS = """
{ customer { orders { items { number state status
  invoices { number items { product_sku quantity_invoiced } total { grand_total { value } }
    comments { message } }
  shipments { number items { product_sku quantity_shipped order_item { product_sku } }
    tracking { carrier title number } }
  credit_memos { number items { product_sku quantity_refunded }
    total { grand_total { value } adjustment { value } } comments { message } }
} } } }
"""


async def place(
    client: Any, items: list[tuple[str, float]], coupon: str | None = None
) -> tuple[dict[str, Any], dict[str, str], str]:
    """A customer's cart of `items` with the flat rate ($5 a unit) and check / money order,
    placed: the order (`orderV2`), its item uids by sku, and the customer's token."""
    cart_id, token = await customer_cart(client)
    await add(client, cart_id, items, token=token)
    if coupon is not None:
        response = await gql(client, APPLY_COUPON, {"id": cart_id, "code": coupon}, token=token)
        assert response.errors == [], response.errors
    await ship(client, cart_id, token)
    for document in (BILLING_ADDRESS, PAYMENT):
        response = await gql(client, document, {"id": cart_id, "address": ADDRESS}, token=token)
        assert response.errors == [], response.errors
    placed = await gql(client, PLACE, {"id": cart_id}, token=token)
    assert placed.errors == [], placed.errors
    order: dict[str, Any] = placed.data["placeOrder"]["orderV2"]  # type: ignore[index]
    return order, {i["product_sku"]: i["id"] for i in order["items"]}, token


async def run(client: Any, token: str, document: str, input: dict[str, Any]) -> dict[str, Any]:
    response = await gql(client, document, {"input": input}, token=token)
    assert response.errors == [], response.errors
    (answer,) = response.data.values()  # type: ignore[union-attr]
    return answer  # type: ignore[no-any-return]


async def done(client: Any, token: str, document: str, input: dict[str, Any]) -> dict[str, Any]:
    answer = await run(client, token, document, input)
    assert answer["user_errors"] == [], answer["user_errors"]
    return answer


def money(value: float) -> dict[str, float]:
    return {"value": value}


async def coupon_rule(client: Any, admin_token: str) -> int:
    """10% off items and shipping with coupon SAVE10, labelled "Ten off", once per customer."""
    return await make_rule(
        client,
        admin_token,
        simple_action="BY_PERCENT",
        discount_amount=10,
        apply_to_shipping=True,
        coupon_type="SPECIFIC_COUPON",
        coupon_code="SAVE10",
        uses_per_customer=1,
        labels=[{"label": "Ten off"}],
    )


# --- invoices and shipments ------------------------------------------------------------------


async def test_invoice_in_two_parts_then_ship_with_tracking_completes_the_order(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    await make_product("desk", "20.00")
    await coupon_rule(client, admin_token)
    order, uids, token = await place(client, [("lamp", 1), ("desk", 2)], "SAVE10")
    # A check / money order stays pending until invoiced.
    assert (order["state"], order["status"]) == ("new", "Pending")
    # The order: lamp 50 (10% = 5.00 off), desks 2 x 20 = 40 (4.00 off); flat rate 3 x 5 = 15
    # (1.50 off); grand total 90 - 9 + 15 - 1.50 = 94.50.

    first = await done(
        client,
        admin_token,
        INVOICE,
        {
            "order_uid": order["id"],
            "items": [{"order_item_uid": uids["desk"], "quantity": 1}],
            "comment": "First desk",
            "comment_visible_on_front": True,
        },
    )
    # One desk: 40 / 2 = 20.00, discount 4.00 / 2 = 2.00. The first invoice takes the whole
    # shipping, 15.00, and its discount 1.50: 20 + 15 - (2 + 1.50) = 31.50.
    assert first["invoice"] == {
        "number": "000000001",
        "items": [
            {
                "product_sku": "desk",
                "quantity_invoiced": 1.0,
                "product_sale_price": money(20.0),
                "discounts": [
                    {"label": "Ten off", "amount": money(2.0), "coupon": {"code": "SAVE10"}}
                ],
                "order_item": {"product_sku": "desk"},
            }
        ],
        "total": {
            "subtotal": money(20.0),
            "total_shipping": money(15.0),
            "total_tax": money(0.0),
            "discounts": [{"label": "Ten off", "amount": money(3.5)}],
            "shipping_handling": {
                "total_amount": money(15.0),
                "discounts": [{"amount": money(1.5)}],
            },
            "grand_total": money(31.5),
            "base_grand_total": money(31.5),
        },
        "comments": [{"message": "First desk"}],
    }
    assert first["order"] == {
        "state": "processing",
        "status_code": "processing",
        "status": "Processing",
        "total_invoiced": 31.5,
        "total_paid": 31.5,
        "total_refunded": 0.0,
        "items": [
            {
                "product_sku": "lamp",
                "quantity_invoiced": 0.0,
                "quantity_shipped": 0.0,
                "quantity_refunded": 0.0,
                "status": "Ordered",
            },
            {
                "product_sku": "desk",
                "quantity_invoiced": 1.0,
                "quantity_shipped": 0.0,
                "quantity_refunded": 0.0,
                "status": "Partial",
            },
        ],
    }

    rest = await done(client, admin_token, INVOICE, {"order_uid": order["id"]})
    # What is left: the lamp 50 - 5 and the last desk, 40 - 20 = 20 less 4 - 2 = 2; no shipping:
    # 70 - 7 = 63.00. Both invoices: 31.50 + 63.00 = 94.50, the grand total.
    assert rest["invoice"]["number"] == "000000002"
    assert rest["invoice"]["total"]["grand_total"] == money(63.0)
    assert rest["invoice"]["total"]["total_shipping"] == money(0.0)
    assert rest["invoice"]["total"]["discounts"] == [{"label": "Ten off", "amount": money(7.0)}]
    assert (rest["order"]["total_invoiced"], rest["order"]["total_paid"]) == (94.5, 94.5)
    # Invoiced, not shipped: still processing.
    assert rest["order"]["state"] == "processing"

    shipped = await done(
        client,
        admin_token,
        SHIP,
        {
            "order_uid": order["id"],
            "tracks": [
                {"carrier_code": "ups", "title": "UPS Ground", "number": "1Z999AA10123456784"}
            ],
        },
    )
    assert shipped["shipment"] == {
        "number": "000000001",
        "items": [
            {"product_sku": "lamp", "quantity_shipped": 1.0, "product_sale_price": money(50.0)},
            {"product_sku": "desk", "quantity_shipped": 2.0, "product_sale_price": money(20.0)},
        ],
        "tracking": [{"carrier": "ups", "title": "UPS Ground", "number": "1Z999AA10123456784"}],
        "comments": [],
    }
    assert (shipped["order"]["state"], shipped["order"]["status"]) == ("complete", "Complete")
    assert [i["status"] for i in shipped["order"]["items"]] == ["Shipped", "Shipped"]

    response = await gql(client, CUSTOMER_DOCUMENTS, token=token)
    assert response.errors == [], response.errors
    (seen,) = response.data["customer"]["orders"]["items"]  # type: ignore[index]
    assert seen == {
        "number": order["number"],
        "state": "complete",
        "status": "Complete",
        "invoices": [
            {
                "number": "000000001",
                "items": [{"product_sku": "desk", "quantity_invoiced": 1.0}],
                "total": {"grand_total": money(31.5)},
                "comments": [{"message": "First desk"}],
            },
            {
                "number": "000000002",
                "items": [
                    {"product_sku": "lamp", "quantity_invoiced": 1.0},
                    {"product_sku": "desk", "quantity_invoiced": 1.0},
                ],
                "total": {"grand_total": money(63.0)},
                "comments": [],
            },
        ],
        "shipments": [
            {
                "number": "000000001",
                "items": [
                    {
                        "product_sku": "lamp",
                        "quantity_shipped": 1.0,
                        "order_item": {"product_sku": "lamp"},
                    },
                    {
                        "product_sku": "desk",
                        "quantity_shipped": 2.0,
                        "order_item": {"product_sku": "desk"},
                    },
                ],
                "tracking": [
                    {"carrier": "ups", "title": "UPS Ground", "number": "1Z999AA10123456784"}
                ],
            }
        ],
        "credit_memos": [],
    }


async def test_shipping_first_keeps_the_order_processing_until_invoiced(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    order, uids, _token = await place(client, [("lamp", 2)])
    shipped = await done(
        client,
        admin_token,
        SHIP,
        {"order_uid": order["id"], "items": [{"order_item_uid": uids["lamp"], "quantity": 2}]},
    )
    # Shipping starts a new order processing; with nothing invoiced it is not complete.
    assert shipped["order"]["state"] == "processing"
    invoiced = await done(client, admin_token, INVOICE, {"order_uid": order["id"]})
    # 2 x 50 + 2 x 5 shipping = 110.00, all in one invoice; invoiced and shipped: complete.
    assert invoiced["invoice"]["total"]["grand_total"] == money(110.0)
    assert invoiced["order"]["state"] == "complete"


async def test_invoice_tax_shares_add_up_to_the_order_tax(client: Any, admin_token: str) -> None:
    await TaxCalculation.create(
        tax_calculation_rate_id=1, customer_tax_class_id=3, product_tax_class_id=2
    )
    await make_product("lamp", "10.00")
    order, uids, _token = await place(client, [("lamp", 3)])
    row = await SalesOrder.get()
    # CA 8.25% on 30.00 = 2.475, rounded 2.48 (the cart's).
    assert Decimal(row.tax_amount) == Decimal("2.48")
    taxes = []
    for _ in range(3):
        answer = await done(
            client,
            admin_token,
            INVOICE,
            {"order_uid": order["id"], "items": [{"order_item_uid": uids["lamp"], "quantity": 1}]},
        )
        taxes.append(answer["invoice"]["total"]["total_tax"]["value"])
    # 2.48 / 3 = 0.8267 -> 0.83; then (2.48 - 0.83) / 2 = 0.825 -> 0.83; the last unit takes
    # what is left, 2.48 - 1.66 = 0.82.
    assert taxes == [0.83, 0.83, 0.82]
    assert sum(Decimal(str(t)) for t in taxes) == Decimal("2.48")


# --- refunds -----------------------------------------------------------------------------------


async def test_partial_refund_with_shipping_adjustments_and_stock_then_the_rest_closes(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    await make_product("desk", "20.00")
    await coupon_rule(client, admin_token)
    order, uids, token = await place(client, [("lamp", 1), ("desk", 2)], "SAVE10")
    await done(client, admin_token, INVOICE, {"order_uid": order["id"]})
    await done(client, admin_token, SHIP, {"order_uid": order["id"]})
    desk = await CataloginventoryStockItem.get(product__sku="desk")
    stock_before = Decimal(desk.qty)

    partial = await done(
        client,
        admin_token,
        REFUND,
        {
            "order_uid": order["id"],
            "items": [{"order_item_uid": uids["desk"], "quantity": 1, "back_to_stock": True}],
            "shipping_amount": 5,
            "adjustment_positive": 1,
            "adjustment_negative": 2,
            "comment": "One desk came back",
            "comment_visible_on_front": True,
        },
    )
    # One desk: 40 / 2 = 20.00 less 4 / 2 = 2.00; shipping 5.00 of 15, its discount in
    # proportion 1.50 x 5 / 15 = 0.50; adjustment refund 1, fee 2:
    # 20 + 5 - (2 + 0.50) + 1 - 2 = 21.50.
    assert partial["credit_memo"] == {
        "number": "000000001",
        "items": [
            {"product_sku": "desk", "quantity_refunded": 1.0, "discounts": [{"amount": money(2.0)}]}
        ],
        "total": {
            "subtotal": money(20.0),
            "total_shipping": money(5.0),
            "total_tax": money(0.0),
            "adjustment": money(-1.0),
            "discounts": [{"label": "Ten off", "amount": money(2.5)}],
            "shipping_handling": {
                "total_amount": money(5.0),
                "discounts": [{"amount": money(0.5)}],
            },
            "grand_total": money(21.5),
        },
        "comments": [{"message": "One desk came back"}],
    }
    # Partly refunded, the order stays complete.
    assert (partial["order"]["state"], partial["order"]["total_refunded"]) == ("complete", 21.5)
    assert Decimal((await CataloginventoryStockItem.get(product__sku="desk")).qty) == (
        stock_before + 1
    )

    rest = await done(client, admin_token, REFUND, {"order_uid": order["id"]})
    # The lamp 50 - 5 and the last desk 20 - 2; the shipping left, 10.00, and the rest of its
    # discount, 1.50 - 0.50 = 1.00: 70 - 7 + 10 - 1 = 72.00. Refunded 21.50 + 72 = 93.50 of
    # 94.50 paid (the fee kept 1.00 net): not closed yet.
    assert rest["credit_memo"]["total"]["grand_total"] == money(72.0)
    assert rest["order"]["state"] == "complete"
    # Not sent back to stock this time (Magento's default).
    assert Decimal((await CataloginventoryStockItem.get(product__sku="desk")).qty) == (
        stock_before + 1
    )
    last = await done(
        client,
        admin_token,
        REFUND,
        {"order_uid": order["id"], "items": [], "shipping_amount": 0, "adjustment_positive": 1},
    )
    # An adjustment refund of the 1.00 left: everything paid is refunded, the order is closed.
    assert last["credit_memo"]["total"]["grand_total"] == money(1.0)
    assert last["order"]["state"] == "closed"
    assert last["order"]["status"] == "Closed"
    assert last["order"]["total_refunded"] == 94.5
    response = await gql(client, CUSTOMER_DOCUMENTS, token=token)
    (seen,) = response.data["customer"]["orders"]["items"]  # type: ignore[index]
    assert (seen["state"], seen["status"]) == ("closed", "Closed")
    assert [m["total"] for m in seen["credit_memos"]] == [
        {"grand_total": money(21.5), "adjustment": money(-1.0)},
        {"grand_total": money(72.0), "adjustment": money(0.0)},
        {"grand_total": money(1.0), "adjustment": money(1.0)},
    ]


async def test_full_refund_with_a_coupon_closes_the_order_and_gives_the_uses_back(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    rule_id = await coupon_rule(client, admin_token)
    order, _uids, _token = await place(client, [("lamp", 1)], "SAVE10")
    coupon = await SalesruleCoupon.get(code="SAVE10")
    assert coupon.times_used == 1
    await done(client, admin_token, INVOICE, {"order_uid": order["id"]})
    full = await done(client, admin_token, REFUND, {"order_uid": order["id"]})
    # 50 - 5 + 5 shipping - 0.50 = 49.50, all of it back; nothing left to ship (refunded).
    assert full["credit_memo"]["total"]["grand_total"] == money(49.5)
    assert (full["order"]["state"], full["order"]["status_code"]) == ("closed", "closed")
    assert full["order"]["items"] == [
        {
            "product_sku": "lamp",
            "quantity_invoiced": 1.0,
            "quantity_shipped": 0.0,
            "quantity_refunded": 1.0,
            "status": "Refunded",
        }
    ]
    # The order no longer counts: its coupon and rule uses are given back.
    assert (await SalesruleCoupon.get(code="SAVE10")).times_used == 0
    assert (await SalesruleCouponUsage.get(coupon_id=coupon.coupon_id)).times_used == 0
    assert (await SalesruleCustomer.get(rule_id=rule_id)).times_used == 0
    assert (await Salesrule.get(rule_id=rule_id)).times_used == 0


async def test_free_shipping_order_refunds_without_shipping(client: Any, admin_token: str) -> None:
    await make_product("lamp", "40.00")
    await make_rule(
        client,
        admin_token,
        simple_action="BY_PERCENT",
        discount_amount=0,
        simple_free_shipping="FREE_WITH_MATCHING_ITEMS",
    )
    order, uids, _token = await place(client, [("lamp", 2)])
    row = await SalesOrder.get()
    # Free shipping: 2 x 40 = 80.00 and no shipping.
    assert (Decimal(row.shipping_amount), Decimal(row.grand_total)) == (Decimal(0), Decimal(80))
    invoiced = await done(client, admin_token, INVOICE, {"order_uid": order["id"]})
    assert invoiced["invoice"]["total"]["total_shipping"] == money(0.0)
    refused = await run(
        client, admin_token, REFUND, {"order_uid": order["id"], "shipping_amount": 5}
    )
    assert refused["user_errors"] == [
        {
            "code": "INVALID",
            "message": "Maximum shipping amount allowed to refund is: $0.00",
            "path": "input.shipping_amount",
        }
    ]
    one = await done(
        client,
        admin_token,
        REFUND,
        {"order_uid": order["id"], "items": [{"order_item_uid": uids["lamp"], "quantity": 1}]},
    )
    # One lamp of two: 40.00; the order stays processing (one lamp left to ship).
    assert one["credit_memo"]["total"]["grand_total"] == money(40.0)
    assert one["order"]["state"] == "processing"


# --- refused input ------------------------------------------------------------------------------


async def _counts() -> tuple[int, ...]:
    return (
        await SalesInvoice.all().count(),
        await SalesCreditmemo.all().count(),
        await SalesShipment.all().count(),
    )


async def test_refused_documents_write_nothing(client: Any, admin_token: str) -> None:
    await make_product("lamp", "50.00")
    await make_product("desk", "20.00")
    order, uids, _token = await place(client, [("lamp", 1), ("desk", 2)])
    before = await _counts()

    # Nothing invoiced yet: no refund.
    answer = await run(client, admin_token, REFUND, {"order_uid": order["id"]})
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": "We can't create creditmemo for the order.",
            "path": "input.order_uid",
        }
    ]
    # Shipping more than ordered, a track without its number.
    answer = await run(
        client,
        admin_token,
        SHIP,
        {
            "order_uid": order["id"],
            "items": [{"order_item_uid": uids["desk"], "quantity": 3}],
            "tracks": [{"carrier_code": "ups", "title": "UPS", "number": " "}],
        },
    )
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": "The quantity to ship must not be greater than the unshipped quantity "
            'for product SKU "desk".',
            "path": "input.items.0.quantity",
        },
        {
            "code": "REQUIRED",
            "message": "Number is a required field",
            "path": "input.tracks.0.number",
        },
    ]
    # Invoicing more than ordered, an item of no order, nothing at all.
    answer = await run(
        client,
        admin_token,
        INVOICE,
        {
            "order_uid": order["id"],
            "items": [
                {"order_item_uid": uids["desk"], "quantity": 1},
                {"order_item_uid": uids["desk"], "quantity": 2},
                {"order_item_uid": "OTk5", "quantity": 1},
            ],
        },
    )
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": 'We found an invalid quantity to invoice item "Desk".',
            "path": "input.items.1.quantity",
        },
        {
            "code": "NOT_FOUND",
            "message": "The invoice contains one or more items that are not part of the "
            "original order.",
            "path": "input.items.2.order_item_uid",
        },
    ]
    answer = await run(
        client,
        admin_token,
        INVOICE,
        {"order_uid": order["id"], "items": [{"order_item_uid": uids["desk"], "quantity": 0}]},
    )
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": "The invoice can't be created without products. Add products and try again.",
            "path": "input.items",
        }
    ]
    assert await _counts() == before
    assert [Decimal(i.qty_invoiced) for i in await SalesOrderItem.all()] == [0, 0]

    # Invoice the desks; invoicing them again is an invalid quantity.
    await done(
        client,
        admin_token,
        INVOICE,
        {"order_uid": order["id"], "items": [{"order_item_uid": uids["desk"], "quantity": 2}]},
    )
    answer = await run(
        client,
        admin_token,
        INVOICE,
        {"order_uid": order["id"], "items": [{"order_item_uid": uids["desk"], "quantity": 1}]},
    )
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": 'We found an invalid quantity to invoice item "Desk".',
            "path": "input.items.0.quantity",
        }
    ]
    # Invoiced: 2 x 20 + 15 shipping = 55.00. Refunding more than was paid, a negative
    # adjustment, more than was invoiced of an item.
    answer = await run(
        client, admin_token, REFUND, {"order_uid": order["id"], "adjustment_positive": 100}
    )
    # 40 + 15 + 100 = 155.00 > 55.00 paid.
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": "The most money available to refund is $55.00.",
            "path": "input",
        }
    ]
    answer = await run(
        client,
        admin_token,
        REFUND,
        {
            "order_uid": order["id"],
            "adjustment_negative": -3,
            "items": [{"order_item_uid": uids["lamp"], "quantity": 1}],
        },
    )
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": "Please enter a number 0 or greater in this field.",
            "path": "input.adjustment_negative",
        },
        {
            "code": "INVALID",
            "message": 'We found an invalid quantity to refund item "Lamp".',
            "path": "input.items.0.quantity",
        },
    ]
    # A fee larger than the refund: 40 + 15 - 60 < 0.
    answer = await run(
        client, admin_token, REFUND, {"order_uid": order["id"], "adjustment_negative": 60}
    )
    assert answer["user_errors"] == [
        {"code": "INVALID", "message": "The credit memo's total must be positive.", "path": "input"}
    ]
    assert await _counts() == (before[0] + 1, before[1], before[2])
    row = await SalesOrder.get()
    assert (Decimal(row.total_refunded), Decimal(row.total_paid)) == (Decimal(0), Decimal(55))


async def test_a_canceled_order_cannot_be_invoiced_or_shipped(
    client: Any, admin_token: str
) -> None:
    await make_product("lamp", "50.00")
    order, _uids, _token = await place(client, [("lamp", 1)])
    response = await gql(
        client,
        'mutation ($uid: ID!) { adminUpdateOrderStatus(uid: $uid, status: "canceled") '
        "{ user_errors { message } } }",
        {"uid": order["id"]},
        token=admin_token,
    )
    assert response.data == {"adminUpdateOrderStatus": {"user_errors": []}}
    answer = await run(client, admin_token, INVOICE, {"order_uid": order["id"]})
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": "The order does not allow an invoice to be created.",
            "path": "input.order_uid",
        }
    ]
    answer = await run(client, admin_token, SHIP, {"order_uid": order["id"]})
    assert answer["user_errors"] == [
        {
            "code": "INVALID",
            "message": "A shipment cannot be created when an order has a status of canceled",
            "path": "input.order_uid",
        }
    ]
    answer = await run(client, admin_token, INVOICE, {"order_uid": "bm90IGFuIGlk"})
    assert answer["user_errors"] == [
        {
            "code": "INVALID_UID",
            "message": 'Value of uid "bm90IGFuIGlk" is incorrect.',
            "path": "input.order_uid",
        }
    ]
    assert await _counts() == (0, 0, 0)


async def test_document_mutations_need_an_admin(client: Any) -> None:
    await make_product("lamp", "50.00")
    order, _uids, token = await place(client, [("lamp", 1)])
    response = await gql(client, INVOICE, {"input": {"order_uid": order["id"]}}, token=token)
    # Refused before execution, with the status Magento answers an unauthorized call with.
    assert (response.status, response.data) == (401, None)
    assert [e["extensions"]["category"] for e in response.errors] == ["graphql-authorization"]
    assert await _counts() == (0, 0, 0)


# --- concurrency -------------------------------------------------------------------------------


@pytest.fixture
async def two_apps(client: Any, aiohttp_client: Any, settings: Settings) -> tuple[Any, Any]:
    """Two application instances (each its own services, cache and pool) on one database."""
    other: web.Application = create_app(settings, manage_database=False)
    return client, await aiohttp_client(other)


async def test_concurrent_invoices_and_refunds_of_one_order_write_one_document_each(
    two_apps: tuple[Any, Any], admin_token: str
) -> None:
    """Six admins invoice the same order at once through two application instances, then six
    refund it in full at once: the order row is locked by the first, so one invoice and one
    credit memo are written and the others get Magento's refusal (on PostgreSQL the
    transactions really interleave)."""
    first, second = two_apps
    await make_product("lamp", "50.00")
    order, _uids, _token = await place(first, [("lamp", 1)])

    async def at_once(document: str) -> list[list[dict[str, Any]]]:
        answers = await asyncio.gather(
            *(
                run(client, admin_token, document, {"order_uid": order["id"]})
                for client in (first, second) * 3
            )
        )
        return sorted((a["user_errors"] for a in answers), key=len)

    invoiced = await at_once(INVOICE)
    refusal = "The order does not allow an invoice to be created."
    assert (
        invoiced
        == [[]] + [[{"code": "INVALID", "message": refusal, "path": "input.order_uid"}]] * 5
    )
    refunded = await at_once(REFUND)
    refusal = "We can't create creditmemo for the order."
    assert (
        refunded
        == [[]] + [[{"code": "INVALID", "message": refusal, "path": "input.order_uid"}]] * 5
    )
    assert await _counts() == (1, 1, 0)
    row = await SalesOrder.get()
    # 50 + 5 shipping = 55.00 paid once and refunded once.
    assert (Decimal(row.total_paid), Decimal(row.total_refunded)) == (Decimal(55), Decimal(55))
    assert row.state == "closed"
