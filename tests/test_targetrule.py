"""Related products through HTTP: manual links, related product rules (both condition sides,
relative conditions, segments for customers and guests, priority, limits, merging, rotation,
dates), the index kept on rule and product saves, the per-shopper cache following rule, link and
membership changes, `adminExplainRelatedProducts`, and bad input (nothing saved).

Unless a test says otherwise, rotation is "By Priority, Then by ID" (mode 1) so lists are
deterministic; candidates are chosen in product id order, which is creation order here."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web
from tortoise.context import TortoiseContext

from engine import catalog
from engine.catalog import CategoryChanges, ProductChanges
from engine.clock import ManualClock
from engine.stores import invalidate_stores
from graph.uids import encode_uid
from mageseg.app import SERVICES, create_app
from mageseg.settings import Settings
from models import (
    CatalogProductEntity,
    CoreConfigData,
    MagentoTargetrule,
    MagentoTargetruleProduct,
)
from models.catalog import ProductStatus, Visibility
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_segments_support import combine, create_segment, leaf

T0 = datetime(2026, 6, 15, 17, 0, tzinfo=UTC)  # 2026-06-15 12:00 in Chicago (the demo website)

M = "Magento\\TargetRule\\Model\\Rule\\Condition\\"
A = "Magento\\TargetRule\\Model\\Actions\\Condition\\"

LISTS = """
query ($sku: String!) {
  products(filter: {sku: {eq: $sku}}) {
    items { related_products { sku } upsell_products { sku } crosssell_products { sku } }
  }
}
"""
RULE_FIELDS = """
uid id name is_active apply_to from_date to_date sort_order positions_limit
customer_segment_uids conditions_serialized actions_serialized matched_product_count
"""
CREATE = f"""
mutation ($input: AdminRelatedProductRuleCreateInput!) {{
  adminCreateRelatedProductRule(input: $input) {{
    rule {{ {RULE_FIELDS} }} user_errors {{ code message path }}
  }}
}}
"""
UPDATE = f"""
mutation ($uid: ID!, $input: AdminRelatedProductRuleUpdateInput!) {{
  adminUpdateRelatedProductRule(uid: $uid, input: $input) {{
    rule {{ {RULE_FIELDS} }} user_errors {{ code message path }}
  }}
}}
"""
DELETE = """
mutation ($uid: ID!) {
  adminDeleteRelatedProductRule(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""
RULES = """
query ($filter: AdminRelatedProductRuleFilterInput) {
  adminRelatedProductRules(filter: $filter) { items { name sort_order } total_count }
}
"""
SET_LINKS = """
mutation ($input: [AdminProductLinksInput!]!) {
  adminSetProductLinks(input: $input) {
    links { sku link_type linked_sku position } user_errors { code message path }
  }
}
"""
LINKS = """
query ($sku: String!) { adminProductLinks(sku: $sku) { link_type linked_sku position } }
"""
EXPLAIN = """
query ($sku: String!, $list: ProductRelationEnum!, $customer: ID, $cart: String) {
  adminExplainRelatedProducts(sku: $sku, list_type: $list, customer_uid: $customer,
                              cart_id: $cart) {
    list_type customer_group_uid customer_segment_uids position_behavior position_limit
    rotation_mode
    rules { name sort_order segment_uid outcome condition_path condition contributed_skus }
    rule_based_skus manual_skus cut_skus shown_skus
  }
}
"""
REINDEX = """
mutation { adminReindexRelatedProductRules { rule_count product_count row_count } }
"""
UPDATE_PRODUCT = """
mutation ($uid: ID!, $input: ProductUpdateInput!) {
  adminUpdateProduct(uid: $uid, input: $input) { user_errors { code message path } }
}
"""
UPDATE_CUSTOMER = """
mutation ($input: CustomerUpdateInput!) { updateCustomerV2(input: $input) { customer { email } } }
"""


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def app(settings: Settings, db: TortoiseContext, clock: ManualClock) -> web.Application:
    return create_app(settings, manage_database=False, clock=clock)


@pytest.fixture(autouse=True)
async def by_id(client: Any) -> None:
    await configure(
        client, related_rotation_mode="1", upsell_rotation_mode="1", crosssell_rotation_mode="1"
    )


async def configure(client: Any, **values: str) -> None:
    for name, value in values.items():
        path = f"catalog/magento_targetrule/{name}"
        await CoreConfigData.filter(path=path).delete()
        await CoreConfigData.create(scope="default", scope_id=0, path=path, value=value)
    await invalidate_stores(client.server.app[SERVICES].cache)


# --- builders -----------------------------------------------------------------------------------


def match(*conditions: dict[str, Any], aggregator: str = "all") -> str:
    return json.dumps(
        {
            "type": M + "Combine",
            "aggregator": aggregator,
            "value": "1",
            "conditions": list(conditions),
        }
    )


def m(attribute: str, operator: str, value: str) -> dict[str, Any]:
    return {
        "type": M + "Product\\Attributes",
        "attribute": attribute,
        "operator": operator,
        "value": value,
    }


def display(*conditions: dict[str, Any], aggregator: str = "all") -> str:
    return json.dumps(
        {
            "type": A + "Combine",
            "aggregator": aggregator,
            "value": "1",
            "conditions": list(conditions),
        }
    )


def d(
    attribute: str, operator: str, value: str = "", value_type: str = "constant"
) -> dict[str, Any]:
    return {
        "type": A + "Product\\Attributes",
        "attribute": attribute,
        "operator": operator,
        "value": value,
        "value_type": value_type,
    }


def price_percent(operator: str, percent: str) -> dict[str, Any]:
    return {"type": A + "Product\\Special\\Price", "operator": operator, "value": percent}


async def product(
    sku: str, price: str = "100", categories: tuple[int, ...] = (), **fields: Any
) -> int:
    fields.setdefault("qty", Decimal(10))
    details = await catalog.create_product(
        ProductChanges(
            sku=sku, name=sku.title(), price=Decimal(price), category_ids=categories, **fields
        )
    )
    return details.product.entity_id


async def category(name: str, parent: int = 2) -> int:
    return (await catalog.create_category(CategoryChanges(name=name, parent_id=parent))).entity_id


async def create_rule(client: Any, token: str, **fields: Any) -> dict[str, Any]:
    fields.setdefault("name", "Rule")
    fields.setdefault("is_active", True)
    response = await gql(client, CREATE, {"input": fields}, token=token)
    assert response.errors == [], response.errors
    out = response.data["adminCreateRelatedProductRule"]  # type: ignore[index]
    assert out["user_errors"] == [], out["user_errors"]
    rule: dict[str, Any] = out["rule"]
    return rule


async def lists(
    client: Any, sku: str, token: str | None = None, headers: dict[str, str] | None = None
) -> dict[str, list[str]]:
    response = await gql(client, LISTS, {"sku": sku}, token=token, headers=headers)
    assert response.errors == [], response.errors
    (item,) = response.data["products"]["items"]  # type: ignore[index]
    return {name: [p["sku"] for p in item[name]] for name in item}


async def related(client: Any, sku: str, **kwargs: Any) -> list[str]:
    return (await lists(client, sku, **kwargs))["related_products"]


async def set_links(client: Any, token: str, *entries: dict[str, Any]) -> dict[str, Any]:
    response = await gql(client, SET_LINKS, {"input": list(entries)}, token=token)
    assert response.errors == [], response.errors
    out: dict[str, Any] = response.data["adminSetProductLinks"]  # type: ignore[index]
    return out


# --- manual links -------------------------------------------------------------------------------


async def test_manual_links_by_position_in_three_lists(client: Any, admin_token: str) -> None:
    for sku in ("p", "a", "b", "c", "d"):
        await product(sku)
    out = await set_links(
        client,
        admin_token,
        {
            "sku": "p",
            "link_type": "RELATED",
            "items": [{"sku": "a", "position": 3}, {"sku": "b", "position": 1}],
        },
        {"sku": "p", "link_type": "UPSELL", "items": [{"sku": "c"}, {"sku": "d"}]},
        {"sku": "p", "link_type": "CROSSSELL", "items": [{"sku": "d", "position": 0}]},
    )
    assert out["user_errors"] == []
    assert out["links"] == [
        {"sku": "p", "link_type": "RELATED", "linked_sku": "a", "position": 3},
        {"sku": "p", "link_type": "RELATED", "linked_sku": "b", "position": 1},
        {"sku": "p", "link_type": "UPSELL", "linked_sku": "c", "position": 1},
        {"sku": "p", "link_type": "UPSELL", "linked_sku": "d", "position": 2},
        {"sku": "p", "link_type": "CROSSSELL", "linked_sku": "d", "position": 0},
    ]
    # Positions ascending: b (1) before a (3); omitted positions are the list order (1, 2).
    assert await lists(client, "p") == {
        "related_products": ["b", "a"],
        "upsell_products": ["c", "d"],
        "crosssell_products": ["d"],
    }
    admin = await gql(client, LINKS, {"sku": "p"}, token=admin_token)
    assert admin.data == {
        "adminProductLinks": [
            {"link_type": "RELATED", "linked_sku": "b", "position": 1},
            {"link_type": "RELATED", "linked_sku": "a", "position": 3},
            {"link_type": "UPSELL", "linked_sku": "c", "position": 1},
            {"link_type": "UPSELL", "linked_sku": "d", "position": 2},
            {"link_type": "CROSSSELL", "linked_sku": "d", "position": 0},
        ]
    }
    # Setting a list replaces it; an empty one removes every link of the type.
    await set_links(
        client,
        admin_token,
        {"sku": "p", "link_type": "RELATED", "items": [{"sku": "c"}]},
        {"sku": "p", "link_type": "UPSELL", "items": []},
    )
    assert await lists(client, "p") == {
        "related_products": ["c"],
        "upsell_products": [],
        "crosssell_products": ["d"],
    }


async def test_manual_links_hide_what_the_storefront_hides(client: Any, admin_token: str) -> None:
    await product("p")
    await product("shown")
    await product("disabled", status=ProductStatus.DISABLED)
    await product("hidden", visibility=Visibility.NOT_VISIBLE)
    await product("sold-out", qty=Decimal(0), is_in_stock=False)
    await product("elsewhere", website_ids=())
    await set_links(
        client,
        admin_token,
        {
            "sku": "p",
            "link_type": "RELATED",
            "items": [{"sku": s} for s in ("disabled", "hidden", "sold-out", "elsewhere", "shown")],
        },
    )
    assert await related(client, "p") == ["shown"]
    # Out-of-stock products show when the store shows them.
    await CoreConfigData.create(
        scope="default", scope_id=0, path="cataloginventory/options/show_out_of_stock", value="1"
    )
    await invalidate_stores(client.server.app[SERVICES].cache)
    assert await related(client, "p") == ["sold-out", "shown"]


async def test_bad_links_write_nothing(client: Any, admin_token: str) -> None:
    await product("p")
    await product("a")
    await set_links(
        client, admin_token, {"sku": "p", "link_type": "RELATED", "items": [{"sku": "a"}]}
    )
    out = await set_links(
        client,
        admin_token,
        {
            "sku": "p",
            "link_type": "RELATED",
            "items": [{"sku": "nope"}, {"sku": "p"}, {"sku": "a", "position": -1}, {"sku": "a"}],
        },
        {"sku": "ghost", "link_type": "UPSELL", "items": []},
    )
    assert out == {
        "links": None,
        "user_errors": [
            {
                "code": "NOT_FOUND",
                "path": "input.0.items.0.sku",
                "message": "The product that was requested doesn't exist. Verify the product and "
                "try again.",
            },
            {
                "code": "INVALID",
                "path": "input.0.items.1.sku",
                "message": "The product can't be linked to itself.",
            },
            {
                "code": "INVALID",
                "path": "input.0.items.2.position",
                "message": "A position must be 0 or more.",
            },
            {
                "code": "INVALID",
                "path": "input.0.items.3.sku",
                "message": 'The product "a" is linked twice.',
            },
            {
                "code": "NOT_FOUND",
                "path": "input.1.sku",
                "message": "The product that was requested doesn't exist. Verify the product and "
                "try again.",
            },
        ],
    }
    assert await related(client, "p") == ["a"]


# --- rules: each condition kind ---------------------------------------------------------------


async def test_match_by_category_display_by_constant_category(
    client: Any, admin_token: str
) -> None:
    shirts, hats = await category("Shirts"), await category("Hats")
    await product("shirt", categories=(shirts,))
    await product("mug")
    await product("cap", categories=(hats,))
    await product("beanie", categories=(hats,))
    rule = await create_rule(
        client,
        admin_token,
        conditions_serialized=match(m("category_ids", "==", str(shirts))),
        actions_serialized=display(d("category_ids", "==", str(hats))),
    )
    assert rule["matched_product_count"] == 1  # the index holds (rule, shirt) only
    assert await related(client, "shirt") == ["cap", "beanie"]
    assert await related(client, "mug") == []  # the mug is not in Shirts


async def test_match_by_sku_display_by_constant_price(client: Any, admin_token: str) -> None:
    await product("p", "30")
    await product("cheap", "20")
    await product("dear", "60")
    await product("dearer", "90")
    await create_rule(
        client,
        admin_token,
        conditions_serialized=match(m("sku", "==", "p")),
        actions_serialized=display(d("price", ">=", "50")),
    )
    assert await related(client, "p") == ["dear", "dearer"]
    assert await related(client, "cheap") == []


async def test_match_by_attribute_set_any_of_two(client: Any, admin_token: str) -> None:
    await product("p")
    await product("q")
    await product("x")
    await create_rule(
        client,
        admin_token,
        conditions_serialized=match(
            m("attribute_set_id", "==", "4"), m("sku", "==", "zzz"), aggregator="any"
        ),
        actions_serialized=display(d("sku", "()", "x, q")),
    )
    # Every product is in set 4 (Default): the ANY holds; q does not show itself.
    assert await related(client, "p") == ["q", "x"]
    assert await related(client, "q") == ["x"]


async def test_same_category_as_the_matched_product(client: Any, admin_token: str) -> None:
    shirts, hats = await category("Shirts"), await category("Hats")
    await product("tee", categories=(shirts,))
    await product("polo", categories=(shirts,))
    await product("cap", categories=(hats,))
    await product("beret", categories=(hats,))
    await create_rule(
        client,
        admin_token,
        actions_serialized=display(d("category_ids", "==", value_type="same_as")),
    )
    # No category in Products to Match: the bound categories are each product's own.
    assert await related(client, "tee") == ["polo"]
    assert await related(client, "cap") == ["beret"]


async def test_spec_worked_example_binds_the_rules_match_category(
    client: Any, admin_token: str
) -> None:
    """Spec A.8: "to match: category is 10" + "display: same category" binds 10, not all of P's
    categories; with Price <= 120% of P's 100, i.e. 120.0000."""
    ten, twelve = await category("Ten"), await category("Twelve")
    await product("P", "100", (ten, twelve))
    await product("A", "120", (ten,))
    await product("B", "121", (ten,))  # over 120
    await product("C", "50", (twelve,))  # in P's other category only
    await create_rule(
        client,
        admin_token,
        conditions_serialized=match(m("category_ids", "==", str(ten))),
        actions_serialized=display(
            d("category_ids", "==", value_type="same_as"), price_percent("<=", "120")
        ),
    )
    assert await related(client, "P") == ["A"]


async def test_child_of_the_matched_products_category(client: Any, admin_token: str) -> None:
    clothes = await category("Clothes")
    shirts = await category("Shirts", clothes)
    tees = await category("Tees", shirts)
    await product("coat", categories=(clothes,))
    await product("polo", categories=(shirts,))
    await product("vneck", categories=(tees,))
    await product("mug")
    await create_rule(
        client,
        admin_token,
        actions_serialized=display(d("category_ids", "==", value_type="child_of")),
    )
    assert await related(client, "coat") == ["polo", "vneck"]  # both below Clothes
    assert await related(client, "polo") == ["vneck"]
    assert await related(client, "vneck") == []  # nothing below Tees


async def test_same_attribute_value_as_the_matched_product(client: Any, admin_token: str) -> None:
    await product("p", weight=Decimal("2.5"))
    await product("same", weight=Decimal("2.5"))
    await product("heavier", weight=Decimal("4"))
    await product("none")
    await create_rule(
        client, admin_token, actions_serialized=display(d("weight", "==", value_type="same_as"))
    )
    assert await related(client, "p") == ["same"]
    assert await related(client, "heavier") == []
    # A matched product with no weight binds NULL: nothing is displayed (Magento).
    assert await related(client, "none") == []


async def test_price_within_a_percentage_of_the_matched_product(
    client: Any, admin_token: str
) -> None:
    await product("p", "80")
    await product("too-cheap", "63.99")  # 80 x 80% = 64.0000
    await product("low-end", "64")
    await product("high-end", "96")  # 80 x 120% = 96.0000
    await product("too-dear", "96.01")
    await create_rule(
        client,
        admin_token,
        actions_serialized=display(price_percent(">=", "80"), price_percent("<=", "120")),
    )
    assert await related(client, "p") == ["low-end", "high-end"]


# --- segments --------------------------------------------------------------------------------


async def test_segments_all_and_specified_for_customers(client: Any, admin_token: str) -> None:
    anns = await create_segment(
        client,
        admin_token,
        combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann")),
        apply_to="REGISTERED",
    )
    await product("p")
    await product("for-all")
    await product("for-ann")
    await create_rule(
        client, admin_token, name="All", actions_serialized=display(d("sku", "==", "for-all"))
    )
    await create_rule(
        client,
        admin_token,
        name="Ann",
        customer_segment_uids=[anns["uid"]],
        actions_serialized=display(d("sku", "==", "for-ann")),
    )
    ann = await token_for(await make_customer("ann@example.com", firstname="Ann"))
    bob = await token_for(await make_customer("bob@example.com", firstname="Bob"))
    # Rule ids order products of equal priority (0): both rules have sort order 0.
    assert await related(client, "p", token=ann) == ["for-all", "for-ann"]
    assert await related(client, "p", token=bob) == ["for-all"]
    assert await related(client, "p") == ["for-all"]


async def test_a_segment_change_changes_the_list_at_once(client: Any, admin_token: str) -> None:
    anns = await create_segment(
        client,
        admin_token,
        combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann")),
        apply_to="REGISTERED",
    )
    await product("p")
    await product("for-ann")
    await create_rule(
        client,
        admin_token,
        customer_segment_uids=[anns["uid"]],
        actions_serialized=display(d("sku", "==", "for-ann")),
    )
    token = await token_for(await make_customer("bob@example.com", firstname="Bob"))
    assert await related(client, "p", token=token) == []
    renamed = await gql(client, UPDATE_CUSTOMER, {"input": {"firstname": "Ann"}}, token=token)
    assert renamed.errors == []
    assert await related(client, "p", token=token) == ["for-ann"]


async def test_segments_for_guests(client: Any, admin_token: str) -> None:
    guests = await create_segment(client, admin_token, combine(), apply_to="VISITOR")
    members = await create_segment(client, admin_token, combine(), apply_to="REGISTERED")
    await product("p")
    await product("for-guests")
    await product("for-members")
    await create_rule(
        client,
        admin_token,
        customer_segment_uids=[guests["uid"]],
        actions_serialized=display(d("sku", "==", "for-guests")),
    )
    await create_rule(
        client,
        admin_token,
        customer_segment_uids=[members["uid"]],
        actions_serialized=display(d("sku", "==", "for-members")),
    )
    customer = await token_for(await make_customer("ann@example.com"))
    assert await related(client, "p") == ["for-guests"]
    assert await related(client, "p", token=customer) == ["for-members"]


# --- priority, limits, merging, rotation ------------------------------------------------------


async def test_priority_and_result_limits(client: Any, admin_token: str) -> None:
    await product("p")
    for sku in ("a1", "a2", "a3", "b1", "b2"):
        await product(sku)
    # Created first, but priority 5: runs after the priority-1 rule.
    await create_rule(
        client,
        admin_token,
        name="A",
        sort_order=5,
        positions_limit=2,
        actions_serialized=display(d("sku", "{}", "a")),
    )
    await create_rule(
        client,
        admin_token,
        name="B",
        sort_order=1,
        positions_limit=1,
        actions_serialized=display(d("sku", "{}", "b")),
    )
    # B (priority 1) adds b1 only (limit 1); A (priority 5) adds a1, a2 (limit 2).
    assert await related(client, "p") == ["b1", "a1", "a2"]
    rules = await gql(client, RULES, {}, token=admin_token)
    assert rules.data == {
        "adminRelatedProductRules": {
            "items": [{"name": "B", "sort_order": 1}, {"name": "A", "sort_order": 5}],
            "total_count": 2,
        }
    }


async def test_spec_worked_example_priorities_across_segment_passes(
    client: Any, admin_token: str
) -> None:
    """Spec A.8: A is chosen by R1 (priority 5, pass "All") and R2 (priority 1, pass of segment
    7); Magento keeps the larger value, 5. Rotation 1 then groups by priority: E (1), then A, B,
    D (5) by id."""
    seven = await create_segment(
        client,
        admin_token,
        combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Cy")),
        apply_to="REGISTERED",
    )
    ten = await category("Ten")
    await product("P", "100", (ten,), weight=Decimal(1))
    await product("A", "100", (ten,), weight=Decimal(1))
    await product("B", "100", (ten,))
    await product("D", "100", (ten,))
    await product("E", "100", weight=Decimal(1))
    await create_rule(
        client,
        admin_token,
        name="R1",
        sort_order=5,
        positions_limit=3,
        conditions_serialized=match(m("category_ids", "==", str(ten))),
        actions_serialized=display(d("category_ids", "==", value_type="same_as")),
    )
    await create_rule(
        client,
        admin_token,
        name="R2",
        sort_order=1,
        customer_segment_uids=[seven["uid"]],
        conditions_serialized=match(m("sku", "==", "P")),
        actions_serialized=display(d("weight", "==", value_type="same_as")),
    )
    cy = await token_for(await make_customer("cy@example.com", firstname="Cy"))
    assert await related(client, "P", token=cy) == ["E", "A", "B", "D"]
    assert await related(client, "P") == ["A", "B", "D"]


async def test_position_behaviors_and_limit(client: Any, admin_token: str) -> None:
    await product("p")
    for sku in ("r1", "r2", "r3", "linked"):
        await product(sku)
    await set_links(
        client,
        admin_token,
        {"sku": "p", "link_type": "RELATED", "items": [{"sku": "linked"}, {"sku": "r2"}]},
    )
    await create_rule(client, admin_token, actions_serialized=display(d("sku", "{}", "r")))
    # 0, Both: rule-based first, then the manual links; r2 is linked, so not repeated.
    assert await related(client, "p") == ["r1", "r3", "linked", "r2"]
    await configure(client, related_position_behavior="1")  # Selected Only
    assert await related(client, "p") == ["linked", "r2"]
    await configure(client, related_position_behavior="2")  # Rule-Based Only
    assert await related(client, "p") == ["r1", "r2", "r3"]
    await configure(client, related_position_limit="2")  # cuts the rule-based products
    assert await related(client, "p") == ["r1", "r2"]


async def test_random_rotation_keeps_priority_groups(client: Any, admin_token: str) -> None:
    await configure(client, related_rotation_mode="0")
    await product("p")
    for sku in ("a1", "a2", "a3", "z1", "z2"):
        await product(sku)
    await create_rule(
        client, admin_token, sort_order=1, actions_serialized=display(d("sku", "{}", "a"))
    )
    await create_rule(
        client, admin_token, sort_order=2, actions_serialized=display(d("sku", "{}", "z"))
    )
    seen = set()
    for _ in range(12):
        shown = await related(client, "p")
        assert sorted(shown[:3]) == ["a1", "a2", "a3"]  # priority 1 first, in some order
        assert sorted(shown[3:]) == ["z1", "z2"]
        seen.add(tuple(shown))
    assert len(seen) > 1  # 3! x 2! = 12 orders: twelve draws all equal has odds 12^-11


async def test_upsell_and_crosssell_rules_fill_their_own_lists(
    client: Any, admin_token: str
) -> None:
    await product("p")
    await product("up")
    await product("cross")
    await create_rule(
        client, admin_token, apply_to="UPSELL", actions_serialized=display(d("sku", "==", "up"))
    )
    await create_rule(
        client,
        admin_token,
        apply_to="CROSSSELL",
        actions_serialized=display(d("sku", "==", "cross")),
    )
    assert await lists(client, "p") == {
        "related_products": [],
        "upsell_products": ["up"],
        "crosssell_products": ["cross"],
    }


# --- dates, activity, index and cache ---------------------------------------------------------


async def test_dates_are_checked_at_every_read(
    client: Any, admin_token: str, clock: ManualClock
) -> None:
    await product("p")
    await product("june")
    await create_rule(
        client,
        admin_token,
        from_date="2026-06-16",
        to_date="2026-06-20",
        actions_serialized=display(d("sku", "==", "june")),
    )
    assert await related(client, "p") == []  # June 15 in Chicago
    clock.set(datetime(2026, 6, 16, 5, 0, tzinfo=UTC))  # 00:00 June 16 in Chicago
    assert await related(client, "p") == ["june"]
    clock.set(datetime(2026, 6, 21, 5, 0, tzinfo=UTC))  # June 21: past to_date
    assert await related(client, "p") == []


async def test_rule_and_product_writes_reach_the_lists_at_once(
    client: Any, admin_token: str
) -> None:
    shirts = await category("Shirts")
    await product("tee")
    await product("cap")
    rule = await create_rule(
        client,
        admin_token,
        is_active=False,
        conditions_serialized=match(m("category_ids", "==", str(shirts))),
        actions_serialized=display(d("sku", "==", "cap")),
    )
    assert await related(client, "tee") == []
    on = await gql(
        client, UPDATE, {"uid": rule["uid"], "input": {"is_active": True}}, token=admin_token
    )
    assert on.data["adminUpdateRelatedProductRule"]["rule"]["matched_product_count"] == 0  # type: ignore[index]
    assert await related(client, "tee") == []  # the tee is not in Shirts yet
    tee = await CatalogProductEntity.get(sku="tee")
    moved = await gql(
        client,
        UPDATE_PRODUCT,
        {"uid": encode_uid(tee.entity_id), "input": {"category_uids": [encode_uid(shirts)]}},
        token=admin_token,
    )
    assert moved.data["adminUpdateProduct"]["user_errors"] == []  # type: ignore[index]
    # The product save re-matched it: the index holds (rule, tee) now.
    assert await MagentoTargetruleProduct.filter(rule_id=rule["id"]).count() == 1
    assert await related(client, "tee") == ["cap"]
    gone = await gql(client, DELETE, {"uid": rule["uid"]}, token=admin_token)
    assert gone.data == {
        "adminDeleteRelatedProductRule": {"deleted_uid": rule["uid"], "user_errors": []}
    }
    assert await related(client, "tee") == []


async def test_full_reindex(client: Any, admin_token: str) -> None:
    await product("p")
    await product("q")
    rule = await create_rule(client, admin_token)
    await MagentoTargetruleProduct.all().delete()
    response = await gql(client, REINDEX, token=admin_token)
    assert response.data == {
        "adminReindexRelatedProductRules": {"rule_count": 1, "product_count": 2, "row_count": 2}
    }
    assert await MagentoTargetruleProduct.filter(rule_id=rule["id"]).count() == 2


# --- admin: CRUD, Magento JSON, bad input -----------------------------------------------------


async def test_rule_round_trips_magento_json(client: Any, admin_token: str) -> None:
    shirts = await category("Shirts")
    segment = await create_segment(client, admin_token, combine(), apply_to="BOTH")
    rule = await create_rule(
        client,
        admin_token,
        name="  Shirts  ",
        apply_to="CROSSSELL",
        from_date="2026-06-01",
        to_date="2026-06-30",
        sort_order=2,
        positions_limit=4,
        customer_segment_uids=[segment["uid"]],
        conditions_serialized=match(m("category_ids", "==", str(shirts))),
        actions_serialized=display(
            d("category_ids", "==", value_type="same_as"), price_percent("<=", "120")
        ),
    )
    assert {k: v for k, v in rule.items() if not k.endswith("serialized")} == {
        "uid": encode_uid(rule["id"]),
        "id": rule["id"],
        "name": "Shirts",
        "is_active": True,
        "apply_to": "CROSSSELL",
        "from_date": "2026-06-01",
        "to_date": "2026-06-30",
        "sort_order": 2,
        "positions_limit": 4,
        "customer_segment_uids": [segment["uid"]],
        "matched_product_count": 0,
    }
    assert json.loads(rule["conditions_serialized"]) == {
        "type": M + "Combine",
        "attribute": None,
        "operator": None,
        "value": "1",
        "is_value_processed": None,
        "aggregator": "all",
        "conditions": [
            {
                "type": M + "Product\\Attributes",
                "attribute": "category_ids",
                "operator": "==",
                "value": str(shirts),
                "is_value_processed": False,
            }
        ],
    }
    assert json.loads(rule["actions_serialized"]) == {
        "type": A + "Combine",
        "attribute": None,
        "operator": None,
        "value": "1",
        "is_value_processed": None,
        "aggregator": "all",
        "conditions": [
            {
                "type": A + "Product\\Attributes",
                "attribute": "category_ids",
                "operator": "==",
                "value": "",
                "is_value_processed": False,
                "value_type": "same_as",
            },
            {
                "type": A + "Product\\Special\\Price",
                "attribute": None,
                "operator": "<=",
                "value": "120",
                "is_value_processed": False,
            },
        ],
    }
    # Pasting the stored JSON back gives the same rule.
    again = await create_rule(
        client,
        admin_token,
        conditions_serialized=rule["conditions_serialized"],
        actions_serialized=rule["actions_serialized"],
    )
    assert again["conditions_serialized"] == rule["conditions_serialized"]
    assert again["actions_serialized"] == rule["actions_serialized"]


async def test_bad_rules_are_refused_whole(client: Any, admin_token: str) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "name": "",
                "from_date": "2026-06-10",
                "to_date": "2026-06-01",
                "positions_limit": 21,
                "customer_segment_uids": [encode_uid(99)],
                "conditions_serialized": display(d("sku", "==", "x")),  # the display side's classes
                "actions_serialized": display(
                    d("color_of_nothing", "==", "x"),
                    d("sku", "==", value_type="child_of"),
                    price_percent("!=", "10"),
                    m("sku", "==", "x"),
                ),
            }
        },
        token=admin_token,
    )
    assert response.data == {
        "adminCreateRelatedProductRule": {
            "rule": None,
            "user_errors": [
                {
                    "code": "UNKNOWN_CONDITION",
                    "path": "input.conditions_serialized.type",
                    "message": f"Unknown condition class '{A}Combine' for products to match.",
                },
                {
                    "code": "UNKNOWN_CONDITION",
                    "path": "input.conditions_serialized.conditions.0.type",
                    "message": f"Unknown condition class '{A}Product\\Attributes' "
                    "for products to match.",
                },
                {
                    "code": "UNKNOWN_ATTRIBUTE",
                    "path": "input.actions_serialized.conditions.0.attribute",
                    "message": "Unknown product attribute 'color_of_nothing'.",
                },
                {
                    "code": "INVALID_VALUE",
                    "path": "input.actions_serialized.conditions.1.value_type",
                    "message": "child_of applies to category_ids only.",
                },
                {
                    "code": "INVALID_OPERATOR",
                    "path": "input.actions_serialized.conditions.2.operator",
                    "message": "Operator '!=' is not allowed here.",
                },
                {
                    "code": "UNKNOWN_CONDITION",
                    "path": "input.actions_serialized.conditions.3.type",
                    "message": f"Unknown condition class '{M}Product\\Attributes' for products to "
                    "display.",
                },
                {
                    "code": "REQUIRED",
                    "path": "input.name",
                    "message": '"name" is required. Enter and try again.',
                },
                {
                    "code": "INVALID",
                    "path": "input.to_date",
                    "message": "End Date must follow Start Date.",
                },
                {
                    "code": "INVALID",
                    "path": "input.positions_limit",
                    "message": "Result Limit must be a whole number from 0 to 20 (0 means 20).",
                },
                {
                    "code": "NOT_FOUND",
                    "path": "input.customer_segment_uids.0",
                    "message": 'Could not find a customer segment with ID "99"',
                },
            ],
        }
    }
    assert await MagentoTargetrule.all().count() == 0
    status = await gql(
        client,
        CREATE,
        {
            "input": {
                "name": "status",
                "conditions_serialized": match(m("status", "==", "1")),
                "actions_serialized": display(d("category_ids", "==", "987654")),
            }
        },
        token=admin_token,
    )
    assert status.data["adminCreateRelatedProductRule"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "UNKNOWN_ATTRIBUTE",
            "path": "input.conditions_serialized.conditions.0.attribute",
            "message": "'status' cannot be used in products to match.",
        },
        {
            "code": "NOT_FOUND",
            "path": "input.actions_serialized.conditions.0.value",
            "message": "Unknown category id(s): 987654.",
        },
    ]
    missing = await gql(
        client, UPDATE, {"uid": encode_uid(5), "input": {"name": "x"}}, token=admin_token
    )
    assert missing.data["adminUpdateRelatedProductRule"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "NOT_FOUND",
            "path": "uid",
            "message": "The rule with the specified ID wasn't found. Verify the ID and try again.",
        }
    ]


# --- explain ------------------------------------------------------------------------------------


async def test_explain_names_each_rule_and_the_cut(client: Any, admin_token: str) -> None:
    shirts = await category("Shirts")
    anns = await create_segment(
        client,
        admin_token,
        combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann")),
        apply_to="REGISTERED",
    )
    await product("p")
    for sku in ("r1", "r2", "r3", "linked"):
        await product(sku)
    await set_links(
        client, admin_token, {"sku": "p", "link_type": "RELATED", "items": [{"sku": "linked"}]}
    )
    await configure(client, related_position_limit="2")
    await create_rule(
        client,
        admin_token,
        name="Shirts only",
        sort_order=1,
        conditions_serialized=match(m("category_ids", "==", str(shirts))),
    )
    await create_rule(client, admin_token, name="Off", sort_order=2, is_active=False)
    await create_rule(
        client, admin_token, name="R", sort_order=3, actions_serialized=display(d("sku", "{}", "r"))
    )
    await create_rule(
        client,
        admin_token,
        name="Ann's",
        sort_order=4,
        customer_segment_uids=[anns["uid"]],
        actions_serialized=display(d("sku", "==", "none-such")),
    )
    ann = await make_customer("ann@example.com", firstname="Ann")
    response = await gql(
        client,
        EXPLAIN,
        {"sku": "p", "list": "RELATED", "customer": encode_uid(ann.entity_id)},
        token=admin_token,
    )
    assert response.errors == []
    assert response.data == {
        "adminExplainRelatedProducts": {
            "list_type": "RELATED",
            "customer_group_uid": encode_uid(1),
            "customer_segment_uids": [anns["uid"]],
            "position_behavior": 0,
            "position_limit": 2,
            "rotation_mode": 1,
            "rules": [
                {
                    "name": "Shirts only",
                    "sort_order": 1,
                    "segment_uid": None,
                    "outcome": "NOT_MATCHED",
                    "condition_path": "1--1",
                    "condition": f"Category is {shirts}",
                    "contributed_skus": [],
                },
                {
                    "name": "Off",
                    "sort_order": 2,
                    "segment_uid": None,
                    "outcome": "INACTIVE",
                    "condition_path": None,
                    "condition": None,
                    "contributed_skus": [],
                },
                {
                    "name": "R",
                    "sort_order": 3,
                    "segment_uid": None,
                    "outcome": "APPLIED",
                    "condition_path": None,
                    "condition": None,
                    "contributed_skus": ["r1", "r2", "r3"],
                },
                {
                    "name": "Ann's",
                    "sort_order": 4,
                    "segment_uid": anns["uid"],
                    "outcome": "NOTHING_DISPLAYED",
                    "condition_path": None,
                    "condition": None,
                    "contributed_skus": [],
                },
            ],
            "rule_based_skus": ["r1", "r2"],
            "manual_skus": ["linked"],
            "cut_skus": ["r3"],
            "shown_skus": ["r1", "r2", "linked"],
        }
    }
    # A guest (no customer, no cart): no segments, so Ann's rule is not even run.
    guest = await gql(client, EXPLAIN, {"sku": "p", "list": "RELATED"}, token=admin_token)
    assert [r["name"] for r in guest.data["adminExplainRelatedProducts"]["rules"]] == [  # type: ignore[index]
        "Shirts only",
        "Off",
        "R",
    ]
    refused = await gql(client, EXPLAIN, {"sku": "p", "list": "RELATED"})
    assert refused.categories == ["graphql-authorization"]
