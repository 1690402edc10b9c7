"""Time passes: relative-date memberships change at each website's local midnight, with no event,
on a controllable clock (`ManualClock` in the app's services), and only the segments whose
conditions read the date are re-evaluated.

Given website 1 (America/Chicago, UTC-5 in June) and website 2 (Asia/Tokyo, UTC+9), the clock
at 2026-06-15 12:00 UTC (07:00 in Chicago, 21:00 in Tokyo): Ann (website 1) last ordered on
2026-05-16 local, 30 days ago, so she is still "ordered within the last 30 days" (Magento's
`Period >= 30 Days Up To Date` includes the 30th day) until Chicago's midnight; Kenji (website 2)
likewise in Tokyo; Cy (website 1) last ordered 90 days ago, so he enters "no order in the last
90 days" at Chicago's midnight. Tokyo's midnight comes first (15:00 UTC), Chicago's at 05:00 UTC
the next day."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from tortoise.context import TortoiseContext

from engine import midnight
from engine.clock import ManualClock, SystemClock
from engine.segments import timeline
from engine.segments.tree import (
    Combine,
    CustomerAttribute,
    DateRange,
    Operator,
    OrdersNumber,
    SegmentMembership,
    UpToDate,
)
from engine.uids import decode_uid
from mageseg.app import TIME_RUNNER, create_app
from mageseg.settings import Settings
from models import (
    MagentoCustomersegmentCustomer,
    MagentoCustomersegmentSegment,
    MagesegCustomersegmentHistory,
    MagesegCustomersegmentTimeRun,
    OrderState,
    SalesOrder,
    Store,
    StoreGroup,
    StoreWebsite,
)
from models.segments import RefreshStatus
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_segments_support import combine, create_segment, leaf

T0 = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
TOKYO_MIDNIGHT = datetime(2026, 6, 15, 15, 0, tzinfo=UTC)  # 2026-06-16 00:00 JST
CHICAGO_MIDNIGHT = datetime(2026, 6, 16, 5, 0, tzinfo=UTC)  # 2026-06-16 00:00 CDT
CHICAGO, TOKYO = ZoneInfo("America/Chicago"), ZoneInfo("Asia/Tokyo")
WEBSITE_1, WEBSITE_2 = "MQ==", "Mg=="

CUSTOMER = "{ customer { segments { uid } } }"


def sub(type_: str, *children: dict[str, Any], **fields: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"type": type_, "aggregator": "ALL", "conditions": list(children)}
    for key, value in fields.items():
        node[key] = [value] if key == "value" else value
    return node


ORDERED_WITHIN_30_DAYS = combine(
    sub(
        "ORDERS_NUMBER",
        leaf("UP_TO_DATE", None, "GREATER_OR_EQUAL", "30"),
        operator="GREATER_OR_EQUAL",
        value="1",
    )
)
NO_ORDER_FOR_90_DAYS = combine(
    sub(
        "ORDERS_NUMBER",
        leaf("UP_TO_DATE", None, "GREATER_OR_EQUAL", "90"),
        operator="IS",
        value="0",
    )
)
NAMED_ANN = combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def app(settings: Settings, db: TortoiseContext, clock: ManualClock) -> web.Application:
    return create_app(settings, manage_database=False, clock=clock)


@pytest.fixture
async def client(aiohttp_client: Any, app: web.Application) -> Any:
    """The app, once its time runner's first pass (at T0) is done."""
    client = await aiohttp_client(app)
    await asyncio.wait_for(app[TIME_RUNNER].ready.wait(), 10)
    return client


async def make_tokyo() -> None:
    await StoreWebsite.create(website_id=2, code="tokyo", name="Tokyo", timezone="Asia/Tokyo")
    await StoreGroup.create(group_id=2, website_id=2, code="tokyo_group", name="Tokyo")
    await Store.create(store_id=2, code="tokyo_ja", website_id=2, group_id=2, name="Tokyo JA")


async def order_on(customer_id: int, store_id: int, local: datetime, number: str) -> None:
    await SalesOrder.create(
        increment_id=number,
        state=OrderState.COMPLETE,
        status="complete",
        store_id=store_id,
        customer_id=customer_id,
        customer_email=f"{number}@example.com",
        base_grand_total=Decimal(10),
        grand_total=Decimal(10),
        total_qty_ordered=Decimal(1),
        created_at=local.astimezone(UTC),
    )


async def members(segment_uid: str) -> set[tuple[int, int]]:
    rows = await MagentoCustomersegmentCustomer.filter(segment_id=_id(segment_uid)).values_list(
        "customer_id", "website_id"
    )
    return {(int(c), int(w)) for c, w in rows}


async def history(segment_uid: str) -> list[tuple[int, int, str, str, datetime]]:
    rows = await MagesegCustomersegmentHistory.filter(segment_id=_id(segment_uid)).order_by(
        "history_id"
    )
    return [(r.customer_id, r.website_id, str(r.change), r.trigger, r.created_at) for r in rows]


def _id(uid: str) -> int:
    return int(decode_uid(uid))


async def segments_seen(client: Any, token: str) -> list[str]:
    response = await gql(client, CUSTOMER, token=token)
    assert response.errors == [], response.errors
    return [s["uid"] for s in response.data["customer"]["segments"]]  # type: ignore[index]


async def run_pass(app: web.Application, clock: ManualClock, moment: datetime) -> list[Any]:
    """Move the clock (which wakes the app's runner) and wait for the pass it triggers."""
    runner = app[TIME_RUNNER]
    done = runner.next_pass()
    clock.set(moment)
    return await asyncio.wait_for(done, 10)


async def test_relative_date_memberships_expire_at_each_websites_midnight(
    client: Any, app: web.Application, clock: ManualClock, admin_token: str
) -> None:
    await make_tokyo()
    ann = await make_customer("ann@example.com", firstname="Ann")
    cy = await make_customer("cy@example.com", firstname="Cy")
    kenji = await make_customer("kenji@example.com", firstname="Kenji", website_id=2, store_id=2)
    await order_on(ann.entity_id, 1, datetime(2026, 5, 16, 10, tzinfo=CHICAGO), "A1")
    await order_on(cy.entity_id, 1, datetime(2026, 3, 17, 10, tzinfo=CHICAGO), "C1")
    await order_on(kenji.entity_id, 2, datetime(2026, 5, 16, 10, tzinfo=TOKYO), "K1")
    # Logging in re-evaluates the customer's segments (event-driven); none exist yet.
    ann_token = await token_for(ann)
    cy_token = await token_for(cy)
    recent = await create_segment(
        client, admin_token, ORDERED_WITHIN_30_DAYS, website_uids=[WEBSITE_1, WEBSITE_2]
    )
    lapsed = await create_segment(client, admin_token, NO_ORDER_FOR_90_DAYS)
    named = await create_segment(client, admin_token, NAMED_ANN)
    # A stale row in a segment without date conditions: no time run may touch it.
    await MagentoCustomersegmentCustomer.create(
        segment_id=_id(named["uid"]),
        customer_id=cy.entity_id,
        website_id=1,
        added_date=T0,
        updated_date=T0,
    )
    assert await members(recent["uid"]) == {(ann.entity_id, 1), (kenji.entity_id, 2)}
    assert await members(lapsed["uid"]) == set()
    assert await segments_seen(client, ann_token) == [recent["uid"], named["uid"]]
    # Website 2 is new to the runner: its first pass takes its day (nothing changes).
    first = await run_pass(app, clock, T0 + timedelta(minutes=1))
    assert [(r.website_id, r.local_date, r.entered, r.exited) for r in first] == [
        (2, date(2026, 6, 15), 0, 0)
    ]

    # Tokyo's midnight: only website 2 runs; Kenji leaves, Ann (Chicago) stays.
    tokyo = await run_pass(app, clock, TOKYO_MIDNIGHT + timedelta(seconds=2))
    assert [(r.website_id, r.local_date, r.entered, r.exited) for r in tokyo] == [
        (2, date(2026, 6, 16), 0, 1)
    ]
    assert await members(recent["uid"]) == {(ann.entity_id, 1)}
    assert await segments_seen(client, ann_token) == [recent["uid"], named["uid"]]

    # Chicago's midnight: Ann leaves "recent", Cy enters "lapsed"; website 2 is not due again.
    moment = CHICAGO_MIDNIGHT + timedelta(seconds=2)
    chicago = await run_pass(app, clock, moment)
    assert [(r.website_id, r.local_date, r.entered, r.exited) for r in chicago] == [
        (1, date(2026, 6, 16), 1, 1)
    ]
    assert await members(recent["uid"]) == set()
    assert await members(lapsed["uid"]) == {(cy.entity_id, 1)}
    assert await history(recent["uid"]) == [
        (ann.entity_id, 1, "entered", "refresh", T0),
        (kenji.entity_id, 2, "entered", "refresh", T0),
        (kenji.entity_id, 2, "exited", "time", TOKYO_MIDNIGHT + timedelta(seconds=2)),
        (ann.entity_id, 1, "exited", "time", moment),
    ]
    assert await history(lapsed["uid"]) == [(cy.entity_id, 1, "entered", "time", moment)]
    assert await segments_seen(client, ann_token) == [named["uid"]]
    assert await segments_seen(client, cy_token) == [lapsed["uid"]]
    # The segment without date conditions was not touched: its stale row stays, no history.
    assert await members(named["uid"]) == {(ann.entity_id, 1), (cy.entity_id, 1)}
    assert await history(named["uid"]) == [(ann.entity_id, 1, "entered", "refresh", T0)]
    runs = {
        r.website_id: r.last_local_date  # type: ignore[attr-defined]
        for r in await MagesegCustomersegmentTimeRun.all()
    }
    assert runs == {1: date(2026, 6, 16), 2: date(2026, 6, 16)}

    # Later the same day nothing is due.
    assert await run_pass(app, clock, moment + timedelta(hours=6)) == []
    assert len(await history(recent["uid"])) == 4


async def test_a_day_is_done_once_and_a_running_refresh_defers_it(
    client: Any, app: web.Application, clock: ManualClock, admin_token: str
) -> None:
    ann = await make_customer("ann@example.com", firstname="Ann")
    await order_on(ann.entity_id, 1, datetime(2026, 5, 16, 10, tzinfo=CHICAGO), "A1")
    recent = await create_segment(client, admin_token, ORDERED_WITHIN_30_DAYS)
    segment_id = _id(recent["uid"])
    moment = CHICAGO_MIDNIGHT + timedelta(minutes=1)
    await MagentoCustomersegmentSegment.filter(segment_id=segment_id).update(
        refresh_status=RefreshStatus.RUNNING, refresh_owner="other-host:1:x"
    )

    deferred = await timeline.run_due(moment)

    assert [(r.website_id, r.segment_ids, r.deferred) for r in deferred] == [(1, (), (segment_id,))]
    assert await members(recent["uid"]) == {(ann.entity_id, 1)}
    run = await MagesegCustomersegmentTimeRun.get(website_id=1)
    assert run.last_local_date == date(2026, 6, 15)  # still due

    await MagentoCustomersegmentSegment.filter(segment_id=segment_id).update(
        refresh_status=RefreshStatus.DONE, refresh_owner=None
    )
    # Two passes at once (two processes, or two runners): the day is done exactly once.
    both = await asyncio.gather(timeline.run_due(moment), timeline.run_due(moment))
    done = [r for runs in both for r in runs]
    assert [(r.website_id, r.segment_ids, r.exited) for r in done] == [(1, (segment_id,), 1)]
    assert await members(recent["uid"]) == set()
    assert [(c, t) for _, _, c, t, _ in await history(recent["uid"])] == [
        ("entered", "refresh"),
        ("exited", "time"),
    ]
    assert await timeline.run_due(moment) == []


def test_only_trees_reading_the_clock_or_referring_to_one_are_time_dependent() -> None:
    recent = Combine(
        conditions=(
            OrdersNumber(
                Operator.GREATER_OR_EQUAL, Decimal(1), conditions=(UpToDate(Operator.LESS, 3),)
            ),
        )
    )
    ranged = Combine(
        conditions=(
            OrdersNumber(
                Operator.GREATER_OR_EQUAL,
                Decimal(1),
                conditions=(DateRange(Operator.IS, date(2026, 1, 1), date(2026, 1, 31)),),
            ),
        )
    )
    named = Combine(conditions=(CustomerAttribute("firstname", Operator.IS, "Ann"),))
    refers = Combine(conditions=(SegmentMembership(Operator.IS, 1),))
    refers_again = Combine(conditions=(named, SegmentMembership(Operator.IS_NOT, 4)))

    found = timeline.time_dependent({1: recent, 2: ranged, 3: named, 4: refers, 5: refers_again})

    assert found == {1, 4, 5}


def test_the_runner_sleeps_until_the_earliest_local_midnight() -> None:
    from engine.stores import WebsiteView

    def site(website_id: int, tz: str) -> WebsiteView:
        return WebsiteView(website_id, f"w{website_id}", "W", "USD", tz, False, 0)

    websites = [site(1, "America/Chicago"), site(2, "Asia/Tokyo")]
    assert midnight.next_midnight(T0, websites) == TOKYO_MIDNIGHT
    assert midnight.next_midnight(TOKYO_MIDNIGHT, websites) == CHICAGO_MIDNIGHT
    runner = timeline.TimeRunner(ManualClock(T0), poll_seconds=3600)
    runner._websites = websites
    assert runner._delay() == 3600  # capped by the poll
    runner.clock = ManualClock(TOKYO_MIDNIGHT - timedelta(minutes=1))
    assert runner._delay() == 61.0
    assert isinstance(SystemClock().now().tzinfo, type(UTC))


async def test_a_nightly_pass_over_many_customers_moves_only_the_day_that_left(
    client: Any, admin_token: str
) -> None:
    """200 customers, one time-dependent segment among three: the pass drops exactly the
    customers whose orders fell out of the window."""
    for n in range(200):
        customer = await make_customer(f"c{n}@example.com", firstname="C")
        day = datetime(2026, 5, 12 + n % 20, 10, tzinfo=CHICAGO)
        await order_on(customer.entity_id, 1, day, f"O{n}")
    recent = await create_segment(client, admin_token, ORDERED_WITHIN_30_DAYS)
    others = [
        await create_segment(client, admin_token, NAMED_ANN),
        await create_segment(client, admin_token, combine()),
    ]
    # Orders on May 12..31, ten a day: at T0 (June 15) May 16..31 are within 30 days.
    assert len(await members(recent["uid"])) == 160

    runs = await timeline.run_due(CHICAGO_MIDNIGHT + timedelta(days=1, seconds=1))

    # June 17: May 18..31 remain, May 16 and 17 left.
    assert [(r.website_id, r.exited, r.entered) for r in runs] == [(1, 20, 0)]
    assert len(await members(recent["uid"])) == 140
    assert [len(await members(s["uid"])) for s in others] == [0, 200]


async def test_the_expire_segments_command_runs_what_is_due_once(
    database_url: str, db: Any
) -> None:
    from engine.segments.compare import today
    from tests.test_cli import run

    first = await run("expire-segments", "--database-url", database_url)
    second = await run("expire-segments", "--database-url", database_url)

    local = today(datetime.now(UTC), "America/Chicago").isoformat()
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(
        f"website 1 {local}: 0 time-dependent segments, 0 entered, 0 exited ("
    )
    assert second.stdout.strip() == "nothing due: every website's day is done"
