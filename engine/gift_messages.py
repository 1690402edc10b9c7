"""Gift options on a cart, as Magento Open Source has them (`Magento_GiftMessage`): one gift
message for the whole order (`sales/gift_options/allow_order`), kept in `gift_message` and named
by `quote.gift_message_id`; the order placed from the cart names the same row.

`setGiftOptionsOnCart` (Adobe Commerce's mutation, which Venia sends from both builds) follows
`GiftMessage\\Model\\CartRepository::save` for the message:
- an empty cart is refused ("Gift Messages are not applicable for empty cart"), a virtual cart
  too ("... for virtual products");
- a message with text while `allow_order` is off is refused ("Gift Message is not available");
- a message whose text is empty removes the cart's message (Magento's `GiftMessageManager`
  deletes it), as does leaving `gift_message` out.

Gift receipts, printed cards and gift wrapping belong to Adobe Commerce's `Magento_GiftWrapping`,
which mageseg does not have: the storefront answers their disabled defaults (not allowed, not
included, no price) and refuses to include one rather than keep a choice nothing honours."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from engine.carts import CartRef, compute_totals, locked_cart, quote_saved
from engine.config import ConfigPath
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.stores import StoresSnapshot
from models import GiftMessage, Quote, SalesOrder

# `sales/gift_options/allow_gift_receipt` and `allow_printed_card` as StoreConfig answers them.
GIFT_RECEIPT_ALLOWED = "0"
PRINTED_CARD_ALLOWED = "0"
EMPTY_CART = "Gift Messages are not applicable for empty cart"
VIRTUAL_CART = "Gift Messages are not applicable for virtual products"
NOT_AVAILABLE = "Gift Message is not available"
NO_GIFT_RECEIPTS = "Gift receipts are not available."
NO_PRINTED_CARDS = "Printed cards are not available."
NAME_MAX_LENGTH = 255


@dataclass(frozen=True)
class Message:
    """A gift message as the storefront reads and writes it."""

    sender: str
    recipient: str
    message: str


@dataclass(frozen=True)
class GiftOptions:
    """`SetGiftOptionsOnCartInput`, as engine values."""

    message: Message | None
    gift_receipt_included: bool
    printed_card_included: bool
    gift_wrapping_id: str | None


async def of_quote(quote: Quote) -> Message | None:
    """The cart's gift message; Magento answers empty strings for missing parts."""
    if quote.gift_message_id is None:
        return None
    row = await GiftMessage.get_or_none(gift_message_id=quote.gift_message_id)
    if row is None:
        return None
    return Message(row.sender or "", row.recipient or "", row.message or "")


def _check(options: GiftOptions) -> None:
    problems: list[Problem] = []
    if options.gift_receipt_included:
        problems.append(
            Problem(ProblemCode.INVALID, NO_GIFT_RECEIPTS, "input.gift_receipt_included")
        )
    if options.printed_card_included:
        problems.append(
            Problem(ProblemCode.INVALID, NO_PRINTED_CARDS, "input.printed_card_included")
        )
    if options.gift_wrapping_id is not None:
        problems.append(
            Problem(
                ProblemCode.NOT_FOUND,
                f'Could not find gift wrapping with ID "{options.gift_wrapping_id}"',
                "input.gift_wrapping_id",
            )
        )
    message = options.message
    if message is not None:
        for name, value in (("from", message.sender), ("to", message.recipient)):
            if len(value) > NAME_MAX_LENGTH:
                problems.append(
                    Problem(
                        ProblemCode.TOO_LONG,
                        f'"{name}" cannot be longer than {NAME_MAX_LENGTH} characters.',
                        f"input.gift_message.{name}",
                    )
                )
    if problems:
        raise InputInvalid(problems)


async def set_options(ref: CartRef, options: GiftOptions, stores: StoresSnapshot) -> Quote:
    """`setGiftOptionsOnCart` (see the module); one transaction."""
    _check(options)
    async with in_transaction():
        quote = await locked_cart(ref)
        message = options.message if options.message and options.message.message else None
        if options.message is not None:
            totals = await compute_totals(quote, stores)
            if not totals.lines:
                raise InputInvalid(Problem(ProblemCode.INVALID, EMPTY_CART, "input.gift_message"))
            if totals.is_virtual:
                raise InputInvalid(Problem(ProblemCode.INVALID, VIRTUAL_CART, "input.gift_message"))
        if message is not None and not stores.config_flag(
            ConfigPath.GIFT_MESSAGE_ALLOW_ORDER, ref.store
        ):
            raise InputInvalid(Problem(ProblemCode.INVALID, NOT_AVAILABLE, "input.gift_message"))
        await _write(quote, message)
        await quote_saved(quote)
    return quote


async def _write(quote: Quote, message: Message | None) -> None:
    current = quote.gift_message_id
    if message is None:
        if current is not None:
            quote.gift_message_id = None
            await quote.save(update_fields=["gift_message_id", "updated_at"])
            await _drop_unless_ordered(current)
        return
    customer_id: int = quote.customer_id or 0  # type: ignore[attr-defined]
    if current is not None and await GiftMessage.filter(gift_message_id=current).update(
        sender=message.sender,
        recipient=message.recipient,
        message=message.message,
        customer_id=customer_id,
    ):
        return
    row = await GiftMessage.create(
        sender=message.sender,
        recipient=message.recipient,
        message=message.message,
        customer_id=customer_id,
    )
    quote.gift_message_id = row.gift_message_id
    await quote.save(update_fields=["gift_message_id", "updated_at"])


async def _drop_unless_ordered(gift_message_id: int) -> None:
    if not await SalesOrder.exists(gift_message_id=gift_message_id):
        await GiftMessage.filter(gift_message_id=gift_message_id).delete()
