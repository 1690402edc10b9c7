"""Customer token types, as Magento names them."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Contains a customer authorization token.")
class CustomerToken:
    token: str | None = strawberry.field(description="The customer authorization token.")


@strawberry.type(description="Contains the result of a request to revoke a customer token.")
class RevokeCustomerTokenOutput:
    result: bool = strawberry.field(
        description="The result of a request to revoke a customer token."
    )
