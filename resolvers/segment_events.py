"""Membership events for admins: the history, the live subscription, and segment webhooks with
their delivery log."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from graphql import GraphQLError

from engine.errors import DomainError, NoSuchEntity, Problem, ProblemCode
from engine.pagination import PageRequest
from engine.segments import feed
from engine.webhooks import admin
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.dates import magento_datetime_or_none
from graph.errors import UserError, extensions_of
from graph.segment_events import (
    DeleteSegmentWebhookOutput,
    SegmentMembershipEvent,
    SegmentMembershipHistory,
    SegmentMembershipHistoryFilterInput,
    SegmentWebhook,
    SegmentWebhookCreateInput,
    SegmentWebhookDeliveries,
    SegmentWebhookDelivery,
    SegmentWebhookDeliveryOutput,
    SegmentWebhookDeliveryStatus,
    SegmentWebhookOutput,
    SegmentWebhookUpdateInput,
)
from graph.uids import decode_uid, encode_uid
from models import DeliveryStatus, MagesegCustomersegmentWebhookDelivery
from resolvers.access import require_admin
from resolvers.inputs import decode_uids


async def _deliveries(
    rows: list[MagesegCustomersegmentWebhookDelivery],
) -> list[SegmentWebhookDelivery]:
    logs = await admin.attempts_of([r.delivery_id for r in rows])
    websites = await admin.website_codes()
    return [SegmentWebhookDelivery.of(r, logs[r.delivery_id], websites) for r in rows]


@strawberry.type
class Query:
    @strawberry.field(
        description="Entries into and exits from segments, newest first (admin token required)."
    )
    async def adminSegmentMembershipHistory(
        self,
        info: Info,
        filter: Annotated[
            SegmentMembershipHistoryFilterInput | None,
            strawberry.argument(
                description="Conditions the entries must meet (segment, customer, dates)."
            ),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> SegmentMembershipHistory:
        await require_admin(info)
        segment_id = (
            decode_uid(filter.segment_uid, "filter.segment_uid")
            if filter and filter.segment_uid is not None
            else None
        )
        customer_id = (
            decode_uid(filter.customer_uid, "filter.customer_uid")
            if filter and filter.customer_uid is not None
            else None
        )
        page = await admin.history(segment_id, customer_id, PageRequest(pageSize, currentPage))
        websites = await admin.website_codes()
        return SegmentMembershipHistory(
            items=[SegmentMembershipEvent.of_row(r, websites) for r in page.items],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="The webhooks of a segment (admin token required); null with an error when "
        "the segment does not exist."
    )
    async def adminSegmentWebhooks(
        self,
        info: Info,
        segment_uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the segment whose webhooks to return."),
        ],
    ) -> list[SegmentWebhook] | None:
        await require_admin(info)
        rows = await admin.of_segment(decode_uid(segment_uid, "segment_uid"))
        return [SegmentWebhook.of(r) for r in rows]

    @strawberry.field(
        description="A webhook's deliveries with every attempt, newest first, optionally of one "
        "status (admin token required); null with an error when the webhook does not exist."
    )
    async def adminSegmentWebhookDeliveries(
        self,
        info: Info,
        webhook_uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the webhook whose deliveries to return."),
        ],
        status: Annotated[
            SegmentWebhookDeliveryStatus | None,
            strawberry.argument(description="Only the deliveries in this status."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> SegmentWebhookDeliveries | None:
        await require_admin(info)
        page = await admin.deliveries(
            decode_uid(webhook_uid, "webhook_uid"),
            None if status is None else DeliveryStatus[status.name],
            PageRequest(pageSize, currentPage),
        )
        return SegmentWebhookDeliveries(
            items=await _deliveries(page.items),
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Add a webhook to a segment; its secret is returned this once "
        "(admin token required)."
    )
    async def adminCreateSegmentWebhook(
        self,
        info: Info,
        input: Annotated[
            SegmentWebhookCreateInput,
            strawberry.argument(
                description="The segment, the URL to call and the events to deliver."
            ),
        ],
    ) -> SegmentWebhookOutput:
        await require_admin(info)
        try:
            created = await admin.create(
                decode_uid(input.segment_uid, "input.segment_uid"),
                input.url,
                input.secret,
                input.is_active,
            )
        except DomainError as error:
            return SegmentWebhookOutput(
                webhook=None, secret=None, user_errors=UserError.from_error(error)
            )
        return SegmentWebhookOutput(
            webhook=SegmentWebhook.of(created.webhook), secret=created.secret, user_errors=[]
        )

    @strawberry.mutation(description="Change a segment webhook (admin token required).")
    async def adminUpdateSegmentWebhook(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the segment webhook to change."),
        ],
        input: Annotated[
            SegmentWebhookUpdateInput, strawberry.argument(description="The webhook's new values.")
        ],
    ) -> SegmentWebhookOutput:
        await require_admin(info)
        try:
            row = await admin.update(
                decode_uid(uid), url=input.url, secret=input.secret, is_active=input.is_active
            )
        except DomainError as error:
            return SegmentWebhookOutput(
                webhook=None, secret=None, user_errors=UserError.from_error(error)
            )
        return SegmentWebhookOutput(webhook=SegmentWebhook.of(row), secret=None, user_errors=[])

    @strawberry.mutation(
        description="Delete a segment webhook with its deliveries (admin token required)."
    )
    async def adminDeleteSegmentWebhook(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the segment webhook to delete."),
        ],
    ) -> DeleteSegmentWebhookOutput:
        await require_admin(info)
        try:
            deleted = await admin.delete(decode_uid(uid))
        except DomainError as error:
            return DeleteSegmentWebhookOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return DeleteSegmentWebhookOutput(
            deleted_uid=strawberry.ID(encode_uid(deleted)), user_errors=[]
        )

    @strawberry.mutation(
        description="Send a FAILED delivery again: it becomes PENDING, due now, with its count "
        "of attempts reset (admin token required)."
    )
    async def adminRedeliverSegmentWebhookDelivery(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the delivery to send again."),
        ],
    ) -> SegmentWebhookDeliveryOutput:
        await require_admin(info)
        try:
            row = await admin.redeliver(decode_uid(uid))
        except DomainError as error:
            return SegmentWebhookDeliveryOutput(
                delivery=None, user_errors=UserError.from_error(error)
            )
        return SegmentWebhookDeliveryOutput(delivery=(await _deliveries([row]))[0], user_errors=[])


async def _subscription_arguments(
    info: Info, segment_uids: list[strawberry.ID], after_uid: strawberry.ID | None
) -> tuple[list[int], int | None]:
    await require_admin(info)
    ids = decode_uids(segment_uids, "segment_uids")
    after = None if after_uid is None else decode_uid(after_uid, "after_uid")
    missing = sorted(set(ids) - await admin.segments_exist(ids))
    if missing:
        raise NoSuchEntity(
            [
                Problem(
                    ProblemCode.NOT_FOUND,
                    f'No segment with uid "{encode_uid(i)}".',
                    f"segment_uids.{ids.index(i)}",
                )
                for i in missing
            ]
        )
    return ids, after


async def _membership_events(
    info: Info, segment_uids: list[strawberry.ID], after_uid: strawberry.ID | None
) -> AsyncGenerator[SegmentMembershipEvent, None]:
    try:
        ids, after = await _subscription_arguments(info, segment_uids, after_uid)
    except DomainError as error:
        # Subscription errors bypass the operation extension: categorise them here.
        raise GraphQLError(error.message, extensions=extensions_of(error)) from error
    websites = await admin.website_codes()
    async for entry in feed.tail(ids, after_id=after, poll_seconds=feed.poll_seconds()):
        if entry.website_id not in websites:
            websites = await admin.website_codes()
        yield SegmentMembershipEvent.of(
            history_id=entry.history_id,
            segment_id=entry.segment_id,
            customer_id=entry.customer_id,
            website_code=websites.get(entry.website_id),
            change=entry.change,
            trigger=entry.trigger,
            created_at=magento_datetime_or_none(entry.created_at),
        )


MEMBERSHIP_CHANGED = (
    "Entries into and exits from these segments as they are committed (admin token in the "
    "`connection_init` payload's `Authorization`, or the upgrade request's header). Durable: "
    "events are read from the history in order, so none is missed; pass `after_uid` (the uid of "
    "the last event seen) to resume after a reconnect."
)


@strawberry.type
class Subscription:
    @strawberry.subscription(description=MEMBERSHIP_CHANGED)
    async def adminSegmentMembershipChanged(
        self,
        info: Info,
        segment_uids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="The `uid`s of the segments to follow."),
        ],
        after_uid: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description=(
                    "Resume after this change's `uid`: changes committed since are sent first."
                )
            ),
        ] = None,
    ) -> AsyncGenerator[SegmentMembershipEvent, None]:
        async for event in _membership_events(info, segment_uids, after_uid):
            yield event

    @strawberry.subscription(
        description=MEMBERSHIP_CHANGED,
        deprecation_reason="Use `adminSegmentMembershipChanged`: admin-only root fields start "
        "with admin.",
    )
    async def segmentMembershipChanged(
        self,
        info: Info,
        segment_uids: Annotated[
            list[strawberry.ID],
            strawberry.argument(description="The `uid`s of the segments to follow."),
        ],
        after_uid: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description=(
                    "Resume after this change's `uid`: changes committed since are sent first."
                )
            ),
        ] = None,
    ) -> AsyncGenerator[SegmentMembershipEvent, None]:
        async for event in _membership_events(info, segment_uids, after_uid):
            yield event
