"""Order documents: the admin invoices, ships and refunds an order. The storefront reads the
documents through `CustomerOrder.invoices`, `credit_memos` and `shipments` (`graph/orders.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

import strawberry

from engine.errors import DomainError, InputInvalid
from engine.order_documents.common import Comment, ItemRequest
from engine.order_documents.creditmemos import RefundData, refund_order
from engine.order_documents.invoices import invoice_order
from engine.order_documents.shipments import TrackData, ship_order
from graph.context import Info
from graph.errors import UserError
from graph.order_documents import CreditMemo, Invoice, OrderShipment
from graph.order_documents_admin import (
    AdminInvoiceOrderInput,
    AdminInvoiceOrderOutput,
    AdminOrderDocumentItemInput,
    AdminRefundItemInput,
    AdminRefundOrderInput,
    AdminRefundOrderOutput,
    AdminShipOrderInput,
    AdminShipOrderOutput,
)
from graph.orders import AdminOrder, load_details
from graph.uids import decode_uid
from models import SalesOrder
from resolvers.access import require_admin

ZERO = Decimal(0)


def _item_id(uid: str) -> int | None:
    """The order item a uid names; None for a uid that names nothing (the engine reports it as
    not part of the order, as Magento does for an unknown item id)."""
    try:
        return decode_uid(uid)
    except InputInvalid:
        return None


def _requests(
    items: Sequence[AdminOrderDocumentItemInput | AdminRefundItemInput] | None,
) -> list[ItemRequest] | None:
    if items is None:
        return None
    return [
        ItemRequest(
            item_id=_item_id(item.order_item_uid),
            uid=str(item.order_item_uid),
            qty=Decimal(str(item.quantity)),
            path=f"input.items.{index}",
            back_to_stock=bool(getattr(item, "back_to_stock", None)),
        )
        for index, item in enumerate(items)
    ]


def _refund_requests(
    items: Sequence[AdminRefundItemInput] | None, default: bool
) -> list[ItemRequest] | None:
    requests = _requests(items)
    if requests is None or items is None:
        return None
    return [
        ItemRequest(
            item_id=r.item_id,
            uid=r.uid,
            qty=r.qty,
            path=r.path,
            back_to_stock=default if item.back_to_stock is None else item.back_to_stock,
        )
        for r, item in zip(requests, items, strict=True)
    ]


def _comment(text: str | None, visible: bool) -> Comment | None:
    return None if text is None else Comment(text, visible)


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


async def _admin_order(info: Info, order_id: int) -> tuple[AdminOrder, SalesOrder]:
    row = await SalesOrder.get(entity_id=order_id)
    return (await AdminOrder.many_admin([row], await info.context.stores()))[0], row


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Invoice an order, whole or some items (admin token required), as Magento's "
        "offline invoice: paid when created. The first invoice carries the shipping; a new order "
        "starts processing, and an order invoiced and shipped is complete."
    )
    async def adminInvoiceOrder(
        self,
        info: Info,
        input: Annotated[
            AdminInvoiceOrderInput,
            strawberry.argument(
                description=(
                    "The order, the items and quantities to invoice (all that is left when "
                    "omitted) and a comment."
                )
            ),
        ],
    ) -> AdminInvoiceOrderOutput:
        await require_admin(info)
        try:
            invoice, order = await invoice_order(
                decode_uid(input.order_uid, "input.order_uid"),
                _requests(input.items),
                _comment(input.comment, input.comment_visible_on_front),
            )
        except DomainError as error:
            return AdminInvoiceOrderOutput(
                invoice=None, order=None, user_errors=UserError.from_error(error)
            )
        admin, row = await _admin_order(info, order.entity_id)
        details = (await load_details([row]))[0]
        items = {i.item_id: i for i in details.items}
        doc = next(d for d in details.documents.invoices if d.row.entity_id == invoice.entity_id)
        return AdminInvoiceOrderOutput(
            invoice=Invoice.of(doc, row, items), order=admin, user_errors=[]
        )

    @strawberry.mutation(
        description="Ship an order, whole or some items, with tracking numbers (admin token "
        "required). An order invoiced and shipped is complete."
    )
    async def adminShipOrder(
        self,
        info: Info,
        input: Annotated[
            AdminShipOrderInput,
            strawberry.argument(
                description=(
                    "The order, the items and quantities to ship (all that is left when "
                    "omitted), tracking numbers and a comment."
                )
            ),
        ],
    ) -> AdminShipOrderOutput:
        await require_admin(info)
        try:
            shipment, order = await ship_order(
                decode_uid(input.order_uid, "input.order_uid"),
                _requests(input.items),
                [TrackData(t.carrier_code, t.title, t.number) for t in input.tracks or ()],
                _comment(input.comment, input.comment_visible_on_front),
            )
        except DomainError as error:
            return AdminShipOrderOutput(
                shipment=None, order=None, user_errors=UserError.from_error(error)
            )
        admin, row = await _admin_order(info, order.entity_id)
        details = (await load_details([row]))[0]
        items = {i.item_id: i for i in details.items}
        doc = next(d for d in details.documents.shipments if d.row.entity_id == shipment.entity_id)
        return AdminShipOrderOutput(
            shipment=OrderShipment.of(doc, row, items), order=admin, user_errors=[]
        )

    @strawberry.mutation(
        description="Refund an invoiced order, whole or some items (admin token required), as "
        "Magento's offline credit memo: shipping, an adjustment refund and fee, units back to "
        "stock or not. Refunded in full, the order is closed and its coupon uses are given back."
    )
    async def adminRefundOrder(
        self,
        info: Info,
        input: Annotated[
            AdminRefundOrderInput,
            strawberry.argument(
                description=(
                    "The order, the items and quantities to refund, shipping, adjustment "
                    "refund and fee, whether units go back to stock, and a comment."
                )
            ),
        ],
    ) -> AdminRefundOrderOutput:
        await require_admin(info)
        try:
            memo, order = await refund_order(
                decode_uid(input.order_uid, "input.order_uid"),
                RefundData(
                    requests=_refund_requests(input.items, input.back_to_stock),
                    shipping=_money(input.shipping_amount),
                    adjustment_positive=_money(input.adjustment_positive) or ZERO,
                    adjustment_negative=_money(input.adjustment_negative) or ZERO,
                    back_to_stock=input.back_to_stock,
                    comment=_comment(input.comment, input.comment_visible_on_front),
                ),
            )
        except DomainError as error:
            return AdminRefundOrderOutput(
                credit_memo=None, order=None, user_errors=UserError.from_error(error)
            )
        admin, row = await _admin_order(info, order.entity_id)
        details = (await load_details([row]))[0]
        items = {i.item_id: i for i in details.items}
        doc = next(d for d in details.documents.creditmemos if d.row.entity_id == memo.entity_id)
        return AdminRefundOrderOutput(
            credit_memo=CreditMemo.of(doc, row, items), order=admin, user_errors=[]
        )
