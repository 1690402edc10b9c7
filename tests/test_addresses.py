"""Customer addresses: storefront create / update / delete of one's own addresses, through HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from engine import attributes as attribute_values
from models import (
    BackendType,
    CustomerAddressEntity,
    CustomerAddressEntityVarchar,
    CustomerEntity,
    DirectoryCountryRegion,
    EavAttribute,
    EntityType,
    FrontendInput,
)
from tests.factories import make_address, make_customer, token_for
from tests.graphql import gql

ADDRESS_FIELDS = """
  uid id customer_id firstname middlename lastname prefix suffix company
  street city postcode telephone fax vat_id
  country_code country_id region_id region { region region_code region_id }
  default_billing default_shipping
  custom_attributesV2 { code }
  custom_attributes { attribute_code value }
  extension_attributes { attribute_code value }
"""

CREATE = f"""
mutation ($input: CustomerAddressInput!) {{
  createCustomerAddress(input: $input) {{ {ADDRESS_FIELDS} }}
}}
"""

UPDATE = f"""
mutation ($uid: ID!, $input: CustomerAddressInput) {{
  updateCustomerAddressV2(uid: $uid, input: $input) {{ {ADDRESS_FIELDS} }}
}}
"""

CREATE_WITH_VALUES = """
mutation ($input: CustomerAddressInput!) {
  createCustomerAddress(input: $input) {
    custom_attributesV2 { code ... on AttributeValue { value } }
    custom_attributes { attribute_code value }
  }
}
"""

DELETE = "mutation ($uid: ID!) { deleteCustomerAddressV2(uid: $uid) }"

SAVE_CONFIG = """
mutation ($value: String) {
  adminSaveConfig(input: {path: STREET_LINES, value: $value}) { user_errors { code } }
}
"""

TEXAS = {
    "firstname": "Ann",
    "lastname": "Lee",
    "street": ["1 Main St", "Suite 2"],
    "city": "Austin",
    "postcode": "78701",
    "telephone": "5550100",
    "country_code": "US",
    "region": {"region_code": "TX"},
}

NO_CUSTOM_VALUES: dict[str, Any] = {
    "custom_attributesV2": [],
    "custom_attributes": [],
    "extension_attributes": [],
}


def texas_address(address_id: int, customer_id: int, **changes: Any) -> dict[str, Any]:
    """The full `CustomerAddress` answer for the TEXAS input."""
    return {
        "uid": _uid(address_id),
        "id": address_id,
        "customer_id": customer_id,
        "firstname": "Ann",
        "middlename": None,
        "lastname": "Lee",
        "prefix": None,
        "suffix": None,
        "company": None,
        "street": ["1 Main St", "Suite 2"],
        "city": "Austin",
        "postcode": "78701",
        "telephone": "5550100",
        "fax": None,
        "vat_id": None,
        "country_code": "US",
        "country_id": "US",
        "region_id": 57,
        "region": {"region": "Texas", "region_code": "TX", "region_id": 57},
        "default_billing": False,
        "default_shipping": False,
        **NO_CUSTOM_VALUES,
        **changes,
    }


def _uid(entity_id: int) -> str:
    import base64

    return base64.b64encode(str(entity_id).encode()).decode()


async def db_state() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Everything an address mutation may write: addresses, default ids, custom values."""
    addresses = await CustomerAddressEntity.all().order_by("entity_id").values(
        "entity_id", "parent_id", "firstname", "lastname", "street", "city", "country_id",
        "region", "region_id", "postcode", "telephone", "company",
    )  # fmt: skip
    customers = (
        await CustomerEntity.all()
        .order_by("entity_id")
        .values("entity_id", "default_billing", "default_shipping")
    )
    values = (
        await CustomerAddressEntityVarchar.all()
        .order_by("value_id")
        .values("entity_id", "attribute_id", "value")
    )
    return addresses, customers, values


async def make_address_attribute(
    code: str = "delivery_note",
    label: str = "Delivery note",
    *,
    required: bool = False,
    frontend_input: FrontendInput = FrontendInput.TEXT,
    backend_type: BackendType = BackendType.VARCHAR,
) -> EavAttribute:
    return await EavAttribute.create(
        entity_type_id=EntityType.CUSTOMER_ADDRESS,
        attribute_code=code,
        backend_type=backend_type,
        frontend_input=frontend_input,
        frontend_label=label,
        is_required=required,
        is_user_defined=True,
    )


@pytest.fixture
async def ann(db: Any) -> CustomerEntity:
    return await make_customer("ann@example.com")


@pytest.fixture
async def bob(db: Any) -> CustomerEntity:
    return await make_customer("bob@example.com", firstname="Bob", lastname="Ray")


# --- createCustomerAddress ---------------------------------------------------------------------


async def test_customer_creates_address_with_region_code(client: Any, ann: CustomerEntity) -> None:
    response = await gql(client, CREATE, {"input": TEXAS}, token=await token_for(ann))
    assert response.errors == []
    address = await CustomerAddressEntity.get()
    assert response.data == {
        "createCustomerAddress": texas_address(address.entity_id, ann.entity_id)
    }
    assert address.street == "1 Main St\nSuite 2"
    assert (address.region, address.region_id) == ("Texas", 57)


async def test_region_id_fills_the_region_name_from_the_directory(
    client: Any, ann: CustomerEntity
) -> None:
    given = {**TEXAS, "region": {"region_id": 57, "region": "Tejas"}}
    response = await gql(client, CREATE, {"input": given}, token=await token_for(ann))
    assert response.data["createCustomerAddress"]["region"] == {  # type: ignore[index]
        "region": "Texas",
        "region_code": "TX",
        "region_id": 57,
    }


async def test_countries_without_regions_take_free_text(client: Any, ann: CustomerEntity) -> None:
    given = {
        **TEXAS,
        "country_code": None,
        "country_id": "FR",
        "city": "Lyon",
        "region": {"region": "Rhône", "region_id": 57},
    }
    response = await gql(client, CREATE, {"input": given}, token=await token_for(ann))
    address = response.data["createCustomerAddress"]  # type: ignore[index]
    assert (address["country_code"], address["country_id"], address["region_id"]) == (
        "FR",
        "FR",
        None,
    )
    assert address["region"] == {"region": "Rhône", "region_code": "Rhône", "region_id": None}


async def test_default_flags_set_the_customer_defaults(client: Any, ann: CustomerEntity) -> None:
    token = await token_for(ann)
    first = await gql(client, CREATE, {"input": {**TEXAS, "default_billing": True}}, token=token)
    second = await gql(
        client,
        CREATE,
        {"input": {**TEXAS, "default_billing": True, "default_shipping": True}},
        token=token,
    )
    first_id = first.data["createCustomerAddress"]["id"]  # type: ignore[index]
    second_address = second.data["createCustomerAddress"]  # type: ignore[index]
    assert first.data["createCustomerAddress"]["default_billing"] is True  # type: ignore[index]
    assert (second_address["default_billing"], second_address["default_shipping"]) == (True, True)
    await ann.refresh_from_db()
    assert (ann.default_billing, ann.default_shipping) == (second_address["id"],) * 2
    assert first_id != second_address["id"]


async def test_missing_required_fields_are_named_in_one_error(
    client: Any, ann: CustomerEntity
) -> None:
    before = await db_state()
    response = await gql(
        client, CREATE, {"input": {"company": "Acme", "street": [""]}}, token=await token_for(ann)
    )
    assert response.status == 200
    assert response.data == {"createCustomerAddress": None}
    assert response.messages == [
        "Required parameters are missing: firstname, lastname, street, city, country_id, telephone"
    ]
    assert response.categories == ["graphql-input"]
    assert response.errors[0]["extensions"]["input_path"] == "input.firstname"
    assert await db_state() == before


async def test_empty_input_is_refused(client: Any, ann: CustomerEntity) -> None:
    response = await gql(client, CREATE, {"input": {}}, token=await token_for(ann))
    assert response.messages == ['"input" value should be specified']
    assert response.categories == ["graphql-input"]
    assert await CustomerAddressEntity.all().count() == 0


async def test_street_lines_are_limited_by_configuration(
    client: Any, ann: CustomerEntity, admin_token: str
) -> None:
    token = await token_for(ann)
    three_lines = {**TEXAS, "street": ["1 Main St", "Suite 2", "Back door"]}
    response = await gql(client, CREATE, {"input": three_lines}, token=token)
    assert response.messages == ['"Street Address" cannot contain more than 2 lines.']
    assert response.categories == ["graphql-input"]
    assert response.errors[0]["extensions"]["input_path"] == "input.street.2"
    assert await CustomerAddressEntity.all().count() == 0

    await gql(client, SAVE_CONFIG, {"value": "3"}, token=admin_token)
    response = await gql(client, CREATE, {"input": three_lines}, token=token)
    assert response.data["createCustomerAddress"]["street"] == [  # type: ignore[index]
        "1 Main St",
        "Suite 2",
        "Back door",
    ]


@pytest.mark.parametrize(
    ("region", "message", "path"),
    [
        (None, '"regionId" is required. Enter and try again.', "input.region.region_id"),
        ({"region": "Texas"}, '"regionId" is required. Enter and try again.',
         "input.region.region_id"),
        ({"region_code": "ZZ"}, '"regionId" is required. Enter and try again.',
         "input.region.region_code"),
        ({"region_id": 999}, 'Invalid value of "999" provided for the regionId field.',
         "input.region.region_id"),
    ],
)  # fmt: skip
async def test_us_addresses_need_a_predefined_region(
    client: Any, ann: CustomerEntity, region: Any, message: str, path: str
) -> None:
    response = await gql(
        client, CREATE, {"input": {**TEXAS, "region": region}}, token=await token_for(ann)
    )
    assert response.data == {"createCustomerAddress": None}
    assert response.messages == [message]
    assert response.categories == ["graphql-input"]
    assert response.errors[0]["extensions"]["input_path"] == path
    assert await CustomerAddressEntity.all().count() == 0


async def test_region_of_another_country_is_refused(client: Any, ann: CustomerEntity) -> None:
    ontario = await DirectoryCountryRegion.get(country_id="CA", code="ON")  # Magento's 74
    response = await gql(
        client,
        CREATE,
        {"input": {**TEXAS, "region": {"region_id": ontario.region_id}}},
        token=await token_for(ann),
    )
    assert response.messages == ["The region_id does not match the selected country or region"]
    assert response.categories == ["graphql-input"]


async def test_custom_attributes_are_saved_and_read(client: Any, ann: CustomerEntity) -> None:
    await make_address_attribute()
    await make_address_attribute("gate_code", "Gate code")
    given = {
        **TEXAS,
        "custom_attributesV2": [{"attribute_code": "delivery_note", "value": "Ring twice"}],
        "custom_attributes": [{"attribute_code": "gate_code", "value": "1234"}],
    }
    response = await gql(client, CREATE_WITH_VALUES, {"input": given}, token=await token_for(ann))
    address = response.data["createCustomerAddress"]  # type: ignore[index]
    assert address["custom_attributesV2"] == [
        {"code": "delivery_note", "value": "Ring twice"},
        {"code": "gate_code", "value": "1234"},
    ]
    assert address["custom_attributes"] == [
        {"attribute_code": "delivery_note", "value": "Ring twice"},
        {"attribute_code": "gate_code", "value": "1234"},
    ]


async def test_custom_attributes_v2_can_be_filtered_by_code(
    client: Any, ann: CustomerEntity
) -> None:
    await make_address_attribute()
    await make_address_attribute("gate_code", "Gate code")
    token = await token_for(ann)
    given = {
        **TEXAS,
        "custom_attributesV2": [
            {"attribute_code": "delivery_note", "value": "Ring twice"},
            {"attribute_code": "gate_code", "value": "1234"},
        ],
    }
    query = """
    mutation ($input: CustomerAddressInput!) {
      createCustomerAddress(input: $input) {
        custom_attributesV2(attributeCodes: ["gate_code"]) { code ... on AttributeValue { value } }
      }
    }
    """
    response = await gql(client, query, {"input": given}, token=token)
    assert response.data == {
        "createCustomerAddress": {"custom_attributesV2": [{"code": "gate_code", "value": "1234"}]}
    }


async def test_required_custom_attribute_is_enforced(client: Any, ann: CustomerEntity) -> None:
    await make_address_attribute(required=True)
    response = await gql(client, CREATE, {"input": TEXAS}, token=await token_for(ann))
    assert response.messages == ['"Delivery note" is a required value.']
    assert response.categories == ["graphql-input"]
    assert await CustomerAddressEntity.all().count() == 0


async def test_a_failure_after_the_first_write_rolls_everything_back(
    client: Any, ann: CustomerEntity, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The address row is written before its custom values; both are one transaction."""
    await make_address_attribute()

    async def broken_save(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(attribute_values, "save", broken_save)
    given = {
        **TEXAS,
        "default_billing": True,
        "custom_attributesV2": [{"attribute_code": "delivery_note", "value": "Ring twice"}],
    }
    before = await db_state()
    response = await gql(client, CREATE, {"input": given}, token=await token_for(ann))
    assert response.messages == ["Internal server error"]
    assert response.categories == ["internal"]
    assert await db_state() == before


# --- updateCustomerAddressV2 -------------------------------------------------------------------


async def test_customer_updates_own_address(client: Any, ann: CustomerEntity) -> None:
    address = await make_address(ann, street="1 Main St\nSuite 2")
    response = await gql(
        client,
        UPDATE,
        {
            "uid": _uid(address.entity_id),
            "input": {"city": "Dallas", "company": "Acme", "default_shipping": True},
        },
        token=await token_for(ann),
    )
    assert response.errors == []
    assert response.data == {
        "updateCustomerAddressV2": texas_address(
            address.entity_id,
            ann.entity_id,
            city="Dallas",
            company="Acme",
            default_shipping=True,
        )
    }
    await ann.refresh_from_db()
    assert (ann.default_billing, ann.default_shipping) == (None, address.entity_id)


async def test_unsetting_a_default_flag_clears_the_customer_default(
    client: Any, ann: CustomerEntity
) -> None:
    address = await make_address(ann)
    other = await make_address(ann)
    await CustomerEntity.filter(entity_id=ann.entity_id).update(
        default_billing=address.entity_id, default_shipping=other.entity_id
    )
    token = await token_for(ann)
    response = await gql(
        client,
        UPDATE,
        {
            "uid": _uid(address.entity_id),
            "input": {"default_billing": False, "default_shipping": False},
        },
        token=token,
    )
    assert response.data["updateCustomerAddressV2"]["default_billing"] is False  # type: ignore[index]
    await ann.refresh_from_db()
    # `default_shipping: false` on an address that is not the default changes nothing.
    assert (ann.default_billing, ann.default_shipping) == (None, other.entity_id)


async def test_changing_country_revalidates_the_region(client: Any, ann: CustomerEntity) -> None:
    address = await make_address(ann, country_id="FR", region_id=None, region="Rhône")
    token = await token_for(ann)
    uid = _uid(address.entity_id)
    before = await db_state()
    response = await gql(client, UPDATE, {"uid": uid, "input": {"country_code": "US"}}, token=token)
    assert response.messages == ['"regionId" is required. Enter and try again.']
    assert await db_state() == before

    response = await gql(
        client,
        UPDATE,
        {"uid": uid, "input": {"country_code": "GB", "region": {"region": "Kent"}}},
        token=token,
    )
    # A country without regions in the directory keeps the region as text.
    assert response.data["updateCustomerAddressV2"]["region"] == {  # type: ignore[index]
        "region": "Kent",
        "region_code": "Kent",
        "region_id": None,
    }


async def test_update_refuses_required_fields_sent_empty(client: Any, ann: CustomerEntity) -> None:
    address = await make_address(ann)
    before = await db_state()
    response = await gql(
        client,
        UPDATE,
        {"uid": _uid(address.entity_id), "input": {"firstname": " ", "street": ["", ""]}},
        token=await token_for(ann),
    )
    assert response.messages == ["Required parameters are missing: firstname, street"]
    assert response.categories == ["graphql-input"]
    assert await db_state() == before


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"uid": "", "input": {"city": "Dallas"}}, 'Address "uid" value must be specified'),
        ({"uid": "MQ=="}, '"input" value must be specified'),
        ({"uid": "MQ==", "input": {}}, '"input" value must be specified'),
        ({"uid": "not base64!", "input": {"city": "Dallas"}},
         'Value of uid "not base64!" is incorrect.'),
    ],
)  # fmt: skip
async def test_update_input_errors(
    client: Any, ann: CustomerEntity, variables: dict[str, Any], message: str
) -> None:
    await make_address(ann)
    before = await db_state()
    response = await gql(client, UPDATE, variables, token=await token_for(ann))
    assert response.data == {"updateCustomerAddressV2": None}
    assert response.messages == [message]
    assert response.categories == ["graphql-input"]
    assert await db_state() == before


async def test_update_of_unknown_address(client: Any, ann: CustomerEntity) -> None:
    response = await gql(
        client, UPDATE, {"uid": _uid(999), "input": {"city": "Dallas"}}, token=await token_for(ann)
    )
    assert response.messages == ['Could not find an address with ID "999"']
    assert response.categories == ["graphql-no-such-entity"]


async def test_update_of_another_customers_address(
    client: Any, ann: CustomerEntity, bob: CustomerEntity
) -> None:
    address = await make_address(ann)
    before = await db_state()
    response = await gql(
        client,
        UPDATE,
        {"uid": _uid(address.entity_id), "input": {"city": "Dallas"}},
        token=await token_for(bob),
    )
    assert response.status == 401
    assert response.data == {"updateCustomerAddressV2": None}
    assert response.messages == [
        f'Current customer does not have permission to address with ID "{address.entity_id}"'
    ]
    assert response.categories == ["graphql-authorization"]
    assert await db_state() == before


# --- deleteCustomerAddressV2 -------------------------------------------------------------------


async def test_customer_deletes_own_address_and_its_values(
    client: Any, ann: CustomerEntity
) -> None:
    attribute = await make_address_attribute()
    address = await make_address(ann)
    kept = await make_address(ann)
    await CustomerAddressEntityVarchar.create(
        entity_id=address.entity_id, attribute_id=attribute.attribute_id, value="Ring twice"
    )
    response = await gql(
        client, DELETE, {"uid": _uid(address.entity_id)}, token=await token_for(ann)
    )
    assert response.data == {"deleteCustomerAddressV2": True}
    assert [a.entity_id for a in await CustomerAddressEntity.all()] == [kept.entity_id]
    assert await CustomerAddressEntityVarchar.all().count() == 0


@pytest.mark.parametrize("kind", ["billing", "shipping"])
async def test_default_addresses_cannot_be_deleted(
    client: Any, ann: CustomerEntity, kind: str
) -> None:
    address = await make_address(ann)
    await CustomerEntity.filter(entity_id=ann.entity_id).update(
        **{f"default_{kind}": address.entity_id}
    )
    before = await db_state()
    response = await gql(
        client, DELETE, {"uid": _uid(address.entity_id)}, token=await token_for(ann)
    )
    assert response.data == {"deleteCustomerAddressV2": None}
    assert response.messages == [
        f"Customer Address {address.entity_id} is set as default {kind} address "
        "and cannot be deleted"
    ]
    assert response.categories == ["graphql-input"]
    assert await db_state() == before


@pytest.mark.parametrize(
    ("uid", "message", "category"),
    [
        ("", 'Address "uid" value must be specified', "graphql-input"),
        ("***", 'Value of uid "***" is incorrect.', "graphql-input"),
        (_uid(999), 'Could not find an address with ID "999"', "graphql-no-such-entity"),
    ],
)
async def test_delete_errors(
    client: Any, ann: CustomerEntity, uid: str, message: str, category: str
) -> None:
    await make_address(ann)
    before = await db_state()
    response = await gql(client, DELETE, {"uid": uid}, token=await token_for(ann))
    assert response.data == {"deleteCustomerAddressV2": None}
    assert response.messages == [message]
    assert response.categories == [category]
    assert await db_state() == before


async def test_delete_of_another_customers_address(
    client: Any, ann: CustomerEntity, bob: CustomerEntity
) -> None:
    address = await make_address(ann)
    before = await db_state()
    response = await gql(
        client, DELETE, {"uid": _uid(address.entity_id)}, token=await token_for(bob)
    )
    assert response.status == 401
    assert response.messages == [
        f'Current customer does not have permission to address with ID "{address.entity_id}"'
    ]
    assert response.categories == ["graphql-authorization"]
    assert await db_state() == before


# --- who may call ------------------------------------------------------------------------------


async def test_storefront_mutations_need_a_customer_token(
    client: Any, ann: CustomerEntity, admin_token: str
) -> None:
    address = await make_address(ann)
    uid = _uid(address.entity_id)
    calls: list[tuple[str, dict[str, Any]]] = [
        (CREATE, {"input": TEXAS}),
        (UPDATE, {"uid": uid, "input": {"city": "Dallas"}}),
        (DELETE, {"uid": uid}),
    ]
    before = await db_state()
    for token in (None, admin_token):
        for document, variables in calls:
            response = await gql(client, document, variables, token=token)
            assert response.status == 401
            assert response.messages == ["The current customer isn't authorized."]
            assert response.categories == ["graphql-authorization"]
    assert await db_state() == before
