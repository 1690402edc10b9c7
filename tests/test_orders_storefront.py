"""`customer { orders }` and the deprecated `customerOrders` through HTTP: a customer's own
orders only, in Magento's shape, with its filters, sort, pagination and scopes."""

from __future__ import annotations

from typing import Any

from engine.stores import invalidate_stores
from models import CustomerEntity, SalesOrder, Store
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_orders_support import admin_order_input, make_cart, make_product

ORDERS = """
query ($filter: CustomerOrdersFilterInput, $page: Int, $size: Int,
       $sort: CustomerOrderSortInput, $scope: ScopeTypeEnum) {
  customer {
    orders(filter: $filter, currentPage: $page, pageSize: $size, sort: $sort, scope: $scope) {
      total_count date_of_first_order
      page_info { current_page page_size total_pages }
      items { number }
    }
  }
}
"""

CREATE = """
mutation ($input: AdminOrderCreateInput!) {
  adminCreateOrder(input: $input) { order { number } user_errors { code message path } }
}
"""


async def _history(client: Any, admin_token: str, services: Any) -> None:
    """Ann's four imported orders (two store views of the main website), and one of Bob's."""
    await Store.create(code="second", name="Second", website_id=1, group_id=1)
    await invalidate_stores(services.cache)
    await make_customer("ann@example.com")
    await make_customer("bob@example.com", firstname="Bob")
    rows = [
        ("H-1", "2023-01-10T08:00:00", "complete", [10], "default"),
        ("H-2", "2023-03-01T08:00:00", "canceled", [25], "default"),
        ("H-3", "2023-02-01T08:00:00", "pending", [40], "default"),
        ("X-9", "2022-12-24T08:00:00", "complete", [99], "second"),
    ]
    for number, when, status, prices, store in rows:
        payload = admin_order_input(
            increment_id=number,
            created_at=when,
            status=status,
            store_code=store,
            items=[{"sku": f"S-{p}", "quantity": 1, "price": p} for p in prices],
            shipping_amount=0,
        )
        result = await gql(client, CREATE, {"input": payload}, token=admin_token)
        assert result.data is not None, result.errors
        assert result.data["adminCreateOrder"]["user_errors"] == []
    bob = admin_order_input(increment_id="B-1", customer_email="bob@example.com")
    result = await gql(client, CREATE, {"input": bob}, token=admin_token)
    assert result.data
    assert result.data["adminCreateOrder"]["user_errors"] == []


async def test_a_placed_order_appears_in_customer_orders_with_exact_totals(client: Any) -> None:
    ann = await make_customer("ann@example.com")
    token = await token_for(ann)
    a = await make_product("SKU-A", "19.99")
    _, masked = await make_cart([(a, "3")], customer=ann)
    placed = await gql(
        client,
        "mutation ($c: String!) { placeOrder(input: {cart_id: $c}) { orderV2 { number } } }",
        {"c": masked},
        token=token,
    )
    assert placed.errors == []

    response = await gql(
        client,
        """{ customer { orders { total_count items {
             number status email customer_info { firstname lastname }
             items { product_sku quantity_ordered }
             total { subtotal { value } total_shipping { value } grand_total { value currency } }
           } } } }""",
        token=token,
    )

    assert response.data == {
        "customer": {
            "orders": {
                "total_count": 1,
                "items": [
                    {
                        "number": "000000001",
                        "status": "Pending",
                        "email": "ann@example.com",
                        "customer_info": {"firstname": "Ann", "lastname": "Lee"},
                        "items": [{"product_sku": "SKU-A", "quantity_ordered": 3.0}],
                        "total": {
                            "subtotal": {"value": 59.97},
                            "total_shipping": {"value": 15.0},
                            "grand_total": {"value": 74.97, "currency": "USD"},
                        },
                    }
                ],
            }
        }
    }
    order = await SalesOrder.get(increment_id="000000001")
    assert (order.customer_id, order.customer_group_id, order.customer_is_guest) == (  # type: ignore[attr-defined]
        ann.entity_id,
        1,
        False,
    )


async def test_filters_sort_and_pages(client: Any, admin_token: str, services: Any) -> None:
    await _history(client, admin_token, services)
    token = await token_for(await _customer("ann@example.com"))

    async def numbers(**variables: Any) -> Any:
        response = await gql(client, ORDERS, variables, token=token)
        assert response.errors == [], response.errors
        assert response.data is not None
        return response.data["customer"]["orders"]

    everything = await numbers()
    assert everything == {
        "total_count": 3,
        "date_of_first_order": "2023-01-10 08:00:00",
        "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
        "items": [{"number": "H-1"}, {"number": "H-2"}, {"number": "H-3"}],
    }
    newest = await numbers(sort={"sort_field": "CREATED_AT", "sort_direction": "DESC"})
    assert [o["number"] for o in newest["items"]] == ["H-2", "H-3", "H-1"]
    by_number = await numbers(sort={"sort_field": "NUMBER", "sort_direction": "DESC"})
    assert [o["number"] for o in by_number["items"]] == ["H-3", "H-2", "H-1"]
    page_two = await numbers(page=2, size=2)
    assert page_two["items"] == [{"number": "H-3"}]
    assert page_two["page_info"] == {"current_page": 2, "page_size": 2, "total_pages": 2}

    async def filtered(filter_: dict[str, Any]) -> list[str]:
        return [o["number"] for o in (await numbers(filter=filter_))["items"]]

    assert await filtered({"number": {"eq": "H-2"}}) == ["H-2"]
    assert await filtered({"number": {"in": ["H-1", "H-3", "B-1"]}}) == ["H-1", "H-3"]
    assert await filtered({"number": {"match": "-3"}}) == ["H-3"]
    assert await filtered({"status": {"eq": "complete"}}) == ["H-1"]
    assert await filtered({"status": {"in": ["pending", "canceled"]}}) == ["H-2", "H-3"]
    assert await filtered({"grand_total": {"from": "20", "to": "40"}}) == ["H-2", "H-3"]
    assert await filtered({"grand_total": {"from": "30"}}) == ["H-3"]
    assert await filtered({"order_date": {"from": "2023-02-01", "to": "2023-03-01"}}) == ["H-3"]
    # Bob's order is never Ann's, however she filters.
    assert await filtered({"number": {"eq": "B-1"}}) == []

    too_far = await gql(client, ORDERS, {"page": 3, "size": 2}, token=token)
    assert too_far.messages == [
        "currentPage value 3 specified is greater than the 2 page(s) available."
    ]
    bad_total = await gql(client, ORDERS, {"filter": {"grand_total": {"from": "x"}}}, token=token)
    assert bad_total.messages == ['"x" is not a number.']
    assert bad_total.categories == ["graphql-input"]


async def _customer(email: str) -> CustomerEntity:
    return await CustomerEntity.get(email=email)


async def test_scope_widens_to_other_store_views(
    client: Any, admin_token: str, services: Any
) -> None:
    await _history(client, admin_token, services)
    token = await token_for(await _customer("ann@example.com"))
    response = await gql(client, ORDERS, {"scope": "GLOBAL"}, token=token)
    assert response.data is not None
    orders = response.data["customer"]["orders"]
    assert [o["number"] for o in orders["items"]] == ["H-1", "H-2", "H-3", "X-9"]
    assert orders["total_count"] == 4
    assert orders["date_of_first_order"] == "2022-12-24 08:00:00"
    in_second = await gql(client, ORDERS, {}, token=token, store="second")
    assert in_second.data is not None
    assert [o["number"] for o in in_second.data["customer"]["orders"]["items"]] == ["X-9"]


async def test_deprecated_customer_orders_lists_every_own_order(
    client: Any, admin_token: str, services: Any
) -> None:
    await _history(client, admin_token, services)
    bob = await token_for(await _customer("bob@example.com"))
    response = await gql(client, "{ customerOrders { total_count items { number } } }", token=bob)
    assert response.data == {"customerOrders": {"total_count": 1, "items": [{"number": "B-1"}]}}
