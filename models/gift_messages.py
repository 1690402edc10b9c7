"""Gift messages: Magento_GiftMessage's `gift_message` table. A cart names its message by
`quote.gift_message_id` and the order placed from it by `sales_order.gift_message_id` (the same
row, as Magento's quote-to-order copy of the id)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class GiftMessage(Model):
    """`gift_message`: who sends it, to whom, and what it says. `customer_id` is 0 for a guest."""

    gift_message_id = fields.IntField(primary_key=True)
    customer_id = fields.IntField(db_default=0)
    sender = fields.CharField(max_length=255, null=True)
    recipient = fields.CharField(max_length=255, null=True)
    message = fields.TextField(null=True)

    class Meta:
        table = "gift_message"
