"""Reward points: the storefront's `applyRewardPointsToCart` / `removeRewardPointsFromCart`
(`Magento_RewardGraphQl`), and admin rates, adjustments and history."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry

from engine import cart_payments
from engine.carts import CartRef
from engine.errors import DomainError, NotAuthorized, Problem, ProblemCode
from engine.rewards import actions, rates
from engine.uids import decode_uid
from graph.cart_balances import ApplyRewardPointsToCartOutput, RemoveRewardPointsFromCartOutput
from graph.carts import Cart
from graph.context import Info
from graph.errors import UserError
from graph.limits import CART_ID
from graph.rewards import (
    DIRECTIONS,
    AdminRewardPoints,
    RewardExchangeRate,
    RewardExchangeRateInput,
    RewardExchangeRateOutput,
    RewardPointsAdjustmentInput,
    RewardPointsAdjustmentOutput,
    admin_reward_points,
)
from resolvers.access import CUSTOMER_NOT_AUTHORIZED, require_admin


async def _ref(info: Info, cart_id: str) -> CartRef:
    viewer = await info.context.viewer()
    if viewer.customer_id is None:
        raise NotAuthorized(Problem(ProblemCode.PROTECTED, CUSTOMER_NOT_AUTHORIZED, "cartId"))
    return CartRef(cart_id, viewer, await info.context.store())


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


@strawberry.type
class Query:
    @strawberry.field(
        description="Every reward points exchange rate, by website, group and direction "
        "(admin token required)."
    )
    async def adminRewardRates(self, info: Info) -> list[RewardExchangeRate]:
        await require_admin(info)
        return [RewardExchangeRate.of(rate) for rate in await rates.all_rates()]

    @strawberry.field(
        description="A customer's reward points balances and full history (admin token required)."
    )
    async def adminCustomerRewardPoints(
        self,
        info: Info,
        customer_uid: Annotated[strawberry.ID, strawberry.argument(description="The customer.")],
    ) -> AdminRewardPoints:
        await require_admin(info)
        return await admin_reward_points(decode_uid(customer_uid, "customer_uid"))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Apply all available points, up to the cart total. Partial redemption is "
        "not available."
    )
    async def applyRewardPointsToCart(
        self,
        info: Info,
        cartId: Annotated[
            strawberry.ID,
            strawberry.argument(metadata=CART_ID, description="The unique ID of the cart."),
        ],
    ) -> ApplyRewardPointsToCartOutput | None:
        ref = await _ref(info, cartId)
        stores = await info.context.stores()
        if not cart_payments.rewards_enabled(ref, stores):
            return None
        quote = await cart_payments.apply_reward_points(ref, stores)
        return ApplyRewardPointsToCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(description="Cancel the application of reward points to the cart.")
    async def removeRewardPointsFromCart(
        self,
        info: Info,
        cartId: Annotated[
            strawberry.ID,
            strawberry.argument(metadata=CART_ID, description="The unique ID of the cart."),
        ],
    ) -> RemoveRewardPointsFromCartOutput | None:
        ref = await _ref(info, cartId)
        stores = await info.context.stores()
        if not cart_payments.rewards_enabled(ref, stores):
            return None
        quote = await cart_payments.remove_reward_points(ref, stores)
        return RemoveRewardPointsFromCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(
        description="Create a reward points exchange rate, or replace the one `uid` names "
        "(admin token required). One rate per website, group and direction."
    )
    async def adminSaveRewardRate(
        self,
        info: Info,
        input: Annotated[
            RewardExchangeRateInput, strawberry.argument(description="The rate to save.")
        ],
        uid: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The rate to replace; omitted to create one."),
        ] = None,
    ) -> RewardExchangeRateOutput:
        await require_admin(info)
        try:
            data = rates.RateInput(
                website_id=decode_uid(input.website_uid, "input.website_uid")
                if input.website_uid
                else None,
                customer_group_id=decode_uid(input.customer_group_uid, "input.customer_group_uid")
                if input.customer_group_uid
                else None,
                direction=DIRECTIONS[input.direction],
                points=_decimal(input.points),
                currency_amount=_decimal(input.currency_amount),
            )
            rate = await rates.save_rate(decode_uid(uid) if uid else None, data)
        except DomainError as error:
            return RewardExchangeRateOutput(rate=None, user_errors=UserError.from_error(error))
        return RewardExchangeRateOutput(rate=RewardExchangeRate.of(rate), user_errors=[])

    @strawberry.mutation(description="Delete a reward points exchange rate (admin token required).")
    async def adminDeleteRewardRate(
        self,
        info: Info,
        uid: Annotated[strawberry.ID, strawberry.argument(description="The rate.")],
    ) -> RewardExchangeRateOutput:
        await require_admin(info)
        try:
            rate = await rates.delete_rate(decode_uid(uid))
        except DomainError as error:
            return RewardExchangeRateOutput(rate=None, user_errors=UserError.from_error(error))
        return RewardExchangeRateOutput(rate=RewardExchangeRate.of(rate), user_errors=[])

    @strawberry.mutation(
        description="Add or take a customer's reward points with a comment (history: "
        '"Updated by moderator"; admin token required).'
    )
    async def adminAdjustRewardPoints(
        self,
        info: Info,
        input: Annotated[
            RewardPointsAdjustmentInput,
            strawberry.argument(description="The customer, website, points and comment."),
        ],
    ) -> RewardPointsAdjustmentOutput:
        await require_admin(info)
        try:
            customer_id = decode_uid(input.customer_uid, "input.customer_uid")
            await actions.admin_adjust(
                customer_id,
                decode_uid(input.website_uid, "input.website_uid") if input.website_uid else None,
                _decimal(input.points_delta),
                input.comment,
                await info.context.stores(),
            )
        except DomainError as error:
            return RewardPointsAdjustmentOutput(
                reward_points=None, user_errors=UserError.from_error(error)
            )
        return RewardPointsAdjustmentOutput(
            reward_points=await admin_reward_points(customer_id), user_errors=[]
        )
