"""The storefront catalog: `products`, `categories` and `categoryList`, through HTTP."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from engine import catalog, prices
from engine.catalog import CategoryChanges, ProductChanges
from engine.stores import invalidate_stores
from graph.uids import encode_uid
from models import CatalogCategoryEntity, CoreConfigData
from models.catalog import ProductStatus, ProductType, Visibility
from tests.graphql import gql

TODAY = prices.local_today("America/Chicago")

PRODUCTS = """
query ($search: String, $filter: ProductAttributeFilterInput, $pageSize: Int, $currentPage: Int,
       $sort: ProductAttributeSortInput) {
  products(search: $search, filter: $filter, pageSize: $pageSize, currentPage: $currentPage,
           sort: $sort) {
    total_count
    page_info { current_page page_size total_pages }
    items { sku }
  }
}
"""

PRODUCT_DETAILS = """
query ($filter: ProductAttributeFilterInput) {
  products(filter: $filter) {
    items {
      __typename uid id sku name type_id url_key special_price special_from_date special_to_date
      stock_status price_tiers { quantity }
      categories { uid name level path position }
      price_range {
        minimum_price {
          regular_price { value currency } final_price { value currency }
          discount { amount_off percent_off } fixed_product_taxes { label }
        }
        maximum_price { final_price { value } }
      }
    }
  }
}
"""

CATEGORIES = """
query ($filters: CategoryFilterInput, $pageSize: Int, $currentPage: Int) {
  categories(filters: $filters, pageSize: $pageSize, currentPage: $currentPage) {
    total_count
    page_info { current_page page_size total_pages }
    items {
      uid name level path position url_key children_count
      children { name url_key children { name } }
      products { total_count items { sku } }
    }
  }
}
"""


async def make_category(name: str, parent_id: int = 2, **kwargs: Any) -> CatalogCategoryEntity:
    return await catalog.create_category(CategoryChanges(name=name, parent_id=parent_id, **kwargs))


async def make_product(sku: str, price: str = "10", **kwargs: Any) -> int:
    kwargs.setdefault("name", sku.title())
    kwargs.setdefault("qty", Decimal(5))
    details = await catalog.create_product(ProductChanges(sku=sku, price=Decimal(price), **kwargs))
    return details.product.entity_id


async def skus(client: Any, **variables: Any) -> list[str]:
    response = await gql(client, PRODUCTS, variables)
    assert response.errors == []
    assert response.data is not None
    return [item["sku"] for item in response.data["products"]["items"]]


async def test_a_product_in_magentos_shape(client: Any) -> None:
    shirts = await make_category("Shirts")
    product_id = await make_product(
        "shirt-1",
        "30",
        name="Blue Shirt",
        special_price=Decimal("19.99"),
        special_from_date=TODAY - timedelta(days=2),
        special_to_date=TODAY + timedelta(days=2),
        category_ids=(shirts.entity_id,),
    )
    response = await gql(client, PRODUCT_DETAILS, {"filter": {"sku": {"eq": "shirt-1"}}})
    assert response.errors == []
    assert response.data == {
        "products": {
            "items": [
                {
                    "__typename": "SimpleProduct",
                    "uid": encode_uid(product_id),
                    "id": product_id,
                    "sku": "shirt-1",
                    "name": "Blue Shirt",
                    "type_id": "simple",
                    "url_key": "blue-shirt",
                    "special_price": 19.99,
                    "special_from_date": f"{TODAY - timedelta(days=2)} 00:00:00",
                    "special_to_date": f"{TODAY + timedelta(days=2)} 00:00:00",
                    "stock_status": "IN_STOCK",
                    "price_tiers": [],
                    "categories": [
                        {
                            "uid": encode_uid(shirts.entity_id),
                            "name": "Shirts",
                            "level": 2,
                            "path": f"1/2/{shirts.entity_id}",
                            "position": 1,
                        }
                    ],
                    "price_range": {
                        "minimum_price": {
                            "regular_price": {"value": 30.0, "currency": "USD"},
                            "final_price": {"value": 19.99, "currency": "USD"},
                            # 10.01 / 30 = 33.3666...%, rounded to 2 decimals as Magento
                            "discount": {"amount_off": 10.01, "percent_off": 33.37},
                            "fixed_product_taxes": [],
                        },
                        "maximum_price": {"final_price": {"value": 19.99}},
                    },
                }
            ]
        }
    }


async def test_special_price_outside_its_dates_or_higher_is_ignored(client: Any) -> None:
    await make_product(
        "expired", "20", special_price=Decimal("5"), special_to_date=TODAY - timedelta(days=1)
    )
    await make_product(
        "future", "20", special_price=Decimal("5"), special_from_date=TODAY + timedelta(days=1)
    )
    await make_product("higher", "20", special_price=Decimal("25"))
    await make_product("open", "20", special_price=Decimal("5"))
    response = await gql(
        client,
        '{ products(filter: {price: {from: "0"}}, sort: {name: ASC}) { items { sku '
        "price_range { minimum_price { final_price { value } "
        "discount { amount_off percent_off } } } } } }",
    )
    assert response.errors == []
    assert response.data is not None
    assert [
        (
            i["sku"],
            i["price_range"]["minimum_price"]["final_price"]["value"],
            i["price_range"]["minimum_price"]["discount"],
        )
        for i in response.data["products"]["items"]
    ] == [
        ("expired", 20.0, {"amount_off": 0.0, "percent_off": 0.0}),
        ("future", 20.0, {"amount_off": 0.0, "percent_off": 0.0}),
        ("higher", 20.0, {"amount_off": 0.0, "percent_off": 0.0}),
        ("open", 5.0, {"amount_off": 15.0, "percent_off": 75.0}),
    ]


async def test_only_enabled_visible_products_of_the_website_are_listed(client: Any) -> None:
    await make_product("visible")
    await make_product("disabled", status=ProductStatus.DISABLED)
    await make_product("hidden", visibility=Visibility.NOT_VISIBLE)
    await make_product("search-only", visibility=Visibility.IN_SEARCH)
    await make_product("catalog-only", visibility=Visibility.IN_CATALOG)
    await make_product("no-website", website_ids=())
    assert await skus(client, filter={"price": {"from": "0"}}) == ["visible", "catalog-only"]
    # A text search shows what is visible in search instead.
    assert await skus(client, search="l", sort={"name": "ASC"}) == ["search-only", "visible"]


async def test_filters_by_sku_name_url_key_and_final_price(client: Any) -> None:
    await make_product("a-1", "10", name="Red Mug")
    await make_product("a-2", "20", name="Blue Mug", url_key="blue-cup")
    await make_product("a-3", "40", name="Red Plate", special_price=Decimal("15"))
    assert await skus(client, filter={"sku": {"in": ["a-1", "a-3", "zzz"]}}) == ["a-1", "a-3"]
    assert await skus(client, filter={"sku": {"eq": "a-2"}}) == ["a-2"]
    assert await skus(client, filter={"name": {"match": "red"}}) == ["a-1", "a-3"]
    assert await skus(client, filter={"name": {"match": "MUG red"}}) == ["a-1"]
    assert await skus(client, filter={"url_key": {"eq": "blue-cup"}}) == ["a-2"]
    # The price range is inclusive and reads the final price (a-3 sells at 15).
    assert await skus(client, filter={"price": {"from": "10", "to": "15"}}) == ["a-1", "a-3"]
    assert await skus(client, filter={"price": {"from": "16"}}) == ["a-2"]


async def test_search_matches_every_word_in_name_or_sku_by_relevance(client: Any) -> None:
    await make_product("mug-red", name="Big Red Mug")
    await make_product("red", name="Paint")
    await make_product("plate", name="Red Plate")
    await make_product("bowl", name="Bowl")
    assert await skus(client, search="red") == ["red", "plate", "mug-red"]
    assert await skus(client, search="RED mug") == ["mug-red"]
    assert await skus(client, search="red", sort={"relevance": "ASC"}) == [
        "mug-red",
        "plate",
        "red",
    ]


async def test_sorts_and_pages(client: Any) -> None:
    await make_product("c", "30", name="apple")
    await make_product("a", "10", name="Cherry")
    await make_product("b", "20", name="banana", special_price=Decimal("5"))
    assert await skus(client, sort={"name": "ASC"}) == ["c", "b", "a"]
    assert await skus(client, sort={"price": "DESC"}) == ["c", "a", "b"]
    response = await gql(
        client, PRODUCTS, {"pageSize": 2, "currentPage": 2, "sort": {"price": "ASC"}}
    )
    assert response.data == {
        "products": {
            "total_count": 3,
            "page_info": {"current_page": 2, "page_size": 2, "total_pages": 2},
            "items": [{"sku": "c"}],
        }
    }
    response = await gql(client, PRODUCTS, {"currentPage": 3, "pageSize": 2})
    assert response.messages == [
        "currentPage value 3 specified is greater than the 2 page(s) available."
    ]
    assert response.categories == ["graphql-input"]


async def test_category_filter_includes_subcategories_in_position_order(client: Any) -> None:
    men = await make_category("Men")
    shirts = await make_category("Shirts", parent_id=men.entity_id)
    other = await make_category("Other")
    await make_product("p1", category_ids=(shirts.entity_id,))
    await make_product("p2", category_ids=(men.entity_id,))
    await make_product("p3", category_ids=(other.entity_id,))
    await catalog.CatalogCategoryProduct.filter(product__sku="p1").update(position=1)
    await catalog.CatalogCategoryProduct.filter(product__sku="p2").update(position=2)
    men_uid = encode_uid(men.entity_id)
    assert await skus(client, filter={"category_uid": {"eq": men_uid}}) == ["p1", "p2"]
    assert await skus(
        client, filter={"category_uid": {"eq": men_uid}}, sort={"position": "DESC"}
    ) == ["p2", "p1"]
    assert await skus(client, filter={"category_uid": {"eq": encode_uid(shirts.entity_id)}}) == [
        "p1"
    ]
    assert await skus(client, filter={"category_id": {"in": [str(other.entity_id)]}}) == ["p3"]


async def test_stock_status_follows_the_stock_item(client: Any, services: Any) -> None:
    await make_product("none-left", qty=Decimal(0))
    await make_product("plenty", qty=Decimal(3))
    query = "{ products(sort: {name: ASC}) { items { sku stock_status } } }"
    # cataloginventory/options/show_out_of_stock is off by default: listings leave it out.
    response = await gql(client, query)
    assert response.data == {"products": {"items": [{"sku": "plenty", "stock_status": "IN_STOCK"}]}}
    await CoreConfigData.create(
        scope="default", scope_id=0, path="cataloginventory/options/show_out_of_stock", value="1"
    )
    await invalidate_stores(services.cache)
    response = await gql(client, query)
    assert response.data == {
        "products": {
            "items": [
                {"sku": "none-left", "stock_status": "OUT_OF_STOCK"},
                {"sku": "plenty", "stock_status": "IN_STOCK"},
            ]
        }
    }


async def test_virtual_products_are_virtual_product(client: Any) -> None:
    await make_product("ebook", type_id=ProductType.VIRTUAL)
    response = await gql(
        client, "{ products { items { __typename sku ... on VirtualProduct { type_id } } } }"
    )
    assert response.data == {
        "products": {
            "items": [{"__typename": "VirtualProduct", "sku": "ebook", "type_id": "virtual"}]
        }
    }


async def test_bad_filters_are_input_errors(client: Any) -> None:
    response = await gql(client, PRODUCTS, {"filter": {"price": {"from": "cheap"}}})
    assert response.messages == ['Invalid value "cheap" of the price filter.']
    assert response.categories == ["graphql-input"]
    response = await gql(client, PRODUCTS, {"filter": {"category_uid": {"eq": "nope"}}})
    assert response.messages == ['Value of uid "nope" is incorrect.']
    response = await gql(client, PRODUCTS, {"pageSize": 0})
    assert response.messages == ["pageSize value must be greater than 0."]


async def test_categories_without_filters_is_the_store_root(client: Any) -> None:
    men = await make_category("Men")
    shirts = await make_category("Shirts", parent_id=men.entity_id)
    await make_category("Women")
    await make_category("Hidden", is_active=False)
    await make_product("p1", category_ids=(shirts.entity_id,))
    response = await gql(client, CATEGORIES)
    assert response.errors == []
    assert response.data == {
        "categories": {
            "total_count": 1,
            "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
            "items": [
                {
                    "uid": encode_uid(2),
                    "name": "Default Category",
                    "level": 1,
                    "path": "1/2",
                    "position": 1,
                    "url_key": None,
                    "children_count": "4",
                    "children": [
                        {"name": "Men", "url_key": "men", "children": [{"name": "Shirts"}]},
                        {"name": "Women", "url_key": "women", "children": []},
                    ],
                    "products": {"total_count": 1, "items": [{"sku": "p1"}]},
                }
            ],
        }
    }


async def test_categories_filters(client: Any) -> None:
    men = await make_category("Men")
    shirts = await make_category("Shirts", parent_id=men.entity_id)
    await make_category("Shirts Sale", parent_id=men.entity_id, url_key="sale")
    await make_category("Hidden", is_active=False)

    async def names(filters: dict[str, Any]) -> list[str]:
        response = await gql(client, CATEGORIES, {"filters": filters})
        assert response.errors == []
        assert response.data is not None
        return [c["name"] for c in response.data["categories"]["items"]]

    assert await names({"parent_category_uid": {"eq": encode_uid(men.entity_id)}}) == [
        "Shirts",
        "Shirts Sale",
    ]
    assert await names({"name": {"match": "shirts"}}) == ["Shirts", "Shirts Sale"]
    assert await names({"url_path": {"eq": "men/sale"}}) == ["Shirts Sale"]
    assert await names({"category_uid": {"in": [encode_uid(shirts.entity_id)]}}) == ["Shirts"]
    assert await names({"ids": {"eq": str(men.entity_id)}}) == ["Men"]
    assert await names({"name": {"match": "hidden"}}) == []
    response = await gql(
        client,
        "query ($f: CategoryFilterInput) { categoryList(filters: $f) { name level } }",
        {"f": {"url_key": {"eq": "shirts"}}},
    )
    assert response.data == {"categoryList": [{"name": "Shirts", "level": 3}]}


async def test_lists_load_product_fields_in_batches(client: Any, monkeypatch: Any) -> None:
    shirts = await make_category("Shirts")
    for n in range(4):
        await make_product(f"p{n}", category_ids=(shirts.entity_id,))
    calls: list[int] = []
    original = catalog.load_product_categories

    async def counting(ids: Any) -> Any:
        calls.append(len(ids))
        return await original(ids)

    monkeypatch.setattr(catalog, "load_product_categories", counting)
    response = await gql(client, "{ products { items { sku categories { name } } } }")
    assert response.errors == []
    assert calls == [4]


async def test_category_url_path_and_description_filters(client: Any) -> None:
    men = await make_category("Men")
    shirts = await make_category("Shirts", parent_id=men.entity_id)
    await make_product("p1", category_ids=(shirts.entity_id,))
    await make_product("p2")
    assert await skus(client, filter={"category_url_path": {"eq": "men/shirts"}}) == ["p1"]
    assert await skus(client, filter={"category_url_path": {"eq": "men"}}) == ["p1"]
    assert await skus(client, filter={"category_url_path": {"eq": "shirts"}}) == []
    # No product has a description, so a description filter matches none.
    assert await skus(client, filter={"description": {"match": "cotton"}}) == []
