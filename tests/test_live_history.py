"""The membership history: `history.record` writes history and outbox rows in the caller's
transaction, announces them once after commit, and admins read them through
`adminSegmentMembershipHistory`; `feed.tail` hands them out in order."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from engine import invalidation
from engine.segments import feed, history
from engine.segments.changes import TRIGGER_REFRESH, TRIGGER_TIME, MembershipChange
from engine.uids import encode_uid
from models import (
    DeliveryStatus,
    MagentoCustomersegmentSegment,
    MagesegCustomersegmentHistory,
    MagesegCustomersegmentWebhook,
    MagesegCustomersegmentWebhookDelivery,
    MembershipChangeKind,
)
from tests.factories import make_customer, token_for
from tests.graphql import gql

AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
ENTERED = MembershipChangeKind.ENTERED
EXITED = MembershipChangeKind.EXITED

HISTORY = """
query ($filter: SegmentMembershipHistoryFilterInput, $pageSize: Int, $currentPage: Int) {
  adminSegmentMembershipHistory(filter: $filter, pageSize: $pageSize, currentPage: $currentPage) {
    items { uid segment_uid customer_uid website_code change trigger created_at }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""


async def make_segment(name: str = "S") -> int:
    segment = await MagentoCustomersegmentSegment.create(name=name)
    return segment.segment_id


def change(
    segment_id: int,
    customer_id: int,
    kind: MembershipChangeKind = ENTERED,
    *,
    trigger: str = "customer_save_commit_after",
    at: datetime = AT,
) -> MembershipChange:
    return MembershipChange(segment_id, customer_id, 1, kind, trigger, at)


async def test_record_writes_history_and_one_delivery_per_active_webhook(db: Any) -> None:
    one, two = await make_segment("one"), await make_segment("two")
    active = await MagesegCustomersegmentWebhook.create(
        segment_id=one, url="http://a.test/", secret="s" * 20
    )
    second = await MagesegCustomersegmentWebhook.create(
        segment_id=one, url="http://b.test/", secret="s" * 20
    )
    await MagesegCustomersegmentWebhook.create(
        segment_id=one, url="http://off.test/", secret="s" * 20, is_active=False
    )
    async with in_transaction():
        await history.record(
            [change(one, 7), change(two, 7, EXITED, trigger=TRIGGER_TIME), change(one, 8, EXITED)]
        )

    rows = await MagesegCustomersegmentHistory.all().order_by("history_id")
    assert [
        (r.segment_id, r.customer_id, r.website_id, r.change, r.trigger, r.created_at)  # type: ignore[attr-defined]
        for r in rows
    ] == [
        (one, 7, 1, ENTERED, "customer_save_commit_after", AT),
        (two, 7, 1, EXITED, "time", AT),
        (one, 8, 1, EXITED, "customer_save_commit_after", AT),
    ]
    deliveries = await MagesegCustomersegmentWebhookDelivery.all().order_by("delivery_id")
    assert sorted(
        (d.webhook_id, d.history_id, d.status, d.attempts, d.next_attempt_at)  # type: ignore[attr-defined]
        for d in deliveries
    ) == sorted(
        (w, rows[h].history_id, DeliveryStatus.PENDING, 0, AT)
        for w in (active.webhook_id, second.webhook_id)
        for h in (0, 2)
    )


async def test_record_rolls_back_with_the_callers_transaction(db: Any) -> None:
    segment = await make_segment()
    await MagesegCustomersegmentWebhook.create(
        segment_id=segment, url="http://a.test/", secret="s" * 20
    )

    async def failing_write() -> None:
        async with in_transaction():
            await history.record([change(segment, 1)])
            raise RuntimeError("membership write failed")

    with pytest.raises(RuntimeError):
        await failing_write()
    assert await MagesegCustomersegmentHistory.all().count() == 0
    assert await MagesegCustomersegmentWebhookDelivery.all().count() == 0


async def test_record_of_nothing_writes_nothing(db: Any) -> None:
    await history.record([])
    assert await MagesegCustomersegmentHistory.all().count() == 0


async def test_tens_of_changes_in_two_statements(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    segment = await make_segment()
    for n in range(3):
        await MagesegCustomersegmentWebhook.create(
            segment_id=segment, url=f"http://{n}.test/", secret="s" * 20
        )
    changes = [change(segment, c, ENTERED if c % 2 else EXITED) for c in range(1, 61)]
    # On the class: on PostgreSQL the queries run in a transaction wrapper (a subclass).
    client_class = type(MagesegCustomersegmentHistory._meta.db)
    statements: list[str] = []
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(client_class, name)

        async def counted(self: Any, query: str, *args: Any, _original: Any = original) -> Any:
            statements.append(query)
            return await _original(self, query, *args)

        monkeypatch.setattr(client_class, name, counted)
    async with in_transaction():
        await history.record(changes)
    monkeypatch.undo()
    assert len(statements) == 2
    assert await MagesegCustomersegmentHistory.all().count() == 60
    assert await MagesegCustomersegmentWebhookDelivery.all().count() == 180


async def test_announce_is_registered_once_per_tracking_block(db: Any, services: Any) -> None:
    segment = await make_segment()
    async with invalidation.tracking(services.cache) as tracker:
        await history.record([change(segment, 1)])
        assert tracker.callbacks == [feed.announce]
        await history.record([change(segment, 2)])
        assert tracker.callbacks == [feed.announce]


async def test_announce_wakes_a_waiter(db: Any) -> None:
    with feed.Waiter() as waiter:
        started = time.perf_counter()
        task = asyncio.create_task(waiter.wait(5.0))
        await asyncio.sleep(0)
        await feed.announce()
        await task
        assert time.perf_counter() - started < 1.0


async def test_tail_reads_in_order_only_the_requested_segments(db: Any) -> None:
    one, two = await make_segment("one"), await make_segment("two")
    async with in_transaction():
        await history.record([change(one, 1)])  # before the tail: not reported
    seen: list[tuple[int, int, MembershipChangeKind]] = []

    async def consume() -> None:
        async for entry in feed.tail([one], poll_seconds=0.05):
            seen.append((entry.segment_id, entry.customer_id, entry.change))
            if len(seen) == 3:
                return

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.1)
    async with in_transaction():
        await history.record([change(one, 2), change(two, 3), change(one, 2, EXITED)])
    await feed.announce()
    async with in_transaction():
        await history.record([change(two, 4), change(one, 5)])
    await asyncio.wait_for(task, 5.0)
    assert seen == [(one, 2, ENTERED), (one, 2, EXITED), (one, 5, ENTERED)]


async def test_tail_rereads_an_id_committed_late(db: Any) -> None:
    """An id taken by a transaction still in flight is read once it commits."""
    segment = await make_segment()
    async with in_transaction():
        await history.record([change(segment, 1), change(segment, 2), change(segment, 3)])
    rows = await MagesegCustomersegmentHistory.all().order_by("history_id")
    # Pretend the middle row was not committed yet: take it out, then put it back.
    middle = rows[1]
    await MagesegCustomersegmentHistory.filter(history_id=middle.history_id).delete()
    seen: list[int] = []

    async def consume() -> None:
        async for entry in feed.tail([segment], after_id=0, poll_seconds=0.05):
            seen.append(entry.customer_id)
            if len(seen) == 3:
                return

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.15)
    assert seen == [1, 3]
    await MagesegCustomersegmentHistory.create(
        history_id=middle.history_id,
        segment_id=segment,
        customer_id=2,
        website_id=1,
        change=ENTERED,
        trigger="x",
        created_at=AT,
    )
    await asyncio.wait_for(task, 5.0)
    assert seen == [1, 3, 2]


async def test_admin_reads_the_history_filtered_and_paginated(
    client: Any, admin_token: str
) -> None:
    one, two = await make_segment("one"), await make_segment("two")
    ann = await make_customer("ann@example.com")
    bob = await make_customer("bob@example.com")
    async with in_transaction():
        await history.record(
            [
                change(one, ann.entity_id, at=AT),
                change(one, bob.entity_id, at=AT + timedelta(seconds=1)),
                change(two, ann.entity_id, at=AT + timedelta(seconds=2), trigger=TRIGGER_REFRESH),
                change(one, ann.entity_id, EXITED, at=AT + timedelta(minutes=1)),
            ]
        )
    ids = [r.history_id for r in await MagesegCustomersegmentHistory.all().order_by("history_id")]

    def entry(i: int, segment: int, customer: int, kind: str, trigger: str, at: str) -> Any:
        return {
            "uid": encode_uid(ids[i]),
            "segment_uid": encode_uid(segment),
            "customer_uid": encode_uid(customer),
            "website_code": "base",
            "change": kind,
            "trigger": trigger,
            "created_at": at,
        }

    everything = await gql(client, HISTORY, {}, token=admin_token)
    assert everything.errors == []
    assert everything.data == {
        "adminSegmentMembershipHistory": {
            "items": [
                entry(
                    3,
                    one,
                    ann.entity_id,
                    "EXITED",
                    "customer_save_commit_after",
                    "2026-11-20 09:31:00",
                ),
                entry(2, two, ann.entity_id, "ENTERED", "refresh", "2026-11-20 09:30:02"),
                entry(
                    1,
                    one,
                    bob.entity_id,
                    "ENTERED",
                    "customer_save_commit_after",
                    "2026-11-20 09:30:01",
                ),
                entry(
                    0,
                    one,
                    ann.entity_id,
                    "ENTERED",
                    "customer_save_commit_after",
                    "2026-11-20 09:30:00",
                ),
            ],
            "page_info": {"current_page": 1, "page_size": 20, "total_pages": 1},
            "total_count": 4,
        }
    }

    filtered = await gql(
        client,
        HISTORY,
        {
            "filter": {"segment_uid": encode_uid(one), "customer_uid": encode_uid(ann.entity_id)},
            "pageSize": 1,
            "currentPage": 2,
        },
        token=admin_token,
    )
    assert filtered.errors == []
    assert filtered.data == {
        "adminSegmentMembershipHistory": {
            "items": [
                entry(
                    0,
                    one,
                    ann.entity_id,
                    "ENTERED",
                    "customer_save_commit_after",
                    "2026-11-20 09:30:00",
                )
            ],
            "page_info": {"current_page": 2, "page_size": 1, "total_pages": 2},
            "total_count": 2,
        }
    }


async def test_history_refuses_bad_uids_and_non_admins(client: Any, admin_token: str) -> None:
    bad = await gql(client, HISTORY, {"filter": {"segment_uid": "nope"}}, token=admin_token)
    assert bad.categories == ["graphql-input"]
    assert bad.messages == ['Value of uid "nope" is incorrect.']

    customer = await make_customer()
    for token in (None, await token_for(customer)):
        refused = await gql(client, HISTORY, {}, token=token)
        assert refused.categories == ["graphql-authorization"]
        assert refused.data is None


README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


async def test_the_readme_history_example_runs(client: Any, admin_token: str) -> None:
    section = README.split("### Membership events", 1)[1]
    query = re.findall(r"```graphql\n(.*?)```", section, re.S)[0]
    query = query.replace("<segment uid>", "MQ==")  # the segment made here
    segment = await make_segment()
    assert segment == 1
    async with in_transaction():
        await history.record([change(segment, 7)])
    response = await gql(client, query, token=admin_token)
    assert response.errors == []
    assert response.data == {
        "adminSegmentMembershipHistory": {
            "items": [
                {
                    "segment_uid": "MQ==",
                    "customer_uid": "Nw==",
                    "website_code": "base",
                    "change": "ENTERED",
                    "trigger": "customer_save_commit_after",
                    "created_at": "2026-11-20 09:30:00",
                }
            ],
            "total_count": 1,
        }
    }
