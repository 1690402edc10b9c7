"""Custom (EAV) attributes of customers and addresses: Magento's `eav_attribute`,
`customer_eav_attribute`, `eav_attribute_option(_value)` and the typed value tables
`customer_entity_<type>` / `customer_address_entity_<type>`."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.customers import CustomerAddressEntity, CustomerEntity


class EntityType(IntEnum):
    """`eav_entity_type.entity_type_id` values Magento installs for these entities."""

    CUSTOMER = 1
    CUSTOMER_ADDRESS = 2
    CATALOG_CATEGORY = 3
    CATALOG_PRODUCT = 4


class BackendType(StrEnum):
    """Which value table holds an attribute's values."""

    VARCHAR = "varchar"
    INT = "int"
    DECIMAL = "decimal"
    DATETIME = "datetime"
    TEXT = "text"
    # Columns of the entity table itself (`media_gallery` keeps its rows in its own tables).
    STATIC = "static"


class FrontendInput(StrEnum):
    """Magento's `frontend_input` values for customer attributes."""

    TEXT = "text"
    TEXTAREA = "textarea"
    SELECT = "select"
    MULTISELECT = "multiselect"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    # System product attributes (not user-defined): image roles and the gallery.
    MEDIA_IMAGE = "media_image"
    GALLERY = "gallery"


class EavAttribute(Model):
    """`eav_attribute`: an attribute's identity, type and storefront form metadata."""

    attribute_id = fields.IntField(primary_key=True)
    entity_type_id = fields.IntEnumField(EntityType)
    attribute_code = fields.CharField(max_length=255)
    backend_type = fields.CharEnumField(BackendType, max_length=8)
    frontend_input = fields.CharEnumField(FrontendInput, max_length=16)
    frontend_label = fields.CharField(max_length=255)
    is_required = fields.BooleanField(db_default=False)
    is_user_defined = fields.BooleanField(db_default=True)
    default_value = fields.TextField(null=True)

    class Meta:
        table = "eav_attribute"
        unique_together = (("entity_type_id", "attribute_code"),)


class CustomerEavAttribute(Model):
    """`customer_eav_attribute`: the customer-specific flags of an attribute."""

    attribute: fields.OneToOneRelation[EavAttribute] = fields.OneToOneField(
        "models.EavAttribute",
        related_name="customer_settings",
        on_delete=fields.CASCADE,
        primary_key=True,
    )
    is_visible = fields.BooleanField(db_default=True)
    sort_order = fields.IntField(db_default=0)
    is_used_in_grid = fields.BooleanField(db_default=False)
    is_filterable_in_grid = fields.BooleanField(db_default=False)
    is_used_for_customer_segment = fields.BooleanField(db_default=False)

    class Meta:
        table = "customer_eav_attribute"


class EavAttributeOption(Model):
    """`eav_attribute_option`: one choice of a select or multiselect attribute."""

    option_id = fields.IntField(primary_key=True)
    attribute: fields.ForeignKeyRelation[EavAttribute] = fields.ForeignKeyField(
        "models.EavAttribute", related_name="options", on_delete=fields.CASCADE
    )
    sort_order = fields.SmallIntField(db_default=0)

    class Meta:
        table = "eav_attribute_option"


class EavAttributeOptionValue(Model):
    """`eav_attribute_option_value`: an option label, store 0 holding the admin (default) one."""

    value_id = fields.IntField(primary_key=True)
    option: fields.ForeignKeyRelation[EavAttributeOption] = fields.ForeignKeyField(
        "models.EavAttributeOption", related_name="labels", on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField(db_default=0)
    value = fields.CharField(max_length=255)

    class Meta:
        table = "eav_attribute_option_value"


class _CustomerValue(Model):
    value_id = fields.IntField(primary_key=True)
    attribute: fields.ForeignKeyRelation[EavAttribute] = fields.ForeignKeyField(
        "models.EavAttribute", related_name=False, on_delete=fields.CASCADE
    )
    entity: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name=False, on_delete=fields.CASCADE
    )

    class Meta:
        abstract = True


class _AddressValue(Model):
    value_id = fields.IntField(primary_key=True)
    attribute: fields.ForeignKeyRelation[EavAttribute] = fields.ForeignKeyField(
        "models.EavAttribute", related_name=False, on_delete=fields.CASCADE
    )
    entity: fields.ForeignKeyRelation[CustomerAddressEntity] = fields.ForeignKeyField(
        "models.CustomerAddressEntity", related_name=False, on_delete=fields.CASCADE
    )

    class Meta:
        abstract = True


class CustomerEntityVarchar(_CustomerValue):
    value = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "customer_entity_varchar"
        unique_together = (("entity", "attribute"),)


class CustomerEntityInt(_CustomerValue):
    value = fields.IntField(null=True)

    class Meta:
        table = "customer_entity_int"
        unique_together = (("entity", "attribute"),)


class CustomerEntityDecimal(_CustomerValue):
    value = fields.DecimalField(max_digits=20, decimal_places=4, null=True)

    class Meta:
        table = "customer_entity_decimal"
        unique_together = (("entity", "attribute"),)


class CustomerEntityDatetime(_CustomerValue):
    value = fields.DatetimeField(null=True)

    class Meta:
        table = "customer_entity_datetime"
        unique_together = (("entity", "attribute"),)


class CustomerEntityText(_CustomerValue):
    value = fields.TextField(null=True)

    class Meta:
        table = "customer_entity_text"
        unique_together = (("entity", "attribute"),)


class CustomerAddressEntityVarchar(_AddressValue):
    value = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "customer_address_entity_varchar"
        unique_together = (("entity", "attribute"),)


class CustomerAddressEntityInt(_AddressValue):
    value = fields.IntField(null=True)

    class Meta:
        table = "customer_address_entity_int"
        unique_together = (("entity", "attribute"),)


class CustomerAddressEntityDecimal(_AddressValue):
    value = fields.DecimalField(max_digits=20, decimal_places=4, null=True)

    class Meta:
        table = "customer_address_entity_decimal"
        unique_together = (("entity", "attribute"),)


class CustomerAddressEntityDatetime(_AddressValue):
    value = fields.DatetimeField(null=True)

    class Meta:
        table = "customer_address_entity_datetime"
        unique_together = (("entity", "attribute"),)


class CustomerAddressEntityText(_AddressValue):
    value = fields.TextField(null=True)

    class Meta:
        table = "customer_address_entity_text"
        unique_together = (("entity", "attribute"),)
