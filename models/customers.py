"""Customers and their addresses: Magento's `customer_entity`, `customer_address_entity`,
`directory_country_region`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.groups import CustomerGroup
    from models.stores import Store, StoreWebsite


class CustomerEntity(Model):
    """`customer_entity`. The email is unique per website (Magento's default account sharing)."""

    entity_id = fields.IntField(primary_key=True)
    website: fields.ForeignKeyRelation[StoreWebsite] = fields.ForeignKeyField(
        "models.StoreWebsite", related_name="customers", on_delete=fields.RESTRICT
    )
    store: fields.ForeignKeyNullableRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="customers", null=True, on_delete=fields.SET_NULL
    )
    email = fields.CharField(max_length=255)
    group: fields.ForeignKeyRelation[CustomerGroup] = fields.ForeignKeyField(
        "models.CustomerGroup", related_name="customers", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    is_active = fields.BooleanField(db_default=True)
    created_in = fields.CharField(max_length=255, null=True)
    prefix = fields.CharField(max_length=40, null=True)
    firstname = fields.CharField(max_length=255)
    middlename = fields.CharField(max_length=255, null=True)
    lastname = fields.CharField(max_length=255)
    suffix = fields.CharField(max_length=40, null=True)
    dob = fields.DateField(null=True)
    password_hash = fields.CharField(max_length=255, null=True)
    # Magento stores the default address ids as plain ints, without a foreign key.
    default_billing = fields.IntField(null=True)
    default_shipping = fields.IntField(null=True)
    taxvat = fields.CharField(max_length=50, null=True)
    # A pending e-mail confirmation key; NULL once confirmed or when none is required.
    confirmation = fields.CharField(max_length=64, null=True)
    gender = fields.SmallIntField(null=True)
    allow_remote_shopping_assistance = fields.BooleanField(db_default=False)
    failures_num = fields.SmallIntField(db_default=0)
    first_failure = fields.DatetimeField(null=True)
    lock_expires = fields.DatetimeField(null=True)
    # The pending password reset: the SHA-256 of the e-mailed token (Magento keeps the token
    # itself) and when it was issued; both NULL once used.
    rp_token = fields.CharField(max_length=128, null=True)
    rp_token_created_at = fields.DatetimeField(null=True)

    class Meta:
        table = "customer_entity"
        unique_together = (("email", "website"),)
        indexes = (("created_at",), ("lastname", "firstname"))


class CustomerAddressEntity(Model):
    """`customer_address_entity`. `street` holds the lines joined by newlines, as Magento."""

    entity_id = fields.IntField(primary_key=True)
    parent: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="addresses", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    is_active = fields.BooleanField(db_default=True)
    city = fields.CharField(max_length=255)
    company = fields.CharField(max_length=255, null=True)
    country_id = fields.CharField(max_length=2)
    fax = fields.CharField(max_length=255, null=True)
    firstname = fields.CharField(max_length=255)
    lastname = fields.CharField(max_length=255)
    middlename = fields.CharField(max_length=255, null=True)
    postcode = fields.CharField(max_length=255, null=True)
    prefix = fields.CharField(max_length=40, null=True)
    region = fields.CharField(max_length=255, null=True)
    region_id = fields.IntField(null=True)
    street = fields.TextField()
    suffix = fields.CharField(max_length=40, null=True)
    telephone = fields.CharField(max_length=255)
    vat_id = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "customer_address_entity"
        indexes = (("parent_id",),)


class DirectoryCountryRegion(Model):
    """`directory_country_region`: the pre-defined regions an address can pick by `region_id`."""

    region_id = fields.IntField(primary_key=True)
    country_id = fields.CharField(max_length=4)
    code = fields.CharField(max_length=32)
    default_name = fields.CharField(max_length=255)

    class Meta:
        table = "directory_country_region"
        unique_together = (("country_id", "code"),)
