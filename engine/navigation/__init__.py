"""Layered navigation, as Magento_LayeredNavigation with Magento_CatalogGraphQl's
`aggregations` and `sort_fields`: counts of the matched products per category, per price bucket
and per option of each filterable select attribute, and the sort orders a listing offers."""
