"""Category permissions for admins: a category's rows, replace them, delete one, and what a
group may do in a category once resolved."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import permissions
from engine.errors import DomainError, InputInvalid, Problem
from graph.context import Info
from graph.errors import UserError
from graph.permissions import (
    CategoryAccess,
    CategoryPermission,
    CategoryPermissionInput,
    CategoryPermissionsOutput,
    DeleteCategoryPermissionOutput,
    grant_of,
)
from graph.uids import decode_uid, encode_uid
from resolvers.access import require_admin


def _rows(inputs: list[CategoryPermissionInput], path: str) -> list[permissions.PermissionInput]:
    """Engine rows from the input; every bad uid reported with its row."""
    rows: list[permissions.PermissionInput] = []
    problems: list[Problem] = []
    for index, item in enumerate(inputs):
        ids: dict[str, int | None] = {}
        for name in ("website_uid", "customer_group_uid"):
            uid = getattr(item, name)
            ids[name] = None
            if uid is not None:
                try:
                    ids[name] = decode_uid(uid, f"{path}.{index}.{name}")
                except DomainError as error:
                    problems.extend(error.problems)
        rows.append(
            permissions.PermissionInput(
                website_id=ids["website_uid"],
                customer_group_id=ids["customer_group_uid"],
                browse=grant_of(item.grant_catalog_category_view),
                prices=grant_of(item.grant_catalog_product_price),
                checkout=grant_of(item.grant_checkout_items),
            )
        )
    if problems:
        raise InputInvalid(problems)
    return rows


@strawberry.type
class Query:
    @strawberry.field(
        description="A category's permission rows, by id (admin token required). Categories "
        "without rows use their parent's permissions."
    )
    async def adminCategoryPermissions(
        self,
        info: Info,
        category_uid: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The `uid` of the category whose permission rows to return."
            ),
        ],
    ) -> list[CategoryPermission] | None:
        await require_admin(info)
        rows = await permissions.category_permissions(decode_uid(category_uid, "category_uid"))
        return [CategoryPermission.of(r) for r in rows]

    @strawberry.field(
        description="What shoppers of a customer group may do in a category on a website, "
        "with permissions inherited and defaults applied (admin token required)."
    )
    async def adminCategoryAccess(
        self,
        info: Info,
        category_uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the category.")
        ],
        website_uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the website.")
        ],
        customer_group_uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the customer group.")
        ],
    ) -> CategoryAccess | None:
        await require_admin(info)
        enabled, access = await permissions.category_access(
            await info.context.stores(),
            decode_uid(website_uid, "website_uid"),
            decode_uid(customer_group_uid, "customer_group_uid"),
            decode_uid(category_uid, "category_uid"),
        )
        return CategoryAccess(
            enabled=enabled,
            allow_browsing=access.browse,
            display_product_prices=access.prices,
            allow_adding_to_cart=access.checkout,
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Replace a category's permission rows, as Magento saves a category's "
        "permissions grid; an empty list removes them all (admin token required). A row keeps "
        "its uid while its website and group stay."
    )
    async def adminSetCategoryPermissions(
        self,
        info: Info,
        category_uid: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The `uid` of the category whose permission rows are replaced."
            ),
        ],
        rows: Annotated[
            list[CategoryPermissionInput],
            strawberry.argument(
                name="permissions", description="Every row the category should have."
            ),
        ],
    ) -> CategoryPermissionsOutput:
        await require_admin(info)
        try:
            saved = await permissions.set_category_permissions(
                decode_uid(category_uid, "category_uid"),
                _rows(rows, "permissions"),
                await info.context.stores(),
                "permissions",
            )
        except DomainError as error:
            return CategoryPermissionsOutput(
                permissions=None, user_errors=UserError.from_error(error)
            )
        return CategoryPermissionsOutput(
            permissions=[CategoryPermission.of(r) for r in saved], user_errors=[]
        )

    @strawberry.mutation(description="Delete one category permission row (admin token required).")
    async def adminDeleteCategoryPermission(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the permission row to delete."),
        ],
    ) -> DeleteCategoryPermissionOutput:
        await require_admin(info)
        try:
            row = await permissions.delete_permission(decode_uid(uid))
        except DomainError as error:
            return DeleteCategoryPermissionOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return DeleteCategoryPermissionOutput(
            deleted_uid=strawberry.ID(encode_uid(row.permission_id)), user_errors=[]
        )
