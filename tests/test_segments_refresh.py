"""Full segment refresh: exact members, kept added dates, failures, visitors, one at a time."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engine.errors import NoSuchEntity
from engine.segments import jobs, refresh
from engine.segments.refresh import RefreshRunning
from models import (
    CustomerEntity,
    MagesegCustomersegmentHistory,
    MagesegCustomersegmentWebhook,
    MagesegCustomersegmentWebhookDelivery,
)
from models.segments import (
    ApplyTo,
    MagentoCustomersegmentCustomer,
    MagentoCustomersegmentSegment,
    MagentoCustomersegmentWebsite,
    RefreshStatus,
)
from models.stores import StoreWebsite
from tests.factories import make_customer

T1 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)

ROOT = "Magento\\CustomerSegment\\Model\\Segment\\Condition\\Combine\\Root"
CUSTOMER_ATTRIBUTES = "Magento\\CustomerSegment\\Model\\Segment\\Condition\\Customer\\Attributes"


def customer_is(attribute: str, value: str) -> str:
    """Magento's `conditions_serialized`: "Customer <attribute> is <value>"."""
    return json.dumps(
        {
            "type": ROOT,
            "attribute": None,
            "operator": None,
            "value": "1",
            "is_value_processed": None,
            "aggregator": "all",
            "conditions": [
                {
                    "type": CUSTOMER_ATTRIBUTES,
                    "attribute": attribute,
                    "operator": "==",
                    "value": value,
                    "is_value_processed": False,
                }
            ],
        }
    )


async def make_segment(
    conditions: str,
    *,
    name: str = "Anns",
    websites: tuple[int, ...] = (1,),
    apply_to: ApplyTo = ApplyTo.BOTH,
    is_active: bool = True,
) -> MagentoCustomersegmentSegment:
    segment = await MagentoCustomersegmentSegment.create(
        name=name, conditions_serialized=conditions, apply_to=apply_to, is_active=is_active
    )
    for website_id in websites:
        await MagentoCustomersegmentWebsite.create(segment=segment, website_id=website_id)
    return segment


async def members(segment_id: int) -> dict[tuple[int, int], tuple[datetime, datetime]]:
    """(customer_id, website_id) -> (added_date, updated_date)."""
    rows = await MagentoCustomersegmentCustomer.filter(segment_id=segment_id)
    return {(r.customer_id, r.website_id): (r.added_date, r.updated_date) for r in rows}  # type: ignore[attr-defined]


async def test_refresh_stores_exactly_the_matching_customers_per_website(db: Any) -> None:
    await StoreWebsite.create(website_id=2, code="second", name="Second")
    ann = await make_customer("ann@example.com", firstname="Ann")
    shouting = await make_customer("ann2@example.com", firstname="ANN")
    await make_customer("bob@example.com", firstname="Bob")
    ann_elsewhere = await make_customer(
        "ann@example.com", firstname="Ann", website_id=2, store_id=None
    )
    segment = await make_segment(customer_is("firstname", "ann"), websites=(1, 2))

    result = await refresh.refresh_segment(segment.segment_id, now=T1)

    assert result.status is RefreshStatus.DONE
    assert result.error is None
    assert result.matched_count == 3
    assert result.matched_by_website == {1: 2, 2: 1}
    assert await members(segment.segment_id) == {
        (ann.entity_id, 1): (T1, T1),
        (shouting.entity_id, 1): (T1, T1),
        (ann_elsewhere.entity_id, 2): (T1, T1),
    }
    stored = await MagentoCustomersegmentSegment.get(segment_id=segment.segment_id)
    assert stored.refresh_status is RefreshStatus.DONE
    assert stored.matched_count == 3
    assert stored.refresh_duration_ms == result.duration_ms
    assert stored.refresh_started_at == T1
    assert stored.refresh_finished_at is not None
    assert stored.refresh_error is None
    assert stored.refresh_owner is None


async def test_members_that_stay_keep_their_added_date(db: Any) -> None:
    ann = await make_customer("ann@example.com", lastname="Lee")
    bob = await make_customer("bob@example.com", lastname="Lee")
    await make_customer("cat@example.com", lastname="Ray")
    segment = await make_segment(customer_is("lastname", "Lee"))
    await refresh.refresh_segment(segment.segment_id, now=T1)
    assert set(await members(segment.segment_id)) == {(ann.entity_id, 1), (bob.entity_id, 1)}

    await CustomerEntity.filter(entity_id=bob.entity_id).update(lastname="Kim")
    dan = await make_customer("dan@example.com", lastname="LEE")
    result = await refresh.refresh_segment(segment.segment_id, now=T2)

    assert result.matched_count == 2
    assert await members(segment.segment_id) == {
        (ann.entity_id, 1): (T1, T2),
        (dan.entity_id, 1): (T2, T2),
    }


async def test_members_of_a_website_no_longer_assigned_are_removed(db: Any) -> None:
    await StoreWebsite.create(website_id=2, code="second", name="Second")
    ann = await make_customer("ann@example.com")
    await make_customer("ann@example.com", website_id=2, store_id=None)
    segment = await make_segment(customer_is("firstname", "Ann"), websites=(1, 2))
    assert (await refresh.refresh_segment(segment.segment_id, now=T1)).matched_count == 2

    await MagentoCustomersegmentWebsite.filter(segment_id=segment.segment_id, website_id=2).delete()
    result = await refresh.refresh_segment(segment.segment_id, now=T2)

    assert result.matched_by_website == {1: 1}
    assert await members(segment.segment_id) == {(ann.entity_id, 1): (T1, T2)}


async def test_a_failed_refresh_keeps_the_old_members_and_records_the_error(db: Any) -> None:
    ann = await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    await refresh.refresh_segment(segment.segment_id, now=T1)
    await MagentoCustomersegmentSegment.filter(segment_id=segment.segment_id).update(
        conditions_serialized='{"type": "not a tree'
    )
    await make_customer("ann2@example.com")

    result = await refresh.refresh_segment(segment.segment_id, now=T2)

    assert result.status is RefreshStatus.FAILED
    assert result.error is not None
    assert result.error.startswith("CorruptTree: ")
    assert await members(segment.segment_id) == {(ann.entity_id, 1): (T1, T1)}
    stored = await MagentoCustomersegmentSegment.get(segment_id=segment.segment_id)
    assert stored.refresh_status is RefreshStatus.FAILED
    assert stored.refresh_error == result.error
    assert stored.matched_count == 1  # the last successful count stays
    assert stored.refresh_owner is None


async def test_visitor_segments_hold_no_members_and_are_skipped(db: Any) -> None:
    await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"), apply_to=ApplyTo.VISITORS)

    result = await refresh.refresh_segment(segment.segment_id, now=T1)

    assert result.skipped
    assert result.status is RefreshStatus.VISITORS_ONLY
    assert result.matched_count == 0
    assert await members(segment.segment_id) == {}
    stored = await MagentoCustomersegmentSegment.get(segment_id=segment.segment_id)
    assert (stored.refresh_status, stored.matched_count) == (RefreshStatus.VISITORS_ONLY, 0)


async def test_inactive_segments_are_refreshed_as_magento_does(db: Any) -> None:
    ann = await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"), is_active=False)

    result = await refresh.refresh_segment(segment.segment_id, now=T1)

    assert result.matched_count == 1
    assert set(await members(segment.segment_id)) == {(ann.entity_id, 1)}


async def test_an_unknown_segment_is_not_found(db: Any) -> None:
    with pytest.raises(NoSuchEntity):
        await refresh.refresh_segment(999)


async def test_two_refreshes_at_once_run_one(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ann = await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    entered, release = asyncio.Event(), asyncio.Event()
    real_build_scope = refresh.build_scope

    async def slow_build_scope(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        await release.wait()
        return await real_build_scope(*args, **kwargs)

    monkeypatch.setattr(refresh, "build_scope", slow_build_scope)
    first = asyncio.create_task(refresh.refresh_segment(segment.segment_id, now=T1))
    await asyncio.wait_for(entered.wait(), 10)

    with pytest.raises(RefreshRunning):
        await refresh.refresh_segment(segment.segment_id, now=T2)
    release.set()
    result = await first

    assert result.status is RefreshStatus.DONE
    assert await members(segment.segment_id) == {(ann.entity_id, 1): (T1, T1)}


async def test_the_claim_lets_exactly_one_of_two_concurrent_callers_win(db: Any) -> None:
    segment = await make_segment(customer_is("firstname", "Ann"))
    won = await asyncio.gather(
        *(
            refresh.claim(segment.segment_id, f"host:1:{n}", now=T1, only_queued=False)
            for n in range(2)
        )
    )
    assert sorted(won) == [False, True]
    stored = await MagentoCustomersegmentSegment.get(segment_id=segment.segment_id)
    assert stored.refresh_status is RefreshStatus.RUNNING


async def test_a_refresh_running_in_another_process_is_not_started_again(db: Any) -> None:
    segment = await make_segment(customer_is("firstname", "Ann"))
    await MagentoCustomersegmentSegment.filter(segment_id=segment.segment_id).update(
        refresh_status=RefreshStatus.RUNNING, refresh_owner="other-host:4242:abcd"
    )
    with pytest.raises(RefreshRunning):
        await refresh.refresh_segment(segment.segment_id)
    assert await members(segment.segment_id) == {}


async def test_queued_again_while_running_ends_queued(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_customer("ann@example.com")
    segment = await make_segment(customer_is("firstname", "Ann"))
    entered, release = asyncio.Event(), asyncio.Event()
    real_build_scope = refresh.build_scope

    async def slow_build_scope(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        await release.wait()
        return await real_build_scope(*args, **kwargs)

    monkeypatch.setattr(refresh, "build_scope", slow_build_scope)
    running = asyncio.create_task(refresh.refresh_segment(segment.segment_id, now=T1))
    await asyncio.wait_for(entered.wait(), 10)
    # On SQLite this waits for the refresh's transaction; on PostgreSQL it lands during it.
    queueing = asyncio.create_task(
        jobs.mark_queued([segment.segment_id], now=T1 + timedelta(minutes=1))
    )
    await asyncio.sleep(0.2)
    release.set()
    await running
    await queueing

    stored = await MagentoCustomersegmentSegment.get(segment_id=segment.segment_id)
    assert stored.refresh_status is RefreshStatus.QUEUED
    assert stored.refresh_queued_at == T1 + timedelta(minutes=1)


# --- history and outbox ---------------------------------------------------------------------


async def history_of(segment_id: int) -> list[tuple[int, int, str, str, datetime]]:
    rows = await MagesegCustomersegmentHistory.filter(segment_id=segment_id).order_by("history_id")
    return [(r.customer_id, r.website_id, str(r.change), r.trigger, r.created_at) for r in rows]


async def test_a_refresh_records_every_entry_and_exit_as_history(db: Any) -> None:
    await StoreWebsite.create(website_id=2, code="second", name="Second")
    ann = await make_customer("ann@example.com", lastname="Lee")
    bob = await make_customer("bob@example.com", lastname="Lee")
    ann2 = await make_customer("ann@example.com", lastname="Lee", website_id=2, store_id=None)
    segment = await make_segment(customer_is("lastname", "Lee"), websites=(1, 2))
    first = await refresh.refresh_segment(segment.segment_id, now=T1)

    await CustomerEntity.filter(entity_id=bob.entity_id).update(lastname="Kim")
    dan = await make_customer("dan@example.com", lastname="Lee")
    second = await refresh.refresh_segment(segment.segment_id, now=T2)
    third = await refresh.refresh_segment(segment.segment_id, now=T2 + timedelta(hours=1))

    assert (first.entered, first.exited) == (3, 0)
    assert (second.entered, second.exited) == (1, 1)
    assert (third.entered, third.exited) == (0, 0)
    history = await history_of(segment.segment_id)
    assert sorted(history[:3]) == sorted(
        [
            (ann.entity_id, 1, "entered", "refresh", T1),
            (bob.entity_id, 1, "entered", "refresh", T1),
            (ann2.entity_id, 2, "entered", "refresh", T1),
        ]
    )
    assert history[3:] == [
        (bob.entity_id, 1, "exited", "refresh", T2),
        (dan.entity_id, 1, "entered", "refresh", T2),
    ]


async def test_a_refresh_writes_one_outbox_row_per_active_webhook_and_change(db: Any) -> None:
    ann = await make_customer("ann@example.com")
    bob = await make_customer("bob@example.com", firstname="Bob")
    segment = await make_segment(customer_is("firstname", "Ann"))
    other = await make_segment(customer_is("firstname", "Ann"), name="other")
    active = await MagesegCustomersegmentWebhook.create(
        segment_id=segment.segment_id, url="http://127.0.0.1:9/a", secret="s"
    )
    await MagesegCustomersegmentWebhook.create(
        segment_id=segment.segment_id, url="http://127.0.0.1:9/b", secret="s", is_active=False
    )
    elsewhere = await MagesegCustomersegmentWebhook.create(
        segment_id=other.segment_id, url="http://127.0.0.1:9/c", secret="s"
    )
    await refresh.refresh_segment(segment.segment_id, now=T1)
    await CustomerEntity.filter(entity_id=bob.entity_id).update(firstname="Ann")
    await CustomerEntity.filter(entity_id=ann.entity_id).update(firstname="Cy")
    await refresh.refresh_segment(segment.segment_id, now=T2)

    rows = await MagesegCustomersegmentWebhookDelivery.all().order_by("delivery_id")
    deliveries = []
    for row in rows:
        entry = await MagesegCustomersegmentHistory.get(history_id=row.history_id)  # type: ignore[attr-defined]
        deliveries.append(
            (
                row.webhook_id,  # type: ignore[attr-defined]
                entry.customer_id,
                str(entry.change),
                row.status.value,
                row.attempts,
                row.next_attempt_at,
            )
        )
    assert sorted(deliveries) == sorted(
        [
            (active.webhook_id, ann.entity_id, "entered", "pending", 0, T1),
            (active.webhook_id, ann.entity_id, "exited", "pending", 0, T2),
            (active.webhook_id, bob.entity_id, "entered", "pending", 0, T2),
        ]
    )
    assert elsewhere.webhook_id not in {d[0] for d in deliveries}
