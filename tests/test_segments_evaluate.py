"""The in-memory evaluator: `compare` (the reference semantics the SQL compiler matches), every node
type evaluated on small real data loaded through `load_facts`, guests versus customers, the
NULL / empty-group / undefined rules, and `explain`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from tortoise.context import TortoiseContext

from engine.segments import magento_json
from engine.segments.catalog import load_catalog
from engine.segments.catalog_types import Catalog, Storage
from engine.segments.compare import compare, day_start, up_to_date_threshold
from engine.segments.drafts import ConditionType
from engine.segments.evaluate import ExplainedNode, evaluate, explain
from engine.segments.facts import Facts, load_facts
from engine.segments.scope import Scope
from engine.segments.scope_loader import build_scope
from engine.segments.tree import (
    AddressAttribute,
    AddressHasRegion,
    Aggregator,
    CartAmount,
    CartAmountKind,
    CartLineItems,
    CartProductsQuantity,
    Combine,
    CustomerAddress,
    CustomerAttribute,
    DateRange,
    DefaultAddress,
    DefaultAddressKind,
    InputType,
    Newsletter,
    Node,
    Operator,
    OrderAddress,
    OrderAddressAttribute,
    OrderAddressKind,
    OrderAddressType,
    OrdersNumber,
    OrderStatus,
    ProductAttribute,
    ProductCombine,
    ProductHistory,
    ProductHistoryAction,
    ProductList,
    ProductListSource,
    PurchasedQuantity,
    SalesAmount,
    SalesFunction,
    SegmentMembership,
    StoreCredit,
    UpToDate,
)
from engine.segments.validate import dump_tree
from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CatalogEavAttribute,
    CatalogProductEntity,
    CatalogProductEntityVarchar,
    CustomerAddressEntityVarchar,
    CustomerEavAttribute,
    CustomerEntity,
    CustomerEntityVarchar,
    CustomerVisitor,
    EavAttribute,
    MagentoCustomerbalance,
    MagentoCustomersegmentSegment,
    MagentoCustomersegmentWebsite,
    NewsletterSubscriber,
    OrderState,
    Quote,
    QuoteItem,
    ReportViewedProductIndex,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    Wishlist,
    WishlistItem,
)
from models.attributes import BackendType, EntityType, FrontendInput
from models.newsletter import SubscriberStatus
from models.quotes import AddressType
from tests.factories import make_address, make_customer

Op = Operator
D = Decimal
TZ = "America/Chicago"  # website 1's timezone (migration 0002)
NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # 12:00 in Chicago, 2026-11-20

# --- compare: every operator x input type ---------------------------------------------------

TXT, DEC, INT, DAY, TS, BOOL = (
    Storage.TEXT,
    Storage.DECIMAL,
    Storage.INT,
    Storage.DATE,
    Storage.DATETIME,
    Storage.BOOL,
)
NUM, STR, SEL, MUL, DAT, BOO = (
    InputType.NUMERIC,
    InputType.STRING,
    InputType.SELECT,
    InputType.MULTISELECT,
    InputType.DATE,
    InputType.BOOLEAN,
)
# 2026-03-09 in Chicago runs from 06:00 UTC (CDT starts 2026-03-08) to 2026-03-10 05:00 UTC.
LATE_9TH = datetime(2026, 3, 10, 4, 59, tzinfo=UTC)  # 23:59 on the 9th in Chicago
EARLY_10TH = datetime(2026, 3, 10, 5, 0, tzinfo=UTC)  # 00:00 on the 10th in Chicago

COMPARE_CASES: list[tuple[Storage, InputType, Operator, Any, Any, bool]] = [
    # numeric
    (DEC, NUM, Op.IS, D("10.0000"), D("10"), True),
    (DEC, NUM, Op.IS, D("10.5"), D("10"), False),
    (DEC, NUM, Op.IS_NOT, D("10.5"), D("10"), True),
    (DEC, NUM, Op.IS_NOT, D("10"), D("10"), False),
    (DEC, NUM, Op.GREATER_OR_EQUAL, D("10"), D("10"), True),
    (DEC, NUM, Op.GREATER_OR_EQUAL, D("9.99"), D("10"), False),
    (DEC, NUM, Op.LESS_OR_EQUAL, D("10"), D("10"), True),
    (DEC, NUM, Op.LESS_OR_EQUAL, D("10.01"), D("10"), False),
    (DEC, NUM, Op.GREATER, D("10"), D("10"), False),
    (DEC, NUM, Op.GREATER, D("10.01"), D("10"), True),
    (DEC, NUM, Op.LESS, D("9"), D("10"), True),
    (DEC, NUM, Op.LESS, D("10"), D("10"), False),
    (INT, NUM, Op.IS, 3, D("3"), True),
    (TXT, NUM, Op.GREATER, "12.5", D("9"), True),  # a number kept as text compares as a number
    (TXT, NUM, Op.GREATER, "abc", D("9"), False),  # ... and a non-number is NULL
    (TXT, NUM, Op.IS_NOT, "abc", D("9"), False),  # NULL fails the negative operators too
    # string: case-insensitive
    (TXT, STR, Op.IS, "Ann@Example.com", "ann@example.COM", True),
    (TXT, STR, Op.IS, "ann", "anne", False),
    (TXT, STR, Op.IS_NOT, "Ann", "ann", False),
    (TXT, STR, Op.IS_NOT, "Ann", "bob", True),
    (TXT, STR, Op.CONTAINS, "Ann@Example.com", "EXAMPLE", True),
    (TXT, STR, Op.CONTAINS, "Ann@Example.com", "gmail", False),
    (TXT, STR, Op.CONTAINS, "50% off", "%", True),
    (TXT, STR, Op.CONTAINS, "abc", "a_c", False),  # `_` is no wildcard
    (TXT, STR, Op.NOT_CONTAINS, "Ann@Example.com", "example", False),
    (TXT, STR, Op.NOT_CONTAINS, "Ann@Example.com", "gmail", True),
    (TXT, STR, Op.ONE_OF, "Austin", ("boston", "AUSTIN"), True),
    (TXT, STR, Op.ONE_OF, "Dallas", ("boston", "austin"), False),
    (TXT, STR, Op.NOT_ONE_OF, "Dallas", ("boston", "austin"), True),
    (TXT, STR, Op.NOT_ONE_OF, "Austin", ("boston", "austin"), False),
    # select: int column compared as ints, text column lowered
    (INT, SEL, Op.IS, 2, "2", True),
    (INT, SEL, Op.IS, 2, "3", False),
    (INT, SEL, Op.IS_NOT, 2, "3", True),
    (INT, SEL, Op.IS_NOT, 2, "2", False),
    (TXT, SEL, Op.IS, "US", "us", True),
    (INT, SEL, Op.ONE_OF, 2, ("1", "2"), True),
    (INT, SEL, Op.NOT_ONE_OF, 2, ("1", "2"), False),
    (INT, SEL, Op.UNDEFINED, 2, None, False),
    (INT, SEL, Op.UNDEFINED, None, None, True),
    (TXT, SEL, Op.UNDEFINED, "", None, True),
    # multiselect: sets of option ids in one text
    (TXT, MUL, Op.IS, "3,1", ("1", "3"), True),
    (TXT, MUL, Op.IS, "3,1,5", ("1", "3"), False),
    (TXT, MUL, Op.IS_NOT, "3,1,5", ("1", "3"), True),
    (TXT, MUL, Op.IS_NOT, "1,3", ("3", "1"), False),
    (TXT, MUL, Op.MULTI_CONTAINS, "1,3,5", ("1", "5"), True),
    (TXT, MUL, Op.MULTI_CONTAINS, "1,3", ("1", "5"), False),
    (TXT, MUL, Op.MULTI_NOT_CONTAINS, "1,3", ("1", "5"), True),
    (TXT, MUL, Op.MULTI_NOT_CONTAINS, "1,3,5", ("1", "5"), False),
    (TXT, MUL, Op.MULTI_CONTAINS, "11,3", ("1",), False),  # whole ids, not substrings
    (TXT, MUL, Op.IS_NOT, "", ("1",), True),
    # product multiselects (Magento's `{} !{} () !()`): `{}` every id, `()` one of them
    (TXT, MUL, Op.CONTAINS, "1,3,5", ("1", "5"), True),
    (TXT, MUL, Op.CONTAINS, "1,3", ("1", "5"), False),
    (TXT, MUL, Op.NOT_CONTAINS, "1,3", ("1", "5"), True),
    (TXT, MUL, Op.ONE_OF, "1,3", ("5", "3"), True),
    (TXT, MUL, Op.NOT_ONE_OF, "1,3", ("5", "3"), False),
    (TXT, MUL, Op.NOT_ONE_OF, "1,3", ("5",), True),
    # a product number's `{}`: the text of decimal(20,6), as Magento's LIKE reads it
    (DEC, NUM, Op.CONTAINS, D("100"), "10", True),
    (DEC, NUM, Op.CONTAINS, D("99.5"), ".50", True),
    (DEC, NUM, Op.NOT_CONTAINS, D("99.5"), "8", True),
    (DEC, NUM, Op.NOT_CONTAINS, D("100"), "0.0", False),
    (DEC, NUM, Op.ONE_OF, D("10.10"), (D("5"), D("10.1")), True),
    # date column
    (DAY, DAT, Op.IS, date(1990, 5, 1), date(1990, 5, 1), True),
    (DAY, DAT, Op.IS, date(1990, 5, 2), date(1990, 5, 1), False),
    (DAY, DAT, Op.GREATER_OR_EQUAL, date(1990, 5, 1), date(1990, 5, 1), True),
    (DAY, DAT, Op.GREATER_OR_EQUAL, date(1990, 4, 30), date(1990, 5, 1), False),
    (DAY, DAT, Op.LESS_OR_EQUAL, date(1990, 5, 1), date(1990, 5, 1), True),
    (DAY, DAT, Op.LESS_OR_EQUAL, date(1990, 5, 2), date(1990, 5, 1), False),
    # datetime column: whole days in the website's timezone
    (TS, DAT, Op.IS, LATE_9TH, date(2026, 3, 9), True),
    (TS, DAT, Op.IS, EARLY_10TH, date(2026, 3, 9), False),
    (TS, DAT, Op.IS, EARLY_10TH, date(2026, 3, 10), True),
    (TS, DAT, Op.LESS_OR_EQUAL, LATE_9TH, date(2026, 3, 9), True),
    (TS, DAT, Op.LESS_OR_EQUAL, EARLY_10TH, date(2026, 3, 9), False),
    (TS, DAT, Op.GREATER_OR_EQUAL, EARLY_10TH, date(2026, 3, 10), True),
    (TS, DAT, Op.GREATER_OR_EQUAL, LATE_9TH, date(2026, 3, 10), False),
    (TS, DAT, Op.IS, datetime(2026, 3, 10, 4, 59), date(2026, 3, 9), True),  # naive is UTC
    # boolean
    (BOOL, BOO, Op.IS, True, "1", True),
    (BOOL, BOO, Op.IS, False, "1", False),
    (BOOL, BOO, Op.IS_NOT, False, "1", True),
    (INT, BOO, Op.IS, 0, "0", True),
    (BOOL, BOO, Op.UNDEFINED, False, None, False),
]

NULL_CASES: list[tuple[Storage, InputType, Operator, Any, bool]] = [
    # NULL never matches, negative operators included (Magento's SQL); only <=> holds.
    (DEC, NUM, Op.IS, D(1), False),
    (DEC, NUM, Op.IS_NOT, D(1), False),
    (DEC, NUM, Op.GREATER_OR_EQUAL, D(1), False),
    (DEC, NUM, Op.LESS_OR_EQUAL, D(1), False),
    (DEC, NUM, Op.GREATER, D(1), False),
    (DEC, NUM, Op.LESS, D(1), False),
    (TXT, STR, Op.IS, "a", False),
    (TXT, STR, Op.IS_NOT, "a", False),
    (TXT, STR, Op.CONTAINS, "a", False),
    (TXT, STR, Op.NOT_CONTAINS, "a", False),
    (TXT, STR, Op.ONE_OF, ("a",), False),
    (TXT, STR, Op.NOT_ONE_OF, ("a",), False),
    (INT, SEL, Op.IS, "1", False),
    (INT, SEL, Op.IS_NOT, "1", False),
    (INT, SEL, Op.UNDEFINED, None, True),
    (TXT, MUL, Op.IS, ("1",), False),
    (TXT, MUL, Op.IS_NOT, ("1",), False),
    (TXT, MUL, Op.MULTI_CONTAINS, ("1",), False),
    (TXT, MUL, Op.MULTI_NOT_CONTAINS, ("1",), False),
    (DAY, DAT, Op.IS, date(2026, 1, 1), False),
    (TS, DAT, Op.GREATER_OR_EQUAL, date(2026, 1, 1), False),
    (TS, DAT, Op.LESS_OR_EQUAL, date(2026, 1, 1), False),
    (BOOL, BOO, Op.IS, "1", False),
    (BOOL, BOO, Op.IS_NOT, "1", False),
]


@pytest.mark.parametrize(
    ("storage", "input_type", "operator", "actual", "expected", "result"), COMPARE_CASES
)
def test_compare(
    storage: Storage,
    input_type: InputType,
    operator: Operator,
    actual: Any,
    expected: Any,
    result: bool,
) -> None:
    assert compare(storage, input_type, operator, actual, expected, timezone=TZ) is result


@pytest.mark.parametrize(("storage", "input_type", "operator", "expected", "result"), NULL_CASES)
def test_compare_null_is_false_except_undefined(
    storage: Storage, input_type: InputType, operator: Operator, expected: Any, result: bool
) -> None:
    assert compare(storage, input_type, operator, None, expected, timezone=TZ) is result


def test_compare_refuses_combinations_the_catalogue_never_offers() -> None:
    with pytest.raises(ValueError, match="applies to text only"):
        compare(DAY, DAT, Op.CONTAINS, date(2026, 1, 1), "2026", timezone=TZ)
    with pytest.raises(ValueError, match="does not apply to a multiselect"):
        compare(TXT, MUL, Op.GREATER, "1", ("1",), timezone=TZ)


def test_period_threshold_is_start_of_day_in_the_website_timezone() -> None:
    # Today in Chicago is 2026-11-20 (CST, UTC-6): 30 days ago starts 2026-10-21 05:00 UTC (CDT).
    assert up_to_date_threshold(NOW, 30, TZ) == datetime(2026, 10, 21, 5, 0, tzinfo=UTC)
    assert day_start(date(2026, 11, 20), TZ) == datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


# --- data ------------------------------------------------------------------------------------


@pytest.fixture
async def world(db: TortoiseContext) -> dict[str, int]:
    """Ann (customer of website 1) with addresses, subscription, store credit, cart, wish list,
    views and orders; Bob with nothing; a guest with a cart and views."""
    loyalty = await EavAttribute.create(
        entity_type_id=EntityType.CUSTOMER,
        attribute_code="loyalty_code",
        backend_type=BackendType.VARCHAR,
        frontend_input=FrontendInput.TEXT,
        frontend_label="Loyalty Code",
    )
    await CustomerEavAttribute.create(attribute=loyalty, is_used_for_customer_segment=True)
    ann = await make_customer(
        "ann@example.com", firstname="Ann", dob=date(1990, 5, 1), gender=2, group_id=1
    )
    bob = await make_customer("bob@example.com", firstname="Bob", lastname="Ray")
    await CustomerEntityVarchar.create(attribute=loyalty, entity_id=ann.entity_id, value="GOLD-7")
    home = await make_address(ann, city="Austin", region_id=57, region="Texas")
    await make_address(ann, city="Paris", country_id="FR", region_id=None, region=None)
    ann.default_billing = home.entity_id
    # 23:30 on 2026-03-09 in Chicago, already the 10th in UTC.
    ann.created_at = datetime(2026, 3, 10, 4, 30, tzinfo=UTC)
    await ann.save()
    await NewsletterSubscriber.create(
        store_id=1,
        customer_id=ann.entity_id,
        subscriber_email=ann.email,
        subscriber_status=SubscriberStatus.SUBSCRIBED,
    )
    await MagentoCustomerbalance.create(customer_id=ann.entity_id, website_id=1, amount=D("25.5"))

    category = await CatalogCategoryEntity.create(
        parent_id=2, path="1/2/30", level=2, name="Shirts"
    )
    shirt = await CatalogProductEntity.create(
        attribute_set_id=4, sku="SHIRT-RED", name="Red Shirt", price=D("20")
    )
    mug = await CatalogProductEntity.create(attribute_set_id=4, sku="MUG", name="Mug", price=D("8"))
    await CatalogCategoryProduct.create(category=category, product=shirt)
    material = await EavAttribute.create(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code="material",
        backend_type=BackendType.VARCHAR,
        frontend_input=FrontendInput.TEXT,
        frontend_label="Material",
    )
    await CatalogEavAttribute.create(attribute=material, is_used_for_promo_rules=True)
    # Store 0 (admin) values are read; a store view's override is not.
    await CatalogProductEntityVarchar.create(
        attribute=material, entity=shirt, store_id=0, value="Cotton"
    )
    await CatalogProductEntityVarchar.create(
        attribute=material, entity=mug, store_id=1, value="Cotton"
    )
    building = await EavAttribute.create(
        entity_type_id=EntityType.CUSTOMER_ADDRESS,
        attribute_code="building",
        backend_type=BackendType.VARCHAR,
        frontend_input=FrontendInput.TEXT,
        frontend_label="Building",
    )
    await CustomerEavAttribute.create(attribute=building, is_used_for_customer_segment=True)
    await CustomerAddressEntityVarchar.create(attribute=building, entity=home, value="Tower B")

    cart = await Quote.create(
        store_id=1,
        customer_id=ann.entity_id,
        customer_is_guest=False,
        items_count=2,
        items_qty=D("3"),
        base_subtotal=D("48"),
        base_grand_total=D("53"),
        base_shipping_amount=D("5"),
    )
    await QuoteItem.create(
        quote=cart, product=shirt, sku="SHIRT-RED", qty=2, created_at=NOW, base_row_total=40
    )
    await QuoteItem.create(quote=cart, product=mug, sku="MUG", qty=1, created_at=NOW)
    await Quote.create(  # an old inactive cart does not count
        store_id=1, customer_id=ann.entity_id, is_active=False, base_subtotal=D("999")
    )
    wishlist = await Wishlist.create(customer=ann)
    await WishlistItem.create(
        wishlist=wishlist, product=mug, added_at=datetime(2026, 10, 1, tzinfo=UTC)
    )
    await ReportViewedProductIndex.create(
        customer_id=ann.entity_id, product=shirt, store_id=1, added_at=NOW
    )

    complete = await SalesOrder.create(
        increment_id="000000001",
        state=OrderState.COMPLETE,
        status="complete",
        store_id=1,
        customer_id=ann.entity_id,
        base_grand_total=D("100"),
        total_qty_ordered=D("2"),
        created_at=datetime(2026, 11, 1, 15, 0, tzinfo=UTC),
    )
    await SalesOrderItem.create(
        order=complete, product=shirt, sku="SHIRT-RED", created_at=complete.created_at
    )
    for kind, city in ((AddressType.BILLING, "Austin"), (AddressType.SHIPPING, "Boston")):
        await SalesOrderAddress.create(
            parent=complete, address_type=kind, city=city, country_id="US"
        )
    canceled = await SalesOrder.create(
        increment_id="000000002",
        state=OrderState.CANCELED,
        status="canceled",
        store_id=1,
        customer_id=ann.entity_id,
        base_grand_total=D("50"),
        total_qty_ordered=D("1"),
        created_at=datetime(2026, 6, 1, 15, 0, tzinfo=UTC),
    )
    await SalesOrderItem.create(
        order=canceled, product=mug, sku="MUG", created_at=canceled.created_at
    )

    visitor = await CustomerVisitor.create(session_id="guest-session")
    guest_cart = await Quote.create(
        store_id=1, visitor=visitor, items_count=1, items_qty=D("1"), base_subtotal=D("8")
    )
    await QuoteItem.create(quote=guest_cart, product=mug, sku="MUG", qty=1, created_at=NOW)
    await ReportViewedProductIndex.create(visitor=visitor, product=mug, store_id=1, added_at=NOW)
    return {
        "ann": ann.entity_id,
        "bob": bob.entity_id,
        "home": home.entity_id,
        "category": category.entity_id,
        "cart": cart.entity_id,
        "guest_cart": guest_cart.entity_id,
        "visitor": visitor.visitor_id,
    }


def root(
    *conditions: Node, aggregator: Aggregator = Aggregator.ALL, expected: bool = True
) -> Combine:
    return Combine(aggregator, expected, conditions)


async def scope_for(tree: Combine) -> Scope:
    return await build_scope(1, tree, now=NOW, catalog=await load_catalog())


async def facts_of(who: str, world: dict[str, int], tree: Combine, scope: Scope) -> Facts:
    if who == "guest":
        return await load_facts(
            tree, scope, customer_id=None, quote_id=world["guest_cart"], visitor_id=world["visitor"]
        )
    return await load_facts(tree, scope, customer_id=world[who], quote_id=None, visitor_id=None)


async def results(
    world: dict[str, int], cases: dict[str, Node]
) -> dict[str, tuple[bool, bool, bool]]:
    """Each case's result for (Ann, Bob, the guest)."""
    out: dict[str, tuple[bool, bool, bool]] = {}
    for name, node in cases.items():
        tree = node if isinstance(node, Combine) else root(node)
        scope = await scope_for(tree)
        got = []
        for who in ("ann", "bob", "guest"):
            got.append(evaluate(tree, await facts_of(who, world, tree, scope), scope))
        out[name] = (got[0], got[1], got[2])
    return out


async def test_build_scope_reads_the_website(world: dict[str, int]) -> None:
    scope = await build_scope(1, root(), now=NOW)
    assert (scope.website_id, scope.store_ids, scope.timezone, scope.now) == (1, (1,), TZ, NOW)
    assert scope.customers_of_website_only is True
    assert scope.referenced == {}


async def test_customer_conditions(world: dict[str, int]) -> None:
    cases: dict[str, Node] = {
        "email contains": CustomerAttribute("email", Op.CONTAINS, "EXAMPLE.com"),
        "email is": CustomerAttribute("email", Op.IS, "ANN@example.com"),
        "firstname is not": CustomerAttribute("firstname", Op.IS_NOT, "ann"),
        "gender is female": CustomerAttribute("gender", Op.IS, "2"),
        "gender undefined": CustomerAttribute("gender", Op.UNDEFINED, None),
        "gender is not female": CustomerAttribute("gender", Op.IS_NOT, "2"),
        "group one of": CustomerAttribute("group_id", Op.ONE_OF, ("1", "2")),
        "dob is": CustomerAttribute("dob", Op.IS, date(1990, 5, 1)),
        "dob after": CustomerAttribute("dob", Op.GREATER_OR_EQUAL, date(1990, 5, 2)),
        "created on the 9th (Chicago)": CustomerAttribute("created_at", Op.IS, date(2026, 3, 9)),
        "created by the 9th": CustomerAttribute("created_at", Op.LESS_OR_EQUAL, date(2026, 3, 9)),
        "default billing exists": CustomerAttribute("default_billing", Op.IS, "is_exists"),
        "default shipping missing": CustomerAttribute("default_shipping", Op.IS, "is_not_exists"),
        "loyalty contains gold": CustomerAttribute("loyalty_code", Op.CONTAINS, "gold"),
        "loyalty does not contain gold": CustomerAttribute("loyalty_code", Op.NOT_CONTAINS, "gold"),
        "subscribed": Newsletter(subscribed=True),
        "not subscribed": Newsletter(subscribed=False),
        "store credit >= 25": StoreCredit(Op.GREATER_OR_EQUAL, D("25")),
        "store credit != 1": StoreCredit(Op.IS_NOT, D("1")),
        "store credit < 1": StoreCredit(Op.LESS, D("1")),
    }
    assert await results(world, cases) == {
        "email contains": (True, True, False),
        "email is": (True, False, False),
        "firstname is not": (False, True, False),
        "gender is female": (True, False, False),
        "gender undefined": (False, True, False),
        # Bob's gender is NULL: NULL never matches, negative operators included.
        "gender is not female": (False, False, False),
        "group one of": (True, True, False),
        "dob is": (True, False, False),
        "dob after": (False, False, False),
        "created on the 9th (Chicago)": (True, False, False),
        "created by the 9th": (True, False, False),
        "default billing exists": (True, False, False),
        "default shipping missing": (True, True, False),
        "loyalty contains gold": (True, False, False),
        "loyalty does not contain gold": (False, False, False),  # Bob has no value row
        "subscribed": (True, False, False),
        "not subscribed": (False, True, False),
        "store credit >= 25": (True, False, False),
        # Bob has no balance row on the website: no store-credit condition holds.
        "store credit != 1": (True, False, False),
        "store credit < 1": (False, False, False),
    }


async def test_address_conditions(world: dict[str, int]) -> None:
    cases: dict[str, Node] = {
        "any address": CustomerAddress(),
        "billing default in Austin": CustomerAddress(
            Aggregator.ALL,
            (
                DefaultAddress(Op.IS, DefaultAddressKind.BILLING),
                AddressAttribute("city", Op.IS, "austin"),
            ),
        ),
        "billing default in Paris": CustomerAddress(
            Aggregator.ALL,
            (
                DefaultAddress(Op.IS, DefaultAddressKind.BILLING),
                AddressAttribute("city", Op.IS, "Paris"),
            ),
        ),
        "Paris or Texas": CustomerAddress(
            Aggregator.ANY,
            (
                AddressAttribute("city", Op.IS, "Paris"),
                AddressAttribute("region_id", Op.IS, "57"),
            ),
        ),
        "no region": CustomerAddress(Aggregator.ALL, (AddressHasRegion(has_region=False),)),
        "in a tower": CustomerAddress(
            Aggregator.ALL, (AddressAttribute("building", Op.CONTAINS, "tower"),)
        ),
        "building undefined, has region": CustomerAddress(
            Aggregator.ALL,
            (
                AddressAttribute("building", Op.UNDEFINED, None),
                AddressHasRegion(has_region=True),
            ),
        ),
        "not default shipping, French": CustomerAddress(
            Aggregator.ALL,
            (
                DefaultAddress(Op.IS_NOT, DefaultAddressKind.SHIPPING),
                AddressAttribute("country_id", Op.IS, "fr"),
            ),
        ),
    }
    assert await results(world, cases) == {
        "any address": (True, False, False),
        "billing default in Austin": (True, False, False),
        "billing default in Paris": (False, False, False),
        "Paris or Texas": (True, False, False),
        "no region": (True, False, False),
        "in a tower": (True, False, False),
        "building undefined, has region": (False, False, False),
        "not default shipping, French": (True, False, False),
    }


async def test_cart_conditions_read_the_active_cart_or_the_guest_cart(
    world: dict[str, int],
) -> None:
    cases: dict[str, Node] = {
        "subtotal >= 40": CartAmount(CartAmountKind.SUBTOTAL, Op.GREATER_OR_EQUAL, D("40")),
        "subtotal is 8": CartAmount(CartAmountKind.SUBTOTAL, Op.IS, D("8")),
        "subtotal > 900 (inactive cart)": CartAmount(CartAmountKind.SUBTOTAL, Op.GREATER, D("900")),
        "grand total is 53": CartAmount(CartAmountKind.GRAND_TOTAL, Op.IS, D("53")),
        "shipping is 5": CartAmount(CartAmountKind.SHIPPING, Op.IS, D("5")),
        "tax is 0": CartAmount(CartAmountKind.TAX, Op.IS, D("0")),
        "store credit used is 0": CartAmount(CartAmountKind.STORE_CREDIT, Op.IS, D("0")),
        "gift card != 0": CartAmount(CartAmountKind.GIFT_CARD, Op.IS_NOT, D("0")),
        "line items is 2": CartLineItems(Op.IS, D("2")),
        "line items != 2": CartLineItems(Op.IS_NOT, D("2")),
        "qty >= 1": CartProductsQuantity(Op.GREATER_OR_EQUAL, D("1")),
    }
    # Bob has no cart: no cart, no match, even for `!=`.
    assert await results(world, cases) == {
        "subtotal >= 40": (True, False, False),
        "subtotal is 8": (False, False, True),
        "subtotal > 900 (inactive cart)": (False, False, False),
        "grand total is 53": (True, False, False),
        "shipping is 5": (True, False, False),
        "tax is 0": (True, False, True),
        "store credit used is 0": (True, False, True),
        "gift card != 0": (False, False, False),
        "line items is 2": (True, False, False),
        "line items != 2": (False, False, True),
        "qty >= 1": (True, False, True),
    }


async def test_product_conditions(world: dict[str, int]) -> None:
    category = str(world["category"])
    in_category = ProductAttribute("category_ids", Op.IS, category)
    cases: dict[str, Node] = {
        "shirt in cart": ProductList(ProductListSource.CART, True, Aggregator.ALL, (in_category,)),
        "any product in cart": ProductList(ProductListSource.CART, True),
        "no product in cart": ProductList(ProductListSource.CART, False),
        "nothing outside the category in cart": ProductList(
            ProductListSource.CART,
            False,
            Aggregator.ALL,
            (ProductAttribute("category_ids", Op.NOT_ONE_OF, (category,)),),
        ),
        "mug in wish list": ProductList(
            ProductListSource.WISHLIST,
            True,
            Aggregator.ALL,
            (ProductAttribute("sku", Op.IS, "mug"),),
        ),
        "mug not in wish list": ProductList(
            ProductListSource.WISHLIST,
            False,
            Aggregator.ALL,
            (ProductAttribute("sku", Op.IS, "mug"),),
        ),
        "wish list item of the last 30 days": ProductList(
            ProductListSource.WISHLIST,
            True,
            Aggregator.ALL,
            (UpToDate(Op.GREATER_OR_EQUAL, 30),),
        ),
        "viewed a shirt": ProductHistory(
            ProductHistoryAction.VIEWED, True, Aggregator.ALL, (in_category,)
        ),
        "viewed something costing < 10": ProductHistory(
            ProductHistoryAction.VIEWED,
            True,
            Aggregator.ALL,
            (ProductAttribute("price", Op.LESS, D("10")),),
        ),
        "never viewed anything": ProductHistory(ProductHistoryAction.VIEWED, False),
        "ordered a mug in June": ProductHistory(
            ProductHistoryAction.ORDERED,
            True,
            Aggregator.ALL,
            (
                ProductAttribute("sku", Op.IS, "MUG"),
                DateRange(Op.IS, date(2026, 6, 1), date(2026, 6, 30)),
            ),
        ),
        "ordered shirt or price > 100 (nested ANY)": ProductHistory(
            ProductHistoryAction.ORDERED,
            True,
            Aggregator.ALL,
            (
                ProductCombine(
                    Aggregator.ANY,
                    True,
                    (in_category, ProductAttribute("price", Op.GREATER, D("100"))),
                ),
            ),
        ),
        "never ordered": ProductHistory(ProductHistoryAction.ORDERED, False),
        "cotton in cart": ProductList(
            ProductListSource.CART,
            True,
            Aggregator.ALL,
            (ProductAttribute("material", Op.CONTAINS, "COTTON"),),
        ),
        "material undefined in cart": ProductList(
            ProductListSource.CART,
            True,
            Aggregator.ALL,
            (ProductAttribute("material", Op.UNDEFINED, None),),
        ),
        "attribute set is default": ProductList(
            ProductListSource.CART,
            True,
            Aggregator.ALL,
            (ProductAttribute("attribute_set_id", Op.IS, "4"),),
        ),
    }
    assert await results(world, cases) == {
        "shirt in cart": (True, False, False),
        "any product in cart": (True, False, True),
        "no product in cart": (False, True, False),
        "nothing outside the category in cart": (False, True, False),
        "mug in wish list": (True, False, False),
        "mug not in wish list": (False, True, False),
        "wish list item of the last 30 days": (False, False, False),
        "viewed a shirt": (True, False, False),
        "viewed something costing < 10": (False, False, True),
        "never viewed anything": (False, True, False),
        "ordered a mug in June": (True, False, False),
        "ordered shirt or price > 100 (nested ANY)": (True, False, False),
        "never ordered": (False, True, False),
        "cotton in cart": (True, False, False),
        "material undefined in cart": (True, False, True),
        "attribute set is default": (True, False, True),
    }


async def test_sales_conditions(world: dict[str, int]) -> None:
    complete = OrderStatus(Op.IS, "complete")
    cases: dict[str, Node] = {
        "2 orders": OrdersNumber(Op.IS, D("2")),
        "no orders": OrdersNumber(Op.IS, D("0")),
        "1 complete order": OrdersNumber(Op.IS, D("1"), Aggregator.ALL, (complete,)),
        "orders not canceled, last 30 days": OrdersNumber(
            Op.GREATER_OR_EQUAL,
            D("1"),
            Aggregator.ALL,
            (OrderStatus(Op.IS_NOT, "canceled"), UpToDate(Op.GREATER_OR_EQUAL, 30)),
        ),
        "complete or in June (ANY)": OrdersNumber(
            Op.IS,
            D("2"),
            Aggregator.ANY,
            (complete, DateRange(Op.IS, date(2026, 6, 1), date(2026, 6, 1))),
        ),
        "status any": OrdersNumber(Op.IS, D("2"), Aggregator.ALL, (OrderStatus(Op.IS, "any"),)),
        "total sales 150": SalesAmount(SalesFunction.TOTAL, Op.IS, D("150")),
        "average sales 75": SalesAmount(SalesFunction.AVERAGE, Op.IS, D("75")),
        "total sales != 5": SalesAmount(SalesFunction.TOTAL, Op.IS_NOT, D("5")),
        "total sales < 100": SalesAmount(SalesFunction.TOTAL, Op.LESS, D("100")),
        "average sales <= 0": SalesAmount(SalesFunction.AVERAGE, Op.LESS_OR_EQUAL, D("0")),
        "total qty >= 3": PurchasedQuantity(SalesFunction.TOTAL, Op.GREATER_OR_EQUAL, D("3")),
        "average qty < 2": PurchasedQuantity(SalesFunction.AVERAGE, Op.LESS, D("2")),
        "ordered 90+ days ago": OrdersNumber(
            Op.IS, D("1"), Aggregator.ALL, (UpToDate(Op.LESS_OR_EQUAL, 90),)
        ),
        "order shipped to Boston": OrderAddress(
            Aggregator.ALL,
            (
                OrderAddressType(Op.IS, OrderAddressKind.SHIPPING),
                OrderAddressAttribute("city", Op.IS, "boston"),
            ),
        ),
        "billing in Boston": OrderAddress(
            Aggregator.ALL,
            (
                OrderAddressType(Op.IS, OrderAddressKind.BILLING),
                OrderAddressAttribute("city", Op.IS, "boston"),
            ),
        ),
        "order address email undefined": OrderAddress(
            Aggregator.ALL, (OrderAddressAttribute("email", Op.UNDEFINED, None),)
        ),
    }
    # Bob: COUNT over no orders is 0, the sales amount over none is 0 (Magento's real-time
    # check), the purchased quantity over none is NULL, so even `!=` fails there.
    assert await results(world, cases) == {
        "2 orders": (True, False, False),
        "no orders": (False, True, False),
        "1 complete order": (True, False, False),
        "orders not canceled, last 30 days": (True, False, False),
        "complete or in June (ANY)": (True, False, False),
        "status any": (True, False, False),
        "total sales 150": (True, False, False),
        "average sales 75": (True, False, False),
        "total sales != 5": (True, True, False),
        "total sales < 100": (False, True, False),
        "average sales <= 0": (False, True, False),
        "total qty >= 3": (True, False, False),
        "average qty < 2": (True, False, False),
        "ordered 90+ days ago": (True, False, False),
        "order shipped to Boston": (True, False, False),
        "billing in Boston": (False, False, False),
        "order address email undefined": (True, False, False),
    }


async def test_combine_semantics_and_empty_groups(world: dict[str, int]) -> None:
    yes = CustomerAttribute("email", Op.CONTAINS, "ann")  # Ann only
    no = CustomerAttribute("email", Op.CONTAINS, "zzz")  # nobody
    cart = CartProductsQuantity(Op.GREATER_OR_EQUAL, D("1"))  # Ann and the guest
    cases: dict[str, Node] = {
        "empty ALL": root(),
        "empty ANY": root(aggregator=Aggregator.ANY),
        "empty ALL FALSE": root(expected=False),
        "empty ANY FALSE": root(aggregator=Aggregator.ANY, expected=False),
        "ALL TRUE": root(yes, cart),
        "ANY TRUE": root(no, cart, aggregator=Aggregator.ANY),
        "ALL FALSE": root(no, cart, expected=False),
        "ANY FALSE": root(yes, cart, aggregator=Aggregator.ANY, expected=False),
        "nested": root(
            Combine(Aggregator.ANY, True, (no, Combine(Aggregator.ALL, False, (no,)))), yes
        ),
    }
    assert await results(world, cases) == {
        "empty ALL": (True, True, True),
        "empty ANY": (False, False, False),
        "empty ALL FALSE": (True, True, True),
        "empty ANY FALSE": (False, False, False),
        "ALL TRUE": (True, False, False),
        "ANY TRUE": (True, False, True),
        # A guest's customer condition is false, so a FALSE combine negates it as usual.
        "ALL FALSE": (False, True, False),
        "ANY FALSE": (False, True, True),
        "nested": (True, False, False),
    }


async def _segment(tree: Combine, *, active: bool = True, website_id: int | None = 1) -> int:
    segment = await MagentoCustomersegmentSegment.create(
        name=f"segment {tree!r}"[:200],
        is_active=active,
        conditions_serialized=magento_json.dumps(dump_tree(tree)),
    )
    if website_id is not None:
        await MagentoCustomersegmentWebsite.create(segment=segment, website_id=website_id)
    return segment.segment_id


async def test_segment_membership(world: dict[str, int]) -> None:
    """Referenced trees come from the stored segments through build_scope; an inactive segment,
    or one not on the website, is not matched."""
    ann_only = await _segment(root(CustomerAttribute("firstname", Op.IS, "ann")))
    inactive = await _segment(root(), active=False)
    elsewhere = await _segment(root(), website_id=None)
    nested = await _segment(root(SegmentMembership(Op.IS, ann_only)))
    cases: dict[str, Node] = {
        "in ann_only": SegmentMembership(Op.IS, ann_only),
        "not in ann_only": SegmentMembership(Op.IS_NOT, ann_only),
        "in inactive": SegmentMembership(Op.IS, inactive),
        "not in inactive": SegmentMembership(Op.IS_NOT, inactive),
        "in a segment of no website": SegmentMembership(Op.IS, elsewhere),
        "in nested (in ann_only)": SegmentMembership(Op.IS, nested),
        "not in nested": SegmentMembership(Op.IS_NOT, nested),
    }
    assert await results(world, cases) == {
        "in ann_only": (True, False, False),
        "not in ann_only": (False, True, False),
        "in inactive": (False, False, False),
        "not in inactive": (True, True, False),
        "in a segment of no website": (False, False, False),
        "in nested (in ann_only)": (True, False, False),
        "not in nested": (False, True, False),
    }


async def test_facts_of_another_tree_are_refused(world: dict[str, int]) -> None:
    cart_tree = root(CartLineItems(Op.IS, D("2")))
    scope = await scope_for(cart_tree)
    facts = await facts_of("ann", world, cart_tree, scope)
    with pytest.raises(LookupError, match="facts were loaded without newsletter"):
        evaluate(root(Newsletter(subscribed=True)), facts, scope)


async def test_load_facts_fetches_only_what_the_tree_reads(world: dict[str, int]) -> None:
    tree = root(CartLineItems(Op.IS, D("2")))
    scope = await scope_for(tree)
    facts = await facts_of("ann", world, tree, scope)
    assert {s.value for s in facts.sources} == {"carts"}
    assert [c.quote_id for c in facts.carts] == [world["cart"]]
    assert (facts.customer, facts.orders, facts.products) == (None, (), {})


async def test_explain_a_nested_tree(world: dict[str, int]) -> None:
    tree = root(
        CustomerAttribute("email", Op.CONTAINS, "example"),
        Combine(
            Aggregator.ANY,
            True,
            (
                CartAmount(CartAmountKind.SUBTOTAL, Op.GREATER_OR_EQUAL, D("100")),
                ProductHistory(
                    ProductHistoryAction.ORDERED,
                    True,
                    Aggregator.ALL,
                    (ProductAttribute("price", Op.LESS, D("10")),),
                ),
            ),
        ),
        OrdersNumber(
            Op.GREATER_OR_EQUAL, D("1"), Aggregator.ALL, (OrderStatus(Op.IS, "complete"),)
        ),
    )
    scope = await scope_for(tree)
    facts = await facts_of("ann", world, tree, scope)
    cart = world["cart"]
    assert explain(tree, facts, scope) == ExplainedNode(
        "",
        ConditionType.COMBINE,
        "If ALL of these conditions are TRUE",
        True,
        (("children true", "3 of 3"),),
        (
            ExplainedNode(
                "conditions.0",
                ConditionType.CUSTOMER_ATTRIBUTE,
                "Customer Email contains example",
                True,
                (("Email", "ann@example.com"),),
            ),
            ExplainedNode(
                "conditions.1",
                ConditionType.COMBINE,
                "If ANY of these conditions are TRUE",
                True,
                (("children true", "1 of 2"),),
                (
                    ExplainedNode(
                        "conditions.1.conditions.0",
                        ConditionType.CART_AMOUNT,
                        "Shopping Cart Subtotal Amount equals or greater than 100",
                        False,
                        (("carts", str(cart)), (f"cart {cart} subtotal amount", "48.0000")),
                    ),
                    ExplainedNode(
                        "conditions.1.conditions.1",
                        ConditionType.PRODUCT_HISTORY,
                        "If Product was ordered and matches ALL of these Conditions",
                        True,
                        (("products", "SHIRT-RED, MUG"), ("matching products", "MUG")),
                        (
                            ExplainedNode(
                                "conditions.1.conditions.1.conditions.0",
                                ConditionType.PRODUCT_ATTRIBUTE,
                                "Product Price less than 10",
                                True,
                                (("holds for", "MUG"),),
                            ),
                        ),
                    ),
                ),
            ),
            ExplainedNode(
                "conditions.2",
                ConditionType.ORDERS_NUMBER,
                "Number of Orders equals or greater than 1 while ALL of these Conditions match",
                True,
                (("matching orders", "000000001"), ("number of orders", "1")),
                (
                    ExplainedNode(
                        "conditions.2.conditions.0",
                        ConditionType.ORDER_STATUS,
                        "Order Status is Complete",
                        True,
                        (("holds for", "000000001"),),
                    ),
                ),
            ),
        ),
    )


async def test_explain_a_guest(world: dict[str, int]) -> None:
    tree = root(
        Newsletter(subscribed=True),
        CartLineItems(Op.IS, D("1")),
        aggregator=Aggregator.ANY,
    )
    scope = await scope_for(tree)
    facts = await facts_of("guest", world, tree, scope)
    guest_cart = world["guest_cart"]
    assert explain(tree, facts, scope) == ExplainedNode(
        "",
        ConditionType.COMBINE,
        "If ANY of these conditions are TRUE",
        True,
        (("children true", "1 of 2"),),
        (
            ExplainedNode(
                "conditions.0",
                ConditionType.CUSTOMER_NEWSLETTER,
                "Customer is subscribed to newsletter",
                False,
                (("customer", "guest"),),
            ),
            ExplainedNode(
                "conditions.1",
                ConditionType.CART_LINE_ITEMS,
                "Number of Shopping Cart Line Items is 1",
                True,
                (("carts", str(guest_cart)), (f"cart {guest_cart} line items", "1")),
            ),
        ),
    )


async def test_load_facts_issues_one_query_per_source(
    world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tree reading every source costs one query per source (and per custom value table used)
    on SQLite, one statement on PostgreSQL, whatever the number of nodes, items or orders."""
    category = str(world["category"])
    tree = root(
        CustomerAttribute("loyalty_code", Op.CONTAINS, "gold"),
        CustomerAttribute("email", Op.CONTAINS, "ann"),
        Newsletter(subscribed=True),
        StoreCredit(Op.GREATER, D("0")),
        CustomerAddress(Aggregator.ALL, (AddressAttribute("city", Op.IS, "Austin"),)),
        CartAmount(CartAmountKind.SUBTOTAL, Op.GREATER, D("0")),
        ProductList(
            ProductListSource.CART,
            True,
            Aggregator.ALL,
            (ProductAttribute("category_ids", Op.IS, category),),
        ),
        ProductList(ProductListSource.WISHLIST, True),
        ProductHistory(ProductHistoryAction.VIEWED, True),
        ProductHistory(ProductHistoryAction.ORDERED, True),
        OrdersNumber(Op.GREATER, D("0")),
        SalesAmount(SalesFunction.TOTAL, Op.GREATER, D("0")),
        OrderAddress(Aggregator.ALL, (OrderAddressAttribute("city", Op.IS, "Boston"),)),
    )
    scope = await scope_for(tree)
    # On the class: on PostgreSQL the queries run in a transaction wrapper (a subclass).
    client_class = type(CustomerEntity._meta.db)
    queries: list[str] = []
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(client_class, name)

        async def counted(self: Any, query: str, *args: Any, _original: Any = original) -> Any:
            queries.append(query)
            return await _original(self, query, *args)

        monkeypatch.setattr(client_class, name, counted)
    facts = await facts_of("ann", world, tree, scope)
    monkeypatch.undo()
    # SQLite: customer, its varchar values, addresses, newsletter, balance, carts, cart items,
    # wish list, views, orders, order items, order addresses, category links (no product rows: no
    # condition reads a column of theirs). PostgreSQL: all of them in one statement (`facts_pg`).
    from engine.segments.sql import Dialect, dialect_of

    postgres = dialect_of(CustomerEntity._meta.db) is Dialect.POSTGRES
    assert len(queries) == (1 if postgres else 13)
    assert evaluate(tree, facts, scope) is True


def test_a_reference_cycle_raises_instead_of_looping() -> None:
    looping = root(SegmentMembership(Op.IS, 1))
    scope = Scope(1, (1,), TZ, NOW, Catalog(), {1: looping})
    facts = Facts(customer_id=5, sources=frozenset())
    with pytest.raises(ValueError, match="segment 1 refers to itself"):
        evaluate(looping, facts, scope)


def test_the_cart_rows_carry_every_column_the_cart_conditions_read() -> None:
    from engine.segments.evaluate import CART_AMOUNT_COLUMNS
    from engine.segments.facts import CART_COLUMNS

    read = {c for c in CART_AMOUNT_COLUMNS.values() if c} | {"items_count", "items_qty"}
    assert read <= set(CART_COLUMNS)
