"""`storeConfig` for the storefront; websites and configuration for admins."""

from __future__ import annotations

from typing import Any

from engine.config import DEFAULTS, ConfigPath
from models import CoreConfigData, StoreWebsite
from tests.factories import make_customer, token_for
from tests.graphql import gql

STORE_CONFIG = """
{ storeConfig {
    base_currency_code code default_display_currency_code graphql_share_customer_group id
    is_default_store is_default_store_group locale share_active_segments share_applied_cart_rule
    store_code store_group_code store_group_name store_name store_sort_order timezone
    website_code website_id website_name
} }
"""

WEBSITES = "{ adminWebsites { uid id code name base_currency_code timezone is_default store_views { uid code name is_active locale } } }"  # noqa: E501

CREATE_WEBSITE = """
mutation ($input: WebsiteCreateInput!) {
  adminCreateWebsite(input: $input) {
    website { id code name base_currency_code timezone is_default store_views { code name } }
    user_errors { code message path }
  }
}
"""

UPDATE_WEBSITE = """
mutation ($uid: ID!, $input: WebsiteUpdateInput!) {
  adminUpdateWebsite(uid: $uid, input: $input) {
    website { code name timezone } user_errors { code message path }
  }
}
"""

SAVE_CONFIG = """
mutation ($input: ConfigValueInput!) {
  adminSaveConfig(input: $input) {
    config { path value website_uid } user_errors { code message path }
  }
}
"""


async def test_store_config_of_the_default_store_view(client: Any) -> None:
    response = await gql(client, STORE_CONFIG)
    assert response.data == {
        "storeConfig": {
            "base_currency_code": "USD",
            "code": "default",
            "default_display_currency_code": "USD",
            "graphql_share_customer_group": True,
            "id": 1,
            "is_default_store": True,
            "is_default_store_group": True,
            "locale": "en_US",
            "share_active_segments": True,
            "share_applied_cart_rule": True,
            "store_code": "default",
            "store_group_code": "main_website_store",
            "store_group_name": "Main Website Store",
            "store_name": "Default Store View",
            "store_sort_order": 0,
            "timezone": "America/Chicago",
            "website_code": "base",
            "website_id": 1,
            "website_name": "Main Website",
        }
    }
    same = await gql(client, STORE_CONFIG, store="default")
    assert same.data == response.data


async def test_admin_store_view_is_not_a_storefront(client: Any) -> None:
    response = await gql(client, "{ storeConfig { store_code } }", store="admin")
    assert response.messages == ["Requested store is not found"]


async def test_admin_lists_websites(client: Any, admin_token: str) -> None:
    response = await gql(client, WEBSITES, token=admin_token)
    assert response.data == {
        "adminWebsites": [
            {
                "uid": "MQ==",
                "id": 1,
                "code": "base",
                "name": "Main Website",
                "base_currency_code": "USD",
                "timezone": "America/Chicago",
                "is_default": True,
                "store_views": [
                    {
                        "uid": "MQ==",
                        "code": "default",
                        "name": "Default Store View",
                        "is_active": True,
                        "locale": "en_US",
                    }
                ],
            }
        ]
    }


async def test_admin_creates_website_and_storefront_can_use_it(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client,
        CREATE_WEBSITE,
        {
            "input": {
                "code": "eu",
                "name": "Europe",
                "base_currency_code": "EUR",
                "timezone": "Europe/Paris",
                "store_code": "eu_fr",
                "store_name": "France",
            }
        },
        token=admin_token,
    )
    assert response.data == {
        "adminCreateWebsite": {
            "website": {
                "id": 2,
                "code": "eu",
                "name": "Europe",
                "base_currency_code": "EUR",
                "timezone": "Europe/Paris",
                "is_default": False,
                "store_views": [{"code": "eu_fr", "name": "France"}],
            },
            "user_errors": [],
        }
    }
    config = await gql(
        client,
        "{ storeConfig { base_currency_code timezone website_code store_name } }",
        store="eu_fr",
    )
    assert config.data == {
        "storeConfig": {
            "base_currency_code": "EUR",
            "timezone": "Europe/Paris",
            "website_code": "eu",
            "store_name": "France",
        }
    }


async def test_create_website_reports_every_problem_and_writes_nothing(
    client: Any, admin_token: str
) -> None:
    response = await gql(
        client,
        CREATE_WEBSITE,
        {
            "input": {
                "code": "Base!",
                "name": "",
                "base_currency_code": "XXX",
                "timezone": "Mars/Olympus",
                "store_code": "default",
            }
        },
        token=admin_token,
    )
    assert response.data["adminCreateWebsite"] == {  # type: ignore[index]
        "website": None,
        "user_errors": [
            {
                "code": "INVALID",
                "path": "input.code",
                "message": 'The code "Base!" is invalid: use lowercase letters (a-z), '
                "numbers (0-9) or underscore (_), starting with a letter, at most 32 characters.",
            },
            {
                "code": "ALREADY_EXISTS",
                "path": "input.store_code",
                "message": 'The store_code "default" is already used.',
            },
            {"code": "REQUIRED", "path": "input.name", "message": '"name" is required.'},
            {
                "code": "INVALID",
                "path": "input.base_currency_code",
                "message": 'The currency "XXX" is not a known currency code.',
            },
            {
                "code": "INVALID",
                "path": "input.timezone",
                "message": 'The timezone "Mars/Olympus" is not an IANA time zone.',
            },
        ],
    }
    assert await StoreWebsite.all().count() == 2


async def test_admin_updates_website(client: Any, admin_token: str) -> None:
    response = await gql(
        client,
        UPDATE_WEBSITE,
        {"uid": "MQ==", "input": {"name": "Main", "timezone": "UTC"}},
        token=admin_token,
    )
    assert response.data == {
        "adminUpdateWebsite": {
            "website": {"code": "base", "name": "Main", "timezone": "UTC"},
            "user_errors": [],
        }
    }
    config = await gql(client, "{ storeConfig { website_name timezone } }")
    assert config.data == {"storeConfig": {"website_name": "Main", "timezone": "UTC"}}
    admin_site = await gql(
        client, UPDATE_WEBSITE, {"uid": "MA==", "input": {"name": "X"}}, token=admin_token
    )
    assert admin_site.data["adminUpdateWebsite"]["user_errors"] == [  # type: ignore[index]
        {"code": "NOT_FOUND", "message": 'Could not find a website with ID "0"', "path": "uid"}
    ]


async def test_config_per_website_overrides_default(client: Any, admin_token: str) -> None:
    saved = await gql(
        client,
        SAVE_CONFIG,
        {"input": {"path": "SHARE_CUSTOMER_GROUP", "value": "0", "website_uid": "MQ=="}},
        token=admin_token,
    )
    assert saved.data == {
        "adminSaveConfig": {
            "config": {"path": "SHARE_CUSTOMER_GROUP", "value": "0", "website_uid": "MQ=="},
            "user_errors": [],
        }
    }
    flag = await gql(client, "{ storeConfig { graphql_share_customer_group } }")
    assert flag.data == {"storeConfig": {"graphql_share_customer_group": False}}
    cleared = await gql(
        client,
        SAVE_CONFIG,
        {"input": {"path": "SHARE_CUSTOMER_GROUP", "value": None, "website_uid": "MQ=="}},
        token=admin_token,
    )
    assert cleared.data["adminSaveConfig"]["config"]["value"] == "1"  # type: ignore[index]
    assert await CoreConfigData.all().count() == 0


async def test_config_values_are_validated(client: Any, admin_token: str) -> None:
    for path, value, problem in (
        (
            "SHARE_CUSTOMER_GROUP",
            "yes",
            {
                "code": "INVALID",
                "path": "input.value",
                "message": '"customer/account_information/graphql_share_customer_group" '
                "takes 0 or 1.",
            },
        ),
        (
            "DEFAULT_GROUP",
            "0",
            {
                "code": "NOT_FOUND",
                "path": "input.value",
                "message": "No such customer group 0 to make the default for new accounts.",
            },
        ),
        (
            "PASSWORD_MIN_LENGTH",
            "eight",
            {
                "code": "INVALID",
                "path": "input.value",
                "message": '"customer/password/minimum_password_length" takes a whole number.',
            },
        ),
    ):
        response = await gql(
            client, SAVE_CONFIG, {"input": {"path": path, "value": value}}, token=admin_token
        )
        assert response.data == {"adminSaveConfig": {"config": None, "user_errors": [problem]}}
    assert await CoreConfigData.all().count() == 0


async def test_admin_reads_effective_config(client: Any, admin_token: str) -> None:
    await gql(
        client, SAVE_CONFIG, {"input": {"path": "DEFAULT_GROUP", "value": "2"}}, token=admin_token
    )
    response = await gql(client, "{ adminConfig { path value website_uid } }", token=admin_token)
    values = {c["path"]: c["value"] for c in response.data["adminConfig"]}  # type: ignore[index]
    assert values["DEFAULT_GROUP"] == "2"
    assert values["STREET_LINES"] == "2"
    assert values["ACCOUNT_SHARE_SCOPE"] == "1"


async def test_website_and_config_admin_need_admin_token(client: Any, db: Any) -> None:
    customer_token = await token_for(await make_customer())
    for token in (None, customer_token):
        for query in (WEBSITES, "{ adminConfig { value } }"):
            response = await gql(client, query, token=token)
            assert response.categories == ["graphql-authorization"]
        response = await gql(
            client, SAVE_CONFIG, {"input": {"path": "DEFAULT_GROUP", "value": "2"}}, token=token
        )
        assert response.categories == ["graphql-authorization"]
    assert await CoreConfigData.all().count() == 0


async def test_every_setting_takes_its_own_default(client: Any, admin_token: str) -> None:
    """No setting is refused at Magento's default value: each path is classified (flag, text,
    choice, amount, country, ...) or a whole number. (A setting unset by default, such as
    `magento_reward/points/order`, goes back to unset with a null value.)"""
    refused = {}
    for path in ConfigPath:
        default = DEFAULTS.get(path)
        if not default:
            continue
        response = await gql(
            client, SAVE_CONFIG, {"input": {"path": path.name, "value": default}}, token=admin_token
        )
        errors = response.data["adminSaveConfig"]["user_errors"]  # type: ignore[index]
        if errors:
            refused[path.name] = errors
    assert refused == {}


async def test_text_and_choice_settings_configure_recaptcha(client: Any, admin_token: str) -> None:
    for path, value in (
        ("RECAPTCHA_V3_PUBLIC_KEY", "6LdKey-Example_01"),
        ("RECAPTCHA_V3_POSITION", "bottomleft"),
        ("RECAPTCHA_V3_LANGUAGE", "fr"),
        ("RECAPTCHA_FOR_CONTACT", "recaptcha_v3"),
        ("RECAPTCHA_FOR_CUSTOMER_LOGIN", "recaptcha_v3"),
        ("PRODUCT_URL_SUFFIX", ""),
        ("FLATRATE_PRICE", "7.5"),
        ("COUNTRIES_ALLOWED", "US,FR,DE"),
    ):
        response = await gql(
            client, SAVE_CONFIG, {"input": {"path": path, "value": value}}, token=admin_token
        )
        assert response.data == {
            "adminSaveConfig": {
                "config": {"path": path, "value": value, "website_uid": None},
                "user_errors": [],
            }
        }
    served = await gql(
        client,
        "{ recaptchaV3Config { badge_position forms is_enabled language_code website_key } "
        "storeConfig { product_url_suffix } countries { id } }",
    )
    assert served.data == {
        "recaptchaV3Config": {
            "badge_position": "bottomleft",
            "forms": ["CONTACT", "CUSTOMER_LOGIN"],
            "is_enabled": True,
            "language_code": "fr",
            "website_key": "6LdKey-Example_01",
        },
        "storeConfig": {"product_url_suffix": ""},
        "countries": [{"id": "DE"}, {"id": "FR"}, {"id": "US"}],
    }


async def test_typed_settings_refuse_what_they_cannot_read(client: Any, admin_token: str) -> None:
    for path, value, message in (
        ("FLATRATE_PRICE", "five", '"carriers/flatrate/price" takes an amount.'),
        ("FLATRATE_PRICE", "-1", '"carriers/flatrate/price" takes an amount.'),
        ("FLATRATE_PRICE", "1.23456", '"carriers/flatrate/price" takes an amount.'),
        ("FLATRATE_PRICE", "NaN", '"carriers/flatrate/price" takes an amount.'),
        ("FLATRATE_TYPE", "X", '"carriers/flatrate/type" takes "I" or "O".'),
        ("FLATRATE_ACTIVE", "2", '"carriers/flatrate/active" takes 0 or 1.'),
        ("DEFAULT_COUNTRY", "ZZ", '"ZZ" is not a country code.'),
        (
            "COUNTRIES_ALLOWED",
            "US,ZZ,us",
            '"general/country/allow" takes country codes separated by commas; not one: ZZ, us.',
        ),
        (
            "CURRENCIES_ALLOWED",
            "USD,euro",
            '"currency/options/allow" takes currency codes separated by commas.',
        ),
        (
            "RECAPTCHA_FOR_CONTACT",
            "v9",
            '"recaptcha_frontend/type_for/contact" takes "" or "invisible" or "recaptcha" or '
            '"recaptcha_v3".',
        ),
        (
            "TAX_BASED_ON",
            "cart",
            '"tax/calculation/based_on" takes "billing" or "origin" or "shipping".',
        ),
        (
            "INVITATION_EMAIL_IDENTITY",
            "nobody",
            '"magento_invitation/email/identity" takes one of general, sales, support, custom1, '
            "custom2.",
        ),
        (
            "REWARD_EXPIRATION_DAYS",
            "soon",
            '"magento_reward/general/expiration_days" takes a whole number.',
        ),
    ):
        response = await gql(
            client, SAVE_CONFIG, {"input": {"path": path, "value": value}}, token=admin_token
        )
        assert response.data == {
            "adminSaveConfig": {
                "config": None,
                "user_errors": [{"code": "INVALID", "message": message, "path": "input.value"}],
            }
        }, (path, value)
    assert await CoreConfigData.all().count() == 0
    emptied = await gql(
        client,
        SAVE_CONFIG,
        {"input": {"path": "REWARD_EXPIRATION_DAYS", "value": ""}},
        token=admin_token,
    )
    assert emptied.data["adminSaveConfig"]["user_errors"] == []  # type: ignore[index]
