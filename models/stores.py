"""Websites, store groups, store views and configuration: Magento's `store_*` tables and
`core_config_data`."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

ADMIN_WEBSITE_ID = 0
BASE_WEBSITE_ID = 1
ADMIN_STORE_ID = 0
DEFAULT_STORE_ID = 1


class StoreWebsite(Model):
    """`store_website`. Website 0 is the admin scope, website 1 the base website."""

    website_id = fields.SmallIntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=64)
    sort_order = fields.SmallIntField(db_default=0)
    default_group_id = fields.SmallIntField(db_default=0)
    is_default = fields.BooleanField(db_default=False)
    # Magento keeps these two in core_config_data; the issue puts them on the website itself.
    base_currency_code = fields.CharField(max_length=3, db_default="USD")
    timezone = fields.CharField(max_length=64, db_default="UTC")

    class Meta:
        table = "store_website"


class StoreGroup(Model):
    """`store_group`: a website's store (Magento's middle tier), holding the root category."""

    group_id = fields.SmallIntField(primary_key=True)
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="groups", on_delete=fields.CASCADE
    )
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=255)
    root_category_id = fields.IntField(db_default=0)
    default_store_id = fields.SmallIntField(db_default=0)

    class Meta:
        table = "store_group"


class Store(Model):
    """`store`: a store view, selected by the `Store` request header (its `code`)."""

    store_id = fields.SmallIntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="stores", on_delete=fields.CASCADE
    )
    group: fields.ForeignKeyRelation[StoreGroup] = fields.ForeignKeyField(
        "models.StoreGroup", related_name="stores", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=255)
    sort_order = fields.SmallIntField(db_default=0)
    is_active = fields.BooleanField(db_default=True)
    locale = fields.CharField(max_length=16, db_default="en_US")

    class Meta:
        table = "store"


class CoreConfigData(Model):
    """`core_config_data`: one configuration value per (scope, scope_id, path)."""

    config_id = fields.IntField(primary_key=True)
    scope = fields.CharField(max_length=8, db_default="default")
    scope_id = fields.IntField(db_default=0)
    path = fields.CharField(max_length=255)
    value = fields.TextField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "core_config_data"
        unique_together = (("scope", "scope_id", "path"),)
