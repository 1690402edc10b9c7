"""Inputs and outputs of the mutations paying a cart with reward points or store credit, as
`Magento_RewardGraphQl` and `Magento_CustomerBalanceGraphQl` declare them."""

from __future__ import annotations

import strawberry

from graph.carts import Cart
from graph.limits import CART_ID


@strawberry.type(description="Contains the customer cart.")
class ApplyRewardPointsToCartOutput:
    cart: Cart = strawberry.field(description="The customer cart after reward points are applied.")


@strawberry.type(description="Contains the customer cart.")
class RemoveRewardPointsFromCartOutput:
    cart: Cart = strawberry.field(description="The customer cart after reward points are removed.")


@strawberry.input(
    description="Defines the input required to run the `applyStoreCreditToCart` mutation."
)
class ApplyStoreCreditToCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID that identifies the customer's cart."
    )


@strawberry.type(
    description="Defines the possible output for the `applyStoreCreditToCart` mutation."
)
class ApplyStoreCreditToCartOutput:
    cart: Cart = strawberry.field(description="The contents of the specified shopping cart.")


@strawberry.input(
    description="Defines the input required to run the `removeStoreCreditFromCart` mutation."
)
class RemoveStoreCreditFromCartInput:
    cart_id: str = strawberry.field(
        metadata=CART_ID, description="The unique ID that identifies the customer's cart."
    )


@strawberry.type(
    description="Defines the possible output for the `removeStoreCreditFromCart` mutation."
)
class RemoveStoreCreditFromCartOutput:
    cart: Cart = strawberry.field(description="The contents of the specified shopping cart.")
