"""Directory types: `Country` and `Region` (Venia's address forms), and `Currency`."""

from __future__ import annotations

import strawberry

from engine.directory import CountryData


@strawberry.type(description="Contains details about a region in a country.")
class Region:
    code: str | None = strawberry.field(
        description="The two-letter code for the region, such as TX for Texas."
    )
    id: int | None = strawberry.field(description="The unique ID for a `Region` object.")
    name: str | None = strawberry.field(description="The name of the region, such as Texas.")


@strawberry.type(description="Contains details about a country.")
class Country:
    available_regions: list[Region | None] | None = strawberry.field(
        description="An array of regions within a particular country."
    )
    full_name_english: str | None = strawberry.field(
        description="The name of the country in English."
    )
    full_name_locale: str | None = strawberry.field(
        description="The name of the country in the current locale."
    )
    id: str | None = strawberry.field(description="The unique ID for a `Country` object.")
    three_letter_abbreviation: str | None = strawberry.field(
        description="The three-letter abbreviation of the country, such as USA."
    )
    two_letter_abbreviation: str | None = strawberry.field(
        description="The two-letter abbreviation of the country, such as US."
    )

    @classmethod
    def of(cls, data: CountryData) -> Country:
        return cls(
            available_regions=[
                Region(code=r.code, id=r.region_id, name=r.name) for r in data.regions
            ]
            or None,
            full_name_english=data.name_english,
            full_name_locale=data.name_locale,
            id=data.country_id,
            three_letter_abbreviation=data.iso3_code,
            two_letter_abbreviation=data.iso2_code,
        )


@strawberry.type(description="Contains information about a store's currencies.")
class Currency:
    available_currency_codes: list[str | None] | None = strawberry.field(
        description="An array of three-letter currency codes accepted by the store, such as USD "
        "and EUR."
    )
    base_currency_code: str | None = strawberry.field(
        description="The base currency set for the store, such as USD."
    )
    default_display_currency_code: str | None = strawberry.field(
        description="The currency that is displayed by default, such as USD."
    )
