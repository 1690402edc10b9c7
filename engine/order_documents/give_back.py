"""What a refund gives back besides money. Magento gives an order's coupon and rule uses back
when the order stops counting (`SalesRule\\Model\\Coupon\\UpdateCouponUsages` with `false`, run
for a canceled order and here for an order a credit memo closes: refunded in full). Stock goes
back per item, when the admin asks for it (`creditmemos.refund_order`).

`refunded` is the one place where a credit memo's other give-backs join: a feature that lets an
order spend a balance (store credit, reward points) adds its call there, inside the refund's
transaction, with the memo's `grand_total` and the order's columns it spent."""

from __future__ import annotations

from engine.salesrules import usage
from models import QuoteCoupon, SalesCreditmemo, SalesOrder


async def refunded(order: SalesOrder, memo: SalesCreditmemo, closed: bool) -> None:
    """Called once per credit memo, after the order's totals and state are saved. `closed`:
    this memo closed the order."""
    if closed:
        await _release_coupon_uses(order)


async def _release_coupon_uses(order: SalesOrder) -> None:
    codes: list[str] = []
    if order.quote_id is not None:
        rows = await QuoteCoupon.filter(quote_id=order.quote_id).order_by("position", "id")
        codes = [row.code for row in rows]
    if order.coupon_code and order.coupon_code.lower() not in {c.lower() for c in codes}:
        codes.insert(0, order.coupon_code)
    await usage.release_order(
        order.applied_rule_ids,
        codes,
        order.customer_id,  # type: ignore[attr-defined]
    )
