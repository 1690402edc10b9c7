"""Custom attribute definitions (admin) and the engine's value handling."""

from __future__ import annotations

from typing import Any

from engine import attributes
from engine.attributes import AttributeValueData, StoredValue
from models import CustomerEntityInt, EavAttribute, EntityType
from tests.factories import make_customer, token_for
from tests.graphql import gql

FIELDS = """
  uid code entity_type frontend_input label is_required default_value sort_order
  is_visible is_used_in_grid is_filterable_in_grid is_used_for_customer_segment
  options { value label sort_order }
"""

LIST = f"""
query ($entity: CustomAttributeEntityEnum!) {{
  adminCustomAttributes(entity_type: $entity) {{ {FIELDS} }}
}}
"""

CREATE = f"""
mutation ($input: CustomAttributeCreateInput!) {{
  adminCreateCustomAttribute(input: $input) {{
    attribute {{ {FIELDS} }}
    user_errors {{ code message path }}
  }}
}}
"""

UPDATE = """
mutation ($uid: ID!, $input: CustomAttributeUpdateInput!) {
  adminUpdateCustomAttribute(uid: $uid, input: $input) {
    attribute { code label is_required options { value label sort_order } }
    user_errors { code message path }
  }
}
"""

DELETE = """
mutation ($uid: ID!) {
  adminDeleteCustomAttribute(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""

LOYALTY = {
    "entity_type": "CUSTOMER",
    "code": "loyalty_tier",
    "frontend_input": "SELECT",
    "label": "Loyalty tier",
    "is_used_for_customer_segment": True,
    "options": [{"label": "Silver", "sort_order": 1}, {"label": "Gold", "sort_order": 2}],
}


async def create_loyalty(client: Any, admin_token: str) -> dict[str, Any]:
    response = await gql(client, CREATE, {"input": LOYALTY}, token=admin_token)
    result: dict[str, Any] = response.data["adminCreateCustomAttribute"]  # type: ignore[index]
    assert result["user_errors"] == []
    return result["attribute"]  # type: ignore[no-any-return]


async def test_admin_creates_select_attribute_with_options(client: Any, admin_token: str) -> None:
    attribute = await create_loyalty(client, admin_token)
    silver, gold = attribute["options"]
    assert attribute == {
        "uid": attribute["uid"],
        "code": "loyalty_tier",
        "entity_type": "CUSTOMER",
        "frontend_input": "SELECT",
        "label": "Loyalty tier",
        "is_required": False,
        "default_value": None,
        "sort_order": 0,
        "is_visible": True,
        "is_used_in_grid": False,
        "is_filterable_in_grid": False,
        "is_used_for_customer_segment": True,
        "options": [
            {"value": silver["value"], "label": "Silver", "sort_order": 1},
            {"value": gold["value"], "label": "Gold", "sort_order": 2},
        ],
    }
    listed = await gql(client, LIST, {"entity": "CUSTOMER"}, token=admin_token)
    assert listed.data == {"adminCustomAttributes": [attribute]}
    addresses = await gql(client, LIST, {"entity": "CUSTOMER_ADDRESS"}, token=admin_token)
    assert addresses.data == {"adminCustomAttributes": []}


async def test_create_reports_every_problem_and_writes_nothing(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "entity_type": "CUSTOMER",
                "code": "9lives",
                "frontend_input": "TEXT",
                "label": " ",
                "options": [{"label": "A"}],
            }
        },
        token=admin_token,
    )
    assert response.data == {
        "adminCreateCustomAttribute": {
            "attribute": None,
            "user_errors": [
                {
                    "code": "INVALID",
                    "message": 'Attribute code "9lives" is invalid. Please use only letters (a-z), '
                    "numbers (0-9) or underscore (_) in this field, the first character should be "
                    "a letter, and at most 60 characters.",
                    "path": "input.code",
                },
                {"code": "REQUIRED", "message": '"label" is required.', "path": "input.label"},
                {
                    "code": "INVALID",
                    "message": "Only select and multiselect attributes have options.",
                    "path": "input.options",
                },
            ],
        }
    }
    assert await EavAttribute.filter(is_user_defined=True).count() == 0


async def test_system_and_duplicate_codes_are_refused(client: Any, admin_token: str) -> None:
    await create_loyalty(client, admin_token)
    for code, message in (
        ("email", '"email" is a system attribute of this entity.'),
        ("loyalty_tier", 'An attribute with the code "loyalty_tier" already exists.'),
    ):
        response = await gql(
            client,
            CREATE,
            {"input": {**LOYALTY, "code": code}},
            token=admin_token,
        )
        assert response.data["adminCreateCustomAttribute"]["user_errors"] == [  # type: ignore[index]
            {"code": "ALREADY_EXISTS", "message": message, "path": "input.code"}
        ]


async def test_update_relabels_adds_and_removes_unused_options(
    client: Any, admin_token: str
) -> None:
    attribute = await create_loyalty(client, admin_token)
    silver, _gold = attribute["options"]
    response = await gql(
        client,
        UPDATE,
        {
            "uid": attribute["uid"],
            "input": {
                "label": "Tier",
                "options": [
                    {"value": silver["value"], "label": "Silver+", "sort_order": 1},
                    {"label": "Platinum", "sort_order": 3},
                ],
            },
        },
        token=admin_token,
    )
    result = response.data["adminUpdateCustomAttribute"]  # type: ignore[index]
    assert result["user_errors"] == []
    assert result["attribute"]["label"] == "Tier"
    assert [(o["label"], o["sort_order"]) for o in result["attribute"]["options"]] == [
        ("Silver+", 1),
        ("Platinum", 3),
    ]
    assert result["attribute"]["options"][0]["value"] == silver["value"]


async def test_options_in_use_cannot_be_removed(client: Any, admin_token: str) -> None:
    attribute = await create_loyalty(client, admin_token)
    silver, gold = attribute["options"]
    customer = await make_customer()
    parsed, problems = await attributes.validate(
        EntityType.CUSTOMER,
        [AttributeValueData("loyalty_tier", selected_options=(gold["value"],))],
        "input.custom_attributes",
        creating=False,
    )
    assert problems == []
    await attributes.save(EntityType.CUSTOMER, customer.entity_id, parsed)
    response = await gql(
        client,
        UPDATE,
        {"uid": attribute["uid"], "input": {"options": [{"value": silver["value"], "label": "S"}]}},
        token=admin_token,
    )
    assert response.data["adminUpdateCustomAttribute"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "IN_USE",
            "message": f'Option "{gold["value"]}" is still used by stored values and cannot be '
            "removed.",
            "path": "input.options",
        }
    ]


async def test_delete_removes_attribute_and_its_values(client: Any, admin_token: str) -> None:
    attribute = await create_loyalty(client, admin_token)
    customer = await make_customer()
    parsed, _ = await attributes.validate(
        EntityType.CUSTOMER,
        [AttributeValueData("loyalty_tier", selected_options=(attribute["options"][0]["value"],))],
        "input",
        creating=False,
    )
    await attributes.save(EntityType.CUSTOMER, customer.entity_id, parsed)
    assert await CustomerEntityInt.all().count() == 1
    response = await gql(client, DELETE, {"uid": attribute["uid"]}, token=admin_token)
    assert response.data == {
        "adminDeleteCustomAttribute": {"deleted_uid": attribute["uid"], "user_errors": []}
    }
    assert await CustomerEntityInt.all().count() == 0
    again = await gql(client, DELETE, {"uid": attribute["uid"]}, token=admin_token)
    assert again.data["adminDeleteCustomAttribute"]["user_errors"][0]["code"] == "NOT_FOUND"  # type: ignore[index]


async def test_attribute_admin_needs_admin_token(client: Any, db: Any) -> None:
    customer_token = await token_for(await make_customer())
    for token in (None, customer_token):
        response = await gql(client, LIST, {"entity": "CUSTOMER"}, token=token)
        assert response.categories == ["graphql-authorization"]
        response = await gql(client, CREATE, {"input": LOYALTY}, token=token)
        assert response.categories == ["graphql-authorization"]
    assert await EavAttribute.filter(is_user_defined=True).count() == 0


async def test_values_are_validated_stored_and_loaded_per_type(
    client: Any, admin_token: str
) -> None:
    loyalty = await create_loyalty(client, admin_token)
    silver, gold = (o["value"] for o in loyalty["options"])
    for spec in (
        {"code": "calls_ok", "frontend_input": "BOOLEAN", "label": "Calls"},
        {"code": "member_since", "frontend_input": "DATE", "label": "Member since"},
        {"code": "nickname", "frontend_input": "TEXT", "label": "Nickname", "is_required": True},
        {
            "code": "hobbies",
            "frontend_input": "MULTISELECT",
            "label": "Hobbies",
            "options": [{"label": "Golf"}, {"label": "Chess"}],
        },
    ):
        response = await gql(
            client, CREATE, {"input": {"entity_type": "CUSTOMER", **spec}}, token=admin_token
        )
        assert response.data["adminCreateCustomAttribute"]["user_errors"] == []  # type: ignore[index]
    hobbies = list((await attributes_by_code(client, admin_token))["hobbies"]["options"])
    golf, chess = hobbies[0]["value"], hobbies[1]["value"]
    customer = await make_customer()

    _, problems = await attributes.validate(
        EntityType.CUSTOMER,
        [
            AttributeValueData("calls_ok", "yes"),
            AttributeValueData("member_since", "2024-13-01"),
            AttributeValueData("loyalty_tier", selected_options=(silver, gold)),
            AttributeValueData("unknown_code", "x"),
        ],
        "input.custom_attributes",
        creating=True,
    )
    assert [(p.code.value, p.path) for p in problems] == [
        ("INVALID", "input.custom_attributes.0.value"),
        ("INVALID", "input.custom_attributes.1.value"),
        ("INVALID", "input.custom_attributes.2.selected_options"),
        ("NOT_FOUND", "input.custom_attributes.3.attribute_code"),
        ("REQUIRED", "input.custom_attributes"),
    ]
    assert problems[-1].message == '"Nickname" is a required value.'

    parsed, problems = await attributes.validate(
        EntityType.CUSTOMER,
        [
            AttributeValueData("calls_ok", "1"),
            AttributeValueData("member_since", "2024-03-01"),
            AttributeValueData("loyalty_tier", selected_options=(gold,)),
            AttributeValueData("nickname", "Annie"),
            AttributeValueData("hobbies", selected_options=(golf, chess)),
        ],
        "input.custom_attributes",
        creating=True,
    )
    assert problems == []
    await attributes.save(EntityType.CUSTOMER, customer.entity_id, parsed)
    loaded = await attributes.load(EntityType.CUSTOMER, [customer.entity_id])
    assert sorted(loaded[customer.entity_id], key=lambda v: v.code) == [
        StoredValue("calls_ok", "1"),
        StoredValue("hobbies", f"{golf},{chess}", ((golf, "Golf"), (chess, "Chess"))),
        StoredValue("loyalty_tier", gold, ((gold, "Gold"),)),
        StoredValue("member_since", "2024-03-01"),
        StoredValue("nickname", "Annie"),
    ]
    only = await attributes.load(EntityType.CUSTOMER, [customer.entity_id], ["nickname"])
    assert only == {customer.entity_id: [StoredValue("nickname", "Annie")]}

    cleared, problems = await attributes.validate(
        EntityType.CUSTOMER,
        [AttributeValueData("calls_ok", ""), AttributeValueData("nickname", "")],
        "input",
        creating=False,
    )
    assert [p.message for p in problems] == ['"Nickname" is a required value.']
    await attributes.save(EntityType.CUSTOMER, customer.entity_id, cleared[:1])
    remaining = await attributes.load(EntityType.CUSTOMER, [customer.entity_id])
    assert "calls_ok" not in {v.code for v in remaining[customer.entity_id]}


async def attributes_by_code(client: Any, admin_token: str) -> dict[str, Any]:
    response = await gql(client, LIST, {"entity": "CUSTOMER"}, token=admin_token)
    return {a["code"]: a for a in response.data["adminCustomAttributes"]}  # type: ignore[index]
