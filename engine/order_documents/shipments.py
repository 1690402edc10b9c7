"""Shipping an order, as the admin's "Ship" (`Order\\Shipment::register`, `ShipOrder`): the whole
order or some items, with tracking numbers (carrier code, title, number). Shipping does not need
an invoice; it starts a new order processing, and an order invoiced and shipped is complete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tortoise.transactions import in_transaction

from engine.errors import InputInvalid, ProblemCode, Problems
from engine.order_documents import rules
from engine.order_documents.common import (
    Comment,
    ItemRequest,
    address_ids,
    lock,
    quantities,
    refused,
    reserve_increment_id,
    settle,
)
from engine.prices import round_price
from models import (
    SalesOrder,
    SalesShipment,
    SalesShipmentComment,
    SalesShipmentItem,
    SalesShipmentTrack,
    SequenceShipment,
)

CANNOT_SHIP = "The order does not allow a shipment to be created."
NO_PRODUCTS = "You can't create a shipment without products."


def state_refuses(status: str) -> str:
    return f"A shipment cannot be created when an order has a status of {status}"


def not_in_order(sku: str) -> str:
    return f'The shipment contains product SKU "{sku}" that is not part of the original order.'


def too_many(sku: str) -> str:
    return (
        "The quantity to ship must not be greater than the unshipped quantity for product SKU "
        f'"{sku}".'
    )


def required(label: str) -> str:
    """`Shipment\\TrackValidator`'s message for a missing track field."""
    return f"{label} is a required field"


@dataclass(frozen=True)
class TrackData:
    """A tracking number: the carrier's code (`ups`, `custom`, ...), a title shown to the
    customer, and the number."""

    carrier_code: str
    title: str
    number: str


async def ship_order(
    order_id: int,
    requests: Sequence[ItemRequest] | None,
    tracks: Sequence[TrackData],
    comment: Comment | None,
) -> tuple[SalesShipment, SalesOrder]:
    """Ship `requests` (None: every quantity left to ship) with `tracks`, in one transaction.
    Refused with Magento's messages, nothing written, when the order is held, in review or
    canceled, has nothing left to ship (virtual, all shipped or refunded), an item is not the
    order's, a quantity is more than is left to ship, nothing is shipped, or a track lacks its
    carrier, title or number."""
    async with in_transaction():
        locked = await lock(order_id, "input.order_uid")
        order = locked.order
        if rules.shipment_refused_by_state(order):
            raise InputInvalid(refused(state_refuses(order.status), "input.order_uid"))
        if not rules.can_ship(order, locked.items):
            raise InputInvalid(refused(CANNOT_SHIP, "input.order_uid"))
        problems = Problems()
        wanted = quantities(
            locked,
            requests,
            rules.qty_to_ship,
            lambda request: not_in_order(request.uid),
            lambda item: too_many(item.sku),
            problems,
        )
        for index, track in enumerate(tracks):
            for label, name, value in (
                ("Carrier Code", "carrier_code", track.carrier_code),
                ("Title", "title", track.title),
                ("Number", "number", track.number),
            ):
                if not value.strip():
                    problems.add(
                        ProblemCode.REQUIRED, required(label), f"input.tracks.{index}.{name}"
                    )
        problems.raise_if_any()
        if not wanted:
            raise InputInvalid(refused(NO_PRODUCTS, "input.items"))
        billing_id, shipping_id = await address_ids(order.entity_id)
        shipped = [item for item in locked.visible if item.item_id in wanted]
        shipment = await SalesShipment.create(
            order_id=order.entity_id,
            store_id=order.store_id,  # type: ignore[attr-defined]
            increment_id=await reserve_increment_id(SequenceShipment, SalesShipment),
            total_qty=sum((wanted[i.item_id] for i in shipped), Decimal(0)),
            customer_id=order.customer_id,  # type: ignore[attr-defined]
            billing_address_id=billing_id,
            shipping_address_id=shipping_id,
        )
        await SalesShipmentItem.bulk_create(
            [
                SalesShipmentItem(
                    parent_id=shipment.entity_id,
                    order_item_id=item.item_id,
                    product_id=item.product_id,  # type: ignore[attr-defined]
                    sku=item.sku,
                    name=item.name,
                    qty=wanted[item.item_id],
                    price=round_price(Decimal(item.price)),
                    row_total=round_price(Decimal(item.price) * wanted[item.item_id]),
                )
                for item in shipped
            ]
        )
        if tracks:
            await SalesShipmentTrack.bulk_create(
                [
                    SalesShipmentTrack(
                        parent_id=shipment.entity_id,
                        order_id=order.entity_id,
                        carrier_code=track.carrier_code.strip(),
                        title=track.title.strip(),
                        track_number=track.number.strip(),
                    )
                    for track in tracks
                ]
            )
        if comment is not None and comment.text.strip():
            await SalesShipmentComment.create(
                parent_id=shipment.entity_id,
                comment=comment.text.strip(),
                is_visible_on_front=comment.visible_on_front,
            )
        for item in shipped:
            for row in (item, *locked.children_of(item)):
                row.qty_shipped = Decimal(row.qty_shipped) + wanted[item.item_id]
                await row.save(update_fields=["qty_shipped"])
        await settle(locked, [])
    return shipment, order
