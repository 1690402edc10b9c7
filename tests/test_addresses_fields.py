"""`CustomerAddressFields` / `AdminCustomerAddressFields`, the address fields customer types
inherit, exercised on a tiny schema of their own so they are specified apart from the customer
domain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import strawberry
from strawberry.schema.config import StrawberryConfig

from engine import addresses as engine_addresses
from graph.addresses import AdminCustomerAddressFields, CustomerAddressFields
from graph.context import Context
from models import CustomerAddressEntity, CustomerEntity
from tests.factories import make_address, make_customer
from tests.test_addresses import _uid


@strawberry.type(description="A storefront customer, as the customer domain declares it.")
class Customer(CustomerAddressFields):
    entity_id: strawberry.Private[int]
    email: str = strawberry.field(description="The email.")


@strawberry.type(description="An admin's view of a customer.")
class AdminCustomer(AdminCustomerAddressFields):
    entity_id: strawberry.Private[int]


@strawberry.type
class Query:
    @strawberry.field
    def customers(self, ids: list[int]) -> list[Customer]:
        return [Customer(entity_id=i, email=f"{i}@example.com") for i in ids]

    @strawberry.field
    def admin_customer(self, id: int) -> AdminCustomer:
        return AdminCustomer(entity_id=id)


SCHEMA = strawberry.Schema(Query, config=StrawberryConfig(auto_camel_case=False))

ADDRESSES = """
query ($ids: [Int!]!) {
  customers(ids: $ids) { email addresses { uid street default_billing default_shipping } }
}
"""

ADDRESSES_V2 = """
query ($ids: [Int!]!, $currentPage: Int, $pageSize: Int) {
  customers(ids: $ids) {
    addressesV2(currentPage: $currentPage, pageSize: $pageSize) {
      items { street }
      page_info { current_page page_size total_pages }
      total_count
    }
  }
}
"""


async def run(query: str, services: Any, **variables: Any) -> Any:
    return await SCHEMA.execute(
        query, variable_values=variables, context_value=Context(services=services)
    )


@pytest.fixture
async def ann_with_three(db: Any) -> tuple[CustomerEntity, list[CustomerAddressEntity]]:
    ann = await make_customer("ann@example.com")
    rows = [await make_address(ann, street=f"{n} Main St") for n in (1, 2, 3)]
    await CustomerEntity.filter(entity_id=ann.entity_id).update(
        default_billing=rows[0].entity_id, default_shipping=rows[2].entity_id
    )
    return ann, rows


async def test_addresses_of_many_customers_load_in_one_batch(
    services: Any,
    ann_with_three: tuple[CustomerEntity, list[CustomerAddressEntity]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ann, rows = ann_with_three
    bob = await make_customer("bob@example.com")
    bob_address = await make_address(bob, street="9 Elm St\nFlat 4")
    batches: list[list[int]] = []
    real = engine_addresses.load_for_customers

    async def spy(ids: Sequence[int]) -> list[list[CustomerAddressEntity]]:
        batches.append(list(ids))
        return await real(ids)

    monkeypatch.setattr(engine_addresses, "load_for_customers", spy)
    result = await run(ADDRESSES, services, ids=[ann.entity_id, bob.entity_id])
    assert result.errors is None
    assert result.data == {
        "customers": [
            {
                "email": f"{ann.entity_id}@example.com",
                "addresses": [
                    {
                        "uid": _uid(rows[0].entity_id),
                        "street": ["1 Main St"],
                        "default_billing": True,
                        "default_shipping": False,
                    },
                    {
                        "uid": _uid(rows[1].entity_id),
                        "street": ["2 Main St"],
                        "default_billing": False,
                        "default_shipping": False,
                    },
                    {
                        "uid": _uid(rows[2].entity_id),
                        "street": ["3 Main St"],
                        "default_billing": False,
                        "default_shipping": True,
                    },
                ],
            },
            {
                "email": f"{bob.entity_id}@example.com",
                "addresses": [
                    {
                        "uid": _uid(bob_address.entity_id),
                        "street": ["9 Elm St", "Flat 4"],
                        "default_billing": False,
                        "default_shipping": False,
                    }
                ],
            },
        ]
    }
    assert batches == [[ann.entity_id, bob.entity_id]]


async def test_customer_without_addresses_has_an_empty_list(services: Any, db: Any) -> None:
    ann = await make_customer()
    result = await run(ADDRESSES_V2, services, ids=[ann.entity_id])
    assert result.data == {
        "customers": [
            {
                "addressesV2": {
                    "items": [],
                    "page_info": {"current_page": 1, "page_size": 5, "total_pages": 0},
                    "total_count": 0,
                }
            }
        ]
    }


@pytest.mark.parametrize(
    ("current_page", "page_size", "streets", "page_info"),
    [
        (None, None, ["1", "2", "3"], {"current_page": 1, "page_size": 5, "total_pages": 1}),
        (1, 2, ["1", "2"], {"current_page": 1, "page_size": 2, "total_pages": 2}),
        (2, 2, ["3"], {"current_page": 2, "page_size": 2, "total_pages": 2}),
    ],
)
async def test_addresses_v2_pages(
    services: Any,
    ann_with_three: tuple[CustomerEntity, list[CustomerAddressEntity]],
    current_page: int | None,
    page_size: int | None,
    streets: list[str],
    page_info: dict[str, int],
) -> None:
    ann, _ = ann_with_three
    result = await run(
        ADDRESSES_V2, services, ids=[ann.entity_id], currentPage=current_page, pageSize=page_size
    )
    assert result.errors is None
    assert result.data == {
        "customers": [
            {
                "addressesV2": {
                    "items": [{"street": [f"{n} Main St"]} for n in streets],
                    "page_info": page_info,
                    "total_count": 3,
                }
            }
        ]
    }


@pytest.mark.parametrize(
    ("current_page", "page_size", "message"),
    [
        (0, 5, "currentPage value must be greater than 0."),
        (1, 0, "pageSize value must be greater than 0."),
        (3, 2, "currentPage value 3 specified is greater than the 2 page(s) available."),
    ],
)
async def test_addresses_v2_refuses_bad_pages(
    services: Any,
    ann_with_three: tuple[CustomerEntity, list[CustomerAddressEntity]],
    current_page: int,
    page_size: int,
    message: str,
) -> None:
    ann, _ = ann_with_three
    result = await run(
        ADDRESSES_V2, services, ids=[ann.entity_id], currentPage=current_page, pageSize=page_size
    )
    assert result.data == {"customers": [{"addressesV2": None}]}
    assert [e.message for e in result.errors] == [message]


async def test_admin_customer_lists_every_address(
    services: Any, ann_with_three: tuple[CustomerEntity, list[CustomerAddressEntity]]
) -> None:
    ann, rows = ann_with_three
    result = await run(
        "query ($id: Int!) { admin_customer(id: $id) { addresses { id default_billing } } }",
        services,
        id=ann.entity_id,
    )
    assert result.data == {
        "admin_customer": {
            "addresses": [
                {"id": rows[0].entity_id, "default_billing": True},
                {"id": rows[1].entity_id, "default_billing": False},
                {"id": rows[2].entity_id, "default_billing": False},
            ]
        }
    }
