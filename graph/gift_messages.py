"""Gift options as the storefront cart shows them: Magento Open Source's gift message, and the
disabled defaults of Adobe Commerce's gift cards, receipts, printed cards and wrapping
(`engine/gift_messages.py`). The mutation's input and output live with the cart (graph/carts.py),
which these types sit below."""

from __future__ import annotations

import strawberry

from engine import gift_messages
from graph.common import Money
from graph.limits import CHECKED_BY_ENGINE


@strawberry.type(description="Contains the text of a gift message, its sender, and recipient")
class GiftMessage:
    from_: str = strawberry.field(name="from", description="Sender name")
    message: str = strawberry.field(description="Gift message text")
    to: str = strawberry.field(description="Recipient name")

    @classmethod
    def of(cls, message: gift_messages.Message) -> GiftMessage:
        return cls(from_=message.sender, message=message.message, to=message.recipient)


@strawberry.input(description="Defines a gift message.")
class GiftMessageInput:
    from_: str = strawberry.field(
        name="from", metadata=CHECKED_BY_ENGINE, description="The name of the sender."
    )
    message: str = strawberry.field(description="The text of the gift message.")
    to: str = strawberry.field(metadata=CHECKED_BY_ENGINE, description="The name of the recepient.")

    def value(self) -> gift_messages.Message:
        return gift_messages.Message(sender=self.from_, recipient=self.to, message=self.message)


@strawberry.type(description="Contains prices for gift wrapping options.")
class GiftOptionsPrices:
    printed_card: Money | None = strawberry.field(
        description="Price for the printed card: none here (printed cards are not available)."
    )


@strawberry.type(description="Contains an applied gift card with applied and remaining balance.")
class AppliedGiftCard:
    applied_balance: Money | None = strawberry.field(
        description="The amount applied to the current cart."
    )
    code: str | None = strawberry.field(description="The gift card account code.")
    current_balance: Money | None = strawberry.field(
        description="The remaining balance on the gift card."
    )
