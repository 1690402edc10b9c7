"""Product media as Magento_Catalog keeps it: `catalog_product_entity_media_gallery` (one row per
file), `catalog_product_entity_media_gallery_value` (label, position and disabled per product and
store view) and `catalog_product_entity_media_gallery_value_to_entity` (which products use a
file). The base, small and thumbnail roles are the `image`, `small_image` and `thumbnail`
varchar attributes holding a file path, as in Magento."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.attributes import EavAttribute
    from models.catalog import CatalogProductEntity

IMAGE_ROLES = ("image", "small_image", "thumbnail")
MEDIA_GALLERY_ATTRIBUTE = "media_gallery"


class CatalogProductEntityMediaGallery(Model):
    """`catalog_product_entity_media_gallery`: a file under `catalog/product` (`/a/b/ab.png`)."""

    value_id = fields.IntField(primary_key=True)
    attribute: fields.ForeignKeyRelation[EavAttribute] = fields.ForeignKeyField(
        "models.EavAttribute", related_name=False, on_delete=fields.CASCADE
    )
    value = fields.CharField(max_length=255, null=True)
    media_type = fields.CharField(max_length=32, db_default="image")
    disabled = fields.BooleanField(db_default=False)

    class Meta:
        table = "catalog_product_entity_media_gallery"


class CatalogProductEntityMediaGalleryValue(Model):
    """`catalog_product_entity_media_gallery_value`: a file's label, position and disabled flag
    for one product in one store view (store 0: every store view)."""

    record_id = fields.IntField(primary_key=True)
    value: fields.ForeignKeyRelation[CatalogProductEntityMediaGallery] = fields.ForeignKeyField(
        "models.CatalogProductEntityMediaGallery", related_name="values", on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField(db_default=0)
    entity: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name=False, on_delete=fields.CASCADE
    )
    label = fields.CharField(max_length=255, null=True)
    position = fields.IntField(null=True)
    disabled = fields.BooleanField(db_default=False)

    class Meta:
        table = "catalog_product_entity_media_gallery_value"
        indexes = (("entity_id", "store_id"),)
        unique_together = (("value", "entity", "store_id"),)


class CatalogProductEntityMediaGalleryValueToEntity(Model):
    """`catalog_product_entity_media_gallery_value_to_entity`: the products a file belongs to."""

    id = fields.IntField(primary_key=True)
    value: fields.ForeignKeyRelation[CatalogProductEntityMediaGallery] = fields.ForeignKeyField(
        "models.CatalogProductEntityMediaGallery", related_name="links", on_delete=fields.CASCADE
    )
    entity: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name=False, on_delete=fields.CASCADE
    )

    class Meta:
        table = "catalog_product_entity_media_gallery_value_to_entity"
        indexes = (("entity_id",),)
        unique_together = (("value", "entity"),)
