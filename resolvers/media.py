"""Product media: the admin's image upload and removal (the storefront reads media through the
product fields `image`, `small_image`, `thumbnail`, `media_gallery`)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

import strawberry

from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.media import gallery
from graph.context import Info
from graph.errors import UserError
from graph.media import MediaGalleryEntry, ProductImageOutput, ProductImageUploadInput
from graph.uids import decode_uid
from resolvers.access import require_admin

NOT_BASE64 = "The image content must be base64-encoded."


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Upload a product image into its gallery, optionally as its base, small "
        "or thumbnail image (admin token required)."
    )
    async def adminUploadProductImage(
        self,
        info: Info,
        input: Annotated[
            ProductImageUploadInput,
            strawberry.argument(
                description="The product, the image file as base64 and the roles it takes."
            ),
        ],
    ) -> ProductImageOutput:
        await require_admin(info)
        storage = info.context.services.media
        try:
            try:
                content = base64.b64decode(input.base64_content, validate=True)
            except (binascii.Error, ValueError):
                raise InputInvalid(
                    Problem(ProblemCode.INVALID, NOT_BASE64, "input.base64_content")
                ) from None
            entry = await gallery.add_image(
                storage,
                decode_uid(input.product_uid, "input.product_uid"),
                gallery.NewImage(
                    name=input.name,
                    content=content,
                    label=input.label,
                    position=input.position,
                    disabled=input.disabled,
                    types=tuple(input.types),
                ),
            )
        except DomainError as error:
            return ProductImageOutput(entry=None, url=None, user_errors=UserError.from_error(error))
        return ProductImageOutput(
            entry=MediaGalleryEntry.of(entry), url=storage.url(entry.file), user_errors=[]
        )

    @strawberry.mutation(
        description="Remove a gallery entry with its file and the roles it held (admin token "
        "required)."
    )
    async def adminRemoveProductImage(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the gallery image to remove."),
        ],
    ) -> ProductImageOutput:
        await require_admin(info)
        try:
            await gallery.remove_image(info.context.services.media, decode_uid(uid))
        except DomainError as error:
            return ProductImageOutput(entry=None, url=None, user_errors=UserError.from_error(error))
        return ProductImageOutput(entry=None, url=None, user_errors=[])
