"""Types of membership events: the history of entries and exits, the subscription's event, and
segment webhooks with their delivery log."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.common import SearchResultPageInfo
from graph.dates import magento_datetime_or_none
from graph.errors import UserError
from graph.limits import length
from graph.uids import encode_uid
from models import (
    DeliveryStatus,
    MagesegCustomersegmentHistory,
    MagesegCustomersegmentWebhook,
    MagesegCustomersegmentWebhookAttempt,
    MagesegCustomersegmentWebhookDelivery,
    MembershipChangeKind,
)


@strawberry.enum(description="Whether a customer entered or left a segment.")
class SegmentMembershipChange(Enum):
    ENTERED = strawberry.enum_value(
        MembershipChangeKind.ENTERED.value, description="The customer became a member."
    )
    EXITED = strawberry.enum_value(
        MembershipChangeKind.EXITED.value, description="The customer stopped being a member."
    )


@strawberry.enum(description="Where a webhook delivery stands.")
class SegmentWebhookDeliveryStatus(Enum):
    PENDING = strawberry.enum_value(
        DeliveryStatus.PENDING.value,
        description="Not yet accepted by the receiver; retried with backoff.",
    )
    DELIVERED = strawberry.enum_value(
        DeliveryStatus.DELIVERED.value, description="The receiver answered 2xx."
    )
    FAILED = strawberry.enum_value(
        DeliveryStatus.FAILED.value,
        description="Every attempt failed; `adminRedeliverSegmentWebhookDelivery` retries it.",
    )


def _uid(value: int) -> strawberry.ID:
    return strawberry.ID(encode_uid(value))


@strawberry.type(description="One entry into or exit from a segment.")
class SegmentMembershipEvent:
    uid: strawberry.ID = strawberry.field(description="The unique ID of this history entry.")
    segment_uid: strawberry.ID = strawberry.field(description="The segment.")
    customer_uid: strawberry.ID = strawberry.field(description="The customer.")
    website_code: str | None = strawberry.field(
        description="The code of the website of the membership."
    )
    change: SegmentMembershipChange = strawberry.field(description="Entered or exited.")
    trigger: str = strawberry.field(
        description="What caused it: a Magento event name (`sales_order_save_commit_after`, ...), "
        "`refresh` or `time`."
    )
    created_at: str = strawberry.field(description="When it happened (UTC, `Y-m-d H:i:s`).")

    @classmethod
    def of(
        cls,
        *,
        history_id: int,
        segment_id: int,
        customer_id: int,
        website_code: str | None,
        change: MembershipChangeKind,
        trigger: str,
        created_at: str | None,
    ) -> SegmentMembershipEvent:
        return cls(
            uid=_uid(history_id),
            segment_uid=_uid(segment_id),
            customer_uid=_uid(customer_id),
            website_code=website_code,
            change=SegmentMembershipChange(MembershipChangeKind(change).value),
            trigger=trigger,
            created_at=created_at or "",
        )

    @classmethod
    def of_row(
        cls, row: MagesegCustomersegmentHistory, websites: dict[int, str]
    ) -> SegmentMembershipEvent:
        return cls.of(
            history_id=row.history_id,
            segment_id=row.segment_id,  # type: ignore[attr-defined]
            customer_id=row.customer_id,
            website_code=websites.get(row.website_id),
            change=row.change,
            trigger=row.trigger,
            created_at=magento_datetime_or_none(row.created_at),
        )


@strawberry.type(description="A page of the membership history, newest first.")
class SegmentMembershipHistory:
    items: list[SegmentMembershipEvent] = strawberry.field(description="The entries on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many entries match the filter.")


@strawberry.input(description="Filters for the membership history; both optional.")
class SegmentMembershipHistoryFilterInput:
    segment_uid: strawberry.ID | None = strawberry.field(
        default=None, description="Only this segment's entries and exits."
    )
    customer_uid: strawberry.ID | None = strawberry.field(
        default=None, description="Only this customer's entries and exits."
    )


@strawberry.type(description="A receiver of one segment's entries and exits (admin only).")
class SegmentWebhook:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the webhook.")
    segment_uid: strawberry.ID = strawberry.field(description="The segment it reports on.")
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    is_active: bool = strawberry.field(
        description="Inactive webhooks get no new deliveries and send none."
    )
    created_at: str | None = strawberry.field(description="When it was created (UTC).")
    updated_at: str | None = strawberry.field(description="When it was last changed (UTC).")

    @classmethod
    def of(cls, row: MagesegCustomersegmentWebhook) -> SegmentWebhook:
        return cls(
            uid=_uid(row.webhook_id),
            segment_uid=_uid(row.segment_id),  # type: ignore[attr-defined]
            url=row.url,
            is_active=row.is_active,
            created_at=magento_datetime_or_none(row.created_at),
            updated_at=magento_datetime_or_none(row.updated_at),
        )


@strawberry.input(description="A new segment webhook.")
class SegmentWebhookCreateInput:
    segment_uid: strawberry.ID = strawberry.field(description="The segment to report on.")
    url: str = strawberry.field(
        metadata=length(2048), description="An absolute http:// or https:// URL."
    )
    secret: str | None = strawberry.field(
        metadata=length(128),
        default=None,
        description="The signing secret (16 to 128 characters); generated when omitted. It is "
        "returned once, in this mutation's output.",
    )
    is_active: bool = strawberry.field(default=True, description="Whether it receives deliveries.")


@strawberry.input(description="Changes to a segment webhook; omitted fields stay as they are.")
class SegmentWebhookUpdateInput:
    url: str | None = strawberry.field(
        metadata=length(2048), default=None, description="A new absolute http:// or https:// URL."
    )
    secret: str | None = strawberry.field(
        metadata=length(128),
        default=None,
        description="A new signing secret (16 to 128 characters).",
    )
    is_active: bool | None = strawberry.field(
        default=None, description="Whether it receives deliveries."
    )


@strawberry.type(description="The result of creating or changing a segment webhook.")
class SegmentWebhookOutput:
    webhook: SegmentWebhook | None = strawberry.field(
        description="The webhook after the change; null when the input was refused."
    )
    secret: str | None = strawberry.field(
        description="The signing secret, only when the webhook was just created: store it now, "
        "it is never shown again."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a segment webhook.")
class DeleteSegmentWebhookOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted webhook; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the webhook was not deleted; empty on success."
    )


@strawberry.type(description="One HTTP attempt of a delivery.")
class SegmentWebhookAttempt:
    attempted_at: str = strawberry.field(description="When it was made (UTC).")
    status_code: int | None = strawberry.field(
        description="The receiver's HTTP status; null when no answer came."
    )
    error: str | None = strawberry.field(
        description="Why it failed (connection refused, timeout, HTTP 500); null on success."
    )
    duration_ms: int = strawberry.field(description="How long it took, in milliseconds.")

    @classmethod
    def of(cls, row: MagesegCustomersegmentWebhookAttempt) -> SegmentWebhookAttempt:
        return cls(
            attempted_at=magento_datetime_or_none(row.attempted_at) or "",
            status_code=row.status_code,
            error=row.error,
            duration_ms=row.duration_ms,
        )


@strawberry.type(description="One event to send to one webhook, with its attempts.")
class SegmentWebhookDelivery:
    uid: strawberry.ID = strawberry.field(
        description="The unique ID of the delivery; receivers see its id in `X-Mageseg-Delivery`."
    )
    webhook_uid: strawberry.ID = strawberry.field(description="The webhook.")
    event: SegmentMembershipEvent = strawberry.field(description="The change it reports.")
    status: SegmentWebhookDeliveryStatus = strawberry.field(description="Where it stands.")
    attempts: int = strawberry.field(description="How many attempts were made.")
    next_attempt_at: str | None = strawberry.field(
        description="When the next attempt is due, while pending (UTC)."
    )
    last_status_code: int | None = strawberry.field(
        description="The HTTP status of the last attempt; null when it got no answer."
    )
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    delivered_at: str | None = strawberry.field(description="When the receiver accepted it (UTC).")
    created_at: str | None = strawberry.field(description="When the change was recorded (UTC).")
    log: list[SegmentWebhookAttempt] = strawberry.field(description="Every attempt, oldest first.")

    @classmethod
    def of(
        cls,
        row: MagesegCustomersegmentWebhookDelivery,
        log: list[MagesegCustomersegmentWebhookAttempt],
        websites: dict[int, str],
    ) -> SegmentWebhookDelivery:
        pending = row.status == DeliveryStatus.PENDING
        return cls(
            uid=_uid(row.delivery_id),
            webhook_uid=_uid(row.webhook_id),  # type: ignore[attr-defined]
            event=SegmentMembershipEvent.of_row(row.history, websites),
            status=SegmentWebhookDeliveryStatus(DeliveryStatus(row.status).value),
            attempts=row.attempts,
            next_attempt_at=magento_datetime_or_none(row.next_attempt_at) if pending else None,
            last_status_code=row.last_status_code,
            last_error=row.last_error,
            delivered_at=magento_datetime_or_none(row.delivered_at),
            created_at=magento_datetime_or_none(row.created_at),
            log=[SegmentWebhookAttempt.of(a) for a in log],
        )


@strawberry.type(description="A page of a webhook's deliveries, newest first.")
class SegmentWebhookDeliveries:
    items: list[SegmentWebhookDelivery] = strawberry.field(
        description="The deliveries on this page."
    )
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many deliveries match the filter.")


@strawberry.type(description="The result of sending a failed delivery again.")
class SegmentWebhookDeliveryOutput:
    delivery: SegmentWebhookDelivery | None = strawberry.field(
        description="The delivery, pending again; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why it was refused; empty on success."
    )
