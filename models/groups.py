"""Customer groups and tax classes: Magento's `customer_group`,
`customer_group_excluded_website` and `tax_class`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.stores import StoreWebsite

NOT_LOGGED_IN_GROUP_ID = 0
GENERAL_GROUP_ID = 1
# Magento's pseudo-group "ALL GROUPS", used by tier prices; never a row of customer_group.
ALL_GROUPS_ID = 32000
GROUP_CODE_MAX_LENGTH = 32
RETAIL_CUSTOMER_TAX_CLASS_ID = 3


class TaxClass(Model):
    """`tax_class`: class_type is CUSTOMER or PRODUCT."""

    class_id = fields.SmallIntField(primary_key=True)
    class_name = fields.CharField(max_length=255)
    class_type = fields.CharField(max_length=8, db_default="CUSTOMER")

    class Meta:
        table = "tax_class"


class CustomerGroup(Model):
    """`customer_group`. Rows 0-3 come from the initial migration, as in Magento."""

    customer_group_id = fields.IntField(primary_key=True)
    customer_group_code = fields.CharField(max_length=GROUP_CODE_MAX_LENGTH, unique=True)
    tax_class: fields.ForeignKeyRelation[TaxClass] = fields.ForeignKeyField(
        "models.TaxClass", related_name="customer_groups", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "customer_group"


class CustomerGroupExcludedWebsite(Model):
    """`customer_group_excluded_website`: websites where a group gets no group-specific prices."""

    entity_id = fields.IntField(primary_key=True)
    customer_group: fields.ForeignKeyRelation[CustomerGroup] = fields.ForeignKeyField(
        "models.CustomerGroup", related_name="excluded_websites", on_delete=fields.CASCADE
    )
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="excluded_groups", on_delete=fields.CASCADE
    )

    class Meta:
        table = "customer_group_excluded_website"
        unique_together = (("customer_group", "website"),)
