"""Storefront URLs, as Magento_UrlRewrite with Magento_CatalogUrlRewrite and
Magento_CmsUrlRewrite: `rewrites` keeps the `url_rewrite` rows of products (URL key and product
suffix), categories (URL path and category suffix) and CMS pages (identifier) per store view,
keeping a 301 from an old URL when one changes; `resolve` answers `route(url)`."""
