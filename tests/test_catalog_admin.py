"""Admin catalog: products (create, update, delete, list, bulk upsert), categories (tree, move,
delete) and product custom attributes, through HTTP with an admin token."""

from __future__ import annotations

from typing import Any

from graph.uids import encode_uid
from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductWebsite,
)
from tests.graphql import gql

PRODUCT_FIELDS = """
uid sku name type_id attribute_set_id url_key price special_price special_from_date
special_to_date weight visibility status tax_class_id website_uids category_uids qty is_in_stock
custom_attributes { code ... on AttributeValue { value }
  ... on AttributeSelectedOptions { selected_options { label value } } }
"""
CREATE = f"""
mutation ($input: ProductCreateInput!) {{
  adminCreateProduct(input: $input) {{
    product {{ {PRODUCT_FIELDS} }} user_errors {{ code message path }}
  }}
}}
"""
UPDATE = f"""
mutation ($uid: ID!, $input: ProductUpdateInput!) {{
  adminUpdateProduct(uid: $uid, input: $input) {{
    product {{ {PRODUCT_FIELDS} }} user_errors {{ code message path }}
  }}
}}
"""
UPSERT = """
mutation ($input: [ProductUpsertInput!]!) {
  adminUpsertProducts(input: $input) { products { sku name price qty is_in_stock }
    user_errors { code message path } }
}
"""
LIST = """
query ($filter: AdminProductFilterInput, $pageSize: Int! = 20, $currentPage: Int! = 1) {
  adminProducts(filter: $filter, pageSize: $pageSize, currentPage: $currentPage) {
    total_count page_info { current_page total_pages } items { sku }
  }
}
"""
CREATE_CATEGORY = """
mutation ($input: CategoryCreateInput!) {
  adminCreateCategory(input: $input) {
    category { uid id name path level position children_count url_key }
    user_errors { code message path }
  }
}
"""
UPDATE_CATEGORY = """
mutation ($uid: ID!, $input: CategoryUpdateInput!) {
  adminUpdateCategory(uid: $uid, input: $input) {
    category { id path level position children_count } user_errors { code message path }
  }
}
"""
TREE = """
query ($root: ID) {
  adminCategoryTree(root_uid: $root) {
    name children_count product_count
    children { name path level children_count children { name path level } }
  }
}
"""


async def counts() -> tuple[int, ...]:
    return tuple(
        [
            await model.all().count()
            for model in (
                CatalogProductEntity,
                CatalogProductWebsite,
                CatalogCategoryProduct,
                CataloginventoryStockItem,
                CatalogCategoryEntity,
            )
        ]
    )


async def create_category(client: Any, token: str, **input: Any) -> dict[str, Any]:
    response = await gql(client, CREATE_CATEGORY, {"input": input}, token=token)
    assert response.errors == []
    assert response.data is not None
    out = response.data["adminCreateCategory"]
    assert out["user_errors"] == []
    category: dict[str, Any] = out["category"]
    return category


async def create_product(client: Any, token: str, **input: Any) -> dict[str, Any]:
    response = await gql(client, CREATE, {"input": input}, token=token)
    assert response.errors == []
    assert response.data is not None
    out = response.data["adminCreateProduct"]
    assert out["user_errors"] == []
    product: dict[str, Any] = out["product"]
    return product


async def test_create_a_product_and_see_it_in_the_storefront(client: Any, admin_token: str) -> None:
    shirts = await create_category(client, admin_token, name="Shirts")
    product = await create_product(
        client,
        admin_token,
        sku="shirt-1",
        name="Blue Shirt",
        price=19.99,
        special_price=15,
        special_from_date="2020-01-01",
        weight=0.5,
        category_uids=[shirts["uid"]],
        qty=7,
    )
    assert {k: v for k, v in product.items() if k != "uid"} == {
        "sku": "shirt-1",
        "name": "Blue Shirt",
        "type_id": "SIMPLE",
        "attribute_set_id": 4,
        "url_key": "blue-shirt",
        "price": 19.99,
        "special_price": 15.0,
        "special_from_date": "2020-01-01",
        "special_to_date": None,
        "weight": 0.5,
        "visibility": "BOTH",
        "status": "ENABLED",
        "tax_class_id": 2,
        "website_uids": [encode_uid(1)],
        "category_uids": [shirts["uid"]],
        "qty": 7.0,
        "is_in_stock": True,
        "custom_attributes": [],
    }
    response = await gql(
        client,
        '{ products(search: "shirt") { items { sku price_range { minimum_price '
        "{ final_price { value } } } } } }",
    )
    assert response.data == {
        "products": {
            "items": [
                {
                    "sku": "shirt-1",
                    "price_range": {"minimum_price": {"final_price": {"value": 15.0}}},
                }
            ]
        }
    }


async def test_bad_product_input_reports_every_problem_and_writes_nothing(
    client: Any, admin_token: str
) -> None:
    await create_product(client, admin_token, sku="taken", name="Taken Thing", price=1)
    before = await counts()
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "sku": "taken",
                "name": " ",
                "price": -1,
                "special_price": -2,
                "special_from_date": "2024-02-01",
                "special_to_date": "2024-01-31",
                "url_key": "Taken Thing",
                "attribute_set_id": 99,
                "tax_class_id": 3,
                "website_uids": [encode_uid(7)],
                "category_uids": [encode_uid(999), "bad"],
            }
        },
        token=admin_token,
    )
    assert response.data == {
        "adminCreateProduct": {
            "product": None,
            "user_errors": [
                {
                    "code": "INVALID_UID",
                    "message": 'Value of uid "bad" is incorrect.',
                    "path": "input.category_uids.1",
                },
            ],
        }
    }
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "sku": "taken",
                "name": " ",
                "price": -1,
                "special_price": -2,
                "special_from_date": "2024-02-01",
                "special_to_date": "2024-01-31",
                "url_key": "Taken Thing",
                "attribute_set_id": 99,
                "tax_class_id": 3,
                "website_uids": [encode_uid(7)],
                "category_uids": [encode_uid(999)],
            }
        },
        token=admin_token,
    )
    assert response.data is not None
    assert response.data["adminCreateProduct"]["user_errors"] == [
        {
            "code": "REQUIRED",
            "message": 'The value of attribute "Product Name" must be set',
            "path": "input.name",
        },
        {
            "code": "ALREADY_EXISTS",
            "message": 'The value of the "SKU" attribute isn\'t unique',
            "path": "input.sku",
        },
        {
            "code": "INVALID",
            "message": "Please enter a number 0 or greater in this field.",
            "path": "input.price",
        },
        {
            "code": "INVALID",
            "message": "Please enter a number 0 or greater in this field.",
            "path": "input.special_price",
        },
        {
            "code": "INVALID",
            "message": "Make sure the To Date is later than or the same as the From Date.",
            "path": "input.special_to_date",
        },
        {
            "code": "ALREADY_EXISTS",
            "message": "The value specified in the URL Key field would generate a URL that already "
            "exists.",
            "path": "input.url_key",
        },
        {
            "code": "NOT_FOUND",
            "message": 'The attribute set with a "99" ID doesn\'t exist. Verify the attributeSet '
            "and try again.",
            "path": "input.attribute_set_id",
        },
        {
            "code": "NOT_FOUND",
            "message": "No such entity with class_id = 3",
            "path": "input.tax_class_id",
        },
        {
            "code": "NOT_FOUND",
            "message": "The website with id 7 that was requested wasn't found. Verify the website "
            "and try again.",
            "path": "input.website_uids.0",
        },
        {
            "code": "NOT_FOUND",
            "message": "No such entity with id = 999",
            "path": "input.category_uids.0",
        },
    ]
    assert await counts() == before


async def test_update_clears_and_replaces(client: Any, admin_token: str) -> None:
    a = await create_category(client, admin_token, name="A")
    b = await create_category(client, admin_token, name="B")
    product = await create_product(
        client, admin_token, sku="p", name="P", price=10, special_price=5, category_uids=[a["uid"]]
    )
    response = await gql(
        client,
        UPDATE,
        {
            "uid": product["uid"],
            "input": {"special_price": None, "category_uids": [b["uid"]], "qty": 0, "name": "Q"},
        },
        token=admin_token,
    )
    assert response.data is not None
    out = response.data["adminUpdateProduct"]
    assert out["user_errors"] == []
    assert (
        out["product"]["name"],
        out["product"]["special_price"],
        out["product"]["category_uids"],
        out["product"]["qty"],
        out["product"]["is_in_stock"],
        out["product"]["url_key"],
    ) == ("Q", None, [b["uid"]], 0.0, False, "p")
    response = await gql(
        client, UPDATE, {"uid": encode_uid(999), "input": {"name": "X"}}, token=admin_token
    )
    assert response.data is not None
    assert response.data["adminUpdateProduct"]["user_errors"] == [
        {
            "code": "NOT_FOUND",
            "message": "The product that was requested doesn't exist. Verify the product and try "
            "again.",
            "path": "uid",
        }
    ]


async def test_delete_a_product(client: Any, admin_token: str) -> None:
    product = await create_product(client, admin_token, sku="gone", name="Gone", price=1)
    delete = (
        "mutation ($uid: ID!) { adminDeleteProduct(uid: $uid) "
        "{ deleted_uid user_errors { code path } } }"
    )
    response = await gql(client, delete, {"uid": product["uid"]}, token=admin_token)
    assert response.data == {
        "adminDeleteProduct": {"deleted_uid": product["uid"], "user_errors": []}
    }
    assert await counts() == (0, 0, 0, 0, 2)
    response = await gql(client, delete, {"uid": product["uid"]}, token=admin_token)
    assert response.data == {
        "adminDeleteProduct": {
            "deleted_uid": None,
            "user_errors": [{"code": "NOT_FOUND", "path": "uid"}],
        }
    }


async def test_upsert_by_sku_is_all_or_nothing(client: Any, admin_token: str) -> None:
    await create_product(client, admin_token, sku="old", name="Old", price=1, qty=1)
    before = await counts()
    response = await gql(
        client,
        UPSERT,
        {
            "input": [
                {"sku": "old", "price": 2},
                {"sku": "new", "name": "New"},
                {"sku": "new2", "name": "New 2", "price": -1},
                {"sku": "old", "qty": 3},
            ]
        },
        token=admin_token,
    )
    assert response.data == {
        "adminUpsertProducts": {
            "products": [],
            "user_errors": [
                {
                    "code": "REQUIRED",
                    "message": 'The value of attribute "Price" must be set',
                    "path": "input.1.price",
                },
                {
                    "code": "INVALID",
                    "message": "Please enter a number 0 or greater in this field.",
                    "path": "input.2.price",
                },
                {
                    "code": "ALREADY_EXISTS",
                    "message": 'The value of the "SKU" attribute isn\'t unique',
                    "path": "input.3.sku",
                },
            ],
        }
    }
    assert await counts() == before
    response = await gql(
        client,
        UPSERT,
        {
            "input": [
                {"sku": "old", "price": 2, "qty": 0},
                {"sku": "new", "name": "New", "price": 3, "qty": 4},
            ]
        },
        token=admin_token,
    )
    assert response.data == {
        "adminUpsertProducts": {
            "products": [
                {"sku": "old", "name": "Old", "price": 2.0, "qty": 0.0, "is_in_stock": False},
                {"sku": "new", "name": "New", "price": 3.0, "qty": 4.0, "is_in_stock": True},
            ],
            "user_errors": [],
        }
    }


async def test_list_products_with_filters(client: Any, admin_token: str) -> None:
    shoes = await create_category(client, admin_token, name="Shoes")
    await create_product(
        client, admin_token, sku="s-1", name="Red Shoe", price=9.5, category_uids=[shoes["uid"]]
    )
    await create_product(
        client, admin_token, sku="s-2", name="Blue Shoe", price=10, status="DISABLED"
    )
    await create_product(client, admin_token, sku="e-1", name="Ebook", price=100, type_id="VIRTUAL")

    async def listed(filter_: dict[str, Any]) -> list[str]:
        response = await gql(client, LIST, {"filter": filter_}, token=admin_token)
        assert response.errors == []
        assert response.data is not None
        return [i["sku"] for i in response.data["adminProducts"]["items"]]

    assert await listed({}) == ["s-1", "s-2", "e-1"]
    assert await listed({"name": {"match": "shoe"}}) == ["s-1", "s-2"]
    assert await listed({"sku": {"in": ["e-1", "s-2"]}}) == ["s-2", "e-1"]
    assert await listed({"type_id": ["VIRTUAL"]}) == ["e-1"]
    assert await listed({"status": ["DISABLED"]}) == ["s-2"]
    assert await listed({"price": {"from": "9.5", "to": "10"}}) == ["s-1", "s-2"]
    assert await listed({"category_uid": {"eq": shoes["uid"]}}) == ["s-1"]
    response = await gql(client, LIST, {"pageSize": 2, "currentPage": 2}, token=admin_token)
    assert response.data == {
        "adminProducts": {
            "total_count": 3,
            "page_info": {"current_page": 2, "total_pages": 2},
            "items": [{"sku": "e-1"}],
        }
    }


async def test_category_tree_move_and_delete(client: Any, admin_token: str) -> None:
    men = await create_category(client, admin_token, name="Men")
    shirts = await create_category(client, admin_token, name="Shirts", parent_uid=men["uid"])
    tees = await create_category(client, admin_token, name="Tees", parent_uid=shirts["uid"])
    women = await create_category(client, admin_token, name="Women")
    assert (men["path"], men["level"], men["position"], men["url_key"]) == (
        f"1/2/{men['id']}",
        2,
        1,
        "men",
    )
    assert women["position"] == 2
    # Move Shirts (with Tees) under Women.
    response = await gql(
        client,
        UPDATE_CATEGORY,
        {"uid": shirts["uid"], "input": {"parent_uid": women["uid"]}},
        token=admin_token,
    )
    assert response.data == {
        "adminUpdateCategory": {
            "category": {
                "id": shirts["id"],
                "path": f"1/2/{women['id']}/{shirts['id']}",
                "level": 3,
                "position": 1,
                "children_count": 1,
            },
            "user_errors": [],
        }
    }
    response = await gql(client, TREE, {"root": encode_uid(2)}, token=admin_token)
    assert response.data == {
        "adminCategoryTree": {
            "name": "Default Category",
            "children_count": 4,
            "product_count": 0,
            "children": [
                {
                    "name": "Men",
                    "path": f"1/2/{men['id']}",
                    "level": 2,
                    "children_count": 0,
                    "children": [],
                },
                {
                    "name": "Women",
                    "path": f"1/2/{women['id']}",
                    "level": 2,
                    "children_count": 2,
                    "children": [
                        {"name": "Shirts", "path": f"1/2/{women['id']}/{shirts['id']}", "level": 3}
                    ],
                },
            ],
        }
    }
    assert (await CatalogCategoryEntity.get(entity_id=tees["id"])).path == (
        f"1/2/{women['id']}/{shirts['id']}/{tees['id']}"
    )
    # A category cannot move below itself.
    before = await counts()
    response = await gql(
        client,
        UPDATE_CATEGORY,
        {"uid": women["uid"], "input": {"parent_uid": tees["uid"]}},
        token=admin_token,
    )
    assert response.data == {
        "adminUpdateCategory": {
            "category": None,
            "user_errors": [
                {
                    "code": "INVALID",
                    "path": "input.parent_uid",
                    "message": "Operation do not allow to move a parent category to any "
                    "of children category",
                }
            ],
        }
    }
    assert await counts() == before
    delete = (
        "mutation ($uid: ID!) { adminDeleteCategory(uid: $uid) "
        "{ deleted_uids user_errors { code message path } } }"
    )
    response = await gql(client, delete, {"uid": women["uid"]}, token=admin_token)
    assert response.data == {
        "adminDeleteCategory": {
            "deleted_uids": [women["uid"], shirts["uid"], tees["uid"]],
            "user_errors": [],
        }
    }
    assert (await CatalogCategoryEntity.get(entity_id=2)).children_count == 1
    response = await gql(client, delete, {"uid": encode_uid(2)}, token=admin_token)
    assert response.data == {
        "adminDeleteCategory": {
            "deleted_uids": [],
            "user_errors": [
                {"code": "PROTECTED", "message": "Can't delete root category.", "path": "uid"}
            ],
        }
    }


async def test_category_validation(client: Any, admin_token: str) -> None:
    await create_category(client, admin_token, name="Sale")
    before = await counts()
    response = await gql(
        client, CREATE_CATEGORY, {"input": {"name": "Sale", "position": -1}}, token=admin_token
    )
    assert response.data is not None
    assert response.data["adminCreateCategory"]["user_errors"] == [
        {
            "code": "INVALID",
            "message": "Please enter a number 0 or greater in this field.",
            "path": "input.position",
        },
        {
            "code": "ALREADY_EXISTS",
            "message": "URL key for specified store already exists.",
            "path": "input.url_key",
        },
    ]
    response = await gql(
        client,
        CREATE_CATEGORY,
        {"input": {"name": "X", "parent_uid": encode_uid(999)}},
        token=admin_token,
    )
    assert response.data is not None
    assert response.data["adminCreateCategory"]["user_errors"] == [
        {
            "code": "NOT_FOUND",
            "message": "Sorry, but we can't find the new parent category you selected.",
            "path": "input.parent_uid",
        },
    ]
    assert await counts() == before


async def test_product_custom_attributes(client: Any, admin_token: str) -> None:
    response = await gql(
        client,
        """mutation { adminCreateCustomAttribute(input: {entity_type: CATALOG_PRODUCT,
          code: "color", frontend_input: SELECT, label: "Color", is_used_for_promo_rules: true,
          options: [{label: "Red"}, {label: "Blue", sort_order: 1}]}) {
            attribute { code entity_type is_used_for_promo_rules is_filterable
              options { value label } }
            user_errors { code message path } } }""",
        token=admin_token,
    )
    assert response.data is not None
    attribute = response.data["adminCreateCustomAttribute"]["attribute"]
    red, blue = (o["value"] for o in attribute["options"])
    assert attribute == {
        "code": "color",
        "entity_type": "CATALOG_PRODUCT",
        "is_used_for_promo_rules": True,
        "is_filterable": False,
        "options": [{"value": red, "label": "Red"}, {"value": blue, "label": "Blue"}],
    }
    product = await create_product(
        client,
        admin_token,
        sku="c",
        name="C",
        price=1,
        custom_attributes=[{"attribute_code": "color", "selected_options": [{"value": blue}]}],
    )
    assert product["custom_attributes"] == [
        {"code": "color", "selected_options": [{"label": "Blue", "value": blue}]}
    ]
    response = await gql(
        client,
        UPDATE,
        {
            "uid": product["uid"],
            "input": {
                "custom_attributes": [
                    {"attribute_code": "color", "selected_options": [{"value": "0"}]},
                    {"attribute_code": "size", "value": "L"},
                ]
            },
        },
        token=admin_token,
    )
    assert response.data is not None
    assert response.data["adminUpdateProduct"]["user_errors"] == [
        {
            "code": "INVALID",
            "message": '"0" is not a valid option of "color".',
            "path": "input.custom_attributes.0.selected_options",
        },
        {
            "code": "NOT_FOUND",
            "message": 'Attribute "size" is not a custom attribute of this entity.',
            "path": "input.custom_attributes.1.attribute_code",
        },
    ]
    response = await gql(
        client,
        "{ adminCustomAttributes(entity_type: CATALOG_PRODUCT) { code is_used_for_promo_rules } "
        "customers: adminCustomAttributes(entity_type: CUSTOMER) "
        "{ code is_used_for_promo_rules } }",
        token=admin_token,
    )
    assert response.data == {
        "adminCustomAttributes": [{"code": "color", "is_used_for_promo_rules": True}],
        "customers": [],
    }
    response = await gql(
        client,
        """mutation { adminCreateCustomAttribute(input: {entity_type: CUSTOMER, code: "x",
          frontend_input: TEXT, label: "X", is_used_for_promo_rules: true}) {
            user_errors { code message path } } }""",
        token=admin_token,
    )
    assert response.data == {
        "adminCreateCustomAttribute": {
            "user_errors": [
                {
                    "code": "INVALID",
                    "message": '"is_used_for_promo_rules" applies only to product attributes.',
                    "path": "input.is_used_for_promo_rules",
                }
            ]
        }
    }
