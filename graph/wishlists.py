"""Wish list and product view types: Magento's storefront `Wishlist` family and its inputs and
outputs, the `wishlist` / `wishlist_v2` / `wishlists` fields the storefront `Customer` inherits
(`CustomerWishlistFields`), and the admin's read of a customer's wish list and viewed products.

Ids are Magento's plain numbers (`"7"`), not base64 uids: that is what Magento's wish list fields
return and what its mutations read. Dates are `YYYY-MM-DD HH:MM:SS` in UTC, as Magento's columns."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from enum import Enum
from typing import Annotated

import strawberry

from engine import multiple_wishlists, wishlists
from engine.pagination import Page
from engine.views import Visit
from engine.wishlists import LineError
from graph.carts import EnteredOptionInput
from graph.catalog import ProductInterface, product_of
from graph.common import SearchResultPageInfo
from graph.configurable import SelectedConfigurableOption, configuration, selected_options
from graph.context import Info
from graph.dates import magento_datetime
from graph.limits import CHECKED_BY_ENGINE, SKU
from graph.uids import encode_uid
from models import ReportViewedProductIndex
from models import Wishlist as WishlistRow
from models import WishlistItem as WishlistItemRow
from models.catalog import ProductType


async def _product(info: Info, product_id: int) -> ProductInterface | None:
    row = await info.context.loaders.product.load(product_id)
    return None if row is None else product_of(row)


@strawberry.enum(description="Defines the wish list visibility types.")
class WishlistVisibilityEnum(Enum):
    PUBLIC = strawberry.enum_value("PUBLIC", description="Anyone with the link may see the list.")
    PRIVATE = strawberry.enum_value("PRIVATE", description="Only its owner may see the list.")


@strawberry.enum(description="A list of possible error types.")
class WishListUserInputErrorType(Enum):
    PRODUCT_NOT_FOUND = strawberry.enum_value(
        "PRODUCT_NOT_FOUND", description="No product has the SKU given."
    )
    UNDEFINED = strawberry.enum_value(
        "UNDEFINED", description="Any other reason the line was not applied."
    )


@strawberry.type(description="An error encountered while performing operations with WishList.")
class WishListUserInputError:
    code: WishListUserInputErrorType = strawberry.field(
        description="A wish list-specific error code."
    )
    message: str = strawberry.field(description="A localized error message.")

    @classmethod
    def many(cls, errors: Sequence[LineError]) -> list[WishListUserInputError | None]:
        return [
            cls(code=WishListUserInputErrorType(e.code.value), message=e.message) for e in errors
        ]


async def _item_product(root: WishlistItemInterface, info: Info) -> ProductInterface | None:
    return await _product(info, root.row.product_id)  # type: ignore[attr-defined]


@strawberry.interface(description="The interface for wish list items.")
class WishlistItemInterface:
    row: strawberry.Private[WishlistItemRow]

    added_at: str = strawberry.field(
        description="The date and time the item was added to the wish list."
    )
    description: str | None = strawberry.field(description="The description of the item.")
    id: strawberry.ID = strawberry.field(
        description="The unique ID for a `WishlistItemInterface` object."
    )
    product: ProductInterface | None = strawberry.field(
        resolver=_item_product, description="Product details of the wish list item."
    )
    quantity: float = strawberry.field(description="The quantity of this wish list item.")


@strawberry.type(description="Contains a simple product wish list item.")
class SimpleWishlistItem(WishlistItemInterface):
    pass


@strawberry.type(description="Contains a virtual product wish list item.")
class VirtualWishlistItem(WishlistItemInterface):
    pass


async def _configurable_options(
    root: ConfigurableWishlistItem, info: Info
) -> list[SelectedConfigurableOption | None] | None:
    """The options of the chosen child; none for an item saved without a choice."""
    child_id = (await wishlists.chosen_children([root.row.wishlist_item_id])).get(
        root.row.wishlist_item_id
    )
    if child_id is None:
        return []
    config = await configuration(info, root.row.product_id)  # type: ignore[attr-defined]
    child = config.child(child_id)
    return selected_options(config, dict(child.options) if child is not None else {})


@strawberry.type(description="A configurable product wish list item.")
class ConfigurableWishlistItem(WishlistItemInterface):
    configurable_options: list[SelectedConfigurableOption | None] | None = strawberry.field(
        resolver=_configurable_options, description="An array of selected configurable options."
    )


async def item_of(info: Info, row: WishlistItemRow) -> WishlistItemInterface:
    """The storefront type of an item, by its product's type."""
    product = await info.context.loaders.product.load(row.product_id)  # type: ignore[attr-defined]
    kind: type[WishlistItemInterface] = SimpleWishlistItem
    if product is not None and product.type_id == ProductType.VIRTUAL:
        kind = VirtualWishlistItem
    elif product is not None and product.type_id == ProductType.CONFIGURABLE:
        kind = ConfigurableWishlistItem
    return kind(
        row=row,
        added_at=magento_datetime(row.added_at),
        description=row.description,
        id=strawberry.ID(str(row.wishlist_item_id)),
        quantity=float(row.qty),
    )


async def _legacy_product(root: WishlistItem, info: Info) -> ProductInterface | None:
    return await _product(info, root.row.product_id)  # type: ignore[attr-defined]


@strawberry.type(description="Contains details about a wish list item.")
class WishlistItem:
    row: strawberry.Private[WishlistItemRow]

    added_at: str | None = strawberry.field(
        description="The time when the customer added the item to the wish list."
    )
    description: str | None = strawberry.field(
        description="The customer's comment about this item."
    )
    id: int | None = strawberry.field(description="The unique ID for a `WishlistItem` object.")
    product: ProductInterface | None = strawberry.field(
        resolver=_legacy_product, description="Details about the wish list item."
    )
    qty: float | None = strawberry.field(description="The quantity of this wish list item")

    @classmethod
    def of(cls, row: WishlistItemRow) -> WishlistItem:
        return cls(
            row=row,
            added_at=magento_datetime(row.added_at),
            description=row.description,
            id=row.wishlist_item_id,
            qty=float(row.qty),
        )


@strawberry.type(description="Contains an array of items in a wish list.")
class WishlistItems:
    items: list[WishlistItemInterface | None] = strawberry.field(
        description="A list of items in the wish list."
    )
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="Contains pagination metadata."
    )


async def _items(root: Wishlist) -> list[WishlistItem | None] | None:
    rows = (await wishlists.all_items([root.row.wishlist_id], root.website_id))[0]
    return [WishlistItem.of(row) for row in rows]


async def _items_count(root: Wishlist) -> int | None:
    return (await wishlists.count_items([root.row.wishlist_id], root.website_id))[0]


async def _items_v2(
    root: Wishlist,
    info: Info,
    current_page: Annotated[
        int | None,
        strawberry.argument(
            name="currentPage", description=("The page of results to return, counting from 1.")
        ),
    ] = 1,
    page_size: Annotated[
        int | None,
        strawberry.argument(
            name="pageSize", description=("The maximum number of results to return at once.")
        ),
    ] = 20,
) -> WishlistItems | None:
    """Magento's collection paging: non-positive values take the defaults, a page past the last
    one gives the last page."""
    page = await wishlists.item_page(root.row.wishlist_id, root.website_id, page_size, current_page)
    return WishlistItems(
        items=list(await asyncio.gather(*(item_of(info, row) for row in page.items))),
        page_info=SearchResultPageInfo(
            current_page=page.current_page,
            page_size=page.page_size,
            total_pages=page.total_pages,
        ),
    )


@strawberry.type(description="Contains a customer wish list.")
class Wishlist:
    row: strawberry.Private[WishlistRow]
    # The website whose storefront shows the list (its items filtered so); `None` for admins.
    website_id: strawberry.Private[int | None]

    id: strawberry.ID | None = strawberry.field(
        description="The unique ID for a `Wishlist` object."
    )
    items: list[WishlistItem | None] | None = strawberry.field(
        resolver=_items,
        description="An array of items in the customer's wish list.",
        deprecation_reason="Use the `items_v2` field instead.",
    )
    items_count: int | None = strawberry.field(
        resolver=_items_count, description="The number of items in the wish list."
    )
    items_v2: WishlistItems | None = strawberry.field(
        resolver=_items_v2, description="An array of items in the customer's wish list."
    )
    name: str | None = strawberry.field(description="The name of the wish list.")
    sharing_code: str | None = strawberry.field(
        description="An encrypted code that Magento uses to link to the wish list."
    )
    updated_at: str | None = strawberry.field(
        description="The time of the last modification to the wish list."
    )
    visibility: WishlistVisibilityEnum = strawberry.field(
        description="Indicates whether the wish list is public or private."
    )

    @classmethod
    def of(cls, row: WishlistRow, website_id: int | None) -> Wishlist:
        return cls(
            row=row,
            website_id=website_id,
            id=strawberry.ID(str(row.wishlist_id)),
            name=row.name,
            sharing_code=row.sharing_code,
            updated_at=magento_datetime(row.updated_at),
            visibility=visibility_of(row),
        )


@strawberry.input(description="Defines the items to add to a wish list.")
class WishlistItemInput:
    """Custom options (`entered_options`, `selected_options`) are accepted and ignored: simple
    and virtual products have none here."""

    entered_options: list[EnteredOptionInput | None] | None = strawberry.field(
        default=strawberry.UNSET, description="An array of options that the customer entered."
    )
    parent_sku: str | None = strawberry.field(
        metadata=SKU,
        default=strawberry.UNSET,
        description="For complex product types, the SKU of the parent product.",
    )
    quantity: float = strawberry.field(
        metadata=CHECKED_BY_ENGINE, description="The amount or number of items to add."
    )
    selected_options: list[strawberry.ID | None] | None = strawberry.field(
        default=strawberry.UNSET,
        description="An array of strings corresponding to options the customer selected.",
    )
    sku: str = strawberry.field(
        metadata=SKU,
        description="The SKU of the product to add. For complex product types, specify the child "
        "product SKU.",
    )


@strawberry.type(description="Contains the customer's wish list and any errors encountered.")
class AddProductsToWishlistOutput:
    user_errors: list[WishListUserInputError | None] = strawberry.field(
        description="An array of errors encountered while adding products to a wish list."
    )
    wishlist: Wishlist = strawberry.field(
        description="Contains the wish list with all items that were successfully added."
    )


@strawberry.type(description="Contains the customer's wish list and any errors encountered.")
class RemoveProductsFromWishlistOutput:
    user_errors: list[WishListUserInputError | None] = strawberry.field(
        description="An array of errors encountered while deleting products from a wish list."
    )
    wishlist: Wishlist = strawberry.field(
        description="Contains the wish list with after items were successfully deleted."
    )


@strawberry.input(description="Defines the name and visibility of a new wish list.")
class CreateWishlistInput:
    name: str = strawberry.field(
        metadata=CHECKED_BY_ENGINE, description="The name of the new wish list."
    )
    visibility: WishlistVisibilityEnum = strawberry.field(
        description="Indicates whether the wish list is public or private."
    )


@strawberry.type(description="Contains the wish list.")
class CreateWishlistOutput:
    wishlist: Wishlist = strawberry.field(description="The newly-created wish list")


@strawberry.type(description="Contains the name and visibility of an updated wish list.")
class UpdateWishlistOutput:
    name: str = strawberry.field(description="The wish list name.")
    uid: strawberry.ID = strawberry.field(description="The unique ID of a `Wishlist` object.")
    visibility: WishlistVisibilityEnum = strawberry.field(
        description="Indicates whether the wish list is public or private."
    )

    @classmethod
    def of(cls, row: WishlistRow) -> UpdateWishlistOutput:
        return cls(
            name=row.name or "",
            uid=strawberry.ID(str(row.wishlist_id)),
            visibility=visibility_of(row),
        )


def visibility_of(row: WishlistRow) -> WishlistVisibilityEnum:
    return WishlistVisibilityEnum.PUBLIC if row.visibility else WishlistVisibilityEnum.PRIVATE


# --- the storefront Customer's fields ---------------------------------------------------------


async def _website_id(info: Info) -> int:
    return (await info.context.store()).website.website_id


async def _require_enabled(info: Info) -> None:
    stores = await info.context.stores()
    multiple_wishlists.ListSettings.of(stores, await info.context.store()).require_enabled()


async def _own(root: CustomerWishlistFields, info: Info) -> Wishlist:
    await _require_enabled(info)
    row = await wishlists.of_customer(root.entity_id)
    assert row is not None
    return Wishlist.of(row, await _website_id(info))


async def _wishlist(root: CustomerWishlistFields, info: Info) -> Wishlist:
    return await _own(root, info)


async def _wishlist_v2(
    root: CustomerWishlistFields,
    info: Info,
    id: Annotated[
        strawberry.ID,
        strawberry.argument(description=("The unique ID of the `Wishlist` to return.")),
    ],
) -> Wishlist | None:
    await _require_enabled(info)
    row = await wishlists.by_id(str(id), root.entity_id)
    return None if row is None else Wishlist.of(row, await _website_id(info))


async def _wishlists(
    root: CustomerWishlistFields,
    info: Info,
    page_size: Annotated[
        int | None,
        strawberry.argument(
            name="pageSize",
            description="Specifies the maximum number of results to return at once.",
        ),
    ] = 20,
    current_page: Annotated[
        int | None,
        strawberry.argument(
            name="currentPage", description="Specifies which page of results to return."
        ),
    ] = 1,
) -> list[Wishlist | None]:
    """The customer's lists as `engine.multiple_wishlists.customer_lists` pages them."""
    store = await info.context.store()
    settings = multiple_wishlists.ListSettings.of(await info.context.stores(), store)
    page = await multiple_wishlists.customer_lists(
        root.entity_id, settings, page_size, current_page
    )
    return [Wishlist.of(row, store.website.website_id) for row in page.lists]


@strawberry.type
class CustomerWishlistFields:
    """Base class of the storefront `Customer` type: adds `wishlist`, `wishlist_v2` and
    `wishlists`. Strawberry only collects fields from bases that are strawberry types, so this is
    a `@strawberry.type` that never appears in the schema on its own; the subclass supplies
    `entity_id`, the customer's id. Reading a customer's list creates it on first use, as
    Magento's `loadByCustomerId($id, true)`."""

    entity_id: strawberry.Private[int]

    wishlist: Wishlist = strawberry.field(
        resolver=_wishlist,
        description="Return a customer's wish lists.",
        deprecation_reason="Use `Customer.wishlists` or `Customer.wishlist_v2` instead.",
    )
    wishlist_v2: Wishlist | None = strawberry.field(
        resolver=_wishlist_v2,
        description="Retrieve the wish list identified by the unique ID for a `Wishlist` object.",
    )
    wishlists: list[Wishlist | None] = strawberry.field(
        resolver=_wishlists,
        description="An array of wishlists. In Magento Open Source, customers are limited to one "
        "wish list. The number of wish lists is configurable for Adobe Commerce.",
    )


# --- admin ------------------------------------------------------------------------------------


async def _viewed_product(root: AdminViewedProduct, info: Info) -> ProductInterface | None:
    return await _product(info, root.row.product_id)  # type: ignore[attr-defined]


@strawberry.type(description="One product a customer viewed (`report_viewed_product_index`).")
class AdminViewedProduct:
    row: strawberry.Private[ReportViewedProductIndex]

    product_uid: strawberry.ID = strawberry.field(description="The uid of the viewed product.")
    product: ProductInterface | None = strawberry.field(
        resolver=_viewed_product, description="The viewed product."
    )
    added_at: str = strawberry.field(
        description="When the product was last viewed (`YYYY-MM-DD HH:MM:SS`, UTC)."
    )
    as_guest: bool = strawberry.field(
        description="True for a view made as a guest by a visitor later linked to the customer; "
        "false for a view made signed in."
    )

    @classmethod
    def of(cls, row: ReportViewedProductIndex) -> AdminViewedProduct:
        return cls(
            row=row,
            product_uid=strawberry.ID(encode_uid(row.product_id)),  # type: ignore[attr-defined]
            added_at=magento_datetime(row.added_at),
            as_guest=row.customer_id is None,  # type: ignore[attr-defined]
        )


@strawberry.type(description="A page of the products a customer viewed, latest first.")
class AdminViewedProducts:
    items: list[AdminViewedProduct] = strawberry.field(description="The views on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Contains pagination metadata.")
    total_count: int = strawberry.field(description="How many views there are in all.")

    @classmethod
    def of(cls, page: Page[ReportViewedProductIndex]) -> AdminViewedProducts:
        return cls(
            items=[AdminViewedProduct.of(row) for row in page.items],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )


# Implementations reached only through an interface; graph/schema.py must name them.
WISHLIST_TYPES: list[type] = [SimpleWishlistItem, VirtualWishlistItem, ConfigurableWishlistItem]


# --- the guest visitor header -----------------------------------------------------------------

# The guest's visitor session id travels in this request header; when a request makes a new
# visitor, its session id is handed back in the response header of the same name. The guest cart
# (`createGuestCart`) reads and answers the same header, so a guest's views and cart match.
VISITOR_HEADER = "X-Magento-Visitor"


def visitor_session(info: Info) -> str | None:
    """The visitor session id the request carries, if any."""
    return info.context.request_headers.get(VISITOR_HEADER)


def hand_back(info: Info, visit: Visit | None) -> None:
    """Tell the client the session id of a visitor this request created."""
    if visit is not None and visit.created:
        info.context.response_headers[VISITOR_HEADER] = visit.visitor.session_id
