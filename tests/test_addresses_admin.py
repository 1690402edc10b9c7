"""Customer addresses for admins: CRUD on any customer's addresses with `user_errors`, and the
regions address forms offer, through HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from models import CustomerAddressEntity, CustomerEntity
from tests.factories import make_address, make_customer, token_for
from tests.graphql import gql
from tests.test_addresses import TEXAS, _uid, db_state, make_address_attribute, texas_address

ADDRESS_FIELDS = """
  uid id customer_id firstname middlename lastname prefix suffix company
  street city postcode telephone fax vat_id
  country_code country_id region_id region { region region_code region_id }
  default_billing default_shipping
  custom_attributesV2 { code }
  custom_attributes { attribute_code value }
  extension_attributes { attribute_code value }
"""

ADMIN_CREATE = f"""
mutation ($customer_uid: ID!, $input: CustomerAddressInput!) {{
  adminCreateCustomerAddress(customer_uid: $customer_uid, input: $input) {{
    address {{ {ADDRESS_FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""

ADMIN_UPDATE = f"""
mutation ($uid: ID!, $input: CustomerAddressInput!) {{
  adminUpdateCustomerAddress(uid: $uid, input: $input) {{
    address {{ {ADDRESS_FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""

ADMIN_DELETE = """
mutation ($uid: ID!) {
  adminDeleteCustomerAddress(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""

REGIONS = """
query ($country_code: CountryCodeEnum!) {
  adminCountryRegions(country_code: $country_code) { id code name }
}
"""

ADMIN_NOT_AUTHORIZED = "The current user isn't authorized: this operation needs an admin token."


@pytest.fixture
async def ann(db: Any) -> CustomerEntity:
    return await make_customer("ann@example.com")


async def test_admin_creates_an_address_for_a_customer(
    client: Any, ann: CustomerEntity, admin_token: str
) -> None:
    response = await gql(
        client,
        ADMIN_CREATE,
        {"customer_uid": _uid(ann.entity_id), "input": {**TEXAS, "default_billing": True}},
        token=admin_token,
    )
    address = await CustomerAddressEntity.get()
    assert response.data == {
        "adminCreateCustomerAddress": {
            "address": texas_address(address.entity_id, ann.entity_id, default_billing=True),
            "user_errors": [],
        }
    }
    await ann.refresh_from_db()
    assert ann.default_billing == address.entity_id


async def test_admin_create_reports_every_problem_and_writes_nothing(
    client: Any, ann: CustomerEntity, admin_token: str
) -> None:
    await make_address_attribute()
    given = {
        "firstname": "Ann",
        "prefix": "P" * 41,
        "street": ["1 Main St", "", "Back door"],
        "country_code": "US",
        "region": {"region_code": "ZZ"},
        "custom_attributesV2": [{"attribute_code": "delivery_note", "value": "Ring twice"}],
        "custom_attributes": [{"attribute_code": "unknown", "value": "x"}],
    }
    before = await db_state()
    response = await gql(
        client,
        ADMIN_CREATE,
        {"customer_uid": _uid(ann.entity_id), "input": given},
        token=admin_token,
    )
    assert response.data == {
        "adminCreateCustomerAddress": {
            "address": None,
            "user_errors": [
                {
                    "code": "REQUIRED",
                    "message": "Required parameters are missing: lastname",
                    "path": "input.lastname",
                },
                {
                    "code": "REQUIRED",
                    "message": "Required parameters are missing: city",
                    "path": "input.city",
                },
                {
                    "code": "REQUIRED",
                    "message": "Required parameters are missing: telephone",
                    "path": "input.telephone",
                },
                {
                    "code": "TOO_LONG",
                    "message": '"prefix" length must be equal or less than 40 characters.',
                    "path": "input.prefix",
                },
                {
                    "code": "INVALID",
                    "message": '"Street Address" cannot contain more than 2 lines.',
                    "path": "input.street.2",
                },
                {
                    "code": "REQUIRED",
                    "message": '"regionId" is required. Enter and try again.',
                    "path": "input.region.region_code",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Attribute "unknown" is not a custom attribute of this entity.',
                    "path": "input.custom_attributes.0.attribute_code",
                },
            ],
        }
    }
    assert await db_state() == before


async def test_admin_create_for_unknown_or_malformed_customer(
    client: Any, admin_token: str, db: Any
) -> None:
    for uid, error in (
        (_uid(999), {"code": "NOT_FOUND", "message": "No such entity with customerId = 999"}),
        ("@@", {"code": "INVALID_UID", "message": 'Value of uid "@@" is incorrect.'}),
    ):
        response = await gql(
            client, ADMIN_CREATE, {"customer_uid": uid, "input": TEXAS}, token=admin_token
        )
        assert response.data == {
            "adminCreateCustomerAddress": {
                "address": None,
                "user_errors": [{**error, "path": "customer_uid"}],
            }
        }
    assert await CustomerAddressEntity.all().count() == 0


async def test_admin_updates_any_address(
    client: Any, ann: CustomerEntity, admin_token: str
) -> None:
    address = await make_address(ann, street="1 Main St\nSuite 2")
    response = await gql(
        client,
        ADMIN_UPDATE,
        {
            "uid": _uid(address.entity_id),
            "input": {"region": {"region_id": 12}, "postcode": "95014", "city": "Cupertino"},
        },
        token=admin_token,
    )
    assert response.data == {
        "adminUpdateCustomerAddress": {
            "address": texas_address(
                address.entity_id,
                ann.entity_id,
                city="Cupertino",
                postcode="95014",
                region_id=12,
                region={"region": "California", "region_code": "CA", "region_id": 12},
            ),
            "user_errors": [],
        }
    }


async def test_admin_update_errors(client: Any, ann: CustomerEntity, admin_token: str) -> None:
    address = await make_address(ann)
    before = await db_state()
    cases = [
        (
            {"uid": _uid(999), "input": {"city": "Dallas"}},
            [{"code": "NOT_FOUND", "message": 'Could not find an address with ID "999"',
              "path": "uid"}],
        ),
        (
            {"uid": "x", "input": {"city": "Dallas"}},
            [{"code": "INVALID_UID", "message": 'Value of uid "x" is incorrect.', "path": "uid"}],
        ),
        (
            {"uid": _uid(address.entity_id),
             "input": {"city": "", "telephone": "", "region": {"region_id": 999}}},
            [
                {"code": "REQUIRED", "message": "Required parameters are missing: city",
                 "path": "input.city"},
                {"code": "REQUIRED", "message": "Required parameters are missing: telephone",
                 "path": "input.telephone"},
                {"code": "INVALID",
                 "message": 'Invalid value of "999" provided for the regionId field.',
                 "path": "input.region.region_id"},
            ],
        ),
    ]  # fmt: skip
    for variables, errors in cases:
        response = await gql(client, ADMIN_UPDATE, variables, token=admin_token)
        assert response.data == {
            "adminUpdateCustomerAddress": {"address": None, "user_errors": errors}
        }
    assert await db_state() == before


async def test_admin_deletes_a_default_address_and_clears_the_defaults(
    client: Any, ann: CustomerEntity, admin_token: str
) -> None:
    address = await make_address(ann)
    await CustomerEntity.filter(entity_id=ann.entity_id).update(
        default_billing=address.entity_id, default_shipping=address.entity_id
    )
    uid = _uid(address.entity_id)
    response = await gql(client, ADMIN_DELETE, {"uid": uid}, token=admin_token)
    assert response.data == {"adminDeleteCustomerAddress": {"deleted_uid": uid, "user_errors": []}}
    await ann.refresh_from_db()
    assert (ann.default_billing, ann.default_shipping) == (None, None)
    assert await CustomerAddressEntity.all().count() == 0


async def test_admin_delete_errors(client: Any, admin_token: str, db: Any) -> None:
    for uid, error in (
        (_uid(999), {"code": "NOT_FOUND", "message": 'Could not find an address with ID "999"'}),
        ("x", {"code": "INVALID_UID", "message": 'Value of uid "x" is incorrect.'}),
    ):
        response = await gql(client, ADMIN_DELETE, {"uid": uid}, token=admin_token)
        assert response.data == {
            "adminDeleteCustomerAddress": {
                "deleted_uid": None,
                "user_errors": [{**error, "path": "uid"}],
            }
        }


async def test_country_regions_list_predefined_regions_by_name(
    client: Any, admin_token: str
) -> None:
    response = await gql(client, REGIONS, {"country_code": "US"}, token=admin_token)
    regions = response.data["adminCountryRegions"]  # type: ignore[index]
    assert regions[:2] == [
        {"id": 1, "code": "AL", "name": "Alabama"},
        {"id": 2, "code": "AK", "name": "Alaska"},
    ]
    assert {"id": 57, "code": "TX", "name": "Texas"} in regions
    assert [r["name"] for r in regions] == sorted(r["name"] for r in regions)

    response = await gql(client, REGIONS, {"country_code": "FR"}, token=admin_token)
    assert response.data == {"adminCountryRegions": []}


async def test_admin_operations_need_an_admin_token(client: Any, ann: CustomerEntity) -> None:
    other = await make_customer("bob@example.com")
    address = await make_address(ann)
    uid = _uid(address.entity_id)
    calls: list[tuple[str, dict[str, Any]]] = [
        (ADMIN_CREATE, {"customer_uid": _uid(ann.entity_id), "input": TEXAS}),
        (ADMIN_UPDATE, {"uid": uid, "input": {"city": "Dallas"}}),
        (ADMIN_DELETE, {"uid": uid}),
        (REGIONS, {"country_code": "US"}),
    ]
    before = await db_state()
    for token in (None, await token_for(ann), await token_for(other)):
        for document, variables in calls:
            response = await gql(client, document, variables, token=token)
            assert response.status == 401
            assert response.data is None
            assert response.messages == [ADMIN_NOT_AUTHORIZED]
            assert response.categories == ["graphql-authorization"]
    assert await db_state() == before
