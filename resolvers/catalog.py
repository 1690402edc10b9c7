"""The catalog: the storefront's `products`, `categories` and `categoryList`, and the admin's
products, categories and bulk upsert."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import strawberry

from engine import catalog
from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.pagination import PageRequest
from engine.product_attributes import TEXT_CODES
from engine.uids import parse_id
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.attributes import values_from_input
from graph.catalog import (
    FILTERABLE_SELECTS,
    AdminCategory,
    AdminProduct,
    AdminProductFilterInput,
    AdminProducts,
    CategoryCreateInput,
    CategoryFilterInput,
    CategoryOutput,
    CategoryResult,
    CategoryTree,
    CategoryUpdateInput,
    DeleteCategoryOutput,
    DeleteProductOutput,
    ProductAttributeFilterInput,
    ProductAttributeSortInput,
    ProductCreateInput,
    ProductOutput,
    Products,
    ProductUpdateInput,
    ProductUpsertInput,
    UpsertProductsOutput,
    pricing_scope,
    show_out_of_stock,
    sort_of,
)
from graph.common import FilterEqualTypeInput, FilterRangeTypeInput, SearchResultPageInfo
from graph.context import Info
from graph.errors import UserError
from graph.navigation import SearchScope
from graph.permissions import catalog_access
from graph.uids import decode_uid, encode_uid
from models.catalog import ROOT_CATEGORY_ID, ProductStatus, ProductType, Visibility
from resolvers.access import require_admin
from resolvers.inputs import decode_uids, uids_of_filter


def _values(filter_: FilterEqualTypeInput | None) -> tuple[str, ...] | None:
    if filter_ is None:
        return None
    values = ([filter_.eq] if filter_.eq is not None else []) + list(filter_.in_ or [])
    return tuple(v for v in values if v is not None)


def _ids(filter_: FilterEqualTypeInput | None, path: str) -> tuple[int, ...] | None:
    """Numeric ids (Magento's deprecated `category_id` / `ids` filters)."""
    values = _values(filter_)
    if values is None:
        return None
    problems = [
        Problem(ProblemCode.INVALID, f'Value of "{v}" is incorrect.', f"{path}.{i}")
        for i, v in enumerate(values)
        if parse_id(v) is None
    ]
    if problems:
        raise InputInvalid(problems)
    return tuple(int(v) for v in values)


def _union(*sets: tuple[int, ...] | None) -> tuple[int, ...] | None:
    given = [s for s in sets if s is not None]
    if not given:
        return None
    return tuple(sorted({i for s in given for i in s}))


def _price_bound(value: str | None, path: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise InputInvalid(
            Problem(ProblemCode.INVALID, f'Invalid value "{value}" of the price filter.', path)
        )
    return amount


async def _product_search(
    info: Info, search: str | None, filter_: ProductAttributeFilterInput | None
) -> catalog.ProductSearch:
    price: FilterRangeTypeInput | None = filter_.price if filter_ else None
    uid_ids = uids_of_filter(filter_.category_uid if filter_ else None, "filter.category_uid")
    url_paths = _values(filter_.category_url_path) if filter_ else None
    path_ids = (
        None
        if url_paths is None
        else await catalog.category_ids_by_url_path(
            (await info.context.store()).group_id, url_paths
        )
    )
    return catalog.ProductSearch(
        search=search.strip() if search and search.strip() else None,
        skus=_values(filter_.sku) if filter_ else None,
        category_ids=_union(
            None if uid_ids is None else tuple(uid_ids),
            _ids(filter_.category_id, "filter.category_id") if filter_ else None,
            path_ids,
        ),
        match_nothing=bool(
            filter_
            and any(
                f is not None and f.match for f in (filter_.description, filter_.short_description)
            )
        ),
        name=filter_.name.match if filter_ and filter_.name and filter_.name.match else None,
        url_keys=_values(filter_.url_key) if filter_ else None,
        price_from=_price_bound(price.from_, "filter.price.from") if price else None,
        price_to=_price_bound(price.to, "filter.price.to") if price else None,
        attribute_options=_attribute_options(filter_),
    )


def _attribute_options(
    filter_: ProductAttributeFilterInput | None,
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The select attribute filters given, as option ids (a value that is no option id matches
    nothing, as in Magento)."""
    result = []
    for code in FILTERABLE_SELECTS:
        values = _values(getattr(filter_, code)) if filter_ else None
        if values is not None:
            ids = (parse_id(v) for v in values)
            result.append((code, tuple(sorted({i for i in ids if i is not None}))))
    return tuple(result)


async def _categories(
    info: Info, filters: CategoryFilterInput | None, page: PageRequest
) -> CategoryResult:
    await info.context.viewer()  # a bad token is refused, as on every storefront query
    store = await info.context.store()
    criteria = catalog.CategorySearch(
        ids=_union(
            None
            if filters is None or filters.category_uid is None
            else tuple(uids_of_filter(filters.category_uid, "filters.category_uid") or ()),
            _ids(filters.ids, "filters.ids") if filters else None,
        ),
        parent_ids=_union(
            None
            if filters is None or filters.parent_category_uid is None
            else tuple(
                uids_of_filter(filters.parent_category_uid, "filters.parent_category_uid") or ()
            ),
            _ids(filters.parent_id, "filters.parent_id") if filters else None,
        ),
        name=filters.name.match if filters and filters.name and filters.name.match else None,
        url_keys=_values(filters.url_key) if filters else None,
        url_paths=_values(filters.url_path) if filters else None,
    )
    result = await catalog.search_categories(
        store.group_id, criteria, page, await catalog_access(info)
    )
    return CategoryResult(
        items=[CategoryTree.of(row) for row in result.items],
        page_info=SearchResultPageInfo.of(result),
        total_count=result.total_count,
    )


def _money(value: float, path: str, problems: list[Problem]) -> Decimal:
    """A float from GraphQL as the Decimal it was written as (`19.99`, not its binary value)."""
    amount = Decimal(repr(value))
    if not amount.is_finite():
        problems.append(Problem(ProblemCode.INVALID, catalog.NOT_NEGATIVE, path))
    return amount


def _given(value: object) -> bool:
    return value is not strawberry.UNSET


def _product_changes(
    input: ProductCreateInput | ProductUpdateInput, path: str, *, creating: bool
) -> catalog.ProductChanges:
    """Engine changes from a product input: UNSET stays `KEEP`; uids decoded, every bad uid
    reported with its path."""
    problems: list[Problem] = []
    values: dict[str, object] = {}

    def required(name: str, value: object) -> None:
        if value is None:
            label = catalog.PRODUCT_LABELS.get(name, name)
            problems.append(
                Problem(
                    ProblemCode.REQUIRED,
                    f'The value of attribute "{label}" must be set',
                    f"{path}.{name}",
                )
            )
        elif _given(value):
            values[name] = value

    required("sku", input.sku)
    required("name", input.name)
    if _given(input.price):
        if input.price is None:
            required("price", None)
        else:
            values["price"] = _money(input.price, f"{path}.price", problems)
    if _given(input.type_id) and input.type_id is not None:
        values["type_id"] = ProductType[input.type_id.name]
    if _given(input.attribute_set_id) and input.attribute_set_id is not None:
        values["attribute_set_id"] = input.attribute_set_id
    if _given(input.url_key) and not (creating and input.url_key is None):
        values["url_key"] = input.url_key
    if _given(input.special_price):
        values["special_price"] = (
            None
            if input.special_price is None
            else _money(input.special_price, f"{path}.special_price", problems)
        )
    for name in ("special_from_date", "special_to_date"):
        value = getattr(input, name)
        if _given(value) and not (creating and value is None):
            values[name] = value
    if _given(input.weight) and not (creating and input.weight is None):
        values["weight"] = (
            None if input.weight is None else _money(input.weight, f"{path}.weight", problems)
        )
    if _given(input.visibility) and input.visibility is not None:
        values["visibility"] = Visibility[input.visibility.name]
    if _given(input.status) and input.status is not None:
        values["status"] = ProductStatus[input.status.name]
    if _given(input.tax_class_id):
        values["tax_class_id"] = input.tax_class_id
    for name, target in (("website_uids", "website_ids"), ("category_uids", "category_ids")):
        uids = getattr(input, name)
        if _given(uids) and uids is not None:
            try:
                values[target] = tuple(decode_uids(uids, f"{path}.{name}"))
            except DomainError as error:
                problems.extend(error.problems)
        elif _given(uids) and not creating:
            values[target] = ()
    if _given(input.qty) and input.qty is not None:
        values["qty"] = _money(input.qty, f"{path}.qty", problems)
    if _given(input.is_in_stock) and input.is_in_stock is not None:
        values["is_in_stock"] = input.is_in_stock
    if _given(input.custom_attributes) and input.custom_attributes is not None:
        values["custom_attributes"] = tuple(values_from_input(input.custom_attributes) or ())
    for name in TEXT_CODES:
        value = getattr(input, name)
        if _given(value) and not (creating and value is None):
            values[name] = value
    if problems:
        raise InputInvalid(problems)
    return catalog.ProductChanges(**values)  # type: ignore[arg-type]


def _category_changes(
    input: CategoryCreateInput | CategoryUpdateInput,
) -> catalog.CategoryChanges:
    values: dict[str, object] = {}
    if _given(input.parent_uid) and input.parent_uid is not None:
        values["parent_id"] = decode_uid(input.parent_uid, "input.parent_uid")
    elif _given(input.parent_uid) and isinstance(input, CategoryUpdateInput):
        raise InputInvalid(
            Problem(ProblemCode.REQUIRED, catalog.PARENT_NOT_FOUND, "input.parent_uid")
        )
    if _given(input.name):
        values["name"] = "" if input.name is None else input.name
    for name in ("position", "url_key"):
        value = getattr(input, name)
        if _given(value) and not (isinstance(input, CategoryCreateInput) and value is None):
            values[name] = value
    for name in ("is_active", "include_in_menu", "display_mode"):
        value = getattr(input, name)
        if _given(value) and value is not None:
            values[name] = value
    for name in ("description", "image", "meta_title", "meta_keywords", "meta_description"):
        value = getattr(input, name)
        if _given(value):
            values[name] = value
    if _given(input.landing_page_uid):
        values["landing_page"] = (
            None
            if input.landing_page_uid is None
            else decode_uid(input.landing_page_uid, "input.landing_page_uid")
        )
    return catalog.CategoryChanges(**values)  # type: ignore[arg-type]


def _admin_filter(filter_: AdminProductFilterInput | None) -> catalog.ProductFilter:
    if filter_ is None:
        return catalog.ProductFilter()
    price = filter_.price
    return catalog.ProductFilter(
        skus=_values(filter_.sku),
        sku_contains=filter_.sku_match.match if filter_.sku_match else None,
        name_contains=filter_.name.match if filter_.name else None,
        type_ids=None
        if filter_.type_id is None
        else tuple(ProductType[t.name] for t in filter_.type_id),
        statuses=None
        if filter_.status is None
        else tuple(ProductStatus[s.name] for s in filter_.status),
        price_from=_price_bound(price.from_, "filter.price.from") if price else None,
        price_to=_price_bound(price.to, "filter.price.to") if price else None,
        category_ids=None
        if filter_.category_uid is None
        else tuple(uids_of_filter(filter_.category_uid, "filter.category_uid") or ()),
        website_ids=None
        if filter_.website_uid is None
        else tuple(uids_of_filter(filter_.website_uid, "filter.website_uid") or ()),
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Search for products that match the criteria specified in the `search` and "
        "`filter` attributes."
    )
    async def products(
        self,
        info: Info,
        search: Annotated[
            str | None,
            strawberry.argument(description="One or more keywords to use in a full-text search."),
        ] = None,
        filter: Annotated[
            ProductAttributeFilterInput | None,
            strawberry.argument(description="The product attributes to search for and return."),
        ] = None,
        pageSize: Annotated[int | None, PAGE_SIZE] = 20,
        currentPage: Annotated[int | None, CURRENT_PAGE] = 1,
        sort: Annotated[
            ProductAttributeSortInput | None,
            strawberry.argument(
                description=(
                    "Specifies which attributes to sort on, and whether to return the "
                    "results in ascending or descending order."
                )
            ),
        ] = None,
    ) -> Products | None:
        # Read the caller now: a bad token is refused, and prices depend on the group.
        website_id, group_id, day = await pricing_scope(info.context)
        criteria = await _product_search(info, search, filter)
        access = await catalog_access(info)
        with_out_of_stock = await show_out_of_stock(info)
        page = await catalog.search_products(
            website_id,
            criteria,
            sort_of(sort),
            PageRequest(
                20 if pageSize is None else pageSize, 1 if currentPage is None else currentPage
            ),
            day,
            group_id,
            access,
            show_out_of_stock=with_out_of_stock,
        )
        store = await info.context.store()
        return Products.of(
            page,
            SearchScope(
                website_id=website_id,
                criteria=criteria,
                today=day,
                group_id=group_id,
                access=access,
                show_out_of_stock=with_out_of_stock,
                root_category_id=store.root_category_id,
            ),
        )

    @strawberry.field(description="Return a list of categories that match the specified filter.")
    async def categories(
        self,
        info: Info,
        filters: Annotated[
            CategoryFilterInput | None,
            strawberry.argument(
                description="Identifies which Category filter inputs to search for and return."
            ),
        ] = None,
        pageSize: Annotated[int | None, PAGE_SIZE] = 20,
        currentPage: Annotated[int | None, CURRENT_PAGE] = 1,
    ) -> CategoryResult | None:
        return await _categories(
            info,
            filters,
            PageRequest(
                20 if pageSize is None else pageSize, 1 if currentPage is None else currentPage
            ),
        )

    @strawberry.field(
        description="Return an array of categories based on the specified filters.",
        deprecation_reason="Use `categories` instead.",
    )
    async def categoryList(
        self,
        info: Info,
        filters: Annotated[
            CategoryFilterInput | None,
            strawberry.argument(
                description="Identifies which Category filter inputs to search for and return."
            ),
        ] = None,
        pageSize: Annotated[int | None, PAGE_SIZE] = 20,
        currentPage: Annotated[int | None, CURRENT_PAGE] = 1,
    ) -> list[CategoryTree | None] | None:
        result = await _categories(
            info,
            filters,
            PageRequest(
                20 if pageSize is None else pageSize, 1 if currentPage is None else currentPage
            ),
        )
        return list(result.items or [])

    @strawberry.field(description="Products, filtered and paginated (admin token required).")
    async def adminProducts(
        self,
        info: Info,
        filter: Annotated[
            AdminProductFilterInput | None,
            strawberry.argument(description="Conditions the products must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> AdminProducts:
        await require_admin(info)
        page = await catalog.admin_products(
            _admin_filter(filter), PageRequest(pageSize, currentPage)
        )
        details = await catalog.product_details(page.items)
        return AdminProducts(
            items=[AdminProduct.of(d) for d in details],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(description="One product by uid (admin token required).")
    async def adminProduct(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the product to return.")
        ],
    ) -> AdminProduct | None:
        await require_admin(info)
        return AdminProduct.of(await catalog.get_product(decode_uid(uid)))

    @strawberry.field(
        description="The category tree from a category down, active or not; from the tree root "
        "when `root_uid` is omitted (admin token required)."
    )
    async def adminCategoryTree(
        self,
        info: Info,
        root_uid: Annotated[
            strawberry.ID | None,
            strawberry.argument(
                description="The `uid` of the category to start from; the tree root when omitted."
            ),
        ] = None,
    ) -> AdminCategory | None:
        await require_admin(info)
        root_id = ROOT_CATEGORY_ID if root_uid is None else decode_uid(root_uid, "root_uid")
        return AdminCategory.of(await catalog.get_category(root_id))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a product (admin token required).")
    async def adminCreateProduct(
        self,
        info: Info,
        input: Annotated[
            ProductCreateInput,
            strawberry.argument(
                description="The new product's sku, name, prices and other attributes."
            ),
        ],
    ) -> ProductOutput:
        await require_admin(info)
        try:
            details = await catalog.create_product(_product_changes(input, "input", creating=True))
        except DomainError as error:
            return ProductOutput(product=None, user_errors=UserError.from_error(error))
        return ProductOutput(product=AdminProduct.of(details), user_errors=[])

    @strawberry.mutation(description="Change a product (admin token required).")
    async def adminUpdateProduct(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the product to change.")
        ],
        input: Annotated[
            ProductUpdateInput, strawberry.argument(description="The product's new values.")
        ],
    ) -> ProductOutput:
        await require_admin(info)
        try:
            details = await catalog.update_product(
                decode_uid(uid), _product_changes(input, "input", creating=False)
            )
        except DomainError as error:
            return ProductOutput(product=None, user_errors=UserError.from_error(error))
        return ProductOutput(product=AdminProduct.of(details), user_errors=[])

    @strawberry.mutation(
        description="Delete a product with its stock, links and attribute values "
        "(admin token required)."
    )
    async def adminDeleteProduct(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the product to delete.")
        ],
    ) -> DeleteProductOutput:
        await require_admin(info)
        try:
            row = await catalog.delete_product(decode_uid(uid))
        except DomainError as error:
            return DeleteProductOutput(deleted_uid=None, user_errors=UserError.from_error(error))
        return DeleteProductOutput(
            deleted_uid=strawberry.ID(encode_uid(row.entity_id)), user_errors=[]
        )

    @strawberry.mutation(
        description="Create or update products by sku in one transaction; if any row is "
        "refused, nothing is written (admin token required)."
    )
    async def adminUpsertProducts(
        self,
        info: Info,
        input: Annotated[
            list[ProductUpsertInput],
            strawberry.argument(
                description="The products to create or update, each identified by its sku."
            ),
        ],
    ) -> UpsertProductsOutput:
        await require_admin(info)
        problems: list[Problem] = []
        rows: list[catalog.ProductChanges] = []
        for index, item in enumerate(input):
            try:
                rows.append(_product_changes(item, f"input.{index}", creating=False))
            except DomainError as error:
                problems.extend(error.problems)
        try:
            if problems:
                raise InputInvalid(problems)
            details = await catalog.upsert_products(rows)
        except DomainError as error:
            return UpsertProductsOutput(products=[], user_errors=UserError.from_error(error))
        return UpsertProductsOutput(products=[AdminProduct.of(d) for d in details], user_errors=[])

    @strawberry.mutation(description="Create a category (admin token required).")
    async def adminCreateCategory(
        self,
        info: Info,
        input: Annotated[
            CategoryCreateInput,
            strawberry.argument(
                description="The new category's name, parent and other attributes."
            ),
        ],
    ) -> CategoryOutput:
        await require_admin(info)
        try:
            row = await catalog.create_category(_category_changes(input))
        except DomainError as error:
            return CategoryOutput(category=None, user_errors=UserError.from_error(error))
        return CategoryOutput(category=AdminCategory.of(row), user_errors=[])

    @strawberry.mutation(
        description="Change a category; a new parent moves it with its subtree "
        "(admin token required)."
    )
    async def adminUpdateCategory(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the category to change.")
        ],
        input: Annotated[
            CategoryUpdateInput, strawberry.argument(description="The category's new values.")
        ],
    ) -> CategoryOutput:
        await require_admin(info)
        try:
            row = await catalog.update_category(decode_uid(uid), _category_changes(input))
        except DomainError as error:
            return CategoryOutput(category=None, user_errors=UserError.from_error(error))
        return CategoryOutput(category=AdminCategory.of(row), user_errors=[])

    @strawberry.mutation(
        description="Delete a category with its whole subtree (admin token required). The tree "
        "root and store roots cannot be deleted."
    )
    async def adminDeleteCategory(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the category to delete.")
        ],
    ) -> DeleteCategoryOutput:
        await require_admin(info)
        try:
            ids = await catalog.delete_category(decode_uid(uid))
        except DomainError as error:
            return DeleteCategoryOutput(deleted_uids=[], user_errors=UserError.from_error(error))
        return DeleteCategoryOutput(
            deleted_uids=[strawberry.ID(encode_uid(i)) for i in ids], user_errors=[]
        )
