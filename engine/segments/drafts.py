"""The untyped shape a condition tree arrives in, before `validate.build_tree` checks it.

It is Magento's own node shape (`type`, `attribute`, `operator`, `value`, `aggregator`,
`conditions`), so Magento's `conditions_serialized` JSON and the GraphQL `SegmentConditionInput`
both turn into it with no loss, and `validate.dump_tree` turns a typed tree back into it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ConditionType(StrEnum):
    """Every node type of the catalogue; `magento_json` maps each to its PHP class."""

    COMBINE = "COMBINE"
    CUSTOMER_ATTRIBUTE = "CUSTOMER_ATTRIBUTE"
    CUSTOMER_NEWSLETTER = "CUSTOMER_NEWSLETTER"
    CUSTOMER_STORE_CREDIT = "CUSTOMER_STORE_CREDIT"
    CUSTOMER_ADDRESS = "CUSTOMER_ADDRESS"
    ADDRESS_DEFAULT = "ADDRESS_DEFAULT"
    ADDRESS_ATTRIBUTE = "ADDRESS_ATTRIBUTE"
    ADDRESS_REGION = "ADDRESS_REGION"
    CART_AMOUNT = "CART_AMOUNT"
    CART_LINE_ITEMS = "CART_LINE_ITEMS"
    CART_PRODUCTS_QUANTITY = "CART_PRODUCTS_QUANTITY"
    PRODUCT_LIST = "PRODUCT_LIST"
    PRODUCT_HISTORY = "PRODUCT_HISTORY"
    PRODUCT_ATTRIBUTE = "PRODUCT_ATTRIBUTE"
    PRODUCT_COMBINE = "PRODUCT_COMBINE"
    UP_TO_DATE = "UP_TO_DATE"
    DATE_RANGE = "DATE_RANGE"
    ORDER_ADDRESS = "ORDER_ADDRESS"
    ORDER_ADDRESS_TYPE = "ORDER_ADDRESS_TYPE"
    ORDER_ADDRESS_ATTRIBUTE = "ORDER_ADDRESS_ATTRIBUTE"
    ORDER_STATUS = "ORDER_STATUS"
    SALES_AMOUNT = "SALES_AMOUNT"
    ORDERS_NUMBER = "ORDERS_NUMBER"
    PURCHASED_QUANTITY = "PURCHASED_QUANTITY"
    SEGMENT = "SEGMENT"


@dataclass(frozen=True)
class ConditionDraft:
    """One node as sent: strings only, nothing checked yet. `value` is a list for multi-valued
    operators (is one of, multiselect); Magento's comma-separated strings are split by
    `validate.build_tree`."""

    type: ConditionType
    attribute: str | None = None
    operator: str | None = None
    value: str | tuple[str, ...] | None = None
    aggregator: str | None = None
    conditions: tuple[ConditionDraft, ...] = ()
