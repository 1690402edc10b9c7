"""Magento_Directory: `directory_country` (the countries Magento installs; their names come from
the locale's CLDR data, as Magento's come from ICU). Regions are `DirectoryCountryRegion`."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class DirectoryCountry(Model):
    """`directory_country`: a country by its ISO 3166-1 codes."""

    country_id = fields.CharField(max_length=2, primary_key=True)
    iso2_code = fields.CharField(max_length=2, null=True)
    iso3_code = fields.CharField(max_length=3, null=True)

    class Meta:
        table = "directory_country"
