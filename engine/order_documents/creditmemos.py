"""Refunding an order, as the admin's offline "Credit Memo" (`CreditmemoFactory`, the
`Creditmemo\\Total` collectors, `RefundOperation`, `CreditmemoService::validateForRefund`): the
whole invoiced order or some items, the shipping (all that is left unless an amount is given),
an adjustment refund and an adjustment fee, each item's units back to stock or not. The order's
`*_refunded` totals grow; refunded in full it is closed, and its coupon uses are given back
(`give_back`). The store credit and reward points the order spent come back in proportion
(`give_back.balances`), and the memo's money total is what is left."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tortoise.transactions import in_transaction

from engine import orders
from engine.errors import InputInvalid, ProblemCode, Problems
from engine.order_documents import give_back, rules, totals
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
    twins,
)
from engine.prices import round_price
from models import (
    CreditmemoState,
    OrderState,
    SalesCreditmemo,
    SalesCreditmemoComment,
    SalesCreditmemoItem,
    SalesOrder,
    SequenceCreditmemo,
)
from models.catalog import ProductType

ZERO = Decimal(0)
CANNOT_REFUND = "We can't create creditmemo for the order."
NOT_POSITIVE = "The credit memo's total must be positive."
# Magento's `validate-zero-or-greater` message for the credit memo form's amounts.
ZERO_OR_GREATER = "Please enter a number 0 or greater in this field."


def not_in_order(uid: str) -> str:
    return f'The creditmemo contains product SKU "{uid}" that is not part of the original order.'


def invalid_quantity(name: str) -> str:
    return f'We found an invalid quantity to refund item "{name}".'


def shipping_too_much(allowed: str) -> str:
    return f"Maximum shipping amount allowed to refund is: {allowed}"


def too_much(available: str) -> str:
    return f"The most money available to refund is {available}."


@dataclass(frozen=True)
class RefundData:
    """What the admin refunds. `requests` None: every invoiced unit not refunded yet.
    `shipping` None: all the shipping not refunded yet. `back_to_stock` applies to the items
    whose request does not say."""

    requests: Sequence[ItemRequest] | None = None
    shipping: Decimal | None = None
    adjustment_positive: Decimal = ZERO
    adjustment_negative: Decimal = ZERO
    back_to_stock: bool = False
    comment: Comment | None = None


_ORDER_FIELDS = (
    "total_refunded",
    "total_offline_refunded",
    "subtotal_refunded",
    "tax_refunded",
    "shipping_refunded",
    "discount_refunded",
    "adjustment_positive",
    "adjustment_negative",
)


async def refund_order(order_id: int, data: RefundData) -> tuple[SalesCreditmemo, SalesOrder]:
    """Write a credit memo in one transaction. Refused with Magento's messages, nothing
    written, when the order cannot be refunded (nothing paid or all refunded, canceled, held,
    closed), an amount is negative, an item is not the order's or more than its invoiced units
    not refunded, the shipping is more than is left, the total is negative or nothing, or the
    total is more than was paid and not refunded."""
    async with in_transaction():
        locked = await lock(order_id, "input.order_uid")
        order = locked.order
        if not rules.can_creditmemo(order):
            raise InputInvalid(refused(CANNOT_REFUND, "input.order_uid"))
        problems = Problems()
        for name, value in (
            ("shipping_amount", data.shipping),
            ("adjustment_positive", data.adjustment_positive),
            ("adjustment_negative", data.adjustment_negative),
        ):
            if value is not None and value < 0:
                problems.add(ProblemCode.INVALID, ZERO_OR_GREATER, f"input.{name}")
        wanted = quantities(
            locked,
            data.requests,
            rules.qty_to_refund,
            lambda request: not_in_order(request.uid),
            lambda item: invalid_quantity(item.name or item.sku),
            problems,
        )
        allowed = totals.refundable_shipping(order)
        shipping = allowed if data.shipping is None else round_price(data.shipping)
        if shipping > allowed:
            problems.add(
                ProblemCode.INVALID,
                shipping_too_much(totals.format_price(allowed, order.base_currency_code)),
                "input.shipping_amount",
            )
        problems.raise_if_any()
        lines = [
            totals.refund_line(item, wanted[item.item_id])
            for item in locked.visible
            if item.item_id in wanted
        ]
        sums = totals.refund_totals(
            order,
            lines,
            shipping,
            round_price(data.adjustment_positive),
            round_price(data.adjustment_negative),
        )
        nothing = not lines and not shipping and not sums.adjustment_positive
        if nothing or sums.grand_total < 0:
            raise InputInvalid(refused(NOT_POSITIVE, "input"))
        # Store credit and reward points come back first, their share of the memo; the money
        # refunded is the rest (the transaction undoes them if the memo is refused below).
        last = shipping == allowed and all(
            rules.qty_to_invoice(i) <= 0 and rules.qty_to_refund(i) <= wanted.get(i.item_id, ZERO)
            for i in locked.visible
        )
        returned = await give_back.balances(order, sums.grand_total, last)
        if returned.amount or returned.points:
            # The claims wrote the order's refunded balance columns; the state reads them.
            await order.refresh_from_db(fields=list(give_back.BALANCE_COLUMNS))
        if returned.amount:
            net = max(round_price(sums.grand_total - returned.amount), ZERO)
            sums = dataclasses.replace(sums, grand_total=net)
        paid = round_price(Decimal(order.base_total_paid))
        if round_price(Decimal(order.base_total_refunded) + sums.grand_total) > paid:
            available = Decimal(order.base_total_paid) - Decimal(order.base_total_refunded)
            raise InputInvalid(
                refused(too_much(totals.format_price(available, order.base_currency_code)), "input")
            )
        memo = await _write(locked, sums)
        if data.comment is not None and data.comment.text.strip():
            await SalesCreditmemoComment.create(
                parent_id=memo.entity_id,
                comment=data.comment.text.strip(),
                is_visible_on_front=data.comment.visible_on_front,
            )
        for line in lines:
            await _register_line(locked, line)
        await _back_to_stock(locked, data, wanted)
        for name, amount in (
            ("total_refunded", sums.grand_total),
            ("total_offline_refunded", sums.grand_total),
            ("subtotal_refunded", sums.subtotal),
            ("tax_refunded", sums.tax),
            ("shipping_refunded", sums.shipping),
            ("discount_refunded", sums.discount),
            ("adjustment_positive", sums.adjustment_positive),
            ("adjustment_negative", sums.adjustment_negative),
        ):
            for column in (name, f"base_{name}"):
                setattr(order, column, Decimal(getattr(order, column)) + amount)
        was_closed = order.state is OrderState.CLOSED
        await settle(locked, [c for name in _ORDER_FIELDS for c in (name, f"base_{name}")])
        await give_back.refunded(order, memo, not was_closed and order.state is OrderState.CLOSED)
    return memo, order


async def _write(locked: Locked, sums: totals.Totals) -> SalesCreditmemo:
    order = locked.order
    billing_id, shipping_id = await address_ids(order.entity_id)
    memo = await SalesCreditmemo.create(
        increment_id=await reserve_increment_id(SequenceCreditmemo, SalesCreditmemo),
        state=CreditmemoState.REFUNDED,
        **document_columns(order, sums, billing_id, shipping_id),
        **twins("adjustment_positive", sums.adjustment_positive),
        **twins("adjustment_negative", sums.adjustment_negative),
        **twins("adjustment", sums.adjustment_positive - sums.adjustment_negative),
    )
    await SalesCreditmemoItem.bulk_create(
        [SalesCreditmemoItem(**line_columns(memo.entity_id, line)) for line in sums.lines]
    )
    return memo


async def _register_line(locked: Locked, line: totals.Line) -> None:
    """`Creditmemo\\Item::register`: the order item's refunded quantity and amounts grow; a
    configurable line's child row follows its quantity."""
    item = line.item
    item.qty_refunded = Decimal(item.qty_refunded) + line.qty
    for name, amount in (
        ("amount_refunded", line.row_total),
        ("tax_refunded", line.tax),
        ("discount_refunded", line.discount),
    ):
        for column in (name, f"base_{name}"):
            setattr(item, column, Decimal(getattr(item, column)) + amount)
    await item.save(
        update_fields=[
            "qty_refunded",
            "amount_refunded",
            "base_amount_refunded",
            "tax_refunded",
            "base_tax_refunded",
            "discount_refunded",
            "base_discount_refunded",
        ]
    )
    for child in locked.children_of(item):
        child.qty_refunded = Decimal(child.qty_refunded) + line.qty
        await child.save(update_fields=["qty_refunded"])


async def _back_to_stock(locked: Locked, data: RefundData, wanted: dict[int, Decimal]) -> None:
    """Units the admin sends back to stock (Magento's "Return to Stock" per item,
    `cataloginventory/item_options/auto_return` off by default): the product's, or a
    configurable line's child product's."""
    flags: dict[int, bool] = {}
    for request in data.requests or ():
        if request.item_id is not None:
            flags[request.item_id] = request.back_to_stock
    returned: dict[int, Decimal] = defaultdict(Decimal)
    for item in locked.visible:
        qty = wanted.get(item.item_id, ZERO)
        if not qty or not flags.get(item.item_id, data.back_to_stock):
            continue
        stocked = (
            locked.children_of(item)
            if item.product_type == ProductType.CONFIGURABLE.value
            else [item]
        )
        for row in stocked:
            product_id: int | None = row.product_id  # type: ignore[attr-defined]
            if product_id is not None:
                returned[product_id] += qty
    await orders.return_stock(locked.order, dict(sorted(returned.items())))
