"""What a storefront needs beyond the catalog, added once with the demo catalog: a generated
image for every product (base, small and thumbnail) and a second, alternate one for the first
products, category descriptions and images, the CMS home page showing a dynamic block targeted
at the "Newsletter subscribers" segment, the contact page's CMS block, and the URL rewrites of
every product, category and page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from engine import dynamic_blocks
from engine.cms import blocks
from engine.media.storage import MediaStorage, dispersion
from engine.routing import rewrites
from engine.segments import service as segments
from engine.segments.drafts import ConditionDraft, ConditionType
from engine.stores import load_snapshot
from models import (
    CatalogCategoryEntity,
    CatalogProductEntity,
    CatalogProductEntityMediaGallery,
    CatalogProductEntityMediaGalleryValue,
    CatalogProductEntityMediaGalleryValueToEntity,
    CatalogProductEntityVarchar,
    CmsPage,
    EavAttribute,
    EntityType,
)
from models.media import IMAGE_ROLES, MEDIA_GALLERY_ATTRIBUTE
from models.segments import ApplyTo
from seeds.images import colour_of, png

IMAGE_SIZE = 64
# The first products also get an alternate view (gallery position 2, no role).
ALTERNATE_IMAGES = 12
SUBSCRIBERS_SEGMENT = "Newsletter subscribers"
SUBSCRIBER_BLOCK = "Subscriber offer"
SUBSCRIBER_BLOCK_HTML = "<p>Thanks for reading our newsletter: free shipping this week.</p>"
HOME_CONTENT = (
    '<div data-content-type="row" data-appearance="contained" data-element="main">'
    "<h2>Welcome to the demo store</h2>"
    '<p>Browse <a href="{{{{store url="women.html"}}}}">Women</a>, '
    '<a href="{{{{store url="men.html"}}}}">Men</a> and more.</p>'
    '<div data-content-type="dynamic_block" data-appearance="default" data-element="main">'
    '{{{{widget type="Magento\\Banner\\Block\\Widget\\Banner" display_mode="fixed" rotate="" '
    'template="widget/block.phtml" banner_ids="{banner_id}" unique_id="home-subscriber-offer"}}}}'
    "</div></div>"
)
CONTACT_BLOCK = "contact-us-sidebar"


async def _attribute_ids() -> dict[str, int]:
    rows = await EavAttribute.filter(
        entity_type_id=EntityType.CATALOG_PRODUCT,
        attribute_code__in=[*IMAGE_ROLES, MEDIA_GALLERY_ATTRIBUTE],
    ).values_list("attribute_code", "attribute_id")
    return {str(code): int(i) for code, i in cast(list[Any], rows)}


async def _next_id(model: Any, column: str) -> int:
    row = await model.all().order_by(f"-{column}").first()
    return 1 if row is None else int(getattr(row, column)) + 1


async def product_images(media: MediaStorage, products: Sequence[CatalogProductEntity]) -> int:
    """One generated image per product holding the three roles, and an alternate view for the
    first ones; rows written in bulk. Returns how many files were written."""
    ids = await _attribute_ids()
    value_id = await _next_id(CatalogProductEntityMediaGallery, "value_id")
    galleries: list[CatalogProductEntityMediaGallery] = []
    values: list[CatalogProductEntityMediaGalleryValue] = []
    links: list[CatalogProductEntityMediaGalleryValueToEntity] = []
    roles: list[CatalogProductEntityVarchar] = []
    for index, product in enumerate(products):
        views = [("", 0)] + ([("-back", 8)] if index < ALTERNATE_IMAGES else [])
        for position, (suffix, band) in enumerate(views, start=1):
            name = f"{product.url_key or product.sku.lower()}{suffix}.png"
            file = f"{dispersion(name)}{name}"
            media.write(file, png(IMAGE_SIZE, IMAGE_SIZE, colour_of(product.sku), band or 16))
            galleries.append(
                CatalogProductEntityMediaGallery(
                    value_id=value_id,
                    attribute_id=ids[MEDIA_GALLERY_ATTRIBUTE],
                    value=file,
                    media_type="image",
                    disabled=False,
                )
            )
            values.append(
                CatalogProductEntityMediaGalleryValue(
                    value_id=value_id,
                    store_id=0,
                    entity_id=product.entity_id,
                    label=product.name if position == 1 else f"{product.name}, back",
                    position=position,
                    disabled=False,
                )
            )
            links.append(
                CatalogProductEntityMediaGalleryValueToEntity(
                    value_id=value_id, entity_id=product.entity_id
                )
            )
            if position == 1:
                roles.extend(
                    CatalogProductEntityVarchar(
                        attribute_id=ids[role], store_id=0, entity_id=product.entity_id, value=file
                    )
                    for role in IMAGE_ROLES
                )
            value_id += 1
    await CatalogProductEntityMediaGallery.bulk_create(galleries, batch_size=500)
    await CatalogProductEntityMediaGalleryValue.bulk_create(values, batch_size=500)
    await CatalogProductEntityMediaGalleryValueToEntity.bulk_create(links, batch_size=500)
    await CatalogProductEntityVarchar.bulk_create(roles, batch_size=500)
    return len(galleries)


async def category_pages(media: MediaStorage) -> None:
    """Departments get a description, meta data and an image (`catalog/category/<key>.png`)."""
    for category in await CatalogCategoryEntity.filter(level=2):
        key = category.url_key or str(category.entity_id)
        target = media.root / "catalog" / "category" / f"{key}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png(IMAGE_SIZE * 2, IMAGE_SIZE, colour_of(category.name), 24))
        category.image = f"{key}.png"
        category.description = f"<p>Everything {category.name}, picked for the demo store.</p>"
        category.meta_title = f"{category.name} | Demo store"
        category.meta_keywords = category.name.lower()
        category.meta_description = f"Shop {category.name} in the demo store."
        await category.save(
            update_fields=[
                "image",
                "description",
                "meta_title",
                "meta_keywords",
                "meta_description",
            ]
        )


async def home_page() -> None:
    """The home page shows a dynamic block only members of "Newsletter subscribers" see."""
    segment = await segments.create(
        segments.SegmentChanges(
            name=SUBSCRIBERS_SEGMENT,
            description="Customers subscribed to the newsletter",
            is_active=True,
            apply_to=ApplyTo.REGISTERED,
            website_ids=[w.website_id for w in (await load_snapshot()).websites if w.website_id],
            conditions=ConditionDraft(
                ConditionType.COMBINE,
                aggregator="all",
                value="1",
                conditions=(ConditionDraft(ConditionType.CUSTOMER_NEWSLETTER, value="1"),),
            ),
        )
    )
    block = await dynamic_blocks.create(
        dynamic_blocks.BlockChanges(
            name=SUBSCRIBER_BLOCK,
            locations=(dynamic_blocks.Location.CONTENT,),
            contents=(dynamic_blocks.ContentDraft(store_id=0, html=SUBSCRIBER_BLOCK_HTML),),
            segment_ids=(segment.segment_id,),
        ),
        await load_snapshot(),
    )
    await CmsPage.filter(identifier="home").update(
        title="Demo store",
        content_heading="Welcome",
        content=HOME_CONTENT.format(banner_id=block.banner_id),
    )
    await blocks.create_block(
        blocks.BlockData(
            identifier=CONTACT_BLOCK,
            title="Contact us sidebar",
            content="<p>Write to us at hello@example.com, we answer within a day.</p>",
        )
    )


async def ensure_storefront(media: MediaStorage) -> None:
    """Call once, right after the demo catalog and its promotions are created."""
    products = await CatalogProductEntity.all().order_by("entity_id")
    await product_images(media, products)
    await category_pages(media)
    await home_page()
    await rewrites.refresh_all()
