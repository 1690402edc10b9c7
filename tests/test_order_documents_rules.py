"""The pure parts of order documents: the shares a document line takes (`totals`) and what an
order allows and the state it moves to (`rules`), as Magento's collectors and `Handler\\State`."""

from __future__ import annotations

from decimal import Decimal

from engine.order_documents import rules, totals
from models import OrderState, SalesOrder, SalesOrderItem

D = Decimal


def item(**values: object) -> SalesOrderItem:
    defaults: dict[str, object] = {
        "item_id": 1,
        "sku": "lamp",
        "name": "Lamp",
        "product_type": "simple",
        "parent_item_id": None,
        "qty_ordered": D(3),
        "qty_invoiced": D(0),
        "qty_shipped": D(0),
        "qty_refunded": D(0),
        "qty_canceled": D(0),
        "price": D(10),
        "row_total": D(30),
        "tax_amount": D("2.48"),
        "discount_amount": D(3),
        "row_invoiced": D(0),
        "tax_invoiced": D(0),
        "discount_invoiced": D(0),
        "amount_refunded": D(0),
        "tax_refunded": D(0),
        "discount_refunded": D(0),
    }
    defaults.update(values)
    parent = defaults.pop("parent_item_id")
    row = SalesOrderItem(**defaults)
    row.parent_item_id = parent  # type: ignore[attr-defined]  # the foreign key's column
    return row


def order(**values: object) -> SalesOrder:
    defaults: dict[str, object] = {
        "state": OrderState.NEW,
        "shipping_amount": D(15),
        "shipping_discount_amount": D("1.5"),
        "shipping_refunded": D(0),
        "total_paid": D(0),
        "total_refunded": D(0),
    }
    defaults.update(values)
    return SalesOrder(**defaults)


def test_a_share_is_pro_rata_and_the_last_takes_the_rest() -> None:
    assert totals.share(D("2.48"), D(3), D(1)) == D("0.83")  # 0.8267
    assert totals.share(D("1.65"), D(2), D(1)) == D("0.83")  # 0.825, half up
    assert totals.share(D("0.82"), D(1), D(1)) == D("0.82")  # the last unit: all that is left
    assert totals.share(D(5), D(2), D(3)) == D(5)  # more than available: everything
    assert totals.share(D(5), D(0), D(1)) == D(0)
    assert totals.share(D(5), D(2), D(0)) == D(0)


def test_invoice_lines_share_what_the_item_has_not_invoiced() -> None:
    lamp = item()
    line = totals.invoice_line(lamp, D(1))
    # 30 / 3 = 10, tax 2.48 / 3 = 0.83, discount 3 / 3 = 1.
    assert (line.row_total, line.tax, line.discount) == (D(10), D("0.83"), D(1))
    assert (line.price_incl_tax, line.row_total_incl_tax) == (D("10.83"), D("10.83"))
    invoiced = item(
        qty_invoiced=D(2), row_invoiced=D(20), tax_invoiced=D("1.66"), discount_invoiced=D(2)
    )
    last = totals.invoice_line(invoiced, D(1))
    assert (last.row_total, last.tax, last.discount) == (D(10), D("0.82"), D(1))


def test_invoice_totals_take_the_shipping_on_the_first_invoice_only() -> None:
    lines = [totals.invoice_line(item(tax_amount=D(0)), D(3))]
    first = totals.invoice_totals(order(), lines, first_invoice=True)
    # 30 + 15 - (3 + 1.50) = 40.50.
    assert (first.subtotal, first.shipping, first.discount, first.grand_total) == (
        D(30),
        D(15),
        D("4.5"),
        D("40.5"),
    )
    later = totals.invoice_totals(order(), lines, first_invoice=False)
    assert (later.shipping, later.discount, later.grand_total) == (D(0), D(3), D(27))


def test_refund_lines_share_what_was_invoiced_and_not_refunded() -> None:
    lamp = item(
        qty_invoiced=D(3), row_invoiced=D(30), tax_invoiced=D("2.48"), discount_invoiced=D(3)
    )
    line = totals.refund_line(lamp, D(2))
    # 30 x 2 / 3 = 20, 2.48 x 2 / 3 = 1.6533 -> 1.65, 3 x 2 / 3 = 2.
    assert (line.row_total, line.tax, line.discount) == (D(20), D("1.65"), D(2))
    assert totals.refund_line(lamp, D(0)).row_total == D(0)


def test_refund_totals_with_shipping_share_and_adjustments() -> None:
    placed = order()
    lamp = item(
        qty_invoiced=D(3),
        row_invoiced=D(30),
        tax_invoiced=D(0),
        discount_invoiced=D(3),
        tax_amount=D(0),
    )
    memo = totals.refund_totals(placed, [totals.refund_line(lamp, D(1))], D(5), D(1), D(2))
    # 10 + 5 - (1 + 1.50 x 5 / 15 = 0.50) + 1 - 2 = 12.50.
    assert (memo.discount, memo.grand_total) == (D("1.5"), D("12.5"))
    assert totals.refundable_shipping(placed) == D(15)
    refunded = order(shipping_refunded=D(5))
    assert totals.refundable_shipping(refunded) == D(10)
    # The rest of the shipping takes the rest of its discount: 1.50 - 0.50.
    assert totals.refund_shipping_discount(refunded, D(10)) == D(1)
    assert totals.refund_shipping_discount(order(shipping_amount=D(0)), D(0)) == D(0)


def test_prices_are_formatted_as_magento_formats_base_prices() -> None:
    assert totals.format_price(D("1234.5"), "USD") == "$1,234.50"
    assert totals.format_price(D(3), "EUR") == "€3.00"
    assert totals.format_price(D(3), "CHF") == "CHF3.00"


def test_quantities_left() -> None:
    lamp = item(qty_invoiced=D(1), qty_shipped=D(2), qty_refunded=D(1), qty_canceled=D(0))
    assert rules.qty_to_invoice(lamp) == D(2)
    assert rules.qty_to_ship(lamp) == D(0)  # 3 - 2 shipped - 1 refunded
    assert rules.qty_to_refund(lamp) == D(0)
    assert rules.qty_to_ship(item(product_type="virtual")) == D(0)
    child = item(parent_item_id=7)
    assert (rules.qty_to_invoice(child), rules.qty_to_ship(child), rules.qty_to_refund(child)) == (
        D(0),
        D(0),
        D(0),
    )


def test_what_an_order_allows() -> None:
    lamp = item()
    assert rules.can_invoice(order(), [lamp])
    for state in (OrderState.CANCELED, OrderState.HOLDED, OrderState.COMPLETE, OrderState.CLOSED):
        assert not rules.can_invoice(order(state=state), [lamp])
    assert not rules.can_invoice(order(), [item(qty_invoiced=D(3))])
    assert rules.can_ship(order(), [lamp])
    assert not rules.can_ship(order(), [item(product_type="virtual")])
    assert not rules.can_ship(order(state=OrderState.HOLDED), [lamp])
    assert not rules.can_creditmemo(order(total_paid=D(0)))
    assert rules.can_creditmemo(order(state=OrderState.COMPLETE, total_paid=D(10)))
    assert not rules.can_creditmemo(order(total_paid=D(10), total_refunded=D(10)))
    assert not rules.can_creditmemo(order(state=OrderState.CLOSED, total_paid=D(10)))


def test_the_state_after_a_document() -> None:
    # Invoiced in part: processing.
    assert rules.next_state(order(), [item(qty_invoiced=D(1))]) is OrderState.PROCESSING
    # Invoiced in full, not shipped: processing; shipped too: complete.
    invoiced = item(qty_invoiced=D(3))
    assert rules.next_state(order(total_paid=D(30)), [invoiced]) is OrderState.PROCESSING
    done = item(qty_invoiced=D(3), qty_shipped=D(3))
    assert rules.next_state(order(total_paid=D(30)), [done]) is OrderState.COMPLETE
    # Refunded in full: closed, from processing or complete.
    refunded = item(qty_invoiced=D(3), qty_refunded=D(3))
    for state in (OrderState.PROCESSING, OrderState.COMPLETE):
        closing = order(state=state, total_paid=D(30), total_refunded=D(30))
        assert rules.next_state(closing, [refunded]) is OrderState.CLOSED
    # Refunded in part after shipping: stays complete.
    partly = order(state=OrderState.COMPLETE, total_paid=D(30), total_refunded=D(10))
    assert rules.next_state(
        partly, [item(qty_invoiced=D(3), qty_shipped=D(3), qty_refunded=D(1))]
    ) is (OrderState.COMPLETE)
    # A held order does not move.
    assert rules.next_state(order(state=OrderState.HOLDED), [done]) is OrderState.HOLDED
    # A virtual order invoiced in full is complete (nothing to ship).
    virtual = item(product_type="virtual", qty_invoiced=D(3))
    assert rules.next_state(order(total_paid=D(30)), [virtual]) is OrderState.COMPLETE
