"""Admin customer management through HTTP: `adminCustomers`, `adminCustomer`,
`adminCreateCustomer`, `adminUpdateCustomer` (with store credit) and `adminDeleteCustomer`."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from models import (
    BalanceAction,
    CustomerEntity,
    MagentoCustomerbalance,
    MagentoCustomerbalanceHistory,
    NewsletterSubscriber,
    OauthToken,
    SubscriberStatus,
)
from tests.factories import make_address, make_customer, token_for
from tests.graphql import gql

ADMIN_CUSTOMERS = """
query ($filter: CustomerFilterInput, $pageSize: Int, $currentPage: Int, $sort: CustomerSortInput) {
  adminCustomers(filter: $filter, pageSize: $pageSize, currentPage: $currentPage, sort: $sort) {
    items { email }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""

ADMIN_CUSTOMER_FIELDS = """
  uid id email prefix firstname middlename lastname suffix date_of_birth gender taxvat
  group_uid group { code } website_uid store_uid created_in is_active
  allow_remote_shopping_assistance default_billing_uid default_shipping_uid
  confirmation_status is_subscribed store_credit { website_uid balance { value currency } }
  custom_attributes { code } addresses { city }
"""

ADMIN_CUSTOMER = f"""
query ($uid: ID!) {{ adminCustomer(uid: $uid) {{ {ADMIN_CUSTOMER_FIELDS} }} }}
"""

CREATE = """
mutation ($input: AdminCustomerCreateInput!) {
  adminCreateCustomer(input: $input) {
    customer {
      id email firstname lastname group_uid website_uid created_in confirmation_status
      is_subscribed is_active store_credit { website_uid balance { value currency } }
    }
    user_errors { code message path }
  }
}
"""

UPDATE = """
mutation ($uid: ID!, $input: AdminCustomerUpdateInput!) {
  adminUpdateCustomer(uid: $uid, input: $input) {
    customer {
      email firstname lastname group_uid date_of_birth gender taxvat is_active
      confirmation_status store_credit { website_uid balance { value currency } }
    }
    user_errors { code message path }
  }
}
"""

DELETE = """
mutation ($uid: ID!) {
  adminDeleteCustomer(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""

SAVE_CONFIG = """
mutation ($path: ConfigPathEnum!, $value: String) {
  adminSaveConfig(input: {path: $path, value: $value}) { user_errors { message } }
}
"""

CUSTOMER_EMAIL = "{ customer { email } }"
ADMIN_NOT_AUTHORIZED = "The current user isn't authorized: this operation needs an admin token."


async def save_config(client: Any, admin_token: str, path: str, value: str) -> None:
    response = await gql(client, SAVE_CONFIG, {"path": path, "value": value}, token=admin_token)
    assert response.data == {"adminSaveConfig": {"user_errors": []}}


async def emails(client: Any, admin_token: str, **variables: Any) -> list[str]:
    response = await gql(client, ADMIN_CUSTOMERS, variables, token=admin_token)
    assert response.errors == []
    return [c["email"] for c in response.data["adminCustomers"]["items"]]  # type: ignore[index]


async def customer_rows() -> list[tuple[int, str, str, str]]:
    return [
        (c.entity_id, c.email, c.firstname, c.lastname)
        for c in await CustomerEntity.all().order_by("entity_id")
    ]


async def balance_history() -> list[tuple[int, BalanceAction, Decimal, Decimal, str | None]]:
    return [
        (h.balance_id, h.action, h.balance_amount, h.balance_delta, h.additional_info)  # type: ignore[attr-defined]
        for h in await MagentoCustomerbalanceHistory.all().order_by("history_id")
    ]


async def three_customers() -> list[CustomerEntity]:
    return [
        await make_customer("ann@example.com", firstname="Ann", lastname="Lee"),
        await make_customer("bob@shop.test.com", firstname="Bob", lastname="Young", group_id=2),
        await make_customer("cy@example.com", firstname="Cy", lastname="Adams", group_id=3),
    ]


# --- adminCustomers ------------------------------------------------------------------------


async def test_admin_lists_customers_a_page_at_a_time(client: Any, admin_token: str) -> None:
    await three_customers()
    response = await gql(
        client, ADMIN_CUSTOMERS, {"pageSize": 2, "currentPage": 2}, token=admin_token
    )
    assert response.data == {
        "adminCustomers": {
            "items": [{"email": "cy@example.com"}],
            "page_info": {"current_page": 2, "page_size": 2, "total_pages": 2},
            "total_count": 3,
        }
    }


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"email": {"match": "BOB@shop.test.com"}}, ["bob@shop.test.com"]),
        ({"email": {"match": "example", "match_type": "FULL"}}, []),
        (
            {"email": {"match": "example", "match_type": "PARTIAL"}},
            ["ann@example.com", "cy@example.com"],
        ),
        ({"name": {"match": "young"}}, ["bob@shop.test.com"]),
        ({"name": {"match": "Cy Adams"}}, ["cy@example.com"]),
        ({"name": {"match": "a", "match_type": "PARTIAL"}}, ["ann@example.com", "cy@example.com"]),
        ({"group_uid": {"in": ["Mg==", "Mw=="]}}, ["bob@shop.test.com", "cy@example.com"]),
        (
            {"website_uid": {"eq": "MQ=="}},
            ["ann@example.com", "bob@shop.test.com", "cy@example.com"],
        ),
        ({"uid": {"eq": "Mg=="}}, ["bob@shop.test.com"]),
        (
            {"created_at": {"from": "2000-01-01"}},
            ["ann@example.com", "bob@shop.test.com", "cy@example.com"],
        ),
        ({"created_at": {"to": "2000-01-01T00:00:00+00:00"}}, []),
    ],
)
async def test_admin_filters_customers(
    client: Any, admin_token: str, filter_: dict[str, Any], expected: list[str]
) -> None:
    await three_customers()
    assert await emails(client, admin_token, filter=filter_) == expected


async def test_created_at_range_is_inclusive(client: Any, admin_token: str) -> None:
    customers = await three_customers()
    await CustomerEntity.filter(entity_id=customers[1].entity_id).update(
        created_at=datetime(2020, 5, 1, 12, tzinfo=UTC)
    )
    window = {"from": "2020-05-01T12:00:00Z", "to": "2020-05-01T12:00:00Z"}
    assert await emails(client, admin_token, filter={"created_at": window}) == ["bob@shop.test.com"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ({"email": "DESC"}, ["cy@example.com", "bob@shop.test.com", "ann@example.com"]),
        ({"lastname": "ASC"}, ["cy@example.com", "ann@example.com", "bob@shop.test.com"]),
        ({"created_at": "ASC"}, ["ann@example.com", "bob@shop.test.com", "cy@example.com"]),
    ],
)
async def test_admin_sorts_customers(
    client: Any, admin_token: str, sort: dict[str, str], expected: list[str]
) -> None:
    await three_customers()
    assert await emails(client, admin_token, sort=sort) == expected


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"filter": {"group_uid": {"eq": "%%"}}}, 'Value of uid "%%" is incorrect.'),
        (
            {"filter": {"created_at": {"from": "yesterday"}}},
            '"yesterday" is not an ISO 8601 date or datetime.',
        ),
        ({"pageSize": 0}, "pageSize value must be greater than 0."),
        (
            {"currentPage": 3},
            "currentPage value 3 specified is greater than the 1 page(s) available.",
        ),
    ],
)
async def test_bad_list_arguments_are_input_errors(
    client: Any, admin_token: str, variables: dict[str, Any], message: str
) -> None:
    await make_customer()
    response = await gql(client, ADMIN_CUSTOMERS, variables, token=admin_token)
    assert response.data is None
    assert response.messages == [message]
    assert response.categories == ["graphql-input"]


# --- adminCustomer -------------------------------------------------------------------------


async def test_admin_reads_a_customer_with_everything_an_spa_needs(
    client: Any, admin_token: str
) -> None:
    customer = await make_customer(prefix="Dr.", gender=1, taxvat="US1", group_id=2)
    address = await make_address(customer)
    customer.default_shipping = address.entity_id
    await customer.save()
    await NewsletterSubscriber.create(
        store_id=1,
        customer_id=customer.entity_id,
        subscriber_email=customer.email,
        subscriber_status=SubscriberStatus.SUBSCRIBED,
    )
    await MagentoCustomerbalance.create(
        customer_id=customer.entity_id, website_id=1, amount=Decimal("12.5")
    )
    response = await gql(client, ADMIN_CUSTOMER, {"uid": "MQ=="}, token=admin_token)
    assert response.errors == []
    assert response.data == {
        "adminCustomer": {
            "uid": "MQ==",
            "id": 1,
            "email": "ann@example.com",
            "prefix": "Dr.",
            "firstname": "Ann",
            "middlename": None,
            "lastname": "Lee",
            "suffix": None,
            "date_of_birth": None,
            "gender": 1,
            "taxvat": "US1",
            "group_uid": "Mg==",
            "group": {"code": "Wholesale"},
            "website_uid": "MQ==",
            "store_uid": "MQ==",
            "created_in": None,
            "is_active": True,
            "allow_remote_shopping_assistance": False,
            "default_billing_uid": None,
            "default_shipping_uid": "MQ==",
            "confirmation_status": "ACCOUNT_CONFIRMATION_NOT_REQUIRED",
            "is_subscribed": True,
            "store_credit": [
                {"website_uid": "MQ==", "balance": {"value": 12.5, "currency": "USD"}}
            ],
            "custom_attributes": [],
            "addresses": [{"city": "Austin"}],
        }
    }


async def test_a_page_of_customers_with_nested_values(client: Any, admin_token: str) -> None:
    customers = await three_customers()
    for customer in customers:
        await make_address(customer, city=f"City {customer.entity_id}")
    response = await gql(
        client,
        "{ adminCustomers { items { email group { code } is_subscribed store_credit "
        "{ website_uid } addresses { city } } } }",
        token=admin_token,
    )
    assert response.data == {
        "adminCustomers": {
            "items": [
                {
                    "email": c.email,
                    "group": {"code": code},
                    "is_subscribed": False,
                    "store_credit": [],
                    "addresses": [{"city": f"City {c.entity_id}"}],
                }
                for c, code in zip(customers, ["General", "Wholesale", "Retailer"], strict=True)
            ]
        }
    }


@pytest.mark.parametrize(
    ("uid", "message", "category"),
    [
        ("OTk=", "No such entity with customerId = 99", "graphql-no-such-entity"),
        ("not base64!", 'Value of uid "not base64!" is incorrect.', "graphql-input"),
    ],
)
async def test_unknown_or_malformed_customer_uid(
    client: Any, admin_token: str, uid: str, message: str, category: str
) -> None:
    response = await gql(client, ADMIN_CUSTOMER, {"uid": uid}, token=admin_token)
    assert response.data is None
    assert response.messages == [message]
    assert response.categories == [category]


# --- adminCreateCustomer -------------------------------------------------------------------


async def test_admin_creates_a_customer_with_group_and_store_credit(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "email": "New@Example.com",
                "firstname": "Nia",
                "lastname": "Ng",
                "group_uid": "Mw==",
                "password": "Secret-Pass9",
                "is_subscribed": True,
                "store_credit": [{"store_credit_balance": 25, "comment": "welcome"}],
            }
        },
        token=admin_token,
    )
    assert response.data == {
        "adminCreateCustomer": {
            "customer": {
                "id": 1,
                "email": "new@example.com",
                "firstname": "Nia",
                "lastname": "Ng",
                "group_uid": "Mw==",
                "website_uid": "MQ==",
                "created_in": "Default Store View",
                "confirmation_status": "ACCOUNT_CONFIRMATION_NOT_REQUIRED",
                "is_subscribed": True,
                "is_active": True,
                "store_credit": [
                    {"website_uid": "MQ==", "balance": {"value": 25.0, "currency": "USD"}}
                ],
            },
            "user_errors": [],
        }
    }
    assert await balance_history() == [
        (1, BalanceAction.CREATED, Decimal("25"), Decimal("25"), "welcome")
    ]


async def test_admin_created_account_can_skip_confirmation(client: Any, admin_token: str) -> None:
    await save_config(client, admin_token, "CONFIRM_ACCOUNT", "1")
    for email, confirmed, status in (
        ("a@example.com", None, "ACCOUNT_CONFIRMATION_REQUIRED"),
        ("b@example.com", True, "ACCOUNT_CONFIRMED"),
    ):
        response = await gql(
            client,
            CREATE,
            {
                "input": {
                    "email": email,
                    "firstname": "A",
                    "lastname": "B",
                    "password": "Secret-Pass9",
                    "confirmed": confirmed,
                }
            },
            token=admin_token,
        )
        assert response.data["adminCreateCustomer"]["customer"]["confirmation_status"] == status  # type: ignore[index]


async def test_create_reports_every_problem_and_writes_nothing(
    client: Any, admin_token: str
) -> None:
    await make_customer("taken@example.com")
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "email": "taken@example.com",
                "firstname": " ",
                "lastname": "L" * 256,
                "gender": 9,
                "date_of_birth": "1990-02-30",
                "password": "weakpass",
                "group_uid": "OQ==",
                "store_credit": [
                    {"store_credit_balance": -5},
                    {"store_credit_delta": 1, "store_credit_balance": 2},
                ],
            }
        },
        token=admin_token,
    )
    assert response.data == {
        "adminCreateCustomer": {
            "customer": None,
            "user_errors": [
                {
                    "code": "REQUIRED",
                    "message": "Required parameters are missing: First Name",
                    "path": "input.firstname",
                },
                {
                    "code": "TOO_LONG",
                    "message": '"Last Name" length must be equal or less than 255 characters.',
                    "path": "input.lastname",
                },
                {
                    "code": "ALREADY_EXISTS",
                    "message": "A customer with the same email address already exists in an "
                    "associated website.",
                    "path": "input.email",
                },
                {
                    "code": "INVALID",
                    "message": '"Date of Birth" does not fit the entered date format.',
                    "path": "input.date_of_birth",
                },
                {
                    "code": "INVALID",
                    "message": '"Gender" is not a valid value.',
                    "path": "input.gender",
                },
                {
                    "code": "INVALID",
                    "message": "Minimum of different classes of characters in password is 3. "
                    "Classes of characters: Lower Case, Upper Case, Digits, Special Characters.",
                    "path": "input.password",
                },
                {
                    "code": "NOT_FOUND",
                    "message": "No such entity with groupId = 9",
                    "path": "input.group_uid",
                },
                {
                    "code": "INVALID",
                    "message": "The store credit balance cannot be negative (it is 0.00).",
                    "path": "input.store_credit.0.store_credit_balance",
                },
                {
                    "code": "INVALID",
                    "message": "Send either store_credit_delta or store_credit_balance.",
                    "path": "input.store_credit.1",
                },
            ],
        }
    }
    assert await customer_rows() == [(1, "taken@example.com", "Ann", "Lee")]
    assert await MagentoCustomerbalance.all().count() == 0


async def test_create_reports_every_malformed_uid(client: Any, admin_token: str) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "email": "n@example.com",
                "firstname": "N",
                "lastname": "N",
                "group_uid": "%%",
                "website_uid": "x",
                "store_credit": [{"website_uid": "??", "store_credit_delta": 1}],
            }
        },
        token=admin_token,
    )
    assert response.data["adminCreateCustomer"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID_UID",
            "message": 'Value of uid "%%" is incorrect.',
            "path": "input.group_uid",
        },
        {
            "code": "INVALID_UID",
            "message": 'Value of uid "x" is incorrect.',
            "path": "input.website_uid",
        },
        {
            "code": "INVALID_UID",
            "message": 'Value of uid "??" is incorrect.',
            "path": "input.store_credit.0.website_uid",
        },
    ]
    assert await customer_rows() == []


async def test_create_in_an_unknown_website(client: Any, admin_token: str) -> None:
    for uid, website_id in (("Nw==", 7), ("MA==", 0)):
        response = await gql(
            client,
            CREATE,
            {
                "input": {
                    "email": "n@example.com",
                    "firstname": "N",
                    "lastname": "N",
                    "website_uid": uid,
                }
            },
            token=admin_token,
        )
        assert response.data["adminCreateCustomer"]["user_errors"] == [  # type: ignore[index]
            {
                "code": "NOT_FOUND",
                "message": f'Could not find a website with ID "{website_id}"',
                "path": "input.website_uid",
            }
        ]
    assert await customer_rows() == []


async def test_not_logged_in_group_cannot_be_assigned(client: Any, admin_token: str) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "email": "n@example.com",
                "firstname": "N",
                "lastname": "N",
                "group_uid": "MA==",
            }
        },
        token=admin_token,
    )
    assert response.data["adminCreateCustomer"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID",
            "message": 'The "NOT LOGGED IN" group cannot be assigned to a customer.',
            "path": "input.group_uid",
        }
    ]


# --- adminUpdateCustomer -------------------------------------------------------------------


async def test_admin_updates_a_customer(client: Any, admin_token: str) -> None:
    await make_customer(taxvat="OLD", middlename="M")
    response = await gql(
        client,
        UPDATE,
        {
            "uid": "MQ==",
            "input": {
                "email": "Ann.Lee@Example.com",
                "lastname": "Lee-Park",
                "group_uid": "Mg==",
                "date_of_birth": "1991-07-04",
                "gender": 2,
                "taxvat": "",
            },
        },
        token=admin_token,
    )
    assert response.data == {
        "adminUpdateCustomer": {
            "customer": {
                "email": "ann.lee@example.com",
                "firstname": "Ann",
                "lastname": "Lee-Park",
                "group_uid": "Mg==",
                "date_of_birth": "1991-07-04",
                "gender": 2,
                "taxvat": None,
                "is_active": True,
                "confirmation_status": "ACCOUNT_CONFIRMATION_NOT_REQUIRED",
                "store_credit": [],
            },
            "user_errors": [],
        }
    }
    assert (await CustomerEntity.get(entity_id=1)).middlename == "M"


async def test_store_credit_deltas_and_balances_are_logged(client: Any, admin_token: str) -> None:
    await make_customer()

    async def change(credit: dict[str, Any]) -> Any:
        response = await gql(
            client, UPDATE, {"uid": "MQ==", "input": {"store_credit": [credit]}}, token=admin_token
        )
        return response.data["adminUpdateCustomer"]  # type: ignore[index]

    result = await change({"store_credit_delta": 10.25, "comment": "refund"})
    assert result["customer"]["store_credit"] == [
        {"website_uid": "MQ==", "balance": {"value": 10.25, "currency": "USD"}}
    ]
    result = await change({"website_uid": "MQ==", "store_credit_delta": -0.25})
    assert result["customer"]["store_credit"][0]["balance"]["value"] == 10.0
    result = await change({"store_credit_balance": 4})
    assert result["customer"]["store_credit"][0]["balance"]["value"] == 4.0
    await change({"store_credit_balance": 4})
    result = await change({"store_credit_delta": -4.01})
    assert result == {
        "customer": None,
        "user_errors": [
            {
                "code": "INVALID",
                "message": "The store credit balance cannot be negative (it is 4.00).",
                "path": "input.store_credit.0.store_credit_delta",
            }
        ],
    }
    assert await balance_history() == [
        (1, BalanceAction.CREATED, Decimal("10.25"), Decimal("10.25"), "refund"),
        (1, BalanceAction.UPDATED, Decimal("10"), Decimal("-0.25"), None),
        (1, BalanceAction.UPDATED, Decimal("4"), Decimal("-6"), None),
    ]


async def test_store_credit_only_in_the_customers_website(client: Any, admin_token: str) -> None:
    response = await gql(
        client,
        'mutation { adminCreateWebsite(input: {code: "second", name: "Second", '
        'store_code: "second_en"}) { user_errors { message } } }',
        token=admin_token,
    )
    assert response.errors == []
    await make_customer()
    response = await gql(
        client,
        UPDATE,
        {
            "uid": "MQ==",
            "input": {"store_credit": [{"website_uid": "Mg==", "store_credit_delta": 5}]},
        },
        token=admin_token,
    )
    assert response.data["adminUpdateCustomer"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID",
            "message": "Store credit can only be given in the customer's own website.",
            "path": "input.store_credit.0.website_uid",
        }
    ]
    assert await MagentoCustomerbalance.all().count() == 0


async def test_new_password_and_deactivation_revoke_tokens(client: Any, admin_token: str) -> None:
    customer = await make_customer()
    for change in ({"password": "Brand-New-Pass1"}, {"is_active": False}):
        token = await token_for(customer)
        response = await gql(client, UPDATE, {"uid": "MQ==", "input": change}, token=admin_token)
        assert response.data["adminUpdateCustomer"]["user_errors"] == []  # type: ignore[index]
        assert (await gql(client, CUSTOMER_EMAIL, token=token)).status == 401


async def test_confirmation_can_be_cleared_and_required_again(
    client: Any, admin_token: str
) -> None:
    await save_config(client, admin_token, "CONFIRM_ACCOUNT", "1")
    await make_customer(confirmation="pending-key")
    for confirmed, status in (
        (True, "ACCOUNT_CONFIRMED"),
        (False, "ACCOUNT_CONFIRMATION_REQUIRED"),
    ):
        response = await gql(
            client, UPDATE, {"uid": "MQ==", "input": {"confirmed": confirmed}}, token=admin_token
        )
        assert response.data["adminUpdateCustomer"]["customer"]["confirmation_status"] == status  # type: ignore[index]


async def test_update_refuses_bad_input_and_changes_nothing(client: Any, admin_token: str) -> None:
    await make_customer()
    await make_customer("bob@example.com")
    response = await gql(
        client,
        UPDATE,
        {
            "uid": "MQ==",
            "input": {"email": "BOB@example.com", "firstname": "A" * 300, "password": "Ab1"},
        },
        token=admin_token,
    )
    assert response.data == {
        "adminUpdateCustomer": {
            "customer": None,
            "user_errors": [
                {
                    "code": "TOO_LONG",
                    "message": '"First Name" length must be equal or less than 255 characters.',
                    "path": "input.firstname",
                },
                {
                    "code": "ALREADY_EXISTS",
                    "message": "A customer with the same email address already exists in an "
                    "associated website.",
                    "path": "input.email",
                },
                {
                    "code": "INVALID",
                    "message": "The password needs at least 8 characters. "
                    "Create a new password and try again.",
                    "path": "input.password",
                },
            ],
        }
    }
    assert await customer_rows() == [
        (1, "ann@example.com", "Ann", "Lee"),
        (2, "bob@example.com", "Ann", "Lee"),
    ]


@pytest.mark.parametrize(
    ("uid", "error"),
    [
        (
            "OTk=",
            {"code": "NOT_FOUND", "message": "No such entity with customerId = 99", "path": "uid"},
        ),
        (
            "%%",
            {"code": "INVALID_UID", "message": 'Value of uid "%%" is incorrect.', "path": "uid"},
        ),
    ],
)
async def test_update_or_delete_of_unknown_or_malformed_uid(
    client: Any, admin_token: str, uid: str, error: dict[str, str]
) -> None:
    response = await gql(
        client, UPDATE, {"uid": uid, "input": {"firstname": "X"}}, token=admin_token
    )
    assert response.data == {"adminUpdateCustomer": {"customer": None, "user_errors": [error]}}
    response = await gql(client, DELETE, {"uid": uid}, token=admin_token)
    assert response.data == {"adminDeleteCustomer": {"deleted_uid": None, "user_errors": [error]}}


# --- adminDeleteCustomer -------------------------------------------------------------------


async def test_admin_deletes_a_customer_with_everything_it_owns(
    client: Any, admin_token: str
) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com")
    await make_address(ann)
    await MagentoCustomerbalance.create(customer_id=ann.entity_id, website_id=1, amount=5)
    token = await token_for(ann)
    response = await gql(client, DELETE, {"uid": "MQ=="}, token=admin_token)
    assert response.data == {"adminDeleteCustomer": {"deleted_uid": "MQ==", "user_errors": []}}
    assert await customer_rows() == [(bob.entity_id, "bob@example.com", "Ann", "Lee")]
    assert await MagentoCustomerbalance.all().count() == 0
    assert await OauthToken.filter(customer_id=ann.entity_id).count() == 0
    assert (await gql(client, CUSTOMER_EMAIL, token=token)).status == 401


# --- authorization -------------------------------------------------------------------------

ADMIN_OPERATIONS = [
    (ADMIN_CUSTOMERS, {}),
    (ADMIN_CUSTOMER, {"uid": "MQ=="}),
    (CREATE, {"input": {"email": "m@example.com", "firstname": "M", "lastname": "M"}}),
    (UPDATE, {"uid": "MQ==", "input": {"firstname": "Mallory"}}),
    (DELETE, {"uid": "MQ=="}),
]


@pytest.mark.parametrize(("document", "variables"), ADMIN_OPERATIONS)
async def test_admin_operations_need_an_admin_token(
    client: Any, db: Any, document: str, variables: dict[str, Any]
) -> None:
    ann = await make_customer()
    bob = await make_customer("bob@example.com")
    for token in (None, await token_for(ann), await token_for(bob)):
        response = await gql(client, document, variables, token=token)
        assert response.status == 401
        assert response.data is None
        assert response.messages == [ADMIN_NOT_AUTHORIZED]
        assert response.categories == ["graphql-authorization"]
    assert await customer_rows() == [
        (1, "ann@example.com", "Ann", "Lee"),
        (2, "bob@example.com", "Ann", "Lee"),
    ]


CREATE_DATED = """
mutation ($input: AdminCustomerCreateInput!) {
  adminCreateCustomer(input: $input) {
    customer { email created_at created_in store_uid website_uid }
    user_errors { code message path }
  }
}
"""


async def test_integrators_create_customers_with_their_creation_date_and_store(
    client: Any, admin_token: str
) -> None:
    created = await gql(
        client,
        CREATE_DATED,
        {
            "input": {
                "email": "old@example.com",
                "firstname": "Old",
                "lastname": "Timer",
                "created_at": "2014-05-06 07:08:09",
                "store_uid": "MQ==",
            }
        },
        token=admin_token,
    )
    assert created.errors == []
    assert created.data == {
        "adminCreateCustomer": {
            "customer": {
                "email": "old@example.com",
                "created_at": "2014-05-06T07:08:09+00:00",
                "created_in": "Default Store View",
                "store_uid": "MQ==",
                "website_uid": "MQ==",
            },
            "user_errors": [],
        }
    }

    refused = await gql(
        client,
        CREATE_DATED,
        {
            "input": {
                "email": "new@example.com",
                "firstname": "New",
                "lastname": "Comer",
                "created_at": "2999-01-01",
                "store_uid": "Mg==",
            }
        },
        token=admin_token,
    )
    assert refused.data == {
        "adminCreateCustomer": {
            "customer": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": 'Could not find a store with ID "2"',
                    "path": "input.store_uid",
                }
            ],
        }
    }
    future = await gql(
        client,
        CREATE_DATED,
        {
            "input": {
                "email": "new@example.com",
                "firstname": "New",
                "lastname": "Comer",
                "created_at": "2999-01-01",
            }
        },
        token=admin_token,
    )
    assert future.data["adminCreateCustomer"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID",
            "message": "The account creation date can't be in the future.",
            "path": "input.created_at",
        }
    ]
    assert await CustomerEntity.filter(email="new@example.com").count() == 0
