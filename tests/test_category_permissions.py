"""Category permissions (Adobe Commerce `Magento_CatalogPermissions`) through HTTP: admin rows,
resolution (specific rows, inheritance, configured defaults), and what the storefront's
`products`, `categories`, prices and `addProductsToCart` make of them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine import catalog
from engine.catalog import CategoryChanges, ProductChanges
from engine.permissions import Catalog, CategoryNode, Grants, Rule, resolve
from graph.uids import encode_uid
from models import (
    CatalogCategoryEntity,
    CatalogProductEntityTierPrice,
    Grant,
    MagentoCatalogpermissions,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql

GUESTS, GENERAL, WHOLESALE = 0, 1, 2
NAMES = {0: "NOT LOGGED IN", 1: "General", 2: "Wholesale"}

SET = """
mutation ($category: ID!, $rows: [CategoryPermissionInput!]!) {
  adminSetCategoryPermissions(category_uid: $category, permissions: $rows) {
    permissions {
      uid category_uid website_uid customer_group_uid
      grant_catalog_category_view grant_catalog_product_price grant_checkout_items
    }
    user_errors { code message path }
  }
}
"""
LIST = """
query ($category: ID!) {
  adminCategoryPermissions(category_uid: $category) {
    uid website_uid customer_group_uid
    grant_catalog_category_view grant_catalog_product_price grant_checkout_items
  }
}
"""
DELETE = """
mutation ($uid: ID!) {
  adminDeleteCategoryPermission(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""
ACCESS = """
query ($category: ID!, $website: ID!, $group: ID!) {
  adminCategoryAccess(category_uid: $category, website_uid: $website, customer_group_uid: $group) {
    enabled allow_browsing display_product_prices allow_adding_to_cart
  }
}
"""
SAVE_CONFIG = """
mutation ($path: ConfigPathEnum!, $value: String) {
  adminSaveConfig(input: {path: $path, value: $value}) { user_errors { message } }
}
"""
PRODUCTS = """
query ($search: String, $filter: ProductAttributeFilterInput) {
  products(search: $search, filter: $filter) { total_count items { sku } }
}
"""
PRICES = """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) {
    items {
      sku special_price price_tiers { quantity final_price { value } }
      price_range {
        minimum_price {
          regular_price { value currency } final_price { value currency }
          discount { amount_off percent_off }
        }
        maximum_price {
          regular_price { value currency } final_price { value currency } discount { amount_off }
        }
      }
    }
  }
}
"""
CATEGORIES = """
query ($filters: CategoryFilterInput) {
  categories(filters: $filters) {
    total_count
    items { name children { name } products { total_count items { sku } } }
  }
}
"""
CATEGORY_LIST = "query ($filters: CategoryFilterInput) { categoryList(filters: $filters) { name } }"
PRODUCT_CATEGORIES = """
query ($sku: String!) { products(filter: {sku: {eq: $sku}}) { items { categories { name } } } }
"""
CREATE_EMPTY_CART = "mutation { createEmptyCart }"
ADD = """
mutation ($id: String!, $items: [CartItemInput!]!) {
  addProductsToCart(cartId: $id, cartItems: $items) {
    cart { items { quantity product { sku } } }
    user_errors { code message }
  }
}
"""


# --- helpers -------------------------------------------------------------------------------------


async def category(name: str, parent: CatalogCategoryEntity | None = None) -> CatalogCategoryEntity:
    return await catalog.create_category(
        CategoryChanges(name=name, parent_id=parent.entity_id if parent else 2)
    )


async def product(
    sku: str, *categories: CatalogCategoryEntity, price: str = "20", **values: Any
) -> int:
    details = await catalog.create_product(
        ProductChanges(
            sku=sku,
            name=f"Item {sku}",
            price=Decimal(price),
            qty=Decimal(100),
            category_ids=tuple(c.entity_id for c in categories),
            **values,
        )
    )
    return details.product.entity_id


def uid(entity: CatalogCategoryEntity | int) -> str:
    return encode_uid(entity if isinstance(entity, int) else entity.entity_id)


def row(
    browse: str = "PARENT",
    prices: str = "PARENT",
    checkout: str = "PARENT",
    *,
    website: int | None = None,
    group: int | None = None,
) -> dict[str, Any]:
    return {
        "website_uid": None if website is None else encode_uid(website),
        "customer_group_uid": None if group is None else encode_uid(group),
        "grant_catalog_category_view": browse,
        "grant_catalog_product_price": prices,
        "grant_checkout_items": checkout,
    }


async def set_rows(
    client: Any, admin: str, target: CatalogCategoryEntity, *rows: dict[str, Any]
) -> dict[str, Any]:
    response = await gql(client, SET, {"category": uid(target), "rows": list(rows)}, token=admin)
    assert response.errors == []
    assert response.data is not None
    result: dict[str, Any] = response.data["adminSetCategoryPermissions"]
    return result


async def allow(
    client: Any, admin: str, target: CatalogCategoryEntity, *rows: dict[str, Any]
) -> None:
    result = await set_rows(client, admin, target, *rows)
    assert result["user_errors"] == []


async def config(client: Any, admin: str, **values: str) -> None:
    for path, value in values.items():
        response = await gql(client, SAVE_CONFIG, {"path": path, "value": value}, token=admin)
        assert response.data == {"adminSaveConfig": {"user_errors": []}}, response.errors


async def enable(
    client: Any, admin: str, browse: str = "1", prices: str = "1", cart: str = "1"
) -> None:
    """Permissions on, with these defaults (1: everyone, 0: nobody)."""
    await config(
        client,
        admin,
        CATEGORY_PERMISSIONS_ENABLED="1",
        GRANT_CATEGORY_VIEW=browse,
        GRANT_PRODUCT_PRICE=prices,
        GRANT_CHECKOUT_ITEMS=cart,
    )


async def skus(client: Any, token: str | None = None, **variables: Any) -> list[str]:
    variables.setdefault("search", "Item")
    response = await gql(client, PRODUCTS, variables, token=token)
    assert response.errors == []
    assert response.data is not None
    found = [item["sku"] for item in response.data["products"]["items"]]
    assert response.data["products"]["total_count"] == len(found)
    return sorted(found)


async def category_names(client: Any, token: str | None = None, **filters: Any) -> list[str]:
    everything = [str(c.entity_id) for c in await CatalogCategoryEntity.all()]
    response = await gql(
        client, CATEGORY_LIST, {"filters": filters or {"ids": {"in": everything}}}, token=token
    )
    assert response.errors == []
    assert response.data is not None
    return sorted(c["name"] for c in response.data["categoryList"])


async def customer_token(group_id: int = GENERAL, email: str = "ann@example.com") -> str:
    return await token_for(await make_customer(email, group_id=group_id))


async def add(client: Any, token: str | None, *skus_: str) -> dict[str, Any]:
    created = await gql(client, CREATE_EMPTY_CART, token=token)
    assert created.errors == []
    assert created.data is not None
    response = await gql(
        client,
        ADD,
        {
            "id": created.data["createEmptyCart"],
            "items": [{"sku": s, "quantity": 1} for s in skus_],
        },
        token=token,
    )
    assert response.errors == []
    assert response.data is not None
    result: dict[str, Any] = response.data["addProductsToCart"]
    return result


def denied(sku: str) -> dict[str, str]:
    return {"code": "PERMISSION_DENIED", "message": f'You cannot add "{sku}" to the cart.'}


# --- admin ---------------------------------------------------------------------------------------


async def test_admin_sets_lists_replaces_and_deletes_a_categorys_rows(
    client: Any, admin_token: str
) -> None:
    shirts = await category("Shirts")
    result = await set_rows(
        client,
        admin_token,
        shirts,
        row("DENY", group=GUESTS),
        row("ALLOW", "DENY", website=1, group=WHOLESALE),
    )
    assert result["user_errors"] == []
    rows = await MagentoCatalogpermissions.all().order_by("permission_id")
    assert [
        (
            r.category_id,  # type: ignore[attr-defined]
            r.website_id,
            r.customer_group_id,
            int(r.grant_catalog_category_view),
            int(r.grant_catalog_product_price),
            int(r.grant_checkout_items),
        )
        for r in rows
    ] == [
        (shirts.entity_id, None, 0, -2, 0, 0),
        (shirts.entity_id, 1, 2, -1, -2, 0),
    ]
    first_id = rows[0].permission_id
    first, second = (encode_uid(r.permission_id) for r in rows)
    assert result["permissions"] == [
        {
            "uid": first,
            "category_uid": uid(shirts),
            "website_uid": None,
            "customer_group_uid": encode_uid(GUESTS),
            "grant_catalog_category_view": "DENY",
            "grant_catalog_product_price": "PARENT",
            "grant_checkout_items": "PARENT",
        },
        {
            "uid": second,
            "category_uid": uid(shirts),
            "website_uid": encode_uid(1),
            "customer_group_uid": encode_uid(WHOLESALE),
            "grant_catalog_category_view": "ALLOW",
            "grant_catalog_product_price": "DENY",
            "grant_checkout_items": "PARENT",
        },
    ]

    # Replacing: the guests' row keeps its uid, the wholesale one goes, a new one comes.
    result = await set_rows(
        client, admin_token, shirts, row("ALLOW", group=GUESTS), row(checkout="DENY")
    )
    assert result["user_errors"] == []
    listed = await gql(client, LIST, {"category": uid(shirts)}, token=admin_token)
    newest = await MagentoCatalogpermissions.all().order_by("-permission_id").first()
    assert newest is not None
    third = encode_uid(newest.permission_id)
    assert listed.data == {
        "adminCategoryPermissions": [
            {
                "uid": first,
                "website_uid": None,
                "customer_group_uid": encode_uid(GUESTS),
                "grant_catalog_category_view": "ALLOW",
                "grant_catalog_product_price": "PARENT",
                "grant_checkout_items": "PARENT",
            },
            {
                "uid": third,
                "website_uid": None,
                "customer_group_uid": None,
                "grant_catalog_category_view": "PARENT",
                "grant_catalog_product_price": "PARENT",
                "grant_checkout_items": "DENY",
            },
        ]
    }

    deleted = await gql(client, DELETE, {"uid": first}, token=admin_token)
    assert deleted.data == {
        "adminDeleteCategoryPermission": {"deleted_uid": first, "user_errors": []}
    }
    again = await gql(client, DELETE, {"uid": first}, token=admin_token)
    assert again.data == {
        "adminDeleteCategoryPermission": {
            "deleted_uid": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": f"No such entity with id = {first_id}",
                    "path": "uid",
                }
            ],
        }
    }
    assert await set_rows(client, admin_token, shirts) == {"permissions": [], "user_errors": []}
    assert await MagentoCatalogpermissions.all().count() == 0


async def test_bad_rows_are_refused_together_and_nothing_is_saved(
    client: Any, admin_token: str
) -> None:
    shirts = await category("Shirts")
    await allow(client, admin_token, shirts, row("DENY"))
    before = [
        (r.permission_id, int(r.grant_catalog_category_view))
        for r in await MagentoCatalogpermissions.all()
    ]
    result = await set_rows(
        client,
        admin_token,
        shirts,
        row("ALLOW", website=9),
        row("ALLOW", group=77),
        row("ALLOW", website=1, group=1),
        row("DENY", website=1, group=1),
        row("ALLOW", website=0),
    )
    assert result == {
        "permissions": None,
        "user_errors": [
            {
                "code": "NOT_FOUND",
                "message": 'Could not find a website with ID "9"',
                "path": "permissions.0.website_uid",
            },
            {
                "code": "NOT_FOUND",
                "message": "No such entity with id = 77",
                "path": "permissions.1.customer_group_uid",
            },
            {
                "code": "ALREADY_EXISTS",
                "message": (
                    "A permission for this website and customer group is already in the list."
                ),
                "path": "permissions.3",
            },
            {
                "code": "NOT_FOUND",
                "message": 'Could not find a website with ID "0"',
                "path": "permissions.4.website_uid",
            },
        ],
    }
    assert [
        (r.permission_id, int(r.grant_catalog_category_view))
        for r in await MagentoCatalogpermissions.all()
    ] == before

    bad_uid = await gql(
        client,
        SET,
        {"category": uid(shirts), "rows": [{"customer_group_uid": "not base64!"}]},
        token=admin_token,
    )
    assert bad_uid.data is not None
    assert bad_uid.data["adminSetCategoryPermissions"]["user_errors"] == [
        {
            "code": "INVALID_UID",
            "message": 'Value of uid "not base64!" is incorrect.',
            "path": "permissions.0.customer_group_uid",
        }
    ]
    unknown = await gql(client, SET, {"category": encode_uid(99999), "rows": []}, token=admin_token)
    assert unknown.data == {
        "adminSetCategoryPermissions": {
            "permissions": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": "No such entity with id = 99999",
                    "path": "category_uid",
                }
            ],
        }
    }


async def test_admin_reads_the_resolved_access_of_a_group_in_a_category(
    client: Any, admin_token: str
) -> None:
    men = await category("Men")
    shirts = await category("Shirts", men)
    await allow(client, admin_token, men, row("ALLOW", "DENY", group=GUESTS))

    async def access(target: CatalogCategoryEntity, group: int) -> dict[str, bool]:
        response = await gql(
            client,
            ACCESS,
            {"category": uid(target), "website": encode_uid(1), "group": encode_uid(group)},
            token=admin_token,
        )
        assert response.errors == []
        assert response.data is not None
        result: dict[str, bool] = response.data["adminCategoryAccess"]
        return result

    unknown = await gql(
        client,
        ACCESS,
        {"category": uid(shirts), "website": encode_uid(9), "group": encode_uid(GUESTS)},
        token=admin_token,
    )
    assert unknown.data == {"adminCategoryAccess": None}
    assert unknown.messages == ['Could not find a website with ID "9"']
    assert unknown.categories == ["graphql-no-such-entity"]
    unknown = await gql(
        client,
        ACCESS,
        {"category": uid(shirts), "website": encode_uid(1), "group": encode_uid(77)},
        token=admin_token,
    )
    assert unknown.messages == ["No such entity with id = 77"]
    # Off (Magento's default), with every default grant "No".
    assert await access(shirts, GUESTS) == {
        "enabled": False,
        "allow_browsing": True,
        "display_product_prices": False,
        "allow_adding_to_cart": False,
    }
    assert await access(shirts, GENERAL) == {
        "enabled": False,
        "allow_browsing": False,
        "display_product_prices": False,
        "allow_adding_to_cart": False,
    }
    await enable(client, admin_token)
    # Prices denied: the cart too (Magento's index chains them).
    assert await access(shirts, GUESTS) == {
        "enabled": True,
        "allow_browsing": True,
        "display_product_prices": False,
        "allow_adding_to_cart": False,
    }
    assert await access(shirts, GENERAL) == {
        "enabled": True,
        "allow_browsing": True,
        "display_product_prices": True,
        "allow_adding_to_cart": True,
    }


# --- storefront ----------------------------------------------------------------------------------


async def test_permissions_change_nothing_while_disabled(client: Any, admin_token: str) -> None:
    hidden = await category("Hidden")
    await product("a", hidden)
    await allow(client, admin_token, hidden, row("DENY", "DENY", "DENY"))
    assert await skus(client) == ["a"]
    assert await category_names(client) == ["Default Category", "Hidden"]
    assert (await add(client, None, "a"))["user_errors"] == []


async def test_enabled_with_magentos_default_grants_hides_everything(
    client: Any, admin_token: str
) -> None:
    """Magento's `config.xml`: every grant "No" (issue magento/magento2#28563: enable and leave
    the rest, and all categories and products are hidden)."""
    shirts = await category("Shirts")
    await product("in-category", shirts)
    await product("no-category")
    await config(client, admin_token, CATEGORY_PERMISSIONS_ENABLED="1")
    assert await skus(client) == []
    assert await category_names(client) == []
    assert (await add(client, None, "no-category"))["user_errors"] == [denied("no-category")]


async def test_a_category_denied_to_guests_hides_it_and_its_products_from_them_only(
    client: Any, admin_token: str
) -> None:
    members = await category("Members")
    open_ = await category("Open")
    await product("members-only", members)
    await product("open", open_)
    await product("both", members, open_)
    await product("nowhere")
    await allow(client, admin_token, members, row("DENY", group=GUESTS))
    await allow(client, admin_token, open_, row("ALLOW"))
    await enable(client, admin_token)
    customer = await customer_token(GENERAL)

    assert await skus(client) == ["both", "nowhere", "open"]
    assert await skus(client, customer) == ["both", "members-only", "nowhere", "open"]
    assert await category_names(client) == ["Default Category", "Open"]
    assert await category_names(client, customer) == ["Default Category", "Members", "Open"]
    # A denied product is not found by sku or through its category either.
    assert await skus(client, filter={"sku": {"eq": "members-only"}}, search=None) == []
    through = await gql(client, CATEGORIES, {"filters": {"name": {"match": "Default"}}})
    assert through.data == {
        "categories": {
            "total_count": 1,
            "items": [
                {
                    "name": "Default Category",
                    "children": [{"name": "Open"}],
                    "products": {"total_count": 2, "items": [{"sku": "open"}, {"sku": "both"}]},
                }
            ],
        }
    }
    shown = await gql(client, PRODUCT_CATEGORIES, {"sku": "both"})
    assert shown.data == {"products": {"items": [{"categories": [{"name": "Open"}]}]}}


async def test_a_product_is_hidden_when_a_denied_category_is_its_only_decided_one(
    client: Any, admin_token: str
) -> None:
    """Magento's product index joins only categories with a decision: a category without any
    permission does not make the product visible next to a denied one."""
    denied_ = await category("Denied")
    plain = await category("Plain")
    allowed = await category("Allowed")
    await product("denied-and-plain", denied_, plain)
    await product("denied-and-allowed", denied_, allowed)
    await product("plain", plain)
    await allow(client, admin_token, denied_, row("DENY"))
    await allow(client, admin_token, allowed, row("ALLOW"))
    await enable(client, admin_token)
    assert await skus(client) == ["denied-and-allowed", "plain"]
    assert await category_names(client) == ["Allowed", "Default Category", "Plain"]


async def test_use_parent_inherits_down_the_tree_and_a_nearer_row_wins(
    client: Any, admin_token: str
) -> None:
    vault = await category("Vault")
    lobby = await category("Lobby", vault)
    gifts = await category("Gifts", lobby)
    inner = await category("Inner", vault)
    await product("vault", vault)
    await product("lobby", lobby)
    await product("gifts", gifts)
    await product("inner", inner)
    await allow(client, admin_token, vault, row("DENY", "DENY", "DENY"))
    # Browsing allowed for guests, prices left to the parent (denied there).
    await allow(client, admin_token, lobby, row("ALLOW", group=GUESTS))
    await enable(client, admin_token)
    customer = await customer_token(GENERAL)

    assert await skus(client) == ["gifts", "lobby"]
    assert await skus(client, customer) == []
    assert await category_names(client) == ["Default Category", "Gifts", "Lobby"]
    guest_prices = await gql(client, PRICES, {"sku": "gifts"})
    assert guest_prices.data is not None
    assert guest_prices.data["products"]["items"][0]["price_range"]["minimum_price"] == {
        "regular_price": {"value": None, "currency": None},
        "final_price": {"value": None, "currency": None},
        "discount": None,
    }


async def test_the_group_row_beats_the_all_groups_row_and_the_website_row_the_global_one(
    client: Any, admin_token: str
) -> None:
    shop = await category("Shop")
    await product("item", shop)
    await allow(
        client,
        admin_token,
        shop,
        row("DENY"),
        row("ALLOW", website=1),
        row("DENY", website=1, group=WHOLESALE),
        row("ALLOW", group=WHOLESALE),
    )
    await enable(client, admin_token)
    general = await customer_token(GENERAL, "g@example.com")
    wholesale = await customer_token(WHOLESALE, "w@example.com")
    assert await skus(client) == ["item"]  # website 1, all groups: ALLOW beats the global DENY
    assert await skus(client, general) == ["item"]
    # Wholesale: its own rows beat the all-groups ones; the website's beats the global one.
    assert await skus(client, wholesale) == []


async def test_defaults_for_listed_groups_only(client: Any, admin_token: str) -> None:
    """`grant_*` 2: only the groups in `grant_*_groups` (Magento's AddProductToCartTest
    `testGrantCheckoutItemsPermissionByConfiguration`)."""
    shirts = await category("Shirts")
    await product("simple333", shirts)
    await enable(client, admin_token, cart="2")
    await config(client, admin_token, GRANT_CHECKOUT_ITEMS_GROUPS="1")
    customer = await customer_token(GENERAL)
    assert await add(client, None, "simple333") == {
        "cart": {"items": []},
        "user_errors": [denied("simple333")],
    }
    assert await add(client, customer, "simple333") == {
        "cart": {"items": [{"quantity": 1, "product": {"sku": "simple333"}}]},
        "user_errors": [],
    }
    await config(client, admin_token, GRANT_CATEGORY_VIEW="2", GRANT_CATEGORY_VIEW_GROUPS="1,2")
    assert await skus(client) == []
    assert await skus(client, customer) == ["simple333"]


async def test_hidden_prices_are_nulls_as_magento_and_the_cart_is_refused(
    client: Any, admin_token: str
) -> None:
    quotes = await category("On request")
    shop = await category("Shop")
    product_id = await product("quoted", quotes, price="50", special_price=Decimal("40"))
    await product("sold", shop, price="30")
    await CatalogProductEntityTierPrice.create(
        entity_id=product_id, qty=Decimal(2), value=Decimal("35")
    )
    await allow(client, admin_token, quotes, row("ALLOW", "DENY"))
    await enable(client, admin_token)

    hidden = await gql(client, PRICES, {"sku": "quoted"})
    assert hidden.errors == []
    assert hidden.data == {
        "products": {
            "items": [
                {
                    "sku": "quoted",
                    "special_price": None,
                    "price_tiers": [],
                    "price_range": {
                        "minimum_price": {
                            "regular_price": {"value": None, "currency": None},
                            "final_price": {"value": None, "currency": None},
                            "discount": None,
                        },
                        "maximum_price": {
                            "regular_price": {"value": None, "currency": None},
                            "final_price": {"value": None, "currency": None},
                            "discount": None,
                        },
                    },
                }
            ]
        }
    }
    shown = await gql(client, PRICES, {"sku": "sold"})
    assert shown.data is not None
    assert shown.data["products"]["items"][0]["price_range"]["minimum_price"] == {
        "regular_price": {"value": 30.0, "currency": "USD"},
        "final_price": {"value": 30.0, "currency": "USD"},
        "discount": {"amount_off": 0.0, "percent_off": 0.0},
    }
    # Prices denied deny the cart (Magento's index); the allowed line is still added.
    assert await add(client, None, "quoted", "sold") == {
        "cart": {"items": [{"quantity": 1, "product": {"sku": "sold"}}]},
        "user_errors": [denied("quoted")],
    }


async def test_adding_to_cart_denied_in_a_category_for_one_group(
    client: Any, admin_token: str
) -> None:
    """Magento's AddProductToCartTest `testProductIsAddedAndDeniedToCart`."""
    allowed = await category("Allow")
    denied_ = await category("Deny")
    await product("simple_allow_122", allowed)
    await product("simple_deny_122", denied_)
    await allow(client, admin_token, denied_, row(checkout="DENY", group=GENERAL))
    await enable(client, admin_token)
    customer = await customer_token(GENERAL)
    assert await add(client, customer, "simple_allow_122", "simple_deny_122") == {
        "cart": {"items": [{"quantity": 1, "product": {"sku": "simple_allow_122"}}]},
        "user_errors": [denied("simple_deny_122")],
    }
    # Guests are not concerned by the General group's row.
    assert (await add(client, None, "simple_deny_122"))["user_errors"] == []
    # Still listed, with prices: only the cart is denied.
    assert await skus(client, customer) == ["simple_allow_122", "simple_deny_122"]


async def test_a_new_permission_applies_at_once(client: Any, admin_token: str) -> None:
    shirts = await category("Shirts")
    await product("shirt", shirts)
    await enable(client, admin_token)
    assert await skus(client) == ["shirt"]
    await allow(client, admin_token, shirts, row("DENY"))
    assert await skus(client) == []
    await allow(client, admin_token, shirts)
    assert await skus(client) == ["shirt"]


# --- resolution, without I/O ---------------------------------------------------------------------


def test_rows_of_another_website_and_rows_deciding_nothing_are_ignored() -> None:
    def rule(pid: int, category_id: int, website: int | None, browse: Grant) -> Rule:
        return Rule(pid, category_id, website, None, browse, Grant.PARENT, Grant.PARENT)

    tree = Catalog(
        rules={
            3: (rule(1, 3, None, Grant.DENY),),
            4: (rule(2, 4, 2, Grant.ALLOW), rule(3, 4, None, Grant.PARENT)),
            5: (rule(4, 5, 1, Grant.ALLOW),),
        },
        categories=(
            CategoryNode(1, (), True),
            CategoryNode(2, (1,), True),
            CategoryNode(3, (1, 2), True),
            CategoryNode(4, (1, 2, 3), True),
            CategoryNode(5, (1, 2, 3), True),
            CategoryNode(6, (1, 2), True),
        ),
    )
    assert resolve(tree, 1, GUESTS) == {
        3: Grants(Grant.DENY, None, None),
        4: Grants(Grant.DENY, None, None),  # website 2's row and the all-PARENT row: inherited
        5: Grants(Grant.ALLOW, None, None),
    }
    assert resolve(tree, 2, GUESTS)[4] == Grants(Grant.ALLOW, None, None)
    assert Grants(Grant.DENY, Grant.ALLOW, Grant.ALLOW).chained() == Grants(
        Grant.DENY, Grant.DENY, Grant.DENY
    )
    assert Grants(None, Grant.DENY, Grant.ALLOW).chained() == Grants(None, Grant.DENY, Grant.DENY)
