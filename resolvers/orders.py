"""Orders: the storefront's `placeOrder` and deprecated `customerOrders` (the caller's orders
are also `customer { orders }`), and the admin's list, read, create and status change."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

import strawberry
from graphql import GraphQLError

from engine import carts, orders
from engine.auth import ViewerKind
from engine.customers import parse_datetime
from engine.errors import DomainError, InputInvalid, NotAuthorized, Problem, ProblemCode
from engine.pagination import PageRequest
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.common import SearchResultPageInfo, SortEnum
from graph.context import Info
from graph.errors import Category, UserError
from graph.limits import LONG_TEXT
from graph.orders import (
    AdminOrder,
    AdminOrderAddressInput,
    AdminOrderCreateInput,
    AdminOrderFilterInput,
    AdminOrderOutput,
    AdminOrders,
    AdminOrderSortInput,
    CustomerOrder,
    CustomerOrders,
    Order,
    PlaceOrderInput,
    PlaceOrderOutput,
)
from graph.uids import decode_uid
from models import SalesOrder
from resolvers.access import CUSTOMER_NOT_AUTHORIZED, require_admin, require_customer
from resolvers.inputs import uids_of_filter

CART_ID_MISSING = 'Required parameter "cart_id" is missing'


def quote_exception(error: DomainError) -> GraphQLError:
    """Magento's `QuoteException`: a `graphql-input` error whose `extensions.error_code` is the
    `PlaceOrderErrorCodes` value of its message (2.4.9 reports placeOrder's failures here, at
    the top of the response, not in `PlaceOrderOutput.errors`)."""
    code = (
        error.code
        if isinstance(error, orders.PlaceOrderFailed)
        else orders.place_order_code(str(error))
    )
    return GraphQLError(
        str(error),
        extensions={"category": Category.INPUT.value, "error_code": code.value},
    )


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _address(input: AdminOrderAddressInput | None) -> orders.OrderAddressData | None:
    if input is None:
        return None
    return orders.OrderAddressData(
        firstname=input.firstname,
        lastname=input.lastname,
        middlename=input.middlename,
        prefix=input.prefix,
        suffix=input.suffix,
        company=input.company,
        street=tuple(input.street or ()),
        city=input.city,
        region=input.region,
        region_id=input.region_id,
        postcode=input.postcode,
        country_id=input.country_code,
        telephone=input.telephone,
        fax=input.fax,
        vat_id=input.vat_id,
        email=input.email,
    )


def order_data(input: AdminOrderCreateInput) -> orders.OrderData:
    zero = Decimal(0)
    return orders.OrderData(
        items=tuple(
            orders.OrderItemData(
                sku=item.sku,
                name=item.name,
                qty=Decimal(str(item.quantity)),
                price=Decimal(str(item.price)),
                original_price=_decimal(item.original_price),
                tax_amount=_decimal(item.tax_amount) or zero,
                tax_percent=_decimal(item.tax_percent) or zero,
                discount_amount=_decimal(item.discount_amount) or zero,
                product_type=item.product_type,
            )
            for item in input.items
        ),
        billing_address=_address(input.billing_address),
        shipping_address=_address(input.shipping_address),
        increment_id=input.increment_id,
        store_code=input.store_code,
        customer_id=None
        if input.customer_uid is None
        else decode_uid(input.customer_uid, "input.customer_uid"),
        customer_email=input.customer_email,
        is_guest=bool(input.is_guest),
        customer_firstname=input.customer_firstname,
        customer_lastname=input.customer_lastname,
        status=input.status,
        created_at=None
        if input.created_at is None
        else parse_datetime(input.created_at, "input.created_at"),
        currency_code=input.currency_code,
        shipping_amount=_decimal(input.shipping_amount) or zero,
        shipping_method=input.shipping_method,
        shipping_description=input.shipping_description,
        grand_total=_decimal(input.grand_total),
        payment_method=input.payment_method,
        comment=input.comment,
    )


def _admin_filter(filter_: AdminOrderFilterInput | None) -> orders.OrderFilter:
    if filter_ is None:
        return orders.OrderFilter()
    numbers: list[str] | None = None
    match: str | None = None
    if filter_.number is not None:
        if filter_.number.eq is not None or filter_.number.in_ is not None:
            numbers = [n for n in [filter_.number.eq, *(filter_.number.in_ or [])] if n]
        match = filter_.number.match
    statuses: list[str] | None = None
    if filter_.status is not None and (
        filter_.status.eq is not None or filter_.status.in_ is not None
    ):
        statuses = [s for s in [filter_.status.eq, *(filter_.status.in_ or [])] if s]
    created = filter_.created_at
    total = filter_.grand_total
    return orders.OrderFilter(
        ids=uids_of_filter(filter_.uid, "filter.uid"),
        customer_ids=uids_of_filter(filter_.customer_uid, "filter.customer_uid"),
        customer_email=filter_.customer_email.match if filter_.customer_email else None,
        numbers=numbers,
        number_match=match,
        statuses=statuses,
        grand_total_from=_number(total.from_, "filter.grand_total.from") if total else None,
        grand_total_to=_number(total.to, "filter.grand_total.to") if total else None,
        created_from=parse_datetime(created.from_, "filter.created_at.from")
        if created is not None and created.from_
        else None,
        created_to=parse_datetime(created.to, "filter.created_at.to")
        if created is not None and created.to
        else None,
    )


def _number(raw: str | None, path: str) -> Decimal | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        value = Decimal(raw.strip())
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InputInvalid(Problem(ProblemCode.INVALID, f'"{raw}" is not a number.', path))
    return value


def _admin_sort(sort: AdminOrderSortInput | None) -> list[orders.OrderSort]:
    if sort is None:
        return []
    return [
        orders.OrderSort(field, descending=direction is SortEnum.DESC)
        for field, direction in (
            (orders.OrderSortField.CREATED_AT, sort.created_at),
            (orders.OrderSortField.NUMBER, sort.number),
            (orders.OrderSortField.GRAND_TOTAL, sort.grand_total),
        )
        if direction is not None
    ]


async def _admin_orders(info: Info, rows: Sequence[SalesOrder]) -> list[AdminOrder]:
    return await AdminOrder.many_admin(rows, await info.context.stores())


@strawberry.type
class Query:
    @strawberry.field(
        description="The customer's orders.",
        deprecation_reason="Use the `customer` query instead.",
    )
    async def customerOrders(self, info: Info) -> CustomerOrders | None:
        """Magento's old `Orders` resolver: every order of the caller, in every store view."""
        viewer = await require_customer(info)
        assert viewer.customer_id is not None
        rows = await orders.all_for_customer(viewer.customer_id)
        return CustomerOrders(
            date_of_first_order=None,
            items=list(await CustomerOrder.many(rows)),
            page_info=None,
            total_count=len(rows),
        )

    @strawberry.field(description="Orders, filtered, sorted and paginated (admin token required).")
    async def adminOrders(
        self,
        info: Info,
        filter: Annotated[
            AdminOrderFilterInput | None,
            strawberry.argument(description="Conditions the orders must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
        sort: Annotated[
            AdminOrderSortInput | None,
            strawberry.argument(description="The field to sort the orders by, and the direction."),
        ] = None,
    ) -> AdminOrders:
        await require_admin(info)
        page = await orders.page(
            _admin_filter(filter), _admin_sort(sort), PageRequest(pageSize, currentPage)
        )
        return AdminOrders(
            items=await _admin_orders(info, page.items),
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(description="One order by uid (admin token required).")
    async def adminOrder(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the order to return.")
        ],
    ) -> AdminOrder | None:
        await require_admin(info)
        row = await orders.get(decode_uid(uid))
        return (await _admin_orders(info, [row]))[0]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Convert the quote into an order.")
    async def placeOrder(
        self,
        info: Info,
        input: Annotated[
            PlaceOrderInput | None,
            strawberry.argument(description="An input object that defines the shopper's cart ID."),
        ] = strawberry.UNSET,
    ) -> PlaceOrderOutput | None:
        viewer = await info.context.viewer()
        if viewer.kind is ViewerKind.ADMIN:
            raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
        if not input or not input.cart_id:
            raise InputInvalid(Problem(ProblemCode.REQUIRED, CART_ID_MISSING, "input.cart_id"))
        stores = await info.context.stores()
        try:
            quote = await carts.cart_for_caller(input.cart_id, viewer, await info.context.store())
            row = await orders.place_order(quote, stores)
        except NotAuthorized:
            raise
        except DomainError as error:
            raise quote_exception(error) from None
        return PlaceOrderOutput(
            errors=[],
            order=Order(order_id=row.increment_id, order_number=row.increment_id),
            orderV2=(await CustomerOrder.many([row]))[0],
        )

    @strawberry.mutation(
        description="Record an order placed elsewhere, with its items, addresses, status and "
        "date (admin token required). Stock is not changed. Every problem with the input is "
        "reported in `user_errors`."
    )
    async def adminCreateOrder(
        self,
        info: Info,
        input: Annotated[
            AdminOrderCreateInput,
            strawberry.argument(
                description=(
                    "The order as it was placed: customer, store, items, addresses, totals,"
                    " status and date."
                )
            ),
        ],
    ) -> AdminOrderOutput:
        await require_admin(info)
        try:
            row = await orders.create(order_data(input), await info.context.stores())
        except DomainError as error:
            return AdminOrderOutput(order=None, user_errors=UserError.from_error(error))
        return AdminOrderOutput(order=(await _admin_orders(info, [row]))[0], user_errors=[])

    @strawberry.mutation(
        description="Move an order to another status (admin token required), such as "
        "`canceled`, `holded`, `processing` or `complete`, with an optional comment kept in its "
        "history. Changes Magento would not allow (completing a canceled order, canceling a "
        "held one…) are refused."
    )
    async def adminUpdateOrderStatus(
        self,
        info: Info,
        uid: Annotated[strawberry.ID, strawberry.argument(description="The `uid` of the order.")],
        status: Annotated[
            str,
            strawberry.argument(
                description=(
                    "The status to move the order to, such as `canceled`, `holded`, "
                    "`processing` or `complete`."
                )
            ),
        ],
        comment: Annotated[
            str | None,
            strawberry.argument(
                metadata=LONG_TEXT, description="A comment kept in the order's status history."
            ),
        ] = None,
        visible_on_front: Annotated[
            bool,
            strawberry.argument(
                description="Whether the customer sees the comment in their order history."
            ),
        ] = False,
    ) -> AdminOrderOutput:
        await require_admin(info)
        try:
            row = await orders.update_status(
                decode_uid(uid), status, comment, visible_on_front, await info.context.stores()
            )
        except DomainError as error:
            return AdminOrderOutput(order=None, user_errors=UserError.from_error(error))
        return AdminOrderOutput(order=(await _admin_orders(info, [row]))[0], user_errors=[])
