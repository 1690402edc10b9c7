"""The arithmetic of invoices and credit memos, as Magento's total collectors do it
(`Order\\Invoice\\Total\\{Subtotal,Discount,Tax,Shipping,Grand}` and
`Order\\Creditmemo\\Total\\{Subtotal,Discount,Tax,Shipping,Grand}`). Pure: amounts in, amounts
out, no I/O.

Every amount of a document line is a share of what the order item has left: `remaining /
available * qty`, rounded to the cent; the line that takes the last available units takes all
that remains (`isLast`), so the documents of an item always add up to the item exactly.
Discounts are positive here; the rows store them negative, as Magento."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from engine.prices import round_price
from models import SalesOrder, SalesOrderItem

ZERO = Decimal(0)

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def format_price(amount: Decimal, currency: str | None) -> str:
    """Magento's `formatBasePrice` / `formatTxt` in the en_US locale: `$12.50`."""
    code = currency or "USD"
    text = f"{round_price(amount):,.2f}"
    symbol = _SYMBOLS.get(code)
    return f"{symbol}{text}" if symbol else f"{code}{text}"


def share(remaining: Decimal, available: Decimal, qty: Decimal) -> Decimal:
    """`qty` units' part of `remaining`, spread over `available` units (Magento's pro-rata with
    `isLast`)."""
    if qty <= 0 or available <= 0:
        return ZERO
    if qty >= available:
        return remaining
    return round_price(remaining / available * qty)


@dataclass(frozen=True)
class Line:
    """One document line: an order item and the amounts its `qty` units carry."""

    item: SalesOrderItem
    qty: Decimal
    row_total: Decimal
    tax: Decimal
    discount: Decimal

    @property
    def price(self) -> Decimal:
        return round_price(Decimal(self.item.price))

    @property
    def price_incl_tax(self) -> Decimal:
        tax_each = self.tax / self.qty if self.qty else ZERO
        return round_price(self.price + tax_each)

    @property
    def row_total_incl_tax(self) -> Decimal:
        return self.row_total + self.tax


def invoice_line(item: SalesOrderItem, qty: Decimal) -> Line:
    """`Invoice\\Item::calcRowTotal` and the discount and tax collectors: shares of what the
    item has not invoiced yet, over the units not invoiced yet."""
    available = Decimal(item.qty_ordered) - Decimal(item.qty_invoiced) - Decimal(item.qty_canceled)
    return Line(
        item=item,
        qty=qty,
        row_total=share(Decimal(item.row_total) - Decimal(item.row_invoiced), available, qty),
        tax=share(Decimal(item.tax_amount) - Decimal(item.tax_invoiced), available, qty),
        discount=share(
            Decimal(item.discount_amount) - Decimal(item.discount_invoiced), available, qty
        ),
    )


def refund_line(item: SalesOrderItem, qty: Decimal) -> Line:
    """`Creditmemo\\Item::calcRowTotal` and the discount and tax collectors: shares of what the
    item invoiced and has not refunded yet, over the invoiced units not refunded yet."""
    available = Decimal(item.qty_invoiced) - Decimal(item.qty_refunded)
    return Line(
        item=item,
        qty=qty,
        row_total=share(Decimal(item.row_invoiced) - Decimal(item.amount_refunded), available, qty),
        tax=share(Decimal(item.tax_invoiced) - Decimal(item.tax_refunded), available, qty),
        discount=share(
            Decimal(item.discount_invoiced) - Decimal(item.discount_refunded), available, qty
        ),
    )


@dataclass(frozen=True)
class Totals:
    """A document's totals; `discount` is positive (stored negative)."""

    lines: tuple[Line, ...]
    subtotal: Decimal
    tax: Decimal
    shipping: Decimal
    discount: Decimal
    adjustment_positive: Decimal
    adjustment_negative: Decimal
    grand_total: Decimal

    @property
    def total_qty(self) -> Decimal:
        return sum((line.qty for line in self.lines), ZERO)

    @property
    def subtotal_incl_tax(self) -> Decimal:
        return self.subtotal + self.tax


def invoice_totals(order: SalesOrder, lines: Sequence[Line], first_invoice: bool) -> Totals:
    """An invoice: its lines, and on the order's first invoice the whole shipping amount and its
    discount (`Invoice\\Total\\Shipping` and `Discount` add them when no earlier invoice has)."""
    shipping = Decimal(order.shipping_amount) if first_invoice else ZERO
    shipping_discount = Decimal(order.shipping_discount_amount) if first_invoice else ZERO
    subtotal = sum((line.row_total for line in lines), ZERO)
    tax = sum((line.tax for line in lines), ZERO)
    discount = sum((line.discount for line in lines), ZERO) + shipping_discount
    return Totals(
        lines=tuple(lines),
        subtotal=subtotal,
        tax=tax,
        shipping=shipping,
        discount=discount,
        adjustment_positive=ZERO,
        adjustment_negative=ZERO,
        grand_total=subtotal + shipping + tax - discount,
    )


def refundable_shipping(order: SalesOrder) -> Decimal:
    """`Creditmemo\\Total\\Shipping`'s allowed amount: the order's shipping, less what earlier
    credit memos refunded."""
    return Decimal(order.shipping_amount) - Decimal(order.shipping_refunded)


def refund_shipping_discount(order: SalesOrder, shipping: Decimal) -> Decimal:
    """`Creditmemo\\Total\\Discount`: the shipping discount in proportion to the shipping
    refunded."""
    order_shipping = Decimal(order.shipping_amount)
    if not shipping or order_shipping <= 0:
        return ZERO
    remaining = Decimal(order.shipping_discount_amount) - _shipping_discount_refunded(order)
    if shipping >= refundable_shipping(order):
        return remaining
    return round_price(shipping * Decimal(order.shipping_discount_amount) / order_shipping)


def _shipping_discount_refunded(order: SalesOrder) -> Decimal:
    """What earlier credit memos gave back of the shipping discount, in the same proportion."""
    order_shipping = Decimal(order.shipping_amount)
    if order_shipping <= 0:
        return ZERO
    return round_price(
        Decimal(order.shipping_refunded) * Decimal(order.shipping_discount_amount) / order_shipping
    )


def refund_totals(
    order: SalesOrder,
    lines: Sequence[Line],
    shipping: Decimal,
    adjustment_positive: Decimal,
    adjustment_negative: Decimal,
) -> Totals:
    """A credit memo (`Creditmemo\\Total\\Grand`): lines + shipping + tax - discount +
    adjustment refund - adjustment fee."""
    subtotal = sum((line.row_total for line in lines), ZERO)
    tax = sum((line.tax for line in lines), ZERO)
    discount = sum((line.discount for line in lines), ZERO) + refund_shipping_discount(
        order, shipping
    )
    return Totals(
        lines=tuple(lines),
        subtotal=subtotal,
        tax=tax,
        shipping=shipping,
        discount=discount,
        adjustment_positive=adjustment_positive,
        adjustment_negative=adjustment_negative,
        grand_total=subtotal
        + shipping
        + tax
        - discount
        + adjustment_positive
        - adjustment_negative,
    )
