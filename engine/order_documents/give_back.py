"""What a refund gives back besides money. Magento gives an order's coupon and rule uses back
when the order stops counting (`SalesRule\\Model\\Coupon\\UpdateCouponUsages` with `false`, run
for a canceled order and here for an order a credit memo closes: refunded in full). Stock goes
back per item, when the admin asks for it (`creditmemos.refund_order`).

The balances an order spent (store credit, reward points) come back in `balances`, called
before the memo is written because they decide its money total: the memo's share of them
(`order_documents.balances.refund_fraction`) through `checkout_balances.return_order_balances`
(`ReturnReason.REFUND`). Store credit always comes back, as Magento_CustomerBalance's credit memo
does; points come back when `magento_reward/general/refund_automatically` is on (Magento's
default is off: the admin gives them back by hand, `adminAdjustRewardPoints`). Either way the
points' share is not refunded as money: it was never paid in money. `refunded` runs after the
memo and the order are saved, for what depends on the order closing."""

from __future__ import annotations

from decimal import Decimal

from engine import checkout_balances
from engine.checkout_balances import Returned, ReturnReason
from engine.config import ConfigPath
from engine.order_documents import balances as order_balances
from engine.salesrules import usage
from engine.stores import load_snapshot
from models import QuoteCoupon, SalesCreditmemo, SalesOrder

# The order's columns `balances` claims.
BALANCE_COLUMNS = (
    "reward_points_balance_refund",
    "rwrd_crrncy_amnt_refunded",
    "base_rwrd_crrncy_amnt_refnded",
    "customer_balance_refunded",
    "base_customer_balance_refunded",
)


async def balances(order: SalesOrder, gross: Decimal, last: bool) -> Returned:
    """Give back the share of the order's store credit and reward points that a credit memo of
    `gross` (its total before the balances) covers; `last`: the memo leaves nothing to refund,
    so all that is left comes back. Inside the refund's transaction."""
    if order_balances.used(order) <= 0:
        return Returned(0, Decimal(0))
    stores = await load_snapshot()
    store_id: int | None = order.store_id  # type: ignore[attr-defined]
    store = next((s for s in stores.stores if s.store_id == store_id), None)
    return await checkout_balances.return_order_balances(
        order,
        stores,
        fraction=order_balances.refund_fraction(order, gross, last),
        reason=ReturnReason.REFUND,
        points=stores.config_flag(ConfigPath.REWARD_REFUND_AUTOMATICALLY, store),
    )


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
