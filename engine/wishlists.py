"""Wish lists, as Magento Open Source keeps them: one `wishlist` per customer, created on first use
(`Wishlist::loadByCustomerId($id, true)`), holding `wishlist_item` rows whose `added_at` is what
segment conditions read.

What the storefront mutations do, following Magento's `AddProductsToWishlist` and
`RemoveProductsFromWishlist` models:
- Each line is handled on its own: a bad line becomes a line error (`PRODUCT_NOT_FOUND` or
  `UNDEFINED`, Magento's messages) and the good lines are still written, all in one transaction.
- Adding a product the list already holds raises that item's quantity and keeps its `added_at`
  (`Wishlist::_addCatalogProduct`). A disabled product is refused; a product that is not visible
  on the storefront may be added, as in Magento, and is then hidden from the list (see below).
- A quantity whose integer part is 0 is refused (Magento checks `(int) quantity === 0`, so 0.5 is
  refused too); negative quantities are refused with Magento's number validation message.
  Quantities keep 4 decimals (the column's scale), rounded half up.
- Wish list ids are Magento's plain numbers. The id `0` stands for the caller's own list, as
  Magento's `(int) $args['wishlistId'] ?: null` makes it (PWA Studio sends `"0"`).

What the storefront shows, as Magento's item collection with `setVisibilityFilter()` and the
website's price index: items whose product is enabled, visible in the catalog or in search, and
sold on the store's website. Admins see every item."""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from tortoise.expressions import Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from engine import configurable, uids
from engine.errors import InputInvalid, NoSuchEntity, Problem, ProblemCode
from engine.segments import events, membership
from models import (
    CatalogProductEntity,
    CatalogProductWebsite,
    CustomerEntity,
    Wishlist,
    WishlistItem,
    WishlistItemOption,
)
from models.catalog import ProductStatus, ProductType, Visibility

CANNOT_OPERATE = "The current user cannot perform operations on wishlist"
NOT_FOUND = "The wishlist was not found."
ZERO_QUANTITY = "The quantity of a wish list item cannot be 0"
NEGATIVE_QUANTITY = "Please enter a number greater than 0 in this field."
DISABLED = "The product is disabled"
# The largest quantity `wishlist_item.qty` (decimal 12,4) holds; Magento has no message for it.
MAX_QUANTITY = Decimal("99999999.9999")
QUANTITY_SCALE = Decimal("0.0001")
DEFAULT_PAGE_SIZE = 20
VISIBLE_IN_SITE = (Visibility.IN_CATALOG, Visibility.IN_SEARCH, Visibility.BOTH)


class LineErrorCode(StrEnum):
    """Magento's `WishListUserInputErrorType`."""

    PRODUCT_NOT_FOUND = "PRODUCT_NOT_FOUND"
    UNDEFINED = "UNDEFINED"


@dataclass(frozen=True)
class LineError:
    code: LineErrorCode
    message: str


@dataclass(frozen=True)
class ItemRequest:
    """One `WishlistItemInput`: Magento looks the product up by `parent_sku` when given."""

    sku: str
    quantity: Decimal
    parent_sku: str | None = None
    selected_options: tuple[str, ...] = ()
    """Option uids; for a configurable product they choose its child."""


@dataclass(frozen=True)
class Outcome:
    """A wish list after a mutation, with the lines that were not applied."""

    wishlist: Wishlist
    errors: tuple[LineError, ...]


@dataclass(frozen=True)
class ItemPage:
    """A page of items with Magento collection semantics (see `item_page`)."""

    items: list[WishlistItem]
    page_size: int
    current_page: int
    total_pages: int


def now() -> datetime:
    return datetime.now(UTC)


def sharing_code() -> str:
    """Magento's `Random::getUniqueHash()`: 32 hexadecimal characters."""
    return secrets.token_hex(16)


def parse_id(text: str) -> int | None:
    """A wish list or item id as Magento reads it: a plain non-negative integer, else `None`."""
    return uids.parse_id(text.strip())


def not_found(path: str = "wishlistId") -> InputInvalid:
    """Magento raises a `GraphQlInputException` for a missing or foreign wish list."""
    return InputInvalid(Problem(ProblemCode.NOT_FOUND, NOT_FOUND, path))


def _first(customer_id: int) -> QuerySet[Wishlist]:
    return Wishlist.filter(customer_id=customer_id).order_by("wishlist_id")


async def of_customer(customer_id: int, *, create: bool = True) -> Wishlist | None:
    """The customer's default wish list (their first), created on first use when `create`. Two
    first uses racing are settled by locking the customer's row: the second reads the first's
    list."""
    wishlist = await _first(customer_id).first()
    if wishlist is not None or not create:
        return wishlist
    async with in_transaction():
        await lock_customer(customer_id)
        wishlist = await _first(customer_id).first()
        if wishlist is None:
            wishlist = await Wishlist.create(customer_id=customer_id, sharing_code=sharing_code())
        return wishlist


async def lock_customer(customer_id: int) -> None:
    """Serialize the writes that count a customer's lists (the first list, the limit)."""
    # `.only(...)`, not `.values_list(...)`: tortoise drops FOR UPDATE from values queries.
    await CustomerEntity.select_for_update().filter(entity_id=customer_id).only("entity_id").first()


async def by_id(text: str, customer_id: int) -> Wishlist | None:
    """`Customer.wishlist_v2(id)`: the wish list if it is the customer's, else `None`. `0` reads
    the customer's own list without creating it, as Magento's `WishlistById`."""
    wishlist_id = parse_id(text)
    if wishlist_id is None:
        return None
    if wishlist_id == 0:
        return await of_customer(customer_id, create=False)
    wishlist = await Wishlist.get_or_none(wishlist_id=wishlist_id)
    if wishlist is None or wishlist.customer_id != customer_id:  # type: ignore[attr-defined]
        return None
    return wishlist


async def _owned_for_update(text: str, customer_id: int) -> Wishlist:
    """The wish list a mutation names, locked for the transaction; another customer's list is
    "not found", as in Magento."""
    wishlist_id = parse_id(text)
    if wishlist_id is None:
        raise not_found()
    if wishlist_id == 0:
        own = await of_customer(customer_id)
        assert own is not None
        wishlist_id = own.wishlist_id
    wishlist = await Wishlist.select_for_update().get_or_none(wishlist_id=wishlist_id)
    if wishlist is None or wishlist.customer_id != customer_id:  # type: ignore[attr-defined]
        raise not_found()
    return wishlist


def _check_quantity(quantity: Decimal) -> LineError | None:
    if quantity < 0:
        return LineError(LineErrorCode.UNDEFINED, NEGATIVE_QUANTITY)
    if int(quantity) == 0:
        return LineError(LineErrorCode.UNDEFINED, ZERO_QUANTITY)
    return None


def _too_large(sku: str) -> LineError:
    return LineError(
        LineErrorCode.UNDEFINED,
        f'Could not add the product with SKU "{sku}" to the wishlist:: the quantity cannot be '
        f"greater than {MAX_QUANTITY}",
    )


async def _add_line(
    wishlist: Wishlist, line: ItemRequest, store_id: int | None, at: datetime
) -> LineError | None:
    sku = line.parent_sku if line.parent_sku is not None else line.sku
    product = await CatalogProductEntity.get_or_none(sku=sku)
    if product is None:
        return LineError(
            LineErrorCode.PRODUCT_NOT_FOUND, f'Could not find a product with SKU "{sku}"'
        )
    problem = _check_quantity(line.quantity)
    if problem is not None:
        return problem
    if product.status != ProductStatus.ENABLED:
        return LineError(LineErrorCode.UNDEFINED, DISABLED)
    if line.quantity > MAX_QUANTITY:
        return _too_large(sku)
    quantity = line.quantity.quantize(QUANTITY_SCALE, rounding=ROUND_HALF_UP)
    child_id = await _chosen_child(product, line)
    same = await WishlistItem.filter(
        wishlist_id=wishlist.wishlist_id, product_id=product.entity_id
    ).order_by("wishlist_item_id")
    chosen = await chosen_children([i.wishlist_item_id for i in same])
    item = next((i for i in same if chosen.get(i.wishlist_item_id) == child_id), None)
    total = quantity if item is None else item.qty + quantity
    if total > MAX_QUANTITY:
        return _too_large(sku)
    if item is None:
        item = await WishlistItem.create(
            wishlist_id=wishlist.wishlist_id,
            product_id=product.entity_id,
            store_id=store_id,
            added_at=at,
            qty=quantity,
        )
        if child_id is not None:
            await WishlistItemOption.create(
                wishlist_item_id=item.wishlist_item_id,
                product_id=product.entity_id,
                code=SIMPLE_PRODUCT,
                value=str(child_id),
            )
    else:
        item.qty = total
        await item.save(update_fields=["qty"])
    return None


SIMPLE_PRODUCT = "simple_product"


async def _chosen_child(product: CatalogProductEntity, line: ItemRequest) -> int | None:
    """The child a configurable item names (its `sku` under `parent_sku`, or its selected
    options); `None` when it names none: Magento keeps such an item unconfigured."""
    if product.type_id != ProductType.CONFIGURABLE:
        return None
    config = await configurable.configuration_of(product.entity_id, 0, 0)
    if line.parent_sku is not None and line.sku != line.parent_sku:
        return next(
            (v.product.entity_id for v in config.children if v.product.sku == line.sku), None
        )
    chosen: dict[int, int] = {}
    for index, uid in enumerate(line.selected_options):
        decoded = configurable.decode_option_uid(uid, f"wishlistItems.selected_options.{index}")
        if decoded is not None:
            chosen[decoded[0]] = decoded[1]
    variant = config.child_for(chosen)
    return variant.product.entity_id if variant is not None else None


async def chosen_children(item_ids: Sequence[int]) -> dict[int, int]:
    """The chosen child of each configurable wish list item among `item_ids`."""
    rows = await WishlistItemOption.filter(
        wishlist_item_id__in=list(item_ids), code=SIMPLE_PRODUCT
    ).values_list("wishlist_item_id", "value")
    return {int(item_id): int(value) for item_id, value in rows if value}


async def add_products(
    customer_id: int, wishlist_id: str, lines: Sequence[ItemRequest], store_id: int | None
) -> Outcome:
    """Add `lines` to the customer's wish list `wishlist_id` (one transaction); a foreign or
    unknown list is refused whole."""
    at = now()
    try:
        async with in_transaction():
            # `0` names the customer's own list, created on first use: not by a refused add.
            creates = parse_id(wishlist_id.strip()) == 0 and not await Wishlist.exists(
                customer_id=customer_id
            )
            wishlist = await _owned_for_update(wishlist_id, customer_id)
            errors: list[LineError] = []
            for line in lines:
                error = await _add_line(wishlist, line, store_id, at)
                if error is not None:
                    errors.append(error)
            if len(errors) == len(lines) and creates:
                raise _NothingAdded(Outcome(wishlist, tuple(errors)))
            if len(errors) != len(lines):
                await wishlist.save(update_fields=["updated_at"])
                await membership.customer_event(customer_id, events.WISHLIST_RENEWED)
    except _NothingAdded as refused:
        return refused.outcome  # rolled back: the list it would have created is not kept
    return Outcome(wishlist, tuple(errors))


class _NothingAdded(Exception):
    """Rolls back an add that would only have created the customer's empty list."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__("nothing added")
        self.outcome = outcome


async def remove_items(customer_id: int, wishlist_id: str, item_ids: Sequence[str]) -> Outcome:
    """Remove items from the customer's wish list (one transaction). An id that is not an item of
    this list is a line error with Magento's message; the others are removed."""
    async with in_transaction():
        wishlist = await _owned_for_update(wishlist_id, customer_id)
        errors: list[LineError] = []
        removed = 0
        for text in item_ids:
            item_id = parse_id(text)
            deleted = (
                0
                if item_id is None
                else await WishlistItem.filter(
                    wishlist_item_id=item_id, wishlist_id=wishlist.wishlist_id
                ).delete()
            )
            if not deleted:
                shown = text if item_id is None else str(item_id)
                errors.append(
                    LineError(
                        LineErrorCode.UNDEFINED,
                        f'The wishlist item with ID "{shown}" does not belong to the wishlist',
                    )
                )
            removed += deleted
        if removed:
            await wishlist.save(update_fields=["updated_at"])
            await membership.customer_event(customer_id, events.WISHLIST_RENEWED)
    return Outcome(wishlist, tuple(errors))


def _items(wishlist_ids: Sequence[int], website_id: int | None) -> QuerySet[WishlistItem]:
    """Items of these lists; with `website_id`, only those the storefront shows (module doc)."""
    query = WishlistItem.filter(wishlist_id__in=list(wishlist_ids))
    if website_id is not None:
        query = query.filter(
            product__status=ProductStatus.ENABLED,
            product__visibility__in=VISIBLE_IN_SITE,
            product_id__in=Subquery(
                CatalogProductWebsite.filter(website_id=website_id).values("product_id")
            ),
        )
    return query


async def count_items(wishlist_ids: Sequence[int], website_id: int | None) -> list[int]:
    """DataLoader batch: `items_count` of each wish list."""
    rows = (
        await _items(wishlist_ids, website_id)
        .annotate(n=Count("wishlist_item_id"))
        .group_by("wishlist_id")
        .values_list("wishlist_id", "n")
    )
    counts = {int(w): int(n) for w, n in rows}
    return [counts.get(wishlist_id, 0) for wishlist_id in wishlist_ids]


def collection_page(total: int, page_size: int | None, current_page: int | None) -> ItemPage:
    """Magento's collection paging, as `items_v2` uses it: a missing or non-positive size or page
    takes the default (20, 1); a page past the last one gives the last page; an empty list has
    one (empty) page."""
    size = page_size if page_size is not None and page_size > 0 else DEFAULT_PAGE_SIZE
    pages = max(1, math.ceil(total / size))
    page = current_page if current_page is not None and current_page > 0 else 1
    return ItemPage(items=[], page_size=size, current_page=min(page, pages), total_pages=pages)


async def item_page(
    wishlist_id: int, website_id: int | None, page_size: int | None, current_page: int | None
) -> ItemPage:
    """One page of a wish list's items, oldest first (see `collection_page`)."""
    query = _items([wishlist_id], website_id)
    shape = collection_page(await query.count(), page_size, current_page)
    rows = (
        await query.order_by("wishlist_item_id")
        .offset((shape.current_page - 1) * shape.page_size)
        .limit(shape.page_size)
    )
    return ItemPage(rows, shape.page_size, shape.current_page, shape.total_pages)


async def all_items(
    wishlist_ids: Sequence[int], website_id: int | None
) -> list[list[WishlistItem]]:
    """DataLoader batch: every item of each list, oldest first (the deprecated `items`)."""
    by_list: dict[int, list[WishlistItem]] = {w: [] for w in wishlist_ids}
    for row in await _items(wishlist_ids, website_id).order_by("wishlist_item_id"):
        by_list[row.wishlist_id].append(row)  # type: ignore[attr-defined]
    return [by_list[w] for w in wishlist_ids]


async def of_customer_for_admin(customer_id: int, path: str = "customer_uid") -> Wishlist | None:
    """An admin's read: the customer's wish list as stored (never created by reading)."""
    if not await CustomerEntity.exists(entity_id=customer_id):
        raise NoSuchEntity(
            Problem(ProblemCode.NOT_FOUND, f"No such entity with customerId = {customer_id}", path)
        )
    return await of_customer(customer_id, create=False)
