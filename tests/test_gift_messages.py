"""Gift options through HTTP with Venia's documents: the settings Venia reads, the cart's gift
message (set, changed, removed, refused with Magento's messages), the order that keeps it, and
the disabled defaults of gift receipts, printed cards, wrapping and gift cards."""

from __future__ import annotations

from typing import Any

from engine.stores import invalidate_stores
from models import CoreConfigData, GiftMessage, Quote, SalesOrder
from models.catalog import ProductType
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_orders_place import PLACE_NUMBER
from tests.test_orders_support import make_cart, make_product

# Venia (CE and EE builds): `GetStoreConfigForGiftOptions`.
GIFT_OPTIONS_CONFIG = """
query GetStoreConfigForGiftOptions {
  storeConfig {
    store_code
    allow_order
    allow_gift_receipt
    allow_printed_card
  }
}
"""

# Venia's fragments (peregrine 15.7, EE build): the gift options and the price summary.
FRAGMENTS = """
fragment GiftOptionsFragment on Cart {
  __typename
  id
  gift_message { from to message }
  gift_receipt_included
  printed_card_included
  ...GiftOptionsSummaryFragment
}
fragment PriceSummaryFragment on Cart {
  id
  items { uid quantity }
  ...ShippingSummaryFragment
  prices {
    ...TaxSummaryFragment
    ...DiscountSummaryFragment
    ...GrandTotalFragment
    subtotal_excluding_tax { currency value }
    subtotal_including_tax { currency value }
  }
  ...GiftCardSummaryFragment
  ...GiftOptionsSummaryFragment
}
fragment DiscountSummaryFragment on CartPrices { discounts { amount { currency value } label } }
fragment GiftCardSummaryFragment on Cart {
  id
  applied_gift_cards { code applied_balance { value currency } }
}
fragment GiftOptionsSummaryFragment on Cart {
  id
  prices { gift_options { printed_card { value currency } } }
}
fragment GrandTotalFragment on CartPrices { grand_total { currency value } }
fragment ShippingSummaryFragment on Cart {
  id
  shipping_addresses { selected_shipping_method { amount { currency value } } street }
}
fragment TaxSummaryFragment on CartPrices { applied_taxes { amount { currency value } } }
"""

# Venia: `GetGiftOptions` and `SetGiftOptionsOnCart` (the cart page's price adjustments).
GET_GIFT_OPTIONS = (
    """
query GetGiftOptions($cartId: String!) {
  cart(cart_id: $cartId) {
    id
    ...GiftOptionsFragment
  }
}
"""
    + FRAGMENTS.split("fragment PriceSummaryFragment")[0]
    + "fragment GiftOptionsSummaryFragment"
    + FRAGMENTS.split("fragment GiftOptionsSummaryFragment")[1].split("fragment GrandTotal")[0]
)
SET_GIFT_OPTIONS = (
    """
mutation SetGiftOptionsOnCart(
  $cartId: String!
  $giftMessage: GiftMessageInput
  $giftReceiptIncluded: Boolean!
  $printedCardIncluded: Boolean!
) {
  setGiftOptionsOnCart(
    input: {
      cart_id: $cartId
      gift_message: $giftMessage
      gift_receipt_included: $giftReceiptIncluded
      printed_card_included: $printedCardIncluded
    }
  ) {
    cart {
      id
      total_quantity
      ...PriceSummaryFragment
      ...GiftOptionsFragment
    }
  }
}
"""
    + FRAGMENTS
)
WRAPPING = """
mutation ($cart: String!) {
  setGiftOptionsOnCart(input: {
    cart_id: $cart, gift_receipt_included: false, printed_card_included: false,
    gift_wrapping_id: "Mw=="
  }) { cart { id } }
}
"""

MESSAGE = {"from": "Ann", "to": "Bob", "message": "Happy birthday, Bob!"}


def variables(cart: str, message: dict[str, str] | None = MESSAGE, **flags: bool) -> dict[str, Any]:
    return {
        "cartId": cart,
        "giftMessage": message,
        "giftReceiptIncluded": flags.get("receipt", False),
        "printedCardIncluded": flags.get("card", False),
    }


async def allow_order_messages() -> None:
    await CoreConfigData.create(path="sales/gift_options/allow_order", value="1")


async def state() -> list[tuple[Any, ...]]:
    quotes = await Quote.all().order_by("entity_id").values_list("entity_id", "gift_message_id")
    messages = (
        await GiftMessage.all()
        .order_by("gift_message_id")
        .values_list("gift_message_id", "customer_id", "sender", "recipient", "message")
    )
    return [*quotes, *messages]


async def test_venia_reads_magentos_gift_option_defaults(client: Any) -> None:
    response = await gql(client, GIFT_OPTIONS_CONFIG)

    assert response.errors == []
    assert response.data == {
        "storeConfig": {
            "store_code": "default",
            "allow_order": "0",
            "allow_gift_receipt": "0",
            "allow_printed_card": "0",
        }
    }


async def test_gift_messages_allowed_on_the_order(client: Any) -> None:
    await allow_order_messages()

    response = await gql(client, GIFT_OPTIONS_CONFIG)

    assert response.data == {
        "storeConfig": {
            "store_code": "default",
            "allow_order": "1",
            "allow_gift_receipt": "0",
            "allow_printed_card": "0",
        }
    }


async def test_a_gift_message_is_set_read_changed_and_kept_by_the_order(client: Any) -> None:
    await allow_order_messages()
    mug = await make_product("MUG", "12.50")
    quote, cart = await make_cart([(mug, "2")])
    before = await gql(client, GET_GIFT_OPTIONS, {"cartId": cart})
    assert before.data == {
        "cart": {
            "id": cart,
            "__typename": "Cart",
            "gift_message": None,
            "gift_receipt_included": False,
            "printed_card_included": False,
            "prices": {"gift_options": {"printed_card": None}},
        }
    }

    response = await gql(client, SET_GIFT_OPTIONS, variables(cart))

    assert response.errors == []
    answer = response.data["setGiftOptionsOnCart"]["cart"]  # type: ignore[index]
    assert answer["gift_message"] == {"to": "Bob", "from": "Ann", "message": "Happy birthday, Bob!"}
    assert answer["gift_receipt_included"] is False
    assert answer["printed_card_included"] is False
    assert answer["applied_gift_cards"] == []
    assert answer["total_quantity"] == 2.0
    # 2 x 12.50 = 25.00; flat rate 5.00 per item: 35.00.
    assert answer["prices"]["subtotal_excluding_tax"] == {"currency": "USD", "value": 25.0}
    assert answer["prices"]["grand_total"] == {"currency": "USD", "value": 35.0}
    assert answer["prices"]["gift_options"] == {"printed_card": None}
    (row,) = await GiftMessage.all()
    assert (row.customer_id, row.sender, row.recipient, row.message) == (
        0,
        "Ann",
        "Bob",
        "Happy birthday, Bob!",
    )

    changed = await gql(
        client, SET_GIFT_OPTIONS, variables(cart, {"from": "Ann", "to": "Bo", "message": "Hi"})
    )
    read = await gql(client, GET_GIFT_OPTIONS, {"cartId": cart})

    assert changed.errors == []
    assert read.data["cart"]["gift_message"] == {  # type: ignore[index]
        "from": "Ann",
        "to": "Bo",
        "message": "Hi",
    }
    assert await GiftMessage.all().count() == 1  # the cart's row, rewritten

    placed = await gql(client, PLACE_NUMBER, {"cart": cart})

    assert placed.errors == []
    order = await SalesOrder.get(quote_id=quote.entity_id)
    assert order.gift_message_id == row.gift_message_id


async def test_an_empty_message_or_none_removes_it(client: Any) -> None:
    await allow_order_messages()
    mug = await make_product("MUG", "12.50")
    _, cart = await make_cart([(mug, "1")])
    await gql(client, SET_GIFT_OPTIONS, variables(cart))

    emptied = await gql(
        client, SET_GIFT_OPTIONS, variables(cart, {"from": "Ann", "to": "Bob", "message": ""})
    )

    assert emptied.data["setGiftOptionsOnCart"]["cart"]["gift_message"] is None  # type: ignore[index]
    assert await GiftMessage.all().count() == 0
    await gql(client, SET_GIFT_OPTIONS, variables(cart))
    left_out = await gql(client, SET_GIFT_OPTIONS, variables(cart, None))
    assert left_out.data["setGiftOptionsOnCart"]["cart"]["gift_message"] is None  # type: ignore[index]
    assert await GiftMessage.all().count() == 0


async def test_a_customers_message_names_the_customer(client: Any) -> None:
    await allow_order_messages()
    customer = await make_customer()
    mug = await make_product("MUG", "12.50")
    _, cart = await make_cart([(mug, "1")], customer=customer)

    response = await gql(client, SET_GIFT_OPTIONS, variables(cart), token=await token_for(customer))

    assert response.errors == []
    (row,) = await GiftMessage.all()
    assert row.customer_id == customer.entity_id


async def test_refusals_have_magentos_messages_and_write_nothing(
    client: Any, services: Any
) -> None:
    mug = await make_product("MUG", "12.50")
    ebook = await make_product("EBOOK", "3.00", type_id=ProductType.VIRTUAL)
    _, cart = await make_cart([(mug, "1")])
    _, empty = await make_cart([])
    virtual_quote, virtual = await make_cart([(ebook, "1")], shipping=False)
    virtual_quote.is_virtual = True
    await virtual_quote.save()
    owner = await make_customer()
    _, theirs = await make_cart([(mug, "1")], customer=owner)
    before = await state()

    async def refused(variables: dict[str, Any], token: str | None = None) -> list[Any]:
        response = await gql(client, SET_GIFT_OPTIONS, variables, token=token)
        assert response.data == {"setGiftOptionsOnCart": None}
        return [
            (e["message"], e["extensions"]["category"], e["extensions"].get("input_path"))
            for e in response.errors
        ]

    # `sales/gift_options/allow_order` is off (Magento's default).
    assert await refused(variables(cart)) == [
        ("Gift Message is not available", "graphql-input", "input.gift_message")
    ]
    await allow_order_messages()
    await invalidate_stores(services.cache)
    assert await refused(variables(empty)) == [
        (
            "Gift Messages are not applicable for empty cart",
            "graphql-input",
            "input.gift_message",
        )
    ]
    assert await refused(variables(virtual)) == [
        (
            "Gift Messages are not applicable for virtual products",
            "graphql-input",
            "input.gift_message",
        )
    ]
    # Gift receipts and printed cards are Adobe Commerce's gift wrapping: not available here.
    assert await refused(variables(cart, receipt=True, card=True)) == [
        ("Gift receipts are not available.", "graphql-input", "input.gift_receipt_included")
    ]
    assert await refused(variables(cart, card=True)) == [
        ("Printed cards are not available.", "graphql-input", "input.printed_card_included")
    ]
    wrapped = await gql(client, WRAPPING, {"cart": cart})
    assert wrapped.messages == ['Could not find gift wrapping with ID "Mw=="']
    assert await refused(variables(theirs)) == [
        (
            f'The current user cannot perform operations on cart "{theirs}"',
            "graphql-authorization",
            "cart_id",
        )
    ]
    assert await state() == before
