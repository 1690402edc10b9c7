"""What store credit and reward points cover of an order's documents
(`engine/order_documents/balances.py`) and when a memo may still refund them
(`rules.can_creditmemo`, `rules.next_state`). Pure: orders built in memory."""

from __future__ import annotations

from decimal import Decimal as D  # noqa: N817

from engine.order_documents import balances, rules
from models import OrderState, SalesOrder


def order(**values: object) -> SalesOrder:
    """110.00 gross: 88.00 to pay in money, 22.00 of store credit; nothing invoiced yet."""
    defaults: dict[str, object] = {
        "state": OrderState.PROCESSING,
        "base_grand_total": D(88),
        "base_customer_balance_amount": D(22),
        "base_reward_currency_amount": D(0),
        "base_customer_balance_refunded": D(0),
        "base_rwrd_crrncy_amnt_refnded": D(0),
        "base_subtotal_invoiced": D(0),
        "base_shipping_invoiced": D(0),
        "base_tax_invoiced": D(0),
        "base_discount_invoiced": D(0),
        "base_total_invoiced": D(0),
        "total_paid": D(0),
        "total_refunded": D(0),
    }
    defaults.update(values)
    return SalesOrder(**defaults)


def test_an_invoice_takes_its_share_and_the_last_takes_the_rest() -> None:
    whole = order()
    assert balances.gross_total(whole) == D(110)
    # 40 of 110: 22 x 40 / 110 = 8.00.
    assert balances.invoice_share(whole, D(40), last=False) == D(8)
    # 30 of 110: 22 x 30 / 110 = 6.00 exactly; 10 of 110 = 2.00.
    assert balances.invoice_share(whole, D(10), last=False) == D(2)
    # After a 40.00 invoice that took 8.00 (32.00 in money), the last takes 22 - 8 = 14.00.
    after = order(base_subtotal_invoiced=D(40), base_total_invoiced=D(32))
    assert balances.invoiced(after) == D(8)
    assert balances.invoice_share(after, D(70), last=True) == D(14)
    # Never more than the invoice itself.
    assert balances.invoice_share(
        order(base_grand_total=D(0), base_customer_balance_amount=D(110)), D(5), last=True
    ) == D(5)


def test_an_order_without_balances_shares_nothing() -> None:
    plain = order(base_grand_total=D(110), base_customer_balance_amount=D(0))
    assert balances.invoice_share(plain, D(110), last=True) == D(0)
    assert balances.invoiced(plain) == D(0)


def test_a_memo_fraction_is_its_part_of_the_gross_total() -> None:
    whole = order()
    assert balances.refund_fraction(whole, D(55), last=False) == D("0.5")
    assert balances.refund_fraction(whole, D(55), last=True) == D(1)
    assert balances.refund_fraction(whole, D(500), last=False) == D(1)


def test_balances_left_to_refund_allow_a_memo_and_close_the_order() -> None:
    # Paid with store credit alone and invoiced: 0.00 paid in money, 105.00 of credit.
    paid_by_credit = order(
        base_grand_total=D(0),
        base_customer_balance_amount=D(105),
        base_subtotal_invoiced=D(100),
        base_shipping_invoiced=D(5),
    )
    assert rules.can_creditmemo(paid_by_credit)
    refunded = order(
        base_grand_total=D(0),
        base_customer_balance_amount=D(105),
        base_subtotal_invoiced=D(100),
        base_shipping_invoiced=D(5),
        base_customer_balance_refunded=D(105),
    )
    assert not rules.can_creditmemo(refunded)
    assert rules.next_state(refunded, []) is OrderState.CLOSED
