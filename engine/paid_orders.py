"""What an order earns when it becomes paid in full: the customer's purchase points (Reward
action 8, `OrderCompleted`) and, for an invitee's order, the inviter's order reward (action 5,
`InvoicePay`). Both run inside the caller's transaction.

An order becomes paid once, by one of two paths that exclude each other:
- the invoice that leaves nothing to invoice (`order_documents.invoices`), as Magento;
- `adminUpdateOrderStatus` to a complete status while some unit is not invoiced
  (`orders.update_status` marks every unit invoiced: the order is declared paid; an order with
  nothing left to invoice was already paid by its invoices). This is how an imported order, or
  a shop that does not write invoices here, says an order is paid."""

from __future__ import annotations

from engine.invitations import conversions as invitation_conversions
from engine.rewards import actions as reward_actions
from engine.stores import StoresSnapshot
from models import SalesOrder


async def order_paid(order: SalesOrder, stores: StoresSnapshot) -> None:
    """Earn what `order` earns on being paid; the caller calls it once per order."""
    await reward_actions.order_paid(order, stores)
    await invitation_conversions.order_paid(order, stores)
