"""The segment condition catalogue: operators per input type, the static entries, custom EAV
attributes flagged for segments / promo rules, option lists read from the database, and the
node-type descriptions rule builders read."""

from __future__ import annotations

from typing import Any

from engine.segments.catalog import (
    OPERATORS_BY_INPUT,
    available_for_visitors,
    describe_node_types,
    load_catalog,
    static_catalog,
)
from engine.segments.catalog_types import (
    Derived,
    DerivedKind,
    EavColumn,
    Option,
    StaticColumn,
    Storage,
    Subject,
)
from engine.segments.drafts import ConditionType
from engine.segments.tree import InputType, Operator
from models import (
    BackendType,
    CatalogEavAttribute,
    CustomerEavAttribute,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionValue,
    EavAttributeSet,
    EntityType,
    FrontendInput,
)

Op = Operator


def test_operators_per_input_type_follow_magento() -> None:
    assert OPERATORS_BY_INPUT == {
        InputType.NUMERIC: (Op.IS, Op.IS_NOT, Op.GREATER_OR_EQUAL, Op.GREATER, Op.LESS_OR_EQUAL,
                            Op.LESS),
        InputType.STRING: (Op.IS, Op.IS_NOT, Op.CONTAINS, Op.NOT_CONTAINS, Op.ONE_OF,
                           Op.NOT_ONE_OF),
        InputType.MULTISELECT: (Op.IS, Op.IS_NOT, Op.MULTI_CONTAINS, Op.MULTI_NOT_CONTAINS),
        InputType.DATE: (Op.IS, Op.GREATER_OR_EQUAL, Op.LESS_OR_EQUAL),
        InputType.SELECT: (Op.IS, Op.IS_NOT, Op.UNDEFINED, Op.ONE_OF, Op.NOT_ONE_OF),
        InputType.BOOLEAN: (Op.IS, Op.IS_NOT, Op.UNDEFINED),
    }  # fmt: skip


def test_static_entries() -> None:
    catalog = static_catalog()
    codes = {subject: [s.code for s in catalog.of(subject)] for subject in Subject}
    assert codes == {
        Subject.CUSTOMER: ["dob", "email", "firstname", "lastname", "group_id", "gender",
                           "default_billing", "default_shipping", "created_at"],
        Subject.ADDRESS: ["firstname", "lastname", "company", "street", "city", "region_id",
                          "postcode", "country_id", "telephone"],
        Subject.ORDER_ADDRESS: ["firstname", "lastname", "company", "street", "city",
                                "region_id", "postcode", "country_id", "telephone", "email"],
        Subject.PRODUCT: ["sku", "name", "price", "special_price", "weight", "type_id",
                          "visibility", "status", "attribute_set_id", "category_ids"],
    }  # fmt: skip
    billing = catalog.attribute(Subject.CUSTOMER, "default_billing")
    assert billing is not None
    assert billing.operators == (Op.IS,)
    assert billing.source == Derived(DerivedKind.DEFAULT_ADDRESS_EXISTS, "default_billing")
    assert [o.value for o in billing.options] == ["is_exists", "is_not_exists"]
    created = catalog.attribute(Subject.CUSTOMER, "created_at")
    assert created is not None
    assert (created.input_type, created.source) == (
        InputType.DATE,
        StaticColumn("created_at", Storage.DATETIME),
    )
    gender = catalog.attribute(Subject.CUSTOMER, "gender")
    assert gender is not None
    assert gender.options == (
        Option("1", "Male"),
        Option("2", "Female"),
        Option("3", "Not Specified"),
    )
    categories = catalog.attribute(Subject.PRODUCT, "category_ids")
    assert categories is not None
    # Magento's "category" input of product conditions.
    assert categories.operators == (
        Op.IS, Op.IS_NOT, Op.CONTAINS, Op.NOT_CONTAINS, Op.ONE_OF, Op.NOT_ONE_OF
    )  # fmt: skip
    price = catalog.attribute(Subject.PRODUCT, "price")
    assert price is not None
    assert (price.input_type, price.source) == (
        InputType.NUMERIC,
        StaticColumn("price", Storage.DECIMAL),
    )
    # A product number is Magento's "string" input there: `{}` and `()` too.
    assert price.operators == (
        Op.IS, Op.IS_NOT, Op.GREATER_OR_EQUAL, Op.GREATER, Op.LESS_OR_EQUAL, Op.LESS,
        Op.CONTAINS, Op.NOT_CONTAINS, Op.ONE_OF, Op.NOT_ONE_OF,
    )  # fmt: skip


def test_guest_availability() -> None:
    guests = {t for t in ConditionType if available_for_visitors(t)}
    assert guests == {
        ConditionType.COMBINE,
        ConditionType.CART_AMOUNT,
        ConditionType.CART_LINE_ITEMS,
        ConditionType.CART_PRODUCTS_QUANTITY,
        ConditionType.PRODUCT_LIST,
        ConditionType.PRODUCT_HISTORY,
        ConditionType.PRODUCT_ATTRIBUTE,
        ConditionType.PRODUCT_COMBINE,
        ConditionType.UP_TO_DATE,
        ConditionType.DATE_RANGE,
    }


async def _attribute(
    entity: EntityType,
    code: str,
    frontend: FrontendInput,
    backend: BackendType,
    *,
    flagged: bool = True,
) -> EavAttribute:
    attribute = await EavAttribute.create(
        entity_type_id=entity,
        attribute_code=code,
        backend_type=backend,
        frontend_input=frontend,
        frontend_label=code.replace("_", " ").title(),
    )
    if entity == EntityType.CATALOG_PRODUCT:
        await CatalogEavAttribute.create(attribute=attribute, is_used_for_promo_rules=flagged)
    else:
        await CustomerEavAttribute.create(attribute=attribute, is_used_for_customer_segment=flagged)
    return attribute


async def _option(attribute: EavAttribute, label: str, sort: int) -> str:
    option = await EavAttributeOption.create(attribute=attribute, sort_order=sort)
    await EavAttributeOptionValue.create(option=option, store_id=0, value=label)
    await EavAttributeOptionValue.create(option=option, store_id=1, value=label.upper())
    return str(option.option_id)


async def test_load_catalog_reads_options_and_flagged_attributes(db: Any) -> None:
    tier = await _attribute(
        EntityType.CUSTOMER, "loyalty_tier", FrontendInput.SELECT, BackendType.INT
    )
    gold = await _option(tier, "Gold", 2)
    silver = await _option(tier, "Silver", 1)
    await _attribute(EntityType.CUSTOMER, "hidden_note", FrontendInput.TEXT, BackendType.VARCHAR,
                     flagged=False)  # fmt: skip
    await _attribute(EntityType.CUSTOMER, "vip", FrontendInput.BOOLEAN, BackendType.INT)
    await _attribute(EntityType.CUSTOMER, "anniversary", FrontendInput.DATE, BackendType.DATETIME)
    door = await _attribute(
        EntityType.CUSTOMER_ADDRESS, "door_code", FrontendInput.TEXT, BackendType.VARCHAR
    )
    await _attribute(EntityType.CUSTOMER_ADDRESS, "floor", FrontendInput.TEXT, BackendType.INT)
    brand = await _attribute(
        EntityType.CATALOG_PRODUCT, "brand", FrontendInput.MULTISELECT, BackendType.VARCHAR
    )
    acme = await _option(brand, "Acme", 0)
    await _attribute(EntityType.CATALOG_PRODUCT, "secret", FrontendInput.TEXT, BackendType.TEXT,
                     flagged=False)  # fmt: skip
    # A file/image attribute is never offered, even when flagged.
    await EavAttribute._meta.db.execute_script(
        "INSERT INTO eav_attribute (entity_type_id, attribute_code, backend_type, frontend_input,"
        " frontend_label, is_required, is_user_defined) VALUES (1, 'avatar', 'varchar', 'image',"
        " 'Avatar', FALSE, TRUE)"
    )
    avatar = await EavAttribute.get(attribute_code="avatar").values_list("attribute_id", flat=True)
    await CustomerEavAttribute.create(attribute_id=avatar, is_used_for_customer_segment=True)
    await EavAttributeSet.create(
        attribute_set_id=9,
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_set_name="Shoes",
        sort_order=2,
    )

    catalog = await load_catalog()

    assert [s.code for s in catalog.of(Subject.CUSTOMER)][9:] == [
        "anniversary",
        "loyalty_tier",
        "vip",
    ]
    loyalty = catalog.attribute(Subject.CUSTOMER, "loyalty_tier")
    assert loyalty is not None
    assert loyalty.input_type == InputType.SELECT
    assert loyalty.source == EavColumn("customer_entity_int", tier.attribute_id, Storage.INT)
    assert loyalty.options == (Option(silver, "Silver"), Option(gold, "Gold"))
    vip = catalog.attribute(Subject.CUSTOMER, "vip")
    assert vip is not None
    assert (vip.input_type, vip.options) == (
        InputType.BOOLEAN,
        (Option("1", "Yes"), Option("0", "No")),
    )
    anniversary = catalog.attribute(Subject.CUSTOMER, "anniversary")
    assert anniversary is not None
    assert anniversary.input_type == InputType.DATE
    assert anniversary.source.storage == Storage.DATE  # type: ignore[union-attr]
    assert anniversary.source.table == "customer_entity_datetime"  # type: ignore[union-attr]
    assert catalog.attribute(Subject.CUSTOMER, "hidden_note") is None
    assert catalog.attribute(Subject.CUSTOMER, "avatar") is None
    door_code = catalog.attribute(Subject.ADDRESS, "door_code")
    assert door_code is not None
    assert door_code.source == EavColumn(
        "customer_address_entity_varchar", door.attribute_id, Storage.TEXT
    )
    assert door_code.input_type == InputType.STRING
    floor = catalog.attribute(Subject.ADDRESS, "floor")
    assert floor is not None
    assert floor.input_type == InputType.NUMERIC
    brands = catalog.attribute(Subject.PRODUCT, "brand")
    assert brands is not None
    assert brands.input_type == InputType.MULTISELECT
    assert brands.source == EavColumn(
        "catalog_product_entity_varchar", brand.attribute_id, Storage.TEXT
    )
    assert brands.options == (Option(acme, "Acme"),)
    # Magento's product multiselect: `{} !{} () !()`, and the segment table's as well.
    assert brands.operators == (
        Op.CONTAINS, Op.NOT_CONTAINS, Op.ONE_OF, Op.NOT_ONE_OF,
        *OPERATORS_BY_INPUT[InputType.MULTISELECT],
    )  # fmt: skip
    assert catalog.attribute(Subject.PRODUCT, "secret") is None

    group = catalog.attribute(Subject.CUSTOMER, "group_id")
    assert group is not None
    assert group.options == (
        Option("0", "NOT LOGGED IN"),
        Option("1", "General"),
        Option("2", "Wholesale"),
        Option("3", "Retailer"),
    )
    sets = catalog.attribute(Subject.PRODUCT, "attribute_set_id")
    assert sets is not None
    assert sets.options == (Option("4", "Default"), Option("9", "Shoes"))
    region = catalog.attribute(Subject.ADDRESS, "region_id")
    assert region is not None
    assert len(region.options) == 94  # the US (65), Canada (13) and Germany (16)
    assert Option("12", "California (US)") in region.options
    assert catalog.order_statuses[:3] == (
        Option("canceled", "Canceled"),
        Option("closed", "Closed"),
        Option("complete", "Complete"),
    )
    assert len(catalog.order_statuses) == 9


async def test_describe_node_types(db: Any) -> None:
    catalog = await load_catalog()
    described = {d.type: d for d in describe_node_types(catalog)}
    assert set(described) == set(ConditionType)
    combine = described[ConditionType.COMBINE]
    assert combine.takes_aggregator
    assert combine.available_for_visitors
    assert ConditionType.SEGMENT in combine.child_types
    assert ConditionType.ADDRESS_ATTRIBUTE not in combine.child_types
    product_list = described[ConditionType.PRODUCT_LIST]
    assert product_list.visitor_values == ("shopping_cart",)
    assert product_list.child_types == (
        ConditionType.PRODUCT_ATTRIBUTE,
        ConditionType.PRODUCT_COMBINE,
        ConditionType.UP_TO_DATE,
        ConditionType.DATE_RANGE,
    )
    status = described[ConditionType.ORDER_STATUS]
    assert status.value_options[0] == Option("any", "Any")
    assert len(status.value_options) == 10
    customer = described[ConditionType.CUSTOMER_ATTRIBUTE]
    assert not customer.available_for_visitors
    assert [a.code for a in customer.attributes][:2] == ["dob", "email"]
    assert described[ConditionType.SALES_AMOUNT].child_types == (
        ConditionType.ORDER_STATUS,
        ConditionType.UP_TO_DATE,
        ConditionType.DATE_RANGE,
    )
