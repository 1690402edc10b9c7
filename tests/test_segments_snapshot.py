"""The website's active segments as parsed data (`engine.segments.snapshot`): what is in it, and its
memo, keyed by the `Topic.SEGMENTS` version so that a segment change is seen at once."""

from __future__ import annotations

from typing import Any

from engine.cache import Cache
from engine.invalidation import Topic, touch, tracking
from engine.segments import events, service, snapshot
from engine.segments.drafts import ConditionDraft, ConditionType
from models import ApplyTo, MagentoCustomersegmentSegment

FIRSTNAME_ANN = ConditionDraft(
    ConditionType.COMBINE,
    aggregator="all",
    value="1",
    conditions=(ConditionDraft(ConditionType.CUSTOMER_ATTRIBUTE, "firstname", "==", "Ann"),),
)
CART_TWO_LINES = ConditionDraft(
    ConditionType.COMBINE,
    aggregator="all",
    value="1",
    conditions=(ConditionDraft(ConditionType.CART_LINE_ITEMS, None, ">=", "2"),),
)


async def given(
    name: str,
    conditions: ConditionDraft,
    apply_to: ApplyTo = ApplyTo.BOTH,
    *,
    active: bool = True,
    websites: tuple[int, ...] = (1,),
) -> int:
    segment = await service.create(
        service.SegmentChanges(
            name=name,
            apply_to=apply_to,
            is_active=active,
            website_ids=list(websites),
            conditions=conditions,
        )
    )
    return segment.segment_id


async def test_the_active_segments_of_the_website_with_trees_and_events(db: Any) -> None:
    ann = await given("Ann", FIRSTNAME_ANN, ApplyTo.REGISTERED)
    carts = await given("Carts", CART_TWO_LINES, ApplyTo.VISITORS)
    await given("Inactive", FIRSTNAME_ANN, active=False)
    await given("Elsewhere", FIRSTNAME_ANN, websites=())
    corrupt = await given("Corrupt", FIRSTNAME_ANN)
    await MagentoCustomersegmentSegment.filter(segment_id=corrupt).update(
        conditions_serialized='{"type": "No\\\\Such\\\\Class"}'
    )

    found = await snapshot.website_segments(1)

    assert [s.segment_id for s in found.segments] == [ann, carts]
    assert found.segments[0].events == frozenset({events.CUSTOMER_LOGIN, events.CUSTOMER_SAVE})
    assert found.segments[1].events == frozenset(
        {
            events.CUSTOMER_LOGIN,
            events.VISITOR_INIT,
            events.QUOTE_SAVE,
            events.QUOTE_TOTALS,
        }
    )
    assert [s.segment_id for s in found.for_customers()] == [ann]
    assert [s.segment_id for s in found.for_visitors()] == [carts]
    assert [s.segment_id for s in found.listening(events.QUOTE_SAVE)] == [carts]
    assert found.listening(events.QUOTE_SAVE, customers=True) == ()
    assert [s.segment_id for s in found.listening(events.CUSTOMER_LOGIN, customers=True)] == [ann]
    assert found.version is None  # no tracking block: loaded fresh, not memoized


async def test_without_a_cache_every_call_loads_afresh(db: Any) -> None:
    first = await snapshot.website_segments(1)
    second = await snapshot.website_segments(1)

    assert first is not second


async def test_memoized_until_the_segments_version_moves(db: Any) -> None:
    cache = Cache.create(None, "snapshot-test")
    ann = await given("Ann", FIRSTNAME_ANN, ApplyTo.REGISTERED)
    async with tracking(cache):
        first = await snapshot.website_segments(1)
        again = await snapshot.website_segments(1)
    async with tracking(cache):
        carts = await given("Carts", CART_TWO_LINES)  # touches Topic.SEGMENTS
    async with tracking(cache):
        after = await snapshot.website_segments(1)
        other_website = await snapshot.website_segments(2)

    assert again is first
    assert [s.segment_id for s in first.segments] == [ann]
    assert [s.segment_id for s in after.segments] == [ann, carts]
    assert after.version != first.version
    assert other_website.segments == ()


async def test_a_fresh_cache_never_sees_another_caches_memo(db: Any) -> None:
    await given("Ann", FIRSTNAME_ANN)
    async with tracking(Cache.create(None, "one")):
        first = await snapshot.website_segments(1)
    async with tracking(Cache.create(None, "two")):
        second = await snapshot.website_segments(1)

    assert first is not second


async def test_a_touch_without_a_segment_write_also_reloads(db: Any) -> None:
    cache = Cache.create(None, "touch-test")
    async with tracking(cache):
        first = await snapshot.website_segments(1)
    async with tracking(cache):
        touch(Topic.SEGMENTS)
    async with tracking(cache):
        second = await snapshot.website_segments(1)

    assert first is not second


async def test_the_scope_carries_the_referenced_trees(db: Any) -> None:
    ann = await given("Ann", FIRSTNAME_ANN)
    referring = await given(
        "In Ann",
        ConditionDraft(
            ConditionType.COMBINE,
            aggregator="all",
            value="1",
            conditions=(ConditionDraft(ConditionType.SEGMENT, None, "==", str(ann)),),
        ),
    )

    found = await snapshot.website_segments(1)
    scope = await found.scope()

    assert [s.segment_id for s in found.segments] == [ann, referring]
    assert set(scope.referenced) == {ann}
    assert scope.referenced[ann] == found.segments[0].tree
    assert scope.website_id == 1
