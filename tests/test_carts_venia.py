"""The cart fields and mutations Venia sends beyond the cart basics, through HTTP with Venia's
documents: the cart trigger's count (`total_summary_quantity_including_config`), the older
`addSimpleProductsToCart`, Braintree's payment input, and the Adobe Commerce gift card field."""

from __future__ import annotations

from typing import Any

from models import CoreConfigData, Quote, QuoteItem
from tests.graphql import gql
from tests.test_carts import guest_cart, make_product
from tests.test_orders_support import make_cart
from tests.test_orders_support import make_product as stocked_product

# Venia: `CartTriggerFragment` (peregrine 15.7) and `getItemCount`.
CART_TRIGGER = """
fragment CartTriggerFragment on Cart {
  id
  total_quantity
  total_summary_quantity_including_config
}
"""
GET_ITEM_COUNT = (
    """
query getItemCount($cartId: String!) {
  cart(cart_id: $cartId) {
    id
    ...CartTriggerFragment
  }
}
"""
    + CART_TRIGGER
)
# Venia (CE build): `addSimpleProductToCart`, with the mini cart's prices.
ADD_SIMPLE = (
    """
mutation addSimpleProductToCart($cartId: String!, $quantity: Float!, $sku: String!) {
  addSimpleProductsToCart(
    input: { cart_id: $cartId, cart_items: [{ data: { quantity: $quantity, sku: $sku } }] }
  ) {
    cart {
      id
      ...CartTriggerFragment
      ...MiniCartFragment
    }
  }
}
fragment MiniCartFragment on Cart {
  id
  total_quantity
  prices {
    subtotal_excluding_tax { currency value }
    subtotal_including_tax { currency value }
  }
}
"""
    + CART_TRIGGER
)
# Venia (EE build): `getAppliedGiftCards`.
APPLIED_GIFT_CARDS = """
query getAppliedGiftCards($cartId: String!) {
  cart(cart_id: $cartId) {
    id
    applied_gift_cards {
      code
      current_balance { currency value }
    }
  }
}
"""
# Venia's Braintree payment step, and its check / money order step.
BRAINTREE = """
mutation setPaymentMethodOnCart($cartId: String!, $paymentNonce: String!) {
  setPaymentMethodOnCart(
    input: {
      cart_id: $cartId
      payment_method: {
        code: "braintree"
        braintree: { payment_method_nonce: $paymentNonce, is_active_payment_token_enabler: false }
      }
    }
  ) {
    cart { id selected_payment_method { code title } }
  }
}
"""
CHECKMO_WITH_BRAINTREE_DATA = """
mutation ($cartId: String!) {
  setPaymentMethodOnCart(
    input: {
      cart_id: $cartId
      payment_method: {
        code: "checkmo"
        braintree: { payment_method_nonce: "fake-nonce", is_active_payment_token_enabler: true }
      }
    }
  ) {
    cart { id selected_payment_method { code title } }
  }
}
"""


def trigger(cart: str, quantity: float, summary: float) -> dict[str, Any]:
    return {
        "id": cart,
        "total_quantity": quantity,
        "total_summary_quantity_including_config": summary,
    }


async def test_venia_adds_simple_products_and_counts_the_cart(client: Any) -> None:
    await make_product("MUG", "5.55")
    await make_product("TEE", "12.00")
    cart = await guest_cart(client)

    first = await gql(client, ADD_SIMPLE, {"cartId": cart, "quantity": 2, "sku": "MUG"})
    second = await gql(client, ADD_SIMPLE, {"cartId": cart, "quantity": 1, "sku": "TEE"})
    count = await gql(client, GET_ITEM_COUNT, {"cartId": cart})

    assert first.errors == []
    # 2 x 5.55 = 11.10.
    assert first.data == {
        "addSimpleProductsToCart": {
            "cart": {
                **trigger(cart, 2.0, 2.0),
                "prices": {
                    "subtotal_excluding_tax": {"currency": "USD", "value": 11.1},
                    "subtotal_including_tax": {"currency": "USD", "value": 11.1},
                },
            }
        }
    }
    # 11.10 + 12.00 = 23.10; the quantities: 2 + 1 = 3.
    assert second.errors == []
    cart_after = second.data["addSimpleProductsToCart"]["cart"]  # type: ignore[index]
    assert cart_after["prices"]["subtotal_excluding_tax"] == {"currency": "USD", "value": 23.1}
    assert count.data == {"cart": trigger(cart, 3.0, 3.0)}


async def test_the_cart_link_counts_lines_when_use_qty_is_off(client: Any) -> None:
    await CoreConfigData.create(path="checkout/cart_link/use_qty", value="0")
    await make_product("MUG", "5.55")
    await make_product("TEE", "12.00")
    cart = await guest_cart(client)
    await gql(client, ADD_SIMPLE, {"cartId": cart, "quantity": 2, "sku": "MUG"})
    await gql(client, ADD_SIMPLE, {"cartId": cart, "quantity": 3, "sku": "TEE"})

    count = await gql(client, GET_ITEM_COUNT, {"cartId": cart})

    # Two lines holding 5 items.
    assert count.data == {"cart": trigger(cart, 5.0, 2.0)}


async def test_a_refused_simple_product_adds_nothing(client: Any) -> None:
    await make_product("MUG", "5.55")
    cart = await guest_cart(client)

    response = await gql(client, ADD_SIMPLE, {"cartId": cart, "quantity": 1, "sku": "NOPE"})

    assert response.data == {"addSimpleProductsToCart": None}
    assert response.messages == ['Could not find a product with SKU "NOPE"']
    assert response.categories == ["graphql-no-such-entity"]
    assert await QuoteItem.all().count() == 0


async def test_no_gift_cards_are_applied(client: Any) -> None:
    cart = await guest_cart(client)

    response = await gql(client, APPLIED_GIFT_CARDS, {"cartId": cart})

    assert response.data == {"cart": {"id": cart, "applied_gift_cards": []}}


async def test_braintree_input_is_accepted_and_braintree_is_not_available(client: Any) -> None:
    lamp = await stocked_product("LAMP", "20.00")
    quote, cart = await make_cart([(lamp, "1")], payment_method=None)

    braintree = await gql(client, BRAINTREE, {"cartId": cart, "paymentNonce": "fake-nonce"})
    checkmo = await gql(client, CHECKMO_WITH_BRAINTREE_DATA, {"cartId": cart})

    assert braintree.data == {"setPaymentMethodOnCart": None}
    assert braintree.messages == ["The requested Payment Method is not available."]
    assert braintree.categories == ["graphql-input"]
    assert checkmo.errors == []
    assert checkmo.data == {
        "setPaymentMethodOnCart": {
            "cart": {
                "id": cart,
                "selected_payment_method": {"code": "checkmo", "title": "Check / Money order"},
            }
        }
    }
    assert (await Quote.get(entity_id=quote.entity_id)).payment_method == "checkmo"
