"""Adobe Commerce trees pasted as its admin stores them: accepted, stored byte-identical, and
selecting the customers Magento selects (issue 13, items 1 and 2), through HTTP. Each row is a
`conditions_serialized` exactly as Magento writes it and the expected member emails; the members
come from `adminPreviewSegment` (the SQL compiler, on the test backend) and, for the stored
copy, from the segment's own refresh.

Given, on the default website:
- Ann: female, born 1956-07-17, subscribed, store credit 50.00; addresses Austin (Texas,
  region_id 57, default billing) and London (region "" - an empty text); orders of 100 and 50;
  viewed P1 (price 100, material o1+o2, categories C1 and C2).
- Bob: gender not set, store credit 0.00; an address in Paris without region; no orders; viewed
  P2 (price 19.99, material o3, category C2).
- Cy: male, no store-credit row, no address, no orders; viewed P3 (price 5, no material row, no
  category).
- Dee: one address in Lyon with region "" only; one order of 30."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from models import (
    AddressType,
    BackendType,
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CatalogEavAttribute,
    CatalogProductEntityVarchar,
    EavAttribute,
    EavAttributeOption,
    EntityType,
    FrontendInput,
    MagentoCustomerbalance,
    NewsletterSubscriber,
    OrderState,
    ReportViewedProductIndex,
    SubscriberStatus,
)
from tests.factories import make_address, make_customer
from tests.graphql import gql
from tests.test_orders_support import make_product
from tests.test_segments_conditions import make_order
from tests.test_segments_support import CREATE, STATUS, member_emails, wait_refreshed

ANN, BOB, CY, DEE = "ann@example.com", "bob@example.com", "cy@example.com", "dee@example.com"
NS = r"Magento\\CustomerSegment\\Model\\Segment\\Condition\\"

PREVIEW = """
query ($input: SegmentPreviewInput!) {
  adminPreviewSegment(input: $input, pageSize: 50) {
    items { email }
    user_errors { code message path }
  }
}
"""


@dataclass(frozen=True)
class Shop:
    o1: int
    o2: int
    o3: int
    c1: int
    c2: int


@pytest.fixture
async def shop(db: Any) -> Shop:
    now = datetime.now(UTC)
    material = await EavAttribute.create(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code="material",
        backend_type=BackendType.VARCHAR,
        frontend_input=FrontendInput.MULTISELECT,
        frontend_label="Material",
    )
    await CatalogEavAttribute.create(attribute=material, is_used_for_promo_rules=True)
    o1, o2, o3 = [await EavAttributeOption.create(attribute=material) for _ in range(3)]
    c1, c2 = [
        await CatalogCategoryEntity.create(path=f"1/2/{n}", level=2, parent_id=2, name=n)
        for n in ("C1", "C2")
    ]
    p1 = await make_product("P1", "100.00")
    p2 = await make_product("P2", "19.99")
    p3 = await make_product("P3", "5.00")
    for product, value in ((p1, f"{o1.option_id},{o2.option_id}"), (p2, str(o3.option_id))):
        await CatalogProductEntityVarchar.create(
            attribute=material, entity=product, store_id=0, value=value
        )
    for category, product in ((c1, p1), (c2, p1), (c2, p2)):
        await CatalogCategoryProduct.create(category=category, product=product)

    ann = await make_customer(ANN, firstname="Ann", gender=2, dob=date(1956, 7, 17))
    bob = await make_customer(BOB, firstname="Bob", gender=None)
    cy = await make_customer(CY, firstname="Cy", gender=1)
    dee = await make_customer(DEE, firstname="Dee")
    austin = await make_address(ann, city="Austin")
    await make_address(ann, city="London", country_id="GB", region_id=None, region="")
    ann.default_billing = austin.entity_id
    await ann.save()
    await make_address(bob, city="Paris", country_id="FR", region_id=None, region=None)
    await make_address(dee, city="Lyon", country_id="FR", region_id=None, region="")
    await NewsletterSubscriber.create(
        store_id=1,
        customer_id=ann.entity_id,
        subscriber_email=ANN,
        subscriber_status=SubscriberStatus.SUBSCRIBED,
    )
    await MagentoCustomerbalance.create(customer_id=ann.entity_id, website_id=1, amount=50)
    await MagentoCustomerbalance.create(customer_id=bob.entity_id, website_id=1, amount=0)
    shipping = (AddressType.SHIPPING, "Austin")
    for number, who, total in (
        ("100001", ann, "100"),
        ("100002", ann, "50"),
        ("100003", dee, "30"),
    ):
        await make_order(
            who,
            number,
            status=OrderState.COMPLETE,
            total=total,
            lines=[(p1, "1")],
            age=timedelta(days=3),
            address=shipping,
        )
    for who, product in ((ann, p1), (bob, p2), (cy, p3)):
        await ReportViewedProductIndex.create(
            customer_id=who.entity_id, product_id=product.entity_id, store_id=1, added_at=now
        )
    return Shop(o1.option_id, o2.option_id, o3.option_id, c1.entity_id, c2.entity_id)


# --- Magento's JSON, as its admin writes it ----------------------------------------------------


def root(*conditions: str, aggregator: str = "all") -> str:
    inner = f',"conditions":[{",".join(conditions)}]' if conditions else ""
    return (
        f'{{"type":"{NS}Combine\\\\Root","attribute":null,"operator":null,"value":"1",'
        f'"is_value_processed":null,"aggregator":"{aggregator}"{inner}}}'
    )


def node(php: str, attribute: str, operator: str, value: str) -> str:
    """A leaf; `attribute`, `operator` and `value` are JSON texts (`false`, `null`, `"=="`)."""
    return (
        f'{{"type":"{NS}{php}","attribute":{attribute},"operator":{operator},"value":{value},'
        f'"is_value_processed":false}}'
    )


def address(*conditions: str) -> str:
    return (
        f'{{"type":"{NS}Customer\\\\Address","attribute":null,"operator":null,"value":null,'
        f'"is_value_processed":null,"aggregator":"all","conditions":[{",".join(conditions)}]}}'
    )


def viewed(*conditions: str) -> str:
    return (
        f'{{"type":"{NS}Product\\\\Combine\\\\History","attribute":null,"operator":"==",'
        f'"value":"viewed_history","is_value_processed":null,"aggregator":"all",'
        f'"conditions":[{",".join(conditions)}]}}'
    )


def product(attribute: str, operator: str, value: str) -> str:
    return node("Product\\\\Attributes", f'"{attribute}"', f'"{operator}"', value)


def city(operator: str, value: str) -> str:
    return node("Customer\\\\Address\\\\Attributes", '"city"', f'"{operator}"', f'"{value}"')


def sales_amount(function: str, operator: str, value: str) -> str:
    return (
        f'{{"type":"{NS}Sales\\\\Salesamount","attribute":"{function}","operator":"{operator}",'
        f'"value":"{value}","is_value_processed":null,"aggregator":"all"}}'
    )


def accepted_cases(s: Shop) -> list[tuple[str, str, list[str]]]:
    """Item 1: trees Magento's admin saves, refused before, with the members they select."""
    return [
        (
            "newsletter: attribute and operator false",
            root(node("Customer\\\\Newsletter", "false", "false", '"1"')),
            [ANN],
        ),
        (
            "newsletter not subscribed: attribute false",
            root(node("Customer\\\\Newsletter", "false", '"=="', '"0"')),
            [BOB, CY, DEE],
        ),
        (
            "has State/Province: attribute and operator false",
            root(address(node("Customer\\\\Address\\\\Region", "false", "false", '"1"'))),
            [ANN, DEE],
        ),
        (
            "default billing address: attribute false",
            root(
                address(
                    node(
                        "Customer\\\\Address\\\\DefaultAddress",
                        "false",
                        "false",
                        '"default_billing"',
                    )
                )
            ),
            [ANN],
        ),
        (
            "customer default shipping does not exist",
            root(node("Customer\\\\Attributes", '"default_shipping"', '"=="', '"is_not_exists"')),
            [ANN, BOB, CY, DEE],
        ),
        (
            "product multiselect contains (array)",
            root(viewed(product("material", "{}", f'["{s.o1}","{s.o2}"]'))),
            [ANN],
        ),
        (
            "product multiselect does not contain",
            root(viewed(product("material", "!{}", f'["{s.o1}"]'))),
            [BOB],
        ),
        (
            "product multiselect is one of",
            root(viewed(product("material", "()", f'["{s.o2}","{s.o3}"]'))),
            [ANN, BOB],
        ),
        (
            "product multiselect is not one of",
            root(viewed(product("material", "!()", f'["{s.o3}"]'))),
            [ANN],
        ),
        ("price contains", root(viewed(product("price", "{}", '"9.99"'))), [BOB]),
        ("price does not contain", root(viewed(product("price", "!{}", '"00.0"'))), [BOB, CY]),
        ("price as a float", root(viewed(product("price", ">=", "50.5"))), [ANN]),
        (
            "category contains (one of them)",
            root(viewed(product("category_ids", "{}", f'"{s.c1}, {s.c2}"'))),
            [ANN, BOB],
        ),
        (
            "category does not contain",
            root(viewed(product("category_ids", "!{}", f'"{s.c1}"'))),
            [BOB, CY],
        ),
        (
            "Customer Address nested in Customer Address",
            root(address(city("==", "Austin"), address(city("==", "London")))),
            [ANN],
        ),
        (
            "date of birth with a time",
            root(node("Customer\\\\Attributes", '"dob"', '"=="', '"1956-07-17 23:59:59"')),
            [ANN],
        ),
    ]


def member_cases(s: Shop) -> list[tuple[str, str, list[str]]]:
    """Item 2: the members Magento selects where its evaluation paths agree."""
    return [
        # NULL never matches, negative operators included.
        (
            "gender is not Male",
            root(node("Customer\\\\Attributes", '"gender"', '"!="', '"1"')),
            [ANN],
        ),
        (
            "gender is not one of Female",
            root(node("Customer\\\\Attributes", '"gender"', '"!()"', '"2"')),
            [CY],
        ),
        (
            "missing EAV row fails !()",
            root(viewed(product("material", "!()", f'["{s.o1}"]'))),
            [BOB],
        ),
        # Store credit: no row on the website never matches, a 0.00 row does.
        (
            "store credit less than 10",
            root(node("Customer\\\\Storecredit", "null", '"<"', '"10"')),
            [BOB],
        ),
        (
            "store credit is not 50",
            root(node("Customer\\\\Storecredit", "null", '"!="', '"50"')),
            [BOB],
        ),
        # Sales amount over no matching order is 0.
        ("total sales less than 100", root(sales_amount("total", "<", "100")), [BOB, CY, DEE]),
        ("average sales at most 0", root(sales_amount("average", "<=", "0")), [BOB, CY]),
        ("total sales at least 150", root(sales_amount("total", ">=", "150")), [ANN]),
        # An empty region text is a region.
        (
            "does not have State/Province",
            root(address(node("Customer\\\\Address\\\\Region", "false", '"=="', '"0"'))),
            [BOB],
        ),
        # A nested Customer Address is its own "some address matches".
        (
            "an Austin address and some address in Paris",
            root(address(city("==", "Austin"), address(city("==", "Paris")))),
            [],
        ),
        (
            "an Austin address and some address not in Austin",
            root(address(city("==", "Austin"), address(city("!=", "Austin")))),
            [ANN],
        ),
        (
            "an address with region and some address in Lyon",
            root(
                address(
                    node("Customer\\\\Address\\\\Region", "false", "false", '"1"'),
                    address(city("!=", "Lyon")),
                )
            ),
            [ANN],
        ),
    ]


async def preview(client: Any, token: str, tree: str) -> list[str]:
    response = await gql(
        client,
        PREVIEW,
        {"input": {"website_uid": "MQ==", "conditions_serialized": tree}},
        token=token,
    )
    assert response.errors == [], response.errors
    result = response.data["adminPreviewSegment"]  # type: ignore[index]
    assert result["user_errors"] == [], result["user_errors"]
    return sorted(item["email"] for item in result["items"])


async def test_every_tree_magento_saves_is_accepted_as_stored(
    client: Any, admin_token: str, shop: Shop
) -> None:
    for name, tree, expected in accepted_cases(shop):
        assert await preview(client, admin_token, tree) == expected, name


async def test_the_same_members_as_magento(client: Any, admin_token: str, shop: Shop) -> None:
    for name, tree, expected in member_cases(shop):
        assert await preview(client, admin_token, tree) == expected, name


async def test_a_pasted_tree_is_stored_byte_identical_and_refreshed(
    client: Any, admin_token: str, shop: Shop
) -> None:
    tree = root(
        node("Customer\\\\Newsletter", "false", "false", '"1"'),
        address(
            node("Customer\\\\Address\\\\DefaultAddress", "false", "false", '"default_billing"'),
            address(city("==", "London")),
        ),
        viewed(product("material", "{}", f'["{shop.o1}"]'), product("price", "{}", '"100"')),
    )
    response = await gql(
        client,
        CREATE,
        {"input": {"name": "Pasted", "website_uids": ["MQ=="], "conditions_serialized": tree}},
        token=admin_token,
    )
    assert response.errors == [], response.errors
    created = response.data["adminCreateSegment"]  # type: ignore[index]
    assert created["user_errors"] == []
    assert created["segment"]["conditions_serialized"] == tree
    uid = created["segment"]["uid"]
    assert (await wait_refreshed(client, admin_token, uid))["status"] == "DONE"
    assert await member_emails(client, admin_token, uid) == [ANN]


async def test_a_visitors_only_segment_ends_its_refresh_saying_so(
    client: Any, admin_token: str, db: Any
) -> None:
    cart = (
        f'{{"type":"{NS}Shoppingcart\\\\Itemsquantity","attribute":null,"operator":">=",'
        f'"value":"1","is_value_processed":false}}'
    )
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "name": "Guests with a cart",
                "website_uids": ["MQ=="],
                "apply_to": "VISITOR",
                "conditions_serialized": root(cart),
            }
        },
        token=admin_token,
    )
    assert response.errors == [], response.errors
    uid = response.data["adminCreateSegment"]["segment"]["uid"]  # type: ignore[index]
    status = await gql(client, STATUS, {"uid": uid}, token=admin_token)
    assert status.data == {
        "adminSegment": {"refresh": {"status": "VISITORS_ONLY", "matched_count": 0, "error": None}}
    }
