"""Order types: Magento's storefront `CustomerOrder` family, `placeOrder`'s input and output, the
`orders` field customers inherit (`CustomerOrderFields`), and the admin's order types and inputs.

Orders are presented in pages: `OrderBatch` loads the items, addresses, payments and history of
every order of a page at once, so a page costs the same few queries however long it is."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated

import strawberry

from engine import orders
from engine.attributes import StoredValue
from engine.customers import parse_datetime
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.order_documents import read as documents
from engine.pagination import PageRequest
from engine.stores import StoresSnapshot, StoreView
from graph.attributes import AttributeValueInterface, values_to_graph
from graph.carts import AppliedCoupon, CartDiscountType, Discount
from graph.common import (
    FilterEqualTypeInput,
    FilterMatchTypeInput,
    FilterRangeTypeInput,
    FilterStringTypeInput,
    Money,
    SearchResultPageInfo,
    SortEnum,
)
from graph.context import Info
from graph.dates import magento_datetime
from graph.errors import UserError
from graph.iso_codes import CountryCodeEnum
from graph.limits import CART_ID, LONG_TEXT, QUANTITY, SKU, length
from graph.order_documents import (
    DOCUMENT_TYPES,
    CreditMemo,
    Invoice,
    OrderShipment,
    documents_of,
)
from graph.order_lines import (
    KeyValue,
    OrderItem,
    OrderItemInterface,
    SalesCommentItem,
    ShippingDiscount,
    ShippingHandling,
    TaxItem,
    taxes_of,
)
from graph.uids import encode_uid
from models import (
    AddressType,
    SalesOrder,
    SalesOrderAddress,
    SalesOrderItem,
    SalesOrderPayment,
    SalesOrderStatusHistory,
)

ZERO = Decimal(0)


@dataclass(frozen=True)
class OrderDetails:
    """Everything an order is presented with beyond its own row."""

    items: list[SalesOrderItem]
    addresses: list[SalesOrderAddress]
    payments: list[SalesOrderPayment]
    history: list[SalesOrderStatusHistory]
    status_label: str
    documents: documents.OrderDocuments


async def load_details(rows: Sequence[SalesOrder]) -> list[OrderDetails]:
    ids = [row.entity_id for row in rows]
    items, addresses, payments, history, labels, docs = await asyncio.gather(
        orders.load_items(ids),
        orders.load_addresses(ids),
        orders.load_payments(ids),
        orders.load_history(ids),
        orders.status_labels(),
        documents.load(ids),
    )
    return [
        OrderDetails(
            items[i],
            addresses[i],
            payments[i],
            history[i],
            labels.get(row.status, row.status),
            docs[i],
        )
        for i, row in enumerate(rows)
    ]


# --- shared pieces -------------------------------------------------------------------------------


# --- placeOrder ----------------------------------------------------------------------------------


@strawberry.input(description="Specifies the quote to be converted to an order.")
class PlaceOrderInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )


@strawberry.enum(description="The reasons `placeOrder` can refuse a cart.")
class PlaceOrderErrorCodes(Enum):
    CART_NOT_FOUND = strawberry.enum_value(
        "CART_NOT_FOUND", description="No cart has the given ID."
    )
    CART_NOT_ACTIVE = strawberry.enum_value(
        "CART_NOT_ACTIVE", description="The cart is no longer active (it was already ordered)."
    )
    GUEST_EMAIL_MISSING = strawberry.enum_value(
        "GUEST_EMAIL_MISSING", description="A guest cart has no e-mail address."
    )
    UNABLE_TO_PLACE_ORDER = strawberry.enum_value(
        "UNABLE_TO_PLACE_ORDER",
        description="The cart is not ready: empty, out of stock, or missing an address, a "
        "shipping method or a payment method.",
    )
    UNDEFINED = strawberry.enum_value("UNDEFINED", description="Any other failure.")


@strawberry.type(description="An error encountered while placing an order.")
class PlaceOrderError:
    code: PlaceOrderErrorCodes = strawberry.field(
        description="An error code that is specific to place order."
    )
    message: str = strawberry.field(description="A localized error message.")


@strawberry.type(description="Contains the order ID.")
class Order:
    order_id: str | None = strawberry.field(
        description="The order number.", deprecation_reason="Use `order_number` instead."
    )
    order_number: str = strawberry.field(description="The unique ID for an `Order` object.")


# --- CustomerOrder -------------------------------------------------------------------------------


@strawberry.enum(description="The list of available order actions.")
class OrderActionType(Enum):
    REORDER = strawberry.enum_value("REORDER", description="The order can be placed again.")
    CANCEL = strawberry.enum_value("CANCEL", description="The customer can cancel the order.")
    RETURN = strawberry.enum_value("RETURN", description="The customer can return items.")


@strawberry.type(description="Returns customer information from order.")
class OrderCustomerInfo:
    firstname: str = strawberry.field(description="First name of the customer")
    lastname: str | None = strawberry.field(description="Last name of the customer")
    middlename: str | None = strawberry.field(description="Middle name of the customer")
    prefix: str | None = strawberry.field(description="Prefix of the customer")
    suffix: str | None = strawberry.field(description="Suffix of the customer")


def _order_address_attributes(
    root: OrderAddress,
    attribute_codes: Annotated[
        list[strawberry.ID] | None,
        strawberry.argument(
            name="attributeCodes",
            description=(
                "Only these attribute codes; every custom attribute of the address when omitted."
            ),
        ),
    ] = strawberry.UNSET,
) -> list[AttributeValueInterface | None]:
    """The address book entry's custom values when the order was placed (every one, or those of
    `attributeCodes`), as the customer address answers them."""
    values = root.stored
    if attribute_codes:
        wanted = set(attribute_codes)
        values = [v for v in values if v.code in wanted]
    return values_to_graph(values)


@strawberry.type(
    description="Contains detailed information about an order's billing and shipping addresses."
)
class OrderAddress:
    stored: strawberry.Private[list[StoredValue]]

    city: str = strawberry.field(description="The city or town.")
    company: str | None = strawberry.field(description="The customer's company.")
    country_code: CountryCodeEnum | None = strawberry.field(description="The customer's country.")
    custom_attributesV2: list[AttributeValueInterface | None] = strawberry.field(
        resolver=_order_address_attributes,
        description="Custom attributes assigned to the customer address.",
    )
    fax: str | None = strawberry.field(description="The fax number.")
    firstname: str = strawberry.field(
        description="The first name of the person associated with the shipping/billing address."
    )
    lastname: str = strawberry.field(
        description="The family name of the person associated with the shipping/billing address."
    )
    middlename: str | None = strawberry.field(
        description="The middle name of the person associated with the shipping/billing address."
    )
    postcode: str | None = strawberry.field(description="The customer's ZIP or postal code.")
    prefix: str | None = strawberry.field(description="An honorific, such as Dr., Mr., or Mrs.")
    region: str | None = strawberry.field(description="The state or province name.")
    region_id: strawberry.ID | None = strawberry.field(
        description="The unique ID for a `Region` object of a pre-defined region."
    )
    street: list[str | None] = strawberry.field(
        description="An array of strings that define the street number and name."
    )
    suffix: str | None = strawberry.field(description="A value such as Sr., Jr., or III.")
    telephone: str | None = strawberry.field(description="The telephone number.")
    vat_id: str | None = strawberry.field(
        description="The customer's Value-added tax (VAT) number (for corporate customers)."
    )

    @classmethod
    def of(cls, row: SalesOrderAddress | None) -> OrderAddress | None:
        if row is None:
            return None
        country = row.country_id
        return cls(
            stored=orders.stored_attributes(row),
            city=row.city or "",
            company=row.company,
            country_code=CountryCodeEnum[country]
            if country and country in CountryCodeEnum.__members__
            else None,
            fax=row.fax,
            firstname=row.firstname or "",
            lastname=row.lastname or "",
            middlename=row.middlename,
            postcode=row.postcode,
            prefix=row.prefix,
            region=row.region,
            region_id=None if row.region_id is None else strawberry.ID(str(row.region_id)),
            street=list(row.street.split("\n")) if row.street else [],
            suffix=row.suffix,
            telephone=row.telephone,
            vat_id=row.vat_id,
        )


@strawberry.type(
    description="Contains details about the sales total amounts used to calculate the final price."
)
class OrderTotal:
    base_grand_total: Money = strawberry.field(
        description="The final base grand total amount in the base currency."
    )
    discounts: list[Discount | None] | None = strawberry.field(
        description="The applied discounts to the order."
    )
    grand_total: Money = strawberry.field(
        description="The final total amount, including shipping, discounts, and taxes."
    )
    grand_total_excl_tax: Money = strawberry.field(
        description="The grand total of the order, excluding taxes."
    )
    shipping_handling: ShippingHandling | None = strawberry.field(
        description="Details about the shipping and handling costs for the order."
    )
    subtotal: Money = strawberry.field(
        description="The subtotal of the order, excluding shipping, discounts, and taxes.",
        deprecation_reason="Use subtotal_excl_tax field instead",
    )
    subtotal_excl_tax: Money = strawberry.field(
        description="The subtotal of the order, excluding taxes."
    )
    subtotal_incl_tax: Money = strawberry.field(
        description="The subtotal of the order, including taxes."
    )
    taxes: list[TaxItem | None] | None = strawberry.field(description="The order tax details.")
    total_shipping: Money = strawberry.field(description="The shipping amount for the order.")
    total_tax: Money = strawberry.field(description="The amount of tax applied to the order.")
    total_reward_points: Money | None = strawberry.field(
        description="The total reward points applied to the order."
    )
    total_store_credit: Money | None = strawberry.field(
        description="The total amount of store credit applied to the order."
    )

    @classmethod
    def of(cls, row: SalesOrder, items: Sequence[SalesOrderItem]) -> OrderTotal:
        currency = row.order_currency_code or "USD"
        base_currency = row.base_currency_code or currency

        def money(amount: Decimal) -> Money:
            return Money.of(Decimal(amount), currency)

        item_tax = sum((Decimal(i.tax_amount) for i in items), ZERO)
        discount = abs(Decimal(row.discount_amount))
        shipping = Decimal(row.shipping_amount)
        # Magento's `getShippingDiscountDetails`: the shipping part of the order's discount.
        shipping_discount = abs(Decimal(row.shipping_discount_amount or 0))
        return cls(
            base_grand_total=Money.of(Decimal(row.base_grand_total), base_currency),
            discounts=[
                Discount(
                    amount=money(discount),
                    applied_to=CartDiscountType.ITEM,
                    coupon=AppliedCoupon(code=row.coupon_code) if row.coupon_code else None,
                    label=row.discount_description or "Discount",
                )
            ]
            if discount
            else [],
            grand_total=money(row.grand_total),
            grand_total_excl_tax=money(Decimal(row.grand_total) - Decimal(row.tax_amount)),
            shipping_handling=ShippingHandling(
                amount_excluding_tax=money(shipping),
                amount_including_tax=money(shipping),
                discounts=[ShippingDiscount(amount=money(shipping_discount))]
                if shipping_discount
                else [],
                taxes=[],
                total_amount=money(shipping),
            ),
            subtotal=money(row.subtotal),
            subtotal_excl_tax=money(row.subtotal),
            subtotal_incl_tax=money(Decimal(row.subtotal) + item_tax),
            taxes=taxes_of(items, currency),
            total_shipping=money(shipping),
            total_tax=money(row.tax_amount),
            total_reward_points=money(row.reward_currency_amount),
            total_store_credit=money(row.customer_balance_amount),
        )


@strawberry.type(description="Contains details about the payment method used to pay for the order.")
class OrderPaymentMethod:
    additional_data: list[KeyValue | None] | None = strawberry.field(
        description="Additional data per payment method type."
    )
    name: str = strawberry.field(description="The label that describes the payment method.")
    type: str = strawberry.field(
        description="The payment method code that indicates how the order was paid for."
    )


def _address(details: OrderDetails, kind: AddressType) -> SalesOrderAddress | None:
    return next((a for a in details.addresses if a.address_type == kind), None)


def _carrier(description: str | None) -> str | None:
    """Magento's shipping description is "<carrier title> - <method title>"."""
    if not description:
        return None
    return description.split(" - ", 1)[0]


def _order_fields(row: SalesOrder, details: OrderDetails) -> dict[str, object]:
    """The values of every `CustomerOrder` field, for it and for the admin's subclass."""
    currency = row.order_currency_code or "USD"
    items = details.items
    order_date = magento_datetime(row.created_at)
    last_change = max(
        [row.created_at, *(h.created_at for h in details.history)],
    )
    return {
        "row": row,
        "applied_coupons": [AppliedCoupon(code=row.coupon_code)] if row.coupon_code else [],
        "available_actions": [OrderActionType.REORDER] if orders.can_reorder(row, items) else [],
        "billing_address": OrderAddress.of(_address(details, AddressType.BILLING)),
        "carrier": _carrier(row.shipping_description),
        "comments": [
            SalesCommentItem(message=h.comment, timestamp=magento_datetime(h.created_at))
            for h in details.history
            if h.is_visible_on_front and h.comment
        ],
        "created_at": order_date,
        "customer_info": OrderCustomerInfo(
            firstname=row.customer_firstname or "",
            lastname=row.customer_lastname,
            middlename=None,
            prefix=None,
            suffix=None,
        ),
        "email": row.customer_email,
        "grand_total": float(row.grand_total),
        "id": strawberry.ID(encode_uid(row.entity_id)),
        "increment_id": row.increment_id,
        "is_virtual": bool(items) and all(i.product_type == "virtual" for i in items),
        "items": [OrderItem.of(item, currency, row) for item in items],
        "number": row.increment_id,
        "order_date": order_date,
        "order_number": row.increment_id,
        "order_status_change_date": magento_datetime(last_change),
        "payment_methods": [
            OrderPaymentMethod(
                additional_data=[], name=orders.payment_title(p.method), type=p.method
            )
            for p in details.payments
        ],
        "shipping_address": OrderAddress.of(_address(details, AddressType.SHIPPING)),
        "shipping_method": row.shipping_description,
        "state": row.state.value,
        "status": details.status_label,
        "token": "",
        "total": OrderTotal.of(row, items),
        **documents_of(details.documents, row, items),
    }


@strawberry.type(description="Contains details about each of the customer's orders.")
class CustomerOrder:
    row: strawberry.Private[SalesOrder]

    applied_coupons: list[AppliedCoupon | None] = strawberry.field(
        description="Coupons applied to the order."
    )
    available_actions: list[OrderActionType | None] = strawberry.field(
        description="List of available order actions."
    )
    billing_address: OrderAddress | None = strawberry.field(
        description="The billing address for the order."
    )
    carrier: str | None = strawberry.field(
        description="The shipping carrier for the order delivery."
    )
    comments: list[SalesCommentItem | None] | None = strawberry.field(
        description="Comments about the order."
    )
    created_at: str | None = strawberry.field(
        description="The date the order was placed.",
        deprecation_reason="Use the `order_date` field instead.",
    )
    credit_memos: list[CreditMemo | None] | None = strawberry.field(
        description="A list of credit memos."
    )
    customer_info: OrderCustomerInfo = strawberry.field(
        description="Returns customer information from order."
    )
    email: str | None = strawberry.field(description="Order customer email.")
    grand_total: float | None = strawberry.field(
        description="The grand total of the order.",
        deprecation_reason="Use the `totals.grand_total` field instead.",
    )
    id: strawberry.ID = strawberry.field(description="The unique ID for a `CustomerOrder` object.")
    increment_id: str | None = strawberry.field(
        description="The order number.", deprecation_reason="Use the `id` field instead."
    )
    invoices: list[Invoice | None] = strawberry.field(
        description="A list of invoices for the order."
    )
    is_virtual: bool = strawberry.field(description="`TRUE` if the order is virtual")
    items: list[OrderItemInterface | None] | None = strawberry.field(
        description="An array containing the items purchased in this order."
    )
    number: str = strawberry.field(description="The order number.")
    order_date: str = strawberry.field(description="The date the order was placed.")
    order_number: str = strawberry.field(
        description="The order number.", deprecation_reason="Use the `number` field instead."
    )
    order_status_change_date: str = strawberry.field(
        description="The date the order status was last updated."
    )
    payment_methods: list[OrderPaymentMethod | None] | None = strawberry.field(
        description="Payment details for the order."
    )
    shipments: list[OrderShipment | None] | None = strawberry.field(
        description="A list of shipments for the order."
    )
    shipping_address: OrderAddress | None = strawberry.field(
        description="The shipping address for the order."
    )
    shipping_method: str | None = strawberry.field(description="The delivery method for the order.")
    state: str = strawberry.field(
        description="The current state of the order (Magento's `new`, `processing`, `complete`, "
        "`closed`, `canceled`, `holded`, `payment_review`)."
    )
    status: str = strawberry.field(description="The current status of the order.")
    token: str = strawberry.field(
        description="The token that can be used to retrieve the order using order query."
    )
    total: OrderTotal | None = strawberry.field(
        description="Details about the calculated totals for this order."
    )

    @classmethod
    async def many(cls, rows: Sequence[SalesOrder]) -> list[CustomerOrder]:
        details = await load_details(rows)
        return [cls(**_order_fields(row, d)) for row, d in zip(rows, details, strict=True)]  # type: ignore[arg-type]


@strawberry.type(
    description="The collection of orders that match the conditions defined in the filter."
)
class CustomerOrders:
    date_of_first_order: str | None = strawberry.field(
        description="Date of the first order placed in the store"
    )
    items: list[CustomerOrder | None] = strawberry.field(description="An array of customer orders.")
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="Contains pagination metadata."
    )
    total_count: int | None = strawberry.field(description="The total count of customer orders.")


@strawberry.input(description="Identifies the filter to use for filtering orders.")
class CustomerOrdersFilterInput:
    grand_total: FilterRangeTypeInput | None = strawberry.field(
        default=strawberry.UNSET, description="Filters by order base grand total value."
    )
    number: FilterStringTypeInput | None = strawberry.field(
        default=strawberry.UNSET, description="Filters by order number."
    )
    order_date: FilterRangeTypeInput | None = strawberry.field(
        default=strawberry.UNSET, description="Filters by order created_at time."
    )
    status: FilterEqualTypeInput | None = strawberry.field(
        default=strawberry.UNSET, description="Filters by order status."
    )


@strawberry.enum(description="Specifies the field to use for sorting")
class CustomerOrderSortableField(Enum):
    NUMBER = strawberry.enum_value("NUMBER", description="Sorts customer orders by number")
    CREATED_AT = strawberry.enum_value(
        "CREATED_AT", description="Sorts customer orders by created_at field"
    )


@strawberry.input(
    description="CustomerOrderSortInput specifies the field to use for sorting search results "
    "and indicates whether the results are sorted in ascending or descending order."
)
class CustomerOrderSortInput:
    sort_direction: SortEnum = strawberry.field(
        description="This enumeration indicates whether to return results in ascending or "
        "descending order"
    )
    sort_field: CustomerOrderSortableField = strawberry.field(
        description="Specifies the field to use for sorting"
    )


@strawberry.enum(description="This enumeration defines the scope type for customer orders.")
class ScopeTypeEnum(Enum):
    GLOBAL = strawberry.enum_value("GLOBAL", description="Orders of every store view.")
    WEBSITE = strawberry.enum_value(
        "WEBSITE", description="Orders of the current website's store views."
    )
    STORE = strawberry.enum_value("STORE", description="Orders of the current store's store views.")


def _given(value: object) -> object:
    return None if value is strawberry.UNSET else value


def _decimal(raw: str | None, path: str) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(raw.strip())
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InputInvalid(Problem(ProblemCode.INVALID, f'"{raw}" is not a number.', path))
    return value


def _range_dates(
    range_: FilterRangeTypeInput | None, path: str
) -> tuple[datetime | None, datetime | None]:
    if range_ is None:
        return None, None
    return (
        parse_datetime(range_.from_, f"{path}.from") if range_.from_ else None,
        parse_datetime(range_.to, f"{path}.to") if range_.to else None,
    )


def storefront_filter(
    filter_: CustomerOrdersFilterInput | None, customer_id: int, store_ids: Sequence[int]
) -> orders.OrderFilter:
    """Magento's `OrderFilter`: the customer's orders in the scope's stores, then `number`
    (eq / in / match), `status` codes (eq / in), `order_date` and `grand_total` (base) ranges."""
    number = _given(filter_.number) if filter_ else None
    status = _given(filter_.status) if filter_ else None
    total = _given(filter_.grand_total) if filter_ else None
    date = _given(filter_.order_date) if filter_ else None
    numbers: list[str] | None = None
    match: str | None = None
    if isinstance(number, FilterStringTypeInput):
        if number.eq is not None or number.in_ is not None:
            numbers = [n for n in [number.eq, *(number.in_ or [])] if n is not None]
        match = number.match
    statuses: list[str] | None = None
    if isinstance(status, FilterEqualTypeInput) and (
        status.eq is not None or status.in_ is not None
    ):
        statuses = [s for s in [status.eq, *(status.in_ or [])] if s is not None]
    created_from, created_to = _range_dates(
        date if isinstance(date, FilterRangeTypeInput) else None, "filter.order_date"
    )
    total_range = total if isinstance(total, FilterRangeTypeInput) else None
    return orders.OrderFilter(
        customer_ids=[customer_id],
        store_ids=store_ids,
        numbers=numbers,
        number_match=match,
        statuses=statuses,
        grand_total_from=_decimal(total_range.from_, "filter.grand_total.from")
        if total_range
        else None,
        grand_total_to=_decimal(total_range.to, "filter.grand_total.to") if total_range else None,
        created_from=created_from,
        created_to=created_to,
    )


def scope_store_ids(
    scope: ScopeTypeEnum | None, store: StoreView, stores: StoresSnapshot
) -> list[int]:
    """Magento's `getStoresByScope`: no scope is the current store view only."""
    if scope is ScopeTypeEnum.GLOBAL:
        return [s.store_id for s in stores.stores]
    if scope is ScopeTypeEnum.WEBSITE:
        return [
            s.store_id for s in stores.stores if s.website.website_id == store.website.website_id
        ]
    if scope is ScopeTypeEnum.STORE:
        return [s.store_id for s in stores.stores if s.group_id == store.group_id]
    return [store.store_id]


def storefront_sort(sort: CustomerOrderSortInput | None) -> list[orders.OrderSort]:
    if sort is None:
        return []
    field = (
        orders.OrderSortField.NUMBER
        if sort.sort_field is CustomerOrderSortableField.NUMBER
        else orders.OrderSortField.CREATED_AT
    )
    return [orders.OrderSort(field, descending=sort.sort_direction is SortEnum.DESC)]


async def customer_orders(
    info: Info,
    customer_id: int,
    filter_: CustomerOrdersFilterInput | None,
    current_page: int | None,
    page_size: int | None,
    sort: CustomerOrderSortInput | None,
    scope: ScopeTypeEnum | None,
) -> CustomerOrders:
    store = await info.context.store()
    store_ids = scope_store_ids(scope, store, await info.context.stores())
    request = PageRequest(
        20 if page_size is None else page_size, 1 if current_page is None else current_page
    )
    page = await orders.page(
        storefront_filter(filter_, customer_id, store_ids), storefront_sort(sort), request
    )
    first = await orders.first_order_date(customer_id, store_ids)
    return CustomerOrders(
        date_of_first_order=None if first is None else magento_datetime(first),
        items=list(await CustomerOrder.many(page.items)),
        page_info=SearchResultPageInfo.of(page),
        total_count=page.total_count,
    )


async def _orders(
    root: CustomerOrderFields,
    info: Info,
    filter: Annotated[
        CustomerOrdersFilterInput | None,
        strawberry.argument(
            description="Conditions the orders must meet (order number, for example)."
        ),
    ] = strawberry.UNSET,
    current_page: Annotated[
        int | None,
        strawberry.argument(
            name="currentPage", description="The page of results to return, counting from 1."
        ),
    ] = 1,
    page_size: Annotated[
        int | None,
        strawberry.argument(
            name="pageSize", description="The maximum number of results to return at once."
        ),
    ] = 20,
    sort: Annotated[
        CustomerOrderSortInput | None,
        strawberry.argument(description="The field to sort the orders by, and the direction."),
    ] = strawberry.UNSET,
    scope: Annotated[
        ScopeTypeEnum | None,
        strawberry.argument(
            description=(
                "Whose store's orders to return: the current store view, its website or"
                " the whole installation."
            )
        ),
    ] = strawberry.UNSET,
) -> CustomerOrders | None:
    return await customer_orders(
        info,
        root.entity_id,
        _given(filter),  # type: ignore[arg-type]
        current_page,
        page_size,
        _given(sort),  # type: ignore[arg-type]
        _given(scope),  # type: ignore[arg-type]
    )


@strawberry.type
class CustomerOrderFields:
    """Base class of the storefront `Customer` type: adds `orders`. Like `CustomerAddressFields`,
    a strawberry type that never appears on its own; the subclass supplies `entity_id`."""

    entity_id: strawberry.Private[int]

    orders: CustomerOrders | None = strawberry.field(
        resolver=_orders, description="The customer's orders, filtered, sorted and paginated."
    )


# --- placeOrder output ---------------------------------------------------------------------------


@strawberry.type(description="Contains the results of the request to place an order.")
class PlaceOrderOutput:
    errors: list[PlaceOrderError | None] | None = strawberry.field(
        description="An array of place order errors."
    )
    order: Order | None = strawberry.field(
        description="The ID of the order.", deprecation_reason="Use `orderV2` instead."
    )
    orderV2: CustomerOrder | None = strawberry.field(description="Full order information.")


# --- admin ---------------------------------------------------------------------------------------


@strawberry.type(description="One entry of an order's status history.")
class AdminOrderStatusHistory:
    status: str | None = strawberry.field(description="The status the order had then.")
    comment: str | None = strawberry.field(description="The comment written with the change.")
    is_visible_on_front: bool = strawberry.field(
        description="Whether the customer sees the comment in the storefront."
    )
    created_at: str = strawberry.field(description="When, as `YYYY-MM-DD HH:MM:SS` in UTC.")


@strawberry.type(
    description="An order as admins see it: the storefront's fields plus state, status code, "
    "customer and history (admin token required)."
)
class AdminOrder(CustomerOrder):
    status_code: str = strawberry.field(description="The status code, such as `pending`.")
    customer_uid: strawberry.ID | None = strawberry.field(
        description="The customer who placed the order; null for a guest order."
    )
    customer_is_guest: bool = strawberry.field(description="True for a guest order.")
    customer_group_uid: strawberry.ID | None = strawberry.field(
        description="The customer group the order was placed in."
    )
    store_code: str | None = strawberry.field(description="The store view of the order.")
    total_qty_ordered: float = strawberry.field(description="The units ordered, all items.")
    total_invoiced: float = strawberry.field(
        description="What the order's invoices add up to (Magento's `total_invoiced`)."
    )
    total_paid: float = strawberry.field(
        description="What was paid: offline payment methods are paid when invoiced."
    )
    total_refunded: float = strawberry.field(
        description="What the order's credit memos add up to (Magento's `total_refunded`)."
    )
    status_history: list[AdminOrderStatusHistory] = strawberry.field(
        description="Every status change and comment, oldest first."
    )

    @classmethod
    async def many_admin(
        cls, rows: Sequence[SalesOrder], stores: StoresSnapshot
    ) -> list[AdminOrder]:
        details = await load_details(rows)
        codes = {s.store_id: s.code for s in stores.stores}
        result = []
        for row, d in zip(rows, details, strict=True):
            customer_id = row.customer_id  # type: ignore[attr-defined]
            result.append(
                cls(
                    **_order_fields(row, d),  # type: ignore[arg-type]
                    status_code=row.status,
                    customer_uid=None
                    if customer_id is None
                    else strawberry.ID(encode_uid(customer_id)),
                    customer_is_guest=row.customer_is_guest,
                    customer_group_uid=None
                    if row.customer_group_id is None
                    else strawberry.ID(encode_uid(row.customer_group_id)),
                    store_code=codes.get(row.store_id),  # type: ignore[attr-defined]
                    total_qty_ordered=float(row.total_qty_ordered),
                    total_invoiced=float(row.total_invoiced),
                    total_paid=float(row.total_paid),
                    total_refunded=float(row.total_refunded),
                    status_history=[
                        AdminOrderStatusHistory(
                            status=h.status,
                            comment=h.comment,
                            is_visible_on_front=h.is_visible_on_front,
                            created_at=magento_datetime(h.created_at),
                        )
                        for h in d.history
                    ],
                )
            )
        return result


@strawberry.type(description="A page of orders.")
class AdminOrders:
    items: list[AdminOrder] = strawberry.field(description="The orders on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many orders match the filter.")


@strawberry.input(description="Filters for the admin list of orders; all must match.")
class AdminOrderFilterInput:
    uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Orders with these uids."
    )
    number: FilterStringTypeInput | None = strawberry.field(
        default=None, description="Increment ids: exactly (`eq`, `in`) or a part (`match`)."
    )
    customer_uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Orders of these customers."
    )
    customer_email: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Orders placed with this e-mail (whole address)."
    )
    status: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Orders with these status codes."
    )
    created_at: FilterRangeTypeInput | None = strawberry.field(
        default=None, description="Placed within this range of ISO 8601 dates or datetimes."
    )
    grand_total: FilterRangeTypeInput | None = strawberry.field(
        default=None, description="Base grand total within this range."
    )


@strawberry.input(
    description="How to sort orders; fields apply in the order created_at, number, grand_total, "
    "then by id."
)
class AdminOrderSortInput:
    created_at: SortEnum | None = strawberry.field(default=None, description="Sort by order date.")
    number: SortEnum | None = strawberry.field(default=None, description="Sort by increment id.")
    grand_total: SortEnum | None = strawberry.field(
        default=None, description="Sort by base grand total."
    )


@strawberry.input(description="An ordered product line of an order placed elsewhere.")
class AdminOrderItemInput:
    sku: str = strawberry.field(
        metadata=SKU,
        description="The product's sku; an unknown sku is kept as text, with no product link.",
    )
    name: str | None = strawberry.field(
        default=None, description="The product name at order time; the catalog's when omitted."
    )
    quantity: float = strawberry.field(
        metadata=QUANTITY, description="Units ordered, greater than 0."
    )
    price: float = strawberry.field(description="The unit price, excluding tax.")
    original_price: float | None = strawberry.field(
        default=None, description="The regular unit price; `price` when omitted."
    )
    tax_amount: float | None = strawberry.field(
        default=None, description="The line's tax amount; 0 when omitted."
    )
    tax_percent: float | None = strawberry.field(
        metadata=QUANTITY, default=None, description="The tax rate applied, in percent."
    )
    discount_amount: float | None = strawberry.field(
        default=None, description="The line's discount amount, positive; 0 when omitted."
    )
    product_type: str | None = strawberry.field(
        metadata=length(32),
        default=None,
        description="`simple` or `virtual`; the catalog's type when omitted.",
    )


@strawberry.input(description="A billing or shipping address of an order placed elsewhere.")
class AdminOrderAddressInput:
    firstname: str | None = strawberry.field(default=None, description="The first name.")
    lastname: str | None = strawberry.field(default=None, description="The family name.")
    middlename: str | None = strawberry.field(default=None, description="The middle name.")
    prefix: str | None = strawberry.field(
        metadata=length(40), default=None, description="An honorific."
    )
    suffix: str | None = strawberry.field(
        metadata=length(40), default=None, description="A suffix such as Jr."
    )
    company: str | None = strawberry.field(default=None, description="The company.")
    street: list[str] | None = strawberry.field(default=None, description="The street lines.")
    city: str | None = strawberry.field(default=None, description="The city.")
    region: str | None = strawberry.field(default=None, description="The region name.")
    region_id: int | None = strawberry.field(default=None, description="A pre-defined region's id.")
    postcode: str | None = strawberry.field(
        metadata=length(20), default=None, description="The postal code."
    )
    country_code: str | None = strawberry.field(
        metadata=length(2), default=None, description="The two-letter country code."
    )
    telephone: str | None = strawberry.field(default=None, description="The telephone number.")
    fax: str | None = strawberry.field(default=None, description="The fax number.")
    vat_id: str | None = strawberry.field(default=None, description="The VAT number.")
    email: str | None = strawberry.field(default=None, description="The address's e-mail.")


@strawberry.input(
    description="An order placed elsewhere (history a shop migrates), as `mageseg import "
    "orders` also reads it, one per line. The customer is `customer_uid`, or `customer_email` "
    "in the store view's website, or a guest with `is_guest: true` and `customer_email`."
)
class AdminOrderCreateInput:
    increment_id: str | None = strawberry.field(
        default=None,
        description="The order number, unique; the next from the order sequence when omitted.",
    )
    store_code: str | None = strawberry.field(
        metadata=length(32),
        default=None,
        description="The store view; the default store view when omitted.",
    )
    customer_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The customer account that placed the order."
    )
    customer_email: str | None = strawberry.field(
        metadata=length(128),
        default=None,
        description="The customer's e-mail: finds the account in the store view's website, or "
        "is the guest's e-mail.",
    )
    is_guest: bool | None = strawberry.field(
        default=None, description="True for a guest order (no account)."
    )
    customer_firstname: str | None = strawberry.field(
        metadata=length(128),
        default=None,
        description="The customer's first name; the account's or billing's.",
    )
    customer_lastname: str | None = strawberry.field(
        metadata=length(128),
        default=None,
        description="The customer's family name; the account's or billing's.",
    )
    status: str | None = strawberry.field(
        metadata=length(32),
        default=None,
        description="The status code (`pending` when omitted); the state follows from "
        "`sales_order_status_state`.",
    )
    created_at: str | None = strawberry.field(
        default=None, description="When it was placed, ISO 8601 (UTC when naive); now if omitted."
    )
    currency_code: str | None = strawberry.field(
        # No declared length: the engine refuses anything but three letters with its message.
        default=None,
        description="The currency; the website's base currency when omitted.",
    )
    items: list[AdminOrderItemInput] = strawberry.field(description="At least one item.")
    billing_address: AdminOrderAddressInput | None = strawberry.field(
        default=None, description="The billing address (required)."
    )
    shipping_address: AdminOrderAddressInput | None = strawberry.field(
        default=None, description="The shipping address; none for virtual orders."
    )
    shipping_amount: float | None = strawberry.field(
        default=None, description="The shipping amount; 0 when omitted."
    )
    shipping_method: str | None = strawberry.field(
        metadata=length(120),
        default=None,
        description="The shipping method code, such as `flatrate_flatrate`.",
    )
    shipping_description: str | None = strawberry.field(
        default=None, description="The shipping method title, such as `Flat Rate - Fixed`."
    )
    grand_total: float | None = strawberry.field(
        default=None,
        description="The grand total as charged; subtotal + shipping + tax - discount when "
        "omitted.",
    )
    payment_method: str | None = strawberry.field(
        metadata=length(128),
        default=None,
        description="The payment method code; `checkmo` when omitted.",
    )
    comment: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=None,
        description="A comment kept in the order's status history.",
    )


@strawberry.type(description="The result of an admin mutation on an order.")
class AdminOrderOutput:
    order: AdminOrder | None = strawberry.field(
        description="The order after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


# Implementations reached only through an interface, for the schema's `types`.
ORDER_TYPES = (OrderItem, *DOCUMENT_TYPES)
