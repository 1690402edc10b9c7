"""The catalog: Magento's `catalog_product_entity`, `catalog_category_entity` and their links,
attribute sets, product EAV values and stock.

The attributes every rule and price needs (name, price, special price and dates, weight,
visibility, status, tax class) are columns here, as in Magento's flat product table. Custom
attributes go through `eav_attribute` with `catalog_eav_attribute` and the typed value tables."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.attributes import EntityType

if TYPE_CHECKING:
    from models.attributes import EavAttribute, EavAttributeOption
    from models.groups import TaxClass
    from models.stores import StoreWebsite

DEFAULT_PRODUCT_ATTRIBUTE_SET_ID = 4
ROOT_CATEGORY_ID = 1
DEFAULT_CATEGORY_ID = 2


class ProductType(StrEnum):
    SIMPLE = "simple"
    VIRTUAL = "virtual"
    CONFIGURABLE = "configurable"


class Visibility(IntEnum):
    """Magento's `Product\\Visibility` values."""

    NOT_VISIBLE = 1
    IN_CATALOG = 2
    IN_SEARCH = 3
    BOTH = 4


class ProductStatus(IntEnum):
    ENABLED = 1
    DISABLED = 2


class EavAttributeSet(Model):
    """`eav_attribute_set`: Magento's product templates (set 4 is Default)."""

    attribute_set_id = fields.SmallIntField(primary_key=True)
    entity_type_id = fields.IntEnumField(EntityType)
    attribute_set_name = fields.CharField(max_length=255)
    sort_order = fields.SmallIntField(db_default=0)

    class Meta:
        table = "eav_attribute_set"
        unique_together = (("entity_type_id", "attribute_set_name"),)


class CatalogProductEntity(Model):
    """`catalog_product_entity`, with the flat attributes rules and prices read."""

    entity_id = fields.IntField(primary_key=True)
    attribute_set: fields.ForeignKeyRelation[EavAttributeSet] = fields.ForeignKeyField(
        "models.EavAttributeSet", related_name="products", on_delete=fields.RESTRICT
    )
    type_id = fields.CharEnumField(ProductType, max_length=32, db_default=ProductType.SIMPLE)
    sku = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=255)
    url_key = fields.CharField(max_length=255, null=True)
    price = fields.DecimalField(max_digits=20, decimal_places=6, db_default=0)
    special_price = fields.DecimalField(max_digits=20, decimal_places=6, null=True)
    special_from_date = fields.DateField(null=True)
    special_to_date = fields.DateField(null=True)
    weight = fields.DecimalField(max_digits=12, decimal_places=4, null=True)
    visibility = fields.IntEnumField(Visibility, db_default=Visibility.BOTH)
    status = fields.IntEnumField(ProductStatus, db_default=ProductStatus.ENABLED)
    tax_class: fields.ForeignKeyNullableRelation[TaxClass] = fields.ForeignKeyField(
        "models.TaxClass", related_name="products", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalog_product_entity"
        indexes = (("name",), ("price",))


class CatalogProductWebsite(Model):
    """`catalog_product_website`: the websites a product is sold on."""

    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="websites", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="products", on_delete=fields.CASCADE
    )

    class Meta:
        table = "catalog_product_website"
        unique_together = (("product", "website"),)


class CataloginventoryStockItem(Model):
    """`cataloginventory_stock_item`: quantity and stock status of a product."""

    item_id = fields.IntField(primary_key=True)
    product: fields.OneToOneRelation[CatalogProductEntity] = fields.OneToOneField(
        "models.CatalogProductEntity", related_name="stock_item", on_delete=fields.CASCADE
    )
    qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=0)
    is_in_stock = fields.BooleanField(db_default=True)
    manage_stock = fields.BooleanField(db_default=True)

    class Meta:
        table = "cataloginventory_stock_item"


class CatalogCategoryEntity(Model):
    """`catalog_category_entity`: a tree by `path` ("1/2/7"), `level` and `position`.
    Category 1 is the invisible root, 2 the Default Category, as Magento installs them."""

    entity_id = fields.IntField(primary_key=True)
    parent_id = fields.IntField(db_default=0)
    path = fields.CharField(max_length=255)
    position = fields.IntField(db_default=0)
    level = fields.IntField(db_default=0)
    children_count = fields.IntField(db_default=0)
    name = fields.CharField(max_length=255)
    url_key = fields.CharField(max_length=255, null=True)
    is_active = fields.BooleanField(db_default=True)
    include_in_menu = fields.BooleanField(db_default=True)
    # Display attributes (EAV in Magento): what a category page shows above its products.
    description = fields.TextField(null=True)
    image = fields.CharField(max_length=255, null=True)
    display_mode = fields.CharField(max_length=32, db_default="PRODUCTS")
    meta_title = fields.CharField(max_length=255, null=True)
    meta_keywords = fields.TextField(null=True)
    meta_description = fields.TextField(null=True)
    # The CMS block shown on the category page (`cms_block.block_id`, Magento's `landing_page`).
    landing_page = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalog_category_entity"
        indexes = (("path",), ("parent_id",))


class CatalogCategoryProduct(Model):
    """`catalog_category_product`: which products a category holds, in which order."""

    entity_id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[CatalogCategoryEntity] = fields.ForeignKeyField(
        "models.CatalogCategoryEntity", related_name="product_links", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="category_links", on_delete=fields.CASCADE
    )
    position = fields.IntField(db_default=0)

    class Meta:
        table = "catalog_category_product"
        indexes = (("product_id",),)
        unique_together = (("category", "product"),)


class CatalogEavAttribute(Model):
    """`catalog_eav_attribute`: the catalog flags of a product attribute."""

    attribute: fields.OneToOneRelation[EavAttribute] = fields.OneToOneField(
        "models.EavAttribute",
        related_name="catalog_settings",
        on_delete=fields.CASCADE,
        primary_key=True,
    )
    is_used_for_promo_rules = fields.BooleanField(db_default=False)
    is_filterable = fields.BooleanField(db_default=False)
    is_searchable = fields.BooleanField(db_default=False)
    used_in_product_listing = fields.BooleanField(db_default=False)
    is_visible_on_front = fields.BooleanField(db_default=False)
    position = fields.IntField(db_default=0)

    class Meta:
        table = "catalog_eav_attribute"


class _ProductValue(Model):
    value_id = fields.IntField(primary_key=True)
    attribute: fields.ForeignKeyRelation[EavAttribute] = fields.ForeignKeyField(
        "models.EavAttribute", related_name=False, on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField(db_default=0)
    entity: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name=False, on_delete=fields.CASCADE
    )

    class Meta:
        abstract = True


class CatalogProductEntityVarchar(_ProductValue):
    value = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "catalog_product_entity_varchar"
        unique_together = (("entity", "attribute", "store_id"),)


class CatalogProductEntityInt(_ProductValue):
    value = fields.IntField(null=True)

    class Meta:
        table = "catalog_product_entity_int"
        unique_together = (("entity", "attribute", "store_id"),)


class CatalogProductEntityDecimal(_ProductValue):
    value = fields.DecimalField(max_digits=20, decimal_places=6, null=True)

    class Meta:
        table = "catalog_product_entity_decimal"
        unique_together = (("entity", "attribute", "store_id"),)


class CatalogProductEntityDatetime(_ProductValue):
    value = fields.DatetimeField(null=True)

    class Meta:
        table = "catalog_product_entity_datetime"
        unique_together = (("entity", "attribute", "store_id"),)


class CatalogProductEntityText(_ProductValue):
    value = fields.TextField(null=True)

    class Meta:
        table = "catalog_product_entity_text"
        unique_together = (("entity", "attribute", "store_id"),)


class CatalogProductSuperAttribute(Model):
    """`catalog_product_super_attribute`: an attribute a configurable product is configured by
    (a select attribute such as color or size), in display order."""

    product_super_attribute_id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="super_attributes", on_delete=fields.CASCADE
    )
    attribute: fields.ForeignKeyRelation[EavAttribute] = fields.ForeignKeyField(
        "models.EavAttribute", related_name=False, on_delete=fields.CASCADE
    )
    position = fields.SmallIntField(db_default=0)

    class Meta:
        table = "catalog_product_super_attribute"
        unique_together = (("product", "attribute"),)


class CatalogProductSuperAttributeLabel(Model):
    """`catalog_product_super_attribute_label`: the label of a configurable attribute on one
    product, per store (store 0 is the default), or the attribute's own label with use_default."""

    value_id = fields.IntField(primary_key=True)
    product_super_attribute: fields.ForeignKeyRelation[CatalogProductSuperAttribute] = (
        fields.ForeignKeyField(
            "models.CatalogProductSuperAttribute", related_name="labels", on_delete=fields.CASCADE
        )
    )
    store_id = fields.SmallIntField(db_default=0)
    use_default = fields.BooleanField(db_default=False)
    value = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "catalog_product_super_attribute_label"
        unique_together = (("product_super_attribute", "store_id"),)


class CatalogProductSuperLink(Model):
    """`catalog_product_super_link`: a simple product (`product_id`) that is a variant of a
    configurable one (`parent_id`)."""

    link_id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="super_parents", on_delete=fields.CASCADE
    )
    parent: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="super_children", on_delete=fields.CASCADE
    )

    class Meta:
        table = "catalog_product_super_link"
        unique_together = (("product", "parent"),)
        indexes = (("parent_id",),)


class CatalogProductRelation(Model):
    """`catalog_product_relation`: every parent and child pair of composite products, the table
    indexers and rule conditions read (kept with `catalog_product_super_link`)."""

    id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="child_relations", on_delete=fields.CASCADE
    )
    child: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="parent_relations", on_delete=fields.CASCADE
    )

    class Meta:
        table = "catalog_product_relation"
        unique_together = (("parent", "child"),)
        indexes = (("child_id",),)


class SwatchType(IntEnum):
    """`eav_attribute_option_swatch.type`: how a swatch shows its option."""

    TEXT = 0
    COLOR = 1
    IMAGE = 2


class EavAttributeOptionSwatch(Model):
    """`eav_attribute_option_swatch`: the swatch of an attribute option per store (store 0 is
    the default), a text, a hex color or an image path."""

    swatch_id = fields.IntField(primary_key=True)
    option: fields.ForeignKeyRelation[EavAttributeOption] = fields.ForeignKeyField(
        "models.EavAttributeOption", related_name="swatches", on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField(db_default=0)
    type = fields.IntEnumField(SwatchType, db_default=SwatchType.TEXT)
    value = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "eav_attribute_option_swatch"
        unique_together = (("option", "store_id"),)
