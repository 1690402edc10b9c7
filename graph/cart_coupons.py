"""Coupon mutations' inputs and outputs, as Magento's QuoteGraphQl names them."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.carts import Cart
from graph.limits import CART_ID, length


@strawberry.input(description="Specifies the coupon code to apply to the cart.")
class ApplyCouponToCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    coupon_code: str = strawberry.field(metadata=length(255), description="A valid coupon code.")


@strawberry.enum(description="The strategy to apply coupons to the cart.")
class ApplyCouponsStrategy(Enum):
    APPEND = strawberry.enum_value(
        "APPEND",
        description="Append new coupons keeping the coupons that have been applied before.",
    )
    REPLACE = strawberry.enum_value(
        "REPLACE",
        description="Remove all the coupons from the cart and apply only new provided coupons.",
    )


@strawberry.input(description="Apply coupons to the cart.")
class ApplyCouponsToCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    coupon_codes: list[str | None] = strawberry.field(
        metadata=length(255), description="An array of valid coupon codes."
    )
    type: ApplyCouponsStrategy | None = strawberry.field(
        default=strawberry.UNSET,
        description="`replace` to replace the existing coupon(s) or `append` to add the coupon to "
        "the coupon(s) list.",
    )


@strawberry.type(description="Contains details about the cart after applying a coupon.")
class ApplyCouponToCartOutput:
    cart: Cart = strawberry.field(description="The cart after applying a coupon.")


@strawberry.input(description="Specifies the cart from which to remove a coupon.")
class RemoveCouponFromCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )


@strawberry.input(description="Remove coupons from the cart.")
class RemoveCouponsFromCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID of a `Cart` object."
    )
    coupon_codes: list[str | None] = strawberry.field(
        metadata=length(255),
        description="An array of coupon codes to be removed from the quote. If coupon_codes is "
        "empty all coupons will be removed from the quote.",
    )


@strawberry.type(description="Contains details about the cart after removing a coupon.")
class RemoveCouponFromCartOutput:
    cart: Cart | None = strawberry.field(description="The cart after removing a coupon.")
