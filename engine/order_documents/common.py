"""What the three kinds of document share: the requested quantities, locking the order,
increment ids, comments in the order's history, and the order's state after a document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.models import Model

from engine import orders
from engine.errors import Problem, ProblemCode, Problems
from engine.order_documents import rules
from engine.segments import events, membership
from models import (
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    SalesOrderStatusHistory,
    SalesOrderStatusState,
)
from models.orders import OrderState

ZERO = Decimal(0)


@dataclass(frozen=True)
class ItemRequest:
    """A quantity of one order item (its id, None when its uid names no item, and the uid as
    given) asked for in a document; `path` locates it in the input for errors."""

    item_id: int | None
    uid: str
    qty: Decimal
    path: str
    back_to_stock: bool = False


@dataclass(frozen=True)
class Comment:
    text: str
    visible_on_front: bool = False


@dataclass
class Locked:
    """An order read for update inside a document's transaction, with all its item rows."""

    order: SalesOrder
    items: list[SalesOrderItem]

    @property
    def visible(self) -> list[SalesOrderItem]:
        return [i for i in self.items if not rules.is_dummy(i)]

    def children_of(self, item: SalesOrderItem) -> list[SalesOrderItem]:
        return [i for i in self.items if i.parent_item_id == item.item_id]  # type: ignore[attr-defined]


async def lock(order_id: int, path: str) -> Locked:
    """The order row locked (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite has one writer), so two
    documents of one order are written one after the other."""
    order = await SalesOrder.select_for_update().get_or_none(entity_id=order_id)
    if order is None:
        raise orders.not_found(order_id, path)
    items = await SalesOrderItem.filter(order_id=order_id).order_by("item_id")
    return Locked(order, list(items))


def quantities(
    locked: Locked,
    requests: Sequence[ItemRequest] | None,
    left: Callable[[SalesOrderItem], Decimal],
    unknown: Callable[[ItemRequest], str],
    too_many: Callable[[SalesOrderItem], str],
    problems: Problems,
) -> dict[int, Decimal]:
    """The quantity per visible item a document takes: every item's `left` when `requests` is
    None, else the requested ones (summed when an item is named twice), each checked against
    `left`. Problems are collected, not raised."""
    by_id = {i.item_id: i for i in locked.visible}
    if requests is None:
        return {i.item_id: left(i) for i in locked.visible if left(i) > 0}
    wanted: dict[int, Decimal] = {}
    for request in requests:
        item = by_id.get(request.item_id) if request.item_id is not None else None
        if item is None:
            problems.add(ProblemCode.NOT_FOUND, unknown(request), f"{request.path}.order_item_uid")
            continue
        total = wanted.get(item.item_id, ZERO) + request.qty
        if request.qty < 0 or total > left(item):
            problems.add(ProblemCode.INVALID, too_many(item), f"{request.path}.quantity")
            continue
        wanted[item.item_id] = total
    return {item_id: qty for item_id, qty in wanted.items() if qty > 0}


async def reserve_increment_id(sequence: type[Model], table: type[Model]) -> str:
    """The next number of a document kind, from its own sequence table (Magento's
    `sequence_<kind>_<store>`), formatted as order numbers are."""
    while True:
        rows = await sequence._meta.db.execute_query_dict(
            f'INSERT INTO "{sequence._meta.db_table}" DEFAULT VALUES RETURNING "sequence_value"'
        )
        number = orders.format_increment_id(int(rows[0]["sequence_value"]))
        if not await table.exists(increment_id=number):
            return number


async def address_ids(order_id: int) -> tuple[int | None, int | None]:
    """The order's billing and shipping address ids, which every document records."""
    rows = await SalesOrderAddress.filter(parent_id=order_id).values_list(
        "entity_id", "address_type"
    )
    by_type = {str(kind): int(entity_id) for entity_id, kind in rows}
    return by_type.get("billing"), by_type.get("shipping")


async def _default_status(state: OrderState) -> str:
    row = await SalesOrderStatusState.filter(state=state).order_by("-is_default", "id").first()
    return state.value if row is None else str(row.status_id)  # type: ignore[attr-defined]


async def settle(locked: Locked, fields: Sequence[str]) -> None:
    """Save the order's changed `fields`, move it to the state its documents leave it in with
    that state's default status (a history row when either changes, as `Handler\\State`), and
    announce the order's change to segments (`sales_order_save_commit_after`)."""
    order = locked.order
    target = rules.next_state(order, locked.items)
    changed = target is not order.state
    if changed:
        order.state = target
        order.status = await _default_status(target)
    await order.save(update_fields=[*fields, "state", "status", "updated_at"])
    if changed:
        await SalesOrderStatusHistory.create(
            parent_id=order.entity_id, status=order.status, entity_name="order"
        )
    customer_id = order.customer_id  # type: ignore[attr-defined]
    if customer_id is not None:
        await membership.customers_event([customer_id], events.ORDER_SAVE)


def refused(message: str, path: str) -> Problem:
    return Problem(ProblemCode.INVALID, message, path)


def twins(name: str, amount: Decimal) -> dict[str, Any]:
    """A Magento amount column and its `base_` twin (orders here are in one currency)."""
    return {name: amount, f"base_{name}": amount}
