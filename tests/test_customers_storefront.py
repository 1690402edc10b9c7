"""Storefront customer accounts through HTTP: `customer`, `createCustomerV2`, `updateCustomerV2`,
`updateCustomerEmail`, `changeCustomerPassword`, `deleteCustomer` and `isEmailAvailable`."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

import pytest

from models import (
    BackendType,
    CustomerEntity,
    CustomerEntityVarchar,
    EavAttribute,
    EntityType,
    FrontendInput,
    NewsletterSubscriber,
    OauthToken,
)
from tests.factories import PASSWORD, make_address, make_customer, token_for
from tests.graphql import gql

CUSTOMER_FIELDS = """
  id email firstname middlename lastname prefix suffix gender taxvat dob date_of_birth
  default_billing default_shipping group_id group { uid } is_subscribed
  allow_remote_shopping_assistance confirmation_status
  custom_attributes { code ... on AttributeValue { value } }
  addresses { city }
"""

CUSTOMER = f"{{ customer {{ {CUSTOMER_FIELDS} }} }}"
CUSTOMER_EMAIL = "{ customer { email } }"

CREATE = f"""
mutation ($input: CustomerCreateInput!) {{
  createCustomerV2(input: $input) {{ customer {{ {CUSTOMER_FIELDS} }} }}
}}
"""

CREATE_WITH_ATTRIBUTES = """
mutation ($input: CustomerCreateInput!) {
  createCustomerV2(input: $input) {
    customer { custom_attributes { code ... on AttributeValue { value } } }
  }
}
"""

UPDATE = """
mutation ($input: CustomerUpdateInput!) {
  updateCustomerV2(input: $input) {
    customer { firstname middlename lastname prefix gender date_of_birth taxvat is_subscribed }
  }
}
"""

UPDATE_EMAIL = """
mutation ($email: String!, $password: String!) {
  updateCustomerEmail(email: $email, password: $password) { customer { email } }
}
"""

CHANGE_PASSWORD = """
mutation ($current: String!, $new: String!) {
  changeCustomerPassword(currentPassword: $current, newPassword: $new) { email }
}
"""

DELETE = "mutation { deleteCustomer }"

IS_EMAIL_AVAILABLE = """
query ($email: String!) { isEmailAvailable(email: $email) { is_email_available } }
"""

SIGN_IN = """
mutation ($email: String!, $password: String!) {
  generateCustomerToken(email: $email, password: $password) { token }
}
"""

SAVE_CONFIG = """
mutation ($path: ConfigPathEnum!, $value: String) {
  adminSaveConfig(input: {path: $path, value: $value}) { user_errors { message } }
}
"""

CREATE_WEBSITE = """
mutation {
  adminCreateWebsite(input: {code: "second", name: "Second", store_code: "second_en"}) {
    user_errors { message }
  }
}
"""

NOT_AUTHORIZED = "The current customer isn't authorized."
STRONG_PASSWORD = "Another-Pass2"


async def save_config(client: Any, admin_token: str, path: str, value: str) -> None:
    response = await gql(client, SAVE_CONFIG, {"path": path, "value": value}, token=admin_token)
    assert response.data == {"adminSaveConfig": {"user_errors": []}}


async def customer_rows() -> list[tuple[int, str, str, str]]:
    return [
        (c.entity_id, c.email, c.firstname, c.lastname)
        for c in await CustomerEntity.all().order_by("entity_id")
    ]


async def make_text_attribute(code: str = "loyalty_tier") -> EavAttribute:
    return await EavAttribute.create(
        entity_type_id=EntityType.CUSTOMER,
        attribute_code=code,
        backend_type=BackendType.VARCHAR,
        frontend_input=FrontendInput.TEXT,
        frontend_label="Loyalty tier",
    )


def new_account(**overrides: Any) -> dict[str, Any]:
    return {"email": "Zoe@Example.com", "firstname": "Zoe", "lastname": "Park", **overrides}


# --- customer ------------------------------------------------------------------------------


async def test_guest_cannot_read_a_customer(client: Any, db: Any) -> None:
    response = await gql(client, CUSTOMER)
    assert response.status == 401
    assert response.data == {"customer": None}
    assert response.messages == [NOT_AUTHORIZED]
    assert response.categories == ["graphql-authorization"]


async def test_customer_reads_own_account(client: Any, db: Any) -> None:
    customer = await make_customer(
        middlename="May",
        prefix="Dr.",
        suffix="Jr.",
        gender=2,
        taxvat="GB123",
        dob=date(1990, 4, 1),
        group_id=2,
    )
    address = await make_address(customer)
    customer.default_billing = address.entity_id
    await customer.save()
    attribute = await make_text_attribute()
    await CustomerEntityVarchar.create(
        entity_id=customer.entity_id, attribute_id=attribute.attribute_id, value="gold"
    )
    response = await gql(client, CUSTOMER, token=await token_for(customer))
    assert response.errors == []
    assert response.data == {
        "customer": {
            "id": "MQ==",
            "email": "ann@example.com",
            "firstname": "Ann",
            "middlename": "May",
            "lastname": "Lee",
            "prefix": "Dr.",
            "suffix": "Jr.",
            "gender": 2,
            "taxvat": "GB123",
            "dob": "1990-04-01",
            "date_of_birth": "1990-04-01",
            "default_billing": str(address.entity_id),
            "default_shipping": None,
            "group_id": 2,
            "group": {"uid": "Mg=="},
            "is_subscribed": False,
            "allow_remote_shopping_assistance": False,
            "confirmation_status": "ACCOUNT_CONFIRMATION_NOT_REQUIRED",
            "custom_attributes": [{"code": "loyalty_tier", "value": "gold"}],
            "addresses": [{"city": "Austin"}],
        }
    }


async def test_created_at_is_magento_formatted_utc(client: Any, db: Any) -> None:
    customer = await make_customer()
    response = await gql(client, "{ customer { created_at } }", token=await token_for(customer))
    expected = customer.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    assert response.data == {"customer": {"created_at": expected}}


async def test_custom_attributes_can_be_narrowed_by_code(client: Any, db: Any) -> None:
    customer = await make_customer()
    tier = await make_text_attribute()
    nick = await make_text_attribute("nickname")
    for attribute, value in ((tier, "gold"), (nick, "Annie")):
        await CustomerEntityVarchar.create(
            entity_id=customer.entity_id, attribute_id=attribute.attribute_id, value=value
        )
    response = await gql(
        client,
        '{ customer { custom_attributes(attributeCodes: ["nickname"]) '
        "{ code ... on AttributeValue { value } } } }",
        token=await token_for(customer),
    )
    assert response.data == {
        "customer": {"custom_attributes": [{"code": "nickname", "value": "Annie"}]}
    }


async def test_group_is_null_when_sharing_is_off(client: Any, db: Any, admin_token: str) -> None:
    await save_config(client, admin_token, "SHARE_CUSTOMER_GROUP", "0")
    customer = await make_customer(group_id=2)
    response = await gql(
        client, "{ customer { group { uid } group_id } }", token=await token_for(customer)
    )
    assert response.data == {"customer": {"group": None, "group_id": 2}}


async def test_confirmation_status_follows_the_websites_config(
    client: Any, db: Any, admin_token: str
) -> None:
    await save_config(client, admin_token, "CONFIRM_ACCOUNT", "1")
    customer = await make_customer()
    response = await gql(
        client, "{ customer { confirmation_status } }", token=await token_for(customer)
    )
    assert response.data == {"customer": {"confirmation_status": "ACCOUNT_CONFIRMED"}}


async def test_each_customer_sees_only_their_own_account(client: Any, db: Any) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com", firstname="Bob")
    for customer, email in ((ann, "ann@example.com"), (bob, "bob@example.com")):
        response = await gql(client, CUSTOMER_EMAIL, token=await token_for(customer))
        assert response.data == {"customer": {"email": email}}


async def test_admin_token_is_not_a_customer(client: Any, admin_token: str) -> None:
    response = await gql(client, CUSTOMER_EMAIL, token=admin_token)
    assert response.status == 401
    assert response.messages == [NOT_AUTHORIZED]


# --- createCustomerV2 ----------------------------------------------------------------------


async def test_guest_creates_an_account(client: Any, db: Any) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": new_account(
                middlename="Q",
                prefix="Ms.",
                suffix="III",
                gender=2,
                taxvat="DE999",
                date_of_birth="1985-12-24",
                password=STRONG_PASSWORD,
                is_subscribed=True,
                allow_remote_shopping_assistance=True,
            )
        },
    )
    assert response.errors == []
    assert response.data == {
        "createCustomerV2": {
            "customer": {
                "id": "MQ==",
                "email": "zoe@example.com",
                "firstname": "Zoe",
                "middlename": "Q",
                "lastname": "Park",
                "prefix": "Ms.",
                "suffix": "III",
                "gender": 2,
                "taxvat": "DE999",
                "dob": "1985-12-24",
                "date_of_birth": "1985-12-24",
                "default_billing": None,
                "default_shipping": None,
                "group_id": 1,
                "group": {"uid": "MQ=="},
                "is_subscribed": True,
                "allow_remote_shopping_assistance": True,
                "confirmation_status": "ACCOUNT_CONFIRMATION_NOT_REQUIRED",
                "custom_attributes": [],
                "addresses": [],
            }
        }
    }
    row = await CustomerEntity.get(entity_id=1)
    assert (row.website_id, row.store_id, row.created_in, row.confirmation) == (  # type: ignore[attr-defined]
        1,
        1,
        "Default Store View",
        None,
    )
    response = await gql(client, SIGN_IN, {"email": "ZOE@example.com", "password": STRONG_PASSWORD})
    assert response.errors == []


async def test_new_accounts_get_the_configured_default_group(
    client: Any, db: Any, admin_token: str
) -> None:
    await save_config(client, admin_token, "DEFAULT_GROUP", "3")
    response = await gql(client, CREATE, {"input": new_account()})
    assert response.data["createCustomerV2"]["customer"]["group_id"] == 3  # type: ignore[index]


async def test_new_account_in_the_store_headers_website(
    client: Any, db: Any, admin_token: str
) -> None:
    assert (await gql(client, CREATE_WEBSITE, token=admin_token)).errors == []
    response = await gql(client, CREATE, {"input": new_account()}, store="second_en")
    assert response.errors == []
    row = await CustomerEntity.get(email="zoe@example.com")
    assert (row.website_id, row.created_in) == (2, "Second Store View")  # type: ignore[attr-defined]


async def test_create_saves_custom_attributes(client: Any, db: Any) -> None:
    await make_text_attribute()
    response = await gql(
        client,
        CREATE_WITH_ATTRIBUTES,
        {
            "input": new_account(
                custom_attributes=[{"attribute_code": "loyalty_tier", "value": "x"}]
            )
        },
    )
    assert response.data == {
        "createCustomerV2": {
            "customer": {"custom_attributes": [{"code": "loyalty_tier", "value": "x"}]}
        }
    }
    assert await CustomerEntityVarchar.filter(entity_id=1).values_list("value", flat=True) == ["x"]


@pytest.mark.parametrize(
    ("overrides", "message", "path"),
    [
        ({"email": "zoe@"}, '"Email" is not a valid email address.', "input.email"),
        ({"email": "  "}, "Required parameters are missing: Email", "input.email"),
        (
            {"email": "z" * 250 + "@example.com"},
            '"Email" length must be equal or less than 255 characters.',
            "input.email",
        ),
        ({"firstname": ""}, "Required parameters are missing: First Name", "input.firstname"),
        (
            {"lastname": "L" * 256},
            '"Last Name" length must be equal or less than 255 characters.',
            "input.lastname",
        ),
        ({"firstname": "<script>"}, "First Name is not valid!", "input.firstname"),
        (
            {"prefix": "P" * 41},
            '"Name Prefix" length must be equal or less than 40 characters.',
            "input.prefix",
        ),
        (
            {"taxvat": "1" * 51},
            '"Tax/VAT Number" length must be equal or less than 50 characters.',
            "input.taxvat",
        ),
        (
            {"password": "short"},
            "The password needs at least 8 characters. Create a new password and try again.",
            "input.password",
        ),
        (
            {"password": "alllowercase"},
            "Minimum of different classes of characters in password is 3. Classes of "
            "characters: Lower Case, Upper Case, Digits, Special Characters.",
            "input.password",
        ),
        (
            {"password": "x" * 257},
            "Please enter a password with at most 256 characters.",
            "input.password",
        ),
        ({"gender": 7}, '"Gender" is not a valid value.', "input.gender"),
        (
            {"date_of_birth": "24/12/1985"},
            '"Date of Birth" does not fit the entered date format.',
            "input.date_of_birth",
        ),
        (
            {"dob": "2999-01-01"},
            "The Date of Birth should not be greater than today.",
            "input.dob",
        ),
    ],
)
async def test_create_refuses_bad_input_and_writes_nothing(
    client: Any, db: Any, overrides: dict[str, Any], message: str, path: str
) -> None:
    response = await gql(client, CREATE, {"input": new_account(**overrides)})
    assert response.data == {"createCustomerV2": None}
    assert response.messages == [message]
    assert response.categories == ["graphql-input"]
    assert response.errors[0]["extensions"]["input_path"] == path
    assert await customer_rows() == []


async def test_unknown_custom_attribute_is_not_found(client: Any, db: Any) -> None:
    response = await gql(
        client,
        CREATE,
        {"input": new_account(custom_attributes=[{"attribute_code": "nope", "value": "1"}])},
    )
    assert response.data == {"createCustomerV2": None}
    assert response.messages == ['Attribute "nope" is not a custom attribute of this entity.']
    assert response.categories == ["graphql-no-such-entity"]
    assert await customer_rows() == []


async def test_create_reports_the_first_of_several_problems(client: Any, db: Any) -> None:
    response = await gql(
        client, CREATE, {"input": new_account(email="bad", firstname="", password="x")}
    )
    assert response.messages == ["Required parameters are missing: First Name"]
    assert await customer_rows() == []


async def test_password_same_as_email_is_refused(client: Any, db: Any) -> None:
    response = await gql(
        client, CREATE, {"input": new_account(email="Ab1@x.com", password="Ab1@x.com")}
    )
    assert response.messages == [
        "The password can't be the same as the email address. Create a new password and try again."
    ]


async def test_duplicate_email_in_the_website_is_refused(client: Any, db: Any) -> None:
    await make_customer("zoe@example.com")
    response = await gql(client, CREATE, {"input": new_account(email="ZOE@example.COM")})
    assert response.data == {"createCustomerV2": None}
    assert response.messages == [
        "A customer with the same email address already exists in an associated website."
    ]
    assert response.categories == ["graphql-already-exists"]
    assert len(await customer_rows()) == 1


async def test_same_email_in_another_website_depends_on_account_sharing(
    client: Any, db: Any, admin_token: str
) -> None:
    assert (await gql(client, CREATE_WEBSITE, token=admin_token)).errors == []
    await make_customer("zoe@example.com", website_id=2, store_id=None)
    response = await gql(client, CREATE, {"input": new_account()})
    assert response.errors == []
    await save_config(client, admin_token, "ACCOUNT_SHARE_SCOPE", "0")
    response = await gql(client, CREATE, {"input": new_account(email="zoe@example.com")})
    assert response.categories == ["graphql-already-exists"]


async def test_account_awaits_confirmation_when_required(
    client: Any, db: Any, admin_token: str
) -> None:
    await save_config(client, admin_token, "CONFIRM_ACCOUNT", "1")
    response = await gql(client, CREATE, {"input": new_account(password=STRONG_PASSWORD)})
    assert response.errors == []
    row = await CustomerEntity.get(email="zoe@example.com")
    assert row.confirmation is not None
    response = await gql(client, SIGN_IN, {"email": "zoe@example.com", "password": STRONG_PASSWORD})
    assert response.messages == ["This account isn't confirmed. Verify and try again."]


async def test_signed_in_callers_cannot_create_accounts(
    client: Any, db: Any, admin_token: str
) -> None:
    customer_token = await token_for(await make_customer())
    for token in (customer_token, admin_token):
        response = await gql(client, CREATE, {"input": new_account()}, token=token)
        assert response.status == 401
        assert response.messages == [
            "A signed-in customer cannot create another account. Sign out and try again."
        ]
    assert len(await customer_rows()) == 1


# --- updateCustomerV2 ----------------------------------------------------------------------


async def test_customer_updates_personal_information(client: Any, db: Any) -> None:
    customer = await make_customer(middlename="May", taxvat="OLD")
    response = await gql(
        client,
        UPDATE,
        {
            "input": {
                "firstname": " Anna ",
                "middlename": "",
                "prefix": "Mrs.",
                "gender": 2,
                "date_of_birth": "1970-01-02",
                "is_subscribed": True,
            }
        },
        token=await token_for(customer),
    )
    assert response.errors == []
    assert response.data == {
        "updateCustomerV2": {
            "customer": {
                "firstname": "Anna",
                "middlename": None,
                "lastname": "Lee",
                "prefix": "Mrs.",
                "gender": 2,
                "date_of_birth": "1970-01-02",
                "taxvat": "OLD",
                "is_subscribed": True,
            }
        }
    }


async def test_update_refuses_bad_input_and_changes_nothing(client: Any, db: Any) -> None:
    customer = await make_customer()
    response = await gql(
        client,
        UPDATE,
        {"input": {"firstname": "Anna", "lastname": "", "gender": 3}},
        token=await token_for(customer),
    )
    assert response.data == {"updateCustomerV2": None}
    assert response.messages == ["Required parameters are missing: Last Name"]
    assert await customer_rows() == [(1, "ann@example.com", "Ann", "Lee")]


async def test_update_input_has_no_email_password_or_group(client: Any, db: Any) -> None:
    customer = await make_customer()
    for field in ('email: "x@example.com"', 'password: "Secret-Pass9"', "group_id: 2"):
        response = await gql(
            client,
            f"mutation {{ updateCustomerV2(input: {{{field}}}) {{ customer {{ email }} }} }}",
            token=await token_for(customer),
        )
        assert response.data is None
        assert response.categories == ["graphql-input"]
    assert await customer_rows() == [(1, "ann@example.com", "Ann", "Lee")]
    assert (await CustomerEntity.get(entity_id=1)).group_id == 1  # type: ignore[attr-defined]


# --- updateCustomerEmail -------------------------------------------------------------------


async def test_customer_changes_email_and_other_sessions_end(client: Any, db: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    other_token = await token_for(customer)
    response = await gql(
        client,
        UPDATE_EMAIL,
        {"email": "Ann.New@Example.com", "password": PASSWORD},
        token=token,
    )
    assert response.data == {"updateCustomerEmail": {"customer": {"email": "ann.new@example.com"}}}
    assert (await gql(client, CUSTOMER_EMAIL, token=token)).errors == []
    assert (await gql(client, CUSTOMER_EMAIL, token=other_token)).status == 401


async def test_wrong_password_never_tells_whether_the_email_is_taken(client: Any, db: Any) -> None:
    customer = await make_customer()
    await make_customer("taken@example.com")
    token = await token_for(customer)
    for email in ("taken@example.com", "free@example.com"):
        response = await gql(
            client, UPDATE_EMAIL, {"email": email, "password": "Wrong-Pass1"}, token=token
        )
        assert response.status == 401
        assert response.data == {"updateCustomerEmail": None}
        assert response.messages == ["Invalid login or password."]
        assert response.categories == ["graphql-authentication"]
    assert (await CustomerEntity.get(entity_id=1)).email == "ann@example.com"


async def test_new_email_must_be_free_and_valid(client: Any, db: Any) -> None:
    customer = await make_customer()
    await make_customer("taken@example.com")
    token = await token_for(customer)
    response = await gql(
        client, UPDATE_EMAIL, {"email": "taken@example.com", "password": PASSWORD}, token=token
    )
    assert response.messages == [
        "A customer with the same email address already exists in an associated website."
    ]
    assert response.categories == ["graphql-already-exists"]
    response = await gql(
        client, UPDATE_EMAIL, {"email": "not-an-email", "password": PASSWORD}, token=token
    )
    assert response.messages == ['"Email" is not a valid email address.']
    assert (await CustomerEntity.get(entity_id=1)).email == "ann@example.com"


# --- changeCustomerPassword ----------------------------------------------------------------


async def test_customer_changes_password_and_other_sessions_end(client: Any, db: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    other_token = await token_for(customer)
    response = await gql(
        client, CHANGE_PASSWORD, {"current": PASSWORD, "new": STRONG_PASSWORD}, token=token
    )
    assert response.data == {"changeCustomerPassword": {"email": "ann@example.com"}}
    assert (await gql(client, CUSTOMER_EMAIL, token=token)).errors == []
    assert (await gql(client, CUSTOMER_EMAIL, token=other_token)).status == 401
    response = await gql(client, SIGN_IN, {"email": "ann@example.com", "password": STRONG_PASSWORD})
    assert response.errors == []


@pytest.mark.parametrize(
    ("current", "new", "message", "category"),
    [
        ("Wrong-Pass1", STRONG_PASSWORD, "Invalid login or password.", "graphql-authentication"),
        ("", STRONG_PASSWORD, 'Specify the "currentPassword" value.', "graphql-input"),
        (PASSWORD, " ", 'Specify the "newPassword" value.', "graphql-input"),
        (
            PASSWORD,
            "weak",
            "The password needs at least 8 characters. Create a new password and try again.",
            "graphql-input",
        ),
    ],
)
async def test_change_password_refusals(
    client: Any, db: Any, current: str, new: str, message: str, category: str
) -> None:
    customer = await make_customer()
    hash_before = customer.password_hash
    response = await gql(
        client,
        CHANGE_PASSWORD,
        {"current": current, "new": new},
        token=await token_for(customer),
    )
    assert response.data == {"changeCustomerPassword": None}
    assert response.messages == [message]
    assert response.categories == [category]
    assert (await CustomerEntity.get(entity_id=1)).password_hash == hash_before


async def test_repeated_wrong_passwords_lock_the_account(
    client: Any, db: Any, admin_token: str
) -> None:
    await save_config(client, admin_token, "LOCKOUT_FAILURES", "2")
    customer = await make_customer()
    token = await token_for(customer)
    variables = {"current": "Wrong-Pass1", "new": STRONG_PASSWORD}
    messages = [
        (await gql(client, CHANGE_PASSWORD, variables, token=token)).messages[0] for _ in range(2)
    ]
    assert messages == ["Invalid login or password.", "Invalid login or password."]
    response = await gql(
        client, CHANGE_PASSWORD, {"current": PASSWORD, "new": STRONG_PASSWORD}, token=token
    )
    assert response.messages == ["The account is locked."]


# --- deleteCustomer ------------------------------------------------------------------------


async def test_customer_deletes_own_account(client: Any, db: Any) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com", firstname="Bob")
    await make_address(ann)
    await NewsletterSubscriber.create(
        store_id=1, customer_id=ann.entity_id, subscriber_email=ann.email
    )
    token = await token_for(ann)
    response = await gql(client, DELETE, token=token)
    assert response.data == {"deleteCustomer": True}
    assert await customer_rows() == [(bob.entity_id, "bob@example.com", "Bob", "Lee")]
    assert await NewsletterSubscriber.all().count() == 0
    assert await OauthToken.filter(customer_id=ann.entity_id).count() == 0
    assert (await gql(client, CUSTOMER_EMAIL, token=token)).status == 401


# --- isEmailAvailable ----------------------------------------------------------------------


async def test_email_availability_in_the_store_website(
    client: Any, db: Any, admin_token: str
) -> None:
    assert (await gql(client, CREATE_WEBSITE, token=admin_token)).errors == []
    await make_customer("ann@example.com", website_id=2, store_id=None)

    async def available(email: str, store: str | None = None) -> Any:
        response = await gql(client, IS_EMAIL_AVAILABLE, {"email": email}, store=store)
        return response.data["isEmailAvailable"]["is_email_available"]  # type: ignore[index]

    await save_config(client, admin_token, "GUEST_CHECKOUT_LOGIN", "1")
    assert await available("ANN@example.com") is True
    assert await available("ANN@example.com", "second_en") is False
    await save_config(client, admin_token, "ACCOUNT_SHARE_SCOPE", "0")
    assert await available("ann@example.com") is False


STORE_GUEST_LOGIN = "{ storeConfig { enable_guest_checkout_login } }"


async def test_email_availability_tells_nothing_by_default(
    client: Any, db: Any, admin_token: str
) -> None:
    """Magento 2.4.7+: unless guest checkout login is on, every well-formed email is "available",
    taken or not, so the query cannot enumerate accounts."""
    await make_customer("ann@example.com")
    response = await gql(client, IS_EMAIL_AVAILABLE, {"email": "ann@example.com"})
    assert response.data == {"isEmailAvailable": {"is_email_available": True}}
    response = await gql(client, STORE_GUEST_LOGIN)
    assert response.data == {"storeConfig": {"enable_guest_checkout_login": False}}

    await save_config(client, admin_token, "GUEST_CHECKOUT_LOGIN", "1")
    response = await gql(client, IS_EMAIL_AVAILABLE, {"email": "ann@example.com"})
    assert response.data == {"isEmailAvailable": {"is_email_available": False}}
    response = await gql(client, STORE_GUEST_LOGIN)
    assert response.data == {"storeConfig": {"enable_guest_checkout_login": True}}


@pytest.mark.parametrize("email", ["", "ann@", "not an email"])
async def test_invalid_email_availability_question(client: Any, db: Any, email: str) -> None:
    response = await gql(client, IS_EMAIL_AVAILABLE, {"email": email})
    assert response.data == {"isEmailAvailable": None}
    assert response.messages == ["Email is invalid"]
    assert response.categories == ["graphql-input"]


# --- authorization matrix ------------------------------------------------------------------

OWN_ACCOUNT_OPERATIONS = [
    (CUSTOMER_EMAIL, {}),
    (UPDATE, {"input": {"firstname": "Mallory"}}),
    (UPDATE_EMAIL, {"email": "mallory@example.com", "password": PASSWORD}),
    (CHANGE_PASSWORD, {"current": PASSWORD, "new": STRONG_PASSWORD}),
    (DELETE, {}),
]


@pytest.mark.parametrize(("document", "variables"), OWN_ACCOUNT_OPERATIONS)
async def test_own_account_operations_need_a_customer_token(
    client: Any, db: Any, admin_token: str, document: str, variables: dict[str, Any]
) -> None:
    await make_customer()
    for token in (None, admin_token):
        response = await gql(client, document, variables, token=token)
        assert response.status == 401
        assert response.messages == [NOT_AUTHORIZED]
        assert response.categories == ["graphql-authorization"]
    assert await customer_rows() == [(1, "ann@example.com", "Ann", "Lee")]


@pytest.mark.parametrize(("document", "variables"), OWN_ACCOUNT_OPERATIONS)
async def test_customer_b_never_touches_customer_a(
    client: Any, db: Any, document: str, variables: dict[str, Any]
) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com", firstname="Bob")
    ann_token = await token_for(ann)
    response = await gql(client, document, variables, token=await token_for(bob))
    assert response.errors == []
    after = await CustomerEntity.get(entity_id=ann.entity_id)
    assert (after.email, after.firstname, after.password_hash) == (
        ann.email,
        ann.firstname,
        ann.password_hash,
    )
    response = await gql(client, CUSTOMER_EMAIL, token=ann_token)
    assert response.data == {"customer": {"email": "ann@example.com"}}
