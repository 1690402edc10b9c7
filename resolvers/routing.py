"""Routing: the storefront's `route(url)`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine.routing.resolve import resolve
from graph.catalog import CategoryTree, product_of
from graph.cms import CmsPage
from graph.context import Info
from graph.permissions import browsable
from graph.routing import RoutableInterface, RouteHit
from models import CatalogCategoryEntity, CatalogProductEntity
from models import CmsPage as CmsPageRow


@strawberry.type
class Query:
    @strawberry.field(
        description="Return the full details for a specified product, category, or CMS page."
    )
    async def route(
        self,
        info: Info,
        url: Annotated[
            str,
            strawberry.argument(
                description="A `url_key` appended by the `url_suffix`, if one exists."
            ),
        ],
    ) -> RoutableInterface | None:
        await info.context.viewer()
        store = await info.context.store()
        found = await resolve(url, store, await info.context.stores())
        if found is None:
            return None
        hit = RouteHit(found.redirect_code, found.relative_url)
        if isinstance(found.entity, CatalogProductEntity):
            return product_of(found.entity, hit)  # type: ignore[return-value]
        if isinstance(found.entity, CatalogCategoryEntity):
            if not await browsable(info, [found.entity]):
                return None  # category permissions hide it
            return CategoryTree.of(found.entity, hit)
        if isinstance(found.entity, CmsPageRow):
            return CmsPage.of(found.entity, found.redirect_code, found.relative_url)
        return None
