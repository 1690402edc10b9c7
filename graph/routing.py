"""Routing: `RoutableInterface` (what `route(url)` answers: a product, a category or a CMS page,
with the redirect it took) and `UrlRewriteEntityTypeEnum`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import strawberry


@strawberry.enum(description="This enumeration defines the entity type.")
class UrlRewriteEntityTypeEnum(Enum):
    CMS_PAGE = strawberry.enum_value("CMS_PAGE", description="A CMS page.")
    PRODUCT = strawberry.enum_value("PRODUCT", description="A product.")
    CATEGORY = strawberry.enum_value("CATEGORY", description="A category.")


@dataclass(frozen=True)
class RouteHit:
    """How `route(url)` reached an entity: the redirect code (0 for none) and the URL the client
    should show (the target of a redirect, else the URL asked for)."""

    redirect_code: int
    relative_url: str


@strawberry.interface(description="Routable entities serve as the model for a rendered page.")
class RoutableInterface:
    redirect_code: int = strawberry.field(description="Contains 0 when there is no redirect error.")
    relative_url: str | None = strawberry.field(
        description="The internal relative URL. If the specified URL is a redirect, the query "
        "returns the redirected URL, not the original."
    )
    type: UrlRewriteEntityTypeEnum | None = strawberry.field(
        description="One of PRODUCT, CATEGORY, or CMS_PAGE."
    )
