"""The documents of a page of orders, read at once (a few queries for any number of orders), for
the storefront's `CustomerOrder.invoices`, `credit_memos` and `shipments` and the admin's
answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from models import (
    SalesCreditmemo,
    SalesCreditmemoComment,
    SalesCreditmemoItem,
    SalesInvoice,
    SalesInvoiceComment,
    SalesInvoiceItem,
    SalesShipment,
    SalesShipmentComment,
    SalesShipmentItem,
    SalesShipmentTrack,
)

T = TypeVar("T")


@dataclass(frozen=True)
class InvoiceDoc:
    row: SalesInvoice
    items: list[SalesInvoiceItem]
    comments: list[SalesInvoiceComment]


@dataclass(frozen=True)
class CreditmemoDoc:
    row: SalesCreditmemo
    items: list[SalesCreditmemoItem]
    comments: list[SalesCreditmemoComment]


@dataclass(frozen=True)
class ShipmentDoc:
    row: SalesShipment
    items: list[SalesShipmentItem]
    tracks: list[SalesShipmentTrack]
    comments: list[SalesShipmentComment]


@dataclass
class OrderDocuments:
    """One order's documents, each kind oldest first."""

    invoices: list[InvoiceDoc] = field(default_factory=list)
    creditmemos: list[CreditmemoDoc] = field(default_factory=list)
    shipments: list[ShipmentDoc] = field(default_factory=list)


def _by_parent(rows: Sequence[T]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        grouped[row.parent_id].append(row)  # type: ignore[attr-defined]
    return grouped


async def load(order_ids: Sequence[int]) -> list[OrderDocuments]:
    """Each order's documents, in the order of `order_ids`."""
    ids = list(order_ids)
    result = {order_id: OrderDocuments() for order_id in ids}
    if not ids:
        return []
    for invoice in await _invoices(ids):
        result[invoice.row.order_id].invoices.append(invoice)  # type: ignore[attr-defined]
    for memo in await _creditmemos(ids):
        result[memo.row.order_id].creditmemos.append(memo)  # type: ignore[attr-defined]
    for shipment in await _shipments(ids):
        result[shipment.row.order_id].shipments.append(shipment)  # type: ignore[attr-defined]
    return [result[order_id] for order_id in ids]


async def _invoices(order_ids: list[int]) -> list[InvoiceDoc]:
    rows = await SalesInvoice.filter(order_id__in=order_ids).order_by("entity_id")
    keys = [r.entity_id for r in rows]
    if not keys:
        return []
    items = _by_parent(await SalesInvoiceItem.filter(parent_id__in=keys).order_by("entity_id"))
    notes = _by_parent(
        await SalesInvoiceComment.filter(parent_id__in=keys).order_by("created_at", "entity_id")
    )
    return [InvoiceDoc(r, items.get(r.entity_id, []), notes.get(r.entity_id, [])) for r in rows]


async def _creditmemos(order_ids: list[int]) -> list[CreditmemoDoc]:
    rows = await SalesCreditmemo.filter(order_id__in=order_ids).order_by("entity_id")
    keys = [r.entity_id for r in rows]
    if not keys:
        return []
    items = _by_parent(await SalesCreditmemoItem.filter(parent_id__in=keys).order_by("entity_id"))
    notes = _by_parent(
        await SalesCreditmemoComment.filter(parent_id__in=keys).order_by("created_at", "entity_id")
    )
    return [CreditmemoDoc(r, items.get(r.entity_id, []), notes.get(r.entity_id, [])) for r in rows]


async def _shipments(order_ids: list[int]) -> list[ShipmentDoc]:
    rows = await SalesShipment.filter(order_id__in=order_ids).order_by("entity_id")
    keys = [r.entity_id for r in rows]
    if not keys:
        return []
    items = _by_parent(await SalesShipmentItem.filter(parent_id__in=keys).order_by("entity_id"))
    tracks = _by_parent(await SalesShipmentTrack.filter(parent_id__in=keys).order_by("entity_id"))
    notes = _by_parent(
        await SalesShipmentComment.filter(parent_id__in=keys).order_by("created_at", "entity_id")
    )
    return [
        ShipmentDoc(
            r, items.get(r.entity_id, []), tracks.get(r.entity_id, []), notes.get(r.entity_id, [])
        )
        for r in rows
    ]
