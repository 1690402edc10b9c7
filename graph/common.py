"""Magento's shared GraphQL building blocks: `Money`, pagination info, sorting and filter inputs."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry

from engine.pagination import Page
from graph.iso_codes import CurrencyEnum


@strawberry.type(
    description="Defines a monetary value, including a numeric value and a currency code."
)
class Money:
    currency: CurrencyEnum | None = strawberry.field(
        description="A three-letter currency code, such as USD or EUR."
    )
    value: float | None = strawberry.field(description="A number expressing a monetary value.")

    @classmethod
    def of(cls, amount: Decimal, currency_code: str) -> Money:
        return cls(currency=CurrencyEnum[currency_code], value=float(amount))


@strawberry.type(description="Provides navigation for the query response.")
class SearchResultPageInfo:
    current_page: int | None = strawberry.field(description="The specific page to return.")
    page_size: int | None = strawberry.field(
        description="The maximum number of items to return per page of results."
    )
    total_pages: int | None = strawberry.field(
        description="The total number of pages in the response."
    )

    @classmethod
    def of(cls, page: Page[Any]) -> SearchResultPageInfo:
        return cls(
            current_page=page.current_page, page_size=page.page_size, total_pages=page.total_pages
        )


@strawberry.enum(
    description="Indicates whether to return results in ascending or descending order."
)
class SortEnum(Enum):
    ASC = strawberry.enum_value("ASC", description="Ascending order.")
    DESC = strawberry.enum_value("DESC", description="Descending order.")


@strawberry.enum(description="Whether a match filter compares whole values or parts of them.")
class FilterMatchTypeEnum(Enum):
    FULL = strawberry.enum_value("FULL", description="The whole value must match.")
    PARTIAL = strawberry.enum_value("PARTIAL", description="Any part of the value may match.")


@strawberry.input(description="Defines a filter that matches the input exactly.")
class FilterEqualTypeInput:
    eq: str | None = strawberry.field(default=None, description="Exactly this value.")
    in_: list[str | None] | None = strawberry.field(
        default=None, name="in", description="Any of these values."
    )


@strawberry.input(description="Defines a filter that performs a fuzzy search.")
class FilterMatchTypeInput:
    match: str | None = strawberry.field(default=None, description="The text to look for.")
    match_type: FilterMatchTypeEnum | None = strawberry.field(
        default=None, description="FULL (the default) or PARTIAL."
    )


@strawberry.input(
    description="Defines a filter that matches a range of values, such as prices or dates."
)
class FilterRangeTypeInput:
    from_: str | None = strawberry.field(
        default=None, name="from", description="The lowest possible value in the range."
    )
    to: str | None = strawberry.field(
        default=None, description="The highest possible value in the range."
    )


@strawberry.input(description="Defines a filter for an input string.")
class FilterStringTypeInput:
    eq: str | None = strawberry.field(default=None, description="Exactly this string.")
    in_: list[str | None] | None = strawberry.field(
        default=None, name="in", description="Any of these strings."
    )
    match: str | None = strawberry.field(
        default=None, description="A fuzzy search for this string."
    )


@strawberry.input(description="Defines the comparison operators that can be used in a filter.")
class FilterTypeInput:
    eq: str | None = strawberry.field(default=None, description="Equals.")
    finset: list[str | None] | None = strawberry.field(
        default=None, description="In a comma-separated set (deprecated in Magento)."
    )
    from_: str | None = strawberry.field(
        default=None, name="from", description="From. Must be used with the `to` field."
    )
    gt: str | None = strawberry.field(default=None, description="Greater than.")
    gteq: str | None = strawberry.field(default=None, description="Greater than or equal to.")
    in_: list[str | None] | None = strawberry.field(
        default=None, name="in", description="In a set of values."
    )
    like: str | None = strawberry.field(
        default=None, description="Like, with % matching zero or more characters."
    )
    lt: str | None = strawberry.field(default=None, description="Less than.")
    lteq: str | None = strawberry.field(default=None, description="Less than or equal to.")
    moreq: str | None = strawberry.field(default=None, description="More than or equal to.")
    neq: str | None = strawberry.field(default=None, description="Not equal to.")
    nin: list[str | None] | None = strawberry.field(
        default=None, description="Not in a set of values."
    )
    notnull: str | None = strawberry.field(default=None, description="Not null.")
    null: str | None = strawberry.field(default=None, description="Is null.")
    to: str | None = strawberry.field(
        default=None, description="To. Must be used with the `from` field."
    )


def draft_value(values: list[str] | None) -> str | tuple[str, ...] | None:
    """A condition input's `value` list as a draft holds it: one string, or a tuple of several."""
    if values is None:
        return None
    if len(values) == 1:
        return values[0]
    return tuple(values)


@strawberry.type(description="Text that can contain HTML tags.")
class ComplexTextValue:
    html: str = strawberry.field(description="Text that can contain HTML tags.")
