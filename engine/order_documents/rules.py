"""What an order still allows, and the state it moves to: Magento's `Order::canInvoice`,
`canShip`, `canCreditmemo`, `Order\\Item::getQtyToInvoice` / `getQtyToShip` /
`getQtyToRefund`, and `ResourceModel\\Order\\Handler\\State::check`. Pure functions of the rows.

A configurable line's child row (`parent_item_id` set) is Magento's "dummy" item: it is never
counted on its own; its quantities follow its parent's."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from engine.order_documents import balances
from models import OrderState, SalesOrder, SalesOrderItem

ZERO = Decimal(0)
# Magento compares money with this tolerance (`abs(paid - refunded) < .0001`).
EPSILON = Decimal("0.0001")
# States in which no document may be created (`canUnhold`, `isPaymentReview`, `isCanceled`).
_FROZEN = frozenset({OrderState.HOLDED, OrderState.PAYMENT_REVIEW, OrderState.CANCELED})


def is_dummy(item: SalesOrderItem) -> bool:
    return item.parent_item_id is not None  # type: ignore[attr-defined]


def qty_to_invoice(item: SalesOrderItem) -> Decimal:
    """`Order\\Item::getQtyToInvoice`: ordered, less invoiced and canceled."""
    if is_dummy(item):
        return ZERO
    left = Decimal(item.qty_ordered) - Decimal(item.qty_invoiced) - Decimal(item.qty_canceled)
    return max(left, ZERO)


def qty_to_ship(item: SalesOrderItem) -> Decimal:
    """`Order\\Item::getQtyToShip`: ordered, less shipped, refunded and canceled; virtual
    products are never shipped."""
    if is_dummy(item) or item.product_type == "virtual":
        return ZERO
    left = (
        Decimal(item.qty_ordered)
        - Decimal(item.qty_shipped)
        - Decimal(item.qty_refunded)
        - Decimal(item.qty_canceled)
    )
    return max(left, ZERO)


def qty_to_refund(item: SalesOrderItem) -> Decimal:
    """`Order\\Item::getQtyToRefund`: invoiced, less refunded."""
    if is_dummy(item):
        return ZERO
    return max(Decimal(item.qty_invoiced) - Decimal(item.qty_refunded), ZERO)


def is_virtual(items: Sequence[SalesOrderItem]) -> bool:
    visible = [i for i in items if not is_dummy(i)]
    return bool(visible) and all(i.product_type == "virtual" for i in visible)


def can_invoice(order: SalesOrder, items: Sequence[SalesOrderItem]) -> bool:
    """`Order::canInvoice`: not held, in review, canceled, complete or closed, and some item has
    a quantity left to invoice."""
    if order.state in _FROZEN or order.state in (OrderState.COMPLETE, OrderState.CLOSED):
        return False
    return any(qty_to_invoice(i) > 0 for i in items)


def shipment_refused_by_state(order: SalesOrder) -> bool:
    """`Shipment\\Validation\\CanShip::isStateReadyForShipment`."""
    return order.state in _FROZEN


def can_ship(order: SalesOrder, items: Sequence[SalesOrderItem]) -> bool:
    """`Order::canShip`: not held, in review or canceled, not virtual, and some item has a
    quantity left to ship."""
    if order.state in _FROZEN or is_virtual(items):
        return False
    return any(qty_to_ship(i) > 0 for i in items)


def can_creditmemo(order: SalesOrder) -> bool:
    """`Order::canCreditmemo`: not held, in review, canceled or closed, and some of what was
    paid is not refunded yet."""
    if order.state in _FROZEN or order.state is OrderState.CLOSED:
        return False
    if abs(Decimal(order.total_paid) - Decimal(order.total_refunded)) >= EPSILON:
        return True
    # Magento_CustomerBalance's `forced_can_creditmemo`: what the balances paid of the invoices
    # can still be refunded when no money can (an order paid with store credit or points alone).
    return balances.invoiced(order) - balances_refunded(order) >= EPSILON


def balances_refunded(order: SalesOrder) -> Decimal:
    """What credit memos gave back of the balances: store credit and the points' value."""
    return Decimal(order.base_customer_balance_refunded or 0) + Decimal(
        order.base_rwrd_crrncy_amnt_refnded or 0
    )


def next_state(order: SalesOrder, items: Sequence[SalesOrderItem]) -> OrderState:
    """The state after a document was registered (`Handler\\State::check` with
    `is_in_process`, set by every invoice, shipment and credit memo): a new order starts
    processing; once nothing is left to invoice, an order with nothing left to refund or ship is
    closed, and a processing one with nothing left to ship is complete."""
    state = order.state
    if state in (OrderState.NEW, OrderState.PENDING_PAYMENT):
        state = OrderState.PROCESSING
    if state in _FROZEN or any(qty_to_invoice(i) > 0 for i in items):
        return state
    nothing_to_ship = is_virtual(items) or not any(qty_to_ship(i) > 0 for i in items)
    in_flow = state in (OrderState.PROCESSING, OrderState.COMPLETE)
    paid_back = abs(Decimal(order.total_paid) - Decimal(order.total_refunded)) < EPSILON
    refunded = Decimal(order.total_refunded) > 0 or balances_refunded(order) > 0
    if in_flow and paid_back and nothing_to_ship and refunded:
        return OrderState.CLOSED
    if state is OrderState.PROCESSING and nothing_to_ship:
        return OrderState.COMPLETE
    return state
