"""Carts through HTTP: creation, ownership, items, addresses, shipping, payment, totals with tax,
and merging a guest cart on login."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.stores import invalidate_stores
from models import (
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductWebsite,
    CoreConfigData,
    CustomerGroup,
    CustomerVisitor,
    ProductStatus,
    ProductType,
    Quote,
    QuoteAddress,
    QuoteIdMask,
    QuoteItem,
    TaxCalculation,
    TaxClass,
)
from tests.factories import make_address, make_customer, token_for
from tests.graphql import gql

VISITOR = "X-Magento-Visitor"
CA, NY, TX = 12, 43, 57

CREATE_GUEST_CART = """
mutation ($input: CreateGuestCartInput) { createGuestCart(input: $input) { cart { id email } } }
"""
CREATE_EMPTY_CART = "mutation ($input: createEmptyCartInput) { createEmptyCart(input: $input) }"
CUSTOMER_CART = "{ customerCart { id email total_quantity } }"
CART_FIELDS = """
id email is_virtual total_quantity
items { uid quantity product { sku } }
prices {
  subtotal_excluding_tax { value currency } subtotal_including_tax { value }
  subtotal_with_discount_excluding_tax { value }
  grand_total { value } grand_total_excluding_tax { value }
  applied_taxes { label amount { value } } discounts { label }
}
shipping_addresses {
  firstname city postcode street region { code label region_id } country { code label }
  customer_address_uid same_as_billing
  available_shipping_methods { carrier_code method_code amount { value } price_incl_tax { value } }
  selected_shipping_method { carrier_code method_code carrier_title method_title amount { value } }
}
billing_address { firstname city region { code } customer_address_uid }
available_payment_methods { code title is_deferred }
selected_payment_method { code title }
applied_coupons { code } rules { uid }
"""
CART = "query ($id: String!) { cart(cart_id: $id) { " + CART_FIELDS + " } }"
ADD = """
mutation ($id: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $id, cartItems: $items) {
    cart { total_quantity items { uid quantity product { sku } prices {
      price { value } price_including_tax { value } row_total { value }
      row_total_including_tax { value } original_item_price { value }
      catalog_discount { amount_off percent_off } } } }
    user_errors { __typename code message ... on InsufficientStockError { quantity } }
  }
}
"""
UPDATE = """
mutation ($input: UpdateCartItemsInput) {
  updateCartItems(input: $input) { cart { total_quantity items { uid quantity } }
    errors { code message } }
}
"""
REMOVE = """
mutation ($input: RemoveItemFromCartInput) {
  removeItemFromCart(input: $input) { cart { total_quantity } }
}
"""
SHIPPING_ADDRESS = (
    """
mutation ($input: SetShippingAddressesOnCartInput) {
  setShippingAddressesOnCart(input: $input) { cart { """
    + CART_FIELDS
    + """ } }
}
"""
)
BILLING_ADDRESS = (
    """
mutation ($input: SetBillingAddressOnCartInput) {
  setBillingAddressOnCart(input: $input) { cart { """
    + CART_FIELDS
    + """ } }
}
"""
)
SHIPPING_METHOD = (
    """
mutation ($id: String!, $carrier: String!, $method: String!) {
  setShippingMethodsOnCart(input: {cart_id: $id, shipping_methods: [
    {carrier_code: $carrier, method_code: $method}]}) { cart { """
    + CART_FIELDS
    + """ } }
}
"""
)
PAYMENT = """
mutation ($id: String!, $code: String!) {
  setPaymentMethodOnCart(input: {cart_id: $id, payment_method: {code: $code}}) {
    cart { selected_payment_method { code title } }
  }
}
"""
MERGE = """
mutation ($source: String!, $destination: String) {
  mergeCarts(source_cart_id: $source, destination_cart_id: $destination) {
    id total_quantity items { quantity product { sku } }
  }
}
"""
GUEST_EMAIL = """
mutation ($id: String!, $email: String!) {
  setGuestEmailOnCart(input: {cart_id: $id, email: $email}) { cart { email } }
}
"""
ITEMS_V2 = """
query ($id: String!, $size: Int, $page: Int, $sort: QuoteItemsSortInput) {
  cart(cart_id: $id) {
    itemsV2(pageSize: $size, currentPage: $page, sort: $sort) {
      items { product { sku } quantity } page_info { current_page page_size total_pages }
      total_count
    }
  }
}
"""

ADDRESS = {
    "firstname": "Ann",
    "lastname": "Lee",
    "street": ["1 Market St"],
    "city": "San Francisco",
    "region_id": CA,
    "postcode": "94105",
    "country_code": "US",
    "telephone": "5550100",
}


async def make_product(
    sku: str,
    price: str,
    *,
    type_id: ProductType = ProductType.SIMPLE,
    tax_class_id: int | None = 2,
    qty: str = "100",
    in_stock: bool = True,
    status: ProductStatus = ProductStatus.ENABLED,
    website_id: int | None = 1,
    special_price: str | None = None,
) -> CatalogProductEntity:
    product = await CatalogProductEntity.create(
        attribute_set_id=4,
        type_id=type_id,
        sku=sku,
        name=sku.title(),
        price=Decimal(price),
        special_price=Decimal(special_price) if special_price else None,
        weight=Decimal("1.5") if type_id == ProductType.SIMPLE else None,
        status=status,
        tax_class_id=tax_class_id,
    )
    if website_id is not None:
        await CatalogProductWebsite.create(product_id=product.entity_id, website_id=website_id)
    await CataloginventoryStockItem.create(
        product_id=product.entity_id, qty=Decimal(qty), is_in_stock=in_stock
    )
    return product


async def link_california_rate(customer_class: int = 3, product_class: int = 2) -> None:
    """Magento's sample rate US-CA-*-Rate 1 (8.25%) for retail customers and taxable goods."""
    await TaxCalculation.create(
        tax_calculation_rate_id=1,
        customer_tax_class_id=customer_class,
        product_tax_class_id=product_class,
    )


async def guest_cart(client: Any, **headers: str) -> str:
    response = await client.post(
        "/graphql", json={"query": CREATE_GUEST_CART, "variables": {}}, headers=headers
    )
    body = await response.json()
    cart_id: str = body["data"]["createGuestCart"]["cart"]["id"]
    return cart_id


async def add(
    client: Any, cart_id: str, items: list[tuple[str, float]], token: str | None = None
) -> Any:
    return await gql(
        client,
        ADD,
        {"id": cart_id, "items": [{"sku": s, "quantity": q} for s, q in items]},
        token=token,
    )


async def counts() -> tuple[int, ...]:
    return tuple(
        [
            await model.all().count()
            for model in (Quote, QuoteItem, QuoteAddress, QuoteIdMask, CustomerVisitor)
        ]
    )


async def item_rows() -> list[tuple[str, Decimal]]:
    return [(i.sku, Decimal(i.qty)) for i in await QuoteItem.all().order_by("item_id")]


# --- creating carts -----------------------------------------------------------------------------


async def test_a_guest_cart_has_a_masked_id_and_hands_back_its_visitor(client: Any) -> None:
    response = await client.post("/graphql", json={"query": CREATE_GUEST_CART})
    body = await response.json()
    cart_id = body["data"]["createGuestCart"]["cart"]["id"]
    assert len(cart_id) == 32
    session = response.headers[VISITOR]
    quote = await Quote.get(entity_id=(await QuoteIdMask.get(masked_id=cart_id)).quote_id)  # type: ignore[attr-defined]
    visitor = await CustomerVisitor.get(session_id=session)
    assert quote.visitor_id == visitor.visitor_id  # type: ignore[attr-defined]
    assert (quote.customer_id, quote.customer_is_guest, quote.is_active) == (None, True, True)  # type: ignore[attr-defined]
    # The same visitor continues with its next cart; an unknown session id gets a new visitor.
    again = await client.post(
        "/graphql", json={"query": CREATE_GUEST_CART}, headers={VISITOR: session}
    )
    assert again.headers[VISITOR] == session
    forged = await client.post(
        "/graphql", json={"query": CREATE_GUEST_CART}, headers={VISITOR: "made-up"}
    )
    assert forged.headers[VISITOR] not in {session, "made-up"}
    assert await CustomerVisitor.all().count() == 2


async def test_a_guest_cart_with_a_client_chosen_id(client: Any) -> None:
    chosen = "a" * 32
    response = await gql(client, CREATE_GUEST_CART, {"input": {"cart_uid": chosen}})
    assert response.data == {"createGuestCart": {"cart": {"id": chosen, "email": None}}}
    before = await counts()
    taken = await gql(client, CREATE_GUEST_CART, {"input": {"cart_uid": chosen}})
    assert taken.messages == [f'Cart with ID "{chosen}" already exists.']
    assert taken.categories == ["graphql-already-exists"]
    short = await gql(client, CREATE_GUEST_CART, {"input": {"cart_uid": "abc"}})
    assert short.messages == ["Cart ID length should to be 32 symbols."]
    assert short.categories == ["graphql-input"]
    assert await counts() == before


async def test_customers_are_sent_to_customer_cart(client: Any) -> None:
    token = await token_for(await make_customer())
    before = await counts()
    response = await gql(client, CREATE_GUEST_CART, token=token)
    assert response.messages == ["Use 'Query.customerCart' for logged in customer."]
    assert response.categories == ["graphql-already-exists"]
    assert await counts() == before


async def test_create_empty_cart_for_guests_and_customers(client: Any) -> None:
    guest = await gql(client, CREATE_EMPTY_CART, {"input": {"cart_id": "b" * 32}})
    assert guest.data == {"createEmptyCart": "b" * 32}
    short = await gql(client, CREATE_EMPTY_CART, {"input": {"cart_id": "b"}})
    assert short.messages == ["Cart ID length should to be 32 symbols."]
    token = await token_for(await make_customer())
    first = await gql(client, CREATE_EMPTY_CART, token=token)
    assert first.data is not None
    masked = first.data["createEmptyCart"]
    second = await gql(client, CREATE_EMPTY_CART, token=token)
    mine = await gql(client, CUSTOMER_CART, token=token)
    assert second.data == {"createEmptyCart": masked}
    assert mine.data == {
        "customerCart": {"id": masked, "email": "ann@example.com", "total_quantity": 0}
    }


async def test_customer_cart_is_created_once(client: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    first = await gql(client, CUSTOMER_CART, token=token)
    second = await gql(client, CUSTOMER_CART, token=token)
    assert first.data == second.data
    assert first.data is not None
    assert len(first.data["customerCart"]["id"]) == 32
    quote = await Quote.get(customer_id=customer.entity_id)
    assert (quote.customer_is_guest, quote.customer_email, quote.customer_group_id) == (
        False,
        "ann@example.com",
        1,
    )


# --- who may use a cart -------------------------------------------------------------------------


async def test_only_the_owner_uses_a_cart(client: Any) -> None:
    await make_product("tee", "10.00")
    ann, bob = await make_customer(), await make_customer("bob@example.com")
    ann_token, bob_token = await token_for(ann), await token_for(bob)
    ann_cart = (await gql(client, CUSTOMER_CART, token=ann_token)).data["customerCart"]["id"]  # type: ignore[index]
    guest = await guest_cart(client)
    before = await counts()
    for cart_id, token in ((ann_cart, bob_token), (ann_cart, None), (guest, ann_token)):
        response = await add(client, cart_id, [("tee", 1)], token=token)
        assert response.messages == [
            f'The current user cannot perform operations on cart "{cart_id}"'
        ]
        assert response.categories == ["graphql-authorization"]
        read = await gql(client, CART, {"id": cart_id}, token=token)
        assert read.categories == ["graphql-authorization"]
    unknown = await gql(client, CART, {"id": "c" * 32})
    assert unknown.messages == [f'Could not find a cart with ID "{"c" * 32}"']
    assert unknown.categories == ["graphql-no-such-entity"]
    assert await counts() == before
    assert (await add(client, ann_cart, [("tee", 1)], token=ann_token)).errors == []
    assert (await add(client, guest, [("tee", 1)])).errors == []


async def test_an_inactive_cart_is_refused(client: Any) -> None:
    await make_product("tee", "10.00")
    cart_id = await guest_cart(client)
    await Quote.all().update(is_active=False)
    before = await counts()
    for response in (
        await gql(client, CART, {"id": cart_id}),
        await add(client, cart_id, [("tee", 1)]),
    ):
        assert response.messages == ["The cart isn't active."]
        assert response.categories == ["graphql-no-such-entity"]
    assert await counts() == before


async def test_a_cart_of_another_store_view_is_refused(client: Any) -> None:
    cart_id = await guest_cart(client)
    await Quote.all().update(store_id=0)
    response = await gql(client, CART, {"id": cart_id})
    assert response.messages == [f'Wrong store code specified for cart "{cart_id}"']


# --- items --------------------------------------------------------------------------------------


async def test_adding_products_reports_each_refused_line_and_adds_the_others(
    client: Any,
) -> None:
    await make_product("tee", "10.00", qty="5")
    await make_product("off", "3.00", status=ProductStatus.DISABLED)
    await make_product("elsewhere", "3.00", website_id=None)
    await make_product("gone", "3.00", in_stock=False)
    cart_id = await guest_cart(client)
    response = await add(
        client,
        cart_id,
        [
            ("nope", 1),
            ("off", 1),
            ("elsewhere", 1),
            ("gone", 1),
            ("tee", 6),
            ("tee", 0),
            ("tee", -1),
            ("tee", 1.5),
            ("tee", 2),
        ],
    )
    assert response.errors == []
    assert response.data is not None
    output = response.data["addProductsToCart"]
    assert output["user_errors"] == [
        {
            "__typename": "CartUserInputError",
            "code": "PRODUCT_NOT_FOUND",
            "message": 'Could not find a product with SKU "nope"',
        },
        {
            "__typename": "CartUserInputError",
            "code": "NOT_SALABLE",
            "message": "Product that you are trying to add is not available.",
        },
        {
            "__typename": "CartUserInputError",
            "code": "NOT_SALABLE",
            "message": "Product that you are trying to add is not available.",
        },
        {
            "__typename": "InsufficientStockError",
            "code": "INSUFFICIENT_STOCK",
            "message": "This product is out of stock",
            "quantity": 0.0,
        },
        {
            "__typename": "InsufficientStockError",
            "code": "INSUFFICIENT_STOCK",
            "message": "The requested qty is not available",
            "quantity": 5.0,
        },
        {
            "__typename": "CartUserInputError",
            "code": "INVALID_PARAMETER_VALUE",
            "message": "The product quantity should be greater than 0",
        },
        {
            "__typename": "CartUserInputError",
            "code": "INVALID_PARAMETER_VALUE",
            "message": "The product quantity should be greater than 0",
        },
        {
            "__typename": "CartUserInputError",
            "code": "INVALID_PARAMETER_VALUE",
            "message": "You cannot use decimal quantity for this product.",
        },
    ]
    assert output["cart"]["total_quantity"] == 2
    assert await item_rows() == [("tee", Decimal(2))]
    # Adding the same product again raises the line's quantity, within the stock.
    again = await add(client, cart_id, [("tee", 3), ("tee", 1)])
    assert again.data is not None
    assert [e["message"] for e in again.data["addProductsToCart"]["user_errors"]] == [
        "The requested qty is not available"
    ]
    assert await item_rows() == [("tee", Decimal(5))]


async def test_a_refused_add_writes_nothing(client: Any) -> None:
    cart_id = await guest_cart(client)
    quote_before = await Quote.get()
    before = await counts()
    response = await add(client, cart_id, [("nope", 1)])
    assert response.data is not None
    assert response.data["addProductsToCart"]["cart"]["total_quantity"] == 0
    assert await counts() == before
    assert (await Quote.get()).updated_at == quote_before.updated_at


async def test_updating_and_removing_items(client: Any) -> None:
    await make_product("tee", "10.00", qty="10")
    await make_product("mug", "4.00")
    cart_id = await guest_cart(client)
    added = await add(client, cart_id, [("tee", 1), ("mug", 1)])
    tee, mug = added.data["addProductsToCart"]["cart"]["items"]  # type: ignore[index]
    response = await gql(
        client,
        UPDATE,
        {
            "input": {
                "cart_id": cart_id,
                "cart_items": [
                    {"cart_item_uid": tee["uid"], "quantity": 3},
                    {"cart_item_uid": mug["uid"], "quantity": 0},
                ],
            }
        },
    )
    assert response.data == {
        "updateCartItems": {
            "cart": {"total_quantity": 3, "items": [{"uid": tee["uid"], "quantity": 3}]},
            "errors": [],
        }
    }
    too_many = await gql(
        client,
        UPDATE,
        {
            "input": {
                "cart_id": cart_id,
                "cart_items": [{"cart_item_uid": tee["uid"], "quantity": 11}],
            }
        },
    )
    assert too_many.data is not None
    assert too_many.data["updateCartItems"]["errors"] == [
        {"code": "INSUFFICIENT_STOCK", "message": "The requested qty is not available"}
    ]
    before = await item_rows()
    unknown = await gql(
        client,
        UPDATE,
        {
            "input": {
                "cart_id": cart_id,
                "cart_items": [
                    {"cart_item_uid": tee["uid"], "quantity": 1},
                    {"cart_item_id": 999, "quantity": 1},
                ],
            }
        },
    )
    assert unknown.messages == ["Could not find cart item with id: 999"]
    assert unknown.categories == ["graphql-no-such-entity"]
    missing = await gql(
        client,
        UPDATE,
        {"input": {"cart_id": cart_id, "cart_items": [{"cart_item_uid": tee["uid"]}]}},
    )
    assert missing.messages == ['Required parameter "quantity" for "cart_items" is missing.']
    empty = await gql(client, UPDATE, {"input": {"cart_id": cart_id, "cart_items": []}})
    assert empty.messages == ['Required parameter "cart_items" is missing.']
    assert await item_rows() == before
    gone = await gql(client, REMOVE, {"input": {"cart_id": cart_id, "cart_item_id": 999}})
    assert gone.messages == ["Cart doesn't contain the 999 item."]
    assert gone.categories == ["graphql-no-such-entity"]
    no_item = await gql(client, REMOVE, {"input": {"cart_id": cart_id}})
    assert no_item.messages == ['Required parameter "cart_item_id" is missing.']
    removed = await gql(
        client, REMOVE, {"input": {"cart_id": cart_id, "cart_item_uid": tee["uid"]}}
    )
    assert removed.data == {"removeItemFromCart": {"cart": {"total_quantity": 0}}}
    assert await item_rows() == []


async def test_items_v2_pages_and_sorts(client: Any) -> None:
    for sku, price in (("b-tee", "10.00"), ("a-mug", "4.00"), ("c-cap", "7.00")):
        await make_product(sku, price)
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("b-tee", 1), ("a-mug", 2), ("c-cap", 3)])
    default = await gql(client, ITEMS_V2, {"id": cart_id, "size": 2, "page": 2})
    assert default.data == {
        "cart": {
            "itemsV2": {
                "items": [{"product": {"sku": "c-cap"}, "quantity": 3}],
                "page_info": {"current_page": 2, "page_size": 2, "total_pages": 2},
                "total_count": 3,
            }
        }
    }
    by_price = await gql(
        client, ITEMS_V2, {"id": cart_id, "sort": {"field": "PRICE", "order": "DESC"}}
    )
    assert [i["product"]["sku"] for i in by_price.data["cart"]["itemsV2"]["items"]] == [  # type: ignore[index]
        "b-tee",
        "c-cap",
        "a-mug",
    ]
    past = await gql(client, ITEMS_V2, {"id": cart_id, "size": 2, "page": 3})
    assert past.messages == [
        "currentPage value 3 specified is greater than the 2 page(s) available."
    ]


# --- addresses, shipping, payment and totals ----------------------------------------------------


async def test_a_guest_checkout_has_exact_totals_with_tax_and_shipping(client: Any) -> None:
    await link_california_rate()
    await make_product("tee", "12.00", special_price="10.00")
    await make_product("mug", "5.55")
    await make_product("ebook", "2.00", type_id=ProductType.VIRTUAL, tax_class_id=None)
    cart_id = await guest_cart(client)
    added = await add(client, cart_id, [("tee", 2), ("mug", 1), ("ebook", 1)])
    tee = added.data["addProductsToCart"]["cart"]["items"][0]  # type: ignore[index]
    assert tee["prices"] == {
        "price": {"value": 10.0},
        # No address yet: the default tax destination (US, any region) matches no rate.
        "price_including_tax": {"value": 10.0},
        "row_total": {"value": 20.0},
        "row_total_including_tax": {"value": 20.0},
        "original_item_price": {"value": 12.0},
        "catalog_discount": {"amount_off": 2.0, "percent_off": 16.67},
    }
    shipped = await gql(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart_id, "shipping_addresses": [{"address": ADDRESS}]}},
    )
    assert shipped.errors == []
    cart = shipped.data["setShippingAddressesOnCart"]["cart"]  # type: ignore[index]
    # 8.25% of 20.00 is 1.65, of 5.55 is 0.457875: rows of one rate are rounded with their
    # remainder carried, so the tax is 8.25% of 25.55 rounded, 2.11.
    assert cart["prices"] == {
        "subtotal_excluding_tax": {"value": 27.55, "currency": "USD"},
        "subtotal_including_tax": {"value": 29.66},
        "subtotal_with_discount_excluding_tax": {"value": 27.55},
        "grand_total": {"value": 29.66},
        "grand_total_excluding_tax": {"value": 27.55},
        "applied_taxes": [{"label": "US-CA-*-Rate 1", "amount": {"value": 2.11}}],
        "discounts": [],
    }
    assert cart["shipping_addresses"] == [
        {
            "firstname": "Ann",
            "city": "San Francisco",
            "postcode": "94105",
            "street": ["1 Market St"],
            "region": {"code": "CA", "label": "California", "region_id": CA},
            "country": {"code": "US", "label": "US"},
            "customer_address_uid": None,
            "same_as_billing": False,
            # Flat rate per item: 5.00 for each of the 3 shipped (the e-book is not shipped).
            "available_shipping_methods": [
                {
                    "carrier_code": "flatrate",
                    "method_code": "flatrate",
                    "amount": {"value": 15.0},
                    "price_incl_tax": {"value": 15.0},
                }
            ],
            "selected_shipping_method": None,
        }
    ]
    assert (cart["is_virtual"], cart["total_quantity"]) == (False, 4)
    assert cart["available_payment_methods"] == [
        {"code": "checkmo", "title": "Check / Money order", "is_deferred": False}
    ]
    assert (cart["applied_coupons"], cart["rules"], cart["billing_address"]) == ([], [], None)
    method = await gql(
        client, SHIPPING_METHOD, {"id": cart_id, "carrier": "flatrate", "method": "flatrate"}
    )
    cart = method.data["setShippingMethodsOnCart"]["cart"]  # type: ignore[index]
    assert cart["shipping_addresses"][0]["selected_shipping_method"] == {
        "carrier_code": "flatrate",
        "method_code": "flatrate",
        "carrier_title": "Flat Rate",
        "method_title": "Fixed",
        "amount": {"value": 15.0},
    }
    assert cart["prices"]["grand_total"] == {"value": 44.66}
    assert cart["prices"]["grand_total_excluding_tax"] == {"value": 42.55}
    payment = await gql(client, PAYMENT, {"id": cart_id, "code": "checkmo"})
    assert payment.data == {
        "setPaymentMethodOnCart": {
            "cart": {"selected_payment_method": {"code": "checkmo", "title": "Check / Money order"}}
        }
    }
    # The totals are persisted for segment conditions.
    quote = await Quote.get()
    assert (
        quote.subtotal,
        quote.tax_amount,
        quote.shipping_amount,
        quote.grand_total,
        quote.items_count,
        quote.items_qty,
        quote.customer_tax_class_id,
        quote.payment_method,
    ) == (
        Decimal("27.55"),
        Decimal("2.11"),
        Decimal("15.00"),
        Decimal("44.66"),
        3,
        Decimal(4),
        3,
        "checkmo",
    )
    rows = [
        (i.sku, i.price, i.row_total, i.tax_amount, i.tax_percent, i.row_total_incl_tax)
        for i in await QuoteItem.all().order_by("item_id")
    ]
    assert rows == [
        (
            "tee",
            Decimal("10.00"),
            Decimal("20.00"),
            Decimal("1.65"),
            Decimal("8.25"),
            Decimal("21.65"),
        ),
        (
            "mug",
            Decimal("5.55"),
            Decimal("5.55"),
            Decimal("0.46"),
            Decimal("8.25"),
            Decimal("6.01"),
        ),
        (
            "ebook",
            Decimal("2.00"),
            Decimal("2.00"),
            Decimal("0.00"),
            Decimal("0.00"),
            Decimal("2.00"),
        ),
    ]
    address = await QuoteAddress.get(address_type="shipping")
    assert (address.shipping_method, address.shipping_amount) == (
        "flatrate_flatrate",
        Decimal("15.00"),
    )


async def test_flat_rate_once_per_order(client: Any) -> None:
    await CoreConfigData.create(path="carriers/flatrate/type", value="O")
    await CoreConfigData.create(path="carriers/flatrate/price", value="7.50")
    await make_product("tee", "10.00")
    cart_id = await guest_cart(client)
    await add(client, cart_id, [("tee", 3)])
    await gql(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart_id, "shipping_addresses": [{"address": ADDRESS}]}},
    )
    method = await gql(
        client, SHIPPING_METHOD, {"id": cart_id, "carrier": "flatrate", "method": "flatrate"}
    )
    prices = method.data["setShippingMethodsOnCart"]["cart"]["prices"]  # type: ignore[index]
    assert prices["grand_total"] == {"value": 37.5}


async def test_no_tax_for_a_customer_class_without_rates_and_the_new_york_rate(client: Any) -> None:
    await TaxCalculation.create(
        tax_calculation_rate_id=2, customer_tax_class_id=3, product_tax_class_id=2
    )
    exempt = await TaxClass.create(class_name="Exempt", class_type="CUSTOMER")
    await CustomerGroup.filter(customer_group_id=2).update(tax_class_id=exempt.class_id)
    await make_product("tee", "100.00")
    ny = {**ADDRESS, "region_id": None, "region": "NY", "city": "New York", "postcode": "10001"}
    for group_id, expected in ((1, 108.38), (2, 100.0)):
        customer = await make_customer(f"c{group_id}@example.com", group_id=group_id)
        token = await token_for(customer)
        cart_id = (await gql(client, CUSTOMER_CART, token=token)).data["customerCart"]["id"]  # type: ignore[index]
        await add(client, cart_id, [("tee", 1)], token=token)
        response = await gql(
            client,
            SHIPPING_ADDRESS,
            {"input": {"cart_id": cart_id, "shipping_addresses": [{"address": ny}]}},
            token=token,
        )
        cart = response.data["setShippingAddressesOnCart"]["cart"]  # type: ignore[index]
        assert cart["prices"]["grand_total"] == {"value": expected}
        assert cart["shipping_addresses"][0]["region"] == {
            "code": "NY",
            "label": "New York",
            "region_id": NY,
        }


async def test_shipping_address_validation(client: Any) -> None:
    cart_id = await guest_cart(client)
    before = await counts()
    bad = {**ADDRESS, "firstname": " ", "street": [""], "postcode": None, "region_id": 999}
    response = await gql(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart_id, "shipping_addresses": [{"address": bad}]}},
    )
    assert response.messages == ['"firstname" is required. Enter and try again.']
    assert response.categories == ["graphql-input"]
    cases = [
        ({**ADDRESS, "postcode": ""}, '"postcode" is required. Enter and try again.'),
        (
            {**ADDRESS, "region_id": TX + 1000},
            f'Invalid value of "{TX + 1000}" provided for the regionId field.',
        ),
        ({**ADDRESS, "region_id": None}, '"regionId" is required. Enter and try again.'),
        (
            {**ADDRESS, "country_code": "XX"},
            'Invalid value of "XX" provided for the countryId field.',
        ),
        (
            {**ADDRESS, "street": ["a", "b", "c"]},
            '"Street Address" cannot contain more than 2 lines.',
        ),
    ]
    for address, message in cases:
        response = await gql(
            client,
            SHIPPING_ADDRESS,
            {"input": {"cart_id": cart_id, "shipping_addresses": [{"address": address}]}},
        )
        assert response.messages == [message]
    two = await gql(
        client,
        SHIPPING_ADDRESS,
        {
            "input": {
                "cart_id": cart_id,
                "shipping_addresses": [{"address": ADDRESS}, {"address": ADDRESS}],
            }
        },
    )
    assert two.messages == ["You cannot specify multiple shipping addresses."]
    neither = await gql(
        client, SHIPPING_ADDRESS, {"input": {"cart_id": cart_id, "shipping_addresses": [{}]}}
    )
    assert neither.messages == [
        'The shipping address must contain either "customer_address_id" or "address".'
    ]
    both = await gql(
        client,
        SHIPPING_ADDRESS,
        {
            "input": {
                "cart_id": cart_id,
                "shipping_addresses": [{"address": ADDRESS, "customer_address_id": 1}],
            }
        },
    )
    assert both.messages == [
        'The shipping address cannot contain "customer_address_id" and "address" at the same time.'
    ]
    guest_book = await gql(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart_id, "shipping_addresses": [{"customer_address_id": 1}]}},
    )
    assert guest_book.messages == ["The current customer isn't authorized."]
    assert guest_book.categories == ["graphql-authorization"]
    assert await counts() == before
    # A region may be named by its code, for countries that have regions.
    by_code = {**ADDRESS, "region_id": None, "region": "ca"}
    ok = await gql(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart_id, "shipping_addresses": [{"address": by_code}]}},
    )
    assert ok.data["setShippingAddressesOnCart"]["cart"]["shipping_addresses"][0]["region"] == {  # type: ignore[index]
        "code": "CA",
        "label": "California",
        "region_id": CA,
    }


async def test_addresses_from_the_customers_own_book(client: Any) -> None:
    ann, bob = await make_customer(), await make_customer("bob@example.com")
    own, other = await make_address(ann), await make_address(bob)
    token = await token_for(ann)
    cart_id = (await gql(client, CUSTOMER_CART, token=token)).data["customerCart"]["id"]  # type: ignore[index]
    from graph.uids import encode_uid

    response = await gql(
        client,
        SHIPPING_ADDRESS,
        {
            "input": {
                "cart_id": cart_id,
                "shipping_addresses": [{"customer_address_uid": encode_uid(own.entity_id)}],
            }
        },
        token=token,
    )
    address = response.data["setShippingAddressesOnCart"]["cart"]["shipping_addresses"][0]  # type: ignore[index]
    assert (address["city"], address["customer_address_uid"], address["region"]["code"]) == (
        "Austin",
        encode_uid(own.entity_id),
        "TX",
    )
    before = await counts()
    refused = await gql(
        client,
        BILLING_ADDRESS,
        {
            "input": {
                "cart_id": cart_id,
                "billing_address": {"customer_address_id": other.entity_id},
            }
        },
        token=token,
    )
    assert refused.messages == [
        f'Current customer does not have permission to address with ID "{other.entity_id}"'
    ]
    assert refused.categories == ["graphql-authorization"]
    missing = await gql(
        client,
        BILLING_ADDRESS,
        {"input": {"cart_id": cart_id, "billing_address": {"customer_address_id": 9999}}},
        token=token,
    )
    assert missing.messages == ['Could not find an address with ID "9999"']
    assert await counts() == before


async def test_billing_address_options(client: Any) -> None:
    cart_id = await guest_cart(client)
    before = await counts()
    no_shipping = await gql(
        client,
        BILLING_ADDRESS,
        {"input": {"cart_id": cart_id, "billing_address": {"same_as_shipping": True}}},
    )
    assert no_shipping.messages == [
        'Could not use the "same_as_shipping" option, because the shipping address has not '
        "been set."
    ]
    nothing = await gql(
        client, BILLING_ADDRESS, {"input": {"cart_id": cart_id, "billing_address": {}}}
    )
    assert nothing.messages == [
        'The billing address must contain either "customer_address_id", "address", or '
        '"same_as_shipping".'
    ]
    both = await gql(
        client,
        BILLING_ADDRESS,
        {
            "input": {
                "cart_id": cart_id,
                "billing_address": {"address": ADDRESS, "customer_address_id": 1},
            }
        },
    )
    assert both.messages == [
        'The billing address cannot contain "customer_address_id" and "address" at the same time.'
    ]
    assert await counts() == before
    use = await gql(
        client,
        BILLING_ADDRESS,
        {
            "input": {
                "cart_id": cart_id,
                "billing_address": {"address": ADDRESS, "use_for_shipping": True},
            }
        },
    )
    cart = use.data["setBillingAddressOnCart"]["cart"]  # type: ignore[index]
    assert cart["billing_address"] == {
        "firstname": "Ann",
        "city": "San Francisco",
        "region": {"code": "CA"},
        "customer_address_uid": None,
    }
    assert [(a["city"], a["same_as_billing"]) for a in cart["shipping_addresses"]] == [
        ("San Francisco", True)
    ]
    other = {**ADDRESS, "city": "Oakland"}
    await gql(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart_id, "shipping_addresses": [{"address": other}]}},
    )
    same = await gql(
        client,
        BILLING_ADDRESS,
        {"input": {"cart_id": cart_id, "billing_address": {"same_as_shipping": True}}},
    )
    assert same.data["setBillingAddressOnCart"]["cart"]["billing_address"]["city"] == "Oakland"  # type: ignore[index]
    assert await QuoteAddress.all().count() == 2


async def test_shipping_method_and_payment_refusals(client: Any, services: Any) -> None:
    await make_product("tee", "10.00")
    await make_product("ebook", "3.00", type_id=ProductType.VIRTUAL)
    await make_product("gift", "0.00")
    cart_id = await guest_cart(client)
    flat = {"id": cart_id, "carrier": "flatrate", "method": "flatrate"}
    empty = await gql(client, SHIPPING_METHOD, flat)
    assert empty.messages == [
        "The shipping method can't be set for an empty cart. Add an item to cart and try again."
    ]
    await add(client, cart_id, [("tee", 1)])
    no_address = await gql(client, SHIPPING_METHOD, flat)
    assert no_address.messages == [
        "The shipping address is missing. Set the address and try again."
    ]
    no_payment_address = await gql(client, PAYMENT, {"id": cart_id, "code": "checkmo"})
    assert no_payment_address.messages == [
        "The shipping address is missing. Set the address and try again."
    ]
    await gql(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": cart_id, "shipping_addresses": [{"address": ADDRESS}]}},
    )
    unknown = await gql(client, SHIPPING_METHOD, {**flat, "method": "express"})
    assert unknown.messages == ["Carrier with such method not found: flatrate, express"]
    for code in ("free", "cashondelivery"):
        refused = await gql(client, PAYMENT, {"id": cart_id, "code": code})
        assert refused.messages == ["The requested Payment Method is not available."]
    blank = await gql(client, PAYMENT, {"id": cart_id, "code": ""})
    assert blank.messages == ['Required parameter "code" for "payment_method" is missing.']
    assert (await QuoteAddress.get()).shipping_method is None
    assert (await Quote.get()).payment_method is None
    # A cart of a free product costs nothing: only the `free` method is offered.
    free_cart = await guest_cart(client)
    await add(client, free_cart, [("gift", 1)])
    await gql(
        client,
        SHIPPING_ADDRESS,
        {"input": {"cart_id": free_cart, "shipping_addresses": [{"address": ADDRESS}]}},
    )
    await CoreConfigData.create(path="carriers/flatrate/active", value="0")
    await invalidate_stores(services.cache)
    read = await gql(client, CART, {"id": free_cart})
    assert read.errors == []
    # The flat rate is switched off: no shipping method is offered.
    assert read.data["cart"]["shipping_addresses"][0]["available_shipping_methods"] == []  # type: ignore[index]
    assert read.data["cart"]["available_payment_methods"] == [  # type: ignore[index]
        {"code": "free", "title": "No Payment Information Required", "is_deferred": False}
    ]
    assert (await gql(client, PAYMENT, {"id": free_cart, "code": "free"})).errors == []
    # A virtual cart has no shipping.
    virtual = await guest_cart(client)
    await add(client, virtual, [("ebook", 1)])
    refused = await gql(client, SHIPPING_METHOD, {**flat, "id": virtual})
    assert refused.messages == [
        "The Cart includes virtual product(s) only, so a shipping address is not used."
    ]
    assert (await gql(client, PAYMENT, {"id": virtual, "code": "checkmo"})).errors == []


async def test_guest_email(client: Any) -> None:
    cart_id = await guest_cart(client)
    bad = await gql(client, GUEST_EMAIL, {"id": cart_id, "email": "not-an-email"})
    assert bad.messages == ["Invalid email format"]
    ok = await gql(client, GUEST_EMAIL, {"id": cart_id, "email": "guest@example.com"})
    assert ok.data == {"setGuestEmailOnCart": {"cart": {"email": "guest@example.com"}}}
    assert (await Quote.get()).customer_email == "guest@example.com"


# --- merging on login ---------------------------------------------------------------------------


async def test_merging_a_guest_cart_into_the_customer_cart(client: Any) -> None:
    await make_product("tee", "10.00")
    await make_product("mug", "4.00")
    response = await client.post("/graphql", json={"query": CREATE_GUEST_CART})
    session = response.headers[VISITOR]
    guest = (await response.json())["data"]["createGuestCart"]["cart"]["id"]
    await add(client, guest, [("tee", 2), ("mug", 1)])
    customer = await make_customer()
    token = await token_for(customer)
    mine = (await gql(client, CUSTOMER_CART, token=token)).data["customerCart"]["id"]  # type: ignore[index]
    await add(client, mine, [("tee", 1)], token=token)
    before = await counts()
    as_guest = await gql(client, MERGE, {"source": guest})
    assert as_guest.messages == ["The current customer isn't authorized."]
    own = await gql(client, MERGE, {"source": mine}, token=token)
    assert own.messages == [f'The current user cannot perform operations on cart "{mine}"']
    empty = await gql(client, MERGE, {"source": ""}, token=token)
    assert empty.messages == ['Required parameter "source_cart_id" is missing']
    assert await counts() == before
    merged = await gql(client, MERGE, {"source": guest}, token=token)
    assert merged.data == {
        "mergeCarts": {
            "id": mine,
            "total_quantity": 4,
            "items": [
                {"quantity": 3, "product": {"sku": "tee"}},
                {"quantity": 1, "product": {"sku": "mug"}},
            ],
        }
    }
    source = await Quote.get(entity_id=(await QuoteIdMask.get(masked_id=guest)).quote_id)  # type: ignore[attr-defined]
    assert source.is_active is False
    visitor = await CustomerVisitor.get(session_id=session)
    assert visitor.customer_id == customer.entity_id  # type: ignore[attr-defined]
    destination = await Quote.get(customer_id=customer.entity_id)
    assert (destination.subtotal, destination.items_qty) == (Decimal("34.00"), Decimal(4))
    again = await gql(client, MERGE, {"source": guest}, token=token)
    assert again.messages == ["The cart isn't active."]
