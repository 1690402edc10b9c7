"""Newsletter subscriptions through HTTP: `subscribeEmailToNewsletter`, and `is_subscribed` on
account creation and update, with Magento's statuses and messages."""

from __future__ import annotations

from typing import Any

import pytest

from models import NewsletterSubscriber, SubscriberStatus
from tests.factories import make_customer, token_for
from tests.graphql import gql

SUBSCRIBE = """
mutation ($email: String!) { subscribeEmailToNewsletter(email: $email) { status } }
"""

IS_SUBSCRIBED = "{ customer { is_subscribed } }"

UPDATE_SUBSCRIPTION = """
mutation ($subscribed: Boolean!) {
  updateCustomerV2(input: {is_subscribed: $subscribed}) { customer { is_subscribed } }
}
"""

CREATE = """
mutation ($input: CustomerCreateInput!) {
  createCustomerV2(input: $input) { customer { is_subscribed } }
}
"""

SAVE_CONFIG = """
mutation ($path: ConfigPathEnum!, $value: String) {
  adminSaveConfig(input: {path: $path, value: $value}) { user_errors { message } }
}
"""


async def save_config(client: Any, admin_token: str, path: str, value: str) -> None:
    response = await gql(client, SAVE_CONFIG, {"path": path, "value": value}, token=admin_token)
    assert response.data == {"adminSaveConfig": {"user_errors": []}}


async def subscribers() -> list[tuple[str, int | None, int, SubscriberStatus]]:
    return [
        (s.subscriber_email, s.customer_id, s.store_id, s.subscriber_status)  # type: ignore[attr-defined]
        for s in await NewsletterSubscriber.all().order_by("subscriber_id")
    ]


async def test_guest_subscribes_an_email(client: Any, db: Any) -> None:
    response = await gql(client, SUBSCRIBE, {"email": " Guest@Example.com "})
    assert response.data == {"subscribeEmailToNewsletter": {"status": "SUBSCRIBED"}}
    assert await subscribers() == [("guest@example.com", None, 1, SubscriberStatus.SUBSCRIBED)]


async def test_subscription_needing_confirmation_is_not_active(
    client: Any, db: Any, admin_token: str
) -> None:
    """As Magento's SubscriptionManager: NOT_ACTIVE until the e-mail link is followed."""
    await save_config(client, admin_token, "NEWSLETTER_CONFIRM", "1")
    response = await gql(client, SUBSCRIBE, {"email": "guest@example.com"})
    assert response.data == {"subscribeEmailToNewsletter": {"status": "NOT_ACTIVE"}}
    response = await gql(client, SUBSCRIBE, {"email": "guest@example.com"})
    assert response.data == {"subscribeEmailToNewsletter": {"status": "NOT_ACTIVE"}}
    assert await subscribers() == [("guest@example.com", None, 1, SubscriberStatus.NOT_ACTIVE)]


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("  ", "You must specify an email address to subscribe to a newsletter."),
        ("guest@", "Enter a valid email address."),
        ("a" * 300 + "@example.com", "Enter a valid email address."),
    ],
)
async def test_bad_addresses_are_refused(client: Any, db: Any, email: str, message: str) -> None:
    response = await gql(client, SUBSCRIBE, {"email": email})
    assert response.data == {"subscribeEmailToNewsletter": None}
    assert response.messages == [message]
    assert response.categories == ["graphql-input"]
    assert await subscribers() == []


async def test_subscribed_address_cannot_subscribe_again(client: Any, db: Any) -> None:
    await gql(client, SUBSCRIBE, {"email": "guest@example.com"})
    response = await gql(client, SUBSCRIBE, {"email": "GUEST@example.com"})
    assert response.messages == ["This email address is already subscribed."]
    assert len(await subscribers()) == 1


async def test_guests_may_be_barred(client: Any, db: Any, admin_token: str) -> None:
    await save_config(client, admin_token, "NEWSLETTER_GUEST_SUBSCRIBE", "0")
    response = await gql(client, SUBSCRIBE, {"email": "guest@example.com"})
    assert response.messages == [
        "Guests can not subscribe to the newsletter. You must create an account to subscribe."
    ]
    customer = await make_customer()
    response = await gql(
        client, SUBSCRIBE, {"email": "ann@example.com"}, token=await token_for(customer)
    )
    assert response.data == {"subscribeEmailToNewsletter": {"status": "SUBSCRIBED"}}


async def test_customer_subscribes_own_email(client: Any, db: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    response = await gql(client, SUBSCRIBE, {"email": "ann@example.com"}, token=token)
    assert response.data == {"subscribeEmailToNewsletter": {"status": "SUBSCRIBED"}}
    assert await subscribers() == [
        ("ann@example.com", customer.entity_id, 1, SubscriberStatus.SUBSCRIBED)
    ]
    assert (await gql(client, IS_SUBSCRIBED, token=token)).data == {
        "customer": {"is_subscribed": True}
    }


async def test_nobody_subscribes_another_customers_email(client: Any, db: Any) -> None:
    await make_customer()
    bob = await make_customer("bob@example.com")
    for token in (None, await token_for(bob)):
        response = await gql(client, SUBSCRIBE, {"email": "ann@example.com"}, token=token)
        assert response.messages == ["Cannot create a newsletter subscription."]
        assert response.categories == ["graphql-input"]
    assert await subscribers() == []


async def test_subscriptions_are_refused_while_the_newsletter_is_off(
    client: Any, db: Any, admin_token: str
) -> None:
    await save_config(client, admin_token, "NEWSLETTER_ACTIVE", "0")
    response = await gql(client, SUBSCRIBE, {"email": "guest@example.com"})
    assert response.messages == ["Cannot create a newsletter subscription."]
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "email": "zoe@example.com",
                "firstname": "Z",
                "lastname": "P",
                "is_subscribed": True,
            }
        },
    )
    assert response.data == {"createCustomerV2": {"customer": {"is_subscribed": False}}}
    assert await subscribers() == []


async def test_new_account_can_subscribe(client: Any, db: Any) -> None:
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "email": "zoe@example.com",
                "firstname": "Z",
                "lastname": "P",
                "is_subscribed": True,
            }
        },
    )
    assert response.data == {"createCustomerV2": {"customer": {"is_subscribed": True}}}
    assert await subscribers() == [("zoe@example.com", 1, 1, SubscriberStatus.SUBSCRIBED)]


async def test_account_awaiting_confirmation_subscribes_unconfirmed(
    client: Any, db: Any, admin_token: str
) -> None:
    await save_config(client, admin_token, "CONFIRM_ACCOUNT", "1")
    response = await gql(
        client,
        CREATE,
        {
            "input": {
                "email": "zoe@example.com",
                "firstname": "Z",
                "lastname": "P",
                "password": "Secret-Pass9",
                "is_subscribed": True,
            }
        },
    )
    assert response.data == {"createCustomerV2": {"customer": {"is_subscribed": False}}}
    assert await subscribers() == [("zoe@example.com", 1, 1, SubscriberStatus.UNCONFIRMED)]


async def test_customer_unsubscribes_and_resubscribes(client: Any, db: Any) -> None:
    customer = await make_customer()
    token = await token_for(customer)
    for subscribed, status in (
        (True, SubscriberStatus.SUBSCRIBED),
        (False, SubscriberStatus.UNSUBSCRIBED),
        (True, SubscriberStatus.SUBSCRIBED),
    ):
        response = await gql(client, UPDATE_SUBSCRIPTION, {"subscribed": subscribed}, token=token)
        assert response.data == {"updateCustomerV2": {"customer": {"is_subscribed": subscribed}}}
        assert await subscribers() == [("ann@example.com", customer.entity_id, 1, status)]


async def test_unsubscribing_without_a_subscription_writes_nothing(client: Any, db: Any) -> None:
    customer = await make_customer()
    response = await gql(
        client, UPDATE_SUBSCRIPTION, {"subscribed": False}, token=await token_for(customer)
    )
    assert response.data == {"updateCustomerV2": {"customer": {"is_subscribed": False}}}
    assert await subscribers() == []


async def test_guest_subscription_joins_the_account_when_its_owner_subscribes(
    client: Any, db: Any
) -> None:
    """Magento finds a customer's subscriber row by customer id, else by its e-mail."""
    await NewsletterSubscriber.create(
        store_id=1,
        subscriber_email="ann@example.com",
        subscriber_status=SubscriberStatus.UNSUBSCRIBED,
    )
    customer = await make_customer()
    response = await gql(
        client, SUBSCRIBE, {"email": "ann@example.com"}, token=await token_for(customer)
    )
    assert response.data == {"subscribeEmailToNewsletter": {"status": "SUBSCRIBED"}}
    assert await subscribers() == [
        ("ann@example.com", customer.entity_id, 1, SubscriberStatus.SUBSCRIBED)
    ]
