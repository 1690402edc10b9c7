"""Promotion-rule conditions shared by catalog and cart price rules (Magento's
`Magento\\Rule` / `CatalogRule` / `SalesRule` condition classes)."""
