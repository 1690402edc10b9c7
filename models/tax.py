"""Tax rates: Magento's `tax_calculation_rate` and `tax_calculation`, which ties a rate to a
customer tax class and a product tax class (Magento's tax rules, reduced to their links)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.groups import TaxClass


class TaxCalculationRate(Model):
    """`tax_calculation_rate`: a percentage for a country, optionally a region and postcode."""

    tax_calculation_rate_id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=255, unique=True)
    tax_country_id = fields.CharField(max_length=2)
    tax_region_id = fields.IntField(db_default=0)
    tax_postcode = fields.CharField(max_length=21, db_default="*")
    rate = fields.DecimalField(max_digits=12, decimal_places=4)

    class Meta:
        table = "tax_calculation_rate"


class TaxCalculation(Model):
    """`tax_calculation`: the rate that applies to a customer and a product tax class."""

    tax_calculation_id = fields.IntField(primary_key=True)
    tax_calculation_rate: fields.ForeignKeyRelation[TaxCalculationRate] = fields.ForeignKeyField(
        "models.TaxCalculationRate", related_name="calculations", on_delete=fields.CASCADE
    )
    customer_tax_class: fields.ForeignKeyRelation[TaxClass] = fields.ForeignKeyField(
        "models.TaxClass", related_name="customer_calculations", on_delete=fields.CASCADE
    )
    product_tax_class: fields.ForeignKeyRelation[TaxClass] = fields.ForeignKeyField(
        "models.TaxClass", related_name="product_calculations", on_delete=fields.CASCADE
    )

    class Meta:
        table = "tax_calculation"
        unique_together = (("tax_calculation_rate", "customer_tax_class", "product_tax_class"),)
