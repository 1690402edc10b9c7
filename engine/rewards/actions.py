"""The ways points are earned (Magento's `Reward\\Action\\*`), each with its dedupe and limit
(`AbstractAction::canAddRewardPoints`): an entity is rewarded once per action unless the action
says otherwise, and a configured limit caps how many times the action is rewarded per customer
and website. Nothing is earned while reward points are off for the website
(`isEnabledOnFront`). Every function runs inside the caller's transaction.

Product reviews (action 6, `points/review`) are not earned: this service has no reviews."""

from __future__ import annotations

from decimal import Decimal

from tortoise.transactions import in_transaction

from engine.errors import InputInvalid, NoSuchEntity, Problem, ProblemCode, Problems
from engine.rewards import ledger, rates
from engine.rewards.ledger import Change
from engine.rewards.settings import for_website
from engine.stores import StoresSnapshot
from models import (
    CustomerEntity,
    MagentoRewardHistory,
    RateDirection,
    RewardAction,
    SalesOrder,
)
from models.stores import ADMIN_WEBSITE_ID

MAX_DELTA = 1_000_000_000
COMMENT_MAX_LENGTH = 65_535


async def _earn(
    customer_id: int,
    website_id: int,
    action: RewardAction,
    points: int | None,
    stores: StoresSnapshot,
    *,
    entity: int | None,
    store_id: int | None = None,
    additional: dict[str, object] | None = None,
    limit: int | None = None,
    once_per_entity: bool = True,
) -> MagentoRewardHistory | None:
    if not points or not for_website(stores, website_id).enabled:
        return None
    if once_per_entity and await ledger.already_rewarded(customer_id, website_id, action, entity):
        return None
    if limit is not None and await ledger.times_rewarded(customer_id, website_id, action) >= limit:
        return None
    return await ledger.change(
        Change(
            customer_id=customer_id,
            website_id=website_id,
            delta=points,
            action=action,
            entity=entity,
            store_id=store_id,
            additional=additional or {},
        ),
        stores,
    )


async def registered(
    customer: CustomerEntity, store_id: int, stores: StoresSnapshot
) -> MagentoRewardHistory | None:
    """Action 2: an account created on the storefront earns `points/register` once."""
    website_id: int = customer.website_id  # type: ignore[attr-defined]
    return await _earn(
        customer.entity_id,
        website_id,
        RewardAction.REGISTER,
        for_website(stores, website_id).points_register,
        stores,
        entity=customer.entity_id,
        store_id=store_id,
    )


async def newsletter_subscribed(
    customer: CustomerEntity, subscriber_id: int, store_id: int, stores: StoresSnapshot
) -> MagentoRewardHistory | None:
    """Action 3: a customer's first subscription (a new subscriber row) earns
    `points/newsletter`, once per subscriber."""
    website_id: int = customer.website_id  # type: ignore[attr-defined]
    return await _earn(
        customer.entity_id,
        website_id,
        RewardAction.NEWSLETTER,
        for_website(stores, website_id).points_newsletter,
        stores,
        entity=subscriber_id,
        store_id=store_id,
        additional={"email": customer.email},
    )


async def invitation_converted(
    inviter_id: int,
    website_id: int,
    invitation_id: int,
    invitee_email: str,
    stores: StoresSnapshot,
    store_id: int | None = None,
) -> MagentoRewardHistory | None:
    """Action 4, for invitations to call when an invitation is accepted: the inviter earns
    `points/invitation_customer` up to `invitation_customer_limit` conversions. As Magento's
    `InvitationCustomer`, an invitation is not de-duplicated (only the limit counts)."""
    settings = for_website(stores, website_id)
    return await _earn(
        inviter_id,
        website_id,
        RewardAction.INVITATION_CUSTOMER,
        settings.points_invitation_customer,
        stores,
        entity=invitation_id,
        store_id=store_id,
        additional={"email": invitee_email},
        limit=settings.points_invitation_customer_limit,
        once_per_entity=False,
    )


async def invitation_ordered(
    inviter_id: int,
    website_id: int,
    invitation_id: int,
    invitee_email: str,
    stores: StoresSnapshot,
    store_id: int | None = None,
) -> MagentoRewardHistory | None:
    """Action 5, for invitations to call when the invitee's order is fully paid: the inviter
    earns `points/invitation_order`, once per invitation (frequency "First", the default) or
    for every order (`*`), up to `invitation_order_limit`."""
    settings = for_website(stores, website_id)
    return await _earn(
        inviter_id,
        website_id,
        RewardAction.INVITATION_ORDER,
        settings.points_invitation_order,
        stores,
        entity=invitation_id,
        store_id=store_id,
        additional={"email": invitee_email},
        limit=settings.points_invitation_order_limit,
        once_per_entity=not settings.invitation_order_each,
    )


def purchase_amount(order: SalesOrder) -> Decimal:
    """`OrderExtra::getPoints`' amount: what was paid (the grand total, which already excludes
    points and store credit) less shipping and tax (prices exclude tax here)."""
    amount = Decimal(order.base_grand_total) - Decimal(order.base_shipping_amount)
    amount -= Decimal(order.base_tax_amount)
    return max(amount, Decimal(0))


async def order_paid(order: SalesOrder, stores: StoresSnapshot) -> MagentoRewardHistory | None:
    """Action 8, when an order becomes fully paid (`OrderCompleted`): with `points/order` on,
    a customer's order earns `int(amount / C) * P` by the website's currency-to-points rate for
    the customer's group, once per order. Guests earn nothing."""
    customer_id: int | None = order.customer_id  # type: ignore[attr-defined]
    store_id: int | None = order.store_id  # type: ignore[attr-defined]
    if customer_id is None or store_id is None:
        return None
    store = next((s for s in stores.stores if s.store_id == store_id), None)
    if store is None:
        return None
    website_id = store.website.website_id
    if not for_website(stores, website_id).points_order:
        return None
    rate = await rates.lookup(
        website_id, await ledger.group_of(customer_id), RateDirection.TO_POINTS
    )
    points = rate.to_points(purchase_amount(order)) if rate is not None else 0
    return await _earn(
        customer_id,
        website_id,
        RewardAction.ORDER_EXTRA,
        points,
        stores,
        entity=order.entity_id,
        store_id=store_id,
        additional={"increment_id": order.increment_id},
    )


async def admin_adjust(
    customer_id: int,
    website_id: int | None,
    delta: Decimal,
    comment: str | None,
    stores: StoresSnapshot,
    path: str = "input",
) -> MagentoRewardHistory | None:
    """Action 0, in one transaction: an admin adds or takes points with a comment ("Updated
    by moderator"), in `website_id` (the customer's own when None). A fractional delta, zero,
    or one taking the balance below zero is refused, and nothing is written."""
    async with in_transaction():
        customer = await CustomerEntity.get_or_none(entity_id=customer_id)
        if customer is None:
            raise NoSuchEntity(
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"No such entity with customerId = {customer_id}",
                    f"{path}.customer_uid",
                )
            )
        if website_id is None:
            website_id = customer.website_id  # type: ignore[attr-defined]
        elif website_id == ADMIN_WEBSITE_ID or website_id not in {
            w.website_id for w in stores.websites
        }:
            raise NoSuchEntity(
                Problem(
                    ProblemCode.NOT_FOUND,
                    f'Could not find a website with ID "{website_id}"',
                    f"{path}.website_uid",
                )
            )
        assert website_id is not None
        return await _adjust(customer_id, website_id, delta, comment, stores, path)


async def _adjust(
    customer_id: int,
    website_id: int,
    delta: Decimal,
    comment: str | None,
    stores: StoresSnapshot,
    path: str,
) -> MagentoRewardHistory | None:
    problems = Problems()
    if delta != delta.to_integral_value():
        problems.add(
            ProblemCode.INVALID, "Reward points must be a whole number.", f"{path}.points_delta"
        )
    elif delta == 0:
        problems.add(ProblemCode.INVALID, "The points change cannot be 0.", f"{path}.points_delta")
    elif abs(delta) > MAX_DELTA:
        problems.add(
            ProblemCode.INVALID,
            f"The points change must be between -{MAX_DELTA} and {MAX_DELTA}.",
            f"{path}.points_delta",
        )
    if comment is not None and len(comment) > COMMENT_MAX_LENGTH:
        problems.add(ProblemCode.TOO_LONG, "The comment is too long.", f"{path}.comment")
    problems.raise_if_any()
    if delta < 0:
        balance = await ledger.points_of(customer_id, website_id)
        if balance + int(delta) < 0:
            raise InputInvalid(
                Problem(
                    ProblemCode.INVALID,
                    f"The reward points balance cannot be negative (it is {balance}).",
                    f"{path}.points_delta",
                )
            )
    try:
        return await ledger.change(
            Change(
                customer_id=customer_id,
                website_id=website_id,
                delta=int(delta),
                action=RewardAction.ADMIN,
                comment=(comment or "").strip() or None,
            ),
            stores,
        )
    except ledger.NotEnoughPoints:
        raise InputInvalid(
            Problem(
                ProblemCode.INVALID,
                "The reward points balance cannot be negative.",
                f"{path}.points_delta",
            )
        ) from None
