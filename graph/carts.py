"""Cart types, as Magento's QuoteGraphQl names them: `Cart`, its items, prices, addresses,
shipping and payment methods, and the inputs and outputs of the cart mutations; plus the admin's
tax rates.

A `Cart` holds its quote row and a `CartState` that computes the cart's totals once per presented
cart (Magento collects totals on every read): every price field reads the same computation."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry

from engine import carts, gift_messages
from engine.carts import LineTotals, Totals
from engine.config import ConfigPath
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.pagination import PageRequest
from engine.salesrules.calculator import RuleDiscount
from engine.stores import StoresSnapshot, StoreView
from engine.tax import SavedRate, round_money
from graph.attributes import AttributeValueInput, AttributeValueInterface
from graph.catalog import FixedProductTax, ProductDiscount, ProductInterface, product_of
from graph.common import Money, SearchResultPageInfo, SortEnum
from graph.configurable import SelectedConfigurableOption, configuration, selected_options
from graph.context import Info
from graph.errors import UserError
from graph.gift_messages import AppliedGiftCard, GiftMessage, GiftMessageInput, GiftOptionsPrices
from graph.iso_codes import CountryCodeEnum
from graph.limits import CART_ID, LONG_TEXT, QUANTITY, SKU, length
from graph.rewards import RewardPointsAmount, applied_reward_points
from graph.store_credit import AppliedStoreCredit, applied_store_credit
from graph.uids import encode_uid
from models import Quote, QuoteAddress


class CartState:
    """What presenting one cart needs beyond its row: its totals (computed once, shared by every
    field) and its masked id."""

    def __init__(self, quote: Quote, masked_id: str, stores: StoresSnapshot) -> None:
        self.quote = quote
        self.masked_id = masked_id
        self.stores = stores
        self.store: StoreView = carts.store_of(stores, quote.store_id)  # type: ignore[attr-defined]
        self._totals: asyncio.Task[Totals] | None = None

    async def totals(self) -> Totals:
        if self._totals is None:
            self._totals = asyncio.ensure_future(carts.compute_totals(self.quote, self.stores))
        return await self._totals

    def money(self, amount: Decimal) -> Money:
        return Money.of(
            amount, self.quote.quote_currency_code or self.store.website.base_currency_code
        )


# --- prices -------------------------------------------------------------------------------------


@strawberry.type(description="Contains the applied coupon code.")
class AppliedCoupon:
    code: str = strawberry.field(description="The coupon code the shopper applied to the card.")


@strawberry.enum(description="The type of the entity a discount is applied to.")
class CartDiscountType(Enum):
    ITEM = strawberry.enum_value("ITEM", description="The discount applies to cart items.")
    SHIPPING = strawberry.enum_value("SHIPPING", description="The discount applies to shipping.")


@strawberry.type(description="Specifies the discount type and value for quote line item.")
class Discount:
    amount: Money = strawberry.field(description="The amount of the discount.")
    applied_to: CartDiscountType = strawberry.field(
        description="The type of the entity the discount is applied to."
    )
    coupon: AppliedCoupon | None = strawberry.field(
        description="The coupon related to the discount."
    )
    label: str = strawberry.field(description="A description of the discount.")


@strawberry.type(description="Contains information about discounts applied to the cart.")
class CartDiscount:
    amount: Money = strawberry.field(description="The amount of the discount applied to the item.")
    label: list[str | None] = strawberry.field(description="The description of the discount.")


@strawberry.type(description="Contains tax information about an item in the cart.")
class CartTaxItem:
    amount: Money = strawberry.field(description="The amount of tax applied to the item.")
    label: str = strawberry.field(description="The description of the tax.")


@strawberry.type(
    description="Contains details about the final price of items in the cart, including "
    "discount and tax information."
)
class CartPrices:
    applied_taxes: list[CartTaxItem | None] | None = strawberry.field(
        description="An array containing the names and amounts of taxes applied to each item in "
        "the cart."
    )
    discount: CartDiscount | None = strawberry.field(
        description="The discount applied to the cart.",
        deprecation_reason="Use discounts instead.",
    )
    discounts: list[Discount | None] | None = strawberry.field(
        description="An array containing cart rule discounts, store credit and gift cards applied "
        "to the cart."
    )
    gift_options: GiftOptionsPrices | None = strawberry.field(
        description="The list of prices for the selected gift options."
    )
    grand_total: Money | None = strawberry.field(
        description="The total, including discounts, taxes, shipping, and other fees."
    )
    grand_total_excluding_tax: Money | None = strawberry.field(
        description="The total of the cart, including discounts, shipping, and other fees without "
        "tax."
    )
    subtotal_excluding_tax: Money | None = strawberry.field(
        description="The subtotal without any applied taxes."
    )
    subtotal_including_tax: Money | None = strawberry.field(
        description="The subtotal including any applied taxes."
    )
    subtotal_with_discount_excluding_tax: Money | None = strawberry.field(
        description="The subtotal with any discounts applied, but not taxes."
    )

    @classmethod
    def of(cls, state: CartState, totals: Totals) -> CartPrices:
        money = state.money
        discount = None
        if totals.total_discount:
            # Magento's deprecated field: the address total (negative) and its description.
            discount = CartDiscount(
                amount=money(-totals.total_discount),
                label=list(totals.discount_description) or [""],
            )
        return cls(
            applied_taxes=[
                CartTaxItem(amount=money(t.amount), label=t.label) for t in totals.applied_taxes
            ],
            discount=discount,
            discounts=discounts_of(state, totals.discounts),
            gift_options=GiftOptionsPrices(printed_card=None),
            grand_total=money(totals.grand_total),
            grand_total_excluding_tax=money(totals.grand_total - totals.tax_amount),
            subtotal_excluding_tax=money(totals.subtotal),
            subtotal_including_tax=money(totals.subtotal_incl_tax),
            # Magento's CartPrices: the subtotal plus the address discount total (items and
            # shipping, `tax/calculation/discount_tax` 0).
            subtotal_with_discount_excluding_tax=money(totals.subtotal - totals.total_discount),
        )


DEFAULT_DISCOUNT_LABEL = "Discount"


def discounts_of(state: CartState, entries: Sequence[RuleDiscount]) -> list[Discount | None]:
    """Magento's `Discount` entries: the rule's label ("Discount" when it has none), what it
    applies to, and the coupon that triggered it."""
    return [
        Discount(
            amount=state.money(entry.amount),
            applied_to=CartDiscountType(entry.applied_to.value),
            coupon=AppliedCoupon(code=entry.coupon) if entry.coupon else None,
            label=entry.label or DEFAULT_DISCOUNT_LABEL,
        )
        for entry in entries
    ]


@strawberry.type(
    description="Contains details about the price of the item, including taxes and discounts."
)
class CartItemPrices:
    catalog_discount: ProductDiscount | None = strawberry.field(
        description="The price discount for the unit price of the item represents the difference "
        "between its regular price and final price."
    )
    discounts: list[Discount | None] | None = strawberry.field(
        description="An array of discounts to be applied to the cart item."
    )
    fixed_product_taxes: list[FixedProductTax | None] | None = strawberry.field(
        description="An array of FPTs applied to the cart item."
    )
    original_item_price: Money = strawberry.field(
        description="The value of the original unit price for the item, including discounts."
    )
    original_row_total: Money = strawberry.field(
        description="The value of the original price multiplied by the quantity of the item."
    )
    price: Money = strawberry.field(
        description="The price of the item before any discounts were applied. The price that "
        "might include tax, depending on the configured display settings for cart."
    )
    price_including_tax: Money = strawberry.field(
        description="The price of the item before any discounts were applied. The price that "
        "might include tax, depending on the configured display settings for cart."
    )
    row_catalog_discount: ProductDiscount | None = strawberry.field(
        description="The price discount multiplied by the item quantity represents the total "
        "difference between the regular price and the final price for the entire quote item."
    )
    row_total: Money = strawberry.field(
        description="The value of the price multiplied by the quantity of the item."
    )
    row_total_including_tax: Money = strawberry.field(
        description="The value of `row_total` plus the tax applied to the item."
    )
    total_item_discount: Money | None = strawberry.field(
        description="The total of all discounts applied to the item."
    )

    @classmethod
    def of(cls, state: CartState, line: LineTotals) -> CartItemPrices:
        money = state.money
        qty = Decimal(line.item.qty)
        off = max(line.original_price - line.price, Decimal(0))
        percent = (
            round_money(off * 100 / line.original_price) if line.original_price > 0 else Decimal(0)
        )
        return cls(
            catalog_discount=ProductDiscount(amount_off=float(off), percent_off=float(percent)),
            discounts=discounts_of(state, line.discounts),
            fixed_product_taxes=[],
            original_item_price=money(line.original_price),
            original_row_total=money(round_money(line.original_price * qty)),
            price=money(line.price),
            price_including_tax=money(line.price_incl_tax),
            row_catalog_discount=ProductDiscount(
                amount_off=float(round_money(off * qty)), percent_off=float(percent)
            ),
            row_total=money(line.row_total),
            row_total_including_tax=money(line.row_total_incl_tax),
            total_item_discount=money(line.discount_amount),
        )


# --- items --------------------------------------------------------------------------------------


@strawberry.enum(description="The kind of problem with a cart item.")
class CartItemErrorType(Enum):
    UNDEFINED = strawberry.enum_value("UNDEFINED", description="Another problem.")
    ITEM_QTY = strawberry.enum_value(
        "ITEM_QTY", description="The quantity asked for is not available."
    )
    ITEM_INCREMENTS = strawberry.enum_value(
        "ITEM_INCREMENTS", description="The quantity is not a multiple of the allowed increment."
    )


@strawberry.type(description="An error encountered while loading a cart item.")
class CartItemError:
    code: CartItemErrorType = strawberry.field(
        description="An error code that describes the error encountered"
    )
    message: str = strawberry.field(description="A localized error message")


async def _item_product(root: CartItemInterface, info: Info) -> ProductInterface:
    row = await info.context.loaders.product.load(root.line.product.entity_id)
    return product_of(row if row is not None else root.line.product)


@strawberry.interface(description="An interface for products in a cart.")
class CartItemInterface:
    line: strawberry.Private[LineTotals]
    state: strawberry.Private[CartState]

    discount: list[Discount | None] | None = strawberry.field(
        description="Contains discount for quote line item."
    )
    errors: list[CartItemError | None] | None = strawberry.field(
        description="An array of errors encountered while loading the cart item"
    )
    id: str = strawberry.field(
        description="The ID of the cart item.", deprecation_reason="Use `uid` instead."
    )
    is_available: bool = strawberry.field(
        description="True if requested quantity is less than available stock, false otherwise."
    )
    not_available_message: str | None = strawberry.field(
        description="Message to display when the product is not available with this selected "
        "option."
    )
    prices: CartItemPrices | None = strawberry.field(
        description="Contains details about the price of the item, including taxes and discounts."
    )
    product: ProductInterface = strawberry.field(
        resolver=_item_product, description="Details about an item in the cart."
    )
    quantity: float = strawberry.field(description="The quantity of this item in the cart.")
    uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `CartItemInterface` object."
    )


@strawberry.type(description="An implementation for simple product cart items.")
class SimpleCartItem(CartItemInterface):
    pass


@strawberry.type(description="An implementation for virtual product cart items.")
class VirtualCartItem(CartItemInterface):
    pass


async def _configurable_options(
    root: ConfigurableCartItem, info: Info
) -> list[SelectedConfigurableOption | None]:
    """The option of every configurable attribute the chosen child carries."""
    variant = root.line.variant
    if variant is None:
        return []
    config = await configuration(info, root.line.product.entity_id)
    child = config.child(variant.entity_id)
    return selected_options(config, dict(child.options) if child is not None else {})


async def _configured_variant(root: ConfigurableCartItem, info: Info) -> ProductInterface:
    return product_of(root.line.sold)


@strawberry.type(description="An implementation for configurable product cart items.")
class ConfigurableCartItem(CartItemInterface):
    configurable_options: list[SelectedConfigurableOption | None] = strawberry.field(
        resolver=_configurable_options,
        description="An array containing the configuranle options the shopper selected.",
    )
    configured_variant: ProductInterface = strawberry.field(
        resolver=_configured_variant, description="Product details of the cart item."
    )


def cart_item_of(state: CartState, line: LineTotals) -> CartItemInterface:
    short = line.available is not None
    kind: type[CartItemInterface] = SimpleCartItem
    if line.variant is not None:
        kind = ConfigurableCartItem
    elif line.item.product_type == "virtual":
        kind = VirtualCartItem
    return kind(
        line=line,
        state=state,
        discount=discounts_of(state, line.discounts),
        errors=[CartItemError(code=CartItemErrorType.ITEM_QTY, message=carts.QTY_NOT_AVAILABLE)]
        if short
        else None,
        id=str(line.item.item_id),
        is_available=not short,
        not_available_message=carts.QTY_NOT_AVAILABLE if short else None,
        prices=CartItemPrices.of(state, line),
        quantity=float(line.item.qty),
        uid=strawberry.ID(encode_uid(line.item.item_id)),
    )


@strawberry.enum(description="Specifies the field to use for sorting quote items")
class SortQuoteItemsEnum(Enum):
    ITEM_ID = strawberry.enum_value("ITEM_ID", description="Sort by the cart item id.")
    CREATED_AT = strawberry.enum_value("CREATED_AT", description="Sort by when it was added.")
    UPDATED_AT = strawberry.enum_value("UPDATED_AT", description="Sort by when it last changed.")
    PRODUCT_ID = strawberry.enum_value("PRODUCT_ID", description="Sort by the product id.")
    SKU = strawberry.enum_value("SKU", description="Sort by SKU.")
    NAME = strawberry.enum_value("NAME", description="Sort by product name.")
    DESCRIPTION = strawberry.enum_value("DESCRIPTION", description="Sort by description.")
    WEIGHT = strawberry.enum_value("WEIGHT", description="Sort by unit weight.")
    QTY = strawberry.enum_value("QTY", description="Sort by quantity.")
    PRICE = strawberry.enum_value("PRICE", description="Sort by unit price.")
    BASE_PRICE = strawberry.enum_value("BASE_PRICE", description="Sort by base unit price.")
    CUSTOM_PRICE = strawberry.enum_value("CUSTOM_PRICE", description="Sort by custom price.")
    DISCOUNT_PERCENT = strawberry.enum_value(
        "DISCOUNT_PERCENT", description="Sort by discount percent."
    )
    DISCOUNT_AMOUNT = strawberry.enum_value(
        "DISCOUNT_AMOUNT", description="Sort by discount amount."
    )
    BASE_DISCOUNT_AMOUNT = strawberry.enum_value(
        "BASE_DISCOUNT_AMOUNT", description="Sort by base discount amount."
    )
    TAX_PERCENT = strawberry.enum_value("TAX_PERCENT", description="Sort by tax percent.")
    TAX_AMOUNT = strawberry.enum_value("TAX_AMOUNT", description="Sort by tax amount.")
    BASE_TAX_AMOUNT = strawberry.enum_value(
        "BASE_TAX_AMOUNT", description="Sort by base tax amount."
    )
    ROW_TOTAL = strawberry.enum_value("ROW_TOTAL", description="Sort by row total.")
    BASE_ROW_TOTAL = strawberry.enum_value("BASE_ROW_TOTAL", description="Sort by base row total.")
    ROW_TOTAL_WITH_DISCOUNT = strawberry.enum_value(
        "ROW_TOTAL_WITH_DISCOUNT", description="Sort by row total with discount."
    )
    ROW_WEIGHT = strawberry.enum_value("ROW_WEIGHT", description="Sort by row weight.")
    PRODUCT_TYPE = strawberry.enum_value("PRODUCT_TYPE", description="Sort by product type.")
    BASE_TAX_BEFORE_DISCOUNT = strawberry.enum_value(
        "BASE_TAX_BEFORE_DISCOUNT", description="Sort by base tax before discount."
    )
    TAX_BEFORE_DISCOUNT = strawberry.enum_value(
        "TAX_BEFORE_DISCOUNT", description="Sort by tax before discount."
    )
    ORIGINAL_CUSTOM_PRICE = strawberry.enum_value(
        "ORIGINAL_CUSTOM_PRICE", description="Sort by original custom price."
    )
    PRICE_INC_TAX = strawberry.enum_value(
        "PRICE_INC_TAX", description="Sort by unit price including tax."
    )
    BASE_PRICE_INC_TAX = strawberry.enum_value(
        "BASE_PRICE_INC_TAX", description="Sort by base unit price including tax."
    )
    ROW_TOTAL_INC_TAX = strawberry.enum_value(
        "ROW_TOTAL_INC_TAX", description="Sort by row total including tax."
    )
    BASE_ROW_TOTAL_INC_TAX = strawberry.enum_value(
        "BASE_ROW_TOTAL_INC_TAX", description="Sort by base row total including tax."
    )
    DISCOUNT_TAX_COMPENSATION_AMOUNT = strawberry.enum_value(
        "DISCOUNT_TAX_COMPENSATION_AMOUNT", description="Sort by discount tax compensation."
    )
    BASE_DISCOUNT_TAX_COMPENSATION_AMOUNT = strawberry.enum_value(
        "BASE_DISCOUNT_TAX_COMPENSATION_AMOUNT",
        description="Sort by base discount tax compensation.",
    )
    FREE_SHIPPING = strawberry.enum_value("FREE_SHIPPING", description="Sort by free shipping.")


def _key(getter: Callable[[LineTotals], Any]) -> Callable[[LineTotals], Any]:
    return getter


# Sort keys per field; fields without a value here (no discounts, custom prices or descriptions
# yet) are the same for every line, so those sorts keep the cart's order.
SORT_KEYS: dict[SortQuoteItemsEnum, Callable[[LineTotals], Any]] = {
    SortQuoteItemsEnum.ITEM_ID: _key(lambda x: x.item.item_id),
    SortQuoteItemsEnum.CREATED_AT: _key(lambda x: x.item.created_at),
    SortQuoteItemsEnum.UPDATED_AT: _key(lambda x: x.item.updated_at),
    SortQuoteItemsEnum.PRODUCT_ID: _key(lambda x: x.product.entity_id),
    SortQuoteItemsEnum.SKU: _key(lambda x: x.item.sku),
    SortQuoteItemsEnum.NAME: _key(lambda x: x.product.name),
    SortQuoteItemsEnum.WEIGHT: _key(lambda x: Decimal(x.product.weight or 0)),
    SortQuoteItemsEnum.QTY: _key(lambda x: Decimal(x.item.qty)),
    SortQuoteItemsEnum.PRICE: _key(lambda x: x.price),
    SortQuoteItemsEnum.BASE_PRICE: _key(lambda x: x.price),
    SortQuoteItemsEnum.TAX_PERCENT: _key(lambda x: x.tax_percent),
    SortQuoteItemsEnum.TAX_AMOUNT: _key(lambda x: x.tax_amount),
    SortQuoteItemsEnum.BASE_TAX_AMOUNT: _key(lambda x: x.tax_amount),
    SortQuoteItemsEnum.TAX_BEFORE_DISCOUNT: _key(lambda x: x.tax_amount),
    SortQuoteItemsEnum.BASE_TAX_BEFORE_DISCOUNT: _key(lambda x: x.tax_amount),
    SortQuoteItemsEnum.ROW_TOTAL: _key(lambda x: x.row_total),
    SortQuoteItemsEnum.BASE_ROW_TOTAL: _key(lambda x: x.row_total),
    SortQuoteItemsEnum.ROW_TOTAL_WITH_DISCOUNT: _key(lambda x: x.row_total - x.discount_amount),
    SortQuoteItemsEnum.DISCOUNT_AMOUNT: _key(lambda x: x.discount_amount),
    SortQuoteItemsEnum.BASE_DISCOUNT_AMOUNT: _key(lambda x: x.discount_amount),
    SortQuoteItemsEnum.DISCOUNT_PERCENT: _key(lambda x: x.discount_percent),
    SortQuoteItemsEnum.ROW_WEIGHT: _key(
        lambda x: Decimal(x.product.weight or 0) * Decimal(x.item.qty)
    ),
    SortQuoteItemsEnum.PRODUCT_TYPE: _key(lambda x: x.item.product_type or ""),
    SortQuoteItemsEnum.PRICE_INC_TAX: _key(lambda x: x.price_incl_tax),
    SortQuoteItemsEnum.BASE_PRICE_INC_TAX: _key(lambda x: x.price_incl_tax),
    SortQuoteItemsEnum.ROW_TOTAL_INC_TAX: _key(lambda x: x.row_total_incl_tax),
    SortQuoteItemsEnum.BASE_ROW_TOTAL_INC_TAX: _key(lambda x: x.row_total_incl_tax),
}


@strawberry.input(description="Specifies the field to use for sorting quote items")
class QuoteItemsSortInput:
    field: SortQuoteItemsEnum = strawberry.field(
        description="Specifies the quote items field to sort by"
    )
    order: SortEnum = strawberry.field(description="Specifies the order of quote items' sorting")


@strawberry.type(description="A page of the products in a cart.")
class CartItems:
    items: list[CartItemInterface | None] = strawberry.field(
        description="An array of products that have been added to the cart."
    )
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="Metadata for pagination rendering."
    )
    total_count: int = strawberry.field(description="The number of returned cart items.")


def page_of_lines(
    lines: Sequence[LineTotals], page_size: int, current_page: int, sort: QuoteItemsSortInput | None
) -> tuple[list[LineTotals], SearchResultPageInfo]:
    """Magento's `itemsV2`: sorted (the cart's order by default), then cut with its paging
    rules."""
    request = PageRequest(page_size, current_page)
    request.validate()
    ordered = list(lines)
    if sort is not None:
        key = SORT_KEYS.get(sort.field, SORT_KEYS[SortQuoteItemsEnum.ITEM_ID])
        ordered.sort(key=key, reverse=sort.order == SortEnum.DESC)
    pages = -(-len(ordered) // page_size) if ordered else 0
    if current_page > max(pages, 1):
        raise InputInvalid(
            Problem(
                ProblemCode.INVALID,
                f"currentPage value {current_page} specified is greater than the {pages} page(s) "
                "available.",
                "currentPage",
            )
        )
    start = (current_page - 1) * page_size
    return ordered[start : start + page_size], SearchResultPageInfo(
        current_page=current_page, page_size=page_size, total_pages=pages
    )


# --- addresses, shipping and payment --------------------------------------------------------------


@strawberry.type(description="Contains details the country in a billing or shipping address.")
class CartAddressCountry:
    code: str = strawberry.field(description="The country code.")
    label: str = strawberry.field(
        description="The display label for the country (its ISO code here)."
    )


@strawberry.type(description="Contains details about the region in a billing or shipping address.")
class CartAddressRegion:
    code: str | None = strawberry.field(description="The state or province code.")
    label: str | None = strawberry.field(description="The display label for the region.")
    region_id: int | None = strawberry.field(description="The unique ID for a pre-defined region.")


@strawberry.type(
    description="Deprecated: The `ShippingCartAddress.cart_items` field now returns "
    "`CartItemInterface`."
)
class CartItemQuantity:
    cart_item_id: int = strawberry.field(
        description="The cart item id.",
        deprecation_reason="The `ShippingCartAddress.cart_items` field now returns "
        "`CartItemInterface`.",
    )
    quantity: float = strawberry.field(
        description="The quantity of the item.",
        deprecation_reason="The `ShippingCartAddress.cart_items` field now returns "
        "`CartItemInterface`.",
    )


@strawberry.type(description="Contains details about the possible shipping methods and carriers.")
class AvailableShippingMethod:
    amount: Money = strawberry.field(description="The cost of shipping using this shipping method.")
    available: bool = strawberry.field(
        description="Indicates whether this shipping method can be applied to the cart."
    )
    base_amount: Money | None = strawberry.field(
        description="The cost of shipping in the base currency.",
        deprecation_reason="The field should not be used on the storefront.",
    )
    carrier_code: str = strawberry.field(
        description="A string that identifies a commercial carrier or an offline shipping method."
    )
    carrier_title: str = strawberry.field(description="The label for the carrier code.")
    error_message: str | None = strawberry.field(description="Describes an error condition.")
    method_code: str | None = strawberry.field(
        description="A shipping method code associated with a carrier. The value could be null "
        "if no method is available."
    )
    method_title: str | None = strawberry.field(
        description="The label for the shipping method code. The value could be null if no "
        "method is available."
    )
    price_excl_tax: Money = strawberry.field(
        description="The cost of shipping using this shipping method, excluding tax."
    )
    price_incl_tax: Money = strawberry.field(
        description="The cost of shipping using this shipping method, including tax."
    )


@strawberry.type(description="Contains details about the selected shipping method and carrier.")
class SelectedShippingMethod:
    amount: Money = strawberry.field(description="The cost of shipping using this shipping method.")
    base_amount: Money | None = strawberry.field(
        description="The cost of shipping in the base currency.",
        deprecation_reason="The field should not be used on the storefront.",
    )
    carrier_code: str = strawberry.field(
        description="A string that identifies a commercial carrier or an offline shipping method."
    )
    carrier_title: str = strawberry.field(description="The label for the carrier code.")
    method_code: str = strawberry.field(
        description="A shipping method code associated with a carrier."
    )
    method_title: str = strawberry.field(description="The label for the method code.")
    price_excl_tax: Money = strawberry.field(
        description="The cost of shipping using this shipping method, excluding tax."
    )
    price_incl_tax: Money = strawberry.field(
        description="The cost of shipping using this shipping method, including tax."
    )


@strawberry.type(
    description="Describes a payment method that the shopper can use to pay for the order."
)
class AvailablePaymentMethod:
    code: str = strawberry.field(description="The payment method code.")
    is_deferred: bool = strawberry.field(
        description="If the payment method is an online integration"
    )
    title: str = strawberry.field(description="The payment method title.")


@strawberry.type(description="Describes the payment method the shopper selected.")
class SelectedPaymentMethod:
    code: str = strawberry.field(description="The payment method code.")
    purchase_order_number: str | None = strawberry.field(description="The purchase order number.")
    title: str = strawberry.field(description="The payment method title.")


def _street(row: QuoteAddress) -> list[str | None]:
    return list(row.street.split("\n")) if row.street else []


@strawberry.interface(description="The fields every billing or shipping address of a cart has.")
class CartAddressInterface:
    row: strawberry.Private[QuoteAddress]
    state: strawberry.Private[CartState]

    city: str = strawberry.field(
        description="The city specified for the billing or shipping address."
    )
    company: str | None = strawberry.field(
        description="The company specified for the billing or shipping address."
    )
    country: CartAddressCountry = strawberry.field(
        description="An object containing the country label and code."
    )
    custom_attributes: list[AttributeValueInterface | None] = strawberry.field(
        description="The custom attribute values of the billing or shipping address."
    )
    customer_address_uid: strawberry.ID | None = strawberry.field(
        description="The unique ID from the customer's address book that uniquely identifies the "
        "address."
    )
    fax: str | None = strawberry.field(description="The customer's fax number.")
    firstname: str = strawberry.field(description="The first name of the customer or guest.")
    id: int | None = strawberry.field(
        description="Id of the customer address.",
        deprecation_reason="Use `customer_address_uid` instead.",
    )
    lastname: str = strawberry.field(description="The last name of the customer or guest.")
    middlename: str | None = strawberry.field(
        description="The middle name of the person associated with the billing/shipping address."
    )
    postcode: str | None = strawberry.field(
        description="The ZIP or postal code of the billing or shipping address."
    )
    prefix: str | None = strawberry.field(description="An honorific, such as Dr., Mr., or Mrs.")
    region: CartAddressRegion | None = strawberry.field(
        description="An object containing the region label and code."
    )
    street: list[str | None] = strawberry.field(
        description="An array containing the street for the billing or shipping address."
    )
    suffix: str | None = strawberry.field(description="A value such as Sr., Jr., or III.")
    telephone: str | None = strawberry.field(
        description="The telephone number for the billing or shipping address."
    )
    uid: strawberry.ID = strawberry.field(description="The unique id of the customer cart address.")
    vat_id: str | None = strawberry.field(
        description="The VAT company number for billing or shipping address."
    )


def _address_fields(
    row: QuoteAddress, state: CartState, region_codes: dict[int, str]
) -> dict[str, Any]:
    region = None
    if row.region or row.region_id:
        code = region_codes.get(row.region_id, row.region) if row.region_id else row.region
        region = CartAddressRegion(code=code, label=row.region, region_id=row.region_id)
    return {
        "row": row,
        "state": state,
        "city": row.city or "",
        "company": row.company,
        "country": CartAddressCountry(code=row.country_id or "", label=row.country_id or ""),
        "custom_attributes": [],
        "customer_address_uid": strawberry.ID(encode_uid(row.customer_address_id))
        if row.customer_address_id is not None
        else None,
        "fax": row.fax,
        "firstname": row.firstname or "",
        "id": row.customer_address_id,
        "lastname": row.lastname or "",
        "middlename": row.middlename,
        "postcode": row.postcode,
        "prefix": row.prefix,
        "region": region,
        "street": _street(row),
        "suffix": row.suffix,
        "telephone": row.telephone,
        "uid": strawberry.ID(encode_uid(row.address_id)),
        "vat_id": row.vat_id,
    }


async def _available_shipping_methods(
    root: ShippingCartAddress,
) -> list[AvailableShippingMethod | None] | None:
    totals = await root.state.totals()
    money = root.state.money
    return [
        AvailableShippingMethod(
            amount=money(r.amount),
            available=True,
            base_amount=money(r.amount),
            carrier_code=r.carrier_code,
            carrier_title=r.carrier_title,
            error_message="",
            method_code=r.method_code,
            method_title=r.method_title,
            price_excl_tax=money(r.amount),
            price_incl_tax=money(r.amount),
        )
        for r in totals.shipping_rates
    ]


async def _selected_shipping_method(root: ShippingCartAddress) -> SelectedShippingMethod | None:
    rate = (await root.state.totals()).selected_shipping
    if rate is None:
        return None
    money = root.state.money
    return SelectedShippingMethod(
        amount=money(rate.amount),
        base_amount=money(rate.amount),
        carrier_code=rate.carrier_code,
        carrier_title=rate.carrier_title,
        method_code=rate.method_code,
        method_title=rate.method_title,
        price_excl_tax=money(rate.amount),
        price_incl_tax=money(rate.amount),
    )


async def _cart_items_quantities(root: ShippingCartAddress) -> list[CartItemQuantity | None] | None:
    totals = await root.state.totals()
    return [
        CartItemQuantity(cart_item_id=line.item.item_id, quantity=float(line.item.qty))
        for line in totals.lines
    ]


async def _cart_items_v2(root: ShippingCartAddress) -> list[CartItemInterface | None] | None:
    totals = await root.state.totals()
    return [cart_item_of(root.state, line) for line in totals.lines]


async def _items_weight(root: ShippingCartAddress) -> float | None:
    totals = await root.state.totals()
    return float(
        sum(
            (Decimal(x.sold.weight or 0) * Decimal(x.item.qty) for x in totals.lines),
            Decimal(0),
        )
    )


@strawberry.type(description="Contains shipping addresses and methods.")
class ShippingCartAddress(CartAddressInterface):
    available_shipping_methods: list[AvailableShippingMethod | None] | None = strawberry.field(
        resolver=_available_shipping_methods,
        description="An array that lists the shipping methods that can be applied to the cart.",
    )
    cart_items: list[CartItemQuantity | None] | None = strawberry.field(
        resolver=_cart_items_quantities,
        description="The cart items and their quantities.",
        deprecation_reason="Use `cart_items_v2` instead.",
    )
    cart_items_v2: list[CartItemInterface | None] | None = strawberry.field(
        resolver=_cart_items_v2, description="An array that lists the items in the cart."
    )
    customer_notes: str | None = strawberry.field(description="Text provided by the shopper.")
    items_weight: float | None = strawberry.field(
        resolver=_items_weight,
        description="The weight of the items shipped.",
        deprecation_reason="This information should not be exposed on the frontend.",
    )
    pickup_location_code: str | None = strawberry.field(
        description="The code of the In-Store Pickup location (none here)."
    )
    same_as_billing: bool = strawberry.field(
        description="Indicates whether the shipping address is same as billing address."
    )
    selected_shipping_method: SelectedShippingMethod | None = strawberry.field(
        resolver=_selected_shipping_method,
        description="An object that describes the selected shipping method.",
    )


@strawberry.type(description="Contains details about the billing address.")
class BillingCartAddress(CartAddressInterface):
    customer_notes: str | None = strawberry.field(
        description="Text provided by the shopper.",
        deprecation_reason="The field is used only in shipping address.",
    )


def shipping_address_of(
    row: QuoteAddress, state: CartState, region_codes: dict[int, str]
) -> ShippingCartAddress:
    return ShippingCartAddress(
        **_address_fields(row, state, region_codes),
        customer_notes=None,
        pickup_location_code=None,
        same_as_billing=row.same_as_billing,
    )


def billing_address_of(
    row: QuoteAddress, state: CartState, region_codes: dict[int, str]
) -> BillingCartAddress:
    return BillingCartAddress(**_address_fields(row, state, region_codes), customer_notes=None)


# --- the cart -----------------------------------------------------------------------------------


@strawberry.type(description="A cart rule applied to the cart.")
class CartRuleStorefront:
    uid: strawberry.ID = strawberry.field(description="The unique ID for a `CartRule` object.")


async def _region_codes(totals: Totals) -> dict[int, str]:
    ids = [
        a.region_id
        for a in (totals.shipping_address, totals.billing_address)
        if a is not None and a.region_id is not None
    ]
    return await carts.region_codes(ids)


async def _available_payment_methods(root: Cart) -> list[AvailablePaymentMethod | None] | None:
    totals = await root.state.totals()
    methods = carts.available_payment_methods(totals, root.state.stores, root.state.store)
    return [AvailablePaymentMethod(code=m.code, is_deferred=False, title=m.title) for m in methods]


async def _billing_address(root: Cart) -> BillingCartAddress | None:
    totals = await root.state.totals()
    if totals.billing_address is None:
        return None
    return billing_address_of(totals.billing_address, root.state, await _region_codes(totals))


async def _items(root: Cart) -> list[CartItemInterface | None] | None:
    totals = await root.state.totals()
    return [cart_item_of(root.state, line) for line in totals.lines]


async def _items_v2(
    root: Cart,
    page_size: Annotated[
        int | None,
        strawberry.argument(
            name="pageSize", description="The maximum number of results to return at once."
        ),
    ] = 20,
    current_page: Annotated[
        int | None,
        strawberry.argument(
            name="currentPage", description="The page of results to return, counting from 1."
        ),
    ] = 1,
    sort: Annotated[
        QuoteItemsSortInput | None,
        strawberry.argument(description="The field to sort the items by, and the direction."),
    ] = None,
) -> CartItems | None:
    totals = await root.state.totals()
    lines, info = page_of_lines(
        totals.lines,
        20 if page_size is None else page_size,
        1 if current_page is None else current_page,
        sort,
    )
    return CartItems(
        items=[cart_item_of(root.state, line) for line in lines],
        page_info=info,
        total_count=len(totals.lines),
    )


async def _prices(root: Cart) -> CartPrices | None:
    return CartPrices.of(root.state, await root.state.totals())


async def _shipping_addresses(root: Cart) -> list[ShippingCartAddress | None]:
    totals = await root.state.totals()
    if totals.shipping_address is None:
        return []
    row = totals.shipping_address
    return [shipping_address_of(row, root.state, await _region_codes(totals))]


async def _selected_payment_method(root: Cart) -> SelectedPaymentMethod | None:
    code = root.state.quote.payment_method
    if not code:
        return None
    title = carts.payment_title(code, root.state.stores, root.state.store)
    return SelectedPaymentMethod(code=code, purchase_order_number=None, title=title)


async def _total_quantity(root: Cart) -> float:
    return float((await root.state.totals()).items_qty)


async def _applied_coupons(root: Cart) -> list[AppliedCoupon | None] | None:
    """The cart's coupon codes whose rule applies now, in the order they were applied."""
    totals = await root.state.totals()
    return [AppliedCoupon(code=code) for code in totals.coupon_codes]


async def _applied_coupon(root: Cart) -> AppliedCoupon | None:
    totals = await root.state.totals()
    return AppliedCoupon(code=totals.coupon_codes[0]) if totals.coupon_codes else None


async def _rules(root: Cart) -> list[CartRuleStorefront | None] | None:
    """The applied cart rules' uids, while `promo/graphql/share_applied_cart_rule` is on (null
    otherwise)."""
    state = root.state
    if not state.stores.config_flag(ConfigPath.SHARE_APPLIED_CART_RULE, state.store):
        return None
    totals = await state.totals()
    return [
        CartRuleStorefront(uid=strawberry.ID(encode_uid(rule_id)))
        for rule_id in totals.applied_rule_ids
    ]


async def _total_summary_quantity(root: Cart) -> float:
    """PWA Studio's cart-link count (magento2-pwa `SalesGraphQlAux\\CartConfig`): the quantity
    of every line while `checkout/cart_link/use_qty` is on (Magento's default), else the number
    of lines."""
    totals = await root.state.totals()
    if root.state.stores.config_flag(ConfigPath.CART_LINK_USE_QTY, root.state.store):
        return float(totals.items_qty)
    return float(len(totals.lines))


async def _gift_message(root: Cart) -> GiftMessage | None:
    message = await gift_messages.of_quote(root.state.quote)
    return None if message is None else GiftMessage.of(message)


async def _applied_reward_points(root: Cart) -> RewardPointsAmount | None:
    totals = await root.state.totals()
    currency = root.state.quote.quote_currency_code or root.state.store.website.base_currency_code
    return applied_reward_points(totals.reward, currency)


async def _applied_store_credit(root: Cart, info: Info) -> AppliedStoreCredit | None:
    totals = await root.state.totals()
    currency = root.state.quote.quote_currency_code or root.state.store.website.base_currency_code
    customer_id: int | None = root.state.quote.customer_id  # type: ignore[attr-defined]
    return await applied_store_credit(customer_id, totals.store_credit, info, currency)


@strawberry.type(
    description="Contains the contents and other details about a guest or customer cart."
)
class Cart:
    state: strawberry.Private[CartState]

    applied_reward_points: RewardPointsAmount | None = strawberry.field(
        resolver=_applied_reward_points,
        description="The amount of reward points applied to the cart.",
    )
    applied_store_credit: AppliedStoreCredit | None = strawberry.field(
        resolver=_applied_store_credit, description="Store credit information applied to the cart."
    )

    applied_coupon: AppliedCoupon | None = strawberry.field(
        resolver=_applied_coupon,
        description="The coupon code applied to the cart.",
        deprecation_reason="Use `applied_coupons` instead.",
    )
    applied_coupons: list[AppliedCoupon | None] | None = strawberry.field(
        resolver=_applied_coupons,
        description="An array of `AppliedCoupon` objects. Each object contains the `code` text "
        "attribute, which specifies the coupon code.",
    )
    applied_gift_cards: list[AppliedGiftCard | None] | None = strawberry.field(
        description="An array of gift card items applied to the cart: always empty, gift card "
        "accounts are not part of mageseg."
    )
    available_payment_methods: list[AvailablePaymentMethod | None] | None = strawberry.field(
        resolver=_available_payment_methods, description="An array of available payment methods."
    )
    billing_address: BillingCartAddress | None = strawberry.field(
        resolver=_billing_address, description="The billing address assigned to the cart."
    )
    email: str | None = strawberry.field(description="The email address of the guest or customer.")
    gift_message: GiftMessage | None = strawberry.field(
        resolver=_gift_message, description="The entered gift message for the cart"
    )
    gift_receipt_included: bool = strawberry.field(
        description="Indicates whether the shopper requested gift receipt for the cart: never "
        "(gift receipts are not available)."
    )
    id: strawberry.ID = strawberry.field(description="The unique ID for a `Cart` object.")
    is_virtual: bool = strawberry.field(
        description="Indicates whether the cart contains only virtual products."
    )
    items: list[CartItemInterface | None] | None = strawberry.field(
        resolver=_items,
        description="An array of products that have been added to the cart.",
        deprecation_reason="Use `itemsV2` instead.",
    )
    itemsV2: CartItems | None = strawberry.field(
        resolver=_items_v2, description="A page of the products in the cart."
    )
    prices: CartPrices | None = strawberry.field(
        resolver=_prices, description="Pricing details for the quote."
    )
    printed_card_included: bool = strawberry.field(
        description="Indicates whether the shopper requested a printed card for the cart: never "
        "(printed cards are not available)."
    )
    rules: list[CartRuleStorefront | None] | None = strawberry.field(
        resolver=_rules, description="Provides applied cart rules in the current active cart"
    )
    selected_payment_method: SelectedPaymentMethod | None = strawberry.field(
        resolver=_selected_payment_method,
        description="Indicates which payment method was applied to the cart.",
    )
    shipping_addresses: list[ShippingCartAddress | None] = strawberry.field(
        resolver=_shipping_addresses,
        description="An array of shipping addresses assigned to the cart.",
    )
    total_quantity: float = strawberry.field(
        resolver=_total_quantity, description="The total number of items in the cart."
    )
    total_summary_quantity_including_config: float = strawberry.field(
        resolver=_total_summary_quantity,
        description="The total number of items in the cart: their quantities, or the number of "
        "lines when `checkout/cart_link/use_qty` is off.",
    )

    @classmethod
    async def of(cls, info: Info, quote: Quote) -> Cart:
        state = CartState(quote, await carts.masked_id_of(quote), await info.context.stores())
        return cls(
            state=state,
            applied_gift_cards=[],
            email=quote.customer_email,
            gift_receipt_included=False,
            id=strawberry.ID(state.masked_id),
            is_virtual=quote.is_virtual,
            printed_card_included=False,
        )


# --- mutation inputs and outputs ------------------------------------------------------------------


@strawberry.input(description="Optional client-generated ID for a new guest cart.")
class CreateGuestCartInput:
    cart_uid: strawberry.ID | None = strawberry.field(
        metadata=CART_ID, default=strawberry.UNSET, description="Optional client-generated ID"
    )


@strawberry.type(description="Contains details about the new guest cart.")
class CreateGuestCartOutput:
    cart: Cart | None = strawberry.field(description="The newly created cart.")


@strawberry.input(
    name="createEmptyCartInput", description="Assigns a specific `cart_id` to the empty cart."
)
class CreateEmptyCartInput:
    cart_id: str | None = strawberry.field(
        metadata=CART_ID, default=strawberry.UNSET, description="The ID to assign to the cart."
    )


@strawberry.input(description="Defines a customer-entered option.")
class EnteredOptionInput:
    uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `CustomizableOptionInterface` object, such as a "
        "`CustomizableFieldOption`, `CustomizableFileOption`, or `CustomizableAreaOption` object."
    )
    value: str = strawberry.field(description="Text the customer entered.")


@strawberry.input(description="Defines an item to be added to the cart.")
class CartItemInput:
    entered_options: list[EnteredOptionInput | None] | None = strawberry.field(
        default=strawberry.UNSET,
        description="An array of entered options for the base product, such as personalization "
        "text.",
    )
    parent_sku: str | None = strawberry.field(
        metadata=SKU,
        default=strawberry.UNSET,
        description="For a child product, the SKU of its parent product.",
    )
    quantity: float = strawberry.field(
        metadata=QUANTITY, description="The amount or number of an item to add."
    )
    selected_options: list[strawberry.ID | None] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The selected options for the base product, such as color or size, using the "
        "unique ID for an object such as `CustomizableRadioOption`, `CustomizableDropDownOption`, "
        "or `ConfigurableProductOptionsValues`.",
    )
    sku: str = strawberry.field(metadata=SKU, description="The SKU of the product.")


@strawberry.input(description="Defines a customizable option.")
class CustomizableOptionInput:
    id: int | None = strawberry.field(
        default=strawberry.UNSET, description="The customizable option ID of the product."
    )
    uid: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The unique ID for a `CartItemInterface` object."
    )
    value_string: str = strawberry.field(description="The string value of the option.")


@strawberry.input(description="A configurable product to add: its parent and the chosen child.")
class ConfigurableProductCartItemInput:
    customizable_options: list[CustomizableOptionInput | None] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The ID and value of the option (no product here has custom options).",
    )
    data: CartItemInput = strawberry.field(
        description="The quantity and SKU of the configurable product."
    )
    parent_sku: str | None = strawberry.field(
        metadata=SKU,
        default=strawberry.UNSET,
        description="The SKU of the parent configurable product.",
    )
    variant_sku: str | None = strawberry.field(
        metadata=SKU,
        default=strawberry.UNSET,
        description="The SKU of the child product.",
        deprecation_reason="Use `CartItemInput.sku` instead.",
    )


@strawberry.input(description="Defines the configurable products to add to the cart.")
class AddConfigurableProductsToCartInput:
    cart_id: str = strawberry.field(description="The ID of the cart.")
    cart_items: list[ConfigurableProductCartItemInput | None] = strawberry.field(
        description="An array of configurable products to add."
    )


@strawberry.type(description="Contains details about the cart after adding configurable products.")
class AddConfigurableProductsToCartOutput:
    cart: Cart = strawberry.field(description="The cart after adding products.")


@strawberry.input(description="Defines a single product to add to the cart.")
class SimpleProductCartItemInput:
    customizable_options: list[CustomizableOptionInput | None] | None = strawberry.field(
        default=strawberry.UNSET,
        description="An array that defines customizable options for the product (no product "
        "here has custom options).",
    )
    data: CartItemInput = strawberry.field(
        description="An object containing the `sku`, `quantity`, and other relevant information "
        "about the product."
    )


@strawberry.input(description="Defines the simple and group products to add to the cart.")
class AddSimpleProductsToCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    cart_items: list[SimpleProductCartItemInput | None] = strawberry.field(
        description="An array of simple and group items to add."
    )


@strawberry.type(
    description="Contains details about the cart after adding simple or group products."
)
class AddSimpleProductsToCartOutput:
    cart: Cart = strawberry.field(description="The cart after adding products.")


@strawberry.input(description="Defines the gift options applied to the cart.")
class SetGiftOptionsOnCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID that identifies the shopper's cart."
    )
    gift_message: GiftMessageInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Gift message details for the cart; left out (or with an empty text), the "
        "cart's message is removed.",
    )
    gift_receipt_included: bool = strawberry.field(
        description="Whether customer requested gift receipt for the cart (only false: gift "
        "receipts are not available)."
    )
    gift_wrapping_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The unique ID for a `GiftWrapping` object to be used for the cart (none "
        "exists here).",
    )
    printed_card_included: bool = strawberry.field(
        description="Whether customer requested printed card for the cart (only false: printed "
        "cards are not available)."
    )


@strawberry.type(description="Contains the cart after gift options have been applied.")
class SetGiftOptionsOnCartOutput:
    cart: Cart = strawberry.field(description="The modified cart object.")


@strawberry.enum(description="The kinds of problem adding or changing a cart item.")
class CartUserInputErrorType(Enum):
    PRODUCT_NOT_FOUND = strawberry.enum_value(
        "PRODUCT_NOT_FOUND", description="No product has this SKU."
    )
    NOT_SALABLE = strawberry.enum_value(
        "NOT_SALABLE", description="The product cannot be sold here."
    )
    INSUFFICIENT_STOCK = strawberry.enum_value(
        "INSUFFICIENT_STOCK", description="Not enough of the product is in stock."
    )
    COULD_NOT_FIND_CART_ITEM = strawberry.enum_value(
        "COULD_NOT_FIND_CART_ITEM", description="The cart has no such item."
    )
    REQUIRED_PARAMETER_MISSING = strawberry.enum_value(
        "REQUIRED_PARAMETER_MISSING", description="A required value is missing."
    )
    INVALID_PARAMETER_VALUE = strawberry.enum_value(
        "INVALID_PARAMETER_VALUE", description="A value is not acceptable, such as a quantity."
    )
    UNDEFINED = strawberry.enum_value("UNDEFINED", description="Another problem.")
    PERMISSION_DENIED = strawberry.enum_value(
        "PERMISSION_DENIED", description="The caller may not do this."
    )


@strawberry.interface(description="An error encountered while adding an item to the the cart.")
class Error:
    code: CartUserInputErrorType = strawberry.field(description="A cart-specific error code.")
    message: str = strawberry.field(description="A localized error message.")


@strawberry.type(description="An error encountered while adding or changing a cart item.")
class CartUserInputError(Error):
    pass


@strawberry.type(description="An error about the stock of a product added to the cart.")
class InsufficientStockError(Error):
    quantity: float | None = strawberry.field(description="Amount of available stock")


def errors_of(errors: Sequence[carts.CartItemError]) -> list[Error | None]:
    result: list[Error | None] = []
    for error in errors:
        code = CartUserInputErrorType(error.code.value)
        if error.code is carts.CartErrorCode.INSUFFICIENT_STOCK and error.available is not None:
            result.append(
                InsufficientStockError(
                    code=code, message=error.message, quantity=float(error.available)
                )
            )
        else:
            result.append(CartUserInputError(code=code, message=error.message))
    return result


@strawberry.type(description="Contains details about the cart after adding products to it.")
class AddProductsToCartOutput:
    cart: Cart = strawberry.field(description="The cart after products have been added.")
    user_errors: list[Error | None] = strawberry.field(
        description="Contains errors encountered while adding an item to the cart."
    )


@strawberry.input(description="A single item to be updated.")
class CartItemUpdateInput:
    cart_item_id: int | None = strawberry.field(
        default=strawberry.UNSET, description="Deprecated. Use `cart_item_uid` instead."
    )
    cart_item_uid: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The unique ID for a `CartItemInterface` object."
    )
    quantity: float | None = strawberry.field(
        metadata=QUANTITY, default=strawberry.UNSET, description="The new quantity of the item."
    )


@strawberry.input(description="Modifies the specified items in the cart.")
class UpdateCartItemsInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    cart_items: list[CartItemUpdateInput | None] = strawberry.field(
        description="An array of items to be updated."
    )


@strawberry.type(description="Contains details about the cart after updating items.")
class UpdateCartItemsOutput:
    cart: Cart = strawberry.field(description="The cart after updating products.")
    errors: list[CartUserInputError | None] = strawberry.field(
        description="Contains errors encountered while updating an item to the cart."
    )


@strawberry.input(description="Specifies which items to remove from the cart.")
class RemoveItemFromCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    cart_item_id: int | None = strawberry.field(
        default=strawberry.UNSET, description="Deprecated. Use `cart_item_uid` instead."
    )
    cart_item_uid: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Required field. The unique ID for a `CartItemInterface` object.",
    )


@strawberry.type(description="Contains details about the cart after removing an item.")
class RemoveItemFromCartOutput:
    cart: Cart = strawberry.field(description="The cart after removing an item.")


@strawberry.input(description="Defines the billing or shipping address to be applied to the cart.")
class CartAddressInput:
    city: str = strawberry.field(
        description="The city specified for the billing or shipping address."
    )
    company: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The company specified for the billing or shipping address.",
    )
    country_code: str = strawberry.field(
        description="The country code and label for the billing or shipping address.",
    )
    custom_attributes: list[AttributeValueInput | None] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The custom attribute values of the billing or shipping address.",
    )
    fax: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's fax number."
    )
    firstname: str = strawberry.field(description="The first name of the customer or guest.")
    lastname: str = strawberry.field(description="The last name of the customer or guest.")
    middlename: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The middle name of the person associated with the billing/shipping address.",
    )
    postcode: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The ZIP or postal code of the billing or shipping address.",
    )
    prefix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="An honorific, such as Dr., Mr., or Mrs.",
    )
    region: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A string that defines the state or province of the billing or shipping "
        "address.",
    )
    region_id: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="An integer that defines the state or province of the billing or shipping "
        "address.",
    )
    save_in_address_book: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Determines whether to save the address in the customer's address book. The "
        "default value is true.",
    )
    street: list[str | None] = strawberry.field(
        description="An array containing the street for the billing or shipping address."
    )
    suffix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A value such as Sr., Jr., or III.",
    )
    telephone: str = strawberry.field(
        description="The telephone number for the billing or shipping address."
    )
    vat_id: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The VAT company number for billing or shipping address.",
    )


@strawberry.input(description="Defines a single shipping address.")
class ShippingAddressInput:
    address: CartAddressInput | None = strawberry.field(
        default=strawberry.UNSET, description="Defines a shipping address."
    )
    customer_address_id: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="An ID from the customer's address book that uniquely identifies the address "
        "to be used for shipping.",
    )
    customer_address_uid: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The unique ID from the customer's address book that uniquely identifies the "
        "address to be used for shipping.",
    )
    customer_notes: str | None = strawberry.field(
        metadata=LONG_TEXT, default=strawberry.UNSET, description="Text provided by the shopper."
    )
    pickup_location_code: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The code of Pickup Location which will be used for In-Store Pickup.",
    )


@strawberry.input(description="Specifies an array of addresses to use for shipping.")
class SetShippingAddressesOnCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    shipping_addresses: list[ShippingAddressInput | None] = strawberry.field(
        description="An array of shipping addresses."
    )


@strawberry.type(
    description="Contains details about the cart after setting the shipping addresses."
)
class SetShippingAddressesOnCartOutput:
    cart: Cart = strawberry.field(description="The cart after setting the shipping addresses.")


@strawberry.input(description="Defines the billing address.")
class BillingAddressInput:
    address: CartAddressInput | None = strawberry.field(
        default=strawberry.UNSET, description="Defines a billing address."
    )
    customer_address_id: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="An ID from the customer's address book that uniquely identifies the address "
        "to be used for billing.",
    )
    customer_address_uid: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The unique ID from the customer's address book that uniquely identifies the "
        "address to be used for billing.",
    )
    same_as_shipping: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether to set the billing address to be the same as the existing "
        "shipping address on the cart.",
    )
    use_for_shipping: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether to set the shipping address to be the same as this billing "
        "address.",
    )


@strawberry.input(description="Sets the billing address.")
class SetBillingAddressOnCartInput:
    billing_address: BillingAddressInput = strawberry.field(description="The billing address.")
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )


@strawberry.type(description="Contains details about the cart after setting the billing address.")
class SetBillingAddressOnCartOutput:
    cart: Cart = strawberry.field(description="The cart after setting the billing address.")


@strawberry.input(description="Defines the shipping carrier and method.")
class ShippingMethodInput:
    carrier_code: str = strawberry.field(
        description="A string that identifies a commercial carrier or an offline delivery method."
    )
    method_code: str = strawberry.field(
        description="A string that indicates which service a commercial carrier will use to ship "
        "items."
    )


@strawberry.input(description="Applies one or shipping methods to the cart.")
class SetShippingMethodsOnCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    shipping_methods: list[ShippingMethodInput | None] = strawberry.field(
        description="An array of shipping methods."
    )


@strawberry.type(description="Contains details about the cart after setting the shipping methods.")
class SetShippingMethodsOnCartOutput:
    cart: Cart = strawberry.field(description="The cart after setting the shipping methods.")


@strawberry.input(
    description="Braintree's payment details (accepted; no Braintree method is available)."
)
class BraintreeInput:
    """Braintree's payment details, as Magento_Braintree declares them. Accepted for Venia's
    checkout; no Braintree method is available here, so a cart choosing `braintree` is refused
    with Magento's "The requested Payment Method is not available." and another method ignores
    them (as Magento ignores another method's additional data)."""

    device_data: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=strawberry.UNSET,
        description="Contains a fingerprint provided by Braintree JS SDK and should be sent with "
        "sale transaction details to the Braintree payment gateway.",
    )
    is_active_payment_token_enabler: bool = strawberry.field(
        description="States whether the payment details (Credit/Debit Card, PayPal Account) "
        "entered by a customer should be tokenized for later usage."
    )
    payment_method_nonce: str = strawberry.field(
        metadata=LONG_TEXT,
        description="The one-time payment token generated by Braintree payment gateway based on "
        "payment details (Card, PayPal). Required field to make sale transaction.",
    )


@strawberry.input(description="Defines the payment method.")
class PaymentMethodInput:
    braintree: BraintreeInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="Braintree's payment details (accepted; no Braintree method is available).",
    )
    code: str = strawberry.field(
        metadata=length(128), description="The internal name for the payment method."
    )
    purchase_order_number: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The purchase order number. Optional for most payment methods.",
    )


@strawberry.input(description="Applies a payment method to the cart.")
class SetPaymentMethodOnCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    payment_method: PaymentMethodInput = strawberry.field(
        description="The payment method data to apply to the cart."
    )


@strawberry.type(description="Contains details about the cart after setting the payment method.")
class SetPaymentMethodOnCartOutput:
    cart: Cart = strawberry.field(description="The cart after setting the payment method.")


@strawberry.input(description="Defines the guest email and cart.")
class SetGuestEmailOnCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    email: str = strawberry.field(description="The email address of the guest.")


@strawberry.type(description="Contains details about the cart after setting the email of a guest.")
class SetGuestEmailOnCartOutput:
    cart: Cart = strawberry.field(description="The cart after setting the guest email.")


# --- admin: tax rates -----------------------------------------------------------------------------


@strawberry.type(
    description="A tax rate (`tax_calculation_rate`) and the tax classes it applies to (admin "
    "token required)."
)
class TaxRate:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the rate.")
    id: int = strawberry.field(description="Magento's numeric `tax_calculation_rate_id`.")
    code: str = strawberry.field(
        description="The rate's unique code, shown as the tax label in carts."
    )
    tax_country_id: str = strawberry.field(description="The country the rate applies in.")
    tax_region_id: int = strawberry.field(
        description="The region it applies in; 0 for every region of the country."
    )
    tax_postcode: str = strawberry.field(
        description="The postcode it applies to: `*` for any, `787*` for a prefix, else exact."
    )
    rate: float = strawberry.field(description="The percentage, such as 8.25.")
    customer_tax_class_ids: list[int] = strawberry.field(
        description="The customer tax classes (of customer groups) it applies to."
    )
    product_tax_class_ids: list[int] = strawberry.field(
        description="The product tax classes it applies to."
    )

    @classmethod
    def of(cls, saved: SavedRate) -> TaxRate:
        row = saved.row
        return cls(
            uid=strawberry.ID(encode_uid(row.tax_calculation_rate_id)),
            id=row.tax_calculation_rate_id,
            code=row.code,
            tax_country_id=row.tax_country_id,
            tax_region_id=row.tax_region_id,
            tax_postcode=row.tax_postcode,
            rate=float(row.rate),
            customer_tax_class_ids=saved.customer_tax_class_ids,
            product_tax_class_ids=saved.product_tax_class_ids,
        )


@strawberry.type(description="A page of tax rates.")
class TaxRates:
    items: list[TaxRate] = strawberry.field(description="The rates on this page, by code.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many rates match.")


@strawberry.input(description="A tax rate to create or change; omitted fields stay as they are.")
class TaxRateInput:
    code: str | None = strawberry.field(
        default=None, description="A unique code; required on create."
    )
    tax_country_id: CountryCodeEnum | None = strawberry.field(
        default=None, description="The country; required on create."
    )
    tax_region_id: int | None = strawberry.field(
        default=None, description="A region of that country, or 0 for all (the default)."
    )
    tax_postcode: str | None = strawberry.field(
        default=None,
        description="`*` (the default) for any postcode, `787*` a prefix, or one.",
    )
    rate: str | None = strawberry.field(
        default=None, description="The percentage as a decimal string; required on create."
    )
    customer_tax_class_ids: list[int] | None = strawberry.field(
        default=None, description="Replaces the linked customer tax classes when given."
    )
    product_tax_class_ids: list[int] | None = strawberry.field(
        default=None, description="Replaces the linked product tax classes when given."
    )


@strawberry.type(description="The result of saving a tax rate.")
class TaxRateOutput:
    tax_rate: TaxRate | None = strawberry.field(
        description="The rate after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a tax rate.")
class DeleteTaxRateOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted rate; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the rate was not deleted; empty on success."
    )


def page_info(current_page: int, page_size: int, total: int) -> SearchResultPageInfo:
    return SearchResultPageInfo(
        current_page=current_page,
        page_size=page_size,
        total_pages=-(-total // page_size) if total else 0,
    )


# Implementations reached only through an interface, for `graph/schema.py` to name.
CART_TYPES: list[type] = [
    SimpleCartItem,
    VirtualCartItem,
    ConfigurableCartItem,
    ShippingCartAddress,
    BillingCartAddress,
    CartUserInputError,
    InsufficientStockError,
]
