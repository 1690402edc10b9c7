"""Magento_Cms: `cms_page` and `cms_block` with the store views they show in (`cms_page_store`,
`cms_block_store`; store 0 means every store view)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class CmsPage(Model):
    """`cms_page`: a content page reached by its `identifier` (its URL key)."""

    page_id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=255, null=True)
    page_layout = fields.CharField(max_length=255, null=True)
    meta_keywords = fields.TextField(null=True)
    meta_description = fields.TextField(null=True)
    identifier = fields.CharField(max_length=100, null=True)
    content_heading = fields.CharField(max_length=255, null=True)
    content = fields.TextField(null=True)
    creation_time = fields.DatetimeField(auto_now_add=True)
    update_time = fields.DatetimeField(auto_now=True)
    is_active = fields.BooleanField(db_default=True)
    sort_order = fields.SmallIntField(db_default=0)
    meta_title = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "cms_page"
        indexes = (("identifier",),)


class CmsPageStore(Model):
    """`cms_page_store`: the store views a page shows in."""

    id = fields.IntField(primary_key=True)
    page: fields.ForeignKeyRelation[CmsPage] = fields.ForeignKeyField(
        "models.CmsPage", related_name="stores", on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField()

    class Meta:
        table = "cms_page_store"
        indexes = (("store_id",),)
        unique_together = (("page", "store_id"),)


class CmsBlock(Model):
    """`cms_block`: a piece of content placed by its `identifier`."""

    block_id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=255)
    identifier = fields.CharField(max_length=255)
    content = fields.TextField(null=True)
    creation_time = fields.DatetimeField(auto_now_add=True)
    update_time = fields.DatetimeField(auto_now=True)
    is_active = fields.BooleanField(db_default=True)

    class Meta:
        table = "cms_block"
        indexes = (("identifier",),)


class CmsBlockStore(Model):
    """`cms_block_store`: the store views a block shows in."""

    id = fields.IntField(primary_key=True)
    block: fields.ForeignKeyRelation[CmsBlock] = fields.ForeignKeyField(
        "models.CmsBlock", related_name="stores", on_delete=fields.CASCADE
    )
    store_id = fields.SmallIntField()

    class Meta:
        table = "cms_block_store"
        indexes = (("store_id",),)
        unique_together = (("block", "store_id"),)
