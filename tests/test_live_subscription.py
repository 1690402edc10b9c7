"""`adminSegmentMembershipChanged` over WebSocket (graphql-transport-ws) through the aiohttp test
client: admins receive the entries and exits of the requested segments, as they commit; anyone
else gets an authorization error and keeps a usable socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import ClientWebSocketResponse
from tortoise.transactions import in_transaction

from engine import invalidation
from engine.segments import history
from engine.segments.changes import MembershipChange
from engine.uids import encode_uid
from mageseg.settings import Settings
from models import MagentoCustomersegmentSegment, MagesegCustomersegmentHistory
from models import MembershipChangeKind as Kind
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_segments_support import combine, create_segment, leaf

AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SUBSCRIBE = """
subscription ($segments: [ID!]!, $after: ID) {
  adminSegmentMembershipChanged(segment_uids: $segments, after_uid: $after) {
    uid segment_uid customer_uid website_code change trigger created_at
  }
}
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A long poll: events arriving quickly prove the after-commit wake-up works."""
    return replace(settings, feed_poll_seconds=30.0, webhooks_in_process=False)


class Socket:
    """A graphql-transport-ws client over the aiohttp test client."""

    def __init__(self, ws: ClientWebSocketResponse) -> None:
        self.ws = ws

    async def receive(self, seconds: float = 3.0) -> dict[str, Any]:
        message: dict[str, Any] = await self.ws.receive_json(timeout=seconds)
        return message

    async def subscribe(self, id_: str, variables: dict[str, Any]) -> None:
        await self.ws.send_json(
            {
                "id": id_,
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": variables},
            }
        )

    async def events(self, count: int, seconds: float = 3.0) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        while len(found) < count:
            message = await self.receive(seconds)
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            found.append(message["payload"]["data"]["adminSegmentMembershipChanged"])
        return found


@pytest.fixture
async def connect(client: Any) -> AsyncIterator[Any]:
    opened: list[ClientWebSocketResponse] = []

    async def open_socket(
        payload: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Socket:
        ws = await client.ws_connect(
            "/graphql", protocols=["graphql-transport-ws"], headers=headers or {}
        )
        opened.append(ws)
        await ws.send_json({"type": "connection_init", "payload": payload or {}})
        assert (await ws.receive_json(timeout=3))["type"] == "connection_ack"
        return Socket(ws)

    yield open_socket
    for ws in opened:
        await ws.close()


async def make_segment(name: str) -> int:
    return (await MagentoCustomersegmentSegment.create(name=name)).segment_id


async def record(services: Any, *changes: tuple[int, int, Kind]) -> None:
    """As a mutation does: in a tracking block, so the feed is announced after commit."""
    async with invalidation.tracking(services.cache), in_transaction():
        await history.record(
            [
                MembershipChange(s, c, 1, k, "sales_order_save_commit_after", AT)
                for s, c, k in changes
            ]
        )


def event(history_id: int, segment: int, customer: int, change: str) -> dict[str, Any]:
    return {
        "uid": encode_uid(history_id),
        "segment_uid": encode_uid(segment),
        "customer_uid": encode_uid(customer),
        "website_code": "base",
        "change": change,
        "trigger": "sales_order_save_commit_after",
        "created_at": "2026-11-20 09:30:00",
    }


async def history_ids() -> list[int]:
    return [r.history_id for r in await MagesegCustomersegmentHistory.all().order_by("history_id")]


async def test_an_admin_receives_the_requested_segments_only(
    connect: Any, services: Any, admin_token: str
) -> None:
    one, two, three = await make_segment("one"), await make_segment("two"), await make_segment("3")
    await record(services, (one, 9, Kind.ENTERED))  # before subscribing: not sent
    socket = await connect({"Authorization": f"Bearer {admin_token}"})
    await socket.subscribe("s1", {"segments": [encode_uid(one), encode_uid(three)]})
    await asyncio.sleep(0.2)  # the subscription starts reading after the newest row

    loop = asyncio.get_running_loop()
    started = loop.time()
    await record(services, (one, 7, Kind.ENTERED), (two, 7, Kind.ENTERED), (three, 8, Kind.EXITED))
    await record(services, (two, 8, Kind.EXITED), (one, 7, Kind.EXITED))
    received = await socket.events(3)
    assert loop.time() - started < 2.0  # woken after commit, not by the 30 s poll
    ids = await history_ids()
    assert received == [
        event(ids[1], one, 7, "ENTERED"),
        event(ids[3], three, 8, "EXITED"),
        event(ids[5], one, 7, "EXITED"),
    ]
    with pytest.raises(TimeoutError):
        await socket.receive(0.3)


async def test_after_uid_resumes_without_missing_anything(
    connect: Any, services: Any, admin_token: str
) -> None:
    one = await make_segment("one")
    await record(services, (one, 1, Kind.ENTERED), (one, 2, Kind.ENTERED), (one, 1, Kind.EXITED))
    ids = await history_ids()
    socket = await connect(headers={"Authorization": f"Bearer {admin_token}"})
    await socket.subscribe("s1", {"segments": [encode_uid(one)], "after": encode_uid(ids[0])})
    assert await socket.events(2) == [
        event(ids[1], one, 2, "ENTERED"),
        event(ids[2], one, 1, "EXITED"),
    ]
    await record(services, (one, 3, Kind.ENTERED))
    ids = await history_ids()
    assert await socket.events(1) == [event(ids[3], one, 3, "ENTERED")]


@pytest.mark.parametrize("who", ["nobody", "customer", "bad token"])
async def test_anyone_but_an_admin_is_refused_and_the_socket_stays_usable(
    connect: Any, who: str
) -> None:
    one = await make_segment("one")
    payload: dict[str, Any] = {}
    if who == "customer":
        payload = {"Authorization": f"Bearer {await token_for(await make_customer())}"}
    elif who == "bad token":
        payload = {"Authorization": "Bearer not-a-token"}
    socket = await connect(payload)
    for id_ in ("a", "b"):
        await socket.subscribe(id_, {"segments": [encode_uid(one)]})
        refused = await socket.receive()
        assert refused["id"] == id_
        assert refused["type"] == "next"
        assert refused["payload"]["data"] is None
        (error,) = refused["payload"]["errors"]
        category = "graphql-authentication" if who == "bad token" else "graphql-authorization"
        assert error["extensions"] == {"category": category}
        assert await socket.receive() == {"id": id_, "type": "complete"}
    await socket.ws.send_json({"type": "ping"})
    assert await socket.receive() == {"type": "pong"}
    assert not socket.ws.closed


async def test_unknown_and_malformed_segment_uids(connect: Any, admin_token: str) -> None:
    one = await make_segment("one")
    socket = await connect({"Authorization": f"Bearer {admin_token}"})
    await socket.subscribe("a", {"segments": [encode_uid(one), encode_uid(404)]})
    unknown = await socket.receive()
    assert unknown["payload"]["data"] is None
    assert [(e["message"], e["extensions"]) for e in unknown["payload"]["errors"]] == [
        (
            f'No segment with uid "{encode_uid(404)}".',
            {"category": "graphql-no-such-entity", "input_path": "segment_uids.1"},
        )
    ]
    assert await socket.receive() == {"id": "a", "type": "complete"}
    await socket.subscribe("b", {"segments": ["not base64!"]})
    malformed = await socket.receive()
    assert [e["message"] for e in malformed["payload"]["errors"]] == [
        'Value of uid "not base64!" is incorrect.'
    ]
    assert malformed["payload"]["errors"][0]["extensions"] == {
        "category": "graphql-input",
        "input_path": "segment_uids.0",
    }


async def test_real_flows_reach_the_subscription(
    client: Any, connect: Any, admin_token: str
) -> None:
    """A segment on the customer's first name: creating it (refresh) and renaming the customer
    (the customer save trigger) are both reported."""
    ann = await make_customer("ann@example.com", firstname="Ann")
    conditions = combine(leaf("CUSTOMER_ATTRIBUTE", "firstname", "IS", "Ann"))
    socket = await connect({"Authorization": f"Bearer {admin_token}"})
    await socket.subscribe("s1", {"segments": ["MA=="]})  # segment 0 does not exist
    assert (await socket.receive())["payload"]["errors"][0]["extensions"]["category"] == (
        "graphql-no-such-entity"
    )
    await socket.receive()  # complete
    segment = await create_segment(client, admin_token, conditions)
    await socket.subscribe("s2", {"segments": [segment["uid"]], "after": "MA=="})
    (entered,) = await socket.events(1)
    assert (entered["customer_uid"], entered["change"], entered["trigger"]) == (
        encode_uid(ann.entity_id),
        "ENTERED",
        "refresh",
    )
    renamed = await gql(
        client,
        'mutation { updateCustomerV2(input: {firstname: "Anna"}) { customer { firstname } } }',
        token=await token_for(ann),
    )
    assert renamed.errors == []
    (exited,) = await socket.events(1)
    assert (exited["customer_uid"], exited["change"], exited["trigger"]) == (
        encode_uid(ann.entity_id),
        "EXITED",
        "customer_save_commit_after",
    )
