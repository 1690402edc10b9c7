"""A storefront boots and navigates: Venia's `ResolveURL` / `getRouteData` (`route`), CMS pages
and blocks (`GetCmsPage`, `cmsBlocks`) with admin CRUD, the store and currency switchers
(`getAvailableStoresData`, `getCurrencyData`), `GetReCaptchaV3Config`, and the directory
(`countries`, `country`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine import catalog
from engine.catalog import CategoryChanges, ProductChanges
from engine.cms import pages
from engine.passwords import PasswordHasher
from engine.stores import invalidate_stores
from graph.uids import encode_uid
from mageseg.app import SERVICES
from models import CoreConfigData, MagentoBanner, UrlRewrite
from models.catalog import Visibility
from seeds.loader import load
from tests.graphql import gql

# Venia: packages/peregrine/lib/talons/MagentoRoute/magentoRoute.gql.js
RESOLVE_URL = """
query ResolveURL($url: String!) {
  route(url: $url) {
    relative_url
    redirect_code
    type
    ... on CmsPage { identifier }
    ... on ProductInterface { uid __typename }
    ... on CategoryInterface { uid }
  }
}
"""
# Venia: packages/peregrine/lib/talons/Cms/cmsPage.gql.js
GET_CMS_PAGE = """
query GetCmsPage($identifier: String!) {
  cmsPage(identifier: $identifier) {
    identifier
    url_key
    content
    content_heading
    title
    page_layout
    meta_title
    meta_keywords
    meta_description
  }
}
"""
# Venia: packages/venia-ui/lib/components/CmsBlock/cmsBlock.gql.js
CMS_BLOCKS = """
query cmsBlocks($identifiers: [String]!) {
  cmsBlocks(identifiers: $identifiers) {
    items { content identifier }
  }
}
"""
# Venia: packages/venia-ui/lib/components/Header/storeSwitcher.gql.js
AVAILABLE_STORES = """
query getAvailableStoresData {
  availableStores {
    category_url_suffix
    default_display_currency_code
    locale
    product_url_suffix
    secure_base_media_url
    store_code
    store_group_code
    store_group_name
    store_name
    store_sort_order
  }
}
"""
# Venia: packages/venia-ui/lib/components/Header/currencySwitcher.gql.js
CURRENCY = """
query getCurrencyData {
  currency { default_display_currency_code available_currency_codes }
}
"""
# Venia: packages/peregrine/lib/hooks/useGoogleReCaptcha/googleReCaptchaConfig.gql.js
RECAPTCHA = """
query GetReCaptchaV3Config {
  recaptchaV3Config { website_key badge_position language_code forms }
}
"""
# Venia: packages/peregrine/lib/talons/Country/country.gql.js and Region/region.gql.js
COUNTRIES = """
query GetCountries { countries { id full_name_locale } }
"""
REGIONS = """
query GetRegions($countryCode: String!) {
  country(id: $countryCode) {
    id
    full_name_english
    available_regions { id code name }
  }
}
"""
SAVE_PAGE = """
mutation ($input: CmsPageInput!) {
  adminCreateCmsPage(input: $input) {
    page { uid identifier title store_ids is_active }
    user_errors { code message path }
  }
}
"""
SAVE_BLOCK = """
mutation ($input: CmsBlockInput!) {
  adminCreateCmsBlock(input: $input) {
    block { uid identifier store_ids }
    user_errors { code message path }
  }
}
"""


async def shirt_catalog() -> tuple[int, int, int]:
    """Men (men) > Shirts (shirts) holding the Blue Shirt (blue-shirt): their ids."""
    men = await catalog.create_category(CategoryChanges(name="Men", parent_id=2))
    shirts = await catalog.create_category(CategoryChanges(name="Shirts", parent_id=men.entity_id))
    shirt = await catalog.create_product(
        ProductChanges(
            sku="shirt-1",
            name="Blue Shirt",
            price=Decimal("30"),
            qty=Decimal(5),
            category_ids=(shirts.entity_id,),
        )
    )
    return men.entity_id, shirts.entity_id, shirt.product.entity_id


async def route(client: Any, url: str) -> Any:
    response = await gql(client, RESOLVE_URL, {"url": url})
    assert response.errors == [], response.errors
    return response.data["route"]  # type: ignore[index]


async def set_config(client: Any, path: str, value: str) -> None:
    await CoreConfigData.create(scope="default", scope_id=0, path=path, value=value)
    await invalidate_stores(client.server.app[SERVICES].cache)


async def test_route_resolves_products_categories_and_cms_pages(client: Any) -> None:
    _, shirts, shirt = await shirt_catalog()

    assert await route(client, "/blue-shirt.html") == {
        "relative_url": "blue-shirt.html",
        "redirect_code": 0,
        "type": "PRODUCT",
        "uid": encode_uid(shirt),
        "__typename": "SimpleProduct",
    }
    assert await route(client, "men/shirts.html?page=2") == {
        "relative_url": "men/shirts.html",
        "redirect_code": 0,
        "type": "CATEGORY",
        "uid": encode_uid(shirts),
    }
    assert await route(client, "/") == {
        "relative_url": "home",
        "redirect_code": 0,
        "type": "CMS_PAGE",
        "identifier": "home",
    }
    assert await route(client, "/enable-cookies") == {
        "relative_url": "enable-cookies",
        "redirect_code": 0,
        "type": "CMS_PAGE",
        "identifier": "enable-cookies",
    }
    assert await route(client, "/no-such-thing.html") is None
    assert await route(client, "/blue-shirt") is None  # the suffix is part of the URL


async def test_a_changed_url_key_redirects_from_the_old_url(client: Any) -> None:
    men, shirts, shirt = await shirt_catalog()
    await catalog.update_product(shirt, ProductChanges(url_key="navy-shirt"))
    await catalog.update_category(men, CategoryChanges(url_key="gents"))

    assert await route(client, "/blue-shirt.html") == {
        "relative_url": "navy-shirt.html",
        "redirect_code": 301,
        "type": "PRODUCT",
        "uid": encode_uid(shirt),
        "__typename": "SimpleProduct",
    }
    assert await route(client, "/men/shirts.html") == {
        "relative_url": "gents/shirts.html",
        "redirect_code": 301,
        "type": "CATEGORY",
        "uid": encode_uid(shirts),
    }
    assert (await route(client, "/navy-shirt.html"))["redirect_code"] == 0
    rows = await UrlRewrite.filter(entity_type="product", entity_id=shirt).order_by(
        "url_rewrite_id"
    )
    assert [(r.request_path, r.target_path, r.redirect_type, r.is_autogenerated) for r in rows] == [
        ("blue-shirt.html", "navy-shirt.html", 301, False),
        ("navy-shirt.html", f"catalog/product/view/id/{shirt}", 0, True),
    ]


async def test_hidden_products_have_no_route(client: Any) -> None:
    _, _, shirt = await shirt_catalog()
    await catalog.update_product(shirt, ProductChanges(visibility=Visibility.NOT_VISIBLE))
    assert await route(client, "/blue-shirt.html") is None
    assert await UrlRewrite.filter(entity_type="product").count() == 0


async def test_the_product_suffix_is_configurable(client: Any) -> None:
    await set_config(client, "catalog/seo/product_url_suffix", "")
    _, _, shirt = await shirt_catalog()
    assert (await route(client, "/blue-shirt"))["uid"] == encode_uid(shirt)
    response = await gql(
        client,
        '{ products(filter: {sku: {eq: "shirt-1"}}) '
        "{ items { url_key url_suffix ... on SimpleProduct { relative_url } } } }",
    )
    assert response.data == {
        "products": {
            "items": [{"url_key": "blue-shirt", "url_suffix": "", "relative_url": "blue-shirt"}]
        }
    }


async def test_cms_page_renders_its_dynamic_block_widget(client: Any) -> None:
    block = await MagentoBanner.create(name="Offer", is_enabled=True)
    await pages.create_page(
        pages.PageData(
            identifier="summer",
            title="Summer",
            content_heading="Summer sale",
            content=(
                '<p><img src="{{media url="wysiwyg/sun.png"}}"/> <a href="{{store url="sale"}}">'
                'Sale</a></p>{{widget type="Magento\\Banner\\Block\\Widget\\Banner" '
                f'display_mode="fixed" banner_ids="{block.banner_id}" unique_id="abc"}}}}'
            ),
            meta_title="Summer | Shop",
            meta_keywords="summer",
            meta_description="The summer sale",
        )
    )
    response = await gql(client, GET_CMS_PAGE, {"identifier": "summer"})
    uid = encode_uid(block.banner_id)
    assert response.data == {
        "cmsPage": {
            "identifier": "summer",
            "url_key": "summer",
            "content": (
                '<p><img src="/media/wysiwyg/sun.png"/> <a href="/sale">Sale</a></p>'
                '<div class="widget block block-banners" data-bind="scope: \'banner\'" '
                f'data-types="" data-display-mode="fixed" data-ids="{block.banner_id}" '
                f'data-uids="{uid}" data-rotate="" data-store-id="1" data-banner-id="abc">'
                '<ul class="banner-items"></ul></div>'
            ),
            "content_heading": "Summer sale",
            "title": "Summer",
            "page_layout": "1column",
            "meta_title": "Summer | Shop",
            "meta_keywords": "summer",
            "meta_description": "The summer sale",
        }
    }
    assert await route(client, "summer") == {
        "relative_url": "summer",
        "redirect_code": 0,
        "type": "CMS_PAGE",
        "identifier": "summer",
    }
    missing = await gql(client, GET_CMS_PAGE, {"identifier": "winter"})
    assert missing.data == {"cmsPage": None}
    assert missing.messages == ['The CMS page with the "winter" ID doesn\'t exist.']
    assert missing.categories == ["graphql-no-such-entity"]


async def test_admins_create_pages_and_blocks_with_every_problem_reported(
    client: Any, admin_token: str
) -> None:
    refused = await gql(
        client,
        SAVE_PAGE,
        {"input": {"identifier": "Big Sale!", "title": " ", "store_ids": [9]}},
        token=admin_token,
    )
    assert refused.data == {
        "adminCreateCmsPage": {
            "page": None,
            "user_errors": [
                {
                    "code": "INVALID",
                    "message": "The page URL key contains capital letters or disallowed symbols.",
                    "path": "input.identifier",
                },
                {
                    "code": "REQUIRED",
                    "message": "The page title is required.",
                    "path": "input.title",
                },
                {
                    "code": "NOT_FOUND",
                    "message": 'Store view with ID "9" doesn\'t exist.',
                    "path": "input.store_ids.0",
                },
            ],
        }
    }
    taken = await gql(
        client, SAVE_PAGE, {"input": {"identifier": "home", "title": "Home"}}, token=admin_token
    )
    assert taken.data["adminCreateCmsPage"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "ALREADY_EXISTS",
            "message": "A page URL key for specified store already exists.",
            "path": "input.identifier",
        }
    ]
    created = await gql(
        client,
        SAVE_BLOCK,
        {"input": {"identifier": "footer-links", "title": "Footer", "content": "<ul></ul>"}},
        token=admin_token,
    )
    assert created.data["adminCreateCmsBlock"]["user_errors"] == []  # type: ignore[index]
    blocks = await gql(client, CMS_BLOCKS, {"identifiers": ["footer-links"]})
    assert blocks.data == {
        "cmsBlocks": {"items": [{"content": "<ul></ul>", "identifier": "footer-links"}]}
    }
    missing = await gql(client, CMS_BLOCKS, {"identifiers": ["footer-links", "nope"]})
    assert missing.messages == ['The CMS block with the "nope" ID doesn\'t exist.']
    assert missing.categories == ["graphql-no-such-entity"]
    guest = await gql(client, SAVE_BLOCK, {"input": {"identifier": "x", "title": "X"}})
    assert guest.categories == ["graphql-authorization"]


async def test_store_switcher_currency_and_recaptcha(client: Any) -> None:
    response = await gql(client, AVAILABLE_STORES)
    assert response.data == {
        "availableStores": [
            {
                "category_url_suffix": ".html",
                "default_display_currency_code": "USD",
                "locale": "en_US",
                "product_url_suffix": ".html",
                "secure_base_media_url": "/media/",
                "store_code": "default",
                "store_group_code": "main_website_store",
                "store_group_name": "Main Website Store",
                "store_name": "Default Store View",
                "store_sort_order": 0,
            }
        ]
    }
    assert (await gql(client, CURRENCY)).data == {
        "currency": {"default_display_currency_code": "USD", "available_currency_codes": ["USD"]}
    }
    assert (await gql(client, RECAPTCHA)).data == {
        "recaptchaV3Config": {
            "website_key": "",
            "badge_position": "inline",
            "language_code": None,
            "forms": [],
        }
    }
    await set_config(client, "recaptcha_frontend/type_recaptcha_v3/public_key", "site-key")
    await set_config(client, "recaptcha_frontend/type_for/customer_login", "recaptcha_v3")
    await set_config(client, "recaptcha_frontend/type_for/contact", "recaptcha_v3")
    assert (await gql(client, RECAPTCHA)).data == {
        "recaptchaV3Config": {
            "website_key": "site-key",
            "badge_position": "inline",
            "language_code": None,
            "forms": ["CONTACT", "CUSTOMER_LOGIN"],
        }
    }


async def test_countries_and_regions_as_magento_installs_them(client: Any) -> None:
    response = await gql(client, COUNTRIES)
    countries = response.data["countries"]  # type: ignore[index]
    assert len(countries) == 249
    assert countries[:2] == [
        {"id": "AD", "full_name_locale": "Andorra"},
        {"id": "AE", "full_name_locale": "United Arab Emirates"},
    ]
    germany = await gql(client, REGIONS, {"countryCode": "DE"})
    regions = germany.data["country"]["available_regions"]  # type: ignore[index]
    assert germany.data["country"]["full_name_english"] == "Germany"  # type: ignore[index]
    assert len(regions) == 16
    assert regions[:2] == [
        {"id": 80, "code": "BAW", "name": "Baden-Württemberg"},
        {"id": 81, "code": "BAY", "name": "Bayern"},
    ]
    us = await gql(client, REGIONS, {"countryCode": "US"})
    assert len(us.data["country"]["available_regions"]) == 65  # type: ignore[index]
    canada = await gql(client, REGIONS, {"countryCode": "CA"})
    assert len(canada.data["country"]["available_regions"]) == 13  # type: ignore[index]
    france = await gql(client, REGIONS, {"countryCode": "FR"})
    assert france.data == {
        "country": {"id": "FR", "full_name_english": "France", "available_regions": None}
    }

    await set_config(client, "general/country/allow", "US,CA")
    response = await gql(client, COUNTRIES)
    assert response.data == {
        "countries": [
            {"id": "CA", "full_name_locale": "Canada"},
            {"id": "US", "full_name_locale": "United States"},
        ]
    }
    refused = await gql(client, REGIONS, {"countryCode": "DE"})
    assert refused.messages == ["The country isn't available."]
    assert refused.categories == ["graphql-no-such-entity"]


async def test_the_demo_store_boots_on_its_home_page(client: Any, media_folder: Any) -> None:
    # Loads the demo catalog (300 products with their images and URLs): the one smoke test of
    # the storefront seed, about 3 s.
    await load(0, progress=False, hasher=PasswordHasher(time_cost=1, memory_kib=1024))
    home = await route(client, "/")
    assert home == {
        "relative_url": "home",
        "redirect_code": 0,
        "type": "CMS_PAGE",
        "identifier": "home",
    }
    page = await gql(client, GET_CMS_PAGE, {"identifier": "home"})
    content = page.data["cmsPage"]["content"]  # type: ignore[index]
    block = await MagentoBanner.get(name="Subscriber offer")
    assert f'data-uids="{encode_uid(block.banner_id)}"' in content
    assert '<a href="/women.html">Women</a>' in content
    # The block targets the "Newsletter subscribers" segment: a guest is not shown it.
    shown = await gql(
        client,
        "query ($uids: [ID]) { dynamicBlocks(input: {type: SPECIFIED, dynamic_block_uids: $uids})"
        " { items { uid } } }",
        {"uids": [encode_uid(block.banner_id)]},
    )
    assert shown.data == {"dynamicBlocks": {"items": []}}
    women = await route(client, "/women.html")
    assert women["type"] == "CATEGORY"
    listing = await gql(
        client,
        '{ products(filter: {category_url_path: {eq: "women"}}, pageSize: 1, sort: {name: ASC})'
        " { total_count items { url_key small_image { url } } aggregations { attribute_code } } }",
    )
    result = listing.data["products"]  # type: ignore[index]
    assert [a["attribute_code"] for a in result["aggregations"]] == [
        "category_uid",
        "price",
        "brand",
        "color",  # the women's clothes are configurable: their children's colors and sizes
        "size",
    ]
    item = result["items"][0]
    image = item["small_image"]["url"]
    key = item["url_key"]
    assert image == f"/media/catalog/product/{key[0]}/{key[1]}/{key}.png"
    served = await client.get(image)
    assert served.status == 200
    assert (await served.read()).startswith(b"\x89PNG")
    product = await route(client, f"/{item['url_key']}.html")
    assert product["type"] == "PRODUCT"
    assert await blocks_named(client, ["contact-us-sidebar"]) == ["contact-us-sidebar"]


async def blocks_named(client: Any, identifiers: list[str]) -> list[str]:
    response = await gql(client, CMS_BLOCKS, {"identifiers": identifiers})
    return [i["identifier"] for i in response.data["cmsBlocks"]["items"]]  # type: ignore[index]
