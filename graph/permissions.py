"""Category permissions: the admin's per-category rows with their inputs and outputs, and the
storefront's per-request view of them (`catalog_access`, `product_access`) that the catalog and
cart answers consult. Nothing here reaches the storefront schema: shoppers only see products,
categories and prices disappear, and a refused `addProductsToCart` line."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.dataloader import DataLoader

from engine import permissions
from graph.context import Context, Info
from graph.errors import UserError
from graph.uids import encode_uid
from models import CatalogCategoryEntity, Grant, MagentoCatalogpermissions
from models.groups import NOT_LOGGED_IN_GROUP_ID


@strawberry.enum(
    description="One grant of a category permission (Magento's `Permission::PERMISSION_*`)."
)
class CategoryPermissionGrant(Enum):
    ALLOW = strawberry.enum_value("ALLOW", description="Allowed.")
    DENY = strawberry.enum_value("DENY", description="Denied.")
    PARENT = strawberry.enum_value(
        "PARENT",
        description="Use the parent category's decision; at the top of the tree, the "
        "configured default.",
    )


def grant_of(value: CategoryPermissionGrant) -> Grant:
    return Grant[value.name]


def graph_grant(value: Grant) -> CategoryPermissionGrant:
    return CategoryPermissionGrant[Grant(value).name]


@strawberry.type(
    description="One row of a category's permissions: what shoppers of a customer group (or "
    "all) may do in the category on a website (or all), admin token required."
)
class CategoryPermission:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the permission row.")
    category_uid: strawberry.ID = strawberry.field(description="The category it belongs to.")
    website_uid: strawberry.ID | None = strawberry.field(
        description="The website it applies to; null for all websites."
    )
    customer_group_uid: strawberry.ID | None = strawberry.field(
        description="The customer group it applies to; null for all groups."
    )
    grant_catalog_category_view: CategoryPermissionGrant = strawberry.field(
        description="Browsing the category and its products."
    )
    grant_catalog_product_price: CategoryPermissionGrant = strawberry.field(
        description="Seeing the prices of its products."
    )
    grant_checkout_items: CategoryPermissionGrant = strawberry.field(
        description="Adding its products to the cart."
    )

    @classmethod
    def of(cls, row: MagentoCatalogpermissions) -> CategoryPermission:
        category_id: int = row.category_id  # type: ignore[attr-defined]
        return cls(
            uid=strawberry.ID(encode_uid(row.permission_id)),
            category_uid=strawberry.ID(encode_uid(category_id)),
            website_uid=None
            if row.website_id is None
            else strawberry.ID(encode_uid(row.website_id)),
            customer_group_uid=None
            if row.customer_group_id is None
            else strawberry.ID(encode_uid(row.customer_group_id)),
            grant_catalog_category_view=graph_grant(row.grant_catalog_category_view),
            grant_catalog_product_price=graph_grant(row.grant_catalog_product_price),
            grant_checkout_items=graph_grant(row.grant_checkout_items),
        )


@strawberry.input(description="One row of a category's permissions.")
class CategoryPermissionInput:
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The website; null or omitted for all websites."
    )
    customer_group_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The customer group; null or omitted for all groups."
    )
    grant_catalog_category_view: CategoryPermissionGrant = strawberry.field(
        default=CategoryPermissionGrant.PARENT,
        description="Browsing the category and its products; PARENT when omitted.",
    )
    grant_catalog_product_price: CategoryPermissionGrant = strawberry.field(
        default=CategoryPermissionGrant.PARENT,
        description="Seeing the prices of its products; PARENT when omitted.",
    )
    grant_checkout_items: CategoryPermissionGrant = strawberry.field(
        default=CategoryPermissionGrant.PARENT,
        description="Adding its products to the cart; PARENT when omitted.",
    )


@strawberry.type(description="The result of setting a category's permissions.")
class CategoryPermissionsOutput:
    permissions: list[CategoryPermission] | None = strawberry.field(
        description="The category's permissions after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem, with paths naming the row (`permissions.2.website_uid`)."
    )


@strawberry.type(description="The result of deleting one category permission row.")
class DeleteCategoryPermissionOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted row; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was deleted.")


@strawberry.type(
    description="What shoppers of one customer group may do in one category on one website, "
    "with category permissions resolved (its rows, its ancestors', then the configured "
    "defaults of the website's default store view)."
)
class CategoryAccess:
    enabled: bool = strawberry.field(
        description="Whether category permissions are on for the website's default store "
        "view; when off, everything is allowed whatever the fields below say."
    )
    allow_browsing: bool = strawberry.field(
        description="The category and its products may be browsed."
    )
    display_product_prices: bool = strawberry.field(
        description="The prices of its products are shown."
    )
    allow_adding_to_cart: bool = strawberry.field(
        description="Its products may be added to the cart."
    )


# --- the storefront's view, per request ----------------------------------------------------------


async def caller_group_id(context: Context) -> int:
    viewer = await context.viewer()
    if viewer.customer_id is None:
        return NOT_LOGGED_IN_GROUP_ID
    customer = await context.loaders.customer.load(viewer.customer_id)
    return NOT_LOGGED_IN_GROUP_ID if customer is None else customer.group_id  # type: ignore[attr-defined]


class PermissionLoaders:
    """Per request: the caller's resolved permissions, and each product's access."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.resolved = False
        self.access: permissions.CatalogAccess | None = None
        self.products: DataLoader[int, permissions.Access] = DataLoader(load_fn=self._products)

    async def catalog_access(self) -> permissions.CatalogAccess | None:
        if not self.resolved:
            store = await self.context.store()
            self.access = await permissions.catalog_access(
                await self.context.stores(), store, await caller_group_id(self.context)
            )
            self.resolved = True
        return self.access

    async def _products(self, product_ids: list[int]) -> list[permissions.Access]:
        found = await permissions.product_access(await self.catalog_access(), product_ids)
        return [found[p] for p in product_ids]


async def catalog_access(info: Info) -> permissions.CatalogAccess | None:
    """The caller's category permissions for the request's store view; None when off."""
    return await info.context.loaders_for(PermissionLoaders).catalog_access()


async def can_show_price(info: Info, product_id: int) -> bool:
    """Magento's `can_show_price`: false hides `price_range`, `price_tiers` and
    `special_price`."""
    loaders = info.context.loaders_for(PermissionLoaders)
    if await loaders.catalog_access() is None:
        return True
    return (await loaders.products.load(product_id)).prices


async def browsable(
    info: Info, categories: list[CatalogCategoryEntity]
) -> list[CatalogCategoryEntity]:
    """The categories the caller may browse, in their order."""
    access = await catalog_access(info)
    if access is None:
        return categories
    return [c for c in categories if access.can_browse_category(c.entity_id)]
