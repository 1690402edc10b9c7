"""Reward points, as Adobe Commerce's `Magento_Reward`: a points balance per customer and
website (`magento_reward`), every change in `magento_reward_history`, and exchange rates per
website and customer group in both directions (`magento_reward_rate`).

- `rates`: the rate lookup (group beats website) and the arithmetic of both directions.
- `settings`: the `magento_reward/*` settings of one website.
- `ledger`: the one writer of balances and history (cap, FIFO use, expiry dates, atomic spend).
- `actions`: the earning actions (order paid, registration, newsletter, invitation, admin).
- `expiry`: the midnight runner that expires points in each website's timezone.
- `history`: reading balances and history for the storefront and admins.

Spending at checkout, for points and store credit alike, is `engine/checkout_balances.py` (the
cart collectors, the claim at placeOrder, giving back on cancel or refund) and
`engine/cart_payments.py` (the apply/remove mutations)."""
