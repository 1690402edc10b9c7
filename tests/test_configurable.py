"""Configurable products through HTTP: options, swatches and variants, the price range of each
customer group over the children (special, tier and catalog-rule prices), adding a chosen
variant to the cart (`addProductsToCart` with option uids, `addConfigurableProductsToCart`),
the configured cart line, cart rules reading parent and child, and the parent and child rows of
the order, as Magento.

The catalog: a "Tee" configurable by color (Red, Blue: color swatches) and size (S, M: text
swatches) in the category Tops, with four children outside any category:

| child          | price | other price                   | stock        |
|----------------|-------|-------------------------------|--------------|
| MS-TEE-RED-S   | 20.00 |                               | 100          |
| MS-TEE-RED-M   | 22.00 | General tier 15.00            | 100          |
| MS-TEE-BLUE-S  | 24.00 | special 18.00                 | 100          |
| MS-TEE-BLUE-M  | 26.00 |                               | out of stock |

and a catalog rule "10 % off Tops" for NOT LOGGED IN, which reaches the children through their
parent (Magento's `ConfigurableProductHandler`): a guest pays 18.00, 19.80, 18.00 (the special
price beats 21.60); a General customer (no rule) 20.00, 15.00, 18.00. The out-of-stock child
counts for neither range."""

from __future__ import annotations

import base64
import functools
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import graphql
import pytest

from engine import catalog, configurable
from engine.catalog import CategoryChanges
from engine.configurable import AttributeChoice, ConfigurableChanges
from models import (
    BackendType,
    CatalogEavAttribute,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductEntityInt,
    CatalogProductEntityTierPrice,
    CatalogProductRelation,
    CatalogProductSuperLink,
    CatalogProductWebsite,
    CatalogruleProduct,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionSwatch,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
    ProductType,
    QuoteItem,
    SalesOrderItem,
    SwatchType,
    Visibility,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_cart_discounts import make_rule
from tests.test_catalog_rules_admin import create_rule, in_categories
from tests.test_orders_support import make_cart

PRICE = "regular_price { value } final_price { value } discount { amount_off percent_off }"
PRODUCT = (
    """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) {
    items {
      __typename sku type_id stock_status
      price_range { minimum_price { """
    + PRICE
    + """ } maximum_price { """
    + PRICE
    + """ } }
      ... on ConfigurableProduct {
        configurable_options {
          attribute_code label position
          values { label default_label store_label value_index uid
            swatch_data { __typename value } }
        }
        variants {
          attributes { code label value_index uid }
          product { sku stock_status price_range { minimum_price { final_price { value } } } }
        }
      }
    }
  }
}
"""
)
SELECTION = """
query ($sku: String!, $uids: [ID!]) {
  products(filter: {sku: {eq: $sku}}) { items { ... on ConfigurableProduct {
    configurable_product_options_selection(configurableOptionValueUids: $uids) {
      variant { sku }
    }
  } } }
}
"""
ITEM_FIELDS = """
__typename uid quantity product { sku }
prices { price { value } row_total { value } }
... on ConfigurableCartItem {
  configurable_options {
    option_label value_label configurable_product_option_uid configurable_product_option_value_uid
  }
  configured_variant { sku }
}
"""
ADD = (
    """
mutation ($id: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $id, cartItems: $items) {
    cart { total_quantity items { """
    + ITEM_FIELDS
    + """ } }
    user_errors { code message }
  }
}
"""
)
ADD_CONFIGURABLE = (
    """
mutation ($input: AddConfigurableProductsToCartInput) {
  addConfigurableProductsToCart(input: $input) {
    cart { total_quantity items { """
    + ITEM_FIELDS
    + """ } }
  }
}
"""
)
CONFIGURE = """
mutation ($input: [ConfigurableProductSetupInput!]!) {
  adminConfigureProducts(input: $input) {
    products { sku attributes { attribute_code label position } child_skus }
    user_errors { code message path }
  }
}
"""
PLACE = """
mutation ($cart: String!) {
  placeOrder(input: {cart_id: $cart}) {
    errors { code message }
    orderV2 { items { product_sku product_name product_type quantity_ordered
      prices { price { value } row_total { value } } } }
  }
}
"""


def uid(attribute_id: int, option_id: int) -> str:
    return base64.b64encode(f"configurable/{attribute_id}/{option_id}".encode()).decode()


async def select_attribute(
    code: str, label: str, options: list[tuple[str, SwatchType, str]]
) -> tuple[int, dict[str, int]]:
    attribute = await EavAttribute.create(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code=code,
        backend_type=BackendType.INT,
        frontend_input=FrontendInput.SELECT,
        frontend_label=label,
    )
    await CatalogEavAttribute.create(
        attribute_id=attribute.attribute_id, is_used_for_promo_rules=True, is_filterable=True
    )
    ids: dict[str, int] = {}
    for position, (name, kind, value) in enumerate(options):
        option = await EavAttributeOption.create(
            attribute_id=attribute.attribute_id, sort_order=position
        )
        await EavAttributeOptionValue.create(option_id=option.option_id, store_id=0, value=name)
        await EavAttributeOptionSwatch.create(
            option_id=option.option_id, store_id=0, type=kind, value=value
        )
        ids[name] = option.option_id
    return attribute.attribute_id, ids


async def simple(
    sku: str,
    price: str,
    *,
    special: str | None = None,
    in_stock: bool = True,
    visibility: Visibility = Visibility.NOT_VISIBLE,
    type_id: ProductType = ProductType.SIMPLE,
    values: dict[int, int] | None = None,
) -> CatalogProductEntity:
    product = await CatalogProductEntity.create(
        attribute_set_id=4,
        type_id=type_id,
        sku=sku,
        name=sku.replace("-", " ").title(),
        url_key=sku.lower(),
        price=Decimal(price),
        special_price=Decimal(special) if special else None,
        special_from_date=date(2020, 1, 1) if special else None,
        weight=Decimal("0.5"),
        visibility=visibility,
        tax_class_id=2,
    )
    await CatalogProductWebsite.create(product_id=product.entity_id, website_id=1)
    await CataloginventoryStockItem.create(
        product_id=product.entity_id, qty=Decimal(100 if in_stock else 0), is_in_stock=in_stock
    )
    for attribute_id, option_id in (values or {}).items():
        await CatalogProductEntityInt.create(
            attribute_id=attribute_id, store_id=0, entity_id=product.entity_id, value=option_id
        )
    return product


class Tee:
    """The catalog of the module docstring."""

    color: int
    size: int
    colors: dict[str, int]
    sizes: dict[str, int]
    parent: CatalogProductEntity
    children: dict[str, CatalogProductEntity]
    tops: int

    def option(self, color: str, size: str) -> list[str]:
        return [uid(self.color, self.colors[color]), uid(self.size, self.sizes[size])]


async def make_tee(*, configure: bool = True) -> Tee:
    tee = Tee()
    tee.color, tee.colors = await select_attribute(
        "color",
        "Color",
        [("Red", SwatchType.COLOR, "#ff0000"), ("Blue", SwatchType.COLOR, "#0000ff")],
    )
    tee.size, tee.sizes = await select_attribute(
        "size", "Size", [("S", SwatchType.TEXT, "S"), ("M", SwatchType.TEXT, "M")]
    )
    tee.tops = (await catalog.create_category(CategoryChanges(name="Tops", parent_id=2))).entity_id
    tee.parent = await simple(
        "MS-TEE", "0", type_id=ProductType.CONFIGURABLE, visibility=Visibility.BOTH
    )
    await catalog.update_product(
        tee.parent.entity_id, catalog.ProductChanges(category_ids=(tee.tops,))
    )
    tee.children = {}
    for color, size, price, special, stock in (
        ("Red", "S", "20", None, True),
        ("Red", "M", "22", None, True),
        ("Blue", "S", "24", "18", True),
        ("Blue", "M", "26", None, False),
    ):
        sku = f"MS-TEE-{color.upper()}-{size}"
        tee.children[sku] = await simple(
            sku,
            price,
            special=special,
            in_stock=stock,
            values={tee.color: tee.colors[color], tee.size: tee.sizes[size]},
        )
    await CatalogProductEntityTierPrice.create(
        entity_id=tee.children["MS-TEE-RED-M"].entity_id,
        all_groups=False,
        customer_group_id=1,
        qty=1,
        value=Decimal(15),
        website_id=0,
    )
    if configure:
        await configurable.set_configuration(
            tee.parent.entity_id,
            ConfigurableChanges(
                [AttributeChoice("color", 0), AttributeChoice("size", 1)], list(tee.children)
            ),
        )
    return tee


@pytest.fixture
async def tee(client: Any, admin_token: str) -> Tee:
    made = await make_tee()
    await create_rule(
        client,
        admin_token,
        name="Tops",
        is_active=True,
        customer_group_uids=[base64.b64encode(b"0").decode()],
        conditions=in_categories(made.tops),
    )
    return made


def money(regular: float, final: float, off: float, percent: float) -> dict[str, Any]:
    return {
        "regular_price": {"value": regular},
        "final_price": {"value": final},
        "discount": {"amount_off": off, "percent_off": percent},
    }


# --- the product ---------------------------------------------------------------------------------


async def test_options_swatches_variants_and_the_guest_price_range(client: Any, tee: Tee) -> None:
    response = await gql(client, PRODUCT, {"sku": "MS-TEE"})

    assert response.errors == []
    red, blue, s, m = tee.colors["Red"], tee.colors["Blue"], tee.sizes["S"], tee.sizes["M"]
    assert response.data == {
        "products": {
            "items": [
                {
                    "__typename": "ConfigurableProduct",
                    "sku": "MS-TEE",
                    "type_id": "configurable",
                    "stock_status": "IN_STOCK",
                    "price_range": {
                        "minimum_price": money(20.0, 18.0, 2.0, 10.0),
                        "maximum_price": money(24.0, 19.8, 4.2, 17.5),
                    },
                    "configurable_options": [
                        {
                            "attribute_code": "color",
                            "label": "Color",
                            "position": 0,
                            "values": [
                                {
                                    "label": "Red",
                                    "default_label": "Red",
                                    "store_label": "Red",
                                    "value_index": red,
                                    "uid": uid(tee.color, red),
                                    "swatch_data": {
                                        "__typename": "ColorSwatchData",
                                        "value": "#ff0000",
                                    },
                                },
                                {
                                    "label": "Blue",
                                    "default_label": "Blue",
                                    "store_label": "Blue",
                                    "value_index": blue,
                                    "uid": uid(tee.color, blue),
                                    "swatch_data": {
                                        "__typename": "ColorSwatchData",
                                        "value": "#0000ff",
                                    },
                                },
                            ],
                        },
                        {
                            "attribute_code": "size",
                            "label": "Size",
                            "position": 1,
                            "values": [
                                {
                                    "label": "S",
                                    "default_label": "S",
                                    "store_label": "S",
                                    "value_index": s,
                                    "uid": uid(tee.size, s),
                                    "swatch_data": {"__typename": "TextSwatchData", "value": "S"},
                                },
                                {
                                    "label": "M",
                                    "default_label": "M",
                                    "store_label": "M",
                                    "value_index": m,
                                    "uid": uid(tee.size, m),
                                    "swatch_data": {"__typename": "TextSwatchData", "value": "M"},
                                },
                            ],
                        },
                    ],
                    "variants": [
                        {
                            "attributes": [
                                {
                                    "code": "color",
                                    "label": color,
                                    "value_index": tee.colors[color],
                                    "uid": uid(tee.color, tee.colors[color]),
                                },
                                {
                                    "code": "size",
                                    "label": size,
                                    "value_index": tee.sizes[size],
                                    "uid": uid(tee.size, tee.sizes[size]),
                                },
                            ],
                            "product": {
                                "sku": f"MS-TEE-{color.upper()}-{size}",
                                "stock_status": "IN_STOCK",
                                "price_range": {"minimum_price": {"final_price": {"value": price}}},
                            },
                        }
                        for color, size, price in (
                            ("Red", "S", 18.0),
                            ("Red", "M", 19.8),
                            ("Blue", "S", 18.0),
                        )
                    ],
                }
            ]
        }
    }


async def test_a_general_customer_sees_the_tier_price_and_no_guest_rule(
    client: Any, tee: Tee
) -> None:
    token = await token_for(await make_customer(group_id=1))

    response = await gql(client, PRODUCT, {"sku": "MS-TEE"}, token=token)

    assert response.data is not None
    assert response.data["products"]["items"][0]["price_range"] == {
        "minimum_price": money(20.0, 15.0, 5.0, 25.0),
        "maximum_price": money(24.0, 20.0, 4.0, 16.67),
    }


async def test_catalog_rule_rows_go_to_the_children_not_the_parent(tee: Tee) -> None:
    rows = await CatalogruleProduct.filter(customer_group_id=0).values_list("product_id", flat=True)
    in_stock = [p.entity_id for p in tee.children.values()]
    assert sorted(int(r) for r in rows) == sorted(in_stock)


async def test_the_selection_names_a_variant(client: Any, tee: Tee) -> None:
    async def variant(uids: list[str]) -> Any:
        response = await gql(client, SELECTION, {"sku": "MS-TEE", "uids": uids})
        assert response.errors == []
        assert response.data is not None
        item = response.data["products"]["items"][0]
        return item["configurable_product_options_selection"]["variant"]

    assert await variant(tee.option("Blue", "S")) == {"sku": "MS-TEE-BLUE-S"}
    assert await variant(tee.option("Blue", "M")) is None  # out of stock
    assert await variant(tee.option("Blue", "S")[:1]) is None  # incomplete


# --- the cart ------------------------------------------------------------------------------------


async def guest_cart(client: Any) -> str:
    response = await gql(client, "mutation { createGuestCart { cart { id } } }")
    assert response.data is not None
    cart_id: str = response.data["createGuestCart"]["cart"]["id"]
    return cart_id


def line(tee: Tee, color: str, size: str, qty: float, price: float) -> dict[str, Any]:
    return {
        "__typename": "ConfigurableCartItem",
        "uid": line_uid_placeholder,
        "quantity": qty,
        "product": {"sku": "MS-TEE"},
        "prices": {"price": {"value": price}, "row_total": {"value": round(price * qty, 2)}},
        "configurable_options": [
            {
                "option_label": "Color",
                "value_label": color,
                "configurable_product_option_uid": option_uid_placeholder,
                "configurable_product_option_value_uid": uid(tee.color, tee.colors[color]),
            },
            {
                "option_label": "Size",
                "value_label": size,
                "configurable_product_option_uid": option_uid_placeholder,
                "configurable_product_option_value_uid": uid(tee.size, tee.sizes[size]),
            },
        ],
        "configured_variant": {"sku": f"MS-TEE-{color.upper()}-{size}"},
    }


line_uid_placeholder = object()
option_uid_placeholder = object()


def without_uids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items with generated uids replaced by the placeholders `line` puts there."""
    result = []
    for item in items:
        copy = {**item, "uid": line_uid_placeholder}
        if "configurable_options" in copy:
            copy["configurable_options"] = [
                {**o, "configurable_product_option_uid": option_uid_placeholder}
                for o in copy["configurable_options"]
            ]
        result.append(copy)
    return result


async def test_adding_a_chosen_variant_and_the_configured_line(client: Any, tee: Tee) -> None:
    cart = await guest_cart(client)
    items = [{"sku": "MS-TEE", "quantity": 2, "selected_options": tee.option("Red", "M")}]

    first = await gql(client, ADD, {"id": cart, "items": items})
    again = await gql(client, ADD, {"id": cart, "items": items})

    assert first.errors == []
    assert again.errors == []
    assert again.data is not None
    out = again.data["addProductsToCart"]
    assert out["user_errors"] == []
    assert out["cart"]["total_quantity"] == 4.0
    assert without_uids(out["cart"]["items"]) == [line(tee, "Red", "M", 4.0, 19.8)]
    rows = (
        await QuoteItem.all()
        .order_by("item_id")
        .values_list("sku", "product_type", "parent_item_id", "qty")
    )
    parent_id = (await QuoteItem.get(product_type="configurable")).item_id
    assert [(s, t, p, Decimal(q)) for s, t, p, q in rows] == [
        ("MS-TEE-RED-M", "configurable", None, Decimal(4)),
        ("MS-TEE-RED-M", "simple", parent_id, Decimal(4)),
    ]


async def test_refused_options_have_magentos_messages(client: Any, tee: Tee) -> None:
    cart = await guest_cart(client)
    response = await gql(
        client,
        ADD,
        {
            "id": cart,
            "items": [
                {"sku": "MS-TEE", "quantity": 1},
                {"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Red", "S")[:1]},
                {"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Blue", "M")},
                {"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Blue", "S")},
            ],
        },
    )

    assert response.data is not None
    out = response.data["addProductsToCart"]
    assert out["user_errors"] == [
        {"code": "UNDEFINED", "message": "You need to choose options for your item."},
        {"code": "UNDEFINED", "message": "You need to choose options for your item."},
        {"code": "INSUFFICIENT_STOCK", "message": "This product is out of stock"},
    ]
    assert [i["configured_variant"]["sku"] for i in out["cart"]["items"]] == ["MS-TEE-BLUE-S"]


async def test_a_malformed_option_uid_changes_nothing(client: Any, tee: Tee) -> None:
    cart = await guest_cart(client)
    response = await gql(
        client,
        ADD,
        {
            "id": cart,
            "items": [
                {"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Red", "S")},
                {"sku": "MS-TEE", "quantity": 1, "selected_options": ["%%%"]},
            ],
        },
    )

    assert response.messages == ['Value of uid "%%%" is incorrect.']
    assert response.categories == ["graphql-input"]
    assert await QuoteItem.all().count() == 0


async def test_add_configurable_products_to_cart(client: Any, tee: Tee) -> None:
    await simple("LONE", "5", visibility=Visibility.BOTH)
    cart = await guest_cart(client)

    def item(parent: str | None, sku: str, qty: float = 1) -> dict[str, Any]:
        return {"parent_sku": parent, "data": {"sku": sku, "quantity": qty}}

    async def add(*items: dict[str, Any]) -> Any:
        return await gql(
            client, ADD_CONFIGURABLE, {"input": {"cart_id": cart, "cart_items": list(items)}}
        )

    ok = await add(item("MS-TEE", "MS-TEE-BLUE-S", 3))
    assert ok.errors == []
    assert ok.data is not None
    assert without_uids(ok.data["addConfigurableProductsToCart"]["cart"]["items"]) == [
        line(tee, "Blue", "S", 3.0, 18.0)
    ]
    refusals = [
        (
            item("MS-TEE", "LONE"),
            "Could not add the product with SKU LONE to the shopping "
            "cart: The child product do not belong to the parent product.",
        ),
        (
            item("NO-PARENT", "MS-TEE-RED-S"),
            "Could not add the product with SKU MS-TEE-RED-S "
            "to the shopping cart: Could not find specified product.",
        ),
        (item("MS-TEE", "NOPE"), 'Could not find a product with SKU "NOPE"'),
        (
            item("MS-TEE", "MS-TEE-BLUE-M"),
            "Could not add the product with SKU MS-TEE-BLUE-M "
            "to the shopping cart: This product is out of stock",
        ),
        (
            item(None, "MS-TEE"),
            "Could not add the product with SKU MS-TEE to the shopping "
            "cart: You need to choose options for your item.",
        ),
    ]
    for refused, message in refusals:
        # A good line first: the refused one undoes it with the whole request.
        response = await add(item("MS-TEE", "MS-TEE-RED-S"), refused)
        assert response.messages == [message]
        assert response.data == {"addConfigurableProductsToCart": None}
    assert await QuoteItem.all().count() == 2


async def test_cart_rule_conditions_read_the_parent_then_the_child(
    client: Any, admin_token: str, tee: Tee
) -> None:
    """A cart rule on color = Blue: the parent has no color, so the child's is read (Magento's
    configurable `ValidatorPlugin`), in the conditions and in the actions: only the blue line
    takes 50 % of 18.00."""
    blue = {
        "type": "PRODUCT",
        "attribute": "color",
        "operator": "IS",
        "value": [str(tee.colors["Blue"])],
    }
    await make_rule(
        client,
        admin_token,
        name="Blue",
        simple_action="BY_PERCENT",
        discount_amount=50,
        conditions={
            "type": "COMBINE",
            "aggregator": "ALL",
            "value": ["1"],
            "conditions": [
                {"type": "PRODUCT_FOUND", "aggregator": "ALL", "value": ["1"], "conditions": [blue]}
            ],
        },
        actions={"type": "COMBINE", "aggregator": "ALL", "value": ["1"], "conditions": [blue]},
    )
    cart = await guest_cart(client)
    query = (
        "query ($id: String!) { cart(cart_id: $id) { prices { discounts { amount { value } } "
        "grand_total { value } } } }"
    )
    await gql(
        client,
        ADD,
        {
            "id": cart,
            "items": [{"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Red", "S")}],
        },
    )
    red = await gql(client, query, {"id": cart})
    await gql(
        client,
        ADD,
        {
            "id": cart,
            "items": [
                {"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Blue", "S")}
            ],
        },
    )
    both = await gql(client, query, {"id": cart})

    assert red.data == {"cart": {"prices": {"discounts": [], "grand_total": {"value": 18.0}}}}
    assert both.data == {
        "cart": {
            "prices": {"discounts": [{"amount": {"value": 9.0}}], "grand_total": {"value": 27.0}}
        }
    }


# --- the order -----------------------------------------------------------------------------------


async def test_the_order_keeps_the_parent_and_the_child_row(client: Any, tee: Tee) -> None:
    _, masked = await make_cart([])
    added = await gql(
        client,
        ADD,
        {
            "id": masked,
            "items": [{"sku": "MS-TEE", "quantity": 2, "selected_options": tee.option("Red", "M")}],
        },
    )
    assert added.errors == []

    response = await gql(client, PLACE, {"cart": masked})

    assert response.errors == []
    assert response.data is not None
    assert response.data["placeOrder"]["orderV2"]["items"] == [
        {
            "product_sku": "MS-TEE-RED-M",
            "product_name": "Ms Tee",
            "product_type": "configurable",
            "quantity_ordered": 2.0,
            "prices": {"price": {"value": 19.8}, "row_total": {"value": 39.6}},
        }
    ]
    parent, child = await SalesOrderItem.all().order_by("item_id")
    assert (parent.product_type, parent.parent_item_id, parent.product_id) == (  # type: ignore[attr-defined]
        "configurable",
        None,
        tee.parent.entity_id,
    )
    assert (child.product_type, child.parent_item_id, child.product_id, child.sku) == (  # type: ignore[attr-defined]
        "simple",
        parent.item_id,
        tee.children["MS-TEE-RED-M"].entity_id,
        "MS-TEE-RED-M",
    )
    assert (Decimal(child.price), Decimal(child.qty_ordered)) == (Decimal(0), Decimal(2))
    assert parent.product_options is not None
    assert '"attributes_info": [{"label": "Color", "value": "Red"' in parent.product_options
    stock = await CataloginventoryStockItem.get(product_id=tee.children["MS-TEE-RED-M"].entity_id)
    assert Decimal(stock.qty) == Decimal(98)


# --- admin ---------------------------------------------------------------------------------------


async def test_admin_configures_products_all_or_nothing(client: Any, admin_token: str) -> None:
    tee = await make_tee(configure=False)
    await simple("PLAIN", "5")
    good = {
        "parent_sku": "MS-TEE",
        "attributes": [
            {"attribute_code": "color", "label": "Colour"},
            {"attribute_code": "size", "position": 1},
        ],
        "child_skus": list(tee.children),
    }
    bad = {
        "parent_sku": "PLAIN",
        "attributes": [{"attribute_code": "size"}, {"attribute_code": "fabric"}],
        "child_skus": ["MS-TEE-RED-S", "MS-TEE-RED-M", "LOST"],
    }

    refused = await gql(client, CONFIGURE, {"input": [good, bad]}, token=admin_token)
    assert refused.data is not None
    assert refused.data["adminConfigureProducts"] == {
        "products": [],
        "user_errors": [
            {
                "code": "NOT_FOUND",
                "message": 'The attribute with a "fabric" attributeCode doesn\'t exist.',
                "path": "input.1.attributes.1.attribute_code",
            },
            {
                "code": "NOT_FOUND",
                "message": 'Could not find a product with SKU "LOST"',
                "path": "input.1.child_skus.2",
            },
        ],
    }
    assert await CatalogProductSuperLink.all().count() == 0
    assert (await CatalogProductEntity.get(sku="MS-TEE")).type_id == ProductType.CONFIGURABLE

    done = await gql(client, CONFIGURE, {"input": [good]}, token=admin_token)
    assert done.data is not None
    assert done.data["adminConfigureProducts"] == {
        "products": [
            {
                "sku": "MS-TEE",
                "attributes": [
                    {"attribute_code": "color", "label": "Colour", "position": 0},
                    {"attribute_code": "size", "label": "Size", "position": 1},
                ],
                "child_skus": list(tee.children),
            }
        ],
        "user_errors": [],
    }
    assert await CatalogProductRelation.all().count() == 4


# --- Venia's documents ---------------------------------------------------------------------------

# The configurable parts of the documents PWA Studio's Venia sends on the product page, when
# adding to the cart, for the mini cart and the cart page (and its "edit options" dialog), as
# @magento/peregrine 15.7 writes them. The image, URL-suffix and description fields those
# documents also select (`thumbnail`, `small_image`, `media_gallery_entries`, `url_suffix`,
# `description`) come with the media and routing work and are left out here; Apollo strips the
# client-side `@connection` directive before sending.
VENIA_PRODUCT_PAGE = """
query getProductDetailForProductPage($urlKey: String!) {
  products(filter: { url_key: { eq: $urlKey } }) {
    items { id uid ...ProductDetailsFragment }
  }
}
fragment ProductDetailsFragment on ProductInterface {
  __typename
  categories { uid }
  id uid name sku stock_status url_key
  price_range { maximum_price { final_price { currency value } discount { amount_off } } }
  ... on ConfigurableProduct {
    configurable_options {
      attribute_code attribute_id uid label
      values {
        uid default_label label store_label use_default_value value_index
        swatch_data { ... on ImageSwatchData { thumbnail } value }
      }
    }
    variants {
      attributes { code value_index }
      product {
        uid sku stock_status
        price_range { maximum_price { final_price { currency value } discount { amount_off } } }
      }
    }
  }
}
"""
VENIA_ADD_PRODUCT_TO_CART = """
mutation AddProductToCart($cartId: String!, $product: CartItemInput!) {
  addProductsToCart(cartId: $cartId, cartItems: [$product]) {
    cart { id total_quantity ...MiniCartFragment }
    user_errors { code message }
  }
}
fragment MiniCartFragment on Cart {
  id total_quantity
  prices { subtotal_excluding_tax { currency value } }
  ...ProductListFragment
}
fragment ProductListFragment on Cart {
  id
  items {
    uid
    product {
      uid name url_key stock_status
      ... on ConfigurableProduct { variants { attributes { uid } product { uid } } }
    }
    prices { price { currency value } total_item_discount { value } }
    quantity
    ... on ConfigurableCartItem {
      configurable_options {
        configurable_product_option_uid option_label
        configurable_product_option_value_uid value_label
      }
    }
  }
}
"""
VENIA_MINI_CART = """
query MiniCartQuery($cartId: String!) {
  cart(cart_id: $cartId) { id ...MiniCartFragment }
}
""" + VENIA_ADD_PRODUCT_TO_CART[VENIA_ADD_PRODUCT_TO_CART.index("fragment MiniCartFragment") :]
VENIA_CART_PAGE = """
query getProductListing($cartId: String!) {
  cart(cart_id: $cartId) { id ...ProductListingFragment }
}
fragment ProductListingFragment on Cart {
  id
  items {
    uid
    product {
      uid name sku url_key stock_status
      ... on ConfigurableProduct {
        variants { attributes { uid } product { uid stock_status } }
      }
    }
    prices { price { currency value } row_total { value } total_item_discount { value } }
    quantity
    errors { code message }
    ... on ConfigurableCartItem {
      configurable_options {
        id configurable_product_option_uid option_label
        value_id configurable_product_option_value_uid value_label
      }
    }
  }
}
"""
VENIA_ADD_CONFIGURABLE = """
mutation addConfigurableProductToCart(
  $cartId: String!, $quantity: Float!, $sku: String!, $parentSku: String!
) {
  addConfigurableProductsToCart(input: {
    cart_id: $cartId
    cart_items: [{ data: { quantity: $quantity, sku: $sku }, parent_sku: $parentSku }]
  }) {
    cart { id total_quantity }
  }
}
"""
VENIA_UPDATE_OPTIONS = """
mutation UpdateConfigurableOptions(
  $cartId: String!, $cartItemId: ID!, $parentSku: String!, $variantSku: String!, $quantity: Float!
) {
  addConfigurableProductsToCart(input: {
    cart_id: $cartId
    cart_items: [{ data: { quantity: $quantity, sku: $variantSku }, parent_sku: $parentSku }]
  }) { cart { id } }
  removeItemFromCart(input: { cart_id: $cartId, cart_item_uid: $cartItemId }) {
    cart { id ...ProductListingFragment }
  }
}
""" + VENIA_CART_PAGE[VENIA_CART_PAGE.index("fragment ProductListingFragment") :]
VENIA_DOCUMENTS = (
    VENIA_PRODUCT_PAGE,
    VENIA_ADD_PRODUCT_TO_CART,
    VENIA_MINI_CART,
    VENIA_CART_PAGE,
    VENIA_ADD_CONFIGURABLE,
    VENIA_UPDATE_OPTIONS,
)


@functools.cache
def _schemas() -> tuple[tuple[str, graphql.GraphQLSchema], ...]:
    """Magento's reference schema (when the shared reference is there) and ours, built once."""
    root = Path(__file__).parent.parent
    paths = (
        root.parent.parent / "shared/reference/magento-storefront.graphql",
        root / "schema.graphql",
    )
    return tuple((p.name, graphql.build_schema(p.read_text())) for p in paths if p.exists())


@pytest.mark.parametrize("document", VENIA_DOCUMENTS)
def test_venia_documents_validate_against_magentos_schema_and_ours(document: str) -> None:
    for name, schema in _schemas():
        assert graphql.validate(schema, graphql.parse(document)) == [], name


async def test_a_venia_shopper_picks_a_size_and_color_and_edits_the_line(
    client: Any, tee: Tee
) -> None:
    page = await gql(client, VENIA_PRODUCT_PAGE, {"urlKey": "ms-tee"})
    assert page.errors == []
    assert page.data is not None
    [product] = page.data["products"]["items"]
    assert product["__typename"] == "ConfigurableProduct"
    assert product["price_range"] == {
        "maximum_price": {
            "final_price": {"currency": "USD", "value": 19.8},
            "discount": {"amount_off": 4.2},
        }
    }
    # Venia maps the chosen swatches to their uids and sends them as selected options.
    options = {
        o["attribute_code"]: {v["label"]: v["uid"] for v in o["values"]}
        for o in product["configurable_options"]
    }
    cart = await guest_cart(client)
    added = await gql(
        client,
        VENIA_ADD_PRODUCT_TO_CART,
        {
            "cartId": cart,
            "product": {
                "sku": product["sku"],
                "quantity": 1,
                "selected_options": [options["color"]["Blue"], options["size"]["S"]],
            },
        },
    )
    assert added.errors == []
    assert added.data is not None
    assert added.data["addProductsToCart"]["user_errors"] == []

    mini = await gql(client, VENIA_MINI_CART, {"cartId": cart})
    assert mini.errors == []
    assert mini.data is not None
    [item] = mini.data["cart"]["items"]
    assert (item["prices"]["price"], item["quantity"]) == ({"currency": "USD", "value": 18.0}, 1.0)
    assert [(o["option_label"], o["value_label"]) for o in item["configurable_options"]] == [
        ("Color", "Blue"),
        ("Size", "S"),
    ]
    assert mini.data["cart"]["prices"]["subtotal_excluding_tax"] == {
        "currency": "USD",
        "value": 18.0,
    }

    # The cart page's "edit" dialog: the line becomes Red / M.
    edited = await gql(
        client,
        VENIA_UPDATE_OPTIONS,
        {
            "cartId": cart,
            "cartItemId": item["uid"],
            "parentSku": "MS-TEE",
            "variantSku": "MS-TEE-RED-M",
            "quantity": 2,
        },
    )
    assert edited.errors == []
    listing = await gql(client, VENIA_CART_PAGE, {"cartId": cart})
    assert listing.errors == []
    assert listing.data is not None
    [line] = listing.data["cart"]["items"]
    assert (line["prices"]["row_total"], line["quantity"], line["errors"]) == (
        {"value": 39.6},
        2.0,
        None,
    )
    assert [
        (o["option_label"], o["value_id"], o["value_label"]) for o in line["configurable_options"]
    ] == [
        ("Color", tee.colors["Red"], "Red"),
        ("Size", tee.sizes["M"], "M"),
    ]
    again = await gql(
        client,
        VENIA_ADD_CONFIGURABLE,
        {"cartId": cart, "quantity": 1, "sku": "MS-TEE-RED-M", "parentSku": "MS-TEE"},
    )
    assert again.data == {
        "addConfigurableProductsToCart": {"cart": {"id": cart, "total_quantity": 3.0}}
    }


# --- wish lists ----------------------------------------------------------------------------------

WISHLIST_ADD = """
mutation ($items: [WishlistItemInput!]!) {
  addProductsToWishlist(wishlistId: "0", wishlistItems: $items) {
    user_errors { code message }
    wishlist { items_v2 { items {
      __typename quantity product { sku }
      ... on ConfigurableWishlistItem { configurable_options { option_label value_label } }
    } } }
  }
}
"""


async def test_a_configurable_wish_list_item_keeps_its_chosen_child(client: Any, tee: Tee) -> None:
    token = await token_for(await make_customer())
    response = await gql(
        client,
        WISHLIST_ADD,
        {
            "items": [
                {"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Blue", "S")},
                {"sku": "MS-TEE-RED-M", "parent_sku": "MS-TEE", "quantity": 2},
                {"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Blue", "S")},
                {"sku": "MS-TEE", "quantity": 1},
            ]
        },
        token=token,
    )

    assert response.errors == []
    assert response.data is not None
    out = response.data["addProductsToWishlist"]
    assert out["user_errors"] == []
    assert out["wishlist"]["items_v2"]["items"] == [
        {
            "__typename": "ConfigurableWishlistItem",
            "quantity": quantity,
            "product": {"sku": "MS-TEE"},
            "configurable_options": options,
        }
        for quantity, options in (
            (
                2.0,
                [
                    {"option_label": "Color", "value_label": "Blue"},
                    {"option_label": "Size", "value_label": "S"},
                ],
            ),
            (
                2.0,
                [
                    {"option_label": "Color", "value_label": "Red"},
                    {"option_label": "Size", "value_label": "M"},
                ],
            ),
            (1.0, []),
        )
    ]


# --- segments ------------------------------------------------------------------------------------


async def test_segment_cart_conditions_see_the_parent_and_the_child_row(
    client: Any, tee: Tee
) -> None:
    """Magento's Product List condition joins every `quote_item` row: the parent row answers
    for the category (the children are in none), the child row for the chosen sku and color;
    the line counts once in "Number of Cart Line Items"."""
    from engine.segments.catalog import load_catalog
    from engine.segments.evaluate import evaluate
    from engine.segments.facts import load_facts
    from engine.segments.scope_loader import build_scope
    from engine.segments.tree import (
        Aggregator,
        CartLineItems,
        Combine,
        Node,
        ProductAttribute,
        ProductList,
        ProductListSource,
    )
    from engine.segments.tree import Operator as Op

    customer = await make_customer()
    token = await token_for(customer)
    cart = await gql(client, "{ customerCart { id } }", token=token)
    assert cart.data is not None
    added = await gql(
        client,
        ADD,
        {
            "id": cart.data["customerCart"]["id"],
            "items": [
                {"sku": "MS-TEE", "quantity": 2, "selected_options": tee.option("Blue", "S")}
            ],
        },
        token=token,
    )
    assert added.errors == []

    def in_cart(condition: ProductAttribute) -> ProductList:
        return ProductList(ProductListSource.CART, True, Aggregator.ALL, (condition,))

    cases: dict[str, tuple[Node, bool]] = {
        "category": (in_cart(ProductAttribute("category_ids", Op.IS, str(tee.tops))), True),
        "child sku": (in_cart(ProductAttribute("sku", Op.IS, "MS-TEE-BLUE-S")), True),
        "other child": (in_cart(ProductAttribute("sku", Op.IS, "MS-TEE-RED-S")), False),
        "one line": (CartLineItems(Op.IS, Decimal(1)), True),
    }
    for name, (node, expected) in cases.items():
        tree = Combine(Aggregator.ALL, True, (node,))
        scope = await build_scope(1, tree, catalog=await load_catalog())
        facts = await load_facts(
            tree, scope, customer_id=customer.entity_id, quote_id=None, visitor_id=None
        )
        assert evaluate(tree, facts, scope) is expected, name


async def test_layered_navigation_finds_a_parent_by_its_childrens_values(
    client: Any, tee: Tee
) -> None:
    """Magento indexes a configurable product with its variants' attribute values: the tee has
    no color or size of its own, and counts once under each of its children's."""
    answer = await gql(
        client,
        "query ($tops: String!) { products(filter: {category_uid: {eq: $tops}}) { total_count"
        " aggregations { attribute_code options { label count } } } }",
        {"tops": base64.b64encode(str(tee.tops).encode()).decode()},
    )
    products = answer.data["products"]  # type: ignore[index]
    assert products["total_count"] == 1
    assert [a for a in products["aggregations"] if a["attribute_code"] in {"color", "size"}] == [
        {
            "attribute_code": "color",
            "options": [{"label": "Red", "count": 1}, {"label": "Blue", "count": 1}],
        },
        {
            "attribute_code": "size",
            "options": [{"label": "S", "count": 1}, {"label": "M", "count": 1}],
        },
    ]
