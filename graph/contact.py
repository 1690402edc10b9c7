"""The contact form's input and answer, exactly as Magento's ContactGraphQl declares them."""

from __future__ import annotations

import strawberry


@strawberry.input(description="The contact form a shopper sends to the merchant.")
class ContactUsInput:
    comment: str = strawberry.field(description="The shopper's comment to the merchant.")
    email: str = strawberry.field(description="The email address of the shopper.")
    name: str = strawberry.field(description="The full name of the shopper.")
    telephone: str | None = strawberry.field(
        default=strawberry.UNSET, description="The shopper's telephone number."
    )


@strawberry.type(description="Contains the status of the request.")
class ContactUsOutput:
    status: bool = strawberry.field(description="Indicates whether the request was successful.")
