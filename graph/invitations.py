"""Invitation types. Adobe Commerce has no GraphQL for `Magento_Invitation`: every type here is
a mageseg extension, named and shaped in Magento's style."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from engine.invitations import codes
from engine.invitations.queries import GroupConversions
from graph.common import FilterMatchTypeInput, FilterRangeTypeInput, SearchResultPageInfo
from graph.dates import magento_datetime
from graph.errors import UserError
from graph.uids import encode_uid
from models import InvitationStatus, MagentoInvitation

EXTENSION = " (mageseg extension: Adobe Commerce has no GraphQL for invitations.)"


@strawberry.enum(description="The status of an invitation." + EXTENSION)
class InvitationStatusEnum(Enum):
    NEW = strawberry.enum_value("new", description="Created; its e-mail has not gone out yet.")
    SENT = strawberry.enum_value("sent", description="Its e-mail was sent.")
    ACCEPTED = strawberry.enum_value(
        "accepted", description="The invitee created an account with it."
    )
    CANCELED = strawberry.enum_value("canceled", description="An admin canceled it.")

    @classmethod
    def of(cls, status: InvitationStatus) -> InvitationStatusEnum:
        return cls(status.value)

    def status(self) -> InvitationStatus:
        return InvitationStatus(str(self.value))


def _date(value: datetime | None) -> str | None:
    return None if value is None else magento_datetime(value)


@strawberry.type(description="An invitation the signed-in customer sent." + EXTENSION)
class CustomerInvitation:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the invitation.")
    email: str = strawberry.field(description="The e-mail address invited.")
    status: InvitationStatusEnum = strawberry.field(description="Where the invitation stands.")
    message: str | None = strawberry.field(description="The message sent with the invitation.")
    invitation_date: str | None = strawberry.field(
        description="When the invitation was created (UTC, `YYYY-MM-DD HH:MM:SS`)."
    )
    signup_date: str | None = strawberry.field(
        description="When the invitee created an account with it; null until accepted."
    )

    @classmethod
    def of(cls, row: MagentoInvitation) -> CustomerInvitation:
        return cls(
            uid=strawberry.ID(encode_uid(row.invitation_id)),
            email=row.email or "",
            status=InvitationStatusEnum.of(row.status),
            message=row.message,
            invitation_date=_date(row.invitation_date),
            signup_date=_date(row.signup_date),
        )


@strawberry.type(description="A page of the signed-in customer's invitations." + EXTENSION)
class CustomerInvitations:
    items: list[CustomerInvitation] = strawberry.field(
        description="The invitations on this page, newest first."
    )
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many invitations the customer sent.")


@strawberry.input(description="The e-mail addresses to invite and a message." + EXTENSION)
class SendInvitationsInput:
    emails: list[str] = strawberry.field(
        description="The addresses to invite, at most the store's "
        "`max_invitation_amount_per_send` (5 by default), each counted even when invalid."
    )
    message: str | None = strawberry.field(
        default=None,
        description="A message for the e-mail; ignored when the store does not allow customers "
        "to add one.",
    )


@strawberry.type(description="The result of sending invitations." + EXTENSION)
class SendInvitationsOutput:
    invitations: list[CustomerInvitation] = strawberry.field(
        description="The invitations created, in the order of the e-mails given. One whose "
        "e-mail could not be delivered stays `NEW`."
    )


@strawberry.type(
    description="What a signup page may show about an invitation, looked up by its code; "
    "nothing about the inviter beyond the name the e-mail carries." + EXTENSION
)
class InvitationDetails:
    email: str = strawberry.field(description="The e-mail address invited, to prefill the form.")
    message: str | None = strawberry.field(description="The message sent with the invitation.")
    inviter_name: str | None = strawberry.field(
        description="The inviter's name, as in the e-mail; null for an invitation an admin sent."
    )
    store_code: str = strawberry.field(
        description="The code of the store view the invitation was sent from."
    )


@strawberry.type(description="An invitation as admins see it (admin token required)." + EXTENSION)
class AdminInvitation:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the invitation.")
    id: int = strawberry.field(description="Magento's numeric `invitation_id`.")
    email: str = strawberry.field(description="The e-mail address invited.")
    status: InvitationStatusEnum = strawberry.field(description="Where the invitation stands.")
    message: str | None = strawberry.field(description="The message sent with the invitation.")
    invitation_date: str | None = strawberry.field(
        description="When the invitation was created (UTC)."
    )
    signup_date: str | None = strawberry.field(
        description="When the invitee created an account (UTC); null until accepted."
    )
    store_uid: strawberry.ID = strawberry.field(
        description="The store view the invitation was sent from."
    )
    group_uid: strawberry.ID | None = strawberry.field(
        description="The customer group the invitee joins; null: the default group for new "
        "accounts."
    )
    inviter_uid: strawberry.ID | None = strawberry.field(
        description="The customer who sent it; null when an admin sent it."
    )
    invitee_uid: strawberry.ID | None = strawberry.field(
        description="The customer account created with it; null until accepted."
    )
    invitation_code: str = strawberry.field(
        description="The code the invitee registers with (`id:protection_code`)."
    )
    url_key: str = strawberry.field(
        description="The code as the e-mail's link carries it (Magento's URL encoding)."
    )

    @classmethod
    def of(cls, row: MagentoInvitation) -> AdminInvitation:
        group_id: int | None = row.group_id  # type: ignore[attr-defined]
        inviter_id: int | None = row.customer_id  # type: ignore[attr-defined]
        invitee_id: int | None = row.referral_id  # type: ignore[attr-defined]
        code = codes.invitation_code(row.invitation_id, row.protection_code or "")
        return cls(
            uid=strawberry.ID(encode_uid(row.invitation_id)),
            id=row.invitation_id,
            email=row.email or "",
            status=InvitationStatusEnum.of(row.status),
            message=row.message,
            invitation_date=_date(row.invitation_date),
            signup_date=_date(row.signup_date),
            store_uid=strawberry.ID(encode_uid(row.store_id)),  # type: ignore[attr-defined]
            group_uid=None if group_id is None else strawberry.ID(encode_uid(group_id)),
            inviter_uid=None if inviter_id is None else strawberry.ID(encode_uid(inviter_id)),
            invitee_uid=None if invitee_id is None else strawberry.ID(encode_uid(invitee_id)),
            invitation_code=code,
            url_key=codes.url_encode(code),
        )


@strawberry.type(description="A page of invitations (admin token required)." + EXTENSION)
class AdminInvitations:
    items: list[AdminInvitation] = strawberry.field(
        description="The invitations on this page, newest first."
    )
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many invitations match the filter.")


@strawberry.input(description="Filters for the admin list of invitations." + EXTENSION)
class AdminInvitationFilterInput:
    status: list[InvitationStatusEnum] | None = strawberry.field(
        default=None, description="Invitations in any of these statuses."
    )
    email: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Invitations to this e-mail (PARTIAL: containing the text)."
    )
    inviter_uid: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Invitations sent by these customers."
    )
    group_uid: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Invitations for these customer groups."
    )
    store_uid: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Invitations sent from these store views."
    )
    invitation_date: FilterRangeTypeInput | None = strawberry.field(
        default=None,
        description="Invitations created in this range (UTC, `YYYY-MM-DD HH:MM:SS` or ISO 8601).",
    )


@strawberry.input(description="Invitations an admin sends." + EXTENSION)
class AdminSendInvitationsInput:
    emails: list[str] = strawberry.field(description="The addresses to invite.")
    store_uid: strawberry.ID = strawberry.field(
        description="The store view the invitations come from (its website decides who is "
        "already a customer, its base URL the link)."
    )
    group_uid: strawberry.ID | None = strawberry.field(
        default=None,
        description='The customer group the invitees join. Required while "Referred Customer '
        'Group" is "Same as Inviter"; ignored with "Default Customer Group", as Magento.',
    )
    message: str | None = strawberry.field(default=None, description="A message for the e-mail.")


@strawberry.type(description="The result of an admin mutation on invitations." + EXTENSION)
class AdminInvitationsOutput:
    invitations: list[AdminInvitation] = strawberry.field(
        description="The invitations written, in the order given; empty when the input was refused."
    )
    failed_emails: list[str] = strawberry.field(
        description="Addresses whose e-mail could not be delivered; those invitations keep "
        "their status."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(
    description="One customer group's invitations: Magento's invitation report, by group."
    + EXTENSION
)
class AdminInvitationGroupConversions:
    group_uid: strawberry.ID = strawberry.field(
        description="The customer group the invitees join (an invitation without one counts "
        "for its store's default group)."
    )
    sent: int = strawberry.field(description="Invitations created for this group.")
    accepted: int = strawberry.field(description="Of those, accepted.")
    canceled: int = strawberry.field(description="Of those, canceled.")
    conversion_rate: float = strawberry.field(
        description="accepted / sent, in percent, rounded half up to 2 decimals."
    )

    @classmethod
    def of(cls, row: GroupConversions) -> AdminInvitationGroupConversions:
        return cls(
            group_uid=strawberry.ID(encode_uid(row.group_id)),
            sent=row.sent,
            accepted=row.accepted,
            canceled=row.canceled,
            conversion_rate=float(row.rate),
        )
