"""Newsletter subscriptions: Magento's `SubscriptionManager` and the checks of the storefront's
`subscribeEmailToNewsletter`, with Magento's messages.

A subscription belongs to a website (Magento loads subscribers by e-mail or customer within the
website's store views). Status rules, as `SubscriptionManager::getNewSubscriptionStatus`:
subscribing a customer whose account awaits confirmation gives UNCONFIRMED; with
`newsletter/subscription/confirm` on, NOT_ACTIVE (until the e-mail link is followed); otherwise
SUBSCRIBED. Unsubscribing changes only a SUBSCRIBED row, to UNSUBSCRIBED."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from email_validator import EmailNotValidError, validate_email
from tortoise.transactions import in_transaction

from engine.auth import now
from engine.config import ConfigPath
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.rewards import actions as reward_actions
from engine.segments import events, membership
from engine.sessions import find_by_email
from engine.stores import StoresSnapshot, StoreView
from models import CustomerEntity, NewsletterSubscriber, SubscriberStatus

EMAIL_MISSING = "You must specify an email address to subscribe to a newsletter."
EMAIL_INVALID = "Enter a valid email address."
# `newsletter_subscriber.subscriber_email` is varchar(150).
SUBSCRIBER_EMAIL_MAX_LENGTH = 150
GUESTS_NOT_ALLOWED = (
    "Guests can not subscribe to the newsletter. You must create an account to subscribe."
)
CANNOT_SUBSCRIBE = "Cannot create a newsletter subscription."
ALREADY_SUBSCRIBED = "This email address is already subscribed."


def _website_store_ids(stores: StoresSnapshot, website_id: int) -> list[int]:
    return [s.store_id for s in stores.stores if s.website.website_id == website_id]


async def _for_customer(
    customer: CustomerEntity, stores: StoresSnapshot
) -> NewsletterSubscriber | None:
    """The customer's row in its website: by customer id, else by its e-mail."""
    store_ids = _website_store_ids(stores, customer.website_id)  # type: ignore[attr-defined]
    row = await NewsletterSubscriber.filter(
        customer_id=customer.entity_id, store_id__in=store_ids
    ).first()
    if row is None:
        row = await NewsletterSubscriber.filter(
            subscriber_email=customer.email, store_id__in=store_ids
        ).first()
    return row


def _new_status(
    current: SubscriberStatus | None, subscribe: bool, account_pending: bool, confirm_needed: bool
) -> SubscriberStatus | None:
    if subscribe and current is SubscriberStatus.SUBSCRIBED:
        return current
    if not subscribe:
        return SubscriberStatus.UNSUBSCRIBED if current is SubscriberStatus.SUBSCRIBED else current
    if account_pending:
        return SubscriberStatus.UNCONFIRMED
    return SubscriberStatus.NOT_ACTIVE if confirm_needed else SubscriberStatus.SUBSCRIBED


async def set_customer_subscription(
    customer: CustomerEntity, subscribe: bool, store: StoreView, stores: StoresSnapshot
) -> SubscriberStatus | None:
    """Subscribe or unsubscribe a customer in `store`; ignored while the newsletter is off.
    Callers run this inside their transaction."""
    if not stores.config_flag(ConfigPath.NEWSLETTER_ACTIVE, store):
        return None
    row = await _for_customer(customer, stores)
    if row is None and not subscribe:
        return None
    status = _new_status(
        None if row is None else row.subscriber_status,
        subscribe,
        account_pending=customer.confirmation is not None,
        confirm_needed=stores.config_flag(ConfigPath.NEWSLETTER_CONFIRM, store),
    )
    assert status is not None
    if row is None:
        created = await NewsletterSubscriber.create(
            store_id=store.store_id,
            customer_id=customer.entity_id,
            subscriber_email=customer.email,
            subscriber_status=status,
            subscriber_confirm_code=secrets.token_hex(16),
            change_status_at=now(),
        )
        if status in (SubscriberStatus.SUBSCRIBED, SubscriberStatus.UNCONFIRMED):
            # Magento's `CustomerSubscribed`: a customer's first subscription earns points.
            await reward_actions.newsletter_subscribed(
                customer, created.subscriber_id, store.store_id, stores
            )
        return status
    if row.subscriber_status is not status:
        row.change_status_at = now()
    row.subscriber_status = status
    row.customer_id = customer.entity_id
    row.subscriber_email = customer.email
    row.store_id = store.store_id
    await row.save()
    return status


async def follow_email_change(customer: CustomerEntity) -> None:
    """A customer's subscription rows carry its current e-mail, as Magento's `saveSubscriber`."""
    await NewsletterSubscriber.filter(customer_id=customer.entity_id).update(
        subscriber_email=customer.email
    )


async def subscribed_customers(customer_ids: Sequence[int]) -> set[int]:
    """Which of these customers are SUBSCRIBED (in any store view of their website)."""
    rows = await NewsletterSubscriber.filter(
        customer_id__in=list(customer_ids), subscriber_status=SubscriberStatus.SUBSCRIBED
    ).values("customer_id")
    return {int(row["customer_id"]) for row in rows}


async def subscribe_email(
    email: str, customer_id: int | None, store: StoreView, stores: StoresSnapshot
) -> SubscriberStatus:
    """The storefront's `subscribeEmailToNewsletter`: a guest (when allowed) or a customer
    subscribes an address; an address of another account cannot be subscribed by anyone else."""
    email = email.strip()
    if not email:
        raise InputInvalid(Problem(ProblemCode.REQUIRED, EMAIL_MISSING, "email"))
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise InputInvalid(Problem(ProblemCode.INVALID, EMAIL_INVALID, "email")) from None
    if len(email) > SUBSCRIBER_EMAIL_MAX_LENGTH:  # valid, but longer than the column
        raise InputInvalid(Problem(ProblemCode.INVALID, EMAIL_INVALID, "email"))
    email = email.lower()
    if customer_id is None and not stores.config_flag(ConfigPath.NEWSLETTER_GUEST_SUBSCRIBE, store):
        raise InputInvalid(Problem(ProblemCode.INVALID, GUESTS_NOT_ALLOWED, "email"))
    if not stores.config_flag(ConfigPath.NEWSLETTER_ACTIVE, store):
        raise InputInvalid(Problem(ProblemCode.INVALID, CANNOT_SUBSCRIBE, "email"))
    async with in_transaction():
        owner = await find_by_email(email, store, stores)
        if owner is not None and owner.entity_id != customer_id:
            raise InputInvalid(Problem(ProblemCode.INVALID, CANNOT_SUBSCRIBE, "email"))
        store_ids = _website_store_ids(stores, store.website.website_id)
        row = await NewsletterSubscriber.filter(
            subscriber_email=email, store_id__in=store_ids
        ).first()
        if row is not None and row.subscriber_status is SubscriberStatus.SUBSCRIBED:
            raise InputInvalid(Problem(ProblemCode.ALREADY_EXISTS, ALREADY_SUBSCRIBED, "email"))
        if owner is not None:
            status = await set_customer_subscription(owner, True, store, stores)
            assert status is not None
            await membership.customer_event(owner.entity_id, events.NEWSLETTER_SAVE)
            return status
        status = (
            SubscriberStatus.NOT_ACTIVE
            if stores.config_flag(ConfigPath.NEWSLETTER_CONFIRM, store)
            else SubscriberStatus.SUBSCRIBED
        )
        if row is None:
            await NewsletterSubscriber.create(
                store_id=store.store_id,
                subscriber_email=email,
                subscriber_status=status,
                subscriber_confirm_code=secrets.token_hex(16),
                change_status_at=now(),
            )
        else:
            row.subscriber_status = status
            row.store_id = store.store_id
            row.change_status_at = now()
            await row.save()
    return status
