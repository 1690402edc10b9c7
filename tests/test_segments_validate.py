"""Building a typed segment tree from a draft: every node type, Magento's value quirks, and every
problem reported at once with its path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from engine.errors import InputInvalid, Problem, ProblemCode
from engine.segments.catalog import OPERATORS_BY_INPUT, static_specs
from engine.segments.catalog_types import (
    AttributeSpec,
    Catalog,
    EavColumn,
    Option,
    Storage,
    Subject,
)
from engine.segments.drafts import ConditionDraft as D
from engine.segments.drafts import ConditionType as T
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
from engine.segments.validate import build_tree, dump_tree, referenced_segment_ids
from models.segments import ApplyTo

Op = Operator
C = ProblemCode
ROOT = "input.conditions"


def _catalog() -> Catalog:
    specs = static_specs(
        groups=(Option("0", "NOT LOGGED IN"), Option("1", "General")),
        regions=(Option("12", "California (US)"), Option("43", "New York (US)")),
        attribute_sets=(Option("4", "Default"),),
    )
    specs.append(
        AttributeSpec(
            Subject.PRODUCT,
            "brand",
            "Brand",
            InputType.MULTISELECT,
            EavColumn("catalog_product_entity_varchar", 90, Storage.TEXT),
            OPERATORS_BY_INPUT[InputType.MULTISELECT],
            (Option("7", "Acme"), Option("8", "Bolt"), Option("9", "Core")),
        )
    )
    return Catalog(
        attributes={(s.subject, s.code): s for s in specs},
        order_statuses=(Option("complete", "Complete"), Option("pending", "Pending")),
    )


CATALOG = _catalog()
REFERENCES = {3: frozenset({4}), 4: frozenset(), 5: frozenset({3}), 7: frozenset()}


def build(
    *children: D,
    apply_to: ApplyTo = ApplyTo.BOTH,
    segment_id: int | None = 7,
    aggregator: str = "all",
    value: str = "1",
) -> Combine:
    return build_tree(
        D(T.COMBINE, aggregator=aggregator, value=value, conditions=children),
        CATALOG,
        apply_to=apply_to,
        segment_id=segment_id,
        references=REFERENCES,
    )


def problems(*children: D, **options: object) -> list[Problem]:
    with pytest.raises(InputInvalid) as caught:
        build(*children, **options)  # type: ignore[arg-type]
    return list(caught.value.problems)


def p(code: ProblemCode, message: str, path: str) -> Problem:
    return Problem(code, message, path)


# --- every node type builds -----------------------------------------------------------------

EVERY_TYPE = D(
    T.COMBINE,
    aggregator="any",
    value="0",
    conditions=(
        D(T.CUSTOMER_ATTRIBUTE, "email", "{}", "@example.com"),
        D(T.CUSTOMER_NEWSLETTER, operator="==", value="1"),
        D(T.CUSTOMER_STORE_CREDIT, operator=">", value="10.5"),
        D(
            T.CUSTOMER_ADDRESS,
            aggregator="all",
            conditions=(
                D(T.ADDRESS_DEFAULT, operator="!=", value="default_shipping"),
                D(T.ADDRESS_ATTRIBUTE, "region_id", "==", "12"),
                D(T.ADDRESS_REGION, operator="==", value="0"),
            ),
        ),
        D(T.CART_AMOUNT, "grand_total", ">=", "100"),
        D(T.CART_LINE_ITEMS, operator="<", value="3"),
        D(T.CART_PRODUCTS_QUANTITY, operator="<=", value="2.5"),
        D(
            T.PRODUCT_LIST,
            operator="!=",
            value="wishlist",
            aggregator="any",
            conditions=(
                D(T.PRODUCT_ATTRIBUTE, "brand", "[]", ("7", "9")),
                D(
                    T.PRODUCT_COMBINE,
                    aggregator="all",
                    value="1",
                    conditions=(D(T.PRODUCT_ATTRIBUTE, "category_ids", "()", "3, 5"),),
                ),
                D(T.DATE_RANGE, operator="==", value="2024-01-01...2024-01-31"),
            ),
        ),
        D(
            T.PRODUCT_HISTORY,
            operator="==",
            value="ordered_history",
            aggregator="all",
            conditions=(D(T.UP_TO_DATE, operator=">=", value="30"),),
        ),
        D(
            T.ORDER_ADDRESS,
            aggregator="any",
            conditions=(
                D(T.ORDER_ADDRESS_TYPE, operator="==", value="billing"),
                D(T.ORDER_ADDRESS_ATTRIBUTE, "country_id", "==", "us"),
            ),
        ),
        D(
            T.SALES_AMOUNT,
            "average",
            ">",
            "50",
            "all",
            (D(T.ORDER_STATUS, operator="==", value="complete"),),
        ),
        D(T.ORDERS_NUMBER, operator="==", value="0", aggregator="all"),
        D(
            T.PURCHASED_QUANTITY,
            "total",
            ">=",
            "4",
            "any",
            (D(T.ORDER_STATUS, operator="!=", value="any"),),
        ),
        D(T.SEGMENT, operator="==", value="3"),
    ),
)

EVERY_TYPE_TREE = Combine(
    Aggregator.ANY,
    False,
    (
        CustomerAttribute("email", Op.CONTAINS, "@example.com"),
        Newsletter(True),
        StoreCredit(Op.GREATER, Decimal("10.5")),
        CustomerAddress(
            Aggregator.ALL,
            (
                DefaultAddress(Op.IS_NOT, DefaultAddressKind.SHIPPING),
                AddressAttribute("region_id", Op.IS, "12"),
                AddressHasRegion(False),
            ),
        ),
        CartAmount(CartAmountKind.GRAND_TOTAL, Op.GREATER_OR_EQUAL, Decimal("100")),
        CartLineItems(Op.LESS, Decimal("3")),
        CartProductsQuantity(Op.LESS_OR_EQUAL, Decimal("2.5")),
        ProductList(
            ProductListSource.WISHLIST,
            False,
            Aggregator.ANY,
            (
                ProductAttribute("brand", Op.MULTI_CONTAINS, ("7", "9")),
                ProductCombine(
                    Aggregator.ALL,
                    True,
                    (ProductAttribute("category_ids", Op.ONE_OF, ("3", "5")),),
                ),
                DateRange(Op.IS, date(2024, 1, 1), date(2024, 1, 31)),
            ),
        ),
        ProductHistory(
            ProductHistoryAction.ORDERED,
            True,
            Aggregator.ALL,
            (UpToDate(Op.GREATER_OR_EQUAL, 30),),
        ),
        OrderAddress(
            Aggregator.ANY,
            (
                OrderAddressType(Op.IS, OrderAddressKind.BILLING),
                OrderAddressAttribute("country_id", Op.IS, "US"),
            ),
        ),
        SalesAmount(
            SalesFunction.AVERAGE,
            Op.GREATER,
            Decimal("50"),
            Aggregator.ALL,
            (OrderStatus(Op.IS, "complete"),),
        ),
        OrdersNumber(Op.IS, Decimal("0"), Aggregator.ALL, ()),
        PurchasedQuantity(
            SalesFunction.TOTAL,
            Op.GREATER_OR_EQUAL,
            Decimal("4"),
            Aggregator.ANY,
            (OrderStatus(Op.IS_NOT, "any"),),
        ),
        SegmentMembership(Op.IS, 3),
    ),
)


def test_every_node_type_builds() -> None:
    tree = build_tree(
        EVERY_TYPE, CATALOG, apply_to=ApplyTo.BOTH, segment_id=7, references=REFERENCES
    )
    assert tree == EVERY_TYPE_TREE
    assert referenced_segment_ids(tree) == frozenset({3})


def test_dump_is_the_inverse_of_build() -> None:
    draft = dump_tree(EVERY_TYPE_TREE)
    again = build_tree(draft, CATALOG, apply_to=ApplyTo.BOTH, segment_id=7, references=REFERENCES)
    assert again == EVERY_TYPE_TREE
    assert dump_tree(again) == draft
    # Normalized fields: lists as tuples, country code upper-cased, Combine value written.
    assert draft.conditions[7].conditions[1].conditions[0] == D(
        T.PRODUCT_ATTRIBUTE, "category_ids", "()", ("3", "5")
    )
    assert draft.conditions[9].conditions[1].value == "US"


def test_empty_root_and_defaults() -> None:
    assert build_tree(
        D(T.COMBINE), CATALOG, apply_to=ApplyTo.BOTH, segment_id=None, references={}
    ) == Combine(Aggregator.ALL, True, ())
    assert build(aggregator="ANY", value="0") == Combine(Aggregator.ANY, False, ())


# --- Magento's value quirks -------------------------------------------------------------------


def test_commas_split_and_is_becomes_is_one_of() -> None:
    tree = build(
        D(T.CUSTOMER_ATTRIBUTE, "email", "==", "a@x.com, b@x.com"),
        D(T.CUSTOMER_ATTRIBUTE, "group_id", "!=", "0,1"),
        D(T.CUSTOMER_ATTRIBUTE, "lastname", "==", "Smith"),
        D(T.CUSTOMER_ATTRIBUTE, "group_id", "()", "01"),
        D(T.CUSTOMER_ATTRIBUTE, "firstname", "{}", "a,b"),
        D(T.CUSTOMER_ATTRIBUTE, "gender", "<=>", "ignored"),
        D(T.CUSTOMER_ATTRIBUTE, "dob", ">=", "1990-05-01"),
        D(T.CUSTOMER_ATTRIBUTE, "default_billing", "==", "is_not_exists"),
    )
    assert tree.conditions == (
        CustomerAttribute("email", Op.ONE_OF, ("a@x.com", "b@x.com")),
        CustomerAttribute("group_id", Op.NOT_ONE_OF, ("0", "1")),
        CustomerAttribute("lastname", Op.IS, "Smith"),
        CustomerAttribute("group_id", Op.ONE_OF, ("1",)),
        CustomerAttribute("firstname", Op.CONTAINS, "a,b"),
        CustomerAttribute("gender", Op.UNDEFINED, None),
        CustomerAttribute("dob", Op.GREATER_OR_EQUAL, date(1990, 5, 1)),
        CustomerAttribute("default_billing", Op.IS, "is_not_exists"),
    )


def test_multiselect_values_are_tuples() -> None:
    tree = build(
        D(
            T.PRODUCT_LIST,
            operator="==",
            value="shopping_cart",
            conditions=(
                D(T.PRODUCT_ATTRIBUTE, "brand", "==", "9,7,9"),
                D(T.PRODUCT_ATTRIBUTE, "brand", "![]", ("8",)),
                D(T.PRODUCT_ATTRIBUTE, "price", "<", "19.99"),
                D(T.PRODUCT_ATTRIBUTE, "category_ids", "==", "4"),
            ),
        )
    )
    assert tree.conditions == (
        ProductList(
            ProductListSource.CART,
            True,
            Aggregator.ALL,
            (
                ProductAttribute("brand", Op.IS, ("9", "7")),
                ProductAttribute("brand", Op.MULTI_NOT_CONTAINS, ("8",)),
                ProductAttribute("price", Op.LESS, Decimal("19.99")),
                ProductAttribute("category_ids", Op.IS, "4"),
            ),
        ),
    )


# --- every problem, with its path ---------------------------------------------------------------


def test_root_must_be_a_combine() -> None:
    with pytest.raises(InputInvalid) as caught:
        build_tree(
            D(T.SEGMENT, operator="==", value="3"),
            CATALOG,
            apply_to=ApplyTo.BOTH,
            segment_id=None,
            references=REFERENCES,
        )
    assert list(caught.value.problems) == [
        p(C.UNKNOWN_CONDITION, "The root condition must be a COMBINE, not SEGMENT.", f"{ROOT}.type")
    ]


def test_children_in_the_wrong_place() -> None:
    assert problems(
        D(T.ADDRESS_ATTRIBUTE, "city", "==", "Austin"),
        D(T.CUSTOMER_ADDRESS, conditions=(D(T.PRODUCT_ATTRIBUTE, "sku", "==", "x"),)),
        D(
            T.PRODUCT_LIST,
            operator="==",
            value="shopping_cart",
            conditions=(D(T.ORDER_STATUS, operator="==", value="any"),),
        ),
        D(T.ORDERS_NUMBER, operator=">", value="1", conditions=(D(T.COMBINE),)),
        D(T.ORDER_ADDRESS, conditions=(D(T.ADDRESS_REGION, value="1"),)),
        D(T.COMBINE, conditions=(D(T.UP_TO_DATE, operator=">=", value="1"),)),
    ) == [
        p(C.UNKNOWN_CONDITION, "ADDRESS_ATTRIBUTE is not allowed inside COMBINE.",
          f"{ROOT}.conditions.0.type"),
        p(C.UNKNOWN_CONDITION, "PRODUCT_ATTRIBUTE is not allowed inside CUSTOMER_ADDRESS.",
          f"{ROOT}.conditions.1.conditions.0.type"),
        p(C.UNKNOWN_CONDITION, "ORDER_STATUS is not allowed inside PRODUCT_LIST.",
          f"{ROOT}.conditions.2.conditions.0.type"),
        p(C.UNKNOWN_CONDITION, "COMBINE is not allowed inside ORDERS_NUMBER.",
          f"{ROOT}.conditions.3.conditions.0.type"),
        p(C.UNKNOWN_CONDITION, "ADDRESS_REGION is not allowed inside ORDER_ADDRESS.",
          f"{ROOT}.conditions.4.conditions.0.type"),
        p(C.UNKNOWN_CONDITION, "UP_TO_DATE is not allowed inside COMBINE.",
          f"{ROOT}.conditions.5.conditions.0.type"),
    ]  # fmt: skip


def test_attributes_operators_and_values() -> None:
    c = f"{ROOT}.conditions"
    assert problems(
        D(T.CUSTOMER_ATTRIBUTE, "shoe_size", "==", "42"),
        D(T.CUSTOMER_ATTRIBUTE, "email", ">", "a"),
        D(T.CUSTOMER_ATTRIBUTE, "email", "~", "a"),
        D(T.CUSTOMER_ATTRIBUTE, "email", "==", ""),
        D(T.CUSTOMER_ATTRIBUTE, "email", None, "a"),
        D(T.CUSTOMER_ATTRIBUTE, None, "==", "a"),
        D(T.CUSTOMER_ATTRIBUTE, "gender", "==", "4"),
        D(T.CUSTOMER_ATTRIBUTE, "group_id", "()", "1, 9"),
        D(T.CUSTOMER_ATTRIBUTE, "dob", "==", "1990-02-30"),
        D(T.CUSTOMER_ATTRIBUTE, "dob", "==", "02/03/1990"),
        D(T.CUSTOMER_ATTRIBUTE, "default_shipping", "!=", "is_exists"),
        D(T.CUSTOMER_ATTRIBUTE, "default_shipping", "==", "yes"),
        D(T.PRODUCT_LIST, operator="==", value="shopping_cart", conditions=(
            D(T.PRODUCT_ATTRIBUTE, "price", ">=", "cheap"),
            D(T.PRODUCT_ATTRIBUTE, "price", "==", "1,x"),
            D(T.PRODUCT_ATTRIBUTE, "brand", "[]", "7,10"),
            D(T.PRODUCT_ATTRIBUTE, "category_ids", "()", "3,x"),
            D(T.PRODUCT_ATTRIBUTE, "status", "{}", "1"),
        )),
        D(T.CUSTOMER_ADDRESS, conditions=(
            D(T.ADDRESS_ATTRIBUTE, "country_id", "==", "USA"),
            D(T.ADDRESS_ATTRIBUTE, "region_id", "==", "999"),
        )),
    ) == [
        p(C.UNKNOWN_ATTRIBUTE, "Unknown customer attribute 'shoe_size'.", f"{c}.0.attribute"),
        p(C.INVALID_OPERATOR,
          "Operator '>' is not allowed here; use one of ==, !=, {}, !{}, (), !().",
          f"{c}.1.operator"),
        p(C.INVALID_OPERATOR, "Unknown operator '~'.", f"{c}.2.operator"),
        p(C.REQUIRED, "A value is required.", f"{c}.3.value"),
        p(C.REQUIRED, "An operator is required.", f"{c}.4.operator"),
        p(C.REQUIRED, "A value is required.", f"{c}.5.attribute"),
        p(C.INVALID_VALUE, "'4' is not an option of Gender.", f"{c}.6.value"),
        p(C.INVALID_VALUE, "'9' is not an option of Group.", f"{c}.7.value"),
        p(C.INVALID_VALUE, "'1990-02-30' is not a date (YYYY-MM-DD).", f"{c}.8.value"),
        p(C.INVALID_VALUE, "'02/03/1990' is not a date (YYYY-MM-DD).", f"{c}.9.value"),
        p(C.INVALID_OPERATOR, "Operator '!=' is not allowed here; use one of ==.",
          f"{c}.10.operator"),
        p(C.INVALID_VALUE, "'yes' is not an option of Default Shipping Address.",
          f"{c}.11.value"),
        p(C.INVALID_VALUE, "'cheap' is not a number.", f"{c}.12.conditions.0.value"),
        p(C.INVALID_VALUE, "'x' is not a number.", f"{c}.12.conditions.1.value"),
        p(C.INVALID_VALUE, "'10' is not an option of Brand.", f"{c}.12.conditions.2.value"),
        p(C.INVALID_VALUE, "'x' is not a category id.", f"{c}.12.conditions.3.value"),
        p(C.INVALID_OPERATOR,
          "Operator '{}' is not allowed here; use one of ==, !=, <=>, (), !().",
          f"{c}.12.conditions.4.operator"),
        p(C.INVALID_VALUE, "'USA' is not a two-letter country code.",
          f"{c}.13.conditions.0.value"),
        p(C.INVALID_VALUE, "'999' is not an option of State/Province.",
          f"{c}.13.conditions.1.value"),
    ]  # fmt: skip


def test_fixed_leaves_and_containers() -> None:
    c = f"{ROOT}.conditions"
    assert problems(
        D(T.COMBINE, aggregator="most", value="yes"),
        D(T.CUSTOMER_NEWSLETTER, operator="!=", value="2"),
        D(T.CUSTOMER_STORE_CREDIT, operator="{}", value="ten"),
        D(T.CART_AMOUNT, "discount", ">=", None),
        D(T.CART_LINE_ITEMS, operator=">", value="1.5"),
        D(T.CART_PRODUCTS_QUANTITY, operator=">", value="-1"),
        D(T.PRODUCT_LIST, operator=">=", value="basket", aggregator="all"),
        D(T.PRODUCT_HISTORY, operator="==", value="viewed_history", conditions=(
            D(T.UP_TO_DATE, operator="==", value="-3"),
            D(T.DATE_RANGE, operator="==", value="2024-02-01...2024-01-01"),
            D(T.DATE_RANGE, operator="<", value="2024-01-01"),
        )),
        D(T.SALES_AMOUNT, "sum", ">", "", conditions=(
            D(T.ORDER_STATUS, operator="==", value="shipped"),
        )),
        D(T.ORDERS_NUMBER, operator=">=", value="2.5"),
        D(T.CUSTOMER_ADDRESS, aggregator="none", conditions=(
            D(T.ADDRESS_DEFAULT, operator="==", value="default_home"),
        )),
        D(T.ORDER_ADDRESS, conditions=(D(T.ORDER_ADDRESS_TYPE, operator="()", value="billing"),)),
    ) == [
        p(C.INVALID_VALUE, "Unknown aggregator 'most'; use all or any.", f"{c}.0.aggregator"),
        p(C.INVALID_VALUE, "Expected 1 or 0, got 'yes'.", f"{c}.0.value"),
        p(C.INVALID_OPERATOR, "Operator '!=' is not allowed here; use one of ==.",
          f"{c}.1.operator"),
        p(C.INVALID_OPERATOR,
          "Operator '{}' is not allowed here; use one of ==, !=, >=, >, <=, <.",
          f"{c}.2.operator"),
        p(C.INVALID_VALUE, "'ten' is not a number.", f"{c}.2.value"),
        p(C.INVALID_VALUE, "Unknown amount 'discount'.", f"{c}.3.attribute"),
        p(C.REQUIRED, "A value is required.", f"{c}.3.value"),
        p(C.INVALID_VALUE, "'1.5' is not a whole number of 0 or more.", f"{c}.4.value"),
        p(C.INVALID_VALUE, "The value must be 0 or more.", f"{c}.5.value"),
        p(C.INVALID_OPERATOR, "Operator '>=' is not allowed here; use one of ==, !=.",
          f"{c}.6.operator"),
        p(C.INVALID_VALUE, "Unknown list 'basket'.", f"{c}.6.value"),
        p(C.INVALID_OPERATOR,
          "Operator '==' is not allowed here; use one of >=, <=, >, <.",
          f"{c}.7.conditions.0.operator"),
        p(C.INVALID_VALUE, "'-3' is not a whole number of 0 or more.",
          f"{c}.7.conditions.0.value"),
        p(C.INVALID_VALUE, "The range starts after it ends.", f"{c}.7.conditions.1.value"),
        p(C.INVALID_OPERATOR, "Operator '<' is not allowed here; use one of ==, !=.",
          f"{c}.7.conditions.2.operator"),
        p(C.INVALID_VALUE, "'2024-01-01' is not a date range (YYYY-MM-DD...YYYY-MM-DD).",
          f"{c}.7.conditions.2.value"),
        p(C.INVALID_VALUE, "Unknown function 'sum'.", f"{c}.8.attribute"),
        p(C.REQUIRED, "A value is required.", f"{c}.8.value"),
        p(C.INVALID_VALUE, "Unknown order status 'shipped'.", f"{c}.8.conditions.0.value"),
        p(C.INVALID_VALUE, "'2.5' is not a whole number of 0 or more.", f"{c}.9.value"),
        p(C.INVALID_VALUE, "Unknown aggregator 'none'; use all or any.", f"{c}.10.aggregator"),
        p(C.INVALID_VALUE, "Unknown default address 'default_home'.",
          f"{c}.10.conditions.0.value"),
        p(C.INVALID_OPERATOR, "Operator '()' is not allowed here; use one of ==, !=.",
          f"{c}.11.conditions.0.operator"),
    ]  # fmt: skip


def test_segment_references() -> None:
    c = f"{ROOT}.conditions"
    # References: 3 -> 4, 5 -> 3; saving segment 4.
    assert problems(
        D(T.SEGMENT, operator="==", value="4"),
        D(T.SEGMENT, operator="==", value="5"),
        D(T.SEGMENT, operator="==", value="3"),
        D(T.SEGMENT, operator="==", value="99"),
        D(T.SEGMENT, operator="==", value="abc"),
        D(T.SEGMENT, operator="()", value="7"),
        segment_id=4,
    ) == [
        p(C.CYCLE, "A segment cannot refer to itself.", f"{c}.0.value"),
        p(C.CYCLE, "Segment 5 refers back to this segment; references cannot form a cycle.",
          f"{c}.1.value"),
        p(C.CYCLE, "Segment 3 refers back to this segment; references cannot form a cycle.",
          f"{c}.2.value"),
        p(C.UNKNOWN_SEGMENT, "Segment 99 does not exist.", f"{c}.3.value"),
        p(C.INVALID_VALUE, "'abc' is not a segment id.", f"{c}.4.value"),
        p(C.INVALID_OPERATOR, "Operator '()' is not allowed here; use one of ==, !=.",
          f"{c}.5.operator"),
    ]  # fmt: skip
    # A new segment (no id yet) cannot be part of a cycle.
    assert build(D(T.SEGMENT, operator="!=", value="5"), segment_id=None).conditions == (
        SegmentMembership(Op.IS_NOT, 5),
    )


def test_visitors_only_get_guest_conditions() -> None:
    c = f"{ROOT}.conditions"
    assert problems(
        D(T.CUSTOMER_ATTRIBUTE, "email", "==", "x"),
        D(T.PRODUCT_LIST, operator="==", value="wishlist"),
        D(T.PRODUCT_HISTORY, operator="!=", value="ordered_history"),
        D(T.COMBINE, conditions=(D(T.SEGMENT, operator="==", value="3"),)),
        # Reported once, at the outermost condition needing a customer.
        D(T.SALES_AMOUNT, "total", ">", "1", conditions=(
            D(T.ORDER_STATUS, operator="==", value="complete"),
        )),
        D(T.CUSTOMER_NEWSLETTER, value="1"),
        apply_to=ApplyTo.VISITORS,
    ) == [
        p(C.NOT_FOR_VISITORS,
          "CUSTOMER_ATTRIBUTE needs a registered customer; the segment applies to visitors.",
          f"{c}.0.type"),
        p(C.NOT_FOR_VISITORS,
          "'wishlist' needs a registered customer; the segment applies to visitors.",
          f"{c}.1.value"),
        p(C.NOT_FOR_VISITORS,
          "'ordered_history' needs a registered customer; the segment applies to visitors.",
          f"{c}.2.value"),
        p(C.NOT_FOR_VISITORS,
          "SEGMENT needs a registered customer; the segment applies to visitors.",
          f"{c}.3.conditions.0.type"),
        p(C.NOT_FOR_VISITORS,
          "SALES_AMOUNT needs a registered customer; the segment applies to visitors.",
          f"{c}.4.type"),
        p(C.NOT_FOR_VISITORS,
          "CUSTOMER_NEWSLETTER needs a registered customer; the segment applies to visitors.",
          f"{c}.5.type"),
    ]  # fmt: skip
    guest = build(
        D(T.CART_AMOUNT, "subtotal", ">=", "50"),
        D(
            T.PRODUCT_HISTORY,
            operator="==",
            value="viewed_history",
            conditions=(D(T.PRODUCT_ATTRIBUTE, "sku", "{}", "SHOE"),),
        ),
        apply_to=ApplyTo.VISITORS,
    )
    assert len(guest.conditions) == 2
    # Registered-only and both accept everything.
    assert build(D(T.PRODUCT_LIST, operator="==", value="wishlist"), apply_to=ApplyTo.REGISTERED)


def test_problems_are_input_invalid_even_when_all_are_unknown_segments() -> None:
    with pytest.raises(InputInvalid) as caught:
        build(D(T.SEGMENT, operator="==", value="99"))
    assert type(caught.value) is InputInvalid
