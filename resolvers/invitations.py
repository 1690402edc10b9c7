"""Invitations (`Magento_Invitation`), which Adobe Commerce offers on its Luma storefront and
admin only: these root fields are mageseg extensions in Magento's style. The storefront sends
and lists a customer's invitations, shows an invitation to its invitee and creates the account
with it; admins list, send, resend and cancel, and read conversions by customer group."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import customers
from engine.auth import ViewerKind
from engine.customers import parse_datetime
from engine.errors import DomainError, NotAuthorized, Problem, ProblemCode
from engine.invitations import lifecycle, queries
from engine.invitations.email import InvitationEmail
from engine.invitations.lifecycle import Sent
from engine.invitations.queries import InvitationFilter
from engine.pagination import PageRequest
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.customers import CustomerCreateInput, CustomerOutput
from graph.errors import UserError
from graph.invitations import (
    EXTENSION,
    AdminInvitation,
    AdminInvitationFilterInput,
    AdminInvitationGroupConversions,
    AdminInvitations,
    AdminInvitationsOutput,
    AdminSendInvitationsInput,
    CustomerInvitation,
    CustomerInvitations,
    InvitationDetails,
    SendInvitationsInput,
    SendInvitationsOutput,
)
from graph.uids import decode_uid
from models import CustomerEntity
from resolvers.access import require_admin, require_customer
from resolvers.customers import GUESTS_ONLY, fresh_customer, storefront_changes
from resolvers.inputs import decode_uids

INVITATION_CODE = strawberry.argument(
    description="The invitation code: `id:protection_code`, or the URL-encoded form the "
    "e-mail's link carries."
)


def _mail(info: Info) -> InvitationEmail:
    return InvitationEmail(info.context.services.mail)


def _filter(filter_: AdminInvitationFilterInput | None) -> InvitationFilter:
    if filter_ is None:
        return InvitationFilter()
    email = filter_.email.match if filter_.email is not None else None
    partial = filter_.email is not None and filter_.email.match_type is not None
    partial = partial and filter_.email.match_type.value == "PARTIAL"  # type: ignore[union-attr]
    dates = filter_.invitation_date
    return InvitationFilter(
        statuses=None if filter_.status is None else [s.status() for s in filter_.status],
        email=email,
        email_partial=partial,
        inviter_ids=None
        if filter_.inviter_uid is None
        else decode_uids(filter_.inviter_uid, "filter.inviter_uid"),
        group_ids=None
        if filter_.group_uid is None
        else decode_uids(filter_.group_uid, "filter.group_uid"),
        store_ids=None
        if filter_.store_uid is None
        else decode_uids(filter_.store_uid, "filter.store_uid"),
        sent_from=parse_datetime(dates.from_, "filter.invitation_date.from")
        if dates is not None and dates.from_
        else None,
        sent_to=parse_datetime(dates.to, "filter.invitation_date.to")
        if dates is not None and dates.to
        else None,
    )


def _admin_output(sent: Sent) -> AdminInvitationsOutput:
    return AdminInvitationsOutput(
        invitations=[AdminInvitation.of(i) for i in sent.invitations],
        failed_emails=sent.failed,
        user_errors=[],
    )


def _refused(error: DomainError) -> AdminInvitationsOutput:
    return AdminInvitationsOutput(
        invitations=[], failed_emails=[], user_errors=UserError.from_error(error)
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="The invitations the signed-in customer sent, newest first." + EXTENSION
    )
    async def customerInvitations(
        self,
        info: Info,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> CustomerInvitations:
        viewer = await require_customer(info)
        assert viewer.customer_id is not None
        page = await queries.for_customer(viewer.customer_id, PageRequest(pageSize, currentPage))
        return CustomerInvitations(
            items=[CustomerInvitation.of(i) for i in page.items],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="An invitation that can still be accepted in this store's website, by its "
        "code: what a signup page shows. A wrong code, or an invitation accepted, canceled or "
        "sent from another website, is an error with Magento's message." + EXTENSION
    )
    async def invitation(
        self, info: Info, invitation_code: Annotated[str, INVITATION_CODE]
    ) -> InvitationDetails:
        await info.context.viewer()  # a forged token is refused here too, as everywhere
        store = await info.context.store()
        stores = await info.context.stores()
        lifecycle.require_enabled(store, stores)
        row = await lifecycle.by_code(invitation_code, store)
        inviter_id: int | None = row.customer_id  # type: ignore[attr-defined]
        inviter = (
            None if inviter_id is None else await CustomerEntity.get_or_none(entity_id=inviter_id)
        )
        origin = lifecycle.store_by_id(row.store_id, stores)  # type: ignore[attr-defined]
        return InvitationDetails(
            email=row.email or "",
            message=row.message,
            inviter_name=None if inviter is None else f"{inviter.firstname} {inviter.lastname}",
            store_code=origin.code if origin is not None else store.code,
        )

    @strawberry.field(
        description="Invitations, filtered and paginated (admin token required)." + EXTENSION
    )
    async def adminInvitations(
        self,
        info: Info,
        filter: Annotated[
            AdminInvitationFilterInput | None,
            strawberry.argument(description="Conditions the invitations must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> AdminInvitations:
        await require_admin(info)
        page = await queries.page(_filter(filter), PageRequest(pageSize, currentPage))
        return AdminInvitations(
            items=[AdminInvitation.of(i) for i in page.items],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="Invitations sent, accepted and canceled by the customer group the invitees "
        "join, with the conversion rate (admin token required)." + EXTENSION
    )
    async def adminInvitationConversions(
        self,
        info: Info,
        filter: Annotated[
            AdminInvitationFilterInput | None,
            strawberry.argument(description="Which invitations to count."),
        ] = None,
    ) -> list[AdminInvitationGroupConversions]:
        await require_admin(info)
        rows = await queries.conversions_by_group(_filter(filter), await info.context.stores())
        return [AdminInvitationGroupConversions.of(r) for r in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Invite people by e-mail to create an account; the invitees join the "
        "signed-in customer's group (or the default group, as the store is configured)." + EXTENSION
    )
    async def sendInvitations(
        self,
        info: Info,
        input: Annotated[
            SendInvitationsInput,
            strawberry.argument(description="The addresses to invite and a message."),
        ],
    ) -> SendInvitationsOutput:
        viewer = await require_customer(info)
        assert viewer.customer_id is not None
        sent = await lifecycle.send_as_customer(
            viewer.customer_id,
            input.emails,
            input.message,
            await info.context.store(),
            await info.context.stores(),
            _mail(info),
        )
        return SendInvitationsOutput(
            invitations=[CustomerInvitation.of(i) for i in sent.invitations]
        )

    @strawberry.mutation(
        description="Create a customer account with an invitation: the account joins the "
        "invitation's customer group and the invitation becomes accepted." + EXTENSION
    )
    async def createCustomerWithInvitation(
        self,
        info: Info,
        invitation_code: Annotated[str, INVITATION_CODE],
        input: Annotated[
            CustomerCreateInput,
            strawberry.argument(description="An input object that defines the customer to create."),
        ],
    ) -> CustomerOutput:
        viewer = await info.context.viewer()
        if viewer.kind is not ViewerKind.GUEST:
            raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, GUESTS_ONLY))
        store = await info.context.store()
        stores = await info.context.stores()
        row = await lifecycle.create_account(
            invitation_code,
            storefront_changes(input),
            store,
            stores,
            info.context.services.passwords,
        )
        # Magento's welcome e-mail, as for any storefront account, after the commit.
        await customers.send_welcome(row, store, stores, info.context.services.mail)
        return CustomerOutput(customer=fresh_customer(info, row))

    @strawberry.mutation(
        description="Send invitations from a store view for a customer group (admin token "
        "required)." + EXTENSION
    )
    async def adminSendInvitations(
        self,
        info: Info,
        input: Annotated[
            AdminSendInvitationsInput,
            strawberry.argument(description="The addresses, store view, group and message."),
        ],
    ) -> AdminInvitationsOutput:
        await require_admin(info)
        try:
            sent = await lifecycle.send_as_admin(
                input.emails,
                decode_uid(input.store_uid, "input.store_uid"),
                None if input.group_uid is None else decode_uid(input.group_uid, "input.group_uid"),
                input.message,
                await info.context.stores(),
                _mail(info),
            )
        except DomainError as error:
            return _refused(error)
        return _admin_output(sent)

    @strawberry.mutation(
        description="Send invitations again: new, sent or canceled ones become sent when their "
        "e-mail goes out (admin token required)." + EXTENSION
    )
    async def adminResendInvitations(
        self,
        info: Info,
        uids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="The `uid`s of the invitations to send."),
        ],
    ) -> AdminInvitationsOutput:
        await require_admin(info)
        try:
            sent = await lifecycle.resend(
                decode_uids(uids, "uids"), await info.context.stores(), _mail(info)
            )
        except DomainError as error:
            return _refused(error)
        return _admin_output(sent)

    @strawberry.mutation(
        description="Cancel new or sent invitations; their codes stop working (admin token "
        "required)." + EXTENSION
    )
    async def adminCancelInvitations(
        self,
        info: Info,
        uids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="The `uid`s of the invitations to cancel."),
        ],
    ) -> AdminInvitationsOutput:
        await require_admin(info)
        try:
            canceled = await lifecycle.cancel(decode_uids(uids, "uids"))
        except DomainError as error:
            return _refused(error)
        return _admin_output(Sent(canceled, []))
