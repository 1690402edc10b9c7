"""Customer groups: storefront `customerGroup` and admin CRUD, through HTTP."""

from __future__ import annotations

from typing import Any

from tests.factories import make_customer, token_for
from tests.graphql import gql

CUSTOMER_GROUP = "{ customerGroup { uid } }"

ADMIN_GROUPS = """
query ($filter: CustomerGroupFilterInput, $pageSize: Int, $currentPage: Int) {
  adminCustomerGroups(filter: $filter, pageSize: $pageSize, currentPage: $currentPage) {
    items { uid id code tax_class_id excluded_website_uids is_protected }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""

CREATE_GROUP = """
mutation ($input: CustomerGroupCreateInput!) {
  adminCreateCustomerGroup(input: $input) {
    customer_group { id code tax_class_id excluded_website_uids is_protected }
    user_errors { code message path }
  }
}
"""

UPDATE_GROUP = """
mutation ($uid: ID!, $input: CustomerGroupUpdateInput!) {
  adminUpdateCustomerGroup(uid: $uid, input: $input) {
    customer_group { id code tax_class_id excluded_website_uids }
    user_errors { code message path }
  }
}
"""

DELETE_GROUP = """
mutation ($uid: ID!) {
  adminDeleteCustomerGroup(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""


async def group_codes(client: Any, admin_token: str) -> list[str]:
    response = await gql(client, ADMIN_GROUPS, token=admin_token)
    return [g["code"] for g in response.data["adminCustomerGroups"]["items"]]  # type: ignore[index]


async def test_guest_is_in_not_logged_in_group(client: Any) -> None:
    response = await gql(client, CUSTOMER_GROUP)
    assert response.data == {"customerGroup": {"uid": "MA=="}}


async def test_customer_sees_own_group_uid(client: Any, db: Any) -> None:
    customer = await make_customer(group_id=2)
    response = await gql(client, CUSTOMER_GROUP, token=await token_for(customer))
    assert response.data == {"customerGroup": {"uid": "Mg=="}}


async def test_customer_group_hidden_when_sharing_disabled(client: Any, admin_token: str) -> None:
    await gql(
        client,
        'mutation { adminSaveConfig(input: {path: SHARE_CUSTOMER_GROUP, value: "0"}) '
        "{ user_errors { code } } }",
        token=admin_token,
    )
    response = await gql(client, CUSTOMER_GROUP)
    assert response.data is None
    assert response.messages == [
        "Sharing customer group information is disabled or not configured."
    ]
    assert response.categories == ["graphql-input"]


async def test_bad_token_is_an_authentication_error(client: Any) -> None:
    response = await gql(client, CUSTOMER_GROUP, token="not-a-token")
    assert response.status == 401
    assert response.categories == ["graphql-authentication"]


async def test_admin_lists_magento_default_groups(client: Any, admin_token: str) -> None:
    response = await gql(client, ADMIN_GROUPS, {"pageSize": 3}, token=admin_token)
    assert response.data == {
        "adminCustomerGroups": {
            "items": [
                {
                    "uid": "MA==",
                    "id": 0,
                    "code": "NOT LOGGED IN",
                    "tax_class_id": 3,
                    "excluded_website_uids": [],
                    "is_protected": True,
                },
                {
                    "uid": "MQ==",
                    "id": 1,
                    "code": "General",
                    "tax_class_id": 3,
                    "excluded_website_uids": [],
                    "is_protected": True,
                },
                {
                    "uid": "Mg==",
                    "id": 2,
                    "code": "Wholesale",
                    "tax_class_id": 3,
                    "excluded_website_uids": [],
                    "is_protected": False,
                },
            ],
            "page_info": {"current_page": 1, "page_size": 3, "total_pages": 2},
            "total_count": 4,
        }
    }


async def test_admin_filters_groups_by_code(client: Any, admin_token: str) -> None:
    response = await gql(
        client, ADMIN_GROUPS, {"filter": {"code": {"match": "sale"}}}, token=admin_token
    )
    assert [g["code"] for g in response.data["adminCustomerGroups"]["items"]] == ["Wholesale"]  # type: ignore[index]


async def test_admin_creates_group_with_excluded_website(client: Any, admin_token: str) -> None:
    response = await gql(
        client,
        CREATE_GROUP,
        {"input": {"code": "VIP", "excluded_website_uids": ["MQ=="]}},
        token=admin_token,
    )
    assert response.data == {
        "adminCreateCustomerGroup": {
            "customer_group": {
                "id": 4,
                "code": "VIP",
                "tax_class_id": 3,
                "excluded_website_uids": ["MQ=="],
                "is_protected": False,
            },
            "user_errors": [],
        }
    }


async def test_create_group_reports_every_problem_and_writes_nothing(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client,
        CREATE_GROUP,
        {"input": {"code": "X" * 33, "tax_class_id": 2, "excluded_website_uids": ["Nw==", "%%"]}},
        token=admin_token,
    )
    assert response.data == {
        "adminCreateCustomerGroup": {
            "customer_group": None,
            "user_errors": [
                {
                    "code": "INVALID_UID",
                    "message": 'Value of uid "%%" is incorrect.',
                    "path": "input.excluded_website_uids.1",
                },
            ],
        }
    }
    response = await gql(
        client,
        CREATE_GROUP,
        {"input": {"code": "X" * 33, "tax_class_id": 2, "excluded_website_uids": ["Nw=="]}},
        token=admin_token,
    )
    assert response.data["adminCreateCustomerGroup"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "TOO_LONG",
            "message": "Code is more than 32 characters. Enter a shorter code.",
            "path": "input.code",
        },
        {
            "code": "NOT_FOUND",
            "message": 'Invalid value of "2" provided for the taxClassId field.',
            "path": "input.tax_class_id",
        },
        {
            "code": "NOT_FOUND",
            "message": 'Could not find a website with ID "7"',
            "path": "input.excluded_website_uids.0",
        },
    ]
    assert await group_codes(client, admin_token) == [
        "NOT LOGGED IN",
        "General",
        "Wholesale",
        "Retailer",
    ]


async def test_duplicate_group_code_is_refused(client: Any, admin_token: str) -> None:
    response = await gql(client, CREATE_GROUP, {"input": {"code": "Retailer"}}, token=admin_token)
    assert response.data["adminCreateCustomerGroup"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "ALREADY_EXISTS",
            "message": "Customer Group already exists.",
            "path": "input.code",
        }
    ]


async def test_admin_updates_group(client: Any, admin_token: str) -> None:
    response = await gql(
        client, UPDATE_GROUP, {"uid": "Mw==", "input": {"code": "Retail"}}, token=admin_token
    )
    assert response.data == {
        "adminUpdateCustomerGroup": {
            "customer_group": {
                "id": 3,
                "code": "Retail",
                "tax_class_id": 3,
                "excluded_website_uids": [],
            },
            "user_errors": [],
        }
    }


async def test_deleting_group_moves_its_customers_to_default_group(
    client: Any, admin_token: str
) -> None:
    customer = await make_customer(group_id=3)
    response = await gql(client, DELETE_GROUP, {"uid": "Mw=="}, token=admin_token)
    assert response.data == {"adminDeleteCustomerGroup": {"deleted_uid": "Mw==", "user_errors": []}}
    await customer.refresh_from_db()
    assert customer.group_id == 1  # type: ignore[attr-defined]
    assert await group_codes(client, admin_token) == ["NOT LOGGED IN", "General", "Wholesale"]


async def test_protected_groups_cannot_be_deleted(client: Any, admin_token: str) -> None:
    for uid, group_id in (("MA==", 0), ("MQ==", 1)):
        response = await gql(client, DELETE_GROUP, {"uid": uid}, token=admin_token)
        assert response.data == {
            "adminDeleteCustomerGroup": {
                "deleted_uid": None,
                "user_errors": [
                    {
                        "code": "PROTECTED",
                        "message": f"Cannot delete group {group_id}: the NOT LOGGED IN group "
                        "and the default group for new accounts are read-only.",
                        "path": "uid",
                    }
                ],
            }
        }
    assert len(await group_codes(client, admin_token)) == 4


async def test_admin_operations_need_an_admin_token(client: Any, db: Any) -> None:
    customer_token = await token_for(await make_customer())
    for token in (None, customer_token):
        response = await gql(client, ADMIN_GROUPS, token=token)
        assert response.status == 401
        assert response.categories == ["graphql-authorization"]
        assert response.data is None
