"""The product fields Venia reads beside prices and options, through HTTP: the text attributes
(`description`, `short_description` as `ComplexTextValue`, `meta_title`, `meta_keyword`,
`meta_description`), `weight` (`PhysicalProductInterface`), the deprecated `price`
(`ProductPrices`), magento2-pwa's `custom_attributes`, the images of a configurable selection,
`StoreConfig.configurable_thumbnail_source`, and listings of configurable parents filtered by
their children's color and size with aggregations counting parents.

The catalog is `test_configurable`'s Tee (Red/Blue x S/M, Blue-M out of stock, a 10 % guest
rule on Tops, a General tier price of 15.00 on Red-M) and, in Tops beside it, a Polo (Red-S,
Red-M in stock, Blue-S out of stock) and a simple red Cap."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import graphql

from engine import catalog, configurable, product_attributes
from engine.configurable import AttributeChoice, ConfigurableChanges
from engine.pagination import PageRequest
from graph.catalog import PriceRange, ProductPrice, ProductPrices
from graph.common import Money
from graph.uids import encode_uid
from models import (
    BackendType,
    CatalogEavAttribute,
    CatalogProductEntity,
    CatalogProductEntityText,
    CatalogProductEntityVarchar,
    EavAttribute,
    EntityType,
    FrontendInput,
    ProductType,
    Visibility,
)
from seeds.images import png
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_configurable import Tee, _schemas, guest_cart, simple, tee, uid
from tests.test_media import b64, upload

__all__ = ["tee"]  # the fixture

TEXTS = """
description { html } short_description { html } meta_title meta_keyword meta_description
"""
CREATE = (
    """
mutation ($input: ProductCreateInput!) {
  adminCreateProduct(input: $input) {
    product { sku weight """
    + TEXTS.replace("{ html }", "")
    + """ }
    user_errors { code message path }
  }
}
"""
)
UPDATE = """
mutation ($uid: ID!, $input: ProductUpdateInput!) {
  adminUpdateProduct(uid: $uid, input: $input) {
    product { description meta_title } user_errors { code message path }
  }
}
"""
STOREFRONT = (
    """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) {
    items { __typename sku """
    + TEXTS
    + """ ... on PhysicalProductInterface { weight } } }
}
"""
)


async def product(client: Any, query: str, sku: str, token: str | None = None) -> Any:
    response = await gql(client, query, {"sku": sku}, token=token)
    assert response.errors == [], response.errors
    return response.data["products"]["items"][0]  # type: ignore[index]


# --- texts and weight ------------------------------------------------------------------------


async def test_texts_and_weight_written_by_the_admin_read_by_the_storefront(
    client: Any, admin_token: str
) -> None:
    created = await gql(
        client,
        CREATE,
        {
            "input": {
                "sku": "MS-SHIRT",
                "name": "Linen Shirt",
                "price": 30,
                "qty": 5,
                "weight": 1.25,
                "description": "<p>Woven <b>linen</b>.</p>",
                "short_description": "<p>Cool in summer.</p>",
                "meta_title": "Linen Shirt | Shop",
                "meta_keyword": "linen, shirt",
                "meta_description": "A linen shirt for summer.",
            }
        },
        token=admin_token,
    )
    assert created.data == {
        "adminCreateProduct": {
            "product": {
                "sku": "MS-SHIRT",
                "weight": 1.25,
                "description": "<p>Woven <b>linen</b>.</p>",
                "short_description": "<p>Cool in summer.</p>",
                "meta_title": "Linen Shirt | Shop",
                "meta_keyword": "linen, shirt",
                "meta_description": "A linen shirt for summer.",
            },
            "user_errors": [],
        }
    }, created.errors
    assert await product(client, STOREFRONT, "MS-SHIRT") == {
        "__typename": "SimpleProduct",
        "sku": "MS-SHIRT",
        "description": {"html": "<p>Woven <b>linen</b>.</p>"},
        "short_description": {"html": "<p>Cool in summer.</p>"},
        "meta_title": "Linen Shirt | Shop",
        "meta_keyword": "linen, shirt",
        "meta_description": "A linen shirt for summer.",
        "weight": 1.25,
    }

    shirt = await CatalogProductEntity.get(sku="MS-SHIRT")
    uid_ = encode_uid(shirt.entity_id)
    refused = await gql(
        client,
        UPDATE,
        {"uid": uid_, "input": {"description": None, "meta_title": "x" * 256}},
        token=admin_token,
    )
    assert refused.data == {
        "adminUpdateProduct": {
            "product": None,
            "user_errors": [
                {
                    "code": "TOO_LONG",
                    "message": "Meta Title length should be 255 characters maximum.",
                    "path": "input.meta_title",
                }
            ],
        }
    }, refused.errors
    # Nothing was written: the description is still there (with the short one and the keywords).
    assert await CatalogProductEntityText.filter(entity_id=shirt.entity_id).count() == 3

    cleared = await gql(
        client, UPDATE, {"uid": uid_, "input": {"description": None}}, token=admin_token
    )
    assert cleared.data == {
        "adminUpdateProduct": {
            "product": {"description": None, "meta_title": "Linen Shirt | Shop"},
            "user_errors": [],
        }
    }
    seen = await product(client, STOREFRONT, "MS-SHIRT")
    assert (seen["description"], seen["short_description"]) == (
        None,
        {"html": "<p>Cool in summer.</p>"},
    )


# --- the deprecated price --------------------------------------------------------------------

PRICES = """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) { items {
    price {
      regularPrice { amount { value currency } }
      minimalPrice { amount { value currency } }
      maximalPrice { amount { value currency } }
    }
    ... on ConfigurableProduct { variants { product { sku price {
      regularPrice { amount { value } } minimalPrice { amount { value } }
      maximalPrice { amount { value } } } } } }
  } }
}
"""


def amounts(regular: float, minimal: float, maximal: float) -> dict[str, Any]:
    return {
        "regularPrice": {"amount": {"value": regular, "currency": "USD"}},
        "minimalPrice": {"amount": {"value": minimal, "currency": "USD"}},
        "maximalPrice": {"amount": {"value": maximal, "currency": "USD"}},
    }


def plain(regular: float, minimal: float, maximal: float) -> dict[str, Any]:
    return {
        "regularPrice": {"amount": {"value": regular}},
        "minimalPrice": {"amount": {"value": minimal}},
        "maximalPrice": {"amount": {"value": maximal}},
    }


async def test_the_deprecated_price_comes_from_the_same_prices_as_the_range(
    client: Any, tee: Tee
) -> None:
    """A guest pays 18.00 (Red-S, 20.00 less the 10 % rule), 19.80 (Red-M) and 18.00 (Blue-S,
    its special price); Blue-M is out of stock. The lowest regular price is Red-S's 20.00
    (`ConfigurableRegularPrice::getAmount`). A General customer has no rule but Red-M's tier
    price: 20.00, 15.00, 18.00."""
    guest = await product(client, PRICES, "MS-TEE")
    assert guest["price"] == amounts(20.0, 18.0, 19.8)
    assert [(v["product"]["sku"], v["product"]["price"]) for v in guest["variants"]] == [
        ("MS-TEE-RED-S", plain(20.0, 18.0, 18.0)),
        ("MS-TEE-RED-M", plain(22.0, 19.8, 19.8)),
        ("MS-TEE-BLUE-S", plain(24.0, 18.0, 18.0)),
    ]
    general = await token_for(await make_customer("gene@example.com", group_id=1))
    member = await product(client, PRICES, "MS-TEE", token=general)
    assert member["price"] == amounts(20.0, 15.0, 20.0)
    assert member["variants"][1]["product"]["price"] == plain(22.0, 15.0, 15.0)


# --- custom attributes -----------------------------------------------------------------------

CUSTOM = """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) { items { ... on ConfigurableProduct { variants {
    product { sku custom_attributes {
      selected_attribute_options { attribute_option { __typename uid label is_default } }
      entered_attribute_value { value }
      attribute_metadata {
        __typename uid code label attribute_labels { store_code label } data_type is_system
        entity_type
        ui_input { __typename ui_input_type is_html_allowed }
        ... on ProductAttributeMetadata { used_in_components }
      }
    } }
  } } } }
}
"""


def pwa_uid(*parts: object) -> str:
    return base64.b64encode("/".join(str(p) for p in parts).encode()).decode()


def select_value(code: str, label: str, option_id: int, option: str) -> dict[str, Any]:
    return {
        "selected_attribute_options": {
            "attribute_option": [
                {
                    "__typename": "AttributeOption",
                    "uid": pwa_uid("catalog_product", code, option_id),
                    "label": option,
                    "is_default": False,
                }
            ]
        },
        "entered_attribute_value": {"value": None},
        "attribute_metadata": {
            "__typename": "ProductAttributeMetadata",
            "uid": pwa_uid("catalog_product", code),
            "code": code,
            "label": label,
            "attribute_labels": [],
            "data_type": "INT",
            "is_system": False,
            "entity_type": "CATALOG_PRODUCT",
            "ui_input": {
                "__typename": "UiAttributeTypeSelect",
                "ui_input_type": "SELECT",
                "is_html_allowed": False,
            },
            "used_in_components": ["PRODUCT_FILTER"],
        },
    }


async def test_custom_attributes_are_the_user_defined_values_with_their_metadata(
    client: Any, tee: Tee
) -> None:
    """magento2-pwa's `custom_attributes`: each user-defined attribute holding a value, by
    position then label (Color and Size at 0, Material at 5); a select's chosen options, a text
    field's value; `used_in_components` from the attribute's storefront flags."""
    material = await EavAttribute.create(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code="material",
        backend_type=BackendType.VARCHAR,
        frontend_input=FrontendInput.TEXT,
        frontend_label="Material",
    )
    await CatalogEavAttribute.create(
        attribute_id=material.attribute_id,
        position=5,
        is_visible_on_front=True,
        used_in_product_listing=True,
    )
    red_s = tee.children["MS-TEE-RED-S"].entity_id
    await CatalogProductEntityVarchar.create(
        attribute_id=material.attribute_id, store_id=0, entity_id=red_s, value="Cotton"
    )

    variants = (await product(client, CUSTOM, "MS-TEE"))["variants"]

    assert variants[0]["product"] == {
        "sku": "MS-TEE-RED-S",
        "custom_attributes": [
            select_value("color", "Color", tee.colors["Red"], "Red"),
            select_value("size", "Size", tee.sizes["S"], "S"),
            {
                "selected_attribute_options": {"attribute_option": None},
                "entered_attribute_value": {"value": "Cotton"},
                "attribute_metadata": {
                    "__typename": "ProductAttributeMetadata",
                    "uid": pwa_uid("catalog_product", "material"),
                    "code": "material",
                    "label": "Material",
                    "attribute_labels": [],
                    "data_type": "STRING",
                    "is_system": False,
                    "entity_type": "CATALOG_PRODUCT",
                    "ui_input": {
                        "__typename": "UiAttributeTypeAny",
                        "ui_input_type": "TEXT",
                        "is_html_allowed": False,
                    },
                    "used_in_components": ["PRODUCT_DETAILS_PAGE", "PRODUCTS_LISTING"],
                },
            },
        ],
    }
    assert [len(v["product"]["custom_attributes"]) for v in variants[1:]] == [2, 2]


# --- images of a selection, thumbnail of a configurable line ---------------------------------

SELECTION_MEDIA = """
query ($sku: String!, $uids: [ID!]) {
  products(filter: {sku: {eq: $sku}}) { items { ... on ConfigurableProduct {
    configurable_product_options_selection(configurableOptionValueUids: $uids) {
      media_gallery { url label position } variant { sku }
    }
  } } }
}
"""
CART_THUMBNAILS = """
query ($id: String!) {
  storeConfig { configurable_thumbnail_source }
  cart(cart_id: $id) { items {
    product { thumbnail { url } }
    ... on ConfigurableCartItem { configured_variant { thumbnail { url } } }
  } }
}
"""
SAVE_CONFIG = """
mutation ($value: String) {
  adminSaveConfig(input: {path: CONFIGURABLE_THUMBNAIL_SOURCE, value: $value}) {
    config { value } user_errors { code message path }
  }
}
"""


async def images(client: Any, admin_token: str, tee: Tee) -> dict[str, str]:
    """One image per product, with every role: the file's URL by sku."""
    urls = {}
    shades = {"MS-TEE": (9, 9, 9)}
    for index, sku in enumerate(tee.children):
        shades[sku] = (40 * index, 0, 0)
    for sku, shade in shades.items():
        product_id = tee.parent if sku == "MS-TEE" else tee.children[sku]
        uploaded = await upload(
            client,
            admin_token,
            product_uid=encode_uid(product_id.entity_id),
            name=f"{sku.lower()}.png",
            base64_content=b64(png(4, 4, shade)),
            label=sku,
            types=["image", "small_image", "thumbnail"],
        )
        urls[sku] = uploaded["url"]
    return urls


async def test_a_selection_shows_the_images_of_the_children_it_narrows_to(
    client: Any, admin_token: str, tee: Tee
) -> None:
    """Magento's `SelectionMediaGallery`: every buyable child carrying the selected values, child
    by child (Blue-M is out of stock, so never shown)."""
    urls = await images(client, admin_token, tee)

    async def selection(uids: list[str]) -> Any:
        item = await gql(client, SELECTION_MEDIA, {"sku": "MS-TEE", "uids": uids})
        assert item.errors == [], item.errors
        return item.data["products"]["items"][0]["configurable_product_options_selection"]  # type: ignore[index]

    def gallery(*skus: str) -> list[dict[str, Any]]:
        return [{"url": urls[s], "label": s, "position": 1} for s in skus]

    assert await selection([]) == {
        "media_gallery": gallery("MS-TEE-RED-S", "MS-TEE-RED-M", "MS-TEE-BLUE-S"),
        "variant": None,
    }
    assert await selection([uid(tee.color, tee.colors["Red"])]) == {
        "media_gallery": gallery("MS-TEE-RED-S", "MS-TEE-RED-M"),
        "variant": None,
    }
    assert await selection([uid(tee.size, tee.sizes["M"])]) == {
        "media_gallery": gallery("MS-TEE-RED-M"),
        "variant": None,
    }
    assert await selection(tee.option("Blue", "S")) == {
        "media_gallery": gallery("MS-TEE-BLUE-S"),
        "variant": {"sku": "MS-TEE-BLUE-S"},
    }


async def test_the_thumbnail_source_of_a_configurable_line(
    client: Any, admin_token: str, tee: Tee
) -> None:
    """Venia shows a configurable line with the parent's thumbnail, or the chosen child's when
    `checkout/cart/configurable_product_image` is `itself`: it reads the setting from
    `storeConfig` and both thumbnails from the line."""
    urls = await images(client, admin_token, tee)
    cart = await guest_cart(client)
    added = await gql(
        client,
        "mutation ($id: String!, $items: [CartItemInput!]!) { addProductsToCart(cartId: $id,"
        " cartItems: $items) { user_errors { code } } }",
        {
            "id": cart,
            "items": [{"sku": "MS-TEE", "quantity": 1, "selected_options": tee.option("Red", "M")}],
        },
    )
    assert added.data == {"addProductsToCart": {"user_errors": []}}, added.errors
    line = {
        "product": {"thumbnail": {"url": urls["MS-TEE"]}},
        "configured_variant": {"thumbnail": {"url": urls["MS-TEE-RED-M"]}},
    }

    before = await gql(client, CART_THUMBNAILS, {"id": cart})
    switched = await gql(client, SAVE_CONFIG, {"value": "itself"}, token=admin_token)
    after = await gql(client, CART_THUMBNAILS, {"id": cart})
    refused = await gql(client, SAVE_CONFIG, {"value": "child"}, token=admin_token)
    restored = await gql(client, SAVE_CONFIG, {"value": None}, token=admin_token)

    assert before.data == {
        "storeConfig": {"configurable_thumbnail_source": "parent"},
        "cart": {"items": [line]},
    }, before.errors
    assert switched.data == {
        "adminSaveConfig": {"config": {"value": "itself"}, "user_errors": []}
    }, switched.errors
    assert after.data == {
        "storeConfig": {"configurable_thumbnail_source": "itself"},
        "cart": {"items": [line]},
    }
    assert refused.data == {
        "adminSaveConfig": {
            "config": None,
            "user_errors": [
                {
                    "code": "INVALID",
                    "message": '"checkout/cart/configurable_product_image" takes parent or itself.',
                    "path": "input.value",
                }
            ],
        }
    }
    assert restored.data == {"adminSaveConfig": {"config": {"value": "parent"}, "user_errors": []}}


# --- listings filtered by the children's values ----------------------------------------------

LISTING = """
query ($filter: ProductAttributeFilterInput) {
  products(filter: $filter) {
    total_count
    items { sku }
    aggregations { attribute_code count options { label value count } }
  }
}
"""


async def polo_and_cap(tee: Tee) -> None:
    """A Polo (Red-S, Red-M, Blue-S sold out) and a simple red Cap, in Tops with the Tee."""
    polo = await simple(
        "MS-POLO", "0", type_id=ProductType.CONFIGURABLE, visibility=Visibility.BOTH
    )
    children = []
    for color, size, stock in (("Red", "S", True), ("Red", "M", True), ("Blue", "S", False)):
        sku = f"MS-POLO-{color.upper()}-{size}"
        children.append(sku)
        await simple(
            sku,
            "30",
            in_stock=stock,
            values={tee.color: tee.colors[color], tee.size: tee.sizes[size]},
        )
    await configurable.set_configuration(
        polo.entity_id,
        ConfigurableChanges([AttributeChoice("color", 0), AttributeChoice("size", 1)], children),
    )
    cap = await simple(
        "MS-CAP", "12", visibility=Visibility.BOTH, values={tee.color: tee.colors["Red"]}
    )
    for product_id in (polo.entity_id, cap.entity_id):
        await catalog.update_product(product_id, catalog.ProductChanges(category_ids=(tee.tops,)))


def bucket(label: str, value: int, count: int) -> dict[str, Any]:
    return {"label": label, "value": str(value), "count": count}


async def test_a_listing_filtered_by_color_and_size_finds_parents_through_their_children(
    client: Any, tee: Tee
) -> None:
    """Magento indexes a parent with the values of the children a shopper can buy, attribute by
    attribute: Blue finds only the Tee (the Polo's blue child is sold out); Blue and M find the
    Tee too (Blue-S is blue, Red-M is M), although its Blue-M is sold out. Aggregations count
    parents: Red is held by 4 salable children and the Cap, 3 products."""
    await polo_and_cap(tee)
    tops = {"eq": encode_uid(tee.tops)}

    async def listing(**filters: Any) -> Any:
        response = await gql(client, LISTING, {"filter": {"category_uid": tops, **filters}})
        assert response.errors == [], response.errors
        found = response.data["products"]  # type: ignore[index]
        found["aggregations"] = {
            a["attribute_code"]: (a["count"], a["options"])
            for a in found["aggregations"]
            if a["attribute_code"] in {"color", "size"}
        }
        return found

    red, blue = tee.colors["Red"], tee.colors["Blue"]
    small, medium = tee.sizes["S"], tee.sizes["M"]
    assert await listing() == {
        "total_count": 3,
        "items": [{"sku": "MS-TEE"}, {"sku": "MS-POLO"}, {"sku": "MS-CAP"}],
        "aggregations": {
            "color": (2, [bucket("Red", red, 3), bucket("Blue", blue, 1)]),
            "size": (2, [bucket("S", small, 2), bucket("M", medium, 2)]),
        },
    }
    assert await listing(color={"eq": str(blue)}) == {
        "total_count": 1,
        "items": [{"sku": "MS-TEE"}],
        "aggregations": {
            "color": (2, [bucket("Red", red, 1), bucket("Blue", blue, 1)]),
            "size": (2, [bucket("S", small, 1), bucket("M", medium, 1)]),
        },
    }
    blue_m = await listing(color={"eq": str(blue)}, size={"in": [str(medium)]})
    assert (blue_m["total_count"], blue_m["items"]) == (1, [{"sku": "MS-TEE"}])
    red_sized = await listing(color={"in": [str(red)]}, size={"in": [str(small), str(medium)]})
    assert (red_sized["total_count"], red_sized["items"]) == (
        2,
        [{"sku": "MS-TEE"}, {"sku": "MS-POLO"}],
    )
    for nothing in ({"color": {"eq": "999999"}}, {"size": {"in": ["abc"]}}):
        empty = await listing(**nothing)
        assert (empty["total_count"], empty["items"], empty["aggregations"]) == (0, [], {})


async def test_a_sold_out_child_no_longer_finds_its_parent(client: Any, tee: Tee) -> None:
    """Selling out Blue-S leaves the Tee without a blue child to sell."""
    blue = {"category_uid": {"eq": encode_uid(tee.tops)}, "color": {"eq": str(tee.colors["Blue"])}}
    before = await gql(client, LISTING, {"filter": blue})
    await catalog.update_product(
        tee.children["MS-TEE-BLUE-S"].entity_id, catalog.ProductChanges(is_in_stock=False)
    )
    after = await gql(client, LISTING, {"filter": blue})
    assert before.data["products"]["total_count"] == 1  # type: ignore[index]
    assert after.data["products"] == {"total_count": 0, "items": [], "aggregations": []}  # type: ignore[index]


# --- Venia's product page --------------------------------------------------------------------

# Venia's `ProductDetailsFragment` (venia-ui 11.7) with the fields of this module.
VENIA_PRODUCT_DETAILS = """
query getProductDetailForProductPage($urlKey: String!) {
  products(filter: { url_key: { eq: $urlKey } }) {
    items { uid ...ProductDetailsFragment }
  }
}
fragment CustomAttributesFragment on CustomAttribute {
  selected_attribute_options { attribute_option { uid label is_default } }
  entered_attribute_value { value }
  attribute_metadata {
    uid code label data_type is_system entity_type
    ui_input { ui_input_type is_html_allowed }
    ... on ProductAttributeMetadata { used_in_components }
  }
}
fragment ProductDetailsFragment on ProductInterface {
  __typename
  categories { uid breadcrumbs { category_uid } }
  description { html }
  short_description { html }
  uid
  media_gallery_entries { uid label position disabled file }
  meta_description
  name
  price { regularPrice { amount { currency value } } }
  price_range { maximum_price { final_price { currency value } discount { amount_off } } }
  sku
  small_image { url }
  stock_status
  url_key
  custom_attributes { ...CustomAttributesFragment }
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
        media_gallery_entries { uid disabled file label position }
        price { regularPrice { amount { currency value } } }
        price_range { maximum_price { final_price { currency value } discount { amount_off } } }
        custom_attributes { ...CustomAttributesFragment }
      }
    }
  }
}
"""


def test_venias_product_page_document_validates_against_magentos_schema_and_ours() -> None:
    for name, schema in _schemas():
        assert graphql.validate(schema, graphql.parse(VENIA_PRODUCT_DETAILS)) == [], name


async def test_venias_product_page_reads_the_texts_and_prices(client: Any, tee: Tee) -> None:
    await catalog.update_product(
        tee.parent.entity_id,
        catalog.ProductChanges(description="<p>Soft cotton.</p>", meta_description="A soft tee."),
    )
    response = await gql(client, VENIA_PRODUCT_DETAILS, {"urlKey": "ms-tee"})
    assert response.errors == [], response.errors
    item = response.data["products"]["items"][0]  # type: ignore[index]
    assert (item["description"], item["short_description"], item["meta_description"]) == (
        {"html": "<p>Soft cotton.</p>"},
        None,
        "A soft tee.",
    )
    # The lowest regular price of the three buyable children (20.00, 22.00, 24.00).
    assert item["price"] == {"regularPrice": {"amount": {"currency": "USD", "value": 20.0}}}
    assert [
        (v["product"]["sku"], v["product"]["price"]["regularPrice"]["amount"]["value"])
        for v in item["variants"]
    ] == [("MS-TEE-RED-S", 20.0), ("MS-TEE-RED-M", 22.0), ("MS-TEE-BLUE-S", 24.0)]
    assert item["custom_attributes"] == []
    assert [
        [a["attribute_metadata"]["code"] for a in v["product"]["custom_attributes"]]
        for v in item["variants"]
    ] == [["color", "size"]] * 3


# --- the engine ------------------------------------------------------------------------------


async def test_a_store_views_text_wins_over_the_default(tee: Tee) -> None:
    await catalog.update_product(
        tee.parent.entity_id,
        catalog.ProductChanges(description="<p>Default.</p>", meta_title="Tee"),
    )
    description = await EavAttribute.get(
        entity_type_id=EntityType.CATALOG_PRODUCT, attribute_code="description"
    )
    await CatalogProductEntityText.create(
        attribute_id=description.attribute_id,
        store_id=1,
        entity_id=tee.parent.entity_id,
        value="<p>Store view 1.</p>",
    )
    default, store_one, store_two = [
        (await product_attributes.load_texts([tee.parent.entity_id], store))[0]
        for store in (0, 1, 2)
    ]
    assert default == {"description": "<p>Default.</p>", "meta_title": "Tee"}
    assert store_one == {"description": "<p>Store view 1.</p>", "meta_title": "Tee"}
    assert store_two == default


async def test_a_selection_narrows_to_the_buyable_children_carrying_it(tee: Tee) -> None:
    config = await configurable.configuration_of(tee.parent.entity_id, 1, 1)

    def skus(selection: dict[int, int]) -> list[str]:
        return [v.product.sku for v in config.narrowed_to(selection)]

    assert skus({}) == ["MS-TEE-RED-S", "MS-TEE-RED-M", "MS-TEE-BLUE-S"]
    assert skus({tee.color: tee.colors["Blue"]}) == ["MS-TEE-BLUE-S"]  # Blue-M is sold out
    assert skus({tee.size: tee.sizes["M"]}) == ["MS-TEE-RED-M"]
    assert skus({tee.color: tee.colors["Blue"], tee.size: tee.sizes["M"]}) == []


async def test_the_engine_filter_by_option_ids(tee: Tee) -> None:
    """`ProductSearch.attribute_options`, each attribute on its own; an unknown attribute code
    or no option id matches nothing."""

    async def skus(*options: tuple[str, tuple[int, ...]]) -> list[str]:
        page = await catalog.search_products(
            1,
            catalog.ProductSearch(category_ids=(tee.tops,), attribute_options=options),
            (),
            PageRequest(20, 1),
            date(2026, 1, 1),
            show_out_of_stock=False,
        )
        return [p.sku for p in page.items]

    blue, medium = tee.colors["Blue"], tee.sizes["M"]
    assert await skus() == ["MS-TEE"]
    assert await skus(("color", (blue,))) == ["MS-TEE"]
    assert await skus(("color", (blue,)), ("size", (medium,))) == ["MS-TEE"]
    assert await skus(("color", ())) == []
    assert await skus(("material", (blue,))) == []


def test_product_prices_come_from_the_price_range() -> None:
    """regularPrice is the minimum's regular price; minimal and maximal the final prices."""
    low = ProductPrice(
        discount=None,
        final_price=Money(currency="USD", value=18.0),
        fixed_product_taxes=[],
        regular_price=Money(currency="USD", value=20.0),
    )
    high = ProductPrice(
        discount=None,
        final_price=Money(currency="USD", value=19.8),
        fixed_product_taxes=[],
        regular_price=Money(currency="USD", value=24.0),
    )
    prices = ProductPrices.of(PriceRange(minimum_price=low, maximum_price=high))
    assert (
        prices.regularPrice and prices.regularPrice.amount,
        prices.minimalPrice and prices.minimalPrice.amount,
        prices.maximalPrice and prices.maximalPrice.amount,
    ) == (low.regular_price, low.final_price, high.final_price)
