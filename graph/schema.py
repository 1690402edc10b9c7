"""The one schema: every domain's Query and Mutation merged, with limits, caches and error
handling."""

from __future__ import annotations

import importlib
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graph.attributes import AttributeSelectedOption, AttributeSelectedOptions, AttributeValue
from graph.carts import CART_TYPES
from graph.catalog import CATALOG_TYPES
from graph.cms import CmsPage
from graph.configurable import CONFIGURABLE_TYPES
from graph.errors import MagentoErrors
from graph.limits import InputLimits
from graph.media import ProductImage, ProductVideo
from graph.metrics import OperationMetrics
from graph.operations import OperationTracking
from graph.orders import ORDER_TYPES
from graph.product_attributes import PRODUCT_ATTRIBUTE_TYPES
from graph.wishlists import WISHLIST_TYPES

# Each domain's resolvers module may define a `Query`, a `Mutation` and a `Subscription`; all
# are merged in order.
DOMAINS = (
    "auth",
    "stores",
    "groups",
    "customers",
    "addresses",
    "attributes",
    "catalog",
    "configurable",
    "tier_prices",
    "catalog_rules",
    "permissions",
    "carts",
    "wishlists",
    "invitations",
    "orders",
    "order_documents",
    "segments",
    "segment_events",
    "cart_rules",
    "cart_coupons",
    "rewards",
    "store_credit",
    "explain_cart_rules",
    "dynamic_blocks",
    "media",
    "cms",
    "routing",
    "contact",
    "targetrule",
)


def _roots(name: str) -> tuple[type, ...]:
    modules = [importlib.import_module(f"resolvers.{domain}") for domain in DOMAINS]
    return tuple(getattr(m, name) for m in modules if hasattr(m, name))


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Expected failures are not logged; `MagentoErrors` logs the unexpected ones."""


def build_schema(
    max_depth: int = 12, max_tokens: int = 2000, max_aliases: int = 30, debug: bool = False
) -> Schema:
    # Rules are built once: the validation cache keys on them, so fresh ones would never hit.
    rules: list[Any] = [depth_rule(max_depth, None, None), alias_rule(max_aliases)]

    class Errors(MagentoErrors):
        pass

    Errors.debug = debug
    extensions: list[Any] = [
        # Wraps the others: it counts errors once they have their category.
        OperationMetrics,
        # Then tracking: versions are bumped once everything else is done.
        OperationTracking,
        Errors,
        lambda: MaxTokensLimiter(max_token_count=max_tokens),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: AddValidationRules(rules),
        InputLimits,
    ]
    return Schema(
        # Implementations reached only through an interface must be named to be in the schema.
        types=[
            AttributeValue,
            AttributeSelectedOptions,
            AttributeSelectedOption,
            *CATALOG_TYPES,
            *CONFIGURABLE_TYPES,
            *PRODUCT_ATTRIBUTE_TYPES,
            *CART_TYPES,
            *ORDER_TYPES,
            *WISHLIST_TYPES,
            ProductImage,
            ProductVideo,
            CmsPage,
        ],
        query=merge_types("Query", _roots("Query")),
        mutation=merge_types("Mutation", _roots("Mutation")),
        subscription=merge_types("Subscription", _roots("Subscription")),
        config=StrawberryConfig(auto_camel_case=False),
        extensions=extensions,
    )


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
