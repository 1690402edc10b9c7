"""The watcher behind "every mutation is one transaction" (tests/transactions.py) sees what it
must, and the mutations it caught keep to one transaction."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from models import CustomerEntity, OauthToken
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.transactions import _CURRENT, Journal, install

SIGN_IN = """
mutation ($email: String!, $password: String!) {
  generateCustomerToken(email: $email, password: $password) { token }
}
"""


async def test_the_journal_counts_commits_and_writes_outside(db: Any) -> None:
    customer = await make_customer("watch@example.com")
    install()
    journal = Journal()
    token = _CURRENT.set(journal)
    try:
        async with in_transaction():
            await CustomerEntity.filter(entity_id=customer.entity_id).update(firstname="A")
            async with in_transaction():  # a savepoint, not a commit
                await CustomerEntity.filter(entity_id=customer.entity_id).update(firstname="B")
        assert (journal.commits, journal.outside) == (1, [])
        await CustomerEntity.filter(entity_id=customer.entity_id).update(firstname="C")
        await CustomerEntity.filter(entity_id=customer.entity_id).first()  # a read is fine
        async with in_transaction():
            await CustomerEntity.filter(entity_id=customer.entity_id).update(firstname="D")
    finally:
        _CURRENT.reset(token)
    assert journal.commits == 2
    assert len(journal.outside) == 1
    assert journal.outside[0].lstrip().upper().startswith("UPDATE")
    assert journal.problems()[0] == "2 commits for 1 mutation field(s)"
    # Two root mutation fields in one operation are two transactions, as Magento.
    assert journal.problems(root_fields=2) == [
        f"write outside a transaction: {journal.outside[0][:160]}"
    ]


async def test_sign_in_after_failures_is_one_transaction(client: Any) -> None:
    """It reset the failure counter in one commit and issued the token in a second."""
    customer = await make_customer("locked@example.com", password="Secret123!")
    await CustomerEntity.filter(entity_id=customer.entity_id).update(failures_num=2)
    response = await gql(
        client, SIGN_IN, {"email": "locked@example.com", "password": "Secret123!"}
    )  # gql fails the test on a second commit
    assert response.errors == []
    assert (
        await CustomerEntity.get(entity_id=customer.entity_id).values_list(
            "failures_num", flat=True
        )
        == 0
    )
    assert await OauthToken.filter(customer_id=customer.entity_id).count() == 1


async def test_revoking_a_token_is_one_transaction(client: Any) -> None:
    customer = await make_customer("revoke@example.com")
    token = await token_for(customer)
    response = await gql(client, "mutation { revokeCustomerToken { result } }", token=token)
    assert response.data == {"revokeCustomerToken": {"result": True}}
    assert await OauthToken.filter(customer_id=customer.entity_id, revoked=True).count() == 1
