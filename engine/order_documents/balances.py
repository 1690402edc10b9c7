"""What the balances an order spent (reward points and store credit, `checkout_balances`) cover
of its invoices and credit memos. The order's grand total is what is paid in money (it already
excludes both balances); its documents' lines are gross. So each document's money total is its
gross total less the balances' share of it, as Magento's `Invoice\\Total\\Reward`,
`Invoice\\Total\\Customerbalance` and their credit memo twins subtract them.

The share is pro rata: a document covering a part of the order's gross total (grand total +
points' value + store credit) takes that part of the balances; the document that leaves nothing
to invoice (or to refund) takes what is left, so the documents add up exactly. Magento's
collectors take the balances first instead (the first invoice is paid with store credit before
money); pro rata keeps what a partial refund gives back in the proportions the customer paid,
which is what a merchant expects of a partial refund, and keeps every invoice's money within
what its refund can give back."""

from __future__ import annotations

from decimal import Decimal

from engine.prices import round_price
from models import SalesOrder

ZERO = Decimal(0)


def used(order: SalesOrder) -> Decimal:
    """What the order's balances paid: the points' value and the store credit."""
    return Decimal(order.base_reward_currency_amount or 0) + Decimal(
        order.base_customer_balance_amount or 0
    )


def gross_total(order: SalesOrder) -> Decimal:
    """The order's total before the balances: its grand total plus what they paid."""
    return Decimal(order.base_grand_total) + used(order)


def invoiced(order: SalesOrder) -> Decimal:
    """What the balances covered of the invoices so far: their gross (subtotal + shipping + tax
    - discount, the discount stored negative) less the money they took, at most what the
    balances paid."""
    total = used(order)
    if total <= 0:
        return ZERO
    gross = (
        Decimal(order.base_subtotal_invoiced)
        + Decimal(order.base_shipping_invoiced)
        + Decimal(order.base_tax_invoiced)
        + Decimal(order.base_discount_invoiced)
    )
    return min(max(gross - Decimal(order.base_total_invoiced), ZERO), total)


def invoice_share(order: SalesOrder, gross: Decimal, last: bool) -> Decimal:
    """What the balances cover of an invoice of `gross`: its part of them, rounded to the cent,
    or all that is left on the invoice that leaves nothing to invoice; never more than the
    invoice."""
    total = used(order)
    if total <= 0 or gross <= 0:
        return ZERO
    left = max(total - invoiced(order), ZERO)
    share = left if last else round_price(total * gross / gross_total(order))
    return min(share, left, gross)


def refund_fraction(order: SalesOrder, gross: Decimal, last: bool) -> Decimal:
    """The part of the order's balances a credit memo of `gross` gives back: its part of the
    order's gross total, or 1 (all that is left) for the memo that leaves nothing to refund."""
    if last:
        return Decimal(1)
    whole = gross_total(order)
    if whole <= 0:
        return ZERO
    return min(gross / whole, Decimal(1))
