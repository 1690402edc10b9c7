"""Orders: placing a cart as an order, reading a customer's orders, and the admin's ingestion of
history placed elsewhere (create with a past date, change status).

Placing follows Magento's `QuoteManagement::placeOrder`: the cart is claimed (deactivated) first,
so a cart becomes at most one order even when two requests race; then the same checks in the same
order as `submit` and `QuoteValidator::validateBeforeSubmit` (items, stock, shipping address and
method for carts that ship, billing address, payment method); then every counted limit the
order spends is claimed where it is spent (stock, coupon and rule uses: `engine.limits`), the
increment id is reserved from `sequence_order` and the quote is copied into `sales_order*`, all in
one transaction. A refused cart, including the loser of a race for a limit's last use, leaves
the database as it was; an order never drops a discount the cart was shown because a limit ran
out meanwhile (it is refused instead).

Statuses and states come from `sales_order_status_state`; the transitions allowed between states
are Magento's (`Order::canCancel`, `canHold`, `canUnhold`, invoicing and shipping), written as one
table (`ALLOWED_TRANSITIONS`)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum, StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from engine import attributes, carts, checkout_balances, configurable, paid_orders
from engine.errors import (
    AlreadyExists,
    InputInvalid,
    NoSuchEntity,
    Problem,
    ProblemCode,
    Problems,
)
from engine.pagination import Page, PageRequest, paginate
from engine.prices import round_price
from engine.salesrules import usage as rule_usage
from engine.segments import events, membership
from engine.stores import StoresSnapshot, StoreView, load_snapshot
from models import (
    AddressType,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CustomerEntity,
    OrderState,
    Quote,
    QuoteAddress,
    QuoteItem,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    SalesOrderPayment,
    SalesOrderStatus,
    SalesOrderStatusHistory,
    SalesOrderStatusState,
    SequenceOrder,
)
from models.attributes import EntityType
from models.catalog import ProductType
from models.groups import NOT_LOGGED_IN_GROUP_ID

ZERO = Decimal(0)
DEFAULT_STATUS = "pending"
DEFAULT_PAYMENT_METHOD = "checkmo"
INCREMENT_ID_MAX_LENGTH = 50

# Magento's payment method titles (`payment/<code>/title`), for `OrderPaymentMethod.name`.
PAYMENT_TITLES = {
    "checkmo": "Check / Money order",
    "free": "No Payment Information Required",
    "cashondelivery": "Cash On Delivery",
    "banktransfer": "Bank Transfer Payment",
    "purchaseorder": "Purchase Order",
}


def now() -> datetime:
    return datetime.now(UTC)


def format_increment_id(sequence_value: int) -> str:
    """Magento's default sequence pattern `%s%'09d%s` with an empty prefix and suffix."""
    return f"{sequence_value:09d}"


# --------------------------------------------------------------------------------------------
# placeOrder
# --------------------------------------------------------------------------------------------


class PlaceOrderCode(StrEnum):
    """Magento's `PlaceOrderErrorCodes` (`QuoteGraphQl\\Model\\ErrorMapper`)."""

    CART_NOT_FOUND = "CART_NOT_FOUND"
    CART_NOT_ACTIVE = "CART_NOT_ACTIVE"
    GUEST_EMAIL_MISSING = "GUEST_EMAIL_MISSING"
    UNABLE_TO_PLACE_ORDER = "UNABLE_TO_PLACE_ORDER"
    UNDEFINED = "UNDEFINED"


CART_NOT_ACTIVE = "The cart isn't active."
GUEST_EMAIL_MISSING = "Guest email for cart is missing."
SERVER_ERROR = (
    "A server error stopped your order from being placed. Please try to place your order again."
)
OUT_OF_STOCK = "Some of the products are out of stock."
SHIPPING_ADDRESS_MISSING = "Please check the shipping address information."
SHIPPING_METHOD_MISSING = (
    "The shipping method is missing. Select the shipping method and try again."
)
BILLING_ADDRESS_MISSING = "Please check the billing address information."
PAYMENT_METHOD_MISSING = "Enter a valid payment method and try again."
# Magento's `ValidateCouponCode` message, also for a coupon whose last use another order took.
COUPON_NOT_VALID = "The coupon code isn't valid. Verify the code and try again."

# `ErrorMapper::MESSAGE_CODES`: a message containing the key gets the code, as Magento maps them.
_MESSAGE_CODES = (
    ("Could not find a cart with ID", PlaceOrderCode.CART_NOT_FOUND),
    ("The cart isn't active", PlaceOrderCode.CART_NOT_ACTIVE),
    ("Guest email for cart is missing", PlaceOrderCode.GUEST_EMAIL_MISSING),
    ("A server error stopped your order from being placed", PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
    ("Some addresses can't be used", PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
    ("The shipping method is missing", PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
    ("Please check the billing address information", PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
    # Not in Magento's map (it answers UNDEFINED); the issue lists it with the others.
    ("Please check the shipping address information", PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
    ("Enter a valid payment method and try again", PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
    ("Some of the products are out of stock", PlaceOrderCode.UNABLE_TO_PLACE_ORDER),
)


def place_order_code(message: str) -> PlaceOrderCode:
    """The `PlaceOrderErrorCodes` value Magento's `ErrorMapper` gives a failure message."""
    for key, code in _MESSAGE_CODES:
        if key in message:
            return code
    return PlaceOrderCode.UNDEFINED


class PlaceOrderFailed(InputInvalid):
    """Magento's `QuoteException`: an input error that carries a `PlaceOrderErrorCodes` value."""

    def __init__(self, message: str) -> None:
        super().__init__(Problem(ProblemCode.INVALID, message, "input.cart_id"))
        self.code = place_order_code(message)


def check_guest_email(quote: Quote) -> None:
    """`GetCartForCheckout`: a guest cart needs an e-mail before anything else is checked."""
    if quote.customer_id is None and not (quote.customer_email or "").strip():  # type: ignore[attr-defined]
        raise PlaceOrderFailed(GUEST_EMAIL_MISSING)


async def _reserve_increment_id() -> str:
    """The next free increment id: a new `sequence_order` row, skipping values that imported
    history already uses."""
    while True:
        # `create()` with no values inserts nothing on tortoise 1.1.9: insert the default row.
        rows = await SequenceOrder._meta.db.execute_query_dict(
            f'INSERT INTO "{SequenceOrder._meta.db_table}" DEFAULT VALUES '
            'RETURNING "sequence_value"'
        )
        increment_id = format_increment_id(int(rows[0]["sequence_value"]))
        if not await SalesOrder.exists(increment_id=increment_id):
            return increment_id


def _address_values(row: QuoteAddress | None) -> dict[str, object]:
    if row is None:
        return {}
    names = (
        "customer_address_id",
        "email",
        "prefix",
        "firstname",
        "middlename",
        "lastname",
        "suffix",
        "company",
        "street",
        "city",
        "region",
        "region_id",
        "postcode",
        "country_id",
        "telephone",
        "fax",
        "vat_id",
    )
    return {name: getattr(row, name) for name in names}


def _is_blank(value: str | None) -> bool:
    return value is None or value.strip() == ""


def _address_complete(row: QuoteAddress | None) -> bool:
    """Magento's `Address::validate` essentials: the required attributes are set."""
    if row is None:
        return False
    required = (row.firstname, row.lastname, row.street, row.city, row.country_id, row.telephone)
    return not any(_is_blank(value) for value in required)


async def _claim_stock(items: Sequence[QuoteItem]) -> None:
    """Decrement managed stock for every product of the cart; refuse the whole cart when any
    product is missing, out of stock, or short (`Some of the products are out of stock.`)."""
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for item in items:
        if item.product_type == ProductType.CONFIGURABLE.value:
            continue  # its child row claims the stock
        product_id: int | None = item.product_id  # type: ignore[attr-defined]
        if product_id is None:
            raise PlaceOrderFailed(OUT_OF_STOCK)
        wanted[product_id] += Decimal(item.qty)
    stock = {
        s.product_id: s  # type: ignore[attr-defined]
        for s in await CataloginventoryStockItem.filter(product_id__in=list(wanted))
    }
    if await CatalogProductEntity.filter(entity_id__in=list(wanted)).count() != len(wanted):
        raise PlaceOrderFailed(OUT_OF_STOCK)
    for product_id, qty in sorted(wanted.items()):
        stock_item = stock.get(product_id)
        if stock_item is None or not stock_item.manage_stock:
            continue
        if not stock_item.is_in_stock:
            raise PlaceOrderFailed(OUT_OF_STOCK)
        # A conditional decrement: two orders racing for the last unit cannot both take it.
        taken = await CataloginventoryStockItem.filter(
            product_id=product_id, qty__gte=qty, is_in_stock=True
        ).update(qty=F("qty") - qty)
        if not taken:
            raise PlaceOrderFailed(OUT_OF_STOCK)
        # On the quantity as it is now (another order may have taken units since it was read).
        await CataloginventoryStockItem.filter(product_id=product_id, qty__lte=0).update(
            is_in_stock=False
        )


async def return_stock(order: SalesOrder, quantities: dict[int, Decimal]) -> None:
    """Give canceled quantities back to stock (Magento's `cancel_order_item` observer)."""
    for product_id, qty in quantities.items():
        if qty <= 0:
            continue
        await CataloginventoryStockItem.filter(product_id=product_id, manage_stock=True).update(
            qty=F("qty") + qty
        )
        await CataloginventoryStockItem.filter(
            product_id=product_id, manage_stock=True, qty__gt=0
        ).update(is_in_stock=True)


async def place_order(quote: Quote, stores: StoresSnapshot) -> SalesOrder:
    """Turn `quote` (already found and authorized for the caller) into an order, in one
    transaction. Totals are collected again first (`engine.carts.collect_totals`), as Magento's
    `submit` does, so the order carries today's prices, and lines whose product was deleted are
    dropped."""
    check_guest_email(quote)
    async with in_transaction():
        moment = now()
        claimed = await Quote.filter(entity_id=quote.entity_id, is_active=True).update(
            is_active=False, converted_at=moment
        )
        if not claimed:
            raise PlaceOrderFailed(CART_NOT_ACTIVE)
        shown = await rule_usage.Shown.of(quote)
        shown_balances = checkout_balances.Shown.of(quote)
        quote.is_active = False
        quote.converted_at = moment
        await carts.collect_totals(quote, stores)
        items = await QuoteItem.filter(quote_id=quote.entity_id).order_by("item_id")
        addresses = {a.address_type: a for a in await QuoteAddress.filter(quote_id=quote.entity_id)}
        if not items:
            raise PlaceOrderFailed(SERVER_ERROR)
        await _claim_stock(items)
        shipping = addresses.get(AddressType.SHIPPING)
        billing = addresses.get(AddressType.BILLING)
        if not quote.is_virtual:
            if not _address_complete(shipping):
                raise PlaceOrderFailed(SHIPPING_ADDRESS_MISSING)
            assert shipping is not None
            if _is_blank(shipping.shipping_method):
                raise PlaceOrderFailed(SHIPPING_METHOD_MISSING)
        if not _address_complete(billing):
            raise PlaceOrderFailed(BILLING_ADDRESS_MISSING)
        assert billing is not None
        if _is_blank(quote.payment_method):
            raise PlaceOrderFailed(PAYMENT_METHOD_MISSING)
        lost = await rule_usage.claim_quote(quote, shown, moment)
        if lost is not None:
            raise PlaceOrderFailed(
                COUPON_NOT_VALID if lost is rule_usage.Lost.COUPON else SERVER_ERROR
            )
        order = await _copy_quote(quote, items, billing, shipping, stores, moment)
        try:
            await checkout_balances.claim_for_order(quote, order, shown_balances, stores)
        except checkout_balances.BalanceShort as short:
            raise PlaceOrderFailed(short.message) from None
        quote.reserved_order_id = order.increment_id
        await Quote.filter(entity_id=quote.entity_id).update(reserved_order_id=order.increment_id)
        # The order, and the cart it converted (no longer active): one re-evaluation.
        await carts.quote_saved(quote, events.ORDER_SAVE)
    return order


def _order_item(
    order: SalesOrder, item: QuoteItem, store_id: int, moment: datetime, parent_id: int | None
) -> SalesOrderItem:
    return SalesOrderItem(
        order_id=order.entity_id,
        parent_item_id=parent_id,
        product_id=item.product_id,  # type: ignore[attr-defined]
        store_id=store_id,
        created_at=moment,
        product_type=item.product_type,
        sku=item.sku,
        name=item.name,
        qty_ordered=item.qty,
        price=item.price,
        base_price=item.base_price,
        original_price=item.original_price,
        row_total=item.row_total,
        base_row_total=item.base_row_total,
        tax_percent=item.tax_percent,
        tax_amount=item.tax_amount,
        base_tax_amount=item.base_tax_amount,
        discount_amount=item.discount_amount,
        base_discount_amount=item.base_discount_amount,
        discount_percent=item.discount_percent,
        applied_rule_ids=item.applied_rule_ids,
    )


async def _copy_items(
    order: SalesOrder, items: Sequence[QuoteItem], store_id: int, moment: datetime
) -> None:
    """`sales_order_item` rows from the cart's: a configurable line keeps its parent row (the
    prices, `product_options` with the chosen attributes) and its child row (`parent_item_id`,
    prices 0), as Magento's `ToOrderItem` converter."""
    children = {i.parent_item_id: i for i in items if i.parent_item_id is not None}  # type: ignore[attr-defined]
    simple = [
        _order_item(order, i, store_id, moment, None)
        for i in items
        if i.parent_item_id is None and i.item_id not in children  # type: ignore[attr-defined]
    ]
    if simple:
        await SalesOrderItem.bulk_create(simple)
    for item in items:
        child = children.get(item.item_id)
        if child is None:
            continue
        parent = _order_item(order, item, store_id, moment, None)
        parent.product_options = json.dumps(
            await configurable.product_options(
                item.product_id,  # type: ignore[attr-defined]
                child.product_id,  # type: ignore[attr-defined]
                store_id,
            )
        )
        await parent.save()
        await _order_item(order, child, store_id, moment, parent.item_id).save()


async def _address_attributes(rows: Sequence[QuoteAddress | None]) -> dict[int, str]:
    """The custom attribute values of the address book entries the cart's addresses came from,
    as the JSON an order address keeps (`stored_attributes` reads it back)."""
    ids = sorted(
        {
            row.customer_address_id
            for row in rows
            if row is not None and row.customer_address_id is not None
        }
    )
    if not ids:
        return {}
    values = await attributes.load(EntityType.CUSTOMER_ADDRESS, ids)
    return {
        address_id: json.dumps(
            [
                {
                    "code": v.code,
                    "value": v.value,
                    "options": None if v.options is None else [list(o) for o in v.options],
                }
                for v in stored
            ]
        )
        for address_id, stored in values.items()
        if stored
    }


def stored_attributes(row: SalesOrderAddress) -> list[attributes.StoredValue]:
    """An order address's custom attribute values, as copied when the order was placed."""
    if not row.custom_attributes:
        return []
    return [
        attributes.StoredValue(
            code=str(entry["code"]),
            value=entry["value"],
            options=None
            if entry["options"] is None
            else tuple((str(v), str(label)) for v, label in entry["options"]),
        )
        for entry in json.loads(row.custom_attributes)
    ]


async def _copy_quote(
    quote: Quote,
    items: Sequence[QuoteItem],
    billing: QuoteAddress,
    shipping: QuoteAddress | None,
    stores: StoresSnapshot,
    moment: datetime,
) -> SalesOrder:
    customer_id: int | None = quote.customer_id  # type: ignore[attr-defined]
    store_id: int = quote.store_id  # type: ignore[attr-defined]
    customer = (
        None if customer_id is None else await CustomerEntity.get_or_none(entity_id=customer_id)
    )
    store = next((s for s in stores.stores if s.store_id == store_id), None)
    base_currency = quote.base_currency_code or (
        store.website.base_currency_code if store is not None else "USD"
    )
    email = quote.customer_email or (customer.email if customer is not None else None)
    ships = not quote.is_virtual and shipping is not None
    rules_address = shipping if ships else billing
    assert rules_address is not None
    shipping_discount = Decimal(rules_address.shipping_discount_amount or 0)
    discount = sum((Decimal(i.discount_amount) for i in items), ZERO) + shipping_discount
    base_discount = sum((Decimal(i.base_discount_amount) for i in items), ZERO) + shipping_discount
    visible = [i for i in items if i.parent_item_id is None]  # type: ignore[attr-defined]
    order = await SalesOrder.create(
        increment_id=await _reserve_increment_id(),
        state=OrderState.NEW,
        status=DEFAULT_STATUS,
        store_id=store_id,
        customer_id=customer_id,
        quote_id=quote.entity_id,
        # Magento's quote-to-order fieldset copies the id: the order shares the cart's message.
        gift_message_id=quote.gift_message_id,
        customer_email=email,
        customer_firstname=customer.firstname if customer is not None else billing.firstname,
        customer_lastname=customer.lastname if customer is not None else billing.lastname,
        customer_group_id=customer.group_id  # type: ignore[attr-defined]
        if customer is not None
        else NOT_LOGGED_IN_GROUP_ID,
        customer_is_guest=customer_id is None,
        base_currency_code=base_currency,
        order_currency_code=quote.quote_currency_code or base_currency,
        base_subtotal=quote.base_subtotal,
        subtotal=quote.subtotal,
        base_tax_amount=quote.base_tax_amount,
        tax_amount=quote.tax_amount,
        base_shipping_amount=quote.base_shipping_amount if ships else ZERO,
        shipping_amount=quote.shipping_amount if ships else ZERO,
        base_discount_amount=-base_discount,
        discount_amount=-discount,
        coupon_code=quote.coupon_code,
        applied_rule_ids=rule_usage.fit_ids(quote.applied_rule_ids, 128),
        discount_description=(rules_address.discount_description or "")[:255] or None,
        shipping_discount_amount=shipping_discount,
        base_shipping_discount_amount=shipping_discount,
        base_grand_total=quote.base_grand_total,
        grand_total=quote.grand_total,
        reward_points_balance=quote.reward_points_balance,
        reward_currency_amount=quote.reward_currency_amount,
        base_reward_currency_amount=quote.base_reward_currency_amount,
        customer_balance_amount=quote.customer_balance_amount_used,
        base_customer_balance_amount=quote.base_customer_bal_amount_used,
        total_qty_ordered=sum((Decimal(i.qty) for i in visible), ZERO),
        total_item_count=len(visible),
        shipping_method=shipping.shipping_method if ships and shipping is not None else None,
        shipping_description=shipping.shipping_description
        if ships and shipping is not None
        else None,
        created_at=moment,
    )
    await _copy_items(order, items, store_id, moment)
    custom = await _address_attributes([billing, shipping if ships else None])
    rows = [
        SalesOrderAddress(
            parent_id=order.entity_id,
            address_type=AddressType.BILLING,
            custom_attributes=custom.get(billing.customer_address_id or 0),
            **{**_address_values(billing), "email": billing.email or email},
        )
    ]
    if ships and shipping is not None:
        rows.append(
            SalesOrderAddress(
                parent_id=order.entity_id,
                address_type=AddressType.SHIPPING,
                custom_attributes=custom.get(shipping.customer_address_id or 0),
                **{**_address_values(shipping), "email": shipping.email or email},
            )
        )
    await SalesOrderAddress.bulk_create(rows)
    await SalesOrderPayment.create(
        parent_id=order.entity_id, method=quote.payment_method, amount_ordered=quote.grand_total
    )
    await SalesOrderStatusHistory.create(
        parent_id=order.entity_id, status=DEFAULT_STATUS, created_at=moment
    )
    return order


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


class OrderSortField(Enum):
    NUMBER = "increment_id"
    CREATED_AT = "created_at"
    GRAND_TOTAL = "base_grand_total"


@dataclass(frozen=True)
class OrderSort:
    field: OrderSortField
    descending: bool = False


@dataclass(frozen=True)
class OrderFilter:
    """Every given criterion must match. `number_match` is Magento's `match`: a LIKE on a part
    of the increment id."""

    ids: Sequence[int] | None = None
    customer_ids: Sequence[int] | None = None
    customer_email: str | None = None
    store_ids: Sequence[int] | None = None
    numbers: Sequence[str] | None = None
    number_match: str | None = None
    statuses: Sequence[str] | None = None
    grand_total_from: Decimal | None = None
    grand_total_to: Decimal | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


def _filtered(filter_: OrderFilter) -> Q:
    q = Q()
    if filter_.ids is not None:
        q &= Q(entity_id__in=list(filter_.ids))
    if filter_.customer_ids is not None:
        q &= Q(customer_id__in=list(filter_.customer_ids))
    if filter_.customer_email:
        q &= Q(customer_email__iexact=filter_.customer_email.strip())
    if filter_.store_ids is not None:
        q &= Q(store_id__in=list(filter_.store_ids))
    if filter_.numbers is not None:
        q &= Q(increment_id__in=list(filter_.numbers))
    if filter_.number_match is not None:
        q &= Q(increment_id__contains=filter_.number_match.replace("%", ""))
    if filter_.statuses is not None:
        q &= Q(status__in=list(filter_.statuses))
    if filter_.grand_total_from is not None:
        q &= Q(base_grand_total__gte=filter_.grand_total_from)
    if filter_.grand_total_to is not None:
        q &= Q(base_grand_total__lte=filter_.grand_total_to)
    if filter_.created_from is not None:
        q &= Q(created_at__gte=filter_.created_from)
    if filter_.created_to is not None:
        q &= Q(created_at__lte=filter_.created_to)
    return q


async def page(
    filter_: OrderFilter, sort: Sequence[OrderSort], request: PageRequest
) -> Page[SalesOrder]:
    """One page of orders; without a sort, oldest first (Magento's repository order)."""
    orderings = [f"-{s.field.value}" if s.descending else s.field.value for s in sort]
    query = SalesOrder.filter(_filtered(filter_)).order_by(*orderings, "entity_id")
    return await paginate(query, request)


async def all_for_customer(customer_id: int) -> list[SalesOrder]:
    """Every order of a customer, oldest first (the deprecated `customerOrders`)."""
    return await SalesOrder.filter(customer_id=customer_id).order_by("created_at", "entity_id")


async def first_order_date(customer_id: int, store_ids: Sequence[int]) -> datetime | None:
    row = (
        await SalesOrder.filter(customer_id=customer_id, store_id__in=list(store_ids))
        .order_by("created_at")
        .first()
    )
    return None if row is None else row.created_at


def not_found(order_id: int | str, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f'Could not find an order with ID "{order_id}"', path)
    )


async def get(order_id: int, path: str = "uid") -> SalesOrder:
    order = await SalesOrder.get_or_none(entity_id=order_id)
    if order is None:
        raise not_found(order_id, path)
    return order


async def load_items(order_ids: Sequence[int]) -> list[list[SalesOrderItem]]:
    """DataLoader batch: each order's visible items (a configurable line's parent row, not its
    child, as Magento's order item lists), in order."""
    by_order: dict[int, list[SalesOrderItem]] = {oid: [] for oid in order_ids}
    for row in await SalesOrderItem.filter(
        order_id__in=list(order_ids), parent_item_id=None
    ).order_by("item_id"):
        by_order[row.order_id].append(row)  # type: ignore[attr-defined]
    return [by_order[oid] for oid in order_ids]


async def load_addresses(order_ids: Sequence[int]) -> list[list[SalesOrderAddress]]:
    by_order: dict[int, list[SalesOrderAddress]] = {oid: [] for oid in order_ids}
    for row in await SalesOrderAddress.filter(parent_id__in=list(order_ids)).order_by("entity_id"):
        by_order[row.parent_id].append(row)  # type: ignore[attr-defined]
    return [by_order[oid] for oid in order_ids]


async def load_payments(order_ids: Sequence[int]) -> list[list[SalesOrderPayment]]:
    by_order: dict[int, list[SalesOrderPayment]] = {oid: [] for oid in order_ids}
    for row in await SalesOrderPayment.filter(parent_id__in=list(order_ids)).order_by("entity_id"):
        by_order[row.parent_id].append(row)  # type: ignore[attr-defined]
    return [by_order[oid] for oid in order_ids]


async def load_history(order_ids: Sequence[int]) -> list[list[SalesOrderStatusHistory]]:
    """Each order's status history, oldest first."""
    by_order: dict[int, list[SalesOrderStatusHistory]] = {oid: [] for oid in order_ids}
    rows = await SalesOrderStatusHistory.filter(parent_id__in=list(order_ids)).order_by(
        "created_at", "entity_id"
    )
    for row in rows:
        by_order[row.parent_id].append(row)  # type: ignore[attr-defined]
    return [by_order[oid] for oid in order_ids]


async def status_labels() -> dict[str, str]:
    return {row.status: row.label for row in await SalesOrderStatus.all()}


def payment_title(method: str) -> str:
    return PAYMENT_TITLES.get(method, method)


class ItemStatus(StrEnum):
    """Magento's `Order\\Item::getStatusName` labels."""

    ORDERED = "Ordered"
    INVOICED = "Invoiced"
    SHIPPED = "Shipped"
    REFUNDED = "Refunded"
    CANCELED = "Canceled"
    PARTIAL = "Partial"
    MIXED = "Mixed"


def item_status(item: SalesOrderItem) -> ItemStatus:
    """`Order\\Item::getStatusId`, without backorders (this service does not take them)."""
    ordered = Decimal(item.qty_ordered)
    invoiced = Decimal(item.qty_invoiced)
    shipped = Decimal(item.qty_shipped)
    refunded = Decimal(item.qty_refunded)
    canceled = Decimal(item.qty_canceled)
    actually_ordered = ordered - canceled - refunded
    if not invoiced and not shipped and not refunded and not canceled:
        return ItemStatus.ORDERED
    if shipped and invoiced and actually_ordered == shipped:
        return ItemStatus.SHIPPED
    if invoiced and not shipped and actually_ordered == invoiced:
        return ItemStatus.INVOICED
    if refunded and ordered == refunded:
        return ItemStatus.REFUNDED
    if canceled and ordered == canceled:
        return ItemStatus.CANCELED
    if max(shipped, invoiced) < actually_ordered:
        return ItemStatus.PARTIAL
    return ItemStatus.MIXED


def can_reorder(order: SalesOrder, items: Sequence[SalesOrderItem]) -> bool:
    """`Order::canReorder` without salability: not on hold or in payment review, and every
    product still exists."""
    if order.state in (OrderState.HOLDED, OrderState.PAYMENT_REVIEW):
        return False
    return bool(items) and all(i.product_id is not None for i in items)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# Admin: create history, change status
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderItemData:
    sku: str
    qty: Decimal
    price: Decimal
    name: str | None = None
    original_price: Decimal | None = None
    tax_amount: Decimal = ZERO
    tax_percent: Decimal = ZERO
    discount_amount: Decimal = ZERO
    product_type: str | None = None


@dataclass(frozen=True)
class OrderAddressData:
    firstname: str | None = None
    lastname: str | None = None
    street: tuple[str, ...] = ()
    city: str | None = None
    country_id: str | None = None
    postcode: str | None = None
    region: str | None = None
    region_id: int | None = None
    telephone: str | None = None
    company: str | None = None
    middlename: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    fax: str | None = None
    vat_id: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class OrderData:
    """An order placed elsewhere, as an admin or an import sends it. Amounts are in the order's
    currency (`currency_code`, the website's base currency when omitted), which is also taken
    as the base currency: history is imported without conversion."""

    items: tuple[OrderItemData, ...]
    billing_address: OrderAddressData | None
    shipping_address: OrderAddressData | None = None
    increment_id: str | None = None
    store_code: str | None = None
    customer_id: int | None = None
    customer_email: str | None = None
    is_guest: bool = False
    customer_firstname: str | None = None
    customer_lastname: str | None = None
    status: str | None = None
    created_at: datetime | None = None
    currency_code: str | None = None
    shipping_amount: Decimal = ZERO
    shipping_method: str | None = None
    shipping_description: str | None = None
    grand_total: Decimal | None = None
    payment_method: str | None = None
    comment: str | None = None


@dataclass
class Lookups:
    """What validating orders needs from the database, fetched once for a whole batch."""

    states: dict[str, list[tuple[OrderState, bool]]] = field(default_factory=dict)
    products: dict[str, CatalogProductEntity] = field(default_factory=dict)
    customers_by_id: dict[int, CustomerEntity] = field(default_factory=dict)
    customers_by_email: dict[tuple[int, str], CustomerEntity] = field(default_factory=dict)
    existing_increment_ids: set[str] = field(default_factory=set)

    @classmethod
    async def for_orders(cls, orders: Iterable[OrderData], stores: StoresSnapshot) -> Lookups:
        orders = list(orders)
        lookups = cls()
        for row in await SalesOrderStatusState.all().order_by("-is_default", "id"):
            lookups.states.setdefault(row.status_id, []).append(  # type: ignore[attr-defined]
                (row.state, row.is_default)
            )
        skus = {item.sku.strip() for order in orders for item in order.items if item.sku}
        if skus:
            for product in await CatalogProductEntity.filter(sku__in=sorted(skus)):
                lookups.products[product.sku] = product
        ids = {o.customer_id for o in orders if o.customer_id is not None}
        if ids:
            for customer in await CustomerEntity.filter(entity_id__in=sorted(ids)):
                lookups.customers_by_id[customer.entity_id] = customer
        emails = {
            o.customer_email.strip().lower()
            for o in orders
            if o.customer_id is None and not o.is_guest and o.customer_email
        }
        if emails:
            for customer in await CustomerEntity.filter(email__in=sorted(emails)):
                key = (customer.website_id, customer.email.lower())  # type: ignore[attr-defined]
                lookups.customers_by_email[key] = customer
        numbers = {o.increment_id.strip() for o in orders if o.increment_id}
        if numbers:
            lookups.existing_increment_ids = {
                str(number)
                for number in await SalesOrder.filter(increment_id__in=sorted(numbers)).values_list(
                    "increment_id", flat=True
                )
            }
        return lookups


@dataclass(frozen=True)
class _Resolved:
    data: OrderData
    store: StoreView
    customer: CustomerEntity | None
    state: OrderState
    status: str
    currency: str
    products: tuple[CatalogProductEntity | None, ...]
    created_at: datetime


def duplicate_increment_id(increment_id: str, path: str = "input.increment_id") -> Problem:
    return Problem(
        ProblemCode.ALREADY_EXISTS,
        f'An order with increment ID "{increment_id}" already exists.',
        path,
    )


def _check_address(
    address: OrderAddressData | None, path: str, required: bool, problems: Problems
) -> None:
    if address is None:
        if required:
            problems.add(ProblemCode.REQUIRED, "A billing address is required.", path)
        return
    for name in ("firstname", "lastname", "city", "country_id", "telephone"):
        if _is_blank(getattr(address, name)):
            where = "country_code" if name == "country_id" else name
            problems.add(
                ProblemCode.REQUIRED,
                f'"{where}" is required. Enter and try again.',
                f"{path}.{where}",
            )
    if not any(not _is_blank(line) for line in address.street):
        problems.add(
            ProblemCode.REQUIRED, '"street" is required. Enter and try again.', f"{path}.street"
        )


def _money_problem(value: Decimal | None, path: str, problems: Problems) -> None:
    if value is not None and (not value.is_finite() or value < 0):
        problems.add(ProblemCode.INVALID, "The amount must not be negative.", path)


def _resolve(data: OrderData, stores: StoresSnapshot, lookups: Lookups) -> _Resolved:
    """Check an order against everything at once; raise every problem found."""
    problems = Problems()
    increment_id = (data.increment_id or "").strip()
    if data.increment_id is not None:
        if not increment_id:
            problems.add(
                ProblemCode.REQUIRED, "The increment ID must not be empty.", "input.increment_id"
            )
        elif len(increment_id) > INCREMENT_ID_MAX_LENGTH:
            problems.add(
                ProblemCode.TOO_LONG,
                f"The increment ID must be at most {INCREMENT_ID_MAX_LENGTH} characters.",
                "input.increment_id",
            )
        elif increment_id in lookups.existing_increment_ids:
            problems.items.append(duplicate_increment_id(increment_id))
    store: StoreView | None = None
    try:
        store = stores.store_by_code(data.store_code)
    except InputInvalid:
        problems.add(
            ProblemCode.NOT_FOUND,
            f'Could not find a store view with code "{data.store_code}"',
            "input.store_code",
        )
    customer: CustomerEntity | None = None
    if data.customer_id is not None:
        if data.is_guest:
            problems.add(
                ProblemCode.INVALID,
                "A guest order cannot name a customer account.",
                "input.is_guest",
            )
        customer = lookups.customers_by_id.get(data.customer_id)
        if customer is None:
            problems.add(
                ProblemCode.NOT_FOUND,
                f"No such entity with customerId = {data.customer_id}",
                "input.customer_uid",
            )
    elif _is_blank(data.customer_email):
        problems.add(
            ProblemCode.REQUIRED,
            "Name the customer by `customer_uid` or `customer_email`.",
            "input.customer_email",
        )
    elif not data.is_guest and store is not None:
        email = (data.customer_email or "").strip().lower()
        customer = lookups.customers_by_email.get((store.website.website_id, email))
        if customer is None:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'No customer with e-mail "{email}" in website "{store.website.code}"; '
                "send `is_guest: true` for a guest order.",
                "input.customer_email",
            )
    if (
        customer is not None
        and store is not None
        and customer.website_id != store.website.website_id  # type: ignore[attr-defined]
    ):
        problems.add(
            ProblemCode.INVALID,
            f'The customer does not belong to the website of store view "{store.code}".',
            "input.store_code",
        )
    status = (data.status or DEFAULT_STATUS).strip()
    states = lookups.states.get(status)
    if not states:
        problems.add(
            ProblemCode.NOT_FOUND, f'The order status "{status}" does not exist.', "input.status"
        )
    currency = (data.currency_code or (store.website.base_currency_code if store else "")).upper()
    if data.currency_code is not None and not (len(currency) == 3 and currency.isalpha()):
        problems.add(
            ProblemCode.INVALID,
            f'"{data.currency_code}" is not a three-letter currency code.',
            "input.currency_code",
        )
    if not data.items:
        problems.add(ProblemCode.REQUIRED, "An order needs at least one item.", "input.items")
    products: list[CatalogProductEntity | None] = []
    for index, item in enumerate(data.items):
        path = f"input.items.{index}"
        if _is_blank(item.sku):
            problems.add(ProblemCode.REQUIRED, '"sku" is required.', f"{path}.sku")
        if not item.qty.is_finite() or item.qty <= 0:
            problems.add(
                ProblemCode.INVALID, "The quantity must be greater than 0.", f"{path}.quantity"
            )
        elif item.qty != item.qty.quantize(Decimal("0.0001")):
            problems.add(
                ProblemCode.INVALID,
                "The quantity must have at most 4 decimal places.",
                f"{path}.quantity",
            )
        _money_problem(item.price, f"{path}.price", problems)
        _money_problem(item.original_price, f"{path}.original_price", problems)
        _money_problem(item.tax_amount, f"{path}.tax_amount", problems)
        _money_problem(item.tax_percent, f"{path}.tax_percent", problems)
        _money_problem(item.discount_amount, f"{path}.discount_amount", problems)
        products.append(lookups.products.get(item.sku.strip()))
    _money_problem(data.shipping_amount, "input.shipping_amount", problems)
    _money_problem(data.grand_total, "input.grand_total", problems)
    _check_address(data.billing_address, "input.billing_address", True, problems)
    _check_address(data.shipping_address, "input.shipping_address", False, problems)
    moment = data.created_at or now()
    if moment > now():
        problems.add(
            ProblemCode.INVALID, "The order date must not be in the future.", "input.created_at"
        )
    problems.raise_if_any()
    assert store is not None
    assert states
    return _Resolved(
        data=data,
        store=store,
        customer=customer,
        state=states[0][0],
        status=status,
        currency=currency,
        products=tuple(products),
        created_at=moment,
    )


def _order_address(parent_id: int, kind: AddressType, a: OrderAddressData) -> SalesOrderAddress:
    return SalesOrderAddress(
        parent_id=parent_id,
        address_type=kind,
        email=a.email,
        prefix=a.prefix,
        firstname=a.firstname,
        middlename=a.middlename,
        lastname=a.lastname,
        suffix=a.suffix,
        company=a.company,
        street="\n".join(line for line in a.street if line is not None),
        city=a.city,
        region=a.region,
        region_id=a.region_id,
        postcode=a.postcode,
        country_id=(a.country_id or "").upper() or None,
        telephone=a.telephone,
        fax=a.fax,
        vat_id=a.vat_id,
    )


async def _write(resolved: _Resolved, children: _Children) -> SalesOrder:
    data = resolved.data
    customer = resolved.customer
    rows: list[SalesOrderItem] = []
    subtotal = tax = discount = qty_total = ZERO
    for item, product in zip(data.items, resolved.products, strict=True):
        price = round_price(item.price)
        row_total = round_price(price * item.qty)
        subtotal += row_total
        tax += round_price(item.tax_amount)
        discount += round_price(item.discount_amount)
        qty_total += item.qty
        rows.append(
            SalesOrderItem(
                product_id=product.entity_id if product is not None else None,
                store_id=resolved.store.store_id,
                created_at=resolved.created_at,
                product_type=item.product_type
                or (str(product.type_id.value) if product is not None else "simple"),
                sku=item.sku.strip(),
                name=item.name or (product.name if product is not None else None),
                qty_ordered=item.qty,
                price=price,
                base_price=price,
                original_price=round_price(item.original_price)
                if item.original_price is not None
                else price,
                row_total=row_total,
                base_row_total=row_total,
                tax_percent=item.tax_percent,
                tax_amount=round_price(item.tax_amount),
                base_tax_amount=round_price(item.tax_amount),
                discount_amount=round_price(item.discount_amount),
                base_discount_amount=round_price(item.discount_amount),
            )
        )
    shipping = round_price(data.shipping_amount)
    grand_total = (
        round_price(data.grand_total)
        if data.grand_total is not None
        else subtotal + shipping + tax - discount
    )
    billing = data.billing_address
    assert billing is not None
    email = (
        customer.email
        if customer is not None and _is_blank(data.customer_email)
        else (data.customer_email or "").strip() or None
    )
    increment_id = (data.increment_id or "").strip() or await _reserve_increment_id()
    order = await SalesOrder.create(
        increment_id=increment_id,
        state=resolved.state,
        status=resolved.status,
        store_id=resolved.store.store_id,
        customer_id=customer.entity_id if customer is not None else None,
        customer_email=email,
        customer_firstname=data.customer_firstname
        or (customer.firstname if customer is not None else billing.firstname),
        customer_lastname=data.customer_lastname
        or (customer.lastname if customer is not None else billing.lastname),
        customer_group_id=customer.group_id  # type: ignore[attr-defined]
        if customer is not None
        else NOT_LOGGED_IN_GROUP_ID,
        customer_is_guest=customer is None,
        base_currency_code=resolved.currency,
        order_currency_code=resolved.currency,
        base_subtotal=subtotal,
        subtotal=subtotal,
        base_tax_amount=tax,
        tax_amount=tax,
        base_shipping_amount=shipping,
        shipping_amount=shipping,
        base_discount_amount=-discount,
        discount_amount=-discount,
        base_grand_total=grand_total,
        grand_total=grand_total,
        total_qty_ordered=qty_total,
        total_item_count=len(rows),
        shipping_method=data.shipping_method,
        shipping_description=data.shipping_description,
        created_at=resolved.created_at,
    )
    for row in rows:
        row.order_id = order.entity_id
    children.items.extend(rows)
    children.addresses.append(_order_address(order.entity_id, AddressType.BILLING, billing))
    if data.shipping_address is not None:
        children.addresses.append(
            _order_address(order.entity_id, AddressType.SHIPPING, data.shipping_address)
        )
    children.payments.append(
        SalesOrderPayment(
            parent_id=order.entity_id,
            method=(data.payment_method or "").strip() or DEFAULT_PAYMENT_METHOD,
            amount_ordered=grand_total,
        )
    )
    children.history.append(
        SalesOrderStatusHistory(
            parent_id=order.entity_id,
            status=resolved.status,
            comment=data.comment,
            created_at=resolved.created_at,
        )
    )
    return order


@dataclass
class _Children:
    """The rows that hang off the orders of a batch, written with one insert per table."""

    items: list[SalesOrderItem] = field(default_factory=list)
    addresses: list[SalesOrderAddress] = field(default_factory=list)
    payments: list[SalesOrderPayment] = field(default_factory=list)
    history: list[SalesOrderStatusHistory] = field(default_factory=list)

    async def save(self) -> None:
        if self.items:
            await SalesOrderItem.bulk_create(self.items, batch_size=1000)
        if self.addresses:
            await SalesOrderAddress.bulk_create(self.addresses, batch_size=1000)
        if self.payments:
            await SalesOrderPayment.bulk_create(self.payments, batch_size=1000)
        if self.history:
            await SalesOrderStatusHistory.bulk_create(self.history, batch_size=1000)


async def create(data: OrderData, stores: StoresSnapshot) -> SalesOrder:
    """An order placed elsewhere, with its own date, status and (optionally) increment id. Stock
    is not touched: the goods left the warehouse in the system the history comes from."""
    async with in_transaction():
        lookups = await Lookups.for_orders([data], stores)
        resolved = _resolve(data, stores, lookups)
        children = _Children()
        try:
            order = await _write(resolved, children)
            await children.save()
            await _order_saved([order])
            return order
        except IntegrityError:
            if data.increment_id and await SalesOrder.exists(
                increment_id=data.increment_id.strip()
            ):
                raise AlreadyExists(duplicate_increment_id(data.increment_id.strip())) from None
            raise


async def create_many(
    orders: Sequence[OrderData], stores: StoresSnapshot
) -> list[SalesOrder | Exception | None]:
    """Import a batch in one transaction: an order whose increment id exists (in the database or
    earlier in the batch) is skipped (`None`), a refused one is reported (its exception) and the
    others are written. If writing fails anyway (a concurrent import took an increment id), the
    batch is rolled back and each order is retried in its own transaction."""
    try:
        async with in_transaction():
            return await _create_many(orders, stores)
    except IntegrityError:
        results: list[SalesOrder | Exception | None] = []
        for data in orders:
            try:
                async with in_transaction():
                    results.extend(await _create_many([data], stores))
            except IntegrityError as error:
                results.append(error)
        return results


async def _create_many(
    orders: Sequence[OrderData], stores: StoresSnapshot
) -> list[SalesOrder | Exception | None]:
    lookups = await Lookups.for_orders(orders, stores)
    children = _Children()
    results: list[SalesOrder | Exception | None] = []
    for data in orders:
        number = (data.increment_id or "").strip()
        if number and number in lookups.existing_increment_ids:
            results.append(None)
            continue
        try:
            resolved = _resolve(data, stores, lookups)
        except (InputInvalid, NoSuchEntity, AlreadyExists) as error:
            results.append(error)
            continue
        results.append(await _write(resolved, children))
        if number:
            lookups.existing_increment_ids.add(number)
    await children.save()
    await _order_saved([r for r in results if isinstance(r, SalesOrder)])
    return results


async def _order_saved(orders: Sequence[SalesOrder]) -> None:
    """Magento's `sales_order_save_commit_after` for each order's customer (guests have no
    stored membership)."""
    customer_ids = [o.customer_id for o in orders if o.customer_id is not None]  # type: ignore[attr-defined]
    if customer_ids:
        await membership.customers_event(customer_ids, events.ORDER_SAVE)


# Which state an order may move to from which, as Magento's `Order::can*` checks allow. A
# change of status within the same state is always allowed (Magento's comment form offers the
# statuses of the current state).
_OPEN = frozenset({OrderState.NEW, OrderState.PENDING_PAYMENT, OrderState.PROCESSING})
ALLOWED_TRANSITIONS: dict[OrderState, frozenset[OrderState]] = {
    OrderState.NEW: frozenset(
        {
            OrderState.PENDING_PAYMENT,
            OrderState.PROCESSING,
            OrderState.PAYMENT_REVIEW,
            OrderState.COMPLETE,
            OrderState.CANCELED,
            OrderState.HOLDED,
        }
    ),
    OrderState.PENDING_PAYMENT: frozenset(
        {
            OrderState.NEW,
            OrderState.PROCESSING,
            OrderState.PAYMENT_REVIEW,
            OrderState.COMPLETE,
            OrderState.CANCELED,
            OrderState.HOLDED,
        }
    ),
    OrderState.PROCESSING: frozenset(
        {OrderState.COMPLETE, OrderState.CLOSED, OrderState.CANCELED, OrderState.HOLDED}
    ),
    # Releasing a hold returns to an open state; a held order cannot be canceled or completed.
    OrderState.HOLDED: _OPEN,
    # A reviewed payment is accepted (processing) or denied (canceled).
    OrderState.PAYMENT_REVIEW: frozenset({OrderState.PROCESSING, OrderState.CANCELED}),
    # A complete order can still be refunded in full.
    OrderState.COMPLETE: frozenset({OrderState.CLOSED}),
    OrderState.CLOSED: frozenset(),
    OrderState.CANCELED: frozenset(),
}


async def update_status(
    order_id: int,
    status: str,
    comment: str | None,
    visible_on_front: bool = False,
    stores: StoresSnapshot | None = None,
) -> SalesOrder:
    """Move an order to `status` (its state from `sales_order_status_state`), writing a
    `sales_order_status_history` row. Item quantities follow the state as Magento's documents
    would leave them: complete = every remaining unit invoiced and shipped, canceled = every
    uninvoiced unit canceled (and, for orders placed here, given back to stock), closed = every
    invoiced unit refunded."""
    async with in_transaction():
        order = await SalesOrder.select_for_update().get_or_none(entity_id=order_id)
        if order is None:
            raise not_found(order_id)
        status = status.strip()
        states = [
            row.state
            for row in await SalesOrderStatusState.filter(status_id=status).order_by(
                "-is_default", "id"
            )
        ]
        if not states:
            raise NoSuchEntity(
                Problem(
                    ProblemCode.NOT_FOUND, f'The order status "{status}" does not exist.', "status"
                )
            )
        target = order.state if order.state in states else states[0]
        if target != order.state and target not in ALLOWED_TRANSITIONS[order.state]:
            raise InputInvalid(
                Problem(
                    ProblemCode.INVALID,
                    f'Order "{order.increment_id}" cannot change from status "{order.status}" '
                    f'(state "{order.state.value}") to "{status}" (state "{target.value}").',
                    "status",
                )
            )
        if target != order.state:
            unpaid = await _has_units_to_invoice(order)
            await _settle_items(order, target)
            await _balances_follow(order, target, stores or await load_snapshot(), unpaid)
        order.state = target
        order.status = status
        await order.save(update_fields=["state", "status", "updated_at"])
        await SalesOrderStatusHistory.create(
            parent_id=order.entity_id,
            status=status,
            comment=(comment or "").strip() or None,
            is_visible_on_front=visible_on_front,
        )
        await _order_saved([order])
    return order


async def _balances_follow(
    order: SalesOrder, target: OrderState, stores: StoresSnapshot, unpaid: bool
) -> None:
    """A canceled order gives back its points and store credit (Magento's `order_cancel_after`
    observers). An order declared complete while some unit was not invoiced (`unpaid`) becomes
    paid here and earns (`paid_orders`); otherwise its invoice earned when it paid the order in
    full, and a status change earns nothing (processing is no payment in Magento)."""
    if target is OrderState.CANCELED:
        await checkout_balances.return_order_balances(order, stores)
    elif target is OrderState.COMPLETE and unpaid:
        await paid_orders.order_paid(order, stores)


async def _has_units_to_invoice(order: SalesOrder) -> bool:
    """Some unit of the order is neither invoiced nor canceled (`getQtyToInvoice` > 0; a
    configurable line's child row follows its parent)."""
    for item in await SalesOrderItem.filter(order_id=order.entity_id, parent_item_id=None):
        left = Decimal(item.qty_ordered) - Decimal(item.qty_invoiced) - Decimal(item.qty_canceled)
        if left > 0:
            return True
    return False


async def _settle_items(order: SalesOrder, target: OrderState) -> None:
    items = await SalesOrderItem.filter(order_id=order.entity_id)
    returned: dict[int, Decimal] = defaultdict(Decimal)
    for item in items:
        ordered = Decimal(item.qty_ordered)
        if target is OrderState.COMPLETE:
            remaining = ordered - Decimal(item.qty_canceled)
            item.qty_invoiced = remaining
            item.qty_shipped = remaining
        elif target is OrderState.CANCELED:
            canceled = ordered - Decimal(item.qty_invoiced)
            # A configurable parent row holds no stock: its child row gives it back.
            if item.product_id is not None and item.product_type != ProductType.CONFIGURABLE:  # type: ignore[attr-defined]
                returned[item.product_id] += canceled - Decimal(item.qty_canceled)  # type: ignore[attr-defined]
            item.qty_canceled = canceled
        elif target is OrderState.CLOSED:
            item.qty_refunded = item.qty_invoiced
        else:
            continue
        await item.save(
            update_fields=["qty_invoiced", "qty_shipped", "qty_canceled", "qty_refunded"]
        )
    if target is OrderState.CANCELED and order.quote_id is not None:
        await return_stock(order, returned)
