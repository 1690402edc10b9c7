"""The demo seed: what it loads, that it is deterministic, and that its customers can sign in."""

from __future__ import annotations

import base64
import re
from datetime import UTC, date, datetime
from typing import Any

from engine.passwords import PasswordHasher
from models import (
    CustomerAddressEntity,
    CustomerAddressEntityVarchar,
    CustomerEavAttribute,
    CustomerEntity,
    CustomerEntityDatetime,
    CustomerEntityInt,
    CustomerGroup,
    EavAttributeOption,
    MagentoCustomerbalance,
    MagentoCustomerbalanceHistory,
    NewsletterSubscriber,
    Store,
    StoreWebsite,
)
from seeds import tables
from seeds.generate import Generator, NextIds
from seeds.loader import DEMO_PASSWORD, is_empty, load
from seeds.structure import Catalog, Region, WebsiteSlot
from tests.factories import make_customer
from tests.graphql import gql

SIZE = 40
CHEAP = PasswordHasher(time_cost=1, memory_kib=1024)

SIGN_IN = """
mutation ($email: String!, $password: String!) {
  generateCustomerToken(email: $email, password: $password) { token }
}
"""
CUSTOMER_GROUP = "{ customerGroup { uid } }"

CATALOG = Catalog(
    base=WebsiteSlot(1, "base", 1, "default", "Default Store View"),
    wholesale=WebsiteSlot(2, "wholesale", 2, "wholesale", "Wholesale Store View"),
    vip_group_id=4,
    employee_group_id=5,
    loyalty_tier_id=1,
    loyalty_option_ids=(1, 2, 3, 4),
    accepts_marketing_calls_id=2,
    membership_since_id=3,
    delivery_instructions_id=4,
    regions=(Region(12, "CA", "California"), Region(43, "NY", "New York")),
)


def generated(seed: int, today: date = date(2026, 1, 15)) -> dict[str, list[tuple[Any, ...]]]:
    generator = Generator(
        seed,
        CATALOG,
        today=today,
        loaded_at=datetime(2026, 1, 15, 12, tzinfo=UTC),
        password_hash="hash",
    )
    batch = generator.batch(SIZE, NextIds())
    return {table.name: rows for table, rows in batch.rows.items()}


async def table_counts() -> dict[str, int]:
    return {
        "customers": await CustomerEntity.all().count(),
        "addresses": await CustomerAddressEntity.all().count(),
        "customer_ints": await CustomerEntityInt.all().count(),
        "customer_datetimes": await CustomerEntityDatetime.all().count(),
        "address_varchars": await CustomerAddressEntityVarchar.all().count(),
        "subscribers": await NewsletterSubscriber.all().count(),
        "balances": await MagentoCustomerbalance.all().count(),
        "balance_history": await MagentoCustomerbalanceHistory.all().count(),
    }


def printed_emails(summary: str) -> list[str]:
    return re.findall(r"sign in as (\S+) .* or (\S+) ", summary)[0]  # type: ignore[no-any-return]


def test_same_seed_generates_the_same_rows() -> None:
    first, again, other = generated(7), generated(7), generated(8)

    assert first == again
    assert first != other
    emails = [row[3] for row in first[tables.CUSTOMERS.name]]
    assert len(set(emails)) == SIZE


def test_the_day_moves_dates_but_not_which_rows_exist() -> None:
    today, later = generated(7), generated(7, today=date(2027, 6, 1))

    assert {name: len(rows) for name, rows in today.items()} == {
        name: len(rows) for name, rows in later.items()
    }
    assert today != later


async def test_table_columns_match_the_models(db: Any) -> None:
    for table in tables.TABLES:
        columns = set(table.model._meta.fields_db_projection.values())
        assigned_by_database = {table.model._meta.pk_attr} - {table.assigned_key}
        assert set(table.columns) == columns - assigned_by_database, table.name


async def test_demo_seed_loads_exact_counts(db: Any) -> None:
    summary = await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    assert await table_counts() == {
        "customers": 40,
        "addresses": 49,
        "customer_ints": 54,
        "customer_datetimes": 24,
        "address_varchars": 7,
        "subscribers": 14,
        "balances": 10,
        "balance_history": 10,
    }
    assert summary.startswith(
        "Seeded 40 customers (34 on website 'base', 6 on 'wholesale') with 49 addresses, "
        "14 newsletter subscriptions, 10 store-credit balances and 85 custom attribute values: "
        "208 rows in "
    )
    assert await StoreWebsite.filter(code="wholesale").count() == 1
    assert (await Store.get(code="wholesale")).name == "Wholesale Store View"
    assert await CustomerGroup.filter(customer_group_code__in=["VIP", "Employee"]).count() == 2
    segment_attributes = await CustomerEavAttribute.filter(
        is_used_for_customer_segment=True
    ).values_list("attribute__attribute_code", flat=True)
    assert sorted(segment_attributes) == [
        "accepts_marketing_calls",
        "delivery_instructions",
        "loyalty_tier",
        "membership_since",
    ]
    assert await EavAttributeOption.filter(attribute__attribute_code="loyalty_tier").count() == 4


async def test_default_addresses_belong_to_their_customer(db: Any) -> None:
    await load(SIZE, seed=7, progress=False, hasher=CHEAP)

    owners = dict(await CustomerAddressEntity.all().values_list("entity_id", "parent_id"))
    customers = await CustomerEntity.all()
    for customer in customers:
        for address_id in (customer.default_billing, customer.default_shipping):
            assert address_id is None or owners[address_id] == customer.entity_id
    with_addresses = set(owners.values())
    assert {c.entity_id for c in customers if c.default_billing} == with_addresses


async def test_loading_again_appends_customers_not_structure(db: Any) -> None:
    await load(10, seed=1, progress=False, hasher=CHEAP)
    await load(10, seed=2, progress=False, hasher=CHEAP)

    emails = await CustomerEntity.all().values_list("email", flat=True)
    assert len(emails) == len(set(emails)) == 20
    assert await StoreWebsite.filter(code="wholesale").count() == 1
    assert await CustomerGroup.filter(customer_group_code="VIP").count() == 1
    # Keys the seed assigned do not collide with the next ones the database hands out.
    created = await make_customer("after-seed@example.com")
    assert created.entity_id == 21


async def test_is_empty_flips_once_customers_exist(db: Any) -> None:
    assert await is_empty()

    await load(1, progress=False, hasher=CHEAP)

    assert not await is_empty()


async def test_printed_demo_customers_sign_in_over_http(client: Any) -> None:
    summary = await load(SIZE, seed=7, progress=False, hasher=CHEAP)
    base_email, wholesale_email = printed_emails(summary)
    assert f"password is {DEMO_PASSWORD!r}" in summary

    base = await gql(client, SIGN_IN, {"email": base_email, "password": DEMO_PASSWORD})
    wholesale = await gql(
        client,
        SIGN_IN,
        {"email": wholesale_email, "password": DEMO_PASSWORD},
        store="wholesale",
    )
    elsewhere = await gql(client, SIGN_IN, {"email": wholesale_email, "password": DEMO_PASSWORD})

    assert base.errors == []
    assert wholesale.errors == []
    # Accounts are per website: the wholesale customer is unknown on the default store.
    assert elsewhere.categories == ["graphql-authentication"]
    token = base.data["generateCustomerToken"]["token"]  # type: ignore[index]
    group = await gql(client, CUSTOMER_GROUP, token=token)
    customer = await CustomerEntity.get(email=base_email)
    group_id = str(customer.group_id).encode()  # type: ignore[attr-defined]
    assert group.data == {"customerGroup": {"uid": base64.b64encode(group_id).decode()}}
