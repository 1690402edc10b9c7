"""The final price (`engine.pricing.final`): min(regular, special, tier/group, catalog rule) for the
caller's group, in `price_range`, in listing filters and sorting, and in cart item prices, through
HTTP. The helpers at the top are shared with `test_worked_examples_catalog.py`.

Website 1 is America/Chicago; "today" is its local date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from engine import catalog, prices
from engine.catalog import CategoryChanges
from engine.pricing import final, rule_index
from engine.pricing.tier_prices import TierDraft, set_product_tiers
from graph.uids import encode_uid
from models import (
    CatalogCategoryProduct,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductWebsite,
    Catalogrule,
    CatalogruleCustomerGroup,
    CatalogruleWebsite,
    CustomerGroupExcludedWebsite,
)
from models.pricing import CatalogRuleAction
from tests.factories import make_customer, token_for
from tests.graphql import gql

TODAY = prices.local_today("America/Chicago")
EVERY_GROUP = (0, 1, 2, 3)

PRICE = """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) {
    items {
      price_range {
        minimum_price {
          regular_price { value currency } final_price { value currency }
          discount { amount_off percent_off }
        }
        maximum_price { final_price { value } }
      }
      price_tiers { quantity final_price { value currency } discount { amount_off percent_off } }
    }
  }
}
"""
LISTING = """
query ($filter: ProductAttributeFilterInput, $sort: ProductAttributeSortInput) {
  products(filter: $filter, sort: $sort) {
    items { sku price_range { minimum_price { final_price { value } } } }
  }
}
"""
CUSTOMER_CART = "{ customerCart { id } }"
CREATE_GUEST_CART = "mutation { createGuestCart { cart { id } } }"
ADD = """
mutation ($id: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $id, cartItems: $items) { user_errors { code message } }
}
"""
CART_PRICES = """
query ($id: String!) {
  cart(cart_id: $id) {
    items {
      product { sku }
      quantity
      prices {
        price { value } original_item_price { value } row_total { value }
        catalog_discount { amount_off percent_off }
        row_catalog_discount { amount_off percent_off }
      }
    }
    prices { subtotal_excluding_tax { value } }
  }
}
"""


# --- shared helpers ------------------------------------------------------------------------------


async def make_product(
    sku: str,
    price: str,
    *,
    special: str | None = None,
    special_from: date | None = None,
    special_to: date | None = None,
    website_ids: tuple[int, ...] = (1,),
) -> CatalogProductEntity:
    product = await CatalogProductEntity.create(
        attribute_set_id=4,
        type_id="simple",
        sku=sku,
        name=sku.title(),
        price=Decimal(price),
        special_price=None if special is None else Decimal(special),
        special_from_date=special_from,
        special_to_date=special_to,
        weight=Decimal(1),
        tax_class_id=2,
    )
    for website_id in website_ids:
        await CatalogProductWebsite.create(product_id=product.entity_id, website_id=website_id)
    await CataloginventoryStockItem.create(
        product_id=product.entity_id, qty=Decimal(1000), is_in_stock=True
    )
    return product


async def set_tiers(product: CatalogProductEntity, *drafts: TierDraft) -> None:
    await set_product_tiers(product.entity_id, drafts)


def tier(
    qty: str = "1",
    value: str | None = None,
    *,
    percent: str | None = None,
    group: int | None = None,
    website: int = 0,
) -> TierDraft:
    return TierDraft(
        website_id=website,
        group_id=group,
        qty=Decimal(qty),
        value=None if value is None else Decimal(value),
        percentage_value=None if percent is None else Decimal(percent),
    )


def sku_is(sku: str) -> str:
    """Magento's `conditions_serialized` for "SKU is `sku`"."""
    return (
        '{"type":"Magento\\\\CatalogRule\\\\Model\\\\Rule\\\\Condition\\\\Combine",'
        '"attribute":null,"operator":null,"value":"1","is_value_processed":null,'
        '"aggregator":"all","conditions":[{"type":'
        '"Magento\\\\CatalogRule\\\\Model\\\\Rule\\\\Condition\\\\Product",'
        f'"attribute":"sku","operator":"==","value":"{sku}","is_value_processed":false}}]}}'
    )


async def make_rule(
    sku: str,
    action: CatalogRuleAction,
    amount: str,
    *,
    groups: tuple[int, ...] = EVERY_GROUP,
    websites: tuple[int, ...] = (1,),
    sort_order: int = 0,
    stop: bool = False,
    from_date: date | None = None,
    to_date: date | None = None,
) -> Catalogrule:
    """A catalog price rule for one sku, indexed as "Save and Apply" does."""
    async with in_transaction():
        rule = await Catalogrule.create(
            name=f"{action} {amount} on {sku}",
            is_active=True,
            conditions_serialized=sku_is(sku),
            simple_action=action,
            discount_amount=Decimal(amount),
            sort_order=sort_order,
            stop_rules_processing=stop,
            from_date=from_date,
            to_date=to_date,
        )
        for website_id in websites:
            await CatalogruleWebsite.create(rule_id=rule.rule_id, website_id=website_id)
        for group_id in groups:
            await CatalogruleCustomerGroup.create(rule_id=rule.rule_id, customer_group_id=group_id)
        await rule_index.reindex_rules([rule.rule_id])
    return rule


async def exclude(group_id: int, website_id: int = 1) -> None:
    await CustomerGroupExcludedWebsite.create(customer_group_id=group_id, website_id=website_id)


async def shopper(group_id: int, email: str | None = None) -> str | None:
    """A token for a customer of the group; None (a guest) for NOT LOGGED IN."""
    if group_id == 0:
        return None
    customer = await make_customer(email or f"group{group_id}@example.com", group_id=group_id)
    return await token_for(customer)


@dataclass(frozen=True)
class Shown:
    regular: float
    final: float
    amount_off: float
    percent_off: float
    tiers: list[tuple[float, float, float, float]]


async def shown(client: Any, sku: str, token: str | None = None, store: str | None = None) -> Shown:
    """`price_range` and `price_tiers` of one product as the caller sees them."""
    response = await gql(client, PRICE, {"sku": sku}, token=token, store=store)
    assert response.errors == [], response.errors
    assert response.data is not None
    (item,) = response.data["products"]["items"]
    low = item["price_range"]["minimum_price"]
    assert item["price_range"]["maximum_price"]["final_price"] == {
        "value": low["final_price"]["value"]
    }
    return Shown(
        low["regular_price"]["value"],
        low["final_price"]["value"],
        low["discount"]["amount_off"],
        low["discount"]["percent_off"],
        [
            (
                t["quantity"],
                t["final_price"]["value"],
                t["discount"]["amount_off"],
                t["discount"]["percent_off"],
            )
            for t in item["price_tiers"]
        ],
    )


@dataclass(frozen=True)
class Line:
    price: float
    original: float
    row_total: float
    catalog_off: float
    row_catalog_off: float


async def cart_line(client: Any, sku: str, qty: float, token: str | None = None) -> Line:
    """Put `qty` of `sku` in the caller's cart (a new guest cart for a guest) and read the line."""
    if token is None:
        created = await gql(client, CREATE_GUEST_CART)
        assert created.errors == [], created.errors
        cart_id = created.data["createGuestCart"]["cart"]["id"]  # type: ignore[index]
    else:
        found = await gql(client, CUSTOMER_CART, token=token)
        assert found.errors == [], found.errors
        cart_id = found.data["customerCart"]["id"]  # type: ignore[index]
    added = await gql(
        client, ADD, {"id": cart_id, "items": [{"sku": sku, "quantity": qty}]}, token=token
    )
    assert added.errors == [], added.errors
    assert added.data == {"addProductsToCart": {"user_errors": []}}
    response = await gql(client, CART_PRICES, {"id": cart_id}, token=token)
    assert response.errors == [], response.errors
    (item,) = [
        i
        for i in response.data["cart"]["items"]  # type: ignore[index]
        if i["product"]["sku"] == sku
    ]
    p = item["prices"]
    return Line(
        p["price"]["value"],
        p["original_item_price"]["value"],
        p["row_total"]["value"],
        p["catalog_discount"]["amount_off"],
        p["row_catalog_discount"]["amount_off"],
    )


async def listing(
    client: Any, token: str | None = None, **variables: Any
) -> list[tuple[str, float]]:
    response = await gql(client, LISTING, variables, token=token)
    assert response.errors == [], response.errors
    assert response.data is not None
    return [
        (i["sku"], i["price_range"]["minimum_price"]["final_price"]["value"])
        for i in response.data["products"]["items"]
    ]


# --- the engine function -------------------------------------------------------------------------


async def test_final_prices_is_the_lowest_candidate_per_quantity(db: Any) -> None:
    # Given a 50.00 product with a 45.00 special price, a group-1 tier of 40.00 from 5 units and
    # ALL GROUPS 10% off (45.00) from 10 units, and a catalog rule of 20% off (40.00) for group 2.
    product = await make_product("lamp", "50", special="45")
    await set_tiers(product, tier("5", "40", group=1), tier("10", percent="10"))
    await make_rule("lamp", CatalogRuleAction.BY_PERCENT, "20", groups=(2,))

    async def at(group_id: int, qty: str) -> Decimal:
        found = await final.final_prices([product], 1, group_id, TODAY, Decimal(qty))
        return found[product.entity_id]

    assert await at(0, "1") == Decimal("45.00")  # special
    assert await at(1, "4") == Decimal("45.00")  # below the tier's quantity
    assert await at(1, "5") == Decimal("40.00")  # the group's tier
    assert await at(0, "10") == Decimal("45.00")  # 10% off 50 = 45, a tie with the special
    assert await at(2, "1") == Decimal("40.00")  # the rule: 50 x 0.8
    # The rule is not chained after the special price: both are computed from 50.


async def test_a_product_nothing_applies_to_keeps_its_regular_price(db: Any) -> None:
    product = await make_product("plain", "19.999")
    assert await final.final_prices([product], 1, 0, TODAY) == {product.entity_id: Decimal("20.00")}
    assert await final.final_prices([], 1, 0, TODAY) == {}


# --- price_range and listings ---------------------------------------------------------------------


async def test_price_range_is_for_the_callers_group(client: Any) -> None:
    product = await make_product("chair", "80")
    await set_tiers(product, tier("1", "70", group=1), tier("1", "75"))
    general = await shopper(1)
    retailer = await shopper(3, "retailer@example.com")
    # A guest gets the ALL GROUPS group price, a General customer the General one.
    assert await shown(client, "chair") == Shown(80.0, 75.0, 5.0, 6.25, [(1.0, 75.0, 5.0, 6.25)])
    assert await shown(client, "chair", general) == Shown(
        80.0, 70.0, 10.0, 12.5, [(1.0, 70.0, 10.0, 12.5)]
    )
    assert (await shown(client, "chair", retailer)).final == 75.0


async def test_listing_filters_and_sorts_by_the_callers_final_price(client: Any) -> None:
    # Regular prices a < b < c; General customers pay 5.00 for c (group price), guests 25.00
    # for b (catalog rule for NOT LOGGED IN: to_fixed 25), and a is 20.00 for everyone.
    await make_product("a", "20")
    await make_product("b", "30")
    c = await make_product("c", "40")
    await set_tiers(c, tier("1", "5", group=1))
    await make_rule("b", CatalogRuleAction.TO_FIXED, "25", groups=(0,))
    general = await shopper(1)
    assert await listing(client, sort={"price": "ASC"}) == [
        ("a", 20.0),
        ("b", 25.0),
        ("c", 40.0),
    ]
    assert await listing(client, general, sort={"price": "ASC"}) == [
        ("c", 5.0),
        ("a", 20.0),
        ("b", 30.0),
    ]
    assert await listing(client, filter={"price": {"from": "21", "to": "39"}}) == [("b", 25.0)]
    assert await listing(client, general, filter={"price": {"to": "10"}}) == [("c", 5.0)]
    assert await listing(client, general, filter={"price": {"from": "21", "to": "39"}}) == [
        ("b", 30.0)
    ]


async def test_listing_uses_percentage_tiers_and_only_quantity_one(client: Any) -> None:
    # 10% off 9.99 is 8.991, shown and filtered as 8.99; a tier from 2 units is not a listing
    # price.
    d = await make_product("d", "9.99")
    e = await make_product("e", "10")
    await set_tiers(d, tier("1", percent="10"))
    await set_tiers(e, tier("2", "1"))
    assert await listing(client, sort={"price": "ASC"}) == [("d", 8.99), ("e", 10.0)]
    assert await listing(client, filter={"price": {"to": "8.99"}}) == [("d", 8.99)]


async def test_an_excluded_group_gets_no_group_price_on_the_website(client: Any) -> None:
    product = await make_product("desk", "100")
    await set_tiers(product, tier("1", "90"), tier("1", "80", group=2))
    wholesale = await shopper(2)
    assert (await shown(client, "desk", wholesale)).final == 80.0
    await exclude(2)
    assert await shown(client, "desk", wholesale) == Shown(100.0, 100.0, 0.0, 0.0, [])
    assert await listing(client, wholesale, filter={"price": {"to": "99"}}) == []
    # Guests still get the ALL GROUPS price.
    assert (await shown(client, "desk")).final == 90.0


# --- the cart -------------------------------------------------------------------------------------


async def test_cart_prices_follow_quantity_thresholds_and_show_the_catalog_discount(
    client: Any,
) -> None:
    # 12.00 each; 10.00 from 3 units and 9.00 from 6 units (ALL GROUPS).
    product = await make_product("mug", "12")
    await set_tiers(product, tier("3", "10"), tier("6", "9"))
    general = await shopper(1)
    assert await cart_line(client, "mug", 2, general) == Line(12.0, 12.0, 24.0, 0.0, 0.0)
    # Adding 1 more (3 in the line) reaches the first tier: 3 x 10.00.
    assert await cart_line(client, "mug", 1, general) == Line(10.0, 12.0, 30.0, 2.0, 6.0)
    assert await cart_line(client, "mug", 3, general) == Line(9.0, 12.0, 54.0, 3.0, 18.0)


async def test_a_guest_cart_uses_not_logged_in_prices(client: Any) -> None:
    product = await make_product("pen", "3")
    await set_tiers(product, tier("1", "2.50", group=0), tier("1", "2", group=1))
    assert await cart_line(client, "pen", 4) == Line(2.5, 3.0, 10.0, 0.5, 2.0)


async def test_price_tiers_list_the_lowest_row_per_quantity(client: Any) -> None:
    product = await make_product("bolt", "2")
    await set_tiers(
        product,
        tier("10", "1.80"),
        tier("10", "1.70", group=1),
        tier("100", percent="25"),
        tier("50", "1.90", group=2),
    )
    general = await shopper(1)
    # For General: qty 10 -> its own 1.70 beats ALL GROUPS 1.80; qty 100 -> 25% of 2 = 1.50.
    assert (await shown(client, "bolt", general)).tiers == [
        (10.0, 1.7, 0.3, 15.0),
        (100.0, 1.5, 0.5, 25.0),
    ]
    # For guests: the ALL GROUPS rows only.
    assert (await shown(client, "bolt")).tiers == [(10.0, 1.8, 0.2, 10.0), (100.0, 1.5, 0.5, 25.0)]


async def test_a_special_price_outside_its_dates_does_not_compete(client: Any) -> None:
    await make_product("vase", "30", special="10", special_to=TODAY - timedelta(days=1))
    product = await make_product("vase-2", "30", special="10", special_from=TODAY)
    await set_tiers(product, tier("1", "20"))
    assert (await shown(client, "vase")).final == 30.0
    assert (await shown(client, "vase-2")).final == 10.0
    assert await listing(client, filter={"price": {"to": "10"}}) == [("vase-2", 10.0)]


CATEGORY_PRODUCTS = """
query ($uid: String!) {
  categories(filters: {category_uid: {eq: $uid}}) {
    items {
      products(sort: {price: ASC}) {
        items { sku price_range { minimum_price { final_price { value } } } }
      }
    }
  }
}
"""


async def test_a_categorys_products_are_priced_for_the_callers_group(client: Any) -> None:
    shelf = await catalog.create_category(CategoryChanges(name="Shelf", parent_id=2))
    for sku, price in (("x", "10"), ("y", "20")):
        product = await make_product(sku, price)
        await CatalogCategoryProduct.create(category=shelf, product=product)
        if sku == "y":
            await set_tiers(product, tier("1", "5", group=1))
    general = await shopper(1)

    async def seen(token: str | None) -> list[tuple[str, float]]:
        response = await gql(
            client, CATEGORY_PRODUCTS, {"uid": encode_uid(shelf.entity_id)}, token=token
        )
        assert response.errors == [], response.errors
        (category,) = response.data["categories"]["items"]  # type: ignore[index]
        return [
            (i["sku"], i["price_range"]["minimum_price"]["final_price"]["value"])
            for i in category["products"]["items"]
        ]

    assert await seen(None) == [("x", 10.0), ("y", 20.0)]
    assert await seen(general) == [("y", 5.0), ("x", 10.0)]
