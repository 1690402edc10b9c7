"""Tax rates: which rate applies, Magento's rounding, and admin CRUD through HTTP."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from engine.tax import Rate, RateTable, RowTax, TaxAddress, postcode_matches
from graph.uids import encode_uid
from models import TaxCalculation, TaxCalculationRate
from tests.graphql import gql

CA, TX = 12, 57

RATES = """
query ($country: CountryCodeEnum) {
  adminTaxRates(country: $country) {
    items { uid code tax_country_id tax_region_id tax_postcode rate
            customer_tax_class_ids product_tax_class_ids }
    total_count page_info { total_pages }
  }
}
"""
SAVE = """
mutation ($uid: ID, $input: TaxRateInput!) {
  adminSaveTaxRate(uid: $uid, input: $input) {
    tax_rate { code tax_country_id tax_region_id tax_postcode rate
               customer_tax_class_ids product_tax_class_ids }
    user_errors { code message path }
  }
}
"""
DELETE = """
mutation ($uid: ID!) {
  adminDeleteTaxRate(uid: $uid) { deleted_uid user_errors { code message path } }
}
"""


def rate(rate_id: int, percent: str, region_id: int = 0, postcode: str = "*") -> Rate:
    return Rate(rate_id, f"R{rate_id}", "US", region_id, postcode, Decimal(percent))


@pytest.mark.parametrize(
    ("pattern", "postcode", "expected"),
    [
        ("*", "", True),
        ("*", "78701", True),
        ("78701", "78701", True),
        ("78701", "78702", False),
        ("787*", "78701", True),
        ("787*", "79701", False),
        ("SW1A 1AA", "sw1a1aa", True),
    ],
)
def test_postcodes(pattern: str, postcode: str, expected: bool) -> None:
    assert postcode_matches(pattern, postcode) is expected


def test_the_most_specific_rate_wins() -> None:
    country, region, postcode = rate(1, "5"), rate(2, "6", CA), rate(3, "7", CA, "941*")
    table = RateTable({2: (country, region, postcode)})
    assert table.rate_for(2, TaxAddress("US", CA, "94105")) == postcode
    assert table.rate_for(2, TaxAddress("US", CA, "90001")) == region
    assert table.rate_for(2, TaxAddress("US", TX, "78701")) == country
    assert table.rate_for(2, TaxAddress("FR", 0, "")) is None
    assert table.rate_for(3, TaxAddress("US", CA, "94105")) is None
    assert table.rate_for(None, TaxAddress("US", CA, "94105")) is None
    tie = RateTable({2: (rate(9, "1"), rate(4, "2"))})
    assert tie.rate_for(2, TaxAddress("US")) == rate(4, "2")


def test_row_tax_carries_the_rounding_remainder_per_rate() -> None:
    ca, other = rate(1, "8.25"), rate(2, "10")
    rows = RowTax()
    # 3 x 0.457875 = 1.373625: each row rounded with the previous remainder carried (0.46,
    # 0.45575 -> 0.46, 0.453625 -> 0.45), so the rows add up to the rounded total, 1.37.
    assert [rows.of(Decimal("5.55"), ca) for _ in range(3)] == [
        Decimal("0.46"),
        Decimal("0.46"),
        Decimal("0.45"),
    ]
    assert rows.of(Decimal("0.05"), other) == Decimal("0.01")
    assert rows.of(Decimal("0.05"), other) == Decimal("0.00")
    assert rows.of(Decimal("10"), None) == Decimal("0.00")


async def test_admins_list_the_installed_rates(client: Any, admin_token: str) -> None:
    response = await gql(client, RATES, token=admin_token)
    assert response.data == {
        "adminTaxRates": {
            "items": [
                {
                    "uid": encode_uid(1),
                    "code": "US-CA-*-Rate 1",
                    "tax_country_id": "US",
                    "tax_region_id": CA,
                    "tax_postcode": "*",
                    "rate": 8.25,
                    "customer_tax_class_ids": [],
                    "product_tax_class_ids": [],
                },
                {
                    "uid": encode_uid(2),
                    "code": "US-NY-*-Rate 1",
                    "tax_country_id": "US",
                    "tax_region_id": 43,
                    "tax_postcode": "*",
                    "rate": 8.375,
                    "customer_tax_class_ids": [],
                    "product_tax_class_ids": [],
                },
            ],
            "total_count": 2,
            "page_info": {"total_pages": 1},
        }
    }
    none = await gql(client, RATES, {"country": "FR"}, token=admin_token)
    assert none.data == {
        "adminTaxRates": {"items": [], "total_count": 0, "page_info": {"total_pages": 0}}
    }


async def test_admins_create_change_and_delete_rates(client: Any, admin_token: str) -> None:
    created = await gql(
        client,
        SAVE,
        {
            "input": {
                "code": "US-TX",
                "tax_country_id": "US",
                "tax_region_id": TX,
                "tax_postcode": "787*",
                "rate": "6.25",
                "customer_tax_class_ids": [3],
                "product_tax_class_ids": [2],
            }
        },
        token=admin_token,
    )
    assert created.data == {
        "adminSaveTaxRate": {
            "tax_rate": {
                "code": "US-TX",
                "tax_country_id": "US",
                "tax_region_id": TX,
                "tax_postcode": "787*",
                "rate": 6.25,
                "customer_tax_class_ids": [3],
                "product_tax_class_ids": [2],
            },
            "user_errors": [],
        }
    }
    row = await TaxCalculationRate.get(code="US-TX")
    uid = encode_uid(row.tax_calculation_rate_id)
    changed = await gql(
        client,
        SAVE,
        {"uid": uid, "input": {"rate": "7", "customer_tax_class_ids": []}},
        token=admin_token,
    )
    assert changed.data is not None
    assert changed.data["adminSaveTaxRate"]["tax_rate"]["rate"] == 7.0
    assert changed.data["adminSaveTaxRate"]["tax_rate"]["customer_tax_class_ids"] == []
    assert (
        await TaxCalculation.filter(tax_calculation_rate_id=row.tax_calculation_rate_id).count()
        == 0
    )
    deleted = await gql(client, DELETE, {"uid": uid}, token=admin_token)
    assert deleted.data == {"adminDeleteTaxRate": {"deleted_uid": uid, "user_errors": []}}
    again = await gql(client, DELETE, {"uid": uid}, token=admin_token)
    assert again.data == {
        "adminDeleteTaxRate": {
            "deleted_uid": None,
            "user_errors": [
                {
                    "code": "NOT_FOUND",
                    "message": f"No such entity with taxRateId = {row.tax_calculation_rate_id}",
                    "path": "uid",
                }
            ],
        }
    }


async def test_a_refused_rate_reports_every_problem_and_writes_nothing(
    client: Any, admin_token: str
) -> None:
    before = (await TaxCalculationRate.all().count(), await TaxCalculation.all().count())
    response = await gql(
        client,
        SAVE,
        {
            "input": {
                "code": "US-CA-*-Rate 1",
                "tax_country_id": "US",
                "tax_region_id": 9999,
                "rate": "-1",
                "customer_tax_class_ids": [2],
                "product_tax_class_ids": [3, 2],
            }
        },
        token=admin_token,
    )
    assert response.data == {
        "adminSaveTaxRate": {
            "tax_rate": None,
            "user_errors": [
                {"code": "ALREADY_EXISTS", "message": "Code already exists.", "path": "input.code"},
                {
                    "code": "INVALID",
                    "message": 'Invalid value of "9999" provided for the region_id field.',
                    "path": "input.tax_region_id",
                },
                {
                    "code": "INVALID",
                    "message": 'Invalid value of "-1" provided for the percentage_rate field.',
                    "path": "input.rate",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Invalid value of "2" provided for the taxClassId field.',
                    "path": "input.customer_tax_class_ids.0",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Invalid value of "3" provided for the taxClassId field.',
                    "path": "input.product_tax_class_ids.0",
                },
            ],
        }
    }
    missing = await gql(client, SAVE, {"input": {}}, token=admin_token)
    assert missing.data is not None
    assert missing.data["adminSaveTaxRate"]["user_errors"] == [
        {
            "code": "REQUIRED",
            "message": '"code" is required. Enter and try again.',
            "path": "input.code",
        },
        {
            "code": "REQUIRED",
            "message": '"country_id" is required. Enter and try again.',
            "path": "input.tax_country_id",
        },
        {
            "code": "REQUIRED",
            "message": '"percentage_rate" is required. Enter and try again.',
            "path": "input.rate",
        },
    ]
    assert (await TaxCalculationRate.all().count(), await TaxCalculation.all().count()) == before
