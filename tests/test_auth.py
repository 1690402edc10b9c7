"""Customer sign-in and tokens, admin integration tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from engine import auth
from engine.errors import NoSuchEntity
from models import CustomerEntity, OauthToken
from tests.factories import PASSWORD, make_customer, token_for
from tests.graphql import gql

SIGN_IN = """
mutation ($email: String!, $password: String!) {
  generateCustomerToken(email: $email, password: $password) { token }
}
"""
REVOKE = "mutation { revokeCustomerToken { result } }"
WHO = "{ customerGroup { uid } }"
SIGN_IN_FAILED = (
    "The account sign-in was incorrect or your account is disabled temporarily. "
    "Please wait and try again later."
)


async def test_customer_signs_in_and_token_works(client: Any, db: Any) -> None:
    await make_customer("ann@example.com", group_id=3)
    response = await gql(client, SIGN_IN, {"email": "Ann@Example.com ", "password": PASSWORD})
    token = response.data["generateCustomerToken"]["token"]  # type: ignore[index]
    assert len(token) >= 32
    who = await gql(client, WHO, token=token)
    assert who.data == {"customerGroup": {"uid": "Mw=="}}
    stored = await OauthToken.get(customer_id=(await CustomerEntity.get()).entity_id)
    assert stored.token_hash != token
    assert len(stored.token_hash) == 64


async def test_wrong_password_and_unknown_email_look_the_same(client: Any, db: Any) -> None:
    await make_customer("ann@example.com")
    for email, password in (("ann@example.com", "Wrong-Pass1"), ("bob@example.com", PASSWORD)):
        response = await gql(client, SIGN_IN, {"email": email, "password": password})
        assert response.status == 401
        assert response.data == {"generateCustomerToken": None}
        assert response.messages == [SIGN_IN_FAILED]
        assert response.categories == ["graphql-authentication"]
    assert await OauthToken.all().count() == 0


async def test_missing_credentials_are_input_errors(client: Any, db: Any) -> None:
    response = await gql(client, SIGN_IN, {"email": " ", "password": PASSWORD})
    assert response.messages == ['Specify the "email" value.']
    assert response.categories == ["graphql-input"]
    response = await gql(client, SIGN_IN, {"email": "ann@example.com", "password": ""})
    assert response.messages == ['Specify the "password" value.']


async def test_account_locks_after_ten_failures(client: Any, db: Any) -> None:
    customer = await make_customer("ann@example.com")
    for _ in range(10):
        await gql(client, SIGN_IN, {"email": "ann@example.com", "password": "Wrong-Pass1"})
    await customer.refresh_from_db()
    assert customer.failures_num == 10
    assert customer.lock_expires is not None
    response = await gql(client, SIGN_IN, {"email": "ann@example.com", "password": PASSWORD})
    assert response.messages == [SIGN_IN_FAILED]


async def test_successful_sign_in_resets_failures(client: Any, db: Any) -> None:
    customer = await make_customer("ann@example.com")
    await gql(client, SIGN_IN, {"email": "ann@example.com", "password": "Wrong-Pass1"})
    await gql(client, SIGN_IN, {"email": "ann@example.com", "password": PASSWORD})
    await customer.refresh_from_db()
    assert (customer.failures_num, customer.first_failure, customer.lock_expires) == (0, None, None)


async def test_unconfirmed_account_cannot_sign_in(client: Any, db: Any) -> None:
    await make_customer("ann@example.com", confirmation="pending-key")
    response = await gql(client, SIGN_IN, {"email": "ann@example.com", "password": PASSWORD})
    assert response.messages == ["This account isn't confirmed. Verify and try again."]
    assert response.categories == ["graphql-authentication"]


async def test_accounts_are_per_website(client: Any, admin_token: str) -> None:
    created = await gql(
        client,
        """mutation { adminCreateWebsite(input: {code: "wholesale", name: "Wholesale",
           store_code: "wholesale"}) { website { id } user_errors { code } } }""",
        token=admin_token,
    )
    website_id = created.data["adminCreateWebsite"]["website"]["id"]  # type: ignore[index]
    await make_customer("ann@example.com", website_id=website_id, store_id=None)
    credentials = {"email": "ann@example.com", "password": PASSWORD}
    assert (await gql(client, SIGN_IN, credentials)).messages == [SIGN_IN_FAILED]
    there = await gql(client, SIGN_IN, credentials, store="wholesale")
    assert there.errors == []


async def test_revoked_token_stops_working(client: Any, db: Any) -> None:
    token = await token_for(await make_customer())
    response = await gql(client, REVOKE, token=token)
    assert response.data == {"revokeCustomerToken": {"result": True}}
    again = await gql(client, WHO, token=token)
    assert again.status == 401
    assert again.categories == ["graphql-authentication"]


async def test_expired_token_is_refused(client: Any, db: Any) -> None:
    token = await token_for(await make_customer(), lifetime=timedelta(seconds=-1))
    response = await gql(client, WHO, token=token)
    assert response.categories == ["graphql-authentication"]
    assert response.messages == [auth.INVALID_TOKEN]


async def test_guests_and_admins_cannot_revoke_customer_tokens(
    client: Any, admin_token: str
) -> None:
    for token in (None, admin_token):
        response = await gql(client, REVOKE, token=token)
        assert response.messages == ["The current customer isn't authorized."]
        assert response.categories == ["graphql-authorization"]


async def test_integration_tokens_are_stored_hashed_and_revocable(db: Any) -> None:
    token = await auth.create_integration_token("erp")
    viewer = await auth.authenticate(token)
    assert viewer.kind is auth.ViewerKind.ADMIN
    assert not await OauthToken.filter(token_hash=token).exists()
    assert [(i.name, i.active_tokens) for i in await auth.list_integrations()] == [("erp", 1)]
    assert await auth.revoke_integration("erp") == 1
    assert [(i.name, i.active_tokens) for i in await auth.list_integrations()] == [("erp", 0)]
    with pytest.raises(NoSuchEntity, match='Could not find an integration named "nope"'):
        await auth.revoke_integration("nope")
