"""`adminExplainCartRules(cart_id)`: each cart price rule in priority order, applied with its amount
or the first reason it was not (admin token required). `explainCartRules` is its deprecated former
name, kept for one release."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine.salesrules import explain
from graph.context import Info
from graph.explain_cart_rules import CartRuleExplanation, explanations_of
from graph.limits import CART_ID
from resolvers.access import require_admin

DESCRIPTION = (
    "Why each cart price rule did or did not apply to the cart: every rule in priority order, "
    "APPLIED with the amount it took, or the first reason it did not (admin token required)."
)


async def _explain(info: Info, cart_id: str) -> list[CartRuleExplanation] | None:
    await require_admin(info)
    cart = await explain.explain(cart_id, await info.context.stores())
    return explanations_of(cart)


@strawberry.type
class Query:
    @strawberry.field(description=DESCRIPTION)
    async def adminExplainCartRules(
        self,
        info: Info,
        cart_id: Annotated[
            str,
            strawberry.argument(
                metadata=CART_ID, description="The masked ID of the cart to explain."
            ),
        ],
    ) -> list[CartRuleExplanation] | None:
        return await _explain(info, cart_id)

    @strawberry.field(
        description=DESCRIPTION,
        deprecation_reason="Use `adminExplainCartRules`: admin-only root fields start with admin.",
    )
    async def explainCartRules(
        self,
        info: Info,
        cart_id: Annotated[
            str,
            strawberry.argument(
                metadata=CART_ID, description="The masked ID of the cart to explain."
            ),
        ],
    ) -> list[CartRuleExplanation] | None:
        return await _explain(info, cart_id)
