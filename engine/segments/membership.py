"""Event-driven re-evaluation of stored membership, as Adobe Commerce's `Customer::processEvent`
(reference §3.7 point 2): a write that a segment condition can see names its Magento event; for
that customer only, the website's active segments listening to the event (their
`magento_customersegment_event` rows) are evaluated on the customer's current data and
`magento_customersegment_customer` is brought in line, entries and exits recorded as history.

Call `customer_event` inside the mutation's own transaction, after the write: it reads the write
through the same connection, and membership, history and outbox commit (or roll back) with it.
With accounts shared globally (`customer/account_share/scope` = 0) the customer is re-checked on
every website, as Magento's `ProcessCustomerEventObserver`; otherwise on their own website.

Guests have no stored membership in Magento (their segments live in the session), so
`guest_event` only marks their cart and views changed for cached answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from engine import clock
from engine.config import ACCOUNT_SHARE_WEBSITE, ConfigPath
from engine.invalidation import Topic, after_commit, current_cache, touch
from engine.metrics import metrics
from engine.segments import events as ev
from engine.segments import history
from engine.segments.changes import MembershipChange
from engine.segments.evaluate import evaluate_each
from engine.segments.facts import load_facts
from engine.segments.scope import Scope
from engine.segments.snapshot import ActiveSegment, WebsiteSegments, combined, website_segments
from engine.segments.sql import dialect_of, placeholders
from engine.stores import StoresSnapshot, load_snapshot
from engine.stores import snapshot as stores_snapshot
from models import (
    CustomerEntity,
    MagentoCustomersegmentCustomer,
    MagentoCustomersegmentEvent,
    MembershipChangeKind,
)
from models.stores import ADMIN_WEBSITE_ID

_TABLE = "magento_customersegment_customer"

# What else Magento fires with an event: saving a cart also runs `checkout_cart_save_after` (the
# cart controller) and `sales_quote_collect_totals_after` (the totals collected before the save).
FIRED_WITH: dict[str, tuple[str, ...]] = {
    ev.QUOTE_SAVE: (ev.QUOTE_SAVE, ev.CART_SAVE, ev.QUOTE_TOTALS),
}


def expand(events: str | Sequence[str]) -> tuple[str, ...]:
    """The events in order, each followed by what Magento fires with it, without repeats."""
    found: list[str] = []
    for event in (events,) if isinstance(events, str) else events:
        for name in FIRED_WITH.get(event, (event,)):
            if name not in found:
                found.append(name)
    return tuple(found)


async def _stores() -> StoresSnapshot:
    cache = current_cache()
    return await (stores_snapshot(cache) if cache is not None else load_snapshot())


async def customer_websites(customer_id: int, stores: StoresSnapshot | None = None) -> list[int]:
    """The websites whose membership of the customer an event re-checks: the customer's own
    website, or every website but admin with global account sharing. Empty for an unknown
    customer."""
    stores = stores if stores is not None else await _stores()
    share = stores.config_value(ConfigPath.ACCOUNT_SHARE_SCOPE, None)
    if share != ACCOUNT_SHARE_WEBSITE:
        if not await CustomerEntity.exists(entity_id=customer_id):
            return []
        return [w.website_id for w in stores.websites if w.website_id != ADMIN_WEBSITE_ID]
    rows = await CustomerEntity.filter(entity_id=customer_id).values_list("website_id", flat=True)
    if not rows or rows[0] is None:
        return []
    return [int(rows[0])]  # type: ignore[call-overload]


def _trigger(segment: ActiveSegment, events: tuple[str, ...]) -> str:
    """The first of `events` the segment listens to: the one that re-checked it."""
    for event in events:
        if event in segment.events:
            return event
    return events[0]


async def customer_event(
    customer_id: int, event: str | Sequence[str], *, now: datetime | None = None
) -> list[MembershipChange]:
    """Re-evaluate the customer's membership of the segments listening to `event` (one Magento
    event name, or several fired by one write, the main one first) and store the result. Returns
    the entries and exits, already recorded in history. Marks the customer changed in any case."""
    return await customers_event([customer_id], event, now=now)


async def customers_event(
    customer_ids: Iterable[int], event: str | Sequence[str], *, now: datetime | None = None
) -> list[MembershipChange]:
    """`customer_event` for several customers (an order import): each website's segments and
    scope are read once for all of them."""
    names = expand(event)
    moment = now if now is not None else clock.now()
    stores = await _stores()
    snapshots: dict[int, tuple[WebsiteSegments, Scope | None]] = {}
    changes: list[MembershipChange] = []
    for customer_id in dict.fromkeys(customer_ids):
        touch(Topic.CUSTOMER, customer_id)
        for website_id in await customer_websites(customer_id, stores):
            if website_id not in snapshots:
                snapshot = await website_segments(website_id)
                listening = snapshot.listening(names, customers=True)
                scope = await snapshot.scope(now=moment, stores=stores) if listening else None
                snapshots[website_id] = (snapshot, scope)
            snapshot, scope = snapshots[website_id]
            if scope is not None:
                changes += await _reevaluate(customer_id, snapshot, scope, names, moment)
    await history.record(changes)
    return changes


# More customers than this in one write (a customer group deleted): their segments are queued for
# a full refresh instead of being re-evaluated one by one inside the transaction.
BULK_LIMIT = 1000


async def customers_changed(
    customer_ids: Iterable[int], event: str | Sequence[str], *, now: datetime | None = None
) -> list[MembershipChange]:
    """A bulk write that `event` names for every customer in `customer_ids`: `customers_event`
    for up to `BULK_LIMIT` customers; beyond, every active segment listening to the event is
    queued for a full refresh (after commit), and every cached answer dies."""
    ids = list(dict.fromkeys(customer_ids))
    if len(ids) <= BULK_LIMIT:
        return await customers_event(ids, event, now=now)
    from engine.segments import refresh

    touch(Topic.SEGMENTS)
    rows = await MagentoCustomersegmentEvent.filter(
        event__in=list(expand(event)), segment__is_active=True
    ).values("segment_id")
    await refresh.mark_queued(sorted({int(row["segment_id"]) for row in rows}))
    after_commit(refresh.notify_queued)
    return []


async def _reevaluate(
    customer_id: int,
    snapshot: WebsiteSegments,
    scope: Scope,
    events: tuple[str, ...],
    moment: datetime,
) -> list[MembershipChange]:
    website_id = snapshot.website_id
    listening = snapshot.listening(events, customers=True)
    metrics().live_evaluations.inc()
    facts = await load_facts(
        combined(listening), scope, customer_id=customer_id, quote_id=None, visitor_id=None
    )
    results = evaluate_each((s.tree for s in listening), facts, scope)
    matched = {s.segment_id for s, inside in zip(listening, results, strict=True) if inside}
    ids = [s.segment_id for s in listening]
    conn: Any = MagentoCustomersegmentCustomer._meta.db
    dialect = dialect_of(conn)
    marks = ", ".join("?" * len(ids))
    rows = await conn.execute_query_dict(
        placeholders(
            f"SELECT segment_id FROM {_TABLE} "
            f"WHERE customer_id = ? AND website_id = ? AND segment_id IN ({marks})",
            dialect,
        ),
        [customer_id, website_id, *ids],
    )
    current = {int(row["segment_id"]) for row in rows}
    entering = sorted(matched - current)
    leaving = sorted(current - matched)
    entered: list[int] = []
    left: list[int] = []
    if entering:
        values = ", ".join(["(?, ?, ?, ?, ?)"] * len(entering))
        params: list[Any] = []
        for segment_id in entering:
            params += [segment_id, customer_id, website_id, moment, moment]
        # A concurrent write or refresh may have inserted the row already: not an entry of ours.
        inserted = await conn.execute_query_dict(
            placeholders(
                f"INSERT INTO {_TABLE} "
                "(segment_id, customer_id, website_id, added_date, updated_date) "
                f"VALUES {values} ON CONFLICT DO NOTHING RETURNING segment_id",
                dialect,
            ),
            params,
        )
        entered = sorted(int(row["segment_id"]) for row in inserted)
    if leaving:
        marks = ", ".join("?" * len(leaving))
        deleted = await conn.execute_query_dict(
            placeholders(
                f"DELETE FROM {_TABLE} WHERE customer_id = ? AND website_id = ? "
                f"AND segment_id IN ({marks}) RETURNING segment_id",
                dialect,
            ),
            [customer_id, website_id, *leaving],
        )
        left = sorted(int(row["segment_id"]) for row in deleted)
    by_id = {s.segment_id: s for s in listening}
    return [
        MembershipChange(
            segment_id,
            customer_id,
            website_id,
            kind,
            _trigger(by_id[segment_id], events),
            moment,
        )
        for kind, found in (
            (MembershipChangeKind.ENTERED, entered),
            (MembershipChangeKind.EXITED, left),
        )
        for segment_id in found
    ]


async def customer_deleted(
    customer_id: int, *, trigger: str = ev.CUSTOMER_SAVE, now: datetime | None = None
) -> list[MembershipChange]:
    """Record the exits of a customer about to be deleted (call before the delete, in its
    transaction: the rows cascade with the customer)."""
    touch(Topic.CUSTOMER, customer_id)
    moment = now if now is not None else clock.now()
    rows = await (
        MagentoCustomersegmentCustomer.filter(customer_id=customer_id)
        .order_by("website_id", "segment_id")
        .values_list("segment_id", "website_id")
    )
    changes = [
        MembershipChange(
            int(segment_id),
            customer_id,
            int(website_id),
            MembershipChangeKind.EXITED,
            trigger,
            moment,
        )
        for segment_id, website_id in rows
    ]
    await history.record(changes)
    return changes


def guest_event(*, quote_id: int | None = None, visitor_id: int | None = None) -> None:
    """A guest's cart or views changed: nothing is stored for guests, cached answers die."""
    if quote_id is not None:
        touch(Topic.QUOTE, quote_id)
    if visitor_id is not None:
        touch(Topic.VISITOR, visitor_id)


def touch_quotes(quote_ids: Iterable[int | None]) -> None:
    """Mark carts changed (cached answers keyed by the cart die)."""
    for quote_id in quote_ids:
        if quote_id is not None:
            touch(Topic.QUOTE, quote_id)
