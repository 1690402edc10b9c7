"""Migrations: in step with the models, and they build the Magento default rows on every backend."""

from __future__ import annotations

from typing import Any

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from mageseg.database import tortoise_config
from models import CustomerGroup, DirectoryCountryRegion, Store, StoreWebsite, TaxClass


async def test_models_and_migrations_agree(tmp_path: Any) -> None:
    config = tortoise_config(f"sqlite://{tmp_path}/probe.sqlite3")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    assert [w.name for w in writers] == [], "run `tortoise makemigrations` and commit the result"


async def test_migrated_database_has_magento_default_rows(db: Any) -> None:
    assert [(w.website_id, w.code) for w in await StoreWebsite.all().order_by("website_id")] == [
        (0, "admin"),
        (1, "base"),
    ]
    assert [(s.store_id, s.code) for s in await Store.all().order_by("store_id")] == [
        (0, "admin"),
        (1, "default"),
    ]
    assert [
        (g.customer_group_id, g.customer_group_code, g.tax_class_id)  # type: ignore[attr-defined]
        for g in await CustomerGroup.all().order_by("customer_group_id")
    ] == [(0, "NOT LOGGED IN", 3), (1, "General", 3), (2, "Wholesale", 3), (3, "Retailer", 3)]
    assert await TaxClass.get(class_id=3) is not None
    texas = await DirectoryCountryRegion.get(region_id=57)
    assert (texas.country_id, texas.code, texas.default_name) == ("US", "TX", "Texas")
    assert await DirectoryCountryRegion.filter(country_id="US").count() == 65


async def test_new_rows_get_ids_after_the_defaults(db: Any) -> None:
    """PostgreSQL identity sequences were moved past the explicitly inserted default rows."""
    group = await CustomerGroup.create(customer_group_code="VIP", tax_class_id=3)
    assert group.customer_group_id == 4
