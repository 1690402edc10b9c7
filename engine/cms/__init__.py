"""Content pages and blocks, as Magento_Cms: `pages` and `blocks` read what a store view shows
and let admins create, change and delete them; `content` renders the directives in their
content (`{{media}}`, `{{store}}`, `{{widget}}`: dynamic blocks, whose segment targeting the
storefront's `dynamicBlocks` query applies)."""
