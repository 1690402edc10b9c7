"""Layered navigation types: `Aggregation` and its options with the filter input, and the sort
fields a listing offers (`SortFields`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import strawberry

from engine import catalog
from engine.navigation import aggregations
from engine.permissions import CatalogAccess


@strawberry.type(
    description="An implementation of `AggregationOptionInterface`: one bucket with its count."
)
class AggregationOption:
    count: int | None = strawberry.field(
        description="The number of items that match the aggregation option."
    )
    label: str | None = strawberry.field(description="The display label for an aggregation option.")
    value: str = strawberry.field(
        description="The internal ID that represents the value of the option."
    )


@strawberry.type(
    description="Contains information for each filterable option (such as price, category "
    "`UID`, and custom attributes)."
)
class Aggregation:
    attribute_code: str = strawberry.field(description="Attribute code of the aggregation group.")
    count: int | None = strawberry.field(
        description="The number of options in the aggregation group."
    )
    label: str | None = strawberry.field(description="The aggregation display name.")
    options: list[AggregationOption | None] | None = strawberry.field(
        description="Array of options for the aggregation."
    )
    position: int | None = strawberry.field(
        description="The relative position of the attribute in a layered navigation block."
    )

    @classmethod
    def of(cls, data: aggregations.Aggregation) -> Aggregation:
        return cls(
            attribute_code=data.attribute_code,
            count=len(data.options),
            label=data.label,
            options=[
                AggregationOption(count=o.count, label=o.label, value=o.value) for o in data.options
            ],
            position=data.position,
        )


@strawberry.input(description="Filter category aggregations in layered navigation.")
class AggregationsCategoryFilterInput:
    includeDirectChildrenOnly: bool | None = strawberry.field(
        default=None,
        description="Indicates whether to include only direct subcategories or all children "
        "categories at all levels.",
    )


@strawberry.input(
    description="An input object that specifies the filters used in product aggregations."
)
class AggregationsFilterInput:
    category: AggregationsCategoryFilterInput | None = strawberry.field(
        default=None, description="Filter category aggregations in layered navigation."
    )


@strawberry.type(description="Defines a possible sort field.")
class SortField:
    label: str | None = strawberry.field(description="The label of the sort field.")
    value: str | None = strawberry.field(description="The attribute code of the sort field.")


@strawberry.type(
    description="Contains a default value for sort fields and all available sort fields."
)
class SortFields:
    default: str | None = strawberry.field(description="Default value of sort fields.")
    options: list[SortField | None] | None = strawberry.field(
        description="An array of possible sort fields."
    )

    @classmethod
    def of(cls, has_search: bool) -> SortFields:
        """Magento's sort-by attributes (`used_for_sort_by`: position, name, price), and
        relevance for a text search, which is then the default."""
        options = [
            SortField(label="Position", value="position"),
            SortField(label="Product Name", value="name"),
            SortField(label="Price", value="price"),
        ]
        if has_search:
            options.insert(0, SortField(label="Relevance", value="relevance"))
        return cls(default="relevance" if has_search else "position", options=list(options))


@dataclass(frozen=True)
class SearchScope:
    """What a `products` answer searched, for its aggregations."""

    website_id: int
    criteria: catalog.ProductSearch
    today: date
    group_id: int
    access: CatalogAccess | None
    show_out_of_stock: bool
    root_category_id: int
