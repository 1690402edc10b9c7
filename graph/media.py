"""Product media types: `ProductImage` (the image roles), `MediaGalleryInterface` with
`ProductImage` and `ProductVideo` (the gallery), the deprecated `MediaGalleryEntry`, and the
admin's image upload input and output."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry.dataloader import DataLoader

from engine.media import gallery
from engine.media.storage import PRODUCT_FOLDER
from graph.context import Context, Info
from graph.errors import UserError
from graph.limits import limit
from graph.uids import encode_uid
from models import CatalogProductEntity


class MediaLoaders:
    """Per-request DataLoader: each product's gallery and roles for the request's store view."""

    def __init__(self, context: Context) -> None:
        async def load(ids: Sequence[int]) -> list[gallery.ProductMedia]:
            store = await context.store()
            return await gallery.load_media(ids, store.store_id)

        self.media: DataLoader[int, gallery.ProductMedia] = DataLoader(load_fn=load)


@strawberry.interface(description="Contains basic information about a product image or video.")
class MediaGalleryInterface:
    disabled: bool | None = strawberry.field(
        description="Indicates whether the image is hidden from view."
    )
    label: str | None = strawberry.field(description="The label of the product image or video.")
    position: int | None = strawberry.field(
        description="The media item's position after it has been sorted."
    )
    types: list[str | None] | None = strawberry.field(
        description="Array of image types. It can have the following values: image, "
        "small_image, thumbnail."
    )
    url: str | None = strawberry.field(description="The URL of the product image or video.")


@strawberry.type(
    description="Contains product image information, including the image URL and label."
)
class ProductImage(MediaGalleryInterface):
    pass


@strawberry.type(
    description="Contains a link to a video file and basic information about the video."
)
class ProductMediaGalleryEntriesVideoContent:
    media_type: str | None = strawberry.field(description="Must be external-video.")
    video_description: str | None = strawberry.field(description="A description of the video.")
    video_metadata: str | None = strawberry.field(description="Optional data about the video.")
    video_provider: str | None = strawberry.field(description="Describes the video source.")
    video_title: str | None = strawberry.field(description="The title of the video.")
    video_url: str | None = strawberry.field(description="The URL to the video.")


@strawberry.type(description="Contains information about a product video.")
class ProductVideo(MediaGalleryInterface):
    video_content: ProductMediaGalleryEntriesVideoContent | None = strawberry.field(
        description="Contains a `ProductMediaGalleryEntriesVideoContent` object."
    )


@strawberry.type(
    description="Defines characteristics about images and videos associated with a specific "
    "product."
)
class MediaGalleryEntry:
    disabled: bool | None = strawberry.field(
        description="Indicates whether the image is hidden from view."
    )
    file: str | None = strawberry.field(description="The path of the image on the server.")
    id: int | None = strawberry.field(
        description="The identifier assigned to the object.",
        deprecation_reason="Use `uid` instead.",
    )
    label: str | None = strawberry.field(
        description="The alt text displayed on the storefront when the user points to the image."
    )
    media_type: str | None = strawberry.field(description="Either `image` or `external-video`.")
    position: int | None = strawberry.field(
        description="The media item's position after it has been sorted."
    )
    types: list[str | None] | None = strawberry.field(
        description="Array of image types. It can have the following values: image, "
        "small_image, thumbnail."
    )
    uid: strawberry.ID = strawberry.field(
        description="The unique ID for a `MediaGalleryEntry` object."
    )

    @classmethod
    def of(cls, entry: gallery.GalleryEntry) -> MediaGalleryEntry:
        return cls(
            disabled=entry.disabled,
            file=entry.file,
            id=entry.value_id,
            label=entry.label,
            media_type=entry.media_type,
            position=entry.position,
            types=list(entry.types),
            uid=strawberry.ID(encode_uid(entry.value_id)),
        )


def _placeholder(context: Context, role: str) -> str:
    """Magento's placeholder for a role without an image (`catalog/product/placeholder/`)."""
    base = context.services.media.base_url
    base = base if base.endswith("/") else base + "/"
    return f"{base}{PRODUCT_FOLDER}/placeholder/{role}.jpg"


async def product_image(info: Info, row: CatalogProductEntity, role: str) -> ProductImage:
    """A role's image: the file's URL and its gallery label (the product name when it has
    none), or the placeholder when the product has no image for the role, as Magento."""
    media = await info.context.loaders_for(MediaLoaders).media.load(row.entity_id)
    file = media.roles.get(role)
    entry = None if file is None else media.entry_of(file)
    return ProductImage(
        disabled=None if entry is None else entry.disabled,
        label=(entry.label if entry is not None and entry.label else row.name),
        position=None if entry is None else entry.position,
        types=None if entry is None else list(entry.types),
        url=_placeholder(info.context, role)
        if file is None
        else info.context.services.media.url(file),
    )


async def media_gallery(info: Info, row: CatalogProductEntity) -> list[MediaGalleryInterface]:
    """Every gallery entry by position, disabled ones included (with their flag), as Magento."""
    media = await info.context.loaders_for(MediaLoaders).media.load(row.entity_id)
    return [
        ProductImage(
            disabled=e.disabled,
            label=e.label,
            position=e.position,
            types=list(e.types),
            url=info.context.services.media.url(e.file),
        )
        for e in media.entries
        if e.media_type == "image"
    ]


async def media_gallery_entries(info: Info, row: CatalogProductEntity) -> list[MediaGalleryEntry]:
    media = await info.context.loaders_for(MediaLoaders).media.load(row.entity_id)
    return [MediaGalleryEntry.of(e) for e in media.entries]


# --- admin --------------------------------------------------------------------------------------


@strawberry.input(
    description="A product image to upload: its file name and base64 content (JPEG, PNG, GIF "
    "or WebP, at most the configured size), with its gallery label, position and roles."
)
class ProductImageUploadInput:
    product_uid: strawberry.ID = strawberry.field(description="The product the image is for.")
    name: str = strawberry.field(
        description="The file name (`red-shirt.png`); cleaned as Magento does, `_1` added when "
        "taken."
    )
    base64_content: str = strawberry.field(
        description="The file's content, base64-encoded.",
        # Bounded by the request body and the media upload size, checked by the engine.
        metadata=limit(max_length=None),
    )
    label: str | None = strawberry.field(default=None, description="The alt text.")
    position: int | None = strawberry.field(
        default=None, description="The position in the gallery; last when omitted."
    )
    disabled: bool = strawberry.field(default=False, description="Hidden from the gallery.")
    types: list[str] = strawberry.field(
        default_factory=list,
        description="The roles it takes: any of image, small_image, thumbnail.",
    )


@strawberry.type(description="The result of uploading or removing a product image.")
class ProductImageOutput:
    entry: MediaGalleryEntry | None = strawberry.field(
        description="The gallery entry; null when the input was refused or on removal."
    )
    url: str | None = strawberry.field(description="Where the uploaded file is served.")
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")
