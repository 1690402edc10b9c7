"""Store credit at checkout: the storefront's `applyStoreCreditToCart` /
`removeStoreCreditFromCart` (`Magento_CustomerBalanceGraphQl`), and the admin's history."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import balance, cart_payments
from engine.carts import CartRef
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.uids import decode_uid
from graph.cart_balances import (
    ApplyStoreCreditToCartInput,
    ApplyStoreCreditToCartOutput,
    RemoveStoreCreditFromCartInput,
    RemoveStoreCreditFromCartOutput,
)
from graph.carts import Cart
from graph.context import Info
from graph.store_credit import AdminStoreCreditHistoryEntry
from resolvers.access import require_admin


async def _ref(info: Info, cart_id: str) -> CartRef:
    if not cart_id:
        raise InputInvalid(
            Problem(
                ProblemCode.REQUIRED, 'Required parameter "cart_id" is missing', "input.cart_id"
            )
        )
    return CartRef(cart_id, await info.context.viewer(), await info.context.store())


@strawberry.type
class Query:
    @strawberry.field(
        description="A customer's store credit history in every website, newest first (admin "
        "token required)."
    )
    async def adminCustomerStoreCreditHistory(
        self,
        info: Info,
        customer_uid: Annotated[strawberry.ID, strawberry.argument(description="The customer.")],
    ) -> list[AdminStoreCreditHistoryEntry]:
        await require_admin(info)
        entries = await balance.history(decode_uid(customer_uid, "customer_uid"))
        return [AdminStoreCreditHistoryEntry.of(entry) for entry in entries]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Apply store credit to the specified cart.")
    async def applyStoreCreditToCart(
        self,
        info: Info,
        input: Annotated[
            ApplyStoreCreditToCartInput,
            strawberry.argument(
                description="An input object that specifies the cart to apply store credit to."
            ),
        ],
    ) -> ApplyStoreCreditToCartOutput | None:
        ref = await _ref(info, input.cart_id)
        quote = await cart_payments.apply_store_credit(ref, await info.context.stores())
        return ApplyStoreCreditToCartOutput(cart=await Cart.of(info, quote))

    @strawberry.mutation(
        description="Remove store credit that has been applied to the specified cart."
    )
    async def removeStoreCreditFromCart(
        self,
        info: Info,
        input: Annotated[
            RemoveStoreCreditFromCartInput,
            strawberry.argument(
                description="An input object that specifies the cart to remove store credit from."
            ),
        ],
    ) -> RemoveStoreCreditFromCartOutput | None:
        ref = await _ref(info, input.cart_id)
        quote = await cart_payments.remove_store_credit(ref, await info.context.stores())
        return RemoveStoreCreditFromCartOutput(cart=await Cart.of(info, quote))
