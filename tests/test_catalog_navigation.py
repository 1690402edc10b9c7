"""Layered navigation and category pages as Venia asks for them: `aggregations` (category,
price ranges, filterable attributes, with counts), `sort_fields`, breadcrumbs, the category
tree's display fields and URLs, and listings leaving out-of-stock products out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine import catalog
from engine.attributes import AttributeValueData
from engine.catalog import CategoryChanges, ProductChanges
from graph.uids import encode_uid
from models import (
    CatalogCategoryEntity,
    CatalogEavAttribute,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionValue,
    EntityType,
)
from models.attributes import BackendType, FrontendInput
from tests.graphql import gql

# Venia: packages/peregrine/lib/talons/FilterModal/filterModal.gql.js (category page)
FILTERS_BY_CATEGORY = """
query getProductFiltersByCategory($categoryIdFilter: FilterEqualTypeInput!) {
  products(filter: { category_uid: $categoryIdFilter }) {
    aggregations(filter: { category: { includeDirectChildrenOnly: true } }) {
      label
      count
      attribute_code
      options { label value }
      position
    }
  }
}
"""
# Venia: packages/peregrine/lib/talons/SearchPage/searchPage.gql.js
FILTERS_BY_SEARCH = """
query getProductFiltersBySearch($search: String!) {
  products(search: $search) {
    aggregations { label count attribute_code options { label value count } position }
  }
}
"""
CATEGORY_SORT_METHODS = """
query getCategoryAvailableSortMethods($categoryIdFilter: FilterEqualTypeInput!) {
  products(filter: { category_uid: $categoryIdFilter }) {
    sort_fields { options { label value } }
  }
}
"""
SEARCH_SORT_METHODS = """
query getSearchAvailableSortMethods($search: String!) {
  products(search: $search) { sort_fields { default options { label value } } }
}
"""
# Venia: packages/peregrine/lib/talons/Breadcrumbs/breadcrumbs.gql.js
BREADCRUMBS = """
query GetBreadcrumbs($category_id: String!) {
  categories(filters: { category_uid: { in: [$category_id] } }) {
    items {
      breadcrumbs { category_uid category_url_path category_name }
      uid
      name
      url_path
    }
  }
}
"""
# Venia: packages/peregrine/lib/talons/Navigation/navigation.gql.js
NAVIGATION_MENU = """
query GetNavigationMenu($id: String!) {
  categories(filters: { category_uid: { in: [$id] } }) {
    items {
      uid
      name
      children {
        children_count
        uid
        include_in_menu
        name
        position
        url_path
        url_suffix
      }
      children_count
      include_in_menu
      url_path
    }
  }
}
"""
# Venia: packages/peregrine/lib/talons/RootComponents/Category/category.gql.js
CATEGORY_DATA = """
query GetCategoryData($id: String!) {
  categories(filters: { category_uid: { in: [$id] } }) {
    items {
      uid
      name
      description
      url_key
      url_path
      display_mode
      image
      meta_title
      meta_keywords
      meta_description
      relative_url
      redirect_code
      type
    }
  }
}
"""


async def color_attribute() -> dict[str, str]:
    """A filterable select `color` with Red, Blue, Green: option ids by label."""
    attribute = await EavAttribute.create(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code="color",
        backend_type=BackendType.INT,
        frontend_input=FrontendInput.SELECT,
        frontend_label="Color",
    )
    await CatalogEavAttribute.create(attribute=attribute, is_filterable=True, position=20)
    ids = {}
    for order, label in enumerate(("Red", "Blue", "Green")):
        option = await EavAttributeOption.create(attribute=attribute, sort_order=order)
        await EavAttributeOptionValue.create(option=option, store_id=0, value=label)
        ids[label] = str(option.option_id)
    return ids


async def store() -> dict[str, int]:
    """Women > Tops, Bottoms, and Men > Tops; five products, one of them out of stock."""
    colors = await color_attribute()
    women = await catalog.create_category(CategoryChanges(name="Women", parent_id=2))
    tops = await catalog.create_category(CategoryChanges(name="Tops", parent_id=women.entity_id))
    bottoms = await catalog.create_category(
        CategoryChanges(name="Bottoms", parent_id=women.entity_id, include_in_menu=False)
    )
    men = await catalog.create_category(CategoryChanges(name="Men", parent_id=2))
    men_tops = await catalog.create_category(
        CategoryChanges(name="Tops", parent_id=men.entity_id, url_key="men-tops")
    )
    for sku, price, category, color, qty in (
        ("tee", "12", tops, "Red", 5),
        ("tank", "18.50", tops, "Blue", 5),
        ("jeans", "45", bottoms, "Blue", 5),
        ("skirt", "120", bottoms, "Red", 0),  # out of stock: not listed
        ("polo", "30", men_tops, "Green", 5),
    ):
        await catalog.create_product(
            ProductChanges(
                sku=sku,
                name=sku.title(),
                price=Decimal(price),
                qty=Decimal(qty),
                category_ids=(category.entity_id,),
                custom_attributes=(AttributeValueData("color", selected_options=(colors[color],)),),
            )
        )
    return {
        "women": women.entity_id,
        "tops": tops.entity_id,
        "bottoms": bottoms.entity_id,
        "men": men.entity_id,
        "men_tops": men_tops.entity_id,
        **{label: int(i) for label, i in colors.items()},
    }


async def test_category_page_filters_with_counts(client: Any) -> None:
    ids = await store()
    response = await gql(
        client, FILTERS_BY_CATEGORY, {"categoryIdFilter": {"eq": encode_uid(ids["women"])}}
    )
    assert response.errors == []
    assert response.data == {
        "products": {
            "aggregations": [
                {
                    "label": "Category",
                    "count": 2,
                    "attribute_code": "category_uid",
                    "options": [
                        {"label": "Tops", "value": encode_uid(ids["tops"])},
                        {"label": "Bottoms", "value": encode_uid(ids["bottoms"])},
                    ],
                    "position": None,
                },
                {
                    "label": "Price",
                    "count": 2,
                    "attribute_code": "price",
                    "options": [
                        {"label": "10-20", "value": "10_20"},
                        {"label": "40-50", "value": "40_50"},
                    ],
                    "position": None,
                },
                {
                    "label": "Color",
                    "count": 2,
                    "attribute_code": "color",
                    "options": [
                        {"label": "Red", "value": str(ids["Red"])},
                        {"label": "Blue", "value": str(ids["Blue"])},
                    ],
                    "position": 20,
                },
            ]
        }
    }


async def test_search_filters_count_every_match_at_every_level(client: Any) -> None:
    ids = await store()
    response = await gql(client, FILTERS_BY_SEARCH, {"search": "t"})  # tee, tank (skirt: none left)
    assert response.data == {
        "products": {
            "aggregations": [
                {
                    "label": "Category",
                    "count": 2,
                    "attribute_code": "category_uid",
                    "options": [
                        {"label": "Women", "value": encode_uid(ids["women"]), "count": 2},
                        {"label": "Tops", "value": encode_uid(ids["tops"]), "count": 2},
                    ],
                    "position": None,
                },
                {
                    "label": "Price",
                    "count": 1,
                    "attribute_code": "price",
                    "options": [{"label": "10-20", "value": "10_20", "count": 2}],
                    "position": None,
                },
                {
                    "label": "Color",
                    "count": 2,
                    "attribute_code": "color",
                    "options": [
                        {"label": "Red", "value": str(ids["Red"]), "count": 1},
                        {"label": "Blue", "value": str(ids["Blue"]), "count": 1},
                    ],
                    "position": 20,
                },
            ]
        }
    }


async def test_sort_fields_of_a_category_and_of_a_search(client: Any) -> None:
    ids = await store()
    category = await gql(
        client, CATEGORY_SORT_METHODS, {"categoryIdFilter": {"eq": encode_uid(ids["tops"])}}
    )
    assert category.data == {
        "products": {
            "sort_fields": {
                "options": [
                    {"label": "Position", "value": "position"},
                    {"label": "Product Name", "value": "name"},
                    {"label": "Price", "value": "price"},
                ]
            }
        }
    }
    search = await gql(client, SEARCH_SORT_METHODS, {"search": "tee"})
    assert search.data == {
        "products": {
            "sort_fields": {
                "default": "relevance",
                "options": [
                    {"label": "Relevance", "value": "relevance"},
                    {"label": "Position", "value": "position"},
                    {"label": "Product Name", "value": "name"},
                    {"label": "Price", "value": "price"},
                ],
            }
        }
    }


async def test_breadcrumbs_menu_and_category_page_fields(client: Any) -> None:
    ids = await store()
    await CatalogCategoryEntity.filter(entity_id=ids["tops"]).update(
        description="<p>Tees and tanks</p>",
        image="tops.png",
        meta_title="Women's tops",
        meta_keywords="tops, tees",
        meta_description="Tops for women",
    )
    crumbs = await gql(client, BREADCRUMBS, {"category_id": encode_uid(ids["tops"])})
    assert crumbs.data == {
        "categories": {
            "items": [
                {
                    "breadcrumbs": [
                        {
                            "category_uid": encode_uid(ids["women"]),
                            "category_url_path": "women",
                            "category_name": "Women",
                        }
                    ],
                    "uid": encode_uid(ids["tops"]),
                    "name": "Tops",
                    "url_path": "women/tops",
                }
            ]
        }
    }
    top = await gql(client, BREADCRUMBS, {"category_id": encode_uid(ids["women"])})
    assert top.data["categories"]["items"][0]["breadcrumbs"] is None  # type: ignore[index]
    menu = await gql(client, NAVIGATION_MENU, {"id": encode_uid(ids["women"])})
    assert menu.data == {
        "categories": {
            "items": [
                {
                    "uid": encode_uid(ids["women"]),
                    "name": "Women",
                    "children": [
                        {
                            "children_count": "0",
                            "uid": encode_uid(ids["tops"]),
                            "include_in_menu": 1,
                            "name": "Tops",
                            "position": 1,
                            "url_path": "women/tops",
                            "url_suffix": ".html",
                        },
                        {
                            "children_count": "0",
                            "uid": encode_uid(ids["bottoms"]),
                            "include_in_menu": 0,
                            "name": "Bottoms",
                            "position": 2,
                            "url_path": "women/bottoms",
                            "url_suffix": ".html",
                        },
                    ],
                    "children_count": "2",
                    "include_in_menu": 1,
                    "url_path": "women",
                }
            ]
        }
    }
    page = await gql(client, CATEGORY_DATA, {"id": encode_uid(ids["tops"])})
    assert page.data == {
        "categories": {
            "items": [
                {
                    "uid": encode_uid(ids["tops"]),
                    "name": "Tops",
                    "description": "<p>Tees and tanks</p>",
                    "url_key": "tops",
                    "url_path": "women/tops",
                    "display_mode": "PRODUCTS",
                    "image": "/media/catalog/category/tops.png",
                    "meta_title": "Women's tops",
                    "meta_keywords": "tops, tees",
                    "meta_description": "Tops for women",
                    "relative_url": "women/tops.html",
                    "redirect_code": 0,
                    "type": "CATEGORY",
                }
            ]
        }
    }


async def test_out_of_stock_products_are_not_listed_by_default(client: Any) -> None:
    ids = await store()
    query = """
    query ($id: String!) {
      categories(filters: { category_uid: { in: [$id] } }) {
        items { products { total_count items { sku } } }
      }
    }
    """
    response = await gql(client, query, {"id": encode_uid(ids["bottoms"])})
    assert response.data == {
        "categories": {"items": [{"products": {"total_count": 1, "items": [{"sku": "jeans"}]}}]}
    }


CREATE_CATEGORY = """
mutation ($input: CategoryCreateInput!) {
  adminCreateCategory(input: $input) {
    category { uid description image display_mode meta_title landing_page_uid }
    user_errors { code message path }
  }
}
"""


async def test_admins_set_the_display_fields(client: Any, admin_token: str) -> None:
    refused = await gql(
        client,
        CREATE_CATEGORY,
        {"input": {"name": "Sale", "display_mode": "GRID"}},
        token=admin_token,
    )
    assert refused.data == {
        "adminCreateCategory": {
            "category": None,
            "user_errors": [
                {
                    "code": "INVALID",
                    "message": "The display mode must be one of PRODUCTS, PAGE, PRODUCTS_AND_PAGE.",
                    "path": "input.display_mode",
                }
            ],
        }
    }
    created = await gql(
        client,
        CREATE_CATEGORY,
        {
            "input": {
                "name": "Sale",
                "description": "<p>Last chance</p>",
                "image": "sale.png",
                "display_mode": "PRODUCTS_AND_PAGE",
                "meta_title": "Sale",
            }
        },
        token=admin_token,
    )
    category = created.data["adminCreateCategory"]["category"]  # type: ignore[index]
    assert category == {
        "uid": category["uid"],
        "description": "<p>Last chance</p>",
        "image": "sale.png",
        "display_mode": "PRODUCTS_AND_PAGE",
        "meta_title": "Sale",
        "landing_page_uid": None,
    }
    page = await gql(client, CATEGORY_DATA, {"id": category["uid"]})
    item = page.data["categories"]["items"][0]  # type: ignore[index]
    assert (item["description"], item["image"], item["display_mode"], item["relative_url"]) == (
        "<p>Last chance</p>",
        "/media/catalog/category/sale.png",
        "PRODUCTS_AND_PAGE",
        "sale.html",
    )
