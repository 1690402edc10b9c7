""" "By Invitation Only" registration (`registration_required_invitation`).

Magento applies it through a plugin on `Customer\\Model\\Registration::isAllowed` declared in
`etc/frontend/di.xml`: its Luma pages refuse an account without a valid invitation, while its
GraphQL `createCustomerV2` (the `graphql` area) is not restricted. Here GraphQL is the
storefront (Venia registers through `createCustomerV2`), so leaving it open would make the
setting mean nothing: `createCustomerV2` refuses while it is on, and
`createCustomerWithInvitation` is the way in. Admin account creation is never restricted."""

from __future__ import annotations

from engine.errors import NotAuthorized, Problem, ProblemCode
from engine.invitations.settings import InvitationSettings
from engine.stores import StoresSnapshot, StoreView

INVITATION_ONLY = "New accounts can be created only with an invitation."


def require_open_registration(store: StoreView, stores: StoresSnapshot) -> None:
    """Refuse an account without an invitation while the store view requires one (and
    invitations are enabled on the storefront, as Magento's plugin checks first)."""
    settings = InvitationSettings.of(store, stores)
    if settings.enabled_on_front and settings.required_for_registration:
        raise NotAuthorized(Problem(ProblemCode.INVALID, INVITATION_ONLY))
