"""Customer sign-in and sign-out."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import auth, sessions
from graph.auth import CustomerToken, RevokeCustomerTokenOutput
from graph.context import Info
from graph.limits import LONG_TEXT, length
from resolvers.access import require_customer


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Generate a token for specified customer.")
    async def generateCustomerToken(
        self,
        info: Info,
        email: Annotated[
            str,
            strawberry.argument(metadata=length(255), description="The customer's email address."),
        ],
        password: Annotated[
            str, strawberry.argument(metadata=LONG_TEXT, description="The customer's password.")
        ],
    ) -> CustomerToken | None:
        token = await sessions.sign_in(
            email,
            password,
            await info.context.store(),
            await info.context.stores(),
            info.context.services,
        )
        return CustomerToken(token=token)

    @strawberry.mutation(description="Revoke the customer token.")
    async def revokeCustomerToken(self, info: Info) -> RevokeCustomerTokenOutput:
        viewer = await require_customer(info)
        assert viewer.token_id is not None
        await auth.revoke_token(viewer.token_id)
        return RevokeCustomerTokenOutput(result=True)
