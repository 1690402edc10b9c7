"""Admin orders through HTTP: recording history placed elsewhere, listing, reading, and status
changes with Magento's transitions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from models import CataloginventoryStockItem, SalesOrder, SalesOrderItem
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_orders_support import admin_order_input, make_cart, make_product, order_counts

ADMIN_FIELDS = """
  number state status status_code order_date customer_uid customer_is_guest customer_group_uid
  store_code email total_qty_ordered
  customer_info { firstname lastname }
  items { product_sku product_name product_type quantity_ordered product { sku }
          prices { price { value } row_total { value } row_total_including_tax { value } } }
  total { subtotal { value } total_tax { value } total_shipping { value }
          grand_total { value currency } taxes { title rate amount { value } } }
  billing_address { street city country_code }
  status_history { status comment is_visible_on_front created_at }
"""

CREATE = f"""
mutation ($input: AdminOrderCreateInput!) {{
  adminCreateOrder(input: $input) {{
    order {{ {ADMIN_FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""

UPDATE = """
mutation ($uid: ID!, $status: String!, $comment: String, $front: Boolean = false) {
  adminUpdateOrderStatus(uid: $uid, status: $status, comment: $comment, visible_on_front: $front) {
    order { state status_code status items { status quantity_canceled quantity_invoiced } }
    user_errors { code message path }
  }
}
"""

LIST = """
query ($filter: AdminOrderFilterInput, $sort: AdminOrderSortInput, $size: Int = 20) {
  adminOrders(filter: $filter, sort: $sort, pageSize: $size) {
    total_count items { number } page_info { total_pages }
  }
}
"""


async def test_admin_records_an_order_placed_elsewhere(client: Any, admin_token: str) -> None:
    ann = await make_customer("ann@example.com")
    await make_product("SKU-A", "99.00")

    response = await gql(client, CREATE, {"input": admin_order_input()}, token=admin_token)

    assert response.errors == []
    assert ann.entity_id == 1
    assert response.data == {
        "adminCreateOrder": {
            "user_errors": [],
            "order": {
                "number": "H-1001",
                "state": "complete",
                "status": "Complete",
                "status_code": "complete",
                "order_date": "2023-05-04 10:20:30",
                "customer_uid": "MQ==",
                "customer_is_guest": False,
                "customer_group_uid": "MQ==",
                "store_code": "default",
                "email": "ann@example.com",
                "total_qty_ordered": 3.0,
                "customer_info": {"firstname": "Ann", "lastname": "Lee"},
                "items": [
                    {
                        "product_sku": "SKU-A",
                        "product_name": "Product SKU-A",
                        "product_type": "simple",
                        "quantity_ordered": 2.0,
                        "product": {"sku": "SKU-A"},
                        "prices": {
                            "price": {"value": 10.5},
                            "row_total": {"value": 21.0},
                            "row_total_including_tax": {"value": 22.68},
                        },
                    },
                    {
                        # An sku the catalog does not know is kept, without a product.
                        "product_sku": "GONE-1",
                        "product_name": "Retired mug",
                        "product_type": "simple",
                        "quantity_ordered": 1.0,
                        "product": None,
                        "prices": {
                            "price": {"value": 4.0},
                            "row_total": {"value": 4.0},
                            "row_total_including_tax": {"value": 4.0},
                        },
                    },
                ],
                "total": {
                    "subtotal": {"value": 25.0},
                    "total_tax": {"value": 1.68},
                    "total_shipping": {"value": 5.0},
                    "grand_total": {"value": 31.68, "currency": "USD"},
                    "taxes": [{"title": "Tax 8%", "rate": 8.0, "amount": {"value": 1.68}}],
                },
                "billing_address": {
                    "street": ["1 Main St"],
                    "city": "Austin",
                    "country_code": "US",
                },
                "status_history": [
                    {
                        "status": "complete",
                        "comment": None,
                        "is_visible_on_front": False,
                        "created_at": "2023-05-04 10:20:30",
                    }
                ],
            },
        }
    }
    order = await SalesOrder.get(increment_id="H-1001")
    assert (order.base_grand_total, order.base_subtotal, order.quote_id) == (
        Decimal("31.68"),
        Decimal("25"),
        None,
    )
    # History placed elsewhere leaves stock alone.
    assert await CataloginventoryStockItem.all().count() == 1
    assert (await CataloginventoryStockItem.get()).qty == Decimal("100")


async def test_a_guest_order_and_an_explicit_grand_total(client: Any, admin_token: str) -> None:
    payload = admin_order_input(
        customer_email="walk-in@example.com", is_guest=True, grand_total=30, status="processing"
    )
    response = await gql(client, CREATE, {"input": payload}, token=admin_token)
    assert response.data is not None
    order = response.data["adminCreateOrder"]["order"]
    assert (order["customer_uid"], order["customer_is_guest"], order["customer_group_uid"]) == (
        None,
        True,
        "MA==",
    )
    assert (order["state"], order["email"], order["total"]["grand_total"]["value"]) == (
        "processing",
        "walk-in@example.com",
        30.0,
    )


async def test_every_problem_is_reported_and_nothing_written(client: Any, admin_token: str) -> None:
    before = await order_counts()
    payload = admin_order_input(
        customer_email="nobody@example.com",
        status="shipped",
        store_code="nowhere",
        created_at="2999-01-01T00:00:00Z",
        currency_code="dollars",
        items=[{"sku": " ", "quantity": 0, "price": -1}],
        billing_address={"firstname": "Ann", "street": []},
    )

    response = await gql(client, CREATE, {"input": payload}, token=admin_token)

    assert response.data == {
        "adminCreateOrder": {
            "order": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a store view with code "nowhere"',
                    "path": "input.store_code",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'The order status "shipped" does not exist.',
                    "path": "input.status",
                },
                {
                    "code": "INVALID",
                    "message": '"dollars" is not a three-letter currency code.',
                    "path": "input.currency_code",
                },
                {"code": "REQUIRED", "message": '"sku" is required.', "path": "input.items.0.sku"},
                {
                    "code": "INVALID",
                    "message": "The quantity must be greater than 0.",
                    "path": "input.items.0.quantity",
                },
                {
                    "code": "INVALID",
                    "message": "The amount must not be negative.",
                    "path": "input.items.0.price",
                },
                {
                    "code": "REQUIRED",
                    "message": '"lastname" is required. Enter and try again.',
                    "path": "input.billing_address.lastname",
                },
                {
                    "code": "REQUIRED",
                    "message": '"city" is required. Enter and try again.',
                    "path": "input.billing_address.city",
                },
                {
                    "code": "REQUIRED",
                    "message": '"country_code" is required. Enter and try again.',
                    "path": "input.billing_address.country_code",
                },
                {
                    "code": "REQUIRED",
                    "message": '"telephone" is required. Enter and try again.',
                    "path": "input.billing_address.telephone",
                },
                {
                    "code": "REQUIRED",
                    "message": '"street" is required. Enter and try again.',
                    "path": "input.billing_address.street",
                },
                {
                    "code": "INVALID",
                    "message": "The order date must not be in the future.",
                    "path": "input.created_at",
                },
            ],
        }
    }
    assert await order_counts() == before


async def test_unknown_customers_and_duplicate_numbers(client: Any, admin_token: str) -> None:
    await make_customer("ann@example.com")
    first = await gql(client, CREATE, {"input": admin_order_input()}, token=admin_token)
    assert first.data
    assert first.data["adminCreateOrder"]["user_errors"] == []
    before = await order_counts()

    cases = [
        (
            admin_order_input(),
            [
                {
                    "code": "ALREADY_EXISTS",
                    "message": 'An order with increment ID "H-1001" already exists.',
                    "path": "input.increment_id",
                }
            ],
        ),
        (
            admin_order_input(increment_id="H-2", customer_email="nobody@example.com"),
            [
                {
                    "code": "NOT_FOUND",
                    "message": 'No customer with e-mail "nobody@example.com" in website "base"; '
                    "send `is_guest: true` for a guest order.",
                    "path": "input.customer_email",
                }
            ],
        ),
        (
            admin_order_input(increment_id="H-3", customer_email=None, customer_uid="OTk="),
            [
                {
                    "code": "NOT_FOUND",
                    "message": "No such entity with customerId = 99",
                    "path": "input.customer_uid",
                }
            ],
        ),
        (
            admin_order_input(increment_id="H-4", customer_email=None, customer_uid="bad"),
            [
                {
                    "code": "INVALID_UID",
                    "message": 'Value of uid "bad" is incorrect.',
                    "path": "input.customer_uid",
                }
            ],
        ),
    ]
    for payload, errors in cases:
        response = await gql(client, CREATE, {"input": payload}, token=admin_token)
        assert response.data == {"adminCreateOrder": {"order": None, "user_errors": errors}}
    assert await order_counts() == before


async def test_admin_lists_filters_sorts_and_reads(client: Any, admin_token: str) -> None:
    ann = await make_customer("ann@example.com")
    await make_customer("bob@example.com")
    for number, email, total, when in (
        ("A-1", "ann@example.com", 10, "2023-01-01"),
        ("A-2", "ann@example.com", 50, "2023-06-01"),
        ("B-1", "bob@example.com", 30, "2023-03-01"),
    ):
        payload = admin_order_input(
            increment_id=number,
            customer_email=email,
            created_at=when,
            items=[{"sku": "X", "quantity": 1, "price": total}],
            shipping_amount=0,
        )
        response = await gql(client, CREATE, {"input": payload}, token=admin_token)
        assert response.data
        assert response.data["adminCreateOrder"]["user_errors"] == []

    async def numbers(**variables: Any) -> list[str]:
        response = await gql(client, LIST, variables, token=admin_token)
        assert response.errors == [], response.errors
        assert response.data is not None
        return [o["number"] for o in response.data["adminOrders"]["items"]]

    assert await numbers() == ["A-1", "A-2", "B-1"]
    assert await numbers(sort={"grand_total": "DESC"}) == ["A-2", "B-1", "A-1"]
    assert await numbers(sort={"created_at": "DESC"}) == ["A-2", "B-1", "A-1"]
    assert await numbers(filter={"customer_uid": {"eq": "MQ=="}}) == ["A-1", "A-2"]
    assert await numbers(filter={"customer_email": {"match": "BOB@example.com"}}) == ["B-1"]
    assert await numbers(filter={"number": {"match": "A-"}}) == ["A-1", "A-2"]
    assert await numbers(filter={"grand_total": {"to": "30"}}) == ["A-1", "B-1"]
    assert await numbers(filter={"created_at": {"from": "2023-02-01"}}) == ["A-2", "B-1"]
    assert await numbers(filter={"status": {"eq": "pending"}}) == []
    assert ann.entity_id == 1

    uid = "Mg=="  # the second order
    one = await gql(client, f'{{ adminOrder(uid: "{uid}") {{ number }} }}', token=admin_token)
    assert one.data == {"adminOrder": {"number": "A-2"}}
    missing = await gql(client, '{ adminOrder(uid: "OTk=") { number } }', token=admin_token)
    assert missing.messages == ['Could not find an order with ID "99"']
    assert missing.categories == ["graphql-no-such-entity"]


async def _placed_order(client: Any) -> tuple[str, int]:
    product = await make_product("SKU-A", qty="10")
    _, masked = await make_cart([(product, "4")])
    placed = await gql(
        client,
        "mutation ($c: String!) { placeOrder(input: {cart_id: $c}) { orderV2 { id } } }",
        {"c": masked},
    )
    assert placed.data is not None
    return placed.data["placeOrder"]["orderV2"]["id"], product.entity_id


async def test_cancel_returns_stock_and_cannot_be_undone(client: Any, admin_token: str) -> None:
    uid, product_id = await _placed_order(client)
    assert (await CataloginventoryStockItem.get(product_id=product_id)).qty == Decimal("6")

    canceled = await gql(
        client,
        UPDATE,
        {"uid": uid, "status": "canceled", "comment": "Out of paper"},
        token=admin_token,
    )

    assert canceled.data == {
        "adminUpdateOrderStatus": {
            "order": {
                "state": "canceled",
                "status_code": "canceled",
                "status": "Canceled",
                "items": [
                    {"status": "Canceled", "quantity_canceled": 4.0, "quantity_invoiced": 0.0}
                ],
            },
            "user_errors": [],
        }
    }
    assert (await CataloginventoryStockItem.get(product_id=product_id)).qty == Decimal("10")
    history = await gql(
        client,
        f'{{ adminOrder(uid: "{uid}") {{ status_history {{ status comment }} }} }}',
        token=admin_token,
    )
    assert history.data == {
        "adminOrder": {
            "status_history": [
                {"status": "pending", "comment": None},
                {"status": "canceled", "comment": "Out of paper"},
            ]
        }
    }

    refused = await gql(client, UPDATE, {"uid": uid, "status": "complete"}, token=admin_token)
    assert refused.data == {
        "adminUpdateOrderStatus": {
            "order": None,
            "user_errors": [
                {
                    "code": "INVALID",
                    "message": 'Order "000000001" cannot change from status "canceled" '
                    '(state "canceled") to "complete" (state "complete").',
                    "path": "status",
                }
            ],
        }
    }
    assert (await SalesOrder.get()).status == "canceled"


async def test_hold_release_and_complete(client: Any, admin_token: str) -> None:
    uid, product_id = await _placed_order(client)

    async def move(status: str, **extra: Any) -> Any:
        response = await gql(
            client, UPDATE, {"uid": uid, "status": status, **extra}, token=admin_token
        )
        assert response.data is not None, response.errors
        return response.data["adminUpdateOrderStatus"]

    held = await move("holded")
    assert (held["order"]["state"], held["order"]["status"]) == ("holded", "On Hold")
    cannot_cancel = await move("canceled")
    assert cannot_cancel["user_errors"][0]["message"] == (
        'Order "000000001" cannot change from status "holded" (state "holded") to "canceled" '
        '(state "canceled").'
    )
    released = await move("processing")
    assert released["order"]["state"] == "processing"
    # Same state, another status: always allowed.
    assert (await move("fraud"))["order"]["status"] == "Suspected Fraud"
    done = await move("complete", comment="Shipped by courier", front=True)
    assert done == {
        "order": {
            "state": "complete",
            "status_code": "complete",
            "status": "Complete",
            "items": [{"status": "Shipped", "quantity_canceled": 0.0, "quantity_invoiced": 4.0}],
        },
        "user_errors": [],
    }
    item = await SalesOrderItem.get()
    assert item.qty_shipped == Decimal("4")
    # Completing leaves stock as placing left it.
    assert (await CataloginventoryStockItem.get(product_id=product_id)).qty == Decimal("6")
    unknown = await move("teleported")
    assert unknown["user_errors"] == [
        {
            "code": "NOT_FOUND",
            "message": 'The order status "teleported" does not exist.',
            "path": "status",
        }
    ]


async def test_visible_comments_reach_the_customer(client: Any, admin_token: str) -> None:
    ann = await make_customer("ann@example.com")
    created = await gql(
        client, CREATE, {"input": admin_order_input(status="processing")}, token=admin_token
    )
    assert created.data is not None
    listed = await gql(client, LIST, token=admin_token)
    assert listed.data is not None
    uid = "MQ=="
    await gql(
        client,
        UPDATE,
        {"uid": uid, "status": "processing", "comment": "Internal"},
        token=admin_token,
    )
    await gql(
        client,
        UPDATE,
        {"uid": uid, "status": "complete", "comment": "On its way", "front": True},
        token=admin_token,
    )
    response = await gql(
        client,
        "{ customer { orders { items { status comments { message } } } } }",
        token=await token_for(ann),
    )
    assert response.data == {
        "customer": {
            "orders": {"items": [{"status": "Complete", "comments": [{"message": "On its way"}]}]}
        }
    }
