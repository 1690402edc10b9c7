"""Wish lists and product views: the storefront's `addProductsToWishlist`,
`removeProductsFromWishlist` and `trackViewedProduct` (Magento 2.4.8's name), and the admin's
read of a customer's wish list and viewed products. The customer's own lists are read through
`Customer { wishlists wishlist_v2 wishlist }` (graph/wishlists.py: `CustomerWishlistFields`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry

from engine import multiple_wishlists, views, wishlists
from engine.auth import ViewerKind
from engine.errors import NotAuthorized, Problem, ProblemCode
from engine.pagination import PageRequest
from graph.context import Info
from graph.limits import CHECKED_BY_ENGINE, SKU
from graph.uids import decode_uid
from graph.wishlists import (
    AddProductsToWishlistOutput,
    AdminViewedProducts,
    CreateWishlistInput,
    CreateWishlistOutput,
    RemoveProductsFromWishlistOutput,
    UpdateWishlistOutput,
    Wishlist,
    WishlistItemInput,
    WishListUserInputError,
    WishlistVisibilityEnum,
    hand_back,
    visitor_session,
)
from resolvers.access import CUSTOMER_NOT_AUTHORIZED, require_admin


async def _wishlist_owner(info: Info) -> int:
    """The calling customer; guests and admin tokens get Magento's wish list authorization
    error."""
    viewer = await info.context.viewer()
    if viewer.kind is not ViewerKind.CUSTOMER or viewer.customer_id is None:
        raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, wishlists.CANNOT_OPERATE))
    return viewer.customer_id


async def _settings(info: Info) -> multiple_wishlists.ListSettings:
    stores = await info.context.stores()
    return multiple_wishlists.ListSettings.of(stores, await info.context.store())


def _line(item: WishlistItemInput) -> wishlists.ItemRequest:
    parent = item.parent_sku
    return wishlists.ItemRequest(
        sku=item.sku,
        quantity=Decimal(repr(item.quantity)),
        parent_sku=None if parent is strawberry.UNSET or parent is None else parent,
        selected_options=tuple(
            str(uid)
            for uid in (
                None if item.selected_options is strawberry.UNSET else item.selected_options
            )
            or ()
            if uid is not None
        ),
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="A customer's wish list with every item, whatever the storefront shows; null "
        "when the customer has none yet (admin token required)."
    )
    async def adminCustomerWishlist(
        self,
        info: Info,
        customer_uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the customer whose wish list to return."),
        ],
    ) -> Wishlist | None:
        await require_admin(info)
        row = await wishlists.of_customer_for_admin(decode_uid(customer_uid, "customer_uid"))
        return None if row is None else Wishlist.of(row, None)

    @strawberry.field(
        description="The products a customer viewed, signed in or as a guest whose visitor was "
        "later linked to them, latest first (admin token required)."
    )
    async def adminCustomerViewedProducts(
        self,
        info: Info,
        customer_uid: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The `uid` of the customer whose viewed products to return."
            ),
        ],
        page_size: Annotated[
            int,
            strawberry.argument(
                name="pageSize", description="The maximum number of results to return at once."
            ),
        ] = 20,
        current_page: Annotated[
            int,
            strawberry.argument(
                name="currentPage", description="The page of results to return, counting from 1."
            ),
        ] = 1,
    ) -> AdminViewedProducts:
        await require_admin(info)
        page = await views.customer_views(
            decode_uid(customer_uid, "customer_uid"), PageRequest(page_size, current_page)
        )
        return AdminViewedProducts.of(page)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Add one or more products to the specified wish list. This mutation supports "
        "all product types."
    )
    async def addProductsToWishlist(
        self,
        info: Info,
        wishlist_id: Annotated[
            strawberry.ID,
            strawberry.argument(name="wishlistId", description="The ID of a wish list."),
        ],
        items: Annotated[
            list[WishlistItemInput],
            strawberry.argument(
                name="wishlistItems", description="An array of products to add to the wish list."
            ),
        ],
    ) -> AddProductsToWishlistOutput | None:
        (await _settings(info)).require_enabled()
        customer_id = await _wishlist_owner(info)
        store = await info.context.store()
        outcome = await wishlists.add_products(
            customer_id, str(wishlist_id), [_line(i) for i in items], store.store_id
        )
        return AddProductsToWishlistOutput(
            user_errors=WishListUserInputError.many(outcome.errors),
            wishlist=Wishlist.of(outcome.wishlist, store.website.website_id),
        )

    @strawberry.mutation(description="Remove one or more products from the specified wish list.")
    async def removeProductsFromWishlist(
        self,
        info: Info,
        wishlist_id: Annotated[
            strawberry.ID,
            strawberry.argument(name="wishlistId", description="The ID of a wish list."),
        ],
        item_ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                name="wishlistItemsIds",
                description="An array of item IDs representing products to be removed.",
            ),
        ],
    ) -> RemoveProductsFromWishlistOutput | None:
        (await _settings(info)).require_enabled()
        customer_id = await _wishlist_owner(info)
        store = await info.context.store()
        outcome = await wishlists.remove_items(
            customer_id, str(wishlist_id), [str(i) for i in item_ids]
        )
        return RemoveProductsFromWishlistOutput(
            user_errors=WishListUserInputError.many(outcome.errors),
            wishlist=Wishlist.of(outcome.wishlist, store.website.website_id),
        )

    @strawberry.mutation(
        description="Create a new wish list (Adobe Commerce's multiple wish lists: "
        "`wishlist/general/multiple_enabled` on, at most "
        "`wishlist/general/multiple_wishlist_number` lists per customer, names unique)."
    )
    async def createWishlist(
        self,
        info: Info,
        input: Annotated[
            CreateWishlistInput,
            strawberry.argument(description="The name and visibility of the new wish list."),
        ],
    ) -> CreateWishlistOutput | None:
        settings = await _settings(info)
        settings.require_enabled()
        customer_id = await _wishlist_owner(info)
        row = await multiple_wishlists.create(
            customer_id, input.name, input.visibility is WishlistVisibilityEnum.PUBLIC, settings
        )
        store = await info.context.store()
        return CreateWishlistOutput(wishlist=Wishlist.of(row, store.website.website_id))

    @strawberry.mutation(
        description="Change the name and visibility of the specified wish list (Adobe "
        "Commerce's multiple wish lists); what is left out is kept."
    )
    async def updateWishlist(
        self,
        info: Info,
        wishlist_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                name="wishlistId", description="The ID of the wish list to update."
            ),
        ],
        name: Annotated[
            str | None,
            strawberry.argument(
                metadata=CHECKED_BY_ENGINE, description="The new name of the wish list."
            ),
        ] = None,
        visibility: Annotated[
            WishlistVisibilityEnum | None,
            strawberry.argument(description="Whether the wish list is public or private."),
        ] = None,
    ) -> UpdateWishlistOutput | None:
        settings = await _settings(info)
        settings.require_enabled()
        customer_id = await _wishlist_owner(info)
        row = await multiple_wishlists.update(
            customer_id,
            str(wishlist_id),
            name,
            None if visibility is None else visibility is WishlistVisibilityEnum.PUBLIC,
            settings,
        )
        return UpdateWishlistOutput.of(row)

    @strawberry.mutation(
        description="Track that a product was viewed in adobe commerce. A customer's view is "
        "kept by customer; a guest's by visitor, whose session id travels in the "
        "`X-Magento-Visitor` header (a new one is handed back in the response header of that "
        "name). False when the product is not one a shopper can open (disabled, not visible, "
        "or not sold on the store's website): nothing is recorded then."
    )
    async def trackViewedProduct(
        self,
        info: Info,
        sku: Annotated[
            str,
            strawberry.argument(
                metadata=SKU, description="The sku of the product the shopper viewed."
            ),
        ],
    ) -> bool | None:
        viewer = await info.context.viewer()
        if viewer.kind is ViewerKind.ADMIN:
            raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
        store = await info.context.store()
        result = await views.track(
            sku,
            store_id=store.store_id,
            website_id=store.website.website_id,
            customer_id=viewer.customer_id if viewer.kind is ViewerKind.CUSTOMER else None,
            session_id=visitor_session(info),
        )
        hand_back(info, result.visit)
        return result.recorded
