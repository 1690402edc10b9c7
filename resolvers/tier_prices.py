"""Tier and group prices: admin read and replace (`adminProductTierPrices`,
`adminSetProductTierPrices`)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated

import strawberry

from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.pricing import tier_prices
from graph.context import Info
from graph.errors import UserError
from graph.tier_prices import AdminSetProductTierPricesOutput, AdminTierPrice, AdminTierPriceInput
from graph.uids import decode_uid
from resolvers.access import require_admin


def _decimal(number: float, path: str, problems: list[Problem]) -> Decimal:
    if not math.isfinite(number):
        problems.append(Problem(ProblemCode.INVALID, "The value must be a finite number.", path))
        return Decimal(0)
    return Decimal(str(number))


def _drafts(tiers: list[AdminTierPriceInput]) -> list[tier_prices.TierDraft]:
    """The input rows as engine drafts; every malformed uid or number is reported at once."""
    problems: list[Problem] = []
    drafts: list[tier_prices.TierDraft] = []
    for index, tier in enumerate(tiers):
        path = f"tiers.{index}"
        website_id = group_id = None
        try:
            if tier.website_uid is not None:
                website_id = decode_uid(tier.website_uid, f"{path}.website_uid")
        except DomainError as error:
            problems.extend(error.problems)
        try:
            if tier.customer_group_uid is not None:
                group_id = decode_uid(tier.customer_group_uid, f"{path}.customer_group_uid")
        except DomainError as error:
            problems.extend(error.problems)
        drafts.append(
            tier_prices.TierDraft(
                website_id=website_id or tier_prices.ALL_WEBSITES,
                group_id=group_id,
                qty=_decimal(tier.quantity, f"{path}.quantity", problems),
                value=None
                if tier.value is None
                else _decimal(tier.value, f"{path}.value", problems),
                percentage_value=None
                if tier.percentage_value is None
                else _decimal(tier.percentage_value, f"{path}.percentage_value", problems),
            )
        )
    if problems:
        raise InputInvalid(problems)
    return drafts


@strawberry.type
class Query:
    @strawberry.field(
        description="A product's tier and group prices, by website, group (ALL GROUPS first) "
        "and quantity (admin token required); null with an error for an unknown product."
    )
    async def adminProductTierPrices(
        self,
        info: Info,
        product_uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the product whose prices to return."),
        ],
    ) -> list[AdminTierPrice] | None:
        await require_admin(info)
        rows = await tier_prices.product_tiers(decode_uid(product_uid, "product_uid"))
        return [AdminTierPrice.of(row) for row in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Replace every tier and group price of a product with `tiers`, in one "
        "transaction; an empty list removes them all (admin token required). Rows with the "
        "same website, group (or ALL GROUPS) and quantity are refused."
    )
    async def adminSetProductTierPrices(
        self,
        info: Info,
        product_uid: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The `uid` of the product whose tier and group prices are replaced."
            ),
        ],
        tiers: Annotated[
            list[AdminTierPriceInput],
            strawberry.argument(
                description=(
                    "Every tier and group price the product keeps; an empty list removes them all."
                )
            ),
        ],
    ) -> AdminSetProductTierPricesOutput:
        await require_admin(info)
        try:
            rows = await tier_prices.set_product_tiers(
                decode_uid(product_uid, "product_uid"), _drafts(tiers)
            )
        except DomainError as error:
            return AdminSetProductTierPricesOutput(
                tier_prices=None, user_errors=UserError.from_error(error)
            )
        return AdminSetProductTierPricesOutput(
            tier_prices=[AdminTierPrice.of(row) for row in rows], user_errors=[]
        )
