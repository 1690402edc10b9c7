"""The SQL compiler: every operator on every kind of value and every node type of the catalogue,
against a small population with exact expected member sets (both databases)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tortoise import Tortoise

from engine.segments.catalog import load_catalog
from engine.segments.scope import Scope
from engine.segments.sql import (
    Dialect,
    SqlQuery,
    compile_members,
    count_members,
    dialect_of,
    member_ids,
    member_page,
)
from engine.segments.tree import (
    ANY_ORDER_STATUS,
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
    Value,
)
from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CatalogEavAttribute,
    CatalogProductEntity,
    CatalogProductEntityVarchar,
    CustomerEavAttribute,
    CustomerEntityDatetime,
    CustomerEntityDecimal,
    CustomerEntityInt,
    CustomerEntityText,
    CustomerEntityVarchar,
    EavAttribute,
    EavAttributeOption,
    MagentoCustomerbalance,
    NewsletterSubscriber,
    Quote,
    QuoteItem,
    ReportViewedProductIndex,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    Store,
    StoreGroup,
    StoreWebsite,
    Wishlist,
    WishlistItem,
)
from models.attributes import BackendType, EntityType, FrontendInput
from models.newsletter import SubscriberStatus
from models.orders import OrderState
from tests.factories import make_address, make_customer

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
TZ = "America/Chicago"
Op = Operator
ALL, ANY = Aggregator.ALL, Aggregator.ANY
D = Decimal


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@dataclass
class World:
    names: dict[int, str]
    scope: Scope
    options: dict[str, str]
    categories: dict[str, int]


async def _attribute(
    code: str, backend: BackendType, frontend: FrontendInput, entity: EntityType
) -> EavAttribute:
    attribute = await EavAttribute.create(
        entity_type_id=entity,
        attribute_code=code,
        backend_type=backend,
        frontend_input=frontend,
        frontend_label=code.title(),
    )
    if entity is EntityType.CATALOG_PRODUCT:
        await CatalogEavAttribute.create(attribute=attribute, is_used_for_promo_rules=True)
    else:
        await CustomerEavAttribute.create(attribute=attribute, is_used_for_customer_segment=True)
    return attribute


async def build_world() -> World:
    """Three customers of website 1 (ann, bob, cat) and one of website 2 (dan)."""
    second = await StoreWebsite.create(website_id=2, code="second", name="Second")
    group = await StoreGroup.create(
        group_id=2, website=second, code="second_group", name="Second", root_category_id=2
    )
    await Store.create(store_id=2, code="second", website=second, group=group, name="Second")

    ann = await make_customer(
        "ann@example.com",
        firstname="Ann",
        lastname="Lee",
        group_id=1,
        gender=1,
        dob=date(1990, 5, 1),
    )
    bob = await make_customer("bob@example.com", firstname="Bob", lastname="Stone", group_id=2)
    cat = await make_customer(
        "cat@example.com",
        firstname="Cat",
        lastname="O'Hara",
        group_id=1,
        gender=2,
        dob=date(1985, 12, 31),
    )
    dan = await make_customer("dan@example.com", firstname="Dan", website_id=2, store_id=2)
    # created_at is auto_now_add: set it afterwards.
    for customer, moment in (
        (ann, utc(2026, 6, 10, 4)),  # 9 June, 23:00 in Chicago
        (bob, utc(2026, 6, 10, 6)),  # 10 June, 01:00 in Chicago
        (cat, utc(2026, 1, 1, 12)),
        (dan, utc(2026, 1, 1, 12)),
    ):
        await type(customer).filter(entity_id=customer.entity_id).update(created_at=moment)

    # Addresses.
    a1 = await make_address(ann, city="Austin", region_id=57, region="Texas")
    await make_address(ann, city="Paris", country_id="FR", region_id=None, region=None)
    a3 = await make_address(bob, city="Boston", region_id=None, region=None)
    await type(ann).filter(entity_id=ann.entity_id).update(default_billing=a1.entity_id)
    await type(bob).filter(entity_id=bob.entity_id).update(default_shipping=a3.entity_id)

    # Custom customer attributes.
    c = EntityType.CUSTOMER
    loyalty = await _attribute("loyalty", BackendType.VARCHAR, FrontendInput.TEXT, c)
    tier = await _attribute("tier", BackendType.INT, FrontendInput.SELECT, c)
    hobbies = await _attribute("hobbies", BackendType.TEXT, FrontendInput.MULTISELECT, c)
    score = await _attribute("score", BackendType.DECIMAL, FrontendInput.TEXT, c)
    vip = await _attribute("vip", BackendType.INT, FrontendInput.BOOLEAN, c)
    anniv = await _attribute("anniv", BackendType.DATETIME, FrontendInput.DATE, c)
    gold = await EavAttributeOption.create(attribute=tier)
    silver = await EavAttributeOption.create(attribute=tier)
    for model, attribute, customer, value in (
        (CustomerEntityVarchar, loyalty, ann, "Gold"),
        (CustomerEntityVarchar, loyalty, bob, "silver"),
        (CustomerEntityInt, tier, ann, gold.option_id),
        (CustomerEntityInt, tier, bob, silver.option_id),
        (CustomerEntityText, hobbies, ann, "1,2"),
        (CustomerEntityText, hobbies, bob, "2"),
        (CustomerEntityText, hobbies, cat, ""),
        (CustomerEntityDecimal, score, ann, D("10.5")),
        (CustomerEntityDecimal, score, bob, D("3")),
        (CustomerEntityInt, vip, ann, 1),
        (CustomerEntityInt, vip, bob, 0),
        (CustomerEntityDatetime, anniv, ann, utc(2020, 2, 2)),
    ):
        await model.create(attribute=attribute, entity=customer, value=value)

    # Newsletter and store credit.
    await NewsletterSubscriber.create(
        store_id=1,
        customer=ann,
        subscriber_email="ann@example.com",
        subscriber_status=SubscriberStatus.SUBSCRIBED,
    )
    await NewsletterSubscriber.create(
        store_id=2,
        customer=bob,
        subscriber_email="bob@example.com",
        subscriber_status=SubscriberStatus.SUBSCRIBED,
    )
    await NewsletterSubscriber.create(
        store_id=1,
        customer=cat,
        subscriber_email="cat@example.com",
        subscriber_status=SubscriberStatus.UNSUBSCRIBED,
    )
    await MagentoCustomerbalance.create(customer=ann, website_id=1, amount=D("25"))
    await MagentoCustomerbalance.create(customer=bob, website_id=2, amount=D("100"))
    await MagentoCustomerbalance.create(customer=cat, website_id=1, amount=D("0"))

    # Catalog.
    color = await _attribute(
        "color", BackendType.VARCHAR, FrontendInput.TEXT, EntityType.CATALOG_PRODUCT
    )
    shirts = await CatalogCategoryEntity.create(path="1/2/x", level=2, parent_id=2, name="Shirts")
    mugs = await CatalogCategoryEntity.create(path="1/2/y", level=2, parent_id=2, name="Mugs")
    p1 = await CatalogProductEntity.create(
        attribute_set_id=4, sku="red-shirt", name="Red Shirt", price=D("20")
    )
    p2 = await CatalogProductEntity.create(
        attribute_set_id=4, sku="blue-mug", name="Blue Mug", price=D("5.5")
    )
    await CatalogCategoryProduct.create(category=shirts, product=p1)
    await CatalogCategoryProduct.create(category=mugs, product=p2)
    await CatalogProductEntityVarchar.create(attribute=color, entity=p1, value="Red", store_id=0)

    # Carts.
    q_ann = await Quote.create(
        store_id=1,
        customer=ann,
        subtotal=D("50"),
        base_subtotal=D("50"),
        grand_total=D("55"),
        base_grand_total=D("55"),
        tax_amount=D("3"),
        base_tax_amount=D("3"),
        shipping_amount=D("2"),
        base_shipping_amount=D("2"),
        items_count=2,
        items_qty=D("3"),
    )
    for product, moment in ((p1, utc(2026, 6, 14, 12)), (p2, utc(2026, 5, 1))):
        item = await QuoteItem.create(quote=q_ann, product=product, sku=product.sku, qty=1)
        await QuoteItem.filter(item_id=item.item_id).update(created_at=moment)
    await Quote.create(
        store_id=1, customer=bob, is_active=False, subtotal=D("100"), base_subtotal=D("100")
    )
    await Quote.create(store_id=2, customer=bob, subtotal=D("100"), base_subtotal=D("100"))
    q_cat = await Quote.create(
        store_id=1,
        customer=cat,
        subtotal=D("10"),
        base_subtotal=D("10"),
        items_count=1,
        items_qty=D("1"),
    )
    item = await QuoteItem.create(quote=q_cat, product=p2, sku=p2.sku, qty=1)
    await QuoteItem.filter(item_id=item.item_id).update(created_at=utc(2026, 6, 15, 10))

    # Wish list and views.
    wishlist = await Wishlist.create(customer=bob)
    await WishlistItem.create(wishlist=wishlist, product=p1, store_id=1, added_at=utc(2026, 6, 1))
    await ReportViewedProductIndex.create(
        customer=cat, product=p1, store_id=1, added_at=utc(2026, 6, 13)
    )
    await ReportViewedProductIndex.create(
        customer=bob, product=p2, store_id=2, added_at=utc(2026, 6, 13)
    )

    # Orders.
    async def order(
        customer: Any, store: int, status: str, total: str, qty: str, at: datetime, product: Any
    ) -> SalesOrder:
        n = await SalesOrder.all().count()
        placed = await SalesOrder.create(
            increment_id=f"1{n:08d}",
            state=OrderState.COMPLETE,
            status=status,
            store_id=store,
            customer=customer,
            base_grand_total=D(total),
            grand_total=D(total),
            total_qty_ordered=D(qty),
            created_at=at,
        )
        await SalesOrderItem.create(
            order=placed, product=product, sku=product.sku, created_at=at, qty_ordered=D(qty)
        )
        return placed

    o1 = await order(ann, 1, "complete", "100", "2", utc(2026, 6, 1, 10), p1)
    await order(ann, 1, "canceled", "50", "1", utc(2026, 3, 1, 12), p2)
    o3 = await order(bob, 1, "complete", "30", "3", utc(2026, 6, 14), p2)
    await order(bob, 2, "complete", "1000", "1", utc(2026, 6, 14), p1)
    await order(None, 1, "complete", "70", "1", utc(2026, 6, 14), p1)
    for parent, kind, city in (
        (o1, "shipping", "Austin"),
        (o1, "billing", "Dallas"),
        (o3, "shipping", "Boston"),
    ):
        await SalesOrderAddress.create(parent=parent, address_type=kind, city=city)

    catalog = await load_catalog()
    scope = Scope(
        website_id=1,
        store_ids=(1,),
        timezone=TZ,
        now=NOW,
        catalog=catalog,
        referenced={},
    )
    return World(
        names={x.entity_id: x.firstname.lower() for x in (ann, bob, cat, dan)},
        scope=scope,
        options={"gold": str(gold.option_id), "silver": str(silver.option_id)},
        categories={"shirts": shirts.entity_id, "mugs": mugs.entity_id},
    )


async def names(world: World, tree: Node, scope: Scope | None = None) -> set[str]:
    root = tree if isinstance(tree, Combine) else Combine(conditions=(tree,))
    ids = await member_ids(root, scope or world.scope)
    return {world.names[i] for i in ids}


async def check(world: World, table: list[tuple[str, Node, set[str]]]) -> None:
    """Every row of `table`; all results compared at once, so a failure shows every mismatch."""
    got = {name: await names(world, tree) for name, tree, _ in table}
    assert got == {name: expected for name, _, expected in table}


def cust(attribute: str, operator: Operator, value: Value) -> CustomerAttribute:
    return CustomerAttribute(attribute, operator, value)


EVERYONE = {"ann", "bob", "cat"}


async def test_customer_attributes_every_operator(db: Any) -> None:
    w = await build_world()
    gold, silver = w.options["gold"], w.options["silver"]
    table: list[tuple[str, Node, set[str]]] = [
        # string (static text column)
        ("firstname ==", cust("firstname", Op.IS, "ann"), {"ann"}),
        ("firstname !=", cust("firstname", Op.IS_NOT, "ANN"), {"bob", "cat"}),
        ("firstname {}", cust("firstname", Op.CONTAINS, "A"), {"ann", "cat"}),
        ("firstname !{}", cust("firstname", Op.NOT_CONTAINS, "o"), {"ann", "cat"}),
        ("firstname ()", cust("firstname", Op.ONE_OF, ("ann", "BOB")), {"ann", "bob"}),
        ("firstname !()", cust("firstname", Op.NOT_ONE_OF, ("ann", "bob")), {"cat"}),
        ("firstname == list", cust("firstname", Op.IS, ("ann", "cat")), {"ann", "cat"}),
        ("lastname {} quote", cust("lastname", Op.CONTAINS, "'h"), {"cat"}),
        ("lastname {} percent", cust("lastname", Op.CONTAINS, "%"), set()),
        ("lastname {} underscore", cust("lastname", Op.CONTAINS, "_"), set()),
        ("email ==", cust("email", Op.IS, "ANN@example.com"), {"ann"}),
        # select on an int column
        ("group ==", cust("group_id", Op.IS, "2"), {"bob"}),
        ("group !=", cust("group_id", Op.IS_NOT, "1"), {"bob"}),
        ("group ()", cust("group_id", Op.ONE_OF, ("1", "2")), EVERYONE),
        ("group <=>", cust("group_id", Op.UNDEFINED, None), set()),
        ("gender ==", cust("gender", Op.IS, "1"), {"ann"}),
        ("gender != (NULL never matches)", cust("gender", Op.IS_NOT, "1"), {"cat"}),
        ("gender <=>", cust("gender", Op.UNDEFINED, None), {"bob"}),
        ("gender !()", cust("gender", Op.NOT_ONE_OF, ("2",)), {"ann"}),
        ("gender == not a number", cust("gender", Op.IS, "x"), set()),
        # Every defined gender is not "x"; Bob's NULL gender still fails.
        ("gender != not a number", cust("gender", Op.IS_NOT, "x"), {"ann", "cat"}),
        # date column
        ("dob ==", cust("dob", Op.IS, date(1990, 5, 1)), {"ann"}),
        ("dob >=", cust("dob", Op.GREATER_OR_EQUAL, date(1986, 1, 1)), {"ann"}),
        ("dob <=", cust("dob", Op.LESS_OR_EQUAL, date(1990, 5, 1)), {"ann", "cat"}),
        # date on a datetime column: local days in Chicago
        ("created_at == 9 June", cust("created_at", Op.IS, date(2026, 6, 9)), {"ann"}),
        ("created_at == 10 June", cust("created_at", Op.IS, date(2026, 6, 10)), {"bob"}),
        ("created_at >=", cust("created_at", Op.GREATER_OR_EQUAL, date(2026, 6, 10)), {"bob"}),
        (
            "created_at <=",
            cust("created_at", Op.LESS_OR_EQUAL, date(2026, 6, 9)),
            {"ann", "cat"},
        ),
        ("created_at >", cust("created_at", Op.GREATER, date(2026, 6, 9)), {"bob"}),
        ("created_at <", cust("created_at", Op.LESS, date(2026, 6, 10)), {"ann", "cat"}),
        # default address (derived)
        ("default_billing exists", cust("default_billing", Op.IS, "is_exists"), {"ann"}),
        (
            "default_billing not exists",
            cust("default_billing", Op.IS, "is_not_exists"),
            {"bob", "cat"},
        ),
        ("default_shipping exists", cust("default_shipping", Op.IS, "is_exists"), {"bob"}),
        # custom text (varchar)
        ("loyalty ==", cust("loyalty", Op.IS, "GOLD"), {"ann"}),
        ("loyalty != (missing row)", cust("loyalty", Op.IS_NOT, "gold"), {"bob"}),
        ("loyalty {}", cust("loyalty", Op.CONTAINS, "ILV"), {"bob"}),
        ("loyalty !{}", cust("loyalty", Op.NOT_CONTAINS, "ilv"), {"ann"}),
        # custom select (int)
        ("tier ==", cust("tier", Op.IS, gold), {"ann"}),
        ("tier !=", cust("tier", Op.IS_NOT, gold), {"bob"}),
        ("tier <=>", cust("tier", Op.UNDEFINED, None), {"cat"}),
        ("tier ()", cust("tier", Op.ONE_OF, (gold, silver)), {"ann", "bob"}),
        # custom multiselect (text)
        ("hobbies == set", cust("hobbies", Op.IS, ("2", "1")), {"ann"}),
        ("hobbies == one", cust("hobbies", Op.IS, ("2",)), {"bob"}),
        ("hobbies !=", cust("hobbies", Op.IS_NOT, ("2",)), {"ann", "cat"}),
        ("hobbies []", cust("hobbies", Op.MULTI_CONTAINS, ("2",)), {"ann", "bob"}),
        ("hobbies [] two", cust("hobbies", Op.MULTI_CONTAINS, ("1", "2")), {"ann"}),
        ("hobbies ![]", cust("hobbies", Op.MULTI_NOT_CONTAINS, ("1",)), {"bob", "cat"}),
        # custom numeric (decimal)
        ("score >", cust("score", Op.GREATER, D("3")), {"ann"}),
        ("score ==", cust("score", Op.IS, D("10.5")), {"ann"}),
        ("score <=", cust("score", Op.LESS_OR_EQUAL, D("3")), {"bob"}),
        ("score <", cust("score", Op.LESS, D("10.5")), {"bob"}),
        ("score >=", cust("score", Op.GREATER_OR_EQUAL, D("3.0001")), {"ann"}),
        ("score !=", cust("score", Op.IS_NOT, D("3")), {"ann"}),
        # custom boolean (int)
        ("vip == 1", cust("vip", Op.IS, "1"), {"ann"}),
        ("vip == 0", cust("vip", Op.IS, "0"), {"bob"}),
        ("vip != 1", cust("vip", Op.IS_NOT, "1"), {"bob"}),
        ("vip <=>", cust("vip", Op.UNDEFINED, None), {"cat"}),
        # custom date kept in a datetime table
        ("anniv ==", cust("anniv", Op.IS, date(2020, 2, 2)), {"ann"}),
        ("anniv >=", cust("anniv", Op.GREATER_OR_EQUAL, date(2020, 2, 3)), set()),
        ("anniv <=", cust("anniv", Op.LESS_OR_EQUAL, date(2020, 2, 2)), {"ann"}),
    ]
    await check(w, table)


async def test_customer_related_nodes(db: Any) -> None:
    w = await build_world()
    table: list[tuple[str, Node, set[str]]] = [
        ("subscribed", Newsletter(True), {"ann"}),
        ("not subscribed", Newsletter(False), {"bob", "cat"}),
        ("credit >=", StoreCredit(Op.GREATER_OR_EQUAL, D("10")), {"ann"}),
        ("credit ==", StoreCredit(Op.IS, D("0")), {"cat"}),
        ("credit != (no row never matches)", StoreCredit(Op.IS_NOT, D("25")), {"cat"}),
        ("credit <", StoreCredit(Op.LESS, D("100")), {"ann", "cat"}),
        ("address any", CustomerAddress(), {"ann", "bob"}),
        (
            "address city",
            CustomerAddress(conditions=(AddressAttribute("city", Op.IS, "AUSTIN"),)),
            {"ann"},
        ),
        (
            "address default billing",
            CustomerAddress(conditions=(DefaultAddress(Op.IS, DefaultAddressKind.BILLING),)),
            {"ann"},
        ),
        (
            "address default shipping",
            CustomerAddress(conditions=(DefaultAddress(Op.IS, DefaultAddressKind.SHIPPING),)),
            {"bob"},
        ),
        (
            "address not default billing in austin",
            CustomerAddress(
                conditions=(
                    DefaultAddress(Op.IS_NOT, DefaultAddressKind.BILLING),
                    AddressAttribute("city", Op.IS, "austin"),
                )
            ),
            set(),
        ),
        (
            "address not default billing",
            CustomerAddress(conditions=(DefaultAddress(Op.IS_NOT, DefaultAddressKind.BILLING),)),
            {"ann", "bob"},
        ),
        ("has region", CustomerAddress(conditions=(AddressHasRegion(True),)), {"ann"}),
        ("no region", CustomerAddress(conditions=(AddressHasRegion(False),)), {"ann", "bob"}),
        (
            "address any of",
            CustomerAddress(
                ANY,
                (
                    AddressAttribute("country_id", Op.IS, "fr"),
                    AddressAttribute("city", Op.IS, "boston"),
                ),
            ),
            {"ann", "bob"},
        ),
        (
            "address all of",
            CustomerAddress(
                ALL,
                (
                    AddressAttribute("country_id", Op.IS, "fr"),
                    AddressAttribute("city", Op.IS, "boston"),
                ),
            ),
            set(),
        ),
        (
            "address region ==",
            CustomerAddress(conditions=(AddressAttribute("region_id", Op.IS, "57"),)),
            {"ann"},
        ),
        (
            "address region <=>",
            CustomerAddress(conditions=(AddressAttribute("region_id", Op.UNDEFINED, None),)),
            {"ann", "bob"},
        ),
    ]
    await check(w, table)


def cart_has(*conditions: Any, found: bool = True, aggregator: Aggregator = ALL) -> ProductList:
    return ProductList(ProductListSource.CART, found, aggregator, tuple(conditions))


def prod(attribute: str, operator: Operator, value: Value) -> ProductAttribute:
    return ProductAttribute(attribute, operator, value)


async def test_cart_and_product_nodes(db: Any) -> None:
    w = await build_world()
    shirts, mugs = str(w.categories["shirts"]), str(w.categories["mugs"])
    k = CartAmountKind
    week = UpToDate(Op.GREATER_OR_EQUAL, 7)
    table: list[tuple[str, Node, set[str]]] = [
        ("subtotal >=", CartAmount(k.SUBTOTAL, Op.GREATER_OR_EQUAL, D("50")), {"ann"}),
        ("subtotal <", CartAmount(k.SUBTOTAL, Op.LESS, D("50")), {"cat"}),
        ("subtotal !=", CartAmount(k.SUBTOTAL, Op.IS_NOT, D("50")), {"cat"}),
        ("grand total ==", CartAmount(k.GRAND_TOTAL, Op.IS, D("55")), {"ann"}),
        ("tax >", CartAmount(k.TAX, Op.GREATER, D("2")), {"ann"}),
        ("shipping <=", CartAmount(k.SHIPPING, Op.LESS_OR_EQUAL, D("2")), {"ann", "cat"}),
        ("store credit == 0", CartAmount(k.STORE_CREDIT, Op.IS, D("0")), {"ann", "cat"}),
        ("gift card >", CartAmount(k.GIFT_CARD, Op.GREATER, D("0")), set()),
        ("line items >=", CartLineItems(Op.GREATER_OR_EQUAL, D("2")), {"ann"}),
        ("line items ==", CartLineItems(Op.IS, D("1")), {"cat"}),
        ("qty <", CartProductsQuantity(Op.LESS, D("3")), {"cat"}),
        ("qty ==", CartProductsQuantity(Op.IS, D("3")), {"ann"}),
        ("cart any product", cart_has(), {"ann", "cat"}),
        ("cart sku", cart_has(prod("sku", Op.IS, "RED-shirt")), {"ann"}),
        (
            "cart sku not found",
            cart_has(prod("sku", Op.IS, "red-shirt"), found=False),
            {"bob", "cat"},
        ),
        ("cart category ==", cart_has(prod("category_ids", Op.IS, mugs)), {"ann", "cat"}),
        ("cart category ()", cart_has(prod("category_ids", Op.ONE_OF, (shirts,))), {"ann"}),
        ("cart category !=", cart_has(prod("category_ids", Op.IS_NOT, shirts)), {"ann", "cat"}),
        ("cart category !()", cart_has(prod("category_ids", Op.NOT_ONE_OF, (shirts, mugs))), set()),
        ("cart shirt this week", cart_has(prod("category_ids", Op.IS, shirts), week), {"ann"}),
        ("cart mug this week", cart_has(prod("sku", Op.IS, "blue-mug"), week), {"cat"}),
        (
            "cart mug or this week",
            cart_has(prod("sku", Op.IS, "blue-mug"), week, aggregator=ANY),
            {"ann", "cat"},
        ),
        ("cart attribute set", cart_has(prod("attribute_set_id", Op.IS, "4")), {"ann", "cat"}),
        ("cart price >", cart_has(prod("price", Op.GREATER, D("10"))), {"ann"}),
        ("cart price ==", cart_has(prod("price", Op.IS, D("5.5"))), {"ann", "cat"}),
        ("cart color (eav)", cart_has(prod("color", Op.IS, "red")), {"ann"}),
        (
            "cart color !{} (no value never matches)",
            cart_has(prod("color", Op.NOT_CONTAINS, "re")),
            set(),
        ),
        (
            "cart not red shirt (combine false)",
            cart_has(ProductCombine(ANY, False, (prod("sku", Op.IS, "red-shirt"),))),
            {"ann", "cat"},
        ),
        (
            "cart combine all true",
            cart_has(ProductCombine(ALL, True, (prod("sku", Op.IS, "red-shirt"), week))),
            {"ann"},
        ),
        (
            "cart date range",
            cart_has(DateRange(Op.IS, date(2026, 4, 30), date(2026, 4, 30))),
            {"ann"},
        ),
        (
            "cart not date range",
            cart_has(DateRange(Op.IS_NOT, date(2026, 4, 30), date(2026, 6, 14))),
            {"cat"},
        ),
        ("wishlist any", ProductList(ProductListSource.WISHLIST, True), {"bob"}),
        (
            "wishlist local day boundary",
            ProductList(
                ProductListSource.WISHLIST,
                True,
                ALL,
                (DateRange(Op.IS, date(2026, 6, 1), date(2026, 6, 1)),),
            ),
            set(),
        ),
        (
            "wishlist local day",
            ProductList(
                ProductListSource.WISHLIST,
                True,
                ALL,
                (DateRange(Op.IS, date(2026, 5, 31), date(2026, 5, 31)),),
            ),
            {"bob"},
        ),
        (
            "wishlist not found",
            ProductList(ProductListSource.WISHLIST, False, ALL, (prod("sku", Op.IS, "red-shirt"),)),
            {"ann", "cat"},
        ),
        ("viewed any", ProductHistory(ProductHistoryAction.VIEWED, True), {"cat"}),
        (
            "viewed mug (other store)",
            ProductHistory(
                ProductHistoryAction.VIEWED, True, ALL, (prod("sku", Op.IS, "blue-mug"),)
            ),
            set(),
        ),
        ("viewed not", ProductHistory(ProductHistoryAction.VIEWED, False), {"ann", "bob"}),
        (
            "ordered shirt",
            ProductHistory(
                ProductHistoryAction.ORDERED, True, ALL, (prod("category_ids", Op.IS, shirts),)
            ),
            {"ann"},
        ),
        (
            "ordered no mug",
            ProductHistory(
                ProductHistoryAction.ORDERED, False, ALL, (prod("sku", Op.IS, "blue-mug"),)
            ),
            {"cat"},
        ),
        (
            "ordered a week ago or more",
            ProductHistory(
                ProductHistoryAction.ORDERED, True, ALL, (UpToDate(Op.LESS_OR_EQUAL, 7),)
            ),
            {"ann"},
        ),
        (
            "ordered within a day",
            ProductHistory(ProductHistoryAction.ORDERED, True, ALL, (UpToDate(Op.GREATER, 2),)),
            {"bob"},
        ),
    ]
    await check(w, table)


async def test_sales_nodes(db: Any) -> None:
    w = await build_world()
    total, average = SalesFunction.TOTAL, SalesFunction.AVERAGE
    complete = OrderStatus(Op.IS, "complete")
    week = UpToDate(Op.GREATER_OR_EQUAL, 7)
    table: list[tuple[str, Node, set[str]]] = [
        ("total >=", SalesAmount(total, Op.GREATER_OR_EQUAL, D("100")), {"ann"}),
        (
            "total complete >=",
            SalesAmount(total, Op.GREATER_OR_EQUAL, D("100"), ALL, (complete,)),
            {"ann"},
        ),
        ("total complete >", SalesAmount(total, Op.GREATER, D("100"), ALL, (complete,)), set()),
        ("total != (no orders is 0)", SalesAmount(total, Op.IS_NOT, D("30")), {"ann", "cat"}),
        ("total <", SalesAmount(total, Op.LESS, D("1000")), {"ann", "bob", "cat"}),
        ("average ==", SalesAmount(average, Op.IS, D("75")), {"ann"}),
        ("average >=", SalesAmount(average, Op.GREATER_OR_EQUAL, D("75")), {"ann"}),
        ("average <", SalesAmount(average, Op.LESS, D("75")), {"bob", "cat"}),
        ("orders == 0", OrdersNumber(Op.IS, D("0")), {"cat"}),
        ("orders >= 1", OrdersNumber(Op.GREATER_OR_EQUAL, D("1")), {"ann", "bob"}),
        ("orders == 2", OrdersNumber(Op.IS, D("2")), {"ann"}),
        ("orders <= 1", OrdersNumber(Op.LESS_OR_EQUAL, D("1")), {"bob", "cat"}),
        ("orders != 1", OrdersNumber(Op.IS_NOT, D("1")), {"ann", "cat"}),
        ("orders < 1.5", OrdersNumber(Op.LESS, D("1.5")), {"bob", "cat"}),
        ("orders this week >= 1", OrdersNumber(Op.GREATER_OR_EQUAL, D("1"), ALL, (week,)), {"bob"}),
        ("orders this week == 0", OrdersNumber(Op.IS, D("0"), ALL, (week,)), {"ann", "cat"}),
        (
            "orders in range",
            OrdersNumber(
                Op.GREATER_OR_EQUAL,
                D("1"),
                ALL,
                (DateRange(Op.IS, date(2026, 6, 1), date(2026, 6, 1)),),
            ),
            {"ann"},
        ),
        (
            "orders out of range",
            OrdersNumber(
                Op.GREATER_OR_EQUAL,
                D("1"),
                ALL,
                (DateRange(Op.IS_NOT, date(2026, 6, 1), date(2026, 6, 1)),),
            ),
            {"ann", "bob"},
        ),
        (
            "orders not complete",
            OrdersNumber(Op.GREATER_OR_EQUAL, D("1"), ALL, (OrderStatus(Op.IS_NOT, "complete"),)),
            {"ann"},
        ),
        (
            "orders any status",
            OrdersNumber(Op.GREATER_OR_EQUAL, D("1"), ALL, (OrderStatus(Op.IS, ANY_ORDER_STATUS),)),
            {"ann", "bob"},
        ),
        (
            "orders status is not any (no filter, as Magento)",
            OrdersNumber(
                Op.GREATER_OR_EQUAL, D("1"), ALL, (OrderStatus(Op.IS_NOT, ANY_ORDER_STATUS),)
            ),
            {"ann", "bob"},
        ),
        (
            "orders complete or march",
            OrdersNumber(
                Op.IS,
                D("2"),
                ANY,
                (complete, DateRange(Op.IS, date(2026, 3, 1), date(2026, 3, 31))),
            ),
            {"ann"},
        ),
        ("qty total >=", PurchasedQuantity(total, Op.GREATER_OR_EQUAL, D("3")), {"ann", "bob"}),
        ("qty average >", PurchasedQuantity(average, Op.GREATER, D("2")), {"bob"}),
        ("qty average ==", PurchasedQuantity(average, Op.IS, D("1.5")), {"ann"}),
        ("order address any", OrderAddress(), {"ann", "bob"}),
        (
            "order address shipping austin",
            OrderAddress(
                ALL,
                (
                    OrderAddressType(Op.IS, OrderAddressKind.SHIPPING),
                    OrderAddressAttribute("city", Op.IS, "austin"),
                ),
            ),
            {"ann"},
        ),
        (
            "order address billing dallas",
            OrderAddress(
                ALL,
                (
                    OrderAddressType(Op.IS, OrderAddressKind.BILLING),
                    OrderAddressAttribute("city", Op.IS, "dallas"),
                ),
            ),
            {"ann"},
        ),
        (
            "order address not shipping bos",
            OrderAddress(
                ALL,
                (
                    OrderAddressType(Op.IS_NOT, OrderAddressKind.SHIPPING),
                    OrderAddressAttribute("city", Op.CONTAINS, "bos"),
                ),
            ),
            set(),
        ),
        (
            "order address boston",
            OrderAddress(ALL, (OrderAddressAttribute("city", Op.IS, "boston"),)),
            {"bob"},
        ),
    ]
    await check(w, table)


async def test_combinations_and_segments(db: Any) -> None:
    w = await build_world()
    a = cust("firstname", Op.IS, "ann")  # {ann}
    b = cust("group_id", Op.IS, "1")  # {ann, cat}
    table: list[tuple[str, Node, set[str]]] = [
        ("all true", Combine(ALL, True, (a, b)), {"ann"}),
        ("any true", Combine(ANY, True, (a, b)), {"ann", "cat"}),
        ("all false", Combine(ALL, False, (a, b)), {"bob"}),
        ("any false", Combine(ANY, False, (a, b)), {"bob", "cat"}),
        ("empty all true", Combine(ALL, True, ()), EVERYONE),
        ("empty any true", Combine(ANY, True, ()), set()),
        ("empty all false", Combine(ALL, False, ()), EVERYONE),
        ("empty any false", Combine(ANY, False, ()), set()),
        (
            "nested",
            Combine(ALL, True, (Combine(ANY, False, (a, b)), Newsletter(False))),
            {"bob", "cat"},
        ),
        ("nested false of false", Combine(ALL, False, (Combine(ALL, False, (a,)),)), {"ann"}),
        (
            "false of aggregates",
            Combine(
                ALL,
                False,
                (
                    SalesAmount(SalesFunction.TOTAL, Op.GREATER_OR_EQUAL, D("100")),
                    OrdersNumber(Op.IS, D("0")),
                ),
            ),
            {"bob"},
        ),
        (
            "false of sub-selections",
            Combine(
                ANY,
                False,
                (
                    cart_has(),
                    ProductHistory(ProductHistoryAction.VIEWED, True),
                ),
            ),
            {"ann", "bob"},
        ),
    ]
    await check(w, table)

    referenced: dict[int, Node | None] = {
        10: Combine(conditions=(a,)),
        11: None,
        12: Combine(conditions=(SegmentMembership(Op.IS, 10), b)),
    }
    scope = replace(w.scope, referenced=referenced)
    got = {
        name: await names(w, Combine(conditions=(SegmentMembership(op, sid),)), scope)
        for name, op, sid in (
            ("in 10", Op.IS, 10),
            ("not in 10", Op.IS_NOT, 10),
            ("in inactive", Op.IS, 11),
            ("not in inactive", Op.IS_NOT, 11),
            ("in 12", Op.IS, 12),
            ("not in 12", Op.IS_NOT, 12),
        )
    }
    assert got == {
        "in 10": {"ann"},
        "not in 10": {"bob", "cat"},
        "in inactive": set(),
        "not in inactive": EVERYONE,
        "in 12": {"ann"},
        "not in 12": {"bob", "cat"},
    }


async def test_scope_and_helpers(db: Any) -> None:
    w = await build_world()
    everyone = Combine()
    assert await names(w, everyone, replace(w.scope, customers_of_website_only=False)) == {
        "ann",
        "bob",
        "cat",
        "dan",
    }
    # No store in the scope: nothing placed in a store counts.
    no_stores = replace(w.scope, store_ids=())
    assert await names(w, OrdersNumber(Op.IS, D("0")), no_stores) == EVERYONE
    assert await names(w, Newsletter(True), no_stores) == set()

    ids = sorted(w.names)[:3]
    tree = Combine(ANY, True, (cust("firstname", Op.IS, "ann"), cust("firstname", Op.IS, "cat")))
    assert await count_members(tree, w.scope) == 2
    assert await member_page(everyone, w.scope, 0, 2) == ids[:2]
    assert await member_page(everyone, w.scope, 2, 2) == ids[2:]

    connection = Tortoise.get_connection("default")
    dialect = dialect_of(connection)
    query = compile_members(tree, w.scope, dialect)
    mark = "?" if dialect is Dialect.SQLITE else "$"
    assert query.sql.count(f"{mark}1") >= 1
    assert all(isinstance(p, int | str) for p in query.params)
    # Embedded after one parameter of an enclosing statement.
    shifted = query.shifted(1)
    assert f"{mark}1 " not in shifted.sql
    assert f"{mark}{len(query.params) + 1}" in shifted.sql
    rows = await connection.execute_query_dict(
        f"SELECT COUNT(*) AS n FROM ({shifted.sql}) m WHERE m.customer_id > {mark}1",
        [0, *shifted.params],
    )
    assert rows[0]["n"] == 2
    assert SqlQuery("a = ?1 AND b = ?12", (1,)).shifted(3).sql == "a = ?4 AND b = ?15"
