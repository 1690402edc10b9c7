"""Coupons on a storefront cart: Magento's `applyCouponToCart`, `applyCouponsToCart`,
`removeCouponFromCart` and `removeCouponsFromCart`, for the cart's owner only (as every cart
operation, through `engine.carts.cart_for_caller`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine.auth import ViewerKind
from engine.carts import CartRef
from engine.errors import InputInvalid, NotAuthorized, Problem, ProblemCode
from engine.salesrules import cart_coupons
from graph.cart_coupons import (
    ApplyCouponsStrategy,
    ApplyCouponsToCartInput,
    ApplyCouponToCartInput,
    ApplyCouponToCartOutput,
    RemoveCouponFromCartInput,
    RemoveCouponFromCartOutput,
    RemoveCouponsFromCartInput,
)
from graph.carts import Cart
from graph.context import Info
from resolvers.access import CUSTOMER_NOT_AUTHORIZED


async def _ref(info: Info, cart_id: str | None) -> CartRef:
    viewer = await info.context.viewer()
    if viewer.kind is ViewerKind.ADMIN:
        raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
    if not cart_id:
        raise InputInvalid(
            Problem(
                ProblemCode.REQUIRED, 'Required parameter "cart_id" is missing', "input.cart_id"
            )
        )
    return CartRef(cart_id, viewer, await info.context.store())


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Apply a pre-defined coupon code to the specified cart.")
    async def applyCouponToCart(
        self,
        info: Info,
        input: Annotated[
            ApplyCouponToCartInput | None,
            strawberry.argument(
                description="An input object that defines the coupon code to apply to the cart."
            ),
        ] = None,
    ) -> ApplyCouponToCartOutput | None:
        ref = await _ref(info, input.cart_id if input is not None else None)
        assert input is not None
        quote = await cart_coupons.apply_coupon(ref, input.coupon_code, await info.context.stores())
        return ApplyCouponToCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(description="Apply a pre-defined coupon code to the specified cart.")
    async def applyCouponsToCart(
        self,
        info: Info,
        input: Annotated[
            ApplyCouponsToCartInput | None,
            strawberry.argument(
                description=(
                    "An input object that defines the coupon codes to apply to the cart, "
                    "and whether they replace the applied ones."
                )
            ),
        ] = None,
    ) -> ApplyCouponToCartOutput | None:
        ref = await _ref(info, input.cart_id if input is not None else None)
        assert input is not None
        strategy = (
            cart_coupons.Strategy.REPLACE
            if input.type is ApplyCouponsStrategy.REPLACE
            else cart_coupons.Strategy.APPEND
        )
        quote = await cart_coupons.apply_coupons(
            ref, input.coupon_codes, strategy, await info.context.stores()
        )
        return ApplyCouponToCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(
        description="Remove a previously-applied coupon from the cart. The cart must contain at "
        "least one item in order to remove the coupon."
    )
    async def removeCouponFromCart(
        self,
        info: Info,
        input: Annotated[
            RemoveCouponFromCartInput | None,
            strawberry.argument(
                description=(
                    "An input object that defines which coupon code to remove from the cart."
                )
            ),
        ] = None,
    ) -> RemoveCouponFromCartOutput | None:
        ref = await _ref(info, input.cart_id if input is not None else None)
        quote = await cart_coupons.remove_coupons(
            ref, None, await info.context.stores(), single=True
        )
        return RemoveCouponFromCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(
        description="Remove a previously-applied coupon from the cart. The cart must contain at "
        "least one item in order to remove the coupon."
    )
    async def removeCouponsFromCart(
        self,
        info: Info,
        input: Annotated[
            RemoveCouponsFromCartInput | None,
            strawberry.argument(
                description=(
                    "An input object that defines which coupon codes to remove from the cart."
                )
            ),
        ] = None,
    ) -> RemoveCouponFromCartOutput | None:
        ref = await _ref(info, input.cart_id if input is not None else None)
        assert input is not None
        quote = await cart_coupons.remove_coupons(
            ref, input.coupon_codes, await info.context.stores(), single=False
        )
        return RemoveCouponFromCartOutput(cart=await Cart.of(info, quote))
