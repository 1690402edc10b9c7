"""The whole storefront story of issue 3, through HTTP: a guest browses and views products, fills a
cart, signs in (the carts merge), adds to the wish list and places an order, which then appears in
`customer { orders }`; the admin imports an order history from JSON Lines and sees it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.factories import PASSWORD, make_customer
from tests.graphql import gql

UPSERT = """
mutation ($input: [ProductUpsertInput!]!) {
  adminUpsertProducts(input: $input) { user_errors { code message path } }
}
"""
BROWSE = """
{ products(search: "mug") {
    total_count
    items { sku name price_range { minimum_price { final_price { value currency } } } }
} }
"""
TRACK = 'mutation { trackViewedProduct(sku: "MUG-1") }'
GUEST_CART = "mutation { createGuestCart { cart { id } } }"
ADD = """
mutation ($cart: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $cart, cartItems: $items) {
    cart { total_quantity } user_errors { code message }
  }
}
"""
SIGN_IN = """
mutation ($email: String!, $password: String!) {
  generateCustomerToken(email: $email, password: $password) { token }
}
"""
CUSTOMER_CART = "{ customerCart { id } }"
MERGE = """
mutation ($source: String!, $destination: String) {
  mergeCarts(source_cart_id: $source, destination_cart_id: $destination) {
    total_quantity itemsV2 { items { quantity product { sku } } }
  }
}
"""
WISH = """
mutation { addProductsToWishlist(wishlistId: "0", wishlistItems: [{sku: "TEE-1", quantity: 1}]) {
  user_errors { code message }
} }
"""
ADDRESS = {
    "firstname": "Ann",
    "lastname": "Lee",
    "street": ["1 Main St"],
    "city": "Austin",
    "region_id": 57,
    "postcode": "78701",
    "country_code": "US",
    "telephone": "5550100",
}
CHECKOUT = [
    (
        """mutation ($cart: String!, $address: CartAddressInput!) {
          setShippingAddressesOnCart(
            input: {cart_id: $cart, shipping_addresses: [{address: $address}]}
          ) { cart { id } } }""",
        {"address": ADDRESS},
    ),
    (
        """mutation ($cart: String!) {
          setBillingAddressOnCart(
            input: {cart_id: $cart, billing_address: {same_as_shipping: true}}
          ) { cart { id } } }""",
        {},
    ),
    (
        """mutation ($cart: String!) {
          setShippingMethodsOnCart(input: {cart_id: $cart,
            shipping_methods: [{carrier_code: "flatrate", method_code: "flatrate"}]})
          { cart { prices { grand_total { value } } } } }""",
        {},
    ),
    (
        """mutation ($cart: String!) {
          setPaymentMethodOnCart(input: {cart_id: $cart, payment_method: {code: "checkmo"}})
          { cart { id } } }""",
        {},
    ),
]
PLACE = """
mutation ($cart: String!) {
  placeOrder(input: {cart_id: $cart}) { orderV2 { number } errors { code message } }
}
"""
ORDERS = """
{ customer {
    orders(sort: {sort_field: NUMBER, sort_direction: ASC}) {
      total_count
      items {
        number status total { grand_total { value currency } }
        items { product_sku quantity_ordered }
      }
    }
    wishlists { items_v2 { items { quantity product { sku } } } }
} }
"""
ADMIN_ORDERS = """
{ adminOrders(pageSize: 10) { total_count items { number status } } }
"""


def imported(increment_id: str, email: str, created_at: str) -> str:
    return json.dumps(
        {
            "increment_id": increment_id,
            "customer_email": email,
            "status": "complete",
            "created_at": created_at,
            "items": [{"sku": "MUG-1", "quantity": 1, "price": 10}],
            "billing_address": ADDRESS,
        }
    )


async def test_guest_to_customer_to_order_and_imported_history(
    client: Any, admin_token: str, database_url: str, tmp_path: Path
) -> None:
    # The admin stocks the catalog.
    products = [
        {"sku": "MUG-1", "name": "Blue Mug", "price": 10, "qty": 100, "is_in_stock": True},
        {"sku": "TEE-1", "name": "Plain Tee", "price": 20, "qty": 100, "is_in_stock": True},
    ]
    stocked = await gql(client, UPSERT, {"input": products}, token=admin_token)
    assert stocked.data == {"adminUpsertProducts": {"user_errors": []}}
    await make_customer("ann@example.com")

    # A guest browses, views a product and fills a cart.
    browse = await gql(client, BROWSE)
    assert browse.data == {
        "products": {
            "total_count": 1,
            "items": [
                {
                    "sku": "MUG-1",
                    "name": "Blue Mug",
                    "price_range": {
                        "minimum_price": {"final_price": {"value": 10.0, "currency": "USD"}}
                    },
                }
            ],
        }
    }
    viewed = await gql(client, TRACK)
    assert viewed.data == {"trackViewedProduct": True}
    visitor = viewed.headers["X-Magento-Visitor"]
    created = await gql(client, GUEST_CART, headers={"X-Magento-Visitor": visitor})
    guest_cart = created.data["createGuestCart"]["cart"]["id"]  # type: ignore[index]
    assert len(guest_cart) == 32
    added = await gql(client, ADD, {"cart": guest_cart, "items": [{"sku": "MUG-1", "quantity": 2}]})
    assert added.data == {"addProductsToCart": {"cart": {"total_quantity": 2.0}, "user_errors": []}}

    # She signs in: the guest cart merges into her customer cart.
    signed_in = await gql(client, SIGN_IN, {"email": "ann@example.com", "password": PASSWORD})
    token = signed_in.data["generateCustomerToken"]["token"]  # type: ignore[index]
    own_cart = (await gql(client, CUSTOMER_CART, token=token)).data["customerCart"]["id"]  # type: ignore[index]
    merged = await gql(client, MERGE, {"source": guest_cart, "destination": own_cart}, token=token)
    assert merged.data == {
        "mergeCarts": {
            "total_quantity": 2.0,
            "itemsV2": {"items": [{"quantity": 2.0, "product": {"sku": "MUG-1"}}]},
        }
    }
    wished = await gql(client, WISH, token=token)
    assert wished.data == {"addProductsToWishlist": {"user_errors": []}}

    # Checkout: 2 x 10.00 + flat rate 5.00 per item, no tax rule applies.
    for document, variables in CHECKOUT:
        step = await gql(client, document, {"cart": own_cart, **variables}, token=token)
        assert step.errors == []
    placed = await gql(client, PLACE, {"cart": own_cart}, token=token)
    assert placed.data == {"placeOrder": {"orderV2": {"number": "000000001"}, "errors": []}}

    # The admin imports two orders from the old shop, one of them hers.
    history = tmp_path / "orders.jsonl"
    history.write_text(
        imported("OLD-1", "ann@example.com", "2024-03-01T10:00:00Z")
        + "\n"
        + imported("OLD-2", "ann@example.com", "2025-01-15T09:30:00Z")
        + "\n",
        encoding="utf-8",
    )
    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "mageseg.cli",
            "import",
            "orders",
            str(history),
            "--database-url",
            database_url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "Imported 2, skipped 0, failed 0."

    orders = await gql(client, ORDERS, token=token)
    assert orders.data == {
        "customer": {
            "orders": {
                "total_count": 3,
                "items": [
                    {
                        "number": "000000001",
                        "status": "Pending",
                        "total": {"grand_total": {"value": 30.0, "currency": "USD"}},
                        "items": [{"product_sku": "MUG-1", "quantity_ordered": 2.0}],
                    },
                    {
                        "number": "OLD-1",
                        "status": "Complete",
                        "total": {"grand_total": {"value": 10.0, "currency": "USD"}},
                        "items": [{"product_sku": "MUG-1", "quantity_ordered": 1.0}],
                    },
                    {
                        "number": "OLD-2",
                        "status": "Complete",
                        "total": {"grand_total": {"value": 10.0, "currency": "USD"}},
                        "items": [{"product_sku": "MUG-1", "quantity_ordered": 1.0}],
                    },
                ],
            },
            "wishlists": [
                {"items_v2": {"items": [{"quantity": 1.0, "product": {"sku": "TEE-1"}}]}}
            ],
        }
    }
    admin_view = await gql(client, ADMIN_ORDERS, token=admin_token)
    assert admin_view.data["adminOrders"]["total_count"] == 3  # type: ignore[index]
