"""Product relations (Magento Open Source's `Magento_Catalog` product links and Adobe Commerce's
`Magento_TargetRule`): manual related / up-sell / cross-sell links with positions, and related
product rules that pick, per shopper (segments and group), which products a product shows.

- `links`: manual links (`catalog_product_link*`), admin writes and the batched reader.
- `tree` / `conditions`: the "products to display" tree and both sides' Magento JSON.
- `evaluate`: display conditions over a candidate, relative to the matched product.
- `index`: the "products to match" index (`magento_targetrule_product`).
- `rules`: admin CRUD of rules; `lists`: the storefront lists; `explain`: why a list is so."""
