"""What an invitation's conversions earn the inviter: Reward actions 4 and 5 (reference B.4,
C.5), through the reward engine's entry points. Points go to the inviter
(`invitation.customer_id`); an invitation an admin sent has none and earns nothing. Both run
inside the caller's transaction."""

from __future__ import annotations

from engine.rewards import actions as reward_actions
from engine.stores import StoresSnapshot
from models import CustomerEntity, InvitationStatus, MagentoInvitation, SalesOrder


async def accepted(
    invitation: MagentoInvitation, invitee: CustomerEntity, stores: StoresSnapshot
) -> None:
    """Action 4 (`magento_invitation_save_commit_after` → `InvitationToCustomer`): an accepted
    invitation earns its inviter `magento_reward/points/invitation_customer`, up to
    `invitation_customer_limit` conversions, in the invitee's website."""
    inviter_id: int | None = invitation.customer_id  # type: ignore[attr-defined]
    if inviter_id is None:
        return
    await reward_actions.invitation_converted(
        inviter_id,
        invitee.website_id,  # type: ignore[attr-defined]
        invitation.invitation_id,
        invitation.email or "",
        stores,
        store_id=invitation.store_id,  # type: ignore[attr-defined]
    )


async def order_paid(order: SalesOrder, stores: StoresSnapshot) -> None:
    """Action 5 (`sales_order_invoice_pay` → `InvoicePay`): when an invitee's order becomes
    paid, the invitation they accepted (`referral_id` = the order's customer) earns its inviter
    `magento_reward/points/invitation_order`: once per invitation ("First", the default) or per
    paid order ("Each"), up to `invitation_order_limit`. The caller calls it once per order, when
    the order first becomes paid."""
    customer_id: int | None = order.customer_id  # type: ignore[attr-defined]
    if customer_id is None:
        return
    invitation = (
        await MagentoInvitation.filter(
            referral_id=customer_id,
            status=InvitationStatus.ACCEPTED,
            customer_id__isnull=False,
        )
        .order_by("invitation_id")
        .first()
    )
    if invitation is None:
        return
    store_id: int | None = order.store_id  # type: ignore[attr-defined]
    store = next((s for s in stores.stores if s.store_id == store_id), None)
    if store is None:
        return
    await reward_actions.invitation_ordered(
        invitation.customer_id,  # type: ignore[attr-defined]
        store.website.website_id,
        invitation.invitation_id,
        invitation.email or "",
        stores,
        store_id=store_id,
    )
