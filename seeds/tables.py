"""The tables a seed fills in bulk, each with the columns a generated row gives, in order.

A row is a tuple of plain Python values (datetime with tzinfo, date, Decimal, bool, int, str, None)
that both writers accept: sqlite3's `executemany` (with the adapters tortoise registers), and
asyncpg's binary COPY. Enum columns take their plain value (`"complete"`, `4`)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.models import Model

from models import (
    CatalogCategoryEntity,
    CatalogCategoryProduct,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductEntityInt,
    CatalogProductEntityText,
    CatalogProductEntityVarchar,
    CatalogProductRelation,
    CatalogProductSuperAttribute,
    CatalogProductSuperLink,
    CatalogProductWebsite,
    CustomerAddressEntity,
    CustomerAddressEntityVarchar,
    CustomerEntity,
    CustomerEntityDatetime,
    CustomerEntityInt,
    CustomerVisitor,
    MagentoCustomerbalance,
    MagentoCustomerbalanceHistory,
    NewsletterSubscriber,
    Quote,
    QuoteIdMask,
    QuoteItem,
    ReportViewedProductIndex,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    SalesOrderPayment,
    SequenceOrder,
    Wishlist,
    WishlistItem,
)


@dataclass(frozen=True)
class Table:
    model: type[Model]
    columns: tuple[str, ...]
    # The primary key the seed assigns itself (other rows reference it), or None: the database does.
    assigned_key: str | None = None
    # Columns a generated row leaves to the database's default (no cart or order of the seed
    # carries a coupon or a rule discount).
    left_to_default: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.model._meta.db_table


CUSTOMERS = Table(
    CustomerEntity,
    (
        "entity_id",
        "website_id",
        "store_id",
        "email",
        "group_id",
        "created_at",
        "updated_at",
        "is_active",
        "created_in",
        "prefix",
        "firstname",
        "middlename",
        "lastname",
        "suffix",
        "dob",
        "password_hash",
        "default_billing",
        "default_shipping",
        "taxvat",
        "confirmation",
        "gender",
        "allow_remote_shopping_assistance",
        "failures_num",
        "first_failure",
        "lock_expires",
    ),
    assigned_key="entity_id",
    # No password reset was requested for a generated customer.
    left_to_default=("rp_token", "rp_token_created_at"),
)
ADDRESSES = Table(
    CustomerAddressEntity,
    (
        "entity_id",
        "parent_id",
        "created_at",
        "updated_at",
        "is_active",
        "city",
        "company",
        "country_id",
        "fax",
        "firstname",
        "lastname",
        "middlename",
        "postcode",
        "prefix",
        "region",
        "region_id",
        "street",
        "suffix",
        "telephone",
        "vat_id",
    ),
    assigned_key="entity_id",
)
CUSTOMER_INTS = Table(CustomerEntityInt, ("attribute_id", "entity_id", "value"))
CUSTOMER_DATETIMES = Table(CustomerEntityDatetime, ("attribute_id", "entity_id", "value"))
ADDRESS_VARCHARS = Table(CustomerAddressEntityVarchar, ("attribute_id", "entity_id", "value"))
SUBSCRIBERS = Table(
    NewsletterSubscriber,
    (
        "store_id",
        "customer_id",
        "change_status_at",
        "subscriber_email",
        "subscriber_status",
        "subscriber_confirm_code",
    ),
)
BALANCES = Table(
    MagentoCustomerbalance,
    ("balance_id", "customer_id", "website_id", "amount", "base_currency_code"),
    assigned_key="balance_id",
)
BALANCE_HISTORY = Table(
    MagentoCustomerbalanceHistory,
    ("balance_id", "updated_at", "action", "balance_amount", "balance_delta", "additional_info"),
)


# The commerce activity of those customers (and of guest visitors).
VISITORS = Table(
    CustomerVisitor,
    ("visitor_id", "customer_id", "session_id", "created_at", "last_visit_at"),
    assigned_key="visitor_id",
)
# Reward points and store credit on carts and orders: the generated activity uses neither.
QUOTE_BALANCE_COLUMNS = (
    "use_reward_points",
    "reward_points_balance",
    "reward_currency_amount",
    "base_reward_currency_amount",
    "use_customer_balance",
    "customer_balance_amount_used",
    "base_customer_bal_amount_used",
)
# What invoices and credit memos add up to: generated history has no documents (as imported
# history).
ORDER_DOCUMENT_COLUMNS = (
    "adjustment_negative",
    "adjustment_positive",
    "base_adjustment_negative",
    "base_adjustment_positive",
    "base_discount_invoiced",
    "base_discount_refunded",
    "base_shipping_invoiced",
    "base_shipping_refunded",
    "base_subtotal_invoiced",
    "base_subtotal_refunded",
    "base_tax_invoiced",
    "base_tax_refunded",
    "base_total_invoiced",
    "base_total_offline_refunded",
    "base_total_paid",
    "base_total_refunded",
    "discount_invoiced",
    "discount_refunded",
    "shipping_invoiced",
    "shipping_refunded",
    "subtotal_invoiced",
    "subtotal_refunded",
    "tax_invoiced",
    "tax_refunded",
    "total_invoiced",
    "total_offline_refunded",
    "total_paid",
    "total_refunded",
)
# The same per order item.
ORDER_ITEM_DOCUMENT_COLUMNS = (
    "amount_refunded",
    "base_amount_refunded",
    "base_discount_invoiced",
    "base_discount_refunded",
    "base_row_invoiced",
    "base_tax_invoiced",
    "base_tax_refunded",
    "discount_invoiced",
    "discount_refunded",
    "row_invoiced",
    "tax_invoiced",
    "tax_refunded",
)
ORDER_BALANCE_COLUMNS = (
    "reward_points_balance",
    "reward_currency_amount",
    "base_reward_currency_amount",
    "reward_points_balance_refund",
    "rwrd_crrncy_amnt_refunded",
    "base_rwrd_crrncy_amnt_refnded",
    "customer_balance_amount",
    "base_customer_balance_amount",
    "customer_balance_refunded",
    "base_customer_balance_refunded",
)
QUOTES = Table(
    Quote,
    (
        "entity_id",
        "store_id",
        "customer_id",
        "visitor_id",
        "created_at",
        "updated_at",
        "converted_at",
        "is_active",
        "is_virtual",
        "items_count",
        "items_qty",
        "customer_email",
        "customer_group_id",
        "customer_tax_class_id",
        "customer_is_guest",
        "base_currency_code",
        "quote_currency_code",
        "subtotal",
        "base_subtotal",
        "subtotal_with_discount",
        "base_subtotal_with_discount",
        "tax_amount",
        "base_tax_amount",
        "shipping_amount",
        "base_shipping_amount",
        "grand_total",
        "base_grand_total",
        "reserved_order_id",
        "payment_method",
    ),
    assigned_key="entity_id",
    left_to_default=(
        "coupon_code",
        "applied_rule_ids",
        "discount_amount",
        "base_discount_amount",
        *QUOTE_BALANCE_COLUMNS,
        "gift_message_id",
    ),
)
QUOTE_MASKS = Table(QuoteIdMask, ("quote_id", "masked_id"))
QUOTE_ITEMS = Table(
    QuoteItem,
    (
        "quote_id",
        "product_id",
        "created_at",
        "updated_at",
        "product_type",
        "sku",
        "name",
        "qty",
        "weight",
        "row_weight",
        "price",
        "base_price",
        "original_price",
        "price_incl_tax",
        "row_total",
        "base_row_total",
        "row_total_incl_tax",
        "tax_percent",
        "tax_amount",
        "base_tax_amount",
        "discount_amount",
        "base_discount_amount",
    ),
    left_to_default=("discount_percent", "applied_rule_ids", "free_shipping", "parent_item_id"),
)
WISHLISTS = Table(
    Wishlist,
    ("wishlist_id", "customer_id", "shared", "sharing_code", "name", "visibility", "updated_at"),
    assigned_key="wishlist_id",
)
WISHLIST_ITEMS = Table(
    WishlistItem, ("wishlist_id", "product_id", "store_id", "added_at", "description", "qty")
)
VIEWS = Table(
    ReportViewedProductIndex, ("visitor_id", "customer_id", "product_id", "store_id", "added_at")
)
ORDERS = Table(
    SalesOrder,
    (
        "entity_id",
        "increment_id",
        "state",
        "status",
        "store_id",
        "customer_id",
        "quote_id",
        "customer_email",
        "customer_firstname",
        "customer_lastname",
        "customer_group_id",
        "customer_is_guest",
        "base_currency_code",
        "order_currency_code",
        "base_subtotal",
        "subtotal",
        "base_tax_amount",
        "tax_amount",
        "base_shipping_amount",
        "shipping_amount",
        "base_discount_amount",
        "discount_amount",
        "base_grand_total",
        "grand_total",
        "total_qty_ordered",
        "total_item_count",
        "shipping_method",
        "shipping_description",
        "created_at",
        "updated_at",
    ),
    assigned_key="entity_id",
    left_to_default=(
        "coupon_code",
        "applied_rule_ids",
        "discount_description",
        "shipping_discount_amount",
        "base_shipping_discount_amount",
        *ORDER_BALANCE_COLUMNS,
        *ORDER_DOCUMENT_COLUMNS,
        "gift_message_id",
    ),
)
ORDER_SEQUENCE = Table(SequenceOrder, ("sequence_value",), assigned_key="sequence_value")
ORDER_ITEMS = Table(
    SalesOrderItem,
    (
        "order_id",
        "product_id",
        "store_id",
        "created_at",
        "product_type",
        "sku",
        "name",
        "qty_ordered",
        "qty_invoiced",
        "qty_shipped",
        "qty_refunded",
        "qty_canceled",
        "price",
        "base_price",
        "original_price",
        "row_total",
        "base_row_total",
        "tax_percent",
        "tax_amount",
        "base_tax_amount",
        "discount_amount",
        "base_discount_amount",
    ),
    left_to_default=(
        "discount_percent",
        "applied_rule_ids",
        "parent_item_id",
        "product_options",
        *ORDER_ITEM_DOCUMENT_COLUMNS,
    ),
)
ORDER_ADDRESSES = Table(
    SalesOrderAddress,
    (
        "parent_id",
        "customer_address_id",
        "address_type",
        "email",
        "prefix",
        "firstname",
        "middlename",
        "lastname",
        "suffix",
        "company",
        "street",
        "city",
        "region",
        "region_id",
        "postcode",
        "country_id",
        "telephone",
        "fax",
        "vat_id",
    ),
    # Copied from the address book when an order is placed; generated addresses have none.
    left_to_default=("custom_attributes",),
)
ORDER_PAYMENTS = Table(SalesOrderPayment, ("parent_id", "method", "amount_ordered"))

# The demo catalog, written once (`seeds.shop`).
CATEGORIES = Table(
    CatalogCategoryEntity,
    (
        "entity_id",
        "parent_id",
        "path",
        "position",
        "level",
        "children_count",
        "name",
        "url_key",
        "is_active",
        "include_in_menu",
        "created_at",
        "updated_at",
    ),
    assigned_key="entity_id",
    # Display columns: `seeds.storefront` fills those of the departments.
    left_to_default=(
        "description",
        "image",
        "display_mode",
        "meta_title",
        "meta_keywords",
        "meta_description",
        "landing_page",
    ),
)
PRODUCTS = Table(
    CatalogProductEntity,
    (
        "entity_id",
        "attribute_set_id",
        "type_id",
        "sku",
        "name",
        "url_key",
        "price",
        "special_price",
        "special_from_date",
        "special_to_date",
        "weight",
        "visibility",
        "status",
        "tax_class_id",
        "created_at",
        "updated_at",
    ),
    assigned_key="entity_id",
)
PRODUCT_WEBSITES = Table(CatalogProductWebsite, ("product_id", "website_id"))
STOCK_ITEMS = Table(CataloginventoryStockItem, ("product_id", "qty", "is_in_stock", "manage_stock"))
CATEGORY_PRODUCTS = Table(CatalogCategoryProduct, ("category_id", "product_id", "position"))
PRODUCT_INTS = Table(CatalogProductEntityInt, ("attribute_id", "store_id", "entity_id", "value"))
PRODUCT_TEXTS = Table(CatalogProductEntityText, ("attribute_id", "store_id", "entity_id", "value"))
PRODUCT_VARCHARS = Table(
    CatalogProductEntityVarchar, ("attribute_id", "store_id", "entity_id", "value")
)
SUPER_ATTRIBUTES = Table(CatalogProductSuperAttribute, ("product_id", "attribute_id", "position"))
SUPER_LINKS = Table(CatalogProductSuperLink, ("product_id", "parent_id"))
RELATIONS = Table(CatalogProductRelation, ("parent_id", "child_id"))

# Insert order: every table after the tables its rows reference.
CUSTOMER_TABLES: tuple[Table, ...] = (
    CUSTOMERS,
    ADDRESSES,
    CUSTOMER_INTS,
    CUSTOMER_DATETIMES,
    ADDRESS_VARCHARS,
    SUBSCRIBERS,
    BALANCES,
    BALANCE_HISTORY,
)
ACTIVITY_TABLES: tuple[Table, ...] = (
    VISITORS,
    QUOTES,
    QUOTE_MASKS,
    QUOTE_ITEMS,
    WISHLISTS,
    WISHLIST_ITEMS,
    VIEWS,
    ORDERS,
    ORDER_SEQUENCE,
    ORDER_ITEMS,
    ORDER_ADDRESSES,
    ORDER_PAYMENTS,
)
# What one batch of customers writes.
TABLES: tuple[Table, ...] = CUSTOMER_TABLES + ACTIVITY_TABLES
CATALOG_TABLES: tuple[Table, ...] = (
    CATEGORIES,
    PRODUCTS,
    PRODUCT_WEBSITES,
    STOCK_ITEMS,
    CATEGORY_PRODUCTS,
    PRODUCT_INTS,
    PRODUCT_TEXTS,
    PRODUCT_VARCHARS,
    SUPER_ATTRIBUTES,
    SUPER_LINKS,
    RELATIONS,
)
