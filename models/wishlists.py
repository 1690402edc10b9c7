"""Wish lists: Magento's `wishlist` and `wishlist_item`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.catalog import CatalogProductEntity
    from models.customers import CustomerEntity
    from models.stores import Store


class Wishlist(Model):
    """`wishlist`: a customer's lists. Magento Open Source keeps one per customer (a unique key)
    and Adobe Commerce's MultipleWishlist drops that key for several named lists: so here."""

    wishlist_id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="wishlists", on_delete=fields.CASCADE
    )
    shared = fields.BooleanField(db_default=False)
    sharing_code = fields.CharField(max_length=32, null=True)
    name = fields.CharField(max_length=255, null=True)
    visibility = fields.BooleanField(db_default=False)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "wishlist"
        indexes = (("customer_id",),)


class WishlistItem(Model):
    """`wishlist_item`, `added_at` being what the segment date conditions read."""

    wishlist_item_id = fields.IntField(primary_key=True)
    wishlist: fields.ForeignKeyRelation[Wishlist] = fields.ForeignKeyField(
        "models.Wishlist", related_name="items", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyRelation[CatalogProductEntity] = fields.ForeignKeyField(
        "models.CatalogProductEntity", related_name="wishlist_items", on_delete=fields.CASCADE
    )
    store: fields.ForeignKeyNullableRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="wishlist_items", null=True, on_delete=fields.SET_NULL
    )
    added_at = fields.DatetimeField()
    description = fields.TextField(null=True)
    qty = fields.DecimalField(max_digits=12, decimal_places=4, db_default=1)

    class Meta:
        table = "wishlist_item"
        indexes = (("product_id",), ("wishlist_id",))


class WishlistItemOption(Model):
    """`wishlist_item_option`: what was chosen for a wish list item. A configurable product's
    item keeps its chosen child as code `simple_product` (value: the child's id), as Magento."""

    option_id = fields.IntField(primary_key=True)
    wishlist_item: fields.ForeignKeyRelation[WishlistItem] = fields.ForeignKeyField(
        "models.WishlistItem", related_name="options", on_delete=fields.CASCADE
    )
    product_id = fields.IntField(null=True)
    code = fields.CharField(max_length=255)
    value = fields.TextField(null=True)

    class Meta:
        table = "wishlist_item_option"
        indexes = (("wishlist_item_id",),)
