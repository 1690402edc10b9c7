"""The invitation e-mail (`Model/Invitation.php::sendInvitationEmail`): template
`magento_invitation/email/template` (`magento_invitation_email_template`) from the sender
`magento_invitation/email/identity`, with Magento's variables `url`, `message`, `store`,
`store_name` (the store group's name) and `inviter_name`, sent to the invitation's address.
`lifecycle` calls it inside the invitation's transaction (see there why)."""

from __future__ import annotations

from engine.config import ConfigPath
from engine.invitations import codes
from engine.mail.compose import compose
from engine.mail.mailer import Mailer
from engine.mail.message import Address
from engine.mail.templates import INVITATION, TEMPLATES, StoreMail
from engine.stores import StoresSnapshot, StoreView
from models import CustomerEntity, MagentoInvitation


class InvitationEmail:
    """`lifecycle.SendEmail` on the project's mail transport."""

    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer

    async def __call__(
        self,
        invitation: MagentoInvitation,
        inviter: CustomerEntity | None,
        store: StoreView,
        stores: StoresSnapshot,
    ) -> bool:
        template = stores.config_value(ConfigPath.INVITATION_EMAIL_TEMPLATE, store)
        base_url = StoreMail.of(store, stores).base_url
        inviter_name = "" if inviter is None else f"{inviter.firstname} {inviter.lastname}"
        values = {
            "url": codes.invitation_url(
                base_url, invitation.invitation_id, invitation.protection_code or ""
            ),
            "message": invitation.message or "",
            "store": store.name,
            "store_name": store.group_name,
            "inviter_name": inviter_name,
            "invited_by": f"{inviter_name} invites you to join {store.group_name}."
            if inviter_name
            else f"You are invited to join {store.group_name}.",
        }
        message = compose(
            template if template in TEMPLATES else INVITATION,
            store=store,
            stores=stores,
            sender=ConfigPath.INVITATION_EMAIL_IDENTITY,
            to=[Address("", invitation.email or "")],
            values=values,
        )
        return await self.mailer.send(message)
