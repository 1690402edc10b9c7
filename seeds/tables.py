"""The tables a seed fills in bulk, each with the columns a generated row gives, in order.

A row is a tuple of plain Python values (datetime with tzinfo, date, Decimal, bool, int, str, None)
that both writers accept: tortoise's `bulk_create` through the model, and asyncpg's binary COPY."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.models import Model

from models import (
    CustomerAddressEntity,
    CustomerAddressEntityVarchar,
    CustomerEntity,
    CustomerEntityDatetime,
    CustomerEntityInt,
    MagentoCustomerbalance,
    MagentoCustomerbalanceHistory,
    NewsletterSubscriber,
)


@dataclass(frozen=True)
class Table:
    model: type[Model]
    columns: tuple[str, ...]
    # The primary key the seed assigns itself (other rows reference it), or None: the database does.
    assigned_key: str | None = None

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

# Insert order: every table after the tables its rows reference.
TABLES: tuple[Table, ...] = (
    CUSTOMERS,
    ADDRESSES,
    CUSTOMER_INTS,
    CUSTOMER_DATETIMES,
    ADDRESS_VARCHARS,
    SUBSCRIBERS,
    BALANCES,
    BALANCE_HISTORY,
)
