"""Segment webhooks: admin CRUD with bad-input cases, signed deliveries to a real local HTTP
receiver, retries with backoff, an unreachable receiver, and a simulated crash after which every
entry and exit arrives exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from tortoise.transactions import in_transaction

from engine.segments import history
from engine.segments.changes import MembershipChange
from engine.uids import decode_uid, encode_uid
from engine.webhooks import outbox, signing
from mageseg.settings import Settings
from mageseg.webhooks import Deliverer
from models import (
    DeliveryStatus,
    MagentoCustomersegmentSegment,
    MagesegCustomersegmentWebhook,
    MagesegCustomersegmentWebhookAttempt,
    MagesegCustomersegmentWebhookDelivery,
    MembershipChangeKind,
)
from tests.graphql import gql

AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
FAST = outbox.RetryPolicy(
    lease_seconds=30, max_attempts=3, base_seconds=0.05, cap_seconds=1, jitter=0
)

CREATE = """
mutation ($input: SegmentWebhookCreateInput!) {
  adminCreateSegmentWebhook(input: $input) {
    webhook { uid segment_uid url is_active }
    secret
    user_errors { code message path }
  }
}
"""
UPDATE = """
mutation ($uid: ID!, $input: SegmentWebhookUpdateInput!) {
  adminUpdateSegmentWebhook(uid: $uid, input: $input) {
    webhook { uid segment_uid url is_active }
    secret
    user_errors { code message path }
  }
}
"""
DELETE = """
mutation ($uid: ID!) {
  adminDeleteSegmentWebhook(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""
LIST = """
query ($segment_uid: ID!) { adminSegmentWebhooks(segment_uid: $segment_uid) { uid url is_active } }
"""
DELIVERIES = """
query ($uid: ID!, $status: SegmentWebhookDeliveryStatus, $pageSize: Int, $currentPage: Int) {
  adminSegmentWebhookDeliveries(
    webhook_uid: $uid, status: $status, pageSize: $pageSize, currentPage: $currentPage
  ) {
    items {
      uid webhook_uid status attempts last_status_code last_error
      event { segment_uid customer_uid website_code change trigger created_at }
      log { status_code error }
    }
    page_info { current_page page_size total_pages }
    total_count
  }
}
"""
REDELIVER = """
mutation ($uid: ID!) {
  adminRedeliverSegmentWebhookDelivery(uid: $uid) {
    delivery { uid status attempts log { status_code } }
    user_errors { code message path }
  }
}
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Deliverers are started by the tests themselves, so each step is explicit."""
    return replace(settings, webhooks_in_process=False)


@dataclass
class Receiver:
    """A real HTTP server that checks every signature and counts deliveries by id."""

    secret: str = ""
    answers: list[int] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    bad_signatures: int = 0
    port: int = 0
    runner: web.AppRunner | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not signing.verify(
            self.secret,
            request.headers.get(signing.TIMESTAMP_HEADER, ""),
            body,
            request.headers.get(signing.SIGNATURE_HEADER, ""),
        ):
            self.bad_signatures += 1
            return web.Response(status=400)
        payload = json.loads(body)
        assert request.headers[signing.DELIVERY_HEADER] == payload["id"]
        assert request.headers[signing.EVENT_HEADER] == payload["type"]
        status = self.answers.pop(0) if self.answers else 200
        if status == 200:
            self.received.append(payload)
            self.arrived.set()
        return web.Response(status=status)

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", port)
        await site.start()
        self.port = int(self.runner.addresses[0][1])

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    async def wait_for(self, count: int, *, seconds: float) -> None:
        """Until `count` deliveries arrived, or `seconds` passed (the caller then asserts)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                while len(self.received) < count:
                    self.arrived.clear()
                    await self.arrived.wait()

    def ids(self) -> list[str]:
        return [p["id"] for p in self.received]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    server = Receiver()
    await server.start()
    yield server
    await server.stop()


def free_port() -> int:
    """A port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def make_segment(name: str = "S") -> int:
    return (await MagentoCustomersegmentSegment.create(name=name)).segment_id


async def create_webhook(client: Any, token: str, segment_id: int, url: str) -> tuple[str, str]:
    response = await gql(
        client, CREATE, {"input": {"segment_uid": encode_uid(segment_id), "url": url}}, token=token
    )
    assert response.errors == [], response.errors
    output = response.data["adminCreateSegmentWebhook"]  # type: ignore[index]
    assert output["user_errors"] == []
    return output["webhook"]["uid"], output["secret"]


async def record(*changes: tuple[int, int, MembershipChangeKind]) -> None:
    async with in_transaction():
        await history.record(
            [
                MembershipChange(s, c, 1, kind, "customer_save_commit_after", AT)
                for s, c, kind in changes
            ]
        )


async def deliveries(client: Any, token: str, webhook_uid: str, **variables: Any) -> Any:
    response = await gql(client, DELIVERIES, {"uid": webhook_uid, **variables}, token=token)
    assert response.errors == [], response.errors
    return response.data["adminSegmentWebhookDeliveries"]  # type: ignore[index]


# --- admin ---------------------------------------------------------------------------------


async def test_create_list_update_delete(client: Any, admin_token: str) -> None:
    segment = await make_segment()
    uid, secret = await create_webhook(client, admin_token, segment, "https://hooks.example/in")
    assert len(secret) == 64
    assert set(secret) <= set("0123456789abcdef")
    stored = await MagesegCustomersegmentWebhook.get(webhook_id=decode_uid(uid))
    assert (stored.secret, stored.url) == (secret, "https://hooks.example/in")

    listed = await gql(client, LIST, {"segment_uid": encode_uid(segment)}, token=admin_token)
    assert listed.data == {
        "adminSegmentWebhooks": [{"uid": uid, "url": "https://hooks.example/in", "is_active": True}]
    }

    updated = await gql(
        client,
        UPDATE,
        {"uid": uid, "input": {"url": "http://other.example:8080/x?y=1", "is_active": False}},
        token=admin_token,
    )
    assert updated.data == {
        "adminUpdateSegmentWebhook": {
            "webhook": {
                "uid": uid,
                "segment_uid": encode_uid(segment),
                "url": "http://other.example:8080/x?y=1",
                "is_active": False,
            },
            "secret": None,
            "user_errors": [],
        }
    }
    given = await gql(
        client,
        CREATE,
        {
            "input": {
                "segment_uid": encode_uid(segment),
                "url": "http://a.example/",
                "secret": "my-own-secret-123",
            }
        },
        token=admin_token,
    )
    assert given.data["adminCreateSegmentWebhook"]["secret"] == "my-own-secret-123"  # type: ignore[index]

    deleted = await gql(client, DELETE, {"uid": uid}, token=admin_token)
    assert deleted.data == {"adminDeleteSegmentWebhook": {"deleted_uid": uid, "user_errors": []}}
    again = await gql(client, DELETE, {"uid": uid}, token=admin_token)
    assert again.data == {
        "adminDeleteSegmentWebhook": {
            "deleted_uid": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": f'No segment webhook with id "{decode_uid(uid)}".',
                    "path": "uid",
                }
            ],
        }
    }
    assert await MagesegCustomersegmentWebhook.all().count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example/in",
        "/relative/path",
        "hooks.example/in",
        "http://",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://host:notaport/",
    ],
)
async def test_a_url_that_is_not_http_is_refused_and_nothing_saved(
    client: Any, admin_token: str, url: str
) -> None:
    segment = await make_segment()
    response = await gql(
        client,
        CREATE,
        {"input": {"segment_uid": encode_uid(segment), "url": url}},
        token=admin_token,
    )
    assert response.data == {
        "adminCreateSegmentWebhook": {
            "webhook": None,
            "secret": None,
            "user_errors": [
                {
                    "code": "INVALID",
                    "message": f'"{url}" is not an absolute http:// or https:// URL.',
                    "path": "input.url",
                }
            ],
        }
    }
    assert await MagesegCustomersegmentWebhook.all().count() == 0


async def test_other_bad_input_is_refused_and_nothing_changes(
    client: Any, admin_token: str
) -> None:
    segment = await make_segment()
    missing = await gql(
        client,
        CREATE,
        {"input": {"segment_uid": encode_uid(999), "url": "http://a.example/"}},
        token=admin_token,
    )
    assert missing.data["adminCreateSegmentWebhook"]["user_errors"] == [  # type: ignore[index]
        {"code": "NOT_FOUND", "message": 'No segment with id "999".', "path": "input.segment_uid"}
    ]
    short = await gql(
        client,
        CREATE,
        {"input": {"segment_uid": encode_uid(segment), "url": "", "secret": "short"}},
        token=admin_token,
    )
    assert short.data["adminCreateSegmentWebhook"]["user_errors"] == [  # type: ignore[index]
        {"code": "REQUIRED", "message": "A webhook URL is required.", "path": "input.url"},
        {
            "code": "INVALID",
            "message": "A secret has 16 to 128 characters, without surrounding spaces.",
            "path": "input.secret",
        },
    ]
    assert await MagesegCustomersegmentWebhook.all().count() == 0

    uid, _ = await create_webhook(client, admin_token, segment, "http://a.example/")
    bad_update = await gql(
        client, UPDATE, {"uid": uid, "input": {"url": "gopher://x"}}, token=admin_token
    )
    assert bad_update.data["adminUpdateSegmentWebhook"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID",
            "message": '"gopher://x" is not an absolute http:// or https:// URL.',
            "path": "input.url",
        }
    ]
    assert (await MagesegCustomersegmentWebhook.get()).url == "http://a.example/"
    bad_uid = await gql(client, UPDATE, {"uid": "%%", "input": {}}, token=admin_token)
    assert bad_uid.data["adminUpdateSegmentWebhook"]["user_errors"] == [  # type: ignore[index]
        {"code": "INVALID_UID", "message": 'Value of uid "%%" is incorrect.', "path": "uid"}
    ]


# --- delivering ----------------------------------------------------------------------------


async def test_a_signed_delivery_reaches_the_receiver(
    client: Any, admin_token: str, receiver: Receiver
) -> None:
    segment = await make_segment()
    uid, receiver.secret = await create_webhook(client, admin_token, segment, receiver.url)
    await record(
        (segment, 42, MembershipChangeKind.ENTERED), (segment, 42, MembershipChangeKind.EXITED)
    )
    deliverer = Deliverer(policy=FAST)
    await deliverer.start(background=False)
    try:
        assert await deliverer.deliver_once() == 2
    finally:
        await deliverer.stop()
    first, second = await MagesegCustomersegmentWebhookDelivery.all().order_by("delivery_id")
    assert receiver.bad_signatures == 0
    assert receiver.received == [
        {
            "id": str(first.delivery_id),
            "type": "segment.member.entered",
            "segment_uid": encode_uid(segment),
            "customer_uid": encode_uid(42),
            "website_code": "base",
            "trigger": "customer_save_commit_after",
            "occurred_at": "2026-11-20T09:30:00+00:00",
        },
        {
            "id": str(second.delivery_id),
            "type": "segment.member.exited",
            "segment_uid": encode_uid(segment),
            "customer_uid": encode_uid(42),
            "website_code": "base",
            "trigger": "customer_save_commit_after",
            "occurred_at": "2026-11-20T09:30:00+00:00",
        },
    ]
    page = await deliveries(client, admin_token, uid, status="DELIVERED")
    assert page["total_count"] == 2
    assert [
        (d["status"], d["attempts"], d["last_status_code"], d["log"]) for d in page["items"]
    ] == [("DELIVERED", 1, 200, [{"status_code": 200, "error": None}])] * 2
    assert page["items"][1]["event"] == {
        "segment_uid": encode_uid(segment),
        "customer_uid": encode_uid(42),
        "website_code": "base",
        "change": "ENTERED",
        "trigger": "customer_save_commit_after",
        "created_at": "2026-11-20 09:30:00",
    }
    # A wrong secret fails verification on the receiver's side.
    body = b'{"id":"1"}'
    assert not signing.verify("wrong", "1", body, signing.signature(receiver.secret, 1, body))


async def test_a_500_is_retried_with_backoff_and_both_attempts_are_logged(
    client: Any, admin_token: str, receiver: Receiver
) -> None:
    segment = await make_segment()
    uid, receiver.secret = await create_webhook(client, admin_token, segment, receiver.url)
    receiver.answers = [500]
    await record((segment, 7, MembershipChangeKind.ENTERED))
    deliverer = Deliverer(policy=FAST)
    await deliverer.start(background=False)
    try:
        assert await deliverer.deliver_once() == 1
        pending = await MagesegCustomersegmentWebhookDelivery.get()
        assert (pending.status, pending.attempts, pending.last_error) == (
            DeliveryStatus.PENDING,
            1,
            "HTTP 500",
        )
        assert pending.claimed_by is None
        # Not due before the backoff has passed.
        assert await deliverer.deliver_once() == 0
        await asyncio.sleep(0.1)
        assert await deliverer.deliver_once() == 1
    finally:
        await deliverer.stop()
    page = await deliveries(client, admin_token, uid)
    assert [(d["status"], d["attempts"], d["last_error"], d["log"]) for d in page["items"]] == [
        (
            "DELIVERED",
            2,
            None,
            [{"status_code": 500, "error": "HTTP 500"}, {"status_code": 200, "error": None}],
        )
    ]
    assert len(receiver.received) == 1


async def test_spent_attempts_fail_and_an_admin_redelivers(
    client: Any, admin_token: str, receiver: Receiver
) -> None:
    segment = await make_segment()
    uid, receiver.secret = await create_webhook(client, admin_token, segment, receiver.url)
    receiver.answers = [503, 503, 503]
    await record((segment, 7, MembershipChangeKind.ENTERED))
    deliverer = Deliverer(policy=FAST)
    await deliverer.start(background=False)
    try:
        for _ in range(3):
            assert await deliverer.deliver_once() == 1
            await asyncio.sleep(0.2)
        assert await deliverer.deliver_once() == 0
        failed = await deliveries(client, admin_token, uid, status="FAILED")
        assert [(d["attempts"], d["last_error"]) for d in failed["items"]] == [(3, "HTTP 503")]
        delivery_uid = failed["items"][0]["uid"]

        again = await gql(client, REDELIVER, {"uid": delivery_uid}, token=admin_token)
        assert again.data == {
            "adminRedeliverSegmentWebhookDelivery": {
                "delivery": {
                    "uid": delivery_uid,
                    "status": "PENDING",
                    "attempts": 0,
                    "log": [{"status_code": 503}] * 3,
                },
                "user_errors": [],
            }
        }
        assert await deliverer.deliver_once() == 1
    finally:
        await deliverer.stop()
    assert len(receiver.received) == 1
    twice = await gql(client, REDELIVER, {"uid": delivery_uid}, token=admin_token)
    assert twice.data == {
        "adminRedeliverSegmentWebhookDelivery": {
            "delivery": None,
            "user_errors": [
                {
                    "code": "INVALID",
                    "message": "Only a failed delivery can be sent again; this one is delivered.",
                    "path": "uid",
                }
            ],
        }
    }


async def test_an_unreachable_receiver_loses_nothing(client: Any, admin_token: str) -> None:
    segment = await make_segment()
    port = free_port()
    receiver = Receiver()
    uid, receiver.secret = await create_webhook(
        client, admin_token, segment, f"http://127.0.0.1:{port}/hook"
    )
    await record(
        (segment, 1, MembershipChangeKind.ENTERED), (segment, 2, MembershipChangeKind.ENTERED)
    )
    deliverer = Deliverer(policy=replace(FAST, max_attempts=10), timeout_seconds=2)
    await deliverer.start(background=False)
    try:
        assert await deliverer.deliver_once() == 2
        page = await deliveries(client, admin_token, uid)
        assert [(d["status"], d["attempts"], d["last_status_code"]) for d in page["items"]] == [
            ("PENDING", 1, None)
        ] * 2
        for item in page["items"]:
            assert item["last_error"].startswith("ClientConnectorError"), item["last_error"]
            assert [a["status_code"] for a in item["log"]] == [None]

        await receiver.start(port)
        try:
            await asyncio.sleep(0.1)
            assert await deliverer.deliver_once() == 2
        finally:
            await receiver.stop()
    finally:
        await deliverer.stop()
    assert sorted(p["customer_uid"] for p in receiver.received) == [encode_uid(1), encode_uid(2)]
    page = await deliveries(client, admin_token, uid, status="DELIVERED")
    assert page["total_count"] == 2


async def test_after_a_crash_every_change_arrives_exactly_once(
    client: Any, admin_token: str, receiver: Receiver
) -> None:
    """Changes are committed while no deliverer runs; a deliverer that then dies holds some rows
    until its lease expires; two new deliverers deliver everything, each delivery once."""
    one, two = await make_segment("one"), await make_segment("two")
    _, receiver.secret = await create_webhook(client, admin_token, one, receiver.url)
    _, secret_two = await create_webhook(client, admin_token, two, receiver.url)
    await MagesegCustomersegmentWebhook.filter(segment_id=two).update(secret=receiver.secret)
    del secret_two
    expected: list[tuple[int, int, MembershipChangeKind]] = []
    for customer in range(1, 13):
        for segment in (one, two):
            expected.append((segment, customer, MembershipChangeKind.ENTERED))
            if customer % 3 == 0:
                expected.append((segment, customer, MembershipChangeKind.EXITED))
    for start in range(0, len(expected), 10):
        await record(*expected[start : start + 10])
    total = await MagesegCustomersegmentWebhookDelivery.all().count()
    assert total == len(expected) == 32

    # The dead deliverer claimed five rows with a short lease, then vanished.
    dead = await outbox.claim("dead-process", limit=5, lease_seconds=1.0)
    assert len(dead) == 5
    dead_ids = {str(job.delivery_id) for job in dead}

    policy = replace(FAST, lease_seconds=1.0)
    deliverers = [Deliverer(policy=policy, poll_seconds=0.05, batch=4) for _ in range(2)]
    for deliverer in deliverers:
        await deliverer.start()
    try:
        await asyncio.sleep(0.3)
        # Before the lease expires the dead deliverer's rows wait.
        assert dead_ids.isdisjoint(receiver.ids())
        await receiver.wait_for(total, seconds=5)
    finally:
        for deliverer in deliverers:
            await deliverer.stop()

    ids = receiver.ids()
    assert len(ids) == len(set(ids)) == total
    assert dead_ids <= set(ids)
    assert sorted(
        (p["segment_uid"], p["customer_uid"], p["type"]) for p in receiver.received
    ) == sorted(
        (
            encode_uid(s),
            encode_uid(c),
            "segment.member.entered"
            if k is MembershipChangeKind.ENTERED
            else "segment.member.exited",
        )
        for s, c, k in expected
    )
    assert (
        await MagesegCustomersegmentWebhookDelivery.filter(status=DeliveryStatus.DELIVERED).count()
        == total
    )
    assert await MagesegCustomersegmentWebhookAttempt.all().count() == total
    assert receiver.bad_signatures == 0


async def test_a_late_result_of_an_expired_claim_changes_nothing(db: Any) -> None:
    segment = await make_segment()
    await MagesegCustomersegmentWebhook.create(
        segment_id=segment, url="http://a.test/", secret="s" * 20
    )
    await record((segment, 1, MembershipChangeKind.ENTERED))
    (slow,) = await outbox.claim("slow", lease_seconds=0.05)
    await asyncio.sleep(0.1)
    (fast,) = await outbox.claim("fast", lease_seconds=30)
    assert fast.delivery_id == slow.delivery_id
    late = await outbox.finish(slow, "slow", outbox.Outcome(500, None, 3), FAST)
    assert late is None
    done = await outbox.finish(fast, "fast", outbox.Outcome(200, None, 2), FAST)
    assert done is DeliveryStatus.DELIVERED
    row = await MagesegCustomersegmentWebhookDelivery.get()
    assert (row.status, row.attempts, row.claimed_by) == (DeliveryStatus.DELIVERED, 1, None)
    assert await MagesegCustomersegmentWebhookAttempt.all().count() == 2


async def test_the_server_process_delivers_on_its_own(
    aiohttp_client: Any, settings: Settings, db: Any, admin_token: str, receiver: Receiver
) -> None:
    from mageseg.app import create_app

    app = create_app(
        replace(settings, webhooks_in_process=True, webhook_poll_seconds=0.1),
        manage_database=False,
    )
    client = await aiohttp_client(app)
    segment = await make_segment()
    _, receiver.secret = await create_webhook(client, admin_token, segment, receiver.url)
    await record((segment, 5, MembershipChangeKind.ENTERED))
    await receiver.wait_for(1, seconds=3)
    assert [p["customer_uid"] for p in receiver.received] == [encode_uid(5)]


def test_backoff_doubles_up_to_the_cap_with_bounded_jitter() -> None:
    policy = outbox.RetryPolicy(base_seconds=10, cap_seconds=60, jitter=0)
    assert [policy.delay(n).total_seconds() for n in range(1, 6)] == [10, 20, 40, 60, 60]
    jittered = outbox.RetryPolicy(base_seconds=10, cap_seconds=3600, jitter=0.2)
    rand = random.Random(7)
    for attempts in range(1, 8):
        delay = jittered.delay(attempts, rand)
        raw = 10 * 2 ** (attempts - 1)
        assert timedelta(seconds=raw) <= delay <= timedelta(seconds=raw * 1.2)


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    import hashlib
    import hmac

    body = b'{"a":1}'
    expected = hmac.new(b"k" * 16, b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signing.signature("k" * 16, 1700000000, body) == f"sha256={expected}"
    assert signing.verify("k" * 16, "1700000000", body, f"sha256={expected}")
    assert not signing.verify("k" * 16, "1700000001", body, f"sha256={expected}")
    assert not signing.verify("k" * 16, "x", body, f"sha256={expected}")
