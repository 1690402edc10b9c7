"""Invoicing an order, as the admin's "Invoice" (`Order\\Invoice::register` and `pay`; every
payment method here is offline, so an invoice is paid when created): the whole order or some
items, each line's amounts a share of what its item has left (`totals.invoice_line`), the
shipping on the first invoice, less the share of it the order's reward points and store credit
paid (`balances`). The order's `*_invoiced` totals and `total_paid` grow, and the order moves
on (a new order starts processing; invoiced and shipped, it is complete). The invoice that
leaves nothing to invoice pays the order in full: it earns the order's purchase points and the
inviter's order reward (`paid_orders`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from tortoise.transactions import in_transaction

from engine import paid_orders
from engine.errors import InputInvalid, Problems
from engine.order_documents import balances, rules, totals
from engine.order_documents.columns import document_columns, line_columns
from engine.order_documents.common import (
    Comment,
    ItemRequest,
    Locked,
    address_ids,
    lock,
    quantities,
    refused,
    reserve_increment_id,
    settle,
)
from engine.stores import load_snapshot
from models import (
    InvoiceState,
    SalesInvoice,
    SalesInvoiceComment,
    SalesInvoiceItem,
    SalesOrder,
    SequenceInvoice,
)

CANNOT_INVOICE = "The order does not allow an invoice to be created."
NOT_IN_ORDER = "The invoice contains one or more items that are not part of the original order."
NO_PRODUCTS = "The invoice can't be created without products. Add products and try again."


def invalid_quantity(name: str) -> str:
    return f'We found an invalid quantity to invoice item "{name}".'


# The order columns an invoice adds to, each with its base twin.
_ORDER_FIELDS = (
    "total_invoiced",
    "total_paid",
    "subtotal_invoiced",
    "tax_invoiced",
    "shipping_invoiced",
    "discount_invoiced",
)


async def invoice_order(
    order_id: int, requests: Sequence[ItemRequest] | None, comment: Comment | None
) -> tuple[SalesInvoice, SalesOrder]:
    """Invoice `requests` (None: every quantity left to invoice) of the order, in one
    transaction. Refused with Magento's messages, nothing written, when the order does not allow
    an invoice (canceled, held, complete, closed, or all invoiced), an item is not the order's,
    a quantity is more than is left to invoice, or nothing is invoiced."""
    async with in_transaction():
        locked = await lock(order_id, "input.order_uid")
        order = locked.order
        if not rules.can_invoice(order, locked.items):
            raise InputInvalid(refused(CANNOT_INVOICE, "input.order_uid"))
        problems = Problems()
        wanted = quantities(
            locked,
            requests,
            rules.qty_to_invoice,
            lambda _request: NOT_IN_ORDER,
            lambda item: invalid_quantity(item.name or item.sku),
            problems,
        )
        problems.raise_if_any()
        if not wanted:
            raise InputInvalid(refused(NO_PRODUCTS, "input.items"))
        first = not await SalesInvoice.exists(order_id=order.entity_id)
        lines = [
            totals.invoice_line(item, wanted[item.item_id])
            for item in locked.visible
            if item.item_id in wanted
        ]
        sums = totals.invoice_totals(order, lines, first)
        # The invoice that leaves nothing to invoice pays the order in full.
        last = all(rules.qty_to_invoice(i) <= wanted.get(i.item_id, 0) for i in locked.visible)
        covered = balances.invoice_share(order, sums.grand_total, last)
        sums = dataclasses.replace(sums, grand_total=sums.grand_total - covered)
        billing_id, shipping_id = await address_ids(order.entity_id)
        invoice = await SalesInvoice.create(
            increment_id=await reserve_increment_id(SequenceInvoice, SalesInvoice),
            state=InvoiceState.PAID,
            total_qty=sums.total_qty,
            **document_columns(order, sums, billing_id, shipping_id),
        )
        await SalesInvoiceItem.bulk_create(
            [SalesInvoiceItem(**line_columns(invoice.entity_id, line)) for line in lines]
        )
        if comment is not None and comment.text.strip():
            await SalesInvoiceComment.create(
                parent_id=invoice.entity_id,
                comment=comment.text.strip(),
                is_visible_on_front=comment.visible_on_front,
            )
        for line in lines:
            await _register_line(locked, line)
        for name, amount in (
            ("total_invoiced", sums.grand_total),
            ("total_paid", sums.grand_total),
            ("subtotal_invoiced", sums.subtotal),
            ("tax_invoiced", sums.tax),
            ("shipping_invoiced", sums.shipping),
            ("discount_invoiced", -sums.discount),
        ):
            for column in (name, f"base_{name}"):
                setattr(order, column, Decimal(getattr(order, column)) + amount)
        await settle(locked, [c for name in _ORDER_FIELDS for c in (name, f"base_{name}")])
        if last:
            # Magento's `sales_order_invoice_pay`: the order is paid; it earns, once.
            await paid_orders.order_paid(order, await load_snapshot())
    return invoice, order


async def _register_line(locked: Locked, line: totals.Line) -> None:
    """`Invoice\\Item::register`: the order item's invoiced quantity and amounts grow; a
    configurable line's child row follows its quantity."""
    item = line.item
    item.qty_invoiced = Decimal(item.qty_invoiced) + line.qty
    for name, amount in (
        ("row_invoiced", line.row_total),
        ("tax_invoiced", line.tax),
        ("discount_invoiced", line.discount),
    ):
        for column in (name, f"base_{name}"):
            setattr(item, column, Decimal(getattr(item, column)) + amount)
    await item.save(
        update_fields=[
            "qty_invoiced",
            "row_invoiced",
            "base_row_invoiced",
            "tax_invoiced",
            "base_tax_invoiced",
            "discount_invoiced",
            "base_discount_invoiced",
        ]
    )
    for child in locked.children_of(item):
        child.qty_invoiced = Decimal(child.qty_invoiced) + line.qty
        await child.save(update_fields=["qty_invoiced"])
