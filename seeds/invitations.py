"""Demo invitations: the first customer of the main website has invited two friends, both
e-mails sent (status `sent`), so the admin list, the report and a signup with a code have
something to show. Written once; a re-run leaves them alone."""

from __future__ import annotations

import hashlib
from datetime import datetime

from models import (
    CustomerEntity,
    InvitationStatus,
    MagentoInvitation,
    MagentoInvitationStatusHistory,
)

FRIENDS = (
    ("maya.lind@example.net", "Come and see the new Electronics week prices."),
    ("omar.haddad@example.net", None),
)


def _protection_code(email: str) -> str:
    """Deterministic, so a re-seeded shop answers the same codes (demo data only)."""
    return hashlib.sha256(f"demo-invitation:{email}".encode()).hexdigest()[:32]


async def ensure_invitations(loaded_at: datetime) -> int:
    """The demo invitations; how many were written (0 when they exist or nobody can invite)."""
    if await MagentoInvitation.exists():
        return 0
    inviter = await CustomerEntity.filter(website_id=1).order_by("entity_id").first()
    if inviter is None:
        return 0
    for email, message in FRIENDS:
        invitation = await MagentoInvitation.create(
            customer_id=inviter.entity_id,
            invitation_date=loaded_at,
            email=email,
            protection_code=_protection_code(email),
            store_id=1,
            group_id=inviter.group_id,  # type: ignore[attr-defined]
            message=message,
            status=InvitationStatus.SENT,
        )
        for status in (InvitationStatus.NEW, InvitationStatus.SENT):
            await MagentoInvitationStatusHistory.create(
                invitation_id=invitation.invitation_id, invitation_date=loaded_at, status=status
            )
    return len(FRIENDS)
