"""Catalog price rules for admins, through HTTP: CRUD, bad input (nothing saved), the index kept
current in the same transaction on rule and product writes, and "Apply Rules"."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from engine import catalog, prices
from engine.catalog import CategoryChanges, ProductChanges
from engine.pricing import rule_index
from graph.uids import encode_uid
from models import CatalogProductEntity as Product
from models import Catalogrule, CatalogruleProduct, CatalogruleProductPrice, CustomerGroup
from tests.factories import make_customer, token_for
from tests.graphql import gql

RULE_FIELDS = """
uid id name description is_active website_uids customer_group_uids from_date to_date
sort_order stop_rules_processing simple_action discount_amount conditions_serialized
conditions { type aggregator value conditions { type attribute operator value } }
"""
CREATE = f"""
mutation ($input: CatalogRuleCreateInput!) {{
  adminCreateCatalogRule(input: $input) {{
    catalog_rule {{ {RULE_FIELDS} }} user_errors {{ code message path }}
  }}
}}
"""
UPDATE = f"""
mutation ($uid: ID!, $input: CatalogRuleUpdateInput!) {{
  adminUpdateCatalogRule(uid: $uid, input: $input) {{
    catalog_rule {{ {RULE_FIELDS} }} user_errors {{ code message path }}
  }}
}}
"""
DELETE = """
mutation ($uid: ID!) {
  adminDeleteCatalogRule(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""
ONE = f"query ($uid: ID!) {{ adminCatalogRule(uid: $uid) {{ {RULE_FIELDS} }} }}"
LIST = """
query ($filter: CatalogRuleFilterInput, $pageSize: Int, $currentPage: Int) {
  adminCatalogRules(filter: $filter, pageSize: $pageSize, currentPage: $currentPage) {
    items { name } total_count page_info { current_page page_size total_pages }
  }
}
"""
APPLY = """
mutation { adminApplyCatalogRules {
  rule_count rule_product_count product_count price_count user_errors { code }
} }
"""

WEBSITE_1 = encode_uid(1)
GENERAL, NOT_LOGGED_IN = encode_uid(1), encode_uid(0)
TODAY = prices.local_today("America/Chicago")


def in_categories(*category_ids: int) -> dict[str, Any]:
    return {
        "type": "COMBINE",
        "aggregator": "ALL",
        "value": ["1"],
        "conditions": [
            {
                "type": "PRODUCT",
                "attribute": "category_ids",
                "operator": "ONE_OF",
                "value": [str(c) for c in category_ids],
            }
        ],
    }


def rule_input(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "Summer",
        "website_uids": [WEBSITE_1],
        "customer_group_uids": [NOT_LOGGED_IN, GENERAL],
        "simple_action": "BY_PERCENT",
        "discount_amount": 10,
    }
    base.update(fields)
    return base


async def create_rule(client: Any, token: str, **fields: Any) -> dict[str, Any]:
    response = await gql(client, CREATE, {"input": rule_input(**fields)}, token=token)
    assert response.errors == [], response.errors
    out = response.data["adminCreateCatalogRule"]  # type: ignore[index]
    assert out["user_errors"] == []
    rule: dict[str, Any] = out["catalog_rule"]
    return rule


async def product(sku: str, price: str, category_ids: tuple[int, ...] = ()) -> int:
    details = await catalog.create_product(
        ProductChanges(sku=sku, name=sku.title(), price=Decimal(price), category_ids=category_ids)
    )
    return details.product.entity_id


async def category(name: str) -> int:
    row = await catalog.create_category(CategoryChanges(name=name, parent_id=2))
    return row.entity_id


async def matches() -> list[tuple[int, int, int, int]]:
    """(rule, product, website, group) rows of `catalogrule_product`."""
    rows = await CatalogruleProduct.all().values_list(
        "rule_id", "product_id", "website_id", "customer_group_id"
    )
    return sorted((int(r), int(p), int(w), int(g)) for r, p, w, g in rows)


async def price_of(product_id: int, group_id: int = 0, day: date = TODAY) -> Decimal | None:
    row = await Product.get(entity_id=product_id)
    return (await rule_index.rule_prices([row], 1, group_id, day)).get(product_id)


async def test_create_read_and_list_a_rule(client: Any, admin_token: str) -> None:
    shirts = await category("Shirts")
    shirt = await product("shirt", "40", (shirts,))
    mug = await product("mug", "8")
    rule = await create_rule(
        client,
        admin_token,
        description="Shirts for summer",
        from_date="2026-06-01",
        to_date="2026-08-31",
        sort_order=3,
        stop_rules_processing=False,
        conditions=in_categories(shirts),
    )
    rule_id = rule["id"]
    assert rule == {
        "uid": encode_uid(rule_id),
        "id": rule_id,
        "name": "Summer",
        "description": "Shirts for summer",
        "is_active": True,
        "website_uids": [WEBSITE_1],
        "customer_group_uids": [NOT_LOGGED_IN, GENERAL],
        "from_date": "2026-06-01",
        "to_date": "2026-08-31",
        "sort_order": 3,
        "stop_rules_processing": False,
        "simple_action": "BY_PERCENT",
        "discount_amount": 10.0,
        "conditions_serialized": rule["conditions_serialized"],
        "conditions": {
            "type": "COMBINE",
            "aggregator": "ALL",
            "value": ["1"],
            "conditions": [
                {
                    "type": "PRODUCT",
                    "attribute": "category_ids",
                    "operator": "ONE_OF",
                    "value": [str(shirts)],
                }
            ],
        },
    }
    stored = json.loads(rule["conditions_serialized"])
    assert stored["type"] == "Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine"
    assert (
        stored["conditions"][0]["type"] == "Magento\\CatalogRule\\Model\\Rule\\Condition\\Product"
    )
    # Saved and applied in one go: the shirt matches for both groups, the mug does not.
    assert await matches() == [(rule_id, shirt, 1, 0), (rule_id, shirt, 1, 1)]
    assert mug not in {m[1] for m in await matches()}

    one = await gql(client, ONE, {"uid": rule["uid"]}, token=admin_token)
    assert one.data == {"adminCatalogRule": rule}
    await create_rule(client, admin_token, name="Winter", is_active=False)
    listed = await gql(
        client, LIST, {"filter": {"is_active": True}, "pageSize": 1}, token=admin_token
    )
    assert listed.data == {
        "adminCatalogRules": {
            "items": [{"name": "Summer"}],
            "total_count": 1,
            "page_info": {"current_page": 1, "page_size": 1, "total_pages": 1},
        }
    }
    by_name = await gql(client, LIST, {"filter": {"name": {"match": "wint"}}}, token=admin_token)
    assert by_name.data["adminCatalogRules"]["items"] == [{"name": "Winter"}]  # type: ignore[index]
    on_website = await gql(client, LIST, {"filter": {"website_uid": WEBSITE_1}}, token=admin_token)
    assert on_website.data["adminCatalogRules"]["total_count"] == 2  # type: ignore[index]
    elsewhere = await gql(
        client, LIST, {"filter": {"website_uid": encode_uid(5)}}, token=admin_token
    )
    assert elsewhere.data["adminCatalogRules"]["total_count"] == 0  # type: ignore[index]


async def test_magento_json_is_accepted_and_given_back(client: Any, admin_token: str) -> None:
    shirts = await category("Shirts")
    shirt = await product("shirt", "40", (shirts,))
    pasted = json.dumps(
        {
            "type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Combine",
            "attribute": None,
            "operator": None,
            "value": "1",
            "is_value_processed": None,
            "aggregator": "all",
            "conditions": [
                {
                    "type": "Magento\\CatalogRule\\Model\\Rule\\Condition\\Product",
                    "attribute": "category_ids",
                    "operator": "==",
                    "value": str(shirts),
                    "is_value_processed": False,
                }
            ],
        }
    )
    rule = await create_rule(client, admin_token, conditions_serialized=pasted)
    assert rule["conditions"]["conditions"] == [
        {"type": "PRODUCT", "attribute": "category_ids", "operator": "IS", "value": [str(shirts)]}
    ]
    assert json.loads(rule["conditions_serialized"]) == json.loads(pasted)
    assert {m[1] for m in await matches()} == {shirt}


async def test_bad_input_is_reported_at_once_and_nothing_is_saved(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": rule_input(
                name=" ",
                website_uids=[encode_uid(9)],
                customer_group_uids=[encode_uid(77)],
                from_date="2026-07-01",
                to_date="2026-06-30",
                discount_amount=100.5,
                conditions={
                    "type": "COMBINE",
                    "aggregator": "ALL",
                    "value": ["1"],
                    "conditions": [
                        {
                            "type": "PRODUCT",
                            "attribute": "no_such",
                            "operator": "IS",
                            "value": ["1"],
                        }
                    ],
                },
            )
        },
        token=admin_token,
    )
    out = response.data["adminCreateCatalogRule"]  # type: ignore[index]
    assert out["catalog_rule"] is None
    codes = [(e["code"], e["path"]) for e in out["user_errors"]]
    assert codes == [
        ("UNKNOWN_ATTRIBUTE", "input.conditions.conditions.0.attribute"),
        ("REQUIRED", "input.name"),
        ("INVALID", "input.to_date"),
        ("INVALID", "input.discount_amount"),
        ("NOT_FOUND", "input.website_uids.0"),
        ("NOT_FOUND", "input.customer_group_uids.0"),
    ]
    messages = [e["message"] for e in out["user_errors"][1:]]
    assert messages == [
        '"name" is required. Enter and try again.',
        "End Date must follow Start Date.",
        "Percentage discount should be between 0 and 100.",
        'Could not find a website with ID "9"',
        "No such entity with id = 77",
    ]
    assert await Catalogrule.all().count() == 0


async def test_amount_limits_per_action(client: Any, admin_token: str) -> None:
    async def errors(**fields: Any) -> list[dict[str, str]]:
        response = await gql(client, CREATE, {"input": rule_input(**fields)}, token=admin_token)
        result: list[dict[str, str]] = response.data["adminCreateCatalogRule"]["user_errors"]  # type: ignore[index]
        return result

    negative = {
        "code": "INVALID",
        "message": "Discount value should be 0 or greater.",
        "path": "input.discount_amount",
    }
    percent = {
        "code": "INVALID",
        "message": "Percentage discount should be between 0 and 100.",
        "path": "input.discount_amount",
    }
    assert await errors(simple_action="BY_FIXED", discount_amount=-1) == [negative]
    assert await errors(simple_action="TO_FIXED", discount_amount=-0.01) == [negative]
    assert await errors(simple_action="TO_PERCENT", discount_amount=101) == [percent]
    assert await errors(simple_action="BY_PERCENT", discount_amount=-5) == [percent]
    assert await errors(simple_action="BY_FIXED", discount_amount=250) == []
    assert await errors(website_uids=[], customer_group_uids=[]) == [
        {"code": "REQUIRED", "message": "Please specify a website.", "path": "input.website_uids"},
        {
            "code": "REQUIRED",
            "message": "Please specify Customer Groups.",
            "path": "input.customer_group_uids",
        },
    ]
    both = await errors(conditions=in_categories(2), conditions_serialized="{}")
    assert both == [
        {
            "code": "INVALID",
            "message": "Give the conditions either typed or as Magento's JSON, not both.",
            "path": "input.conditions_serialized",
        }
    ]
    assert await Catalogrule.all().count() == 1


async def test_update_reprices_at_once_and_delete_withdraws(client: Any, admin_token: str) -> None:
    shirt = await product("shirt", "40")
    rule = await create_rule(client, admin_token, description="old")
    assert await price_of(shirt) == Decimal("36.00")
    assert await CatalogruleProductPrice.filter(product_id=shirt).count() == 6  # 2 groups x 3 days

    response = await gql(
        client,
        UPDATE,
        {
            "uid": rule["uid"],
            "input": {
                "simple_action": "TO_FIXED",
                "discount_amount": 25,
                "description": None,
                "customer_group_uids": [GENERAL],
            },
        },
        token=admin_token,
    )
    out = response.data["adminUpdateCatalogRule"]  # type: ignore[index]
    assert out["user_errors"] == []
    updated = out["catalog_rule"]
    assert (updated["simple_action"], updated["discount_amount"], updated["description"]) == (
        "TO_FIXED",
        25.0,
        None,
    )
    assert updated["name"] == "Summer"  # omitted fields stay
    assert await price_of(shirt, group_id=0) is None
    assert await price_of(shirt, group_id=1) == Decimal("25.00")

    refused = await gql(
        client,
        UPDATE,
        {"uid": rule["uid"], "input": {"simple_action": "BY_PERCENT", "discount_amount": 120}},
        token=admin_token,
    )
    assert refused.data["adminUpdateCatalogRule"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID",
            "message": "Percentage discount should be between 0 and 100.",
            "path": "input.discount_amount",
        }
    ]
    assert await price_of(shirt, group_id=1) == Decimal("25.00")

    inactive = await gql(
        client, UPDATE, {"uid": rule["uid"], "input": {"is_active": False}}, token=admin_token
    )
    assert inactive.data["adminUpdateCatalogRule"]["user_errors"] == []  # type: ignore[index]
    assert await matches() == []
    assert await CatalogruleProductPrice.all().count() == 0

    await gql(client, UPDATE, {"uid": rule["uid"], "input": {"is_active": True}}, token=admin_token)
    assert await price_of(shirt, group_id=1) == Decimal("25.00")
    deleted = await gql(client, DELETE, {"uid": rule["uid"]}, token=admin_token)
    assert deleted.data == {
        "adminDeleteCatalogRule": {"deleted_uid": rule["uid"], "user_errors": []}
    }
    assert await matches() == []
    assert await CatalogruleProductPrice.all().count() == 0
    again = await gql(client, DELETE, {"uid": rule["uid"]}, token=admin_token)
    assert again.data == {
        "adminDeleteCatalogRule": {
            "deleted_uid": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": "The rule with the specified ID wasn't found. Verify the ID and "
                    "try again.",
                    "path": "uid",
                }
            ],
        }
    }


async def test_product_writes_keep_the_index_current(client: Any, admin_token: str) -> None:
    shirts = await category("Shirts")
    rule = await create_rule(client, admin_token, conditions=in_categories(shirts))
    rule_id = rule["id"]
    shirt = await product("shirt", "40", (shirts,))
    assert await matches() == [(rule_id, shirt, 1, 0), (rule_id, shirt, 1, 1)]
    mug = await product("mug", "8")
    assert await price_of(mug) is None
    # The mug moves into the category, the shirt's price changes, then it leaves the category.
    await catalog.update_product(mug, ProductChanges(category_ids=(shirts,)))
    assert await price_of(mug) == Decimal("7.20")
    await catalog.update_product(shirt, ProductChanges(price=Decimal("50")))
    assert await price_of(shirt) == Decimal("45.00")
    assert await CatalogruleProductPrice.get(
        product_id=shirt, customer_group_id=0, rule_date=TODAY
    ).values_list("rule_price", flat=True) == Decimal("45.000000")
    await catalog.update_product(shirt, ProductChanges(category_ids=()))
    assert await price_of(shirt) is None
    assert await CatalogruleProductPrice.filter(product_id=shirt).count() == 0
    # Deleting the category unlinks the mug: the rule no longer matches it.
    await catalog.delete_category(shirts)
    assert await matches() == []
    # A product off the rule's website never matches.
    await catalog.update_product(mug, ProductChanges(category_ids=()))
    await gql(
        client, UPDATE, {"uid": rule["uid"], "input": {"conditions": None}}, token=admin_token
    )
    assert {m[1] for m in await matches()} == {shirt, mug}
    await catalog.update_product(mug, ProductChanges(website_ids=()))
    assert {m[1] for m in await matches()} == {shirt}
    await catalog.delete_product(shirt)
    assert await matches() == []


UPDATE_GROUP = """
mutation ($uid: ID!, $input: CustomerGroupUpdateInput!) {
  adminUpdateCustomerGroup(uid: $uid, input: $input) { user_errors { code } }
}
"""
DELETE_GROUP = "mutation ($uid: ID!) { adminDeleteCustomerGroup(uid: $uid) { deleted_uid } }"


async def test_excluded_group_website_pairs_get_no_rule(client: Any, admin_token: str) -> None:
    shirt = await product("shirt", "40")
    group = await CustomerGroup.create(customer_group_code="Outlet", tax_class_id=3)
    outlet, group_uid = group.customer_group_id, encode_uid(group.customer_group_id)
    await create_rule(client, admin_token, customer_group_uids=[GENERAL, group_uid])
    assert {(m[1], m[3]) for m in await matches()} == {(shirt, 1), (shirt, outlet)}
    assert await price_of(shirt, group_id=outlet) == Decimal("36.00")
    # Excluding website 1 for the group withdraws its rule prices there at once.
    excluded = {"uid": group_uid, "input": {"excluded_website_uids": [WEBSITE_1]}}
    response = await gql(client, UPDATE_GROUP, excluded, token=admin_token)
    assert response.data == {"adminUpdateCustomerGroup": {"user_errors": []}}
    assert {(m[1], m[3]) for m in await matches()} == {(shirt, 1)}
    assert await price_of(shirt, group_id=outlet) is None
    included = {"uid": group_uid, "input": {"excluded_website_uids": []}}
    await gql(client, UPDATE_GROUP, included, token=admin_token)
    assert await price_of(shirt, group_id=outlet) == Decimal("36.00")
    # A deleted group leaves no index rows behind.
    deleted = await gql(client, DELETE_GROUP, {"uid": group_uid}, token=admin_token)
    assert deleted.data == {"adminDeleteCustomerGroup": {"deleted_uid": group_uid}}
    assert {(m[1], m[3]) for m in await matches()} == {(shirt, 1)}
    assert await CatalogruleProductPrice.filter(customer_group_id=outlet).count() == 0


async def test_apply_rules_rebuilds_everything(client: Any, admin_token: str) -> None:
    shirt = await product("shirt", "40")
    await product("mug", "8")
    await create_rule(client, admin_token, customer_group_uids=[GENERAL])
    await create_rule(client, admin_token, name="Off", is_active=False)
    await CatalogruleProduct.all().delete()
    await CatalogruleProductPrice.all().delete()
    response = await gql(client, APPLY, token=admin_token)
    assert response.data == {
        "adminApplyCatalogRules": {
            "rule_count": 1,
            "rule_product_count": 2,
            "product_count": 2,
            "price_count": 6,
            "user_errors": [],
        }
    }
    assert await price_of(shirt, group_id=1) == Decimal("36.00")


async def test_only_admins_manage_rules(client: Any, db: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    response = await gql(client, APPLY, token=token)
    assert response.data is None
    assert response.categories == ["graphql-authorization"]
    guest = await gql(client, LIST)
    assert guest.categories == ["graphql-authorization"]


async def test_conditions_on_product_attributes(client: Any, admin_token: str) -> None:
    shirt = await product("shirt", "40")
    await product("hat", "50")
    await product("mug", "8")
    conditions = {
        "type": "COMBINE",
        "aggregator": "ALL",
        "value": ["1"],
        "conditions": [
            {
                "type": "PRODUCT",
                "attribute": "price",
                "operator": "GREATER_OR_EQUAL",
                "value": ["30"],
            },
            {"type": "PRODUCT", "attribute": "sku", "operator": "IS_NOT", "value": ["hat"]},
        ],
    }
    await create_rule(client, admin_token, conditions=conditions, customer_group_uids=[GENERAL])
    assert {m[1] for m in await matches()} == {shirt}


async def test_a_stored_rule_that_cannot_be_read_matches_nothing(
    client: Any, admin_token: str
) -> None:
    shirt = await product("shirt", "40")
    rule = await create_rule(client, admin_token, customer_group_uids=[GENERAL])
    await create_rule(
        client, admin_token, name="Other", customer_group_uids=[GENERAL], sort_order=1
    )
    await Catalogrule.filter(rule_id=rule["id"]).update(conditions_serialized="{not json")
    response = await gql(client, APPLY, token=admin_token)
    assert response.data["adminApplyCatalogRules"]["rule_count"] == 1  # type: ignore[index]
    assert await matches() == [(rule["id"] + 1, shirt, 1, 1)]
