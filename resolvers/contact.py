"""`contactUs`: the storefront's contact form, e-mailed to the merchant."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import contact
from graph.contact import ContactUsInput, ContactUsOutput
from graph.context import Info


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Send a 'Contact Us' email to the merchant.")
    async def contactUs(
        self,
        info: Info,
        input: Annotated[ContactUsInput, strawberry.argument(description="The form's fields.")],
    ) -> ContactUsOutput | None:
        telephone = None if input.telephone is strawberry.UNSET else input.telephone
        await contact.submit(
            contact.ContactForm(
                name=input.name, email=input.email, comment=input.comment, telephone=telephone
            ),
            await info.context.store(),
            await info.context.stores(),
            info.context.services.mail,
        )
        return ContactUsOutput(status=True)
