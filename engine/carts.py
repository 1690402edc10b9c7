"""Carts, as Magento's Quote module and QuoteGraphQl resolvers keep them.

A cart is a `quote` known to clients by the 32-character `masked_id` of `quote_id_mask` (customer
carts have one too). `cart_for_caller` is Magento's `GetCartForUser`: a guest cart is usable by
anyone holding its masked id but not by a signed-in customer (who merges it instead); a customer's
cart only with that customer's token. Admin tokens count as guests here, as integration tokens do
in Magento's storefront.

Every mutation is one transaction that ends with `collect_totals`, which recomputes prices, tax
(`engine.tax`) and flat-rate shipping and persists them on `quote`, `quote_item` and
`quote_address`, so that segment conditions read columns. Reads use `compute_totals`, the same
computation without writing, as Magento's `CartPrices` resolver collects totals on every read.

Quantities are whole numbers: products have no `is_qty_decimal` flag here (Magento's default is
off), so a fractional quantity is refused as Magento refuses it for such products."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from engine import addresses as customer_addresses
from engine import checkout_balances, clock, configurable, permissions, prices, tax, views
from engine.auth import Viewer
from engine.catalog import is_in_stock
from engine.checkout_balances import AppliedCredit, AppliedReward
from engine.config import ConfigPath
from engine.errors import (
    AlreadyExists,
    InputInvalid,
    NoSuchEntity,
    NotAuthorized,
    Problem,
    ProblemCode,
    Problems,
)
from engine.invalidation import Topic, touch
from engine.pricing import final as final_pricing
from engine.salesrules import quote_totals
from engine.salesrules.calculator import Calculation, RuleDiscount
from engine.segments import events as segment_events
from engine.segments import membership
from engine.stores import StoresSnapshot, StoreView
from models import (
    AddressType,
    CataloginventoryStockItem,
    CatalogProductEntity,
    CatalogProductWebsite,
    CustomerEntity,
    CustomerGroup,
    CustomerVisitor,
    DirectoryCountryRegion,
    ProductStatus,
    ProductType,
    Quote,
    QuoteAddress,
    QuoteCoupon,
    QuoteIdMask,
    QuoteItem,
)
from models.groups import NOT_LOGGED_IN_GROUP_ID

MASK_LENGTH = 32
ZERO = Decimal("0.00")
MAX_SALE_QTY = Decimal(10000)
FLATRATE = "flatrate"
FLATRATE_METHOD = f"{FLATRATE}_{FLATRATE}"
CHECKMO = "checkmo"
FREE = "free"
# Magento's `general/country/optional_zip_countries` default.
OPTIONAL_ZIP_COUNTRIES = frozenset({"HK", "IE", "MO", "PA", "GB"})
CUSTOMER_NOT_AUTHORIZED = "The current customer isn't authorized."


# --- errors -------------------------------------------------------------------------------------


def cart_not_found(masked_id: str) -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f'Could not find a cart with ID "{masked_id}"', "cart_id")
    )


def _input(message: str, path: str = "", code: ProblemCode = ProblemCode.INVALID) -> InputInvalid:
    return InputInvalid(Problem(code, message, path))


def _required(name: str, path: str = "") -> InputInvalid:
    return _input(f'Required parameter "{name}" is missing', path, ProblemCode.REQUIRED)


class CartErrorCode(StrEnum):
    """Magento's `CartUserInputErrorType`."""

    PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND"
    NOT_SALABLE = "NOT_SALABLE"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    COULD_NOT_FIND_CART_ITEM = "COULD_NOT_FIND_CART_ITEM"
    REQUIRED_PARAMETER_MISSING = "REQUIRED_PARAMETER_MISSING"
    INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE"
    UNDEFINED = "UNDEFINED"
    PERMISSION_DENIED = "PERMISSION_DENIED"


@dataclass(frozen=True)
class CartItemError:
    """One refused line of `addProductsToCart` / `updateCartItems`; the others still apply.
    `available` is the stock left, for Magento's `InsufficientStockError.quantity`."""

    code: CartErrorCode
    message: str
    available: Decimal | None = None


QTY_NOT_POSITIVE = "The product quantity should be greater than 0"
QTY_NOT_WHOLE = "You cannot use decimal quantity for this product."
NOT_SALABLE = "Product that you are trying to add is not available."
OUT_OF_STOCK = "This product is out of stock"
QTY_NOT_AVAILABLE = "The requested qty is not available"
# `addConfigurableProductsToCart` (Magento's `SuperAttributeDataProvider`).
COULD_NOT_FIND_PRODUCT = "Could not find specified product."
CHILD_NOT_OF_PARENT = "The child product do not belong to the parent product."


# --- visitors and masks -------------------------------------------------------------------------


async def masked_id_of(quote: Quote) -> str:
    """The cart's masked id, created when it has none (Magento's `QuoteIdToMaskedQuoteId`)."""
    mask = await QuoteIdMask.get_or_none(quote_id=quote.entity_id)
    if mask is None:
        mask = await QuoteIdMask.create(quote_id=quote.entity_id, masked_id=secrets.token_hex(16))
    return mask.masked_id


def _check_predefined_id(masked_id: str) -> None:
    if len(masked_id) != MASK_LENGTH:
        raise _input("Cart ID length should to be 32 symbols.", "input.cart_uid")


async def _assert_new_mask(masked_id: str, path: str) -> None:
    if await QuoteIdMask.exists(masked_id=masked_id):
        raise AlreadyExists(
            Problem(ProblemCode.ALREADY_EXISTS, f'Cart with ID "{masked_id}" already exists.', path)
        )


async def _new_quote(store: StoreView, customer: CustomerEntity | None, **values: Any) -> Quote:
    currency = store.website.base_currency_code
    if customer is None:
        group = await CustomerGroup.get(customer_group_id=NOT_LOGGED_IN_GROUP_ID)
        return await Quote.create(
            store_id=store.store_id,
            customer_is_guest=True,
            customer_group_id=NOT_LOGGED_IN_GROUP_ID,
            customer_tax_class_id=group.tax_class_id,  # type: ignore[attr-defined]
            base_currency_code=currency,
            quote_currency_code=currency,
            **values,
        )
    group = await CustomerGroup.get(customer_group_id=customer.group_id)  # type: ignore[attr-defined]
    return await Quote.create(
        store_id=store.store_id,
        customer_id=customer.entity_id,
        customer_is_guest=False,
        customer_email=customer.email,
        customer_group_id=group.customer_group_id,
        customer_tax_class_id=group.tax_class_id,  # type: ignore[attr-defined]
        base_currency_code=currency,
        quote_currency_code=currency,
        **values,
    )


@dataclass(frozen=True)
class NewGuestCart:
    quote: Quote
    masked_id: str
    visitor_session_id: str


async def create_guest_cart(
    viewer: Viewer, store: StoreView, cart_uid: str | None, visitor_session: str | None
) -> NewGuestCart:
    """Magento's `createGuestCart`: customers are sent to `customerCart`; a client may choose the
    masked id (32 characters, unused). The cart belongs to the caller's visitor (`engine.views`:
    the one its session id names, else a new one), whose session id is handed back."""
    if viewer.customer_id is not None:
        raise AlreadyExists(
            Problem(ProblemCode.ALREADY_EXISTS, "Use 'Query.customerCart' for logged in customer.")
        )
    async with in_transaction():
        if cart_uid is not None:
            _check_predefined_id(cart_uid)
            await _assert_new_mask(cart_uid, "input.cart_uid")
        visit = await views.start_visit(visitor_session)
        quote = await _new_quote(store, None, visitor_id=visit.visitor.visitor_id)
        masked = cart_uid or secrets.token_hex(16)
        await QuoteIdMask.create(quote_id=quote.entity_id, masked_id=masked)
        await quote_saved(quote)
    return NewGuestCart(quote, masked, visit.visitor.session_id)


async def create_empty_cart(
    viewer: Viewer, store: StoreView, cart_id: str | None, visitor_session: str | None
) -> tuple[str, str | None]:
    """Magento's deprecated `createEmptyCart`: a guest cart's masked id and its visitor's session
    id, or for a customer the masked id of their active cart (created when they have none; a
    predefined id is used only for a new cart)."""
    if viewer.customer_id is None:
        if cart_id is not None:
            _check_predefined_id(cart_id)
        created = await create_guest_cart(viewer, store, cart_id, visitor_session)
        return created.masked_id, created.visitor_session_id
    async with in_transaction():
        existing = await _active_customer_quote(viewer.customer_id)
        if existing is not None:
            return await masked_id_of(existing), None
        if cart_id is not None:
            _check_predefined_id(cart_id)
            await _assert_new_mask(cart_id, "input.cart_id")
        quote = await _create_customer_quote(viewer.customer_id, store)
        masked = cart_id or secrets.token_hex(16)
        await QuoteIdMask.create(quote_id=quote.entity_id, masked_id=masked)
        await quote_saved(quote)
    return masked, None


async def _active_customer_quote(customer_id: int) -> Quote | None:
    return (
        await Quote.filter(customer_id=customer_id, is_active=True)
        .order_by("-updated_at", "-entity_id")
        .first()
    )


async def _create_customer_quote(customer_id: int, store: StoreView) -> Quote:
    customer = await CustomerEntity.get(entity_id=customer_id)
    return await _new_quote(store, customer)


async def customer_cart(customer_id: int, store: StoreView) -> Quote:
    """Magento's `customerCart`: the customer's active cart, created when they have none, with a
    masked id; a cart last used in another store view of the website moves to this one."""
    async with in_transaction():
        quote = await _active_customer_quote(customer_id)
        if quote is None:
            quote = await _create_customer_quote(customer_id, store)
            await quote_saved(quote)
        elif quote.store_id != store.store_id:  # type: ignore[attr-defined]
            quote.store_id = store.store_id
            await quote.save(update_fields=["store_id", "updated_at"])
            await quote_saved(quote)
        await masked_id_of(quote)
    return quote


async def cart_for_caller(masked_id: str, viewer: Viewer, store: StoreView) -> Quote:
    """Magento's `GetCartForUser`: the active cart `masked_id` names, if the caller may use it."""
    mask = await QuoteIdMask.get_or_none(masked_id=masked_id) if masked_id else None
    quote = None if mask is None else await Quote.get_or_none(entity_id=mask.quote_id)  # type: ignore[attr-defined]
    if quote is None:
        raise cart_not_found(masked_id)
    if not quote.is_active:
        raise NoSuchEntity(Problem(ProblemCode.NOT_FOUND, "The cart isn't active.", "cart_id"))
    if quote.store_id != store.store_id:  # type: ignore[attr-defined]
        raise NoSuchEntity(
            Problem(
                ProblemCode.NOT_FOUND,
                f'Wrong store code specified for cart "{masked_id}"',
                "cart_id",
            )
        )
    owner = quote.customer_id  # type: ignore[attr-defined]
    if owner != viewer.customer_id:
        raise NotAuthorized(
            Problem(
                ProblemCode.PROTECTED,
                f'The current user cannot perform operations on cart "{masked_id}"',
                "cart_id",
            )
        )
    return quote


@dataclass(frozen=True)
class CartRef:
    """A cart as a client names it, with who is asking and where."""

    masked_id: str
    viewer: Viewer
    store: StoreView


async def quote_saved(quote: Quote, *also: str) -> None:
    """Magento's `sales_quote_save_commit_after` (with what a cart save fires alongside): the
    cart's cached answers die and its customer's segments listening to it are re-evaluated. Call
    at the end of every cart write, inside its transaction. `also` adds events fired with it."""
    touch(Topic.QUOTE, quote.entity_id)
    customer_id: int | None = quote.customer_id  # type: ignore[attr-defined]
    if customer_id is not None:
        await membership.customer_event(customer_id, (*also, segment_events.QUOTE_SAVE))


async def _locked(ref: CartRef) -> Quote:
    """`cart_for_caller` inside a transaction, holding the quote row on PostgreSQL."""
    quote = await cart_for_caller(ref.masked_id, ref.viewer, ref.store)
    locked = await Quote.filter(entity_id=quote.entity_id).select_for_update().first()
    return locked or quote


async def locked_cart(ref: CartRef) -> Quote:
    """The cart a mutation of another module writes, found, authorized and locked (call inside
    its transaction)."""
    return await _locked(ref)


# --- items --------------------------------------------------------------------------------------


def _qty_error(qty: Decimal) -> CartItemError | None:
    if qty <= 0:
        return CartItemError(CartErrorCode.INVALID_PARAMETER_VALUE, QTY_NOT_POSITIVE)
    if qty != qty.to_integral_value():
        return CartItemError(CartErrorCode.INVALID_PARAMETER_VALUE, QTY_NOT_WHOLE)
    if qty > MAX_SALE_QTY:
        return CartItemError(
            CartErrorCode.INSUFFICIENT_STOCK, f"The most you may purchase is {MAX_SALE_QTY}."
        )
    return None


def _stock_error(stock: CataloginventoryStockItem | None, qty: Decimal) -> CartItemError | None:
    if not is_in_stock(stock):
        return CartItemError(CartErrorCode.INSUFFICIENT_STOCK, OUT_OF_STOCK, Decimal(0))
    if stock is not None and stock.manage_stock and Decimal(stock.qty) < qty:
        return CartItemError(
            CartErrorCode.INSUFFICIENT_STOCK, QTY_NOT_AVAILABLE, Decimal(stock.qty)
        )
    return None


async def _salable(product: CatalogProductEntity, store: StoreView) -> bool:
    return product.status == ProductStatus.ENABLED and await CatalogProductWebsite.exists(
        product_id=product.entity_id, website_id=store.website.website_id
    )


@dataclass(frozen=True)
class ItemRequest:
    sku: str
    quantity: Decimal
    selected_options: tuple[str, ...] = ()
    """Option uids (`configurable/<attribute_id>/<value_index>` for a configurable product)."""
    parent_sku: str | None = None
    """`addConfigurableProductsToCart`: `sku` is the child of this configurable parent."""
    path: str = "cartItems"


LineKey = tuple[int, int | None]
"""A cart line's identity: its product and, for a configurable line, the chosen child."""


async def _visible_lines(quote_id: int) -> dict[LineKey, QuoteItem]:
    items = await QuoteItem.filter(quote_id=quote_id).order_by("item_id")
    children = {
        i.parent_item_id: i.product_id  # type: ignore[attr-defined]
        for i in items
        if i.parent_item_id is not None  # type: ignore[attr-defined]
    }
    return {
        (i.product_id, children.get(i.item_id)): i  # type: ignore[attr-defined]
        for i in items
        if i.parent_item_id is None and i.product_id is not None  # type: ignore[attr-defined]
    }


async def _new_line(
    quote_id: int,
    product: CatalogProductEntity,
    variant: CatalogProductEntity | None,
    qty: Decimal,
) -> QuoteItem:
    """A cart line; a configurable one is Magento's two rows: the parent (the child's sku, the
    parent's name) and the child with `parent_item_id`."""
    sold = variant or product
    line = await QuoteItem.create(
        quote_id=quote_id,
        product_id=product.entity_id,
        product_type=product.type_id.value,
        sku=sold.sku,
        name=product.name,
        qty=qty,
        weight=sold.weight,
    )
    if variant is not None:
        await QuoteItem.create(
            quote_id=quote_id,
            product_id=variant.entity_id,
            parent_item_id=line.item_id,
            product_type=variant.type_id.value,
            sku=variant.sku,
            name=variant.name,
            qty=qty,
            weight=variant.weight,
        )
    return line


class _Refused(Exception):
    def __init__(self, error: CartItemError) -> None:
        super().__init__(error.message)
        self.error = error


async def _chosen_variant(
    request: ItemRequest, product: CatalogProductEntity, store: StoreView
) -> tuple[CatalogProductEntity, CatalogProductEntity | None]:
    """(the line's product, its chosen child) for a request; raises `_Refused`."""
    if request.parent_sku is not None:
        parent = await CatalogProductEntity.get_or_none(sku=request.parent_sku)
        if parent is None or parent.type_id != ProductType.CONFIGURABLE:
            raise _Refused(CartItemError(CartErrorCode.UNDEFINED, COULD_NOT_FIND_PRODUCT))
        config = await configurable.configuration_of(
            parent.entity_id, store.store_id, store.website.website_id
        )
        if all(v.product.entity_id != product.entity_id for v in config.children):
            raise _Refused(CartItemError(CartErrorCode.UNDEFINED, CHILD_NOT_OF_PARENT))
        return parent, product
    if product.type_id != ProductType.CONFIGURABLE:
        return product, None
    chosen: dict[int, int] = {}
    for index, uid in enumerate(request.selected_options):
        decoded = configurable.decode_option_uid(uid, f"{request.path}.selected_options.{index}")
        if decoded is not None:
            chosen[decoded[0]] = decoded[1]
    config = await configurable.configuration_of(
        product.entity_id, store.store_id, store.website.website_id
    )
    variant = config.child_for(chosen)
    if variant is None:
        raise _Refused(CartItemError(CartErrorCode.UNDEFINED, configurable.CHOOSE_OPTIONS))
    return product, variant.product


async def add_products(
    ref: CartRef,
    items: Sequence[ItemRequest],
    stores: StoresSnapshot,
    *,
    strict: bool = False,
) -> tuple[Quote, tuple[CartItemError, ...]]:
    """Magento's `addProductsToCart`: each line is checked on its own; refused lines are
    reported, the others added (a product already in the cart gets its quantity raised). A
    configurable product is added as the child its selected options name.

    `strict` is the older `add<Type>ProductsToCart` behaviour: the first refused line fails
    the whole request with "Could not add the product with SKU ... to the shopping cart: ..."."""
    errors: list[CartItemError] = []
    async with in_transaction():
        quote = await _locked(ref)
        lines = await _visible_lines(quote.entity_id)
        changed = False
        for request in items:
            try:
                problem = _qty_error(request.quantity)
                if problem is not None:
                    raise _Refused(problem)
                product = await CatalogProductEntity.get_or_none(sku=request.sku)
                if product is None:
                    if strict:
                        raise NoSuchEntity(
                            Problem(
                                ProblemCode.NOT_FOUND,
                                f'Could not find a product with SKU "{request.sku}"',
                                request.path,
                            )
                        )
                    raise _Refused(
                        CartItemError(
                            CartErrorCode.PRODUCT_NOT_FOUND,
                            f'Could not find a product with SKU "{request.sku}"',
                        )
                    )
                owner: int | None = quote.customer_id  # type: ignore[attr-defined]
                product, variant = await _chosen_variant(request, product, ref.store)
                for checked in (product, variant):
                    if checked is None:
                        continue
                    if not await permissions.may_add_to_cart(
                        stores, ref.store, owner, checked.entity_id
                    ):
                        raise _Refused(
                            CartItemError(
                                CartErrorCode.PERMISSION_DENIED,
                                permissions.cannot_add_to_cart(request.sku),
                            )
                        )
                    if not await _salable(checked, ref.store):
                        raise _Refused(CartItemError(CartErrorCode.NOT_SALABLE, NOT_SALABLE))
                sold = variant or product
                key = (product.entity_id, variant.entity_id if variant is not None else None)
                line = lines.get(key)
                total = request.quantity + (Decimal(line.qty) if line is not None else 0)
                stock = await CataloginventoryStockItem.get_or_none(product_id=sold.entity_id)
                problem = _stock_error(stock, total) or _qty_error(total)
                if problem is not None:
                    raise _Refused(problem)
            except _Refused as refused:
                if strict:
                    raise InputInvalid(
                        Problem(
                            ProblemCode.INVALID,
                            f"Could not add the product with SKU {request.sku} to the shopping "
                            f"cart: {refused.error.message}",
                            request.path,
                        )
                    ) from None
                errors.append(refused.error)
                continue
            if line is None:
                lines[key] = await _new_line(quote.entity_id, product, variant, total)
            else:
                line.qty = total
                await line.save(update_fields=["qty", "updated_at"])
            changed = True
        if changed:
            await collect_totals(quote, stores)
            await quote_saved(quote)
    return quote, tuple(errors)


@dataclass(frozen=True)
class ItemUpdate:
    item_id: int | None
    quantity: Decimal | None
    path: str


async def update_items(
    ref: CartRef, updates: Sequence[ItemUpdate], stores: StoresSnapshot
) -> tuple[Quote, tuple[CartItemError, ...]]:
    """Magento's `updateCartItems`: a quantity of 0 removes the line. Missing parameters and
    unknown lines refuse the whole request; a quantity the stock or the rules refuse is reported
    and that line left as it is."""
    if not updates:
        raise _input('Required parameter "cart_items" is missing.', "input.cart_items")
    errors: list[CartItemError] = []
    async with in_transaction():
        quote = await _locked(ref)
        lines = {
            i.item_id: i
            for i in await QuoteItem.filter(quote_id=quote.entity_id, parent_item_id=None)
        }
        for update in updates:
            if update.item_id is None:
                raise _input(
                    'Required parameter "cart_item_uid" for "cart_items" is missing.',
                    update.path,
                    ProblemCode.REQUIRED,
                )
            if update.quantity is None:
                raise _input(
                    'Required parameter "quantity" for "cart_items" is missing.',
                    update.path,
                    ProblemCode.REQUIRED,
                )
            if update.item_id not in lines:
                raise NoSuchEntity(
                    Problem(
                        ProblemCode.NOT_FOUND,
                        f"Could not find cart item with id: {update.item_id}",
                        update.path,
                    )
                )
        changed = False
        for update in updates:
            assert update.item_id is not None
            assert update.quantity is not None
            line = lines[update.item_id]
            if update.quantity == 0:
                await line.delete()
                changed = True
                continue
            problem = _qty_error(update.quantity)
            if problem is None:
                child = await QuoteItem.get_or_none(parent_item_id=line.item_id)
                sold = child.product_id if child is not None else line.product_id  # type: ignore[attr-defined]
                stock = await CataloginventoryStockItem.get_or_none(product_id=sold)
                problem = _stock_error(stock, update.quantity)
            if problem is not None:
                errors.append(problem)
                continue
            line.qty = update.quantity
            await line.save(update_fields=["qty", "updated_at"])
            changed = True
        if changed:
            await collect_totals(quote, stores)
            await quote_saved(quote)
    return quote, tuple(errors)


async def remove_item(ref: CartRef, item_id: int, stores: StoresSnapshot) -> Quote:
    async with in_transaction():
        quote = await _locked(ref)
        deleted = await QuoteItem.filter(
            quote_id=quote.entity_id, item_id=item_id, parent_item_id=None
        ).delete()
        if not deleted:
            raise NoSuchEntity(
                Problem(
                    ProblemCode.NOT_FOUND,
                    f"Cart doesn't contain the {item_id} item.",
                    "input.cart_item_uid",
                )
            )
        await collect_totals(quote, stores)
        await quote_saved(quote)
    return quote


# --- addresses ----------------------------------------------------------------------------------

# The same free-text fields, with the same rules, as an address-book address.
ADDRESS_TEXT = customer_addresses.TEXT_FIELDS
ADDRESS_LIMITS = {"prefix": 40, "suffix": 40, "postcode": 20}


@dataclass(frozen=True)
class CartAddressData:
    """Magento's `CartAddressInput`; `country_code` is checked against ISO codes by the caller."""

    firstname: str = ""
    lastname: str = ""
    city: str = ""
    country_code: str = ""
    telephone: str = ""
    street: tuple[str | None, ...] = ()
    company: str | None = None
    middlename: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    postcode: str | None = None
    fax: str | None = None
    vat_id: str | None = None
    region: str | None = None
    region_id: int | None = None


@dataclass(frozen=True)
class AddressChoice:
    """One of Magento's `ShippingAddressInput` / `BillingAddressInput` address sources."""

    address: CartAddressData | None = None
    customer_address_id: int | None = None


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


async def _address_values(
    data: CartAddressData, path: str, stores: StoresSnapshot, store: StoreView
) -> dict[str, Any]:
    """Magento's `AbstractAddress::validate` on a cart address, every problem at once."""
    problems = Problems()

    def required(name: str, where: str) -> None:
        problems.add(ProblemCode.REQUIRED, f'"{name}" is required. Enter and try again.', where)

    for name in ("firstname", "lastname"):
        if _blank(getattr(data, name)):
            required(name, f"{path}.{name}")
    street = [line or "" for line in data.street]
    if not any(not _blank(line) for line in street):
        required("street", f"{path}.street")
    limit = stores.config_int(ConfigPath.STREET_LINES, store)
    if len(street) > limit:
        problems.add(
            ProblemCode.INVALID,
            f'"Street Address" cannot contain more than {limit} lines.',
            f"{path}.street.{limit}",
        )
    if _blank(data.city):
        required("city", f"{path}.city")
    if _blank(data.telephone):
        required("telephone", f"{path}.telephone")
    country = data.country_code.strip().upper()
    if not country:
        required("countryId", f"{path}.country_code")
    if _blank(data.postcode) and country and country not in OPTIONAL_ZIP_COUNTRIES:
        required("postcode", f"{path}.postcode")
    for name in ADDRESS_TEXT:
        value = getattr(data, name)
        limit = ADDRESS_LIMITS.get(name, 255)
        if value is not None and len(value) > limit:
            problems.add(
                ProblemCode.TOO_LONG,
                f'"{name}" length must be equal or less than {limit} characters.',
                f"{path}.{name}",
            )
    region_name, region_id = data.region, data.region_id
    if country:
        known = await DirectoryCountryRegion.filter(country_id=country)
        if known:
            by_id = {r.region_id: r for r in known}
            match = None
            if region_id is not None:
                match = by_id.get(region_id)
                if match is None:
                    problems.add(
                        ProblemCode.INVALID,
                        f'Invalid value of "{region_id}" provided for the regionId field.',
                        f"{path}.region_id",
                    )
            elif not _blank(data.region):
                wanted = (data.region or "").strip().upper()
                match = next(
                    (r for r in known if wanted in (r.code.upper(), r.default_name.upper())), None
                )
                if match is None:
                    required("regionId", f"{path}.region")
            else:
                required("regionId", f"{path}.region_id")
            if match is not None:
                region_name, region_id = match.default_name, match.region_id
        else:
            region_id = None
    problems.raise_if_any()
    values: dict[str, Any] = {name: getattr(data, name) for name in ADDRESS_TEXT}
    values.update(
        street="\n".join(street),
        country_id=country,
        region=region_name,
        region_id=region_id,
        customer_address_id=None,
    )
    return values


async def _values_of_choice(
    choice: AddressChoice,
    quote: Quote,
    kind: str,
    path: str,
    stores: StoresSnapshot,
    store: StoreView,
) -> dict[str, Any]:
    if choice.address is None and choice.customer_address_id is None:
        raise _input(
            f'The {kind} address must contain either "customer_address_id" or "address".',
            path,
            ProblemCode.REQUIRED,
        )
    if choice.address is not None and choice.customer_address_id is not None:
        raise _input(
            f'The {kind} address cannot contain "customer_address_id" and "address" at the '
            "same time.",
            path,
        )
    if choice.address is not None:
        return await _address_values(choice.address, f"{path}.address", stores, store)
    customer_id = quote.customer_id  # type: ignore[attr-defined]
    if customer_id is None:
        raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
    assert choice.customer_address_id is not None
    row = await customer_addresses.get(
        choice.customer_address_id, customer_id, f"{path}.customer_address_uid"
    )
    values: dict[str, Any] = {name: getattr(row, name) for name in ADDRESS_TEXT if name != "vat_id"}
    values.update(
        vat_id=row.vat_id,
        street=row.street,
        country_id=row.country_id,
        region=row.region,
        region_id=row.region_id,
        customer_address_id=row.entity_id,
    )
    return values


async def _save_address(
    quote: Quote, kind: AddressType, values: dict[str, Any], **extra: Any
) -> QuoteAddress:
    """Replace the cart's address of `kind`, keeping its row (and a chosen shipping method)."""
    row = await QuoteAddress.filter(quote_id=quote.entity_id, address_type=kind).first()
    all_values = {**values, **extra}
    if row is None:
        return await QuoteAddress.create(quote_id=quote.entity_id, address_type=kind, **all_values)
    row.update_from_dict(all_values)
    await row.save()
    return row


ADDRESS_COLUMNS = (*ADDRESS_TEXT, "street", "country_id", "region", "region_id")


def _copy(row: QuoteAddress) -> dict[str, Any]:
    return {
        **{name: getattr(row, name) for name in ADDRESS_COLUMNS},
        "customer_address_id": row.customer_address_id,
    }


async def set_shipping_address(
    ref: CartRef, choices: Sequence[AddressChoice], stores: StoresSnapshot
) -> Quote:
    """Magento's `setShippingAddressesOnCart`, with a single shipping address (multishipping is
    off). `save_in_address_book` is accepted but the address book is left alone."""
    if not choices:
        raise _required("shipping_addresses", "input.shipping_addresses")
    if len(choices) > 1:
        raise _input("You cannot specify multiple shipping addresses.", "input.shipping_addresses")
    async with in_transaction():
        quote = await _locked(ref)
        values = await _values_of_choice(
            choices[0], quote, "shipping", "input.shipping_addresses.0", stores, ref.store
        )
        await _save_address(quote, AddressType.SHIPPING, values, same_as_billing=False)
        await collect_totals(quote, stores)
        await quote_saved(quote)
    return quote


@dataclass(frozen=True)
class BillingRequest:
    choice: AddressChoice
    same_as_shipping: bool = False
    use_for_shipping: bool = False


async def set_billing_address(
    ref: CartRef, request: BillingRequest, stores: StoresSnapshot
) -> Quote:
    """Magento's `setBillingAddressOnCart`: an address, a saved customer address, or the shipping
    address (`same_as_shipping`); `use_for_shipping` also makes it the shipping address."""
    choice = request.choice
    path = "input.billing_address"
    from_shipping = (
        request.same_as_shipping and choice.address is None and choice.customer_address_id is None
    )
    async with in_transaction():
        quote = await _locked(ref)
        if choice.address is None and choice.customer_address_id is None and not from_shipping:
            raise _input(
                'The billing address must contain either "customer_address_id", "address", or '
                '"same_as_shipping".',
                path,
                ProblemCode.REQUIRED,
            )
        shipping = await QuoteAddress.filter(
            quote_id=quote.entity_id, address_type=AddressType.SHIPPING
        )
        if (
            request.same_as_shipping
            and choice.address is None
            and choice.customer_address_id is None
        ):
            if not shipping:
                raise _input(
                    'Could not use the "same_as_shipping" option, because the shipping address '
                    "has not been set.",
                    f"{path}.same_as_shipping",
                )
            values = _copy(shipping[0])
        else:
            values = await _values_of_choice(choice, quote, "billing", path, stores, ref.store)
        await _save_address(quote, AddressType.BILLING, values)
        if request.use_for_shipping and not request.same_as_shipping:
            if len(shipping) > 1:
                raise _input(
                    'Could not use the "use_for_shipping" option, because multiple shipping '
                    "addresses have already been set.",
                    f"{path}.use_for_shipping",
                )
            await _save_address(quote, AddressType.SHIPPING, values, same_as_billing=True)
        await collect_totals(quote, stores)
        await quote_saved(quote)
    return quote


async def set_guest_email(ref: CartRef, email: str) -> Quote:
    """Magento's `setGuestEmailOnCart`, so that a guest can place an order."""
    if _blank(email):
        raise _required("email", "input.email")
    if not _valid_email(email):
        raise _input("Invalid email format", "input.email")
    async with in_transaction():
        quote = await _locked(ref)
        if quote.customer_id is not None:  # type: ignore[attr-defined]
            raise _input("The request is not allowed for logged in customers", "input.email")
        quote.customer_email = email.strip()
        await quote.save(update_fields=["customer_email", "updated_at"])
        await quote_saved(quote)
    return quote


def _valid_email(email: str) -> bool:
    local, at, domain = email.strip().rpartition("@")
    return bool(at and local and "." in domain and " " not in email.strip())


# --- shipping and payment -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShippingRate:
    carrier_code: str
    carrier_title: str
    method_code: str
    method_title: str
    amount: Decimal

    @property
    def method(self) -> str:
        return f"{self.carrier_code}_{self.method_code}"


def flatrate(stores: StoresSnapshot, store: StoreView, shipped_qty: Decimal) -> ShippingRate | None:
    """Magento's `Flatrate` carrier: its price per item (`I`) or once per order (`O`)."""
    if not stores.config_flag(ConfigPath.FLATRATE_ACTIVE, store):
        return None
    price = Decimal(stores.config_value(ConfigPath.FLATRATE_PRICE, store) or "0")
    per_order = stores.config_value(ConfigPath.FLATRATE_TYPE, store).strip().upper() == "O"
    amount = price if per_order else price * shipped_qty
    return ShippingRate(
        FLATRATE,
        stores.config_value(ConfigPath.FLATRATE_TITLE, store),
        FLATRATE,
        stores.config_value(ConfigPath.FLATRATE_NAME, store),
        tax.round_money(amount),
    )


async def set_shipping_method(
    ref: CartRef, carrier_code: str, method_code: str, stores: StoresSnapshot
) -> Quote:
    """Magento's `setShippingMethodsOnCart` and `ShippingMethodManagement::apply`."""
    async with in_transaction():
        quote = await _locked(ref)
        totals = await compute_totals(quote, stores)
        if not totals.lines:
            raise _input(
                "The shipping method can't be set for an empty cart. Add an item to cart and "
                "try again."
            )
        if totals.is_virtual:
            raise _input(
                "The Cart includes virtual product(s) only, so a shipping address is not used."
            )
        shipping = totals.shipping_address
        if shipping is None or not shipping.country_id:
            raise _input("The shipping address is missing. Set the address and try again.")
        rate = next(
            (
                r
                for r in totals.shipping_rates
                if (r.carrier_code, r.method_code) == (carrier_code, method_code)
            ),
            None,
        )
        if rate is None:
            raise _input(
                f"Carrier with such method not found: {carrier_code}, {method_code}",
                "input.shipping_methods.0",
            )
        shipping.shipping_method = rate.method
        shipping.shipping_description = f"{rate.carrier_title} - {rate.method_title}"
        await shipping.save(update_fields=["shipping_method", "shipping_description", "updated_at"])
        await collect_totals(quote, stores)
        await quote_saved(quote)
    return quote


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    title: str


def available_payment_methods(
    totals: Totals, stores: StoresSnapshot, store: StoreView
) -> list[PaymentMethod]:
    """Check / money order while there is something to pay, `free` when the grand total is 0
    (Magento's `ZeroTotal` check hides every other method then)."""
    methods: list[PaymentMethod] = []
    if totals.grand_total > 0:
        if stores.config_flag(ConfigPath.CHECKMO_ACTIVE, store):
            methods.append(
                PaymentMethod(CHECKMO, stores.config_value(ConfigPath.CHECKMO_TITLE, store))
            )
    elif stores.config_flag(ConfigPath.FREE_PAYMENT_ACTIVE, store):
        methods.append(
            PaymentMethod(FREE, stores.config_value(ConfigPath.FREE_PAYMENT_TITLE, store))
        )
    return methods


def payment_title(code: str, stores: StoresSnapshot, store: StoreView) -> str:
    path = {CHECKMO: ConfigPath.CHECKMO_TITLE, FREE: ConfigPath.FREE_PAYMENT_TITLE}.get(code)
    return stores.config_value(path, store) if path is not None else code


async def set_payment_method(ref: CartRef, code: str, stores: StoresSnapshot) -> Quote:
    """Magento's `setPaymentMethodOnCart` and `PaymentMethodManagement::set`."""
    if _blank(code):
        raise _input(
            'Required parameter "code" for "payment_method" is missing.',
            "input.payment_method.code",
            ProblemCode.REQUIRED,
        )
    async with in_transaction():
        quote = await _locked(ref)
        totals = await compute_totals(quote, stores)
        if code not in {m.code for m in available_payment_methods(totals, stores, ref.store)}:
            raise _input(
                "The requested Payment Method is not available.", "input.payment_method.code"
            )
        if not totals.is_virtual and (
            totals.shipping_address is None or not totals.shipping_address.country_id
        ):
            raise _input("The shipping address is missing. Set the address and try again.")
        quote.payment_method = code
        await quote.save(update_fields=["payment_method", "updated_at"])
        await quote_saved(quote)
    return quote


# --- merging ------------------------------------------------------------------------------------


async def merge_carts(
    source_masked_id: str,
    destination_masked_id: str | None,
    viewer: Viewer,
    store: StoreView,
    stores: StoresSnapshot,
) -> Quote:
    """Magento's `mergeCarts`: the guest cart's lines go into the customer's cart (their active
    one when no destination is named), quantities of a product already there summed; the guest
    cart is deactivated, and its visitor is now known to be this customer."""
    if not source_masked_id:
        raise _required("source_cart_id", "source_cart_id")
    if destination_masked_id is not None and not destination_masked_id:
        raise _input('The parameter "destination_cart_id" cannot be empty', "destination_cart_id")
    if viewer.customer_id is None:
        raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
    async with in_transaction():
        if destination_masked_id is None:
            destination = await customer_cart(viewer.customer_id, store)
            destination_masked_id = await masked_id_of(destination)
        destination = await _locked(CartRef(destination_masked_id, viewer, store))
        guest = Viewer(viewer.kind)  # the source must be a guest cart: checked as a guest
        source = await _locked(CartRef(source_masked_id, guest, store))
        lines = await _visible_lines(destination.entity_id)
        products = {
            p.entity_id: p
            for p in await CatalogProductEntity.filter(
                entity_id__in=[
                    i.product_id  # type: ignore[attr-defined]
                    for i in await QuoteItem.filter(quote_id=source.entity_id)
                    if i.product_id is not None  # type: ignore[attr-defined]
                ]
            )
        }
        for key, item in (await _visible_lines(source.entity_id)).items():
            product = products.get(key[0])
            variant = products.get(key[1]) if key[1] is not None else None
            if product is None or (key[1] is not None and variant is None):
                continue
            line = lines.get(key)
            if line is None:
                lines[key] = await _new_line(
                    destination.entity_id, product, variant, Decimal(item.qty)
                )
            else:
                line.qty = Decimal(line.qty) + Decimal(item.qty)
                await line.save(update_fields=["qty", "updated_at"])
        source.is_active = False
        await source.save(update_fields=["is_active", "updated_at"])
        visitor_id = source.visitor_id  # type: ignore[attr-defined]
        if visitor_id is not None:
            await CustomerVisitor.filter(visitor_id=visitor_id, customer_id=None).update(
                customer_id=viewer.customer_id
            )
            if destination.visitor_id is None:  # type: ignore[attr-defined]
                destination.visitor_id = visitor_id
                await destination.save(update_fields=["visitor_id", "updated_at"])
        await collect_totals(destination, stores)
        # The guest cart (deactivated) and the customer's: one re-evaluation for the customer.
        touch(Topic.QUOTE, source.entity_id)
        if visitor_id is not None:
            touch(Topic.VISITOR, visitor_id)
        await quote_saved(destination)
    return destination


# --- totals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineTotals:
    item: QuoteItem
    product: CatalogProductEntity
    price: Decimal
    original_price: Decimal
    price_incl_tax: Decimal
    row_total: Decimal
    row_total_incl_tax: Decimal
    tax_percent: Decimal
    tax_amount: Decimal
    tax_label: str | None
    available: Decimal | None
    """Stock left when it is short of the line's quantity (`None`: enough)."""
    discount_amount: Decimal = ZERO
    """Cart price rule discounts on the line (`quote_item.discount_amount`)."""
    discount_percent: Decimal = ZERO
    discounts: tuple[RuleDiscount, ...] = ()
    """Each applied rule's discount on the line, in the order the rules took it."""
    applied_rule_ids: tuple[int, ...] = ()
    free_shipping: bool = False
    variant: CatalogProductEntity | None = None
    """The chosen child of a configurable line (`product` is the parent)."""

    @property
    def sold(self) -> CatalogProductEntity:
        """The product the line sells: the chosen child of a configurable line."""
        return self.variant or self.product


@dataclass(frozen=True)
class AppliedTax:
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Totals:
    currency: str
    lines: tuple[LineTotals, ...]
    is_virtual: bool
    subtotal: Decimal
    subtotal_incl_tax: Decimal
    tax_amount: Decimal
    shipping_amount: Decimal
    grand_total: Decimal
    applied_taxes: tuple[AppliedTax, ...]
    shipping_address: QuoteAddress | None
    billing_address: QuoteAddress | None
    shipping_rates: tuple[ShippingRate, ...] = field(default=())
    selected_shipping: ShippingRate | None = None
    discount_amount: Decimal = ZERO
    """Cart price rule discounts on the items (positive)."""
    shipping_discount_amount: Decimal = ZERO
    discounts: tuple[RuleDiscount, ...] = ()
    """Per rule: item discounts first, then shipping discounts (Magento's address discounts)."""
    applied_rule_ids: tuple[int, ...] = ()
    coupon_codes: tuple[str, ...] = ()
    """The cart's coupon codes that took effect, in the order they were applied."""
    discount_description: tuple[str, ...] = ()
    free_shipping: bool = False
    """A rule gave the whole shipment free shipping."""
    reward: AppliedReward | None = None
    """Reward points paying part of the grand total (`checkout_balances.collect`)."""
    store_credit: AppliedCredit | None = None
    """Store credit paying part of the grand total, after points."""

    @property
    def items_qty(self) -> Decimal:
        return sum((Decimal(line.item.qty) for line in self.lines), Decimal(0))

    @property
    def subtotal_with_discount(self) -> Decimal:
        return self.subtotal - self.discount_amount

    @property
    def total_discount(self) -> Decimal:
        return self.discount_amount + self.shipping_discount_amount


def store_of(stores: StoresSnapshot, store_id: int) -> StoreView:
    return next((s for s in stores.stores if s.store_id == store_id), stores.default_store())


def _tax_address(
    stores: StoresSnapshot,
    store: StoreView,
    shipping: QuoteAddress | None,
    billing: QuoteAddress | None,
    is_virtual: bool,
) -> tax.TaxAddress:
    """Magento's `tax/calculation/based_on`: the shipping address (the billing one for virtual
    carts or while no shipping address is set), or the billing address; the configured default
    destination while neither is known."""
    based_on = stores.config_value(ConfigPath.TAX_BASED_ON, store)
    candidates: list[QuoteAddress | None] = []
    if based_on == "shipping":
        candidates = [billing] if is_virtual else [shipping, billing]
    elif based_on == "billing":
        candidates = [billing]
    for address in candidates:
        if address is not None and address.country_id:
            return tax.TaxAddress(
                address.country_id, address.region_id or 0, address.postcode or ""
            )
    return tax.TaxAddress(
        stores.config_value(ConfigPath.TAX_DEFAULT_COUNTRY, store),
        int(stores.config_value(ConfigPath.TAX_DEFAULT_REGION, store) or 0),
        stores.config_value(ConfigPath.TAX_DEFAULT_POSTCODE, store),
    )


async def _customer_tax_class(quote: Quote) -> tuple[int, int | None]:
    """The quote's customer group (NOT LOGGED IN for guests) and that group's tax class."""
    group_id = NOT_LOGGED_IN_GROUP_ID
    customer_id = quote.customer_id  # type: ignore[attr-defined]
    if customer_id is not None:
        # One round trip: the customer's group and its tax class (the group is a foreign key).
        found = await CustomerEntity.filter(entity_id=customer_id).values_list(
            "group_id", "group__tax_class_id"
        )
        if found:
            group_id, tax_class_id = found[0]
            return int(group_id), None if tax_class_id is None else int(tax_class_id)
    group = await CustomerGroup.get_or_none(customer_group_id=group_id)
    return group_id, (group.tax_class_id if group is not None else None)  # type: ignore[attr-defined]


async def cart_rules(
    quote: Quote, stores: StoresSnapshot, *, every_rule: bool = False
) -> tuple[Calculation | None, Decimal]:
    """The cart price rule application of the cart as it stands, and its shipping amount
    (what `compute_totals` runs; `explainCartRules` asks for `every_rule`)."""
    return (await _priced(quote, stores, every_rule=every_rule)).rules_and_shipping()


@dataclass(frozen=True)
class _Priced:
    """The cart's lines priced before cart rules, the rule application and the shipping."""

    store: StoreView
    present: tuple[tuple[QuoteItem, CatalogProductEntity, Decimal], ...]
    variants: dict[int, CatalogProductEntity]
    """The chosen child of each configurable line, by the parent row's item id."""
    shipping: QuoteAddress | None
    billing: QuoteAddress | None
    is_virtual: bool
    group_id: int
    customer_class: int | None
    stock: dict[int, CataloginventoryStockItem]
    calculation: Calculation | None
    rates: tuple[ShippingRate, ...]
    selected: ShippingRate | None

    def rules_and_shipping(self) -> tuple[Calculation | None, Decimal]:
        return self.calculation, self.selected.amount if self.selected is not None else ZERO


def _variants(
    items: Sequence[QuoteItem], products: dict[int, CatalogProductEntity]
) -> dict[int, CatalogProductEntity]:
    """The child product of each configurable line (parent row item id -> child product)."""
    found: dict[int, CatalogProductEntity] = {}
    for item in items:
        parent_id: int | None = item.parent_item_id  # type: ignore[attr-defined]
        product = products.get(item.product_id)  # type: ignore[attr-defined]
        if parent_id is not None and product is not None:
            found[parent_id] = product
    return found


def _sold(
    item: QuoteItem,
    products: dict[int, CatalogProductEntity],
    variants: dict[int, CatalogProductEntity],
) -> CatalogProductEntity:
    """The product a line sells: its chosen child for a configurable line, else its product."""
    return variants.get(item.item_id) or products[item.product_id]  # type: ignore[attr-defined]


async def _priced(quote: Quote, stores: StoresSnapshot, *, every_rule: bool = False) -> _Priced:
    store = store_of(stores, quote.store_id)  # type: ignore[attr-defined]
    items = await QuoteItem.filter(quote_id=quote.entity_id).order_by("item_id")
    product_ids = [i.product_id for i in items if i.product_id is not None]  # type: ignore[attr-defined]
    products = {
        p.entity_id: p for p in await CatalogProductEntity.filter(entity_id__in=product_ids)
    }
    variants = _variants(items, products)
    stock = {
        s.product_id: s  # type: ignore[attr-defined]
        for s in await CataloginventoryStockItem.filter(product_id__in=product_ids)
    }
    rows = await QuoteAddress.filter(quote_id=quote.entity_id).order_by("address_id")
    shipping = next((a for a in rows if a.address_type == AddressType.SHIPPING), None)
    billing = next((a for a in rows if a.address_type == AddressType.BILLING), None)
    # Visible lines only: a configurable line's child row is read through `variants`.
    present = [
        i
        for i in items
        if i.parent_item_id is None  # type: ignore[attr-defined]
        and i.product_id in products  # type: ignore[attr-defined]
        and (
            products[i.product_id].type_id != ProductType.CONFIGURABLE  # type: ignore[attr-defined]
            or i.item_id in variants
        )
    ]
    is_virtual = bool(present) and all(
        _sold(i, products, variants).type_id == ProductType.VIRTUAL for i in present
    )
    group_id, customer_class = await _customer_tax_class(quote)
    today = prices.local_today(store.website.timezone)
    # A configurable line sells its child at the child's price (Magento's configurable price).
    book = await final_pricing.price_book(
        [_sold(i, products, variants) for i in present],
        store.website.website_id,
        group_id,
        today,
    )
    priced: list[tuple[QuoteItem, CatalogProductEntity, Decimal]] = []
    for item in present:
        product = products[item.product_id]  # type: ignore[attr-defined]
        qty = Decimal(item.qty)
        price = book.final(_sold(item, products, variants), qty)
        priced.append((item, product, price))
    calculation = await quote_totals.calculation(
        quote=quote,
        website_id=store.website.website_id,
        store_id=store.store_id,
        group_id=group_id,
        lines=[
            quote_totals.PricedLine(
                item.item_id,
                product,
                Decimal(item.qty),
                price,
                _sold(item, products, variants).type_id == ProductType.VIRTUAL,
                variants.get(item.item_id),
            )
            for item, product, price in priced
        ],
        address=billing if is_virtual else shipping,
        payment_method=quote.payment_method,
        today=today,
        now=clock.now(),
        every_rule=every_rule,
    )
    rates: tuple[ShippingRate, ...] = ()
    selected = None
    if priced and not is_virtual and shipping is not None and shipping.country_id:
        shipped = sum(
            (
                Decimal(item.qty)
                for item, _, _ in priced
                if _sold(item, products, variants).type_id != ProductType.VIRTUAL
            ),
            Decimal(0),
        )
        free_units = Decimal(0)
        free_all = False
        if calculation is not None:
            free = calculation.free_shipping()
            free_units = free.free_units(calculation.lines)
            free_all = free.address or free_units >= shipped
        flat = flatrate(stores, store, max(shipped - free_units, Decimal(0)))
        if flat is not None and free_all:
            flat = replace(flat, amount=ZERO)
        rates = (flat,) if flat is not None else ()
        selected = next((r for r in rates if r.method == shipping.shipping_method), None)
    return _Priced(
        store=store,
        present=tuple(priced),
        variants=variants,
        shipping=shipping,
        billing=billing,
        is_virtual=is_virtual,
        group_id=group_id,
        customer_class=customer_class,
        stock=stock,
        calculation=calculation,
        rates=rates,
        selected=selected,
    )


async def compute_totals(quote: Quote, stores: StoresSnapshot) -> Totals:
    """Every price of the cart as it stands now, without writing anything: catalog prices, cart
    price rules (`engine.salesrules`), free shipping, the shipping rate and its discount, and tax
    (on the row after its discount, `tax/calculation/apply_after_discount`, Magento's default;
    `row_total_incl_tax` and the price including tax stay before the discount, as Magento)."""
    priced = await _priced(quote, stores)
    store = priced.store
    table = await tax.rate_table(priced.customer_class)
    address = _tax_address(stores, store, priced.shipping, priced.billing, priced.is_virtual)
    shipping_amount = priced.selected.amount if priced.selected is not None else ZERO
    result = priced.calculation.apply(shipping_amount) if priced.calculation else None
    after_discount = stores.config_flag(ConfigPath.TAX_APPLY_AFTER_DISCOUNT, store)
    row_tax = tax.RowTax()
    row_tax_before = tax.RowTax()
    lines: list[LineTotals] = []
    applied: dict[str, Decimal] = {}
    for item, product, price in priced.present:
        qty = Decimal(item.qty)
        row_total = tax.round_money(price * qty)
        rate = table.rate_for(product.tax_class_id, address)  # type: ignore[attr-defined]
        rules = result.items.get(item.item_id) if result is not None else None
        discount = rules.amount if rules is not None else ZERO
        before = row_tax_before.of(row_total, rate)
        if after_discount and discount:
            row_tax_amount = row_tax.of(max(row_total - discount, ZERO), rate)
        else:
            row_tax_amount = row_tax.of(row_total, rate)
        percent = rate.percent if rate is not None else Decimal(0)
        if rate is not None and row_tax_amount:
            applied[rate.code] = applied.get(rate.code, ZERO) + row_tax_amount
        variant = priced.variants.get(item.item_id)
        sold = variant or product
        short = _stock_error(priced.stock.get(sold.entity_id), qty)
        lines.append(
            LineTotals(
                item=item,
                product=product,
                variant=variant,
                price=price,
                original_price=prices.round_price(Decimal(sold.price)),
                price_incl_tax=tax.round_money(price * (1 + percent / 100)),
                row_total=row_total,
                row_total_incl_tax=row_total + before,
                tax_percent=percent,
                tax_amount=row_tax_amount,
                tax_label=rate.code if rate is not None else None,
                available=None if short is None else short.available,
                discount_amount=discount,
                discount_percent=rules.percent if rules is not None else ZERO,
                discounts=rules.discounts if rules is not None else (),
                applied_rule_ids=rules.rule_ids if rules is not None else (),
                free_shipping=bool(rules.free_shipping) if rules is not None else False,
            )
        )
    subtotal = sum((line.row_total for line in lines), ZERO)
    subtotal_incl_tax = sum((line.row_total_incl_tax for line in lines), ZERO)
    tax_amount = sum((line.tax_amount for line in lines), ZERO)
    item_discount = result.item_discount if result is not None else ZERO
    shipping_discount = result.shipping_discount if result is not None else ZERO
    totals = Totals(
        currency=quote.quote_currency_code or store.website.base_currency_code,
        lines=tuple(lines),
        is_virtual=priced.is_virtual,
        subtotal=subtotal,
        subtotal_incl_tax=subtotal_incl_tax,
        tax_amount=tax_amount,
        shipping_amount=shipping_amount,
        grand_total=max(
            subtotal - item_discount + tax_amount + shipping_amount - shipping_discount, ZERO
        ),
        applied_taxes=tuple(AppliedTax(label, amount) for label, amount in sorted(applied.items())),
        shipping_address=priced.shipping,
        billing_address=priced.billing,
        shipping_rates=priced.rates,
        selected_shipping=priced.selected,
        discount_amount=item_discount,
        shipping_discount_amount=shipping_discount,
        discounts=result.discounts if result is not None else (),
        applied_rule_ids=result.applied_rule_ids if result is not None else (),
        coupon_codes=result.coupon_codes if result is not None else (),
        discount_description=result.description if result is not None else (),
        free_shipping=result.free_shipping.address if result is not None else False,
    )
    # The `reward` and `customerbalance` collectors, after the grand total (Magento's order).
    paid = await checkout_balances.collect(quote, totals.grand_total, store, stores)
    if paid.reward is None and paid.store_credit is None:
        return totals
    return replace(
        totals, grand_total=paid.grand_total, reward=paid.reward, store_credit=paid.store_credit
    )


def _ids(ids: Sequence[int]) -> str | None:
    """Magento's comma-separated `applied_rule_ids`."""
    return ",".join(str(i) for i in ids) or None


async def collect_totals(quote: Quote, stores: StoresSnapshot) -> None:
    """Recompute the cart's totals and persist them on the quote, its items and its shipping
    address (lines whose product was deleted are dropped, as Magento drops them). A shipping
    method that no longer applies is cleared, and so is a coupon whose rule no longer applies
    (Magento's `TotalsCollector::_validateCouponCode`)."""
    await _drop_orphans(quote)
    totals = await compute_totals(quote, stores)
    group_id, customer_class = await _customer_tax_class(quote)
    for line in totals.lines:
        item = line.item
        item.price = item.base_price = line.price
        item.original_price = line.original_price
        item.price_incl_tax = line.price_incl_tax
        item.row_total = item.base_row_total = line.row_total
        item.row_total_incl_tax = line.row_total_incl_tax
        item.tax_percent = line.tax_percent
        item.tax_amount = item.base_tax_amount = line.tax_amount
        item.discount_amount = item.base_discount_amount = line.discount_amount
        item.discount_percent = line.discount_percent
        item.applied_rule_ids = _ids(line.applied_rule_ids)  # type: ignore[assignment]
        item.free_shipping = line.free_shipping
        item.name = line.product.name
        item.weight = line.sold.weight
        item.row_weight = Decimal(line.sold.weight or 0) * Decimal(item.qty)
        await item.save()
        if line.variant is not None:
            # The child row follows its parent's quantity; its prices stay 0, as Magento's.
            await QuoteItem.filter(parent_item_id=item.item_id).update(qty=item.qty)
    shipping = totals.shipping_address
    if shipping is not None:
        shipping.shipping_amount = shipping.base_shipping_amount = totals.shipping_amount
        shipping.weight = sum((Decimal(line.item.row_weight) for line in totals.lines), Decimal(0))
        if totals.selected_shipping is None and shipping.shipping_method is not None:
            shipping.shipping_method = None
            shipping.shipping_description = None
    rules_address = totals.billing_address if totals.is_virtual else shipping
    for row in (totals.shipping_address, totals.billing_address):
        if row is None:
            continue
        ours = row is rules_address
        row.discount_amount = row.base_discount_amount = -totals.total_discount if ours else ZERO
        row.shipping_discount_amount = row.base_shipping_discount_amount = (
            totals.shipping_discount_amount if ours else ZERO
        )
        row.discount_description = ", ".join(totals.discount_description) if ours else None  # type: ignore[assignment]
        row.applied_rule_ids = _ids(totals.applied_rule_ids) if ours else None  # type: ignore[assignment]
        row.free_shipping = totals.free_shipping if ours else False
        await row.save()
    await _keep_applied_coupons(quote, totals.coupon_codes)
    quote.items_count = len(totals.lines)
    quote.items_qty = totals.items_qty
    quote.is_virtual = totals.is_virtual
    quote.customer_group_id = group_id
    quote.customer_tax_class_id = customer_class
    quote.subtotal = quote.base_subtotal = totals.subtotal
    quote.subtotal_with_discount = quote.base_subtotal_with_discount = totals.subtotal_with_discount
    quote.discount_amount = quote.base_discount_amount = -totals.total_discount
    quote.applied_rule_ids = _ids(totals.applied_rule_ids)
    quote.coupon_code = totals.coupon_codes[0] if totals.coupon_codes else None
    quote.tax_amount = quote.base_tax_amount = totals.tax_amount
    quote.shipping_amount = quote.base_shipping_amount = totals.shipping_amount
    quote.grand_total = quote.base_grand_total = totals.grand_total
    reward, credit = totals.reward, totals.store_credit
    quote.reward_points_balance = reward.points if reward is not None else 0
    quote.reward_currency_amount = quote.base_reward_currency_amount = (
        reward.amount if reward is not None else ZERO
    )
    quote.customer_balance_amount_used = quote.base_customer_bal_amount_used = (
        credit.amount if credit is not None else ZERO
    )
    await quote.save()


async def _drop_orphans(quote: Quote) -> None:
    """Drop lines whose product was deleted, and configurable lines that lost their parent or
    child row (Magento drops them)."""
    await QuoteItem.filter(quote_id=quote.entity_id, product_id=None).delete()
    rows = await QuoteItem.filter(quote_id=quote.entity_id).values_list(
        "item_id", "parent_item_id", "product_type"
    )
    ids = {int(r[0]) for r in rows}
    with_child = {int(r[1]) for r in rows if r[1] is not None}
    orphans = [
        int(item_id)
        for item_id, parent_id, kind in rows
        if (parent_id is not None and int(parent_id) not in ids)
        or (kind == ProductType.CONFIGURABLE.value and int(item_id) not in with_child)
    ]
    if orphans:
        await QuoteItem.filter(parent_item_id__in=orphans).delete()
        await QuoteItem.filter(item_id__in=orphans).delete()


async def _keep_applied_coupons(quote: Quote, applied: Sequence[str]) -> None:
    """Drop the cart's coupon rows whose rule did not apply."""
    await QuoteCoupon.filter(quote_id=quote.entity_id).exclude(code__in=list(applied)).delete()


async def region_codes(region_ids: Sequence[int]) -> dict[int, str]:
    """The directory code of each pre-defined region id, for presenting cart addresses."""
    if not region_ids:
        return {}
    rows = await DirectoryCountryRegion.filter(region_id__in=sorted(set(region_ids)))
    return {r.region_id: r.code for r in rows}
