"""The directory of countries and regions, as Magento_Directory serves it to storefronts.

The countries are `directory_country` rows allowed in the store view
(`general/country/allow`); their names are CLDR's (Babel), in English and in the store view's
locale, as Magento's come from ICU. Regions are `directory_country_region`, by name."""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale, UnknownLocaleError

from engine.errors import NoSuchEntity, Problem, ProblemCode
from models import DirectoryCountry, DirectoryCountryRegion

COUNTRY_NOT_AVAILABLE = "The country isn't available."
# Codes CLDR no longer names (Magento still installs them).
RETIRED_NAMES = {"AN": "Netherlands Antilles"}


@dataclass(frozen=True)
class RegionData:
    region_id: int
    code: str
    name: str


@dataclass(frozen=True)
class CountryData:
    country_id: str
    iso2_code: str | None
    iso3_code: str | None
    name_english: str
    name_locale: str
    regions: tuple[RegionData, ...]


def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_US")


def country_name(country_id: str, locale: str) -> str:
    names = _locale(locale).territories
    return str(names.get(country_id) or RETIRED_NAMES.get(country_id) or country_id)


async def countries(allowed: list[str], locale: str, only: str | None = None) -> list[CountryData]:
    """The allowed countries (or the one `only`), by id, with their regions."""
    ids = [c for c in allowed if only is None or c == only]
    rows = await DirectoryCountry.filter(country_id__in=ids).order_by("country_id")
    regions: dict[str, list[RegionData]] = {}
    for region in await DirectoryCountryRegion.filter(
        country_id__in=[r.country_id for r in rows]
    ).order_by("default_name", "region_id"):
        regions.setdefault(region.country_id, []).append(
            RegionData(region.region_id, region.code, region.default_name)
        )
    return [
        CountryData(
            country_id=row.country_id,
            iso2_code=row.iso2_code,
            iso3_code=row.iso3_code,
            name_english=country_name(row.country_id, "en_US"),
            name_locale=country_name(row.country_id, locale),
            regions=tuple(regions.get(row.country_id, ())),
        )
        for row in rows
    ]


async def country(allowed: list[str], locale: str, country_id: str) -> CountryData:
    found = await countries(allowed, locale, only=country_id.upper())
    if not found:
        raise NoSuchEntity(Problem(ProblemCode.NOT_FOUND, COUNTRY_NOT_AVAILABLE, "id"))
    return found[0]
