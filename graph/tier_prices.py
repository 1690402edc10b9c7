"""Tier and group price types for the admin: a product's `catalog_product_entity_tier_price`
rows, the input that replaces them, and its output. The storefront sees them as `price_tiers`
(`graph/catalog.py`)."""

from __future__ import annotations

import strawberry

from graph.errors import UserError
from graph.limits import QUANTITY, limit
from graph.uids import encode_uid
from models import CatalogProductEntityTierPrice


@strawberry.type(
    description="A tier or group price of a product as admins manage it (admin token required)."
)
class AdminTierPrice:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the row (`value_id`).")
    website_uid: strawberry.ID | None = strawberry.field(
        description="The website the price is for; null for all websites."
    )
    customer_group_uid: strawberry.ID | None = strawberry.field(
        description="The customer group the price is for; null for ALL GROUPS."
    )
    all_groups: bool = strawberry.field(description="True when the price is for ALL GROUPS.")
    quantity: float = strawberry.field(
        description="The minimum quantity bought for the price to apply (1 is a group price)."
    )
    value: float | None = strawberry.field(
        description="The fixed price per unit; null when the row is a percentage."
    )
    percentage_value: float | None = strawberry.field(
        description="The discount in percent off the regular price; null for a fixed price."
    )

    @classmethod
    def of(cls, row: CatalogProductEntityTierPrice) -> AdminTierPrice:
        percentage = row.percentage_value
        return cls(
            uid=strawberry.ID(encode_uid(row.value_id)),
            website_uid=None if not row.website_id else strawberry.ID(encode_uid(row.website_id)),
            customer_group_uid=None
            if row.all_groups
            else strawberry.ID(encode_uid(row.customer_group_id)),
            all_groups=bool(row.all_groups),
            quantity=float(row.qty),
            value=None if percentage is not None else float(row.value),
            percentage_value=None if percentage is None else float(percentage),
        )


@strawberry.input(description="One tier or group price of a product.")
class AdminTierPriceInput:
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="A website; null (the default) for all websites."
    )
    customer_group_uid: strawberry.ID | None = strawberry.field(
        default=None,
        description="A customer group; null (the default) for ALL GROUPS (so is the uid of "
        "32000, Magento's ALL GROUPS id).",
    )
    quantity: float = strawberry.field(
        metadata=QUANTITY,
        default=1.0,
        description="The minimum quantity, greater than 0 (1, the default, makes a group price).",
    )
    value: float | None = strawberry.field(
        default=None, description="A fixed price per unit, 0 or more; or give `percentage_value`."
    )
    percentage_value: float | None = strawberry.field(
        metadata=limit(digits=(5, 2)),
        default=None,
        description="A discount in percent off the regular price, more than 0 and at most 100; "
        "or give `value`.",
    )


@strawberry.type(description="The result of replacing a product's tier and group prices.")
class AdminSetProductTierPricesOutput:
    tier_prices: list[AdminTierPrice] | None = strawberry.field(
        description="The product's rows after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input, with paths naming the row "
        "(`tiers.2.percentage_value`); empty on success."
    )
