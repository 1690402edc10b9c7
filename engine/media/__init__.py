"""Product media, as Magento_Catalog's media gallery: image files kept under a media folder
(`catalog/product/<a>/<b>/<name>`, as Magento's `pub/media`), gallery entries per product
(position, label, disabled) and the base, small and thumbnail roles. `storage` validates and
writes files, `gallery` reads and writes the rows."""
