"""`route(url)`: which product, category or CMS page a storefront URL shows in a store view.

As Magento's `UrlRewriteGraphQl` resolver: the URL is read without its leading slash, query and
fragment; an empty URL (`/`) is the CMS home page (`web/default/cms_home_page`); a redirect row
answers with its target's entity, the redirect code and the target URL. An entity the shopper
may not see (a disabled or invisible product, an inactive category or page) is no route."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from engine.cms.pages import page_for_store
from engine.config import ConfigPath
from engine.stores import StoresSnapshot, StoreView
from models import (
    CatalogCategoryEntity,
    CatalogProductEntity,
    CatalogProductWebsite,
    CmsPage,
    UrlEntityType,
    UrlRewrite,
)
from models.catalog import ProductStatus, Visibility

# Redirect chains are followed this far at most.
MAX_HOPS = 3


@dataclass(frozen=True)
class Route:
    entity_type: UrlEntityType
    entity: CatalogProductEntity | CatalogCategoryEntity | CmsPage
    redirect_code: int
    relative_url: str


def request_path(url: str) -> str:
    """`/men/shirts.html?x=1#top` → `men/shirts.html`; a full URL keeps only its path."""
    parts = urlsplit(url.strip())
    return unquote(parts.path).lstrip("/")


async def _visible(rewrite: UrlRewrite, store: StoreView) -> object | None:
    if rewrite.entity_type == UrlEntityType.PRODUCT:
        product = await CatalogProductEntity.get_or_none(
            entity_id=rewrite.entity_id,
            status=ProductStatus.ENABLED,
            visibility__in=[Visibility.IN_CATALOG, Visibility.IN_SEARCH, Visibility.BOTH],
        )
        if product is None or not await CatalogProductWebsite.exists(
            product_id=product.entity_id, website_id=store.website.website_id
        ):
            return None
        return product
    if rewrite.entity_type == UrlEntityType.CATEGORY:
        return await CatalogCategoryEntity.get_or_none(entity_id=rewrite.entity_id, is_active=True)
    if rewrite.entity_type == UrlEntityType.CMS_PAGE:
        return await CmsPage.get_or_none(page_id=rewrite.entity_id, is_active=True)
    return None


async def resolve(url: str, store: StoreView, stores: StoresSnapshot) -> Route | None:
    path = request_path(url)
    if path == "":
        identifier = stores.config_value(ConfigPath.CMS_HOME_PAGE, store)
        page = await page_for_store(identifier, store.store_id)
        if page is None:
            return None
        return Route(UrlEntityType.CMS_PAGE, page, 0, identifier)
    redirect_code = 0
    for _ in range(MAX_HOPS):
        rewrite = await UrlRewrite.get_or_none(request_path=path, store_id=store.store_id)
        if rewrite is None and path.endswith("/"):
            rewrite = await UrlRewrite.get_or_none(
                request_path=path.rstrip("/"), store_id=store.store_id
            )
        if rewrite is None:
            return None
        if rewrite.redirect_type in (301, 302) and rewrite.target_path:
            redirect_code = redirect_code or rewrite.redirect_type
            path = rewrite.target_path
            continue
        entity = await _visible(rewrite, store)
        if entity is None:
            return None
        return Route(
            UrlEntityType(rewrite.entity_type),
            entity,  # type: ignore[arg-type]
            redirect_code,
            rewrite.request_path or path,
        )
    return None
