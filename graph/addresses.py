"""Customer address types: Magento's storefront `CustomerAddress` family and its inputs, the
admin outputs, and the `addresses` / `addressesV2` fields that customer types inherit."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Annotated

import strawberry

from engine import addresses
from engine.attributes import StoredValue
from engine.pagination import PageRequest, page_of_list
from graph.attributes import (
    AttributeValueInput,
    AttributeValueInterface,
    CustomerAddressAttribute,
    CustomerAddressAttributeInput,
    values_to_graph,
    values_to_legacy,
)
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.errors import UserError
from graph.iso_codes import CountryCodeEnum
from graph.uids import encode_uid
from models import CustomerAddressEntity, CustomerEntity


class AddressBatch:
    """Addresses presented together (one customer's list, or one mutation's result). Their custom
    attribute values and region codes are loaded once for the whole batch, on first use, so a list
    of addresses costs the same few queries however long it is."""

    def __init__(self, rows: Sequence[CustomerAddressEntity]) -> None:
        self._rows = list(rows)
        self._details: asyncio.Future[addresses.AddressDetails] | None = None

    async def details(self) -> addresses.AddressDetails:
        if self._details is None:
            self._details = asyncio.ensure_future(addresses.load_details(self._rows))
        return await self._details


@strawberry.type(description="Defines the customer's state or province.")
class CustomerAddressRegion:
    region: str | None = strawberry.field(description="The state or province name.")
    region_code: str | None = strawberry.field(description="The address region code.")
    region_id: int | None = strawberry.field(description="The unique ID for a pre-defined region.")


async def _custom_attributes(root: CustomerAddress) -> list[CustomerAddressAttribute | None] | None:
    return values_to_legacy((await root.batch.details()).attributes[root.row.entity_id])


async def _custom_attributes_v2(
    root: CustomerAddress,
    attribute_codes: Annotated[
        list[strawberry.ID] | None,
        strawberry.argument(
            name="attributeCodes",
            description=(
                "Only these attribute codes; every custom attribute of the address when omitted."
            ),
        ),
    ] = strawberry.UNSET,
) -> list[AttributeValueInterface | None]:
    """Every stored value, or only those of `attributeCodes` when some are given."""
    values: Sequence[StoredValue] = (await root.batch.details()).attributes[root.row.entity_id]
    if attribute_codes:
        wanted = set(attribute_codes)
        values = [v for v in values if v.code in wanted]
    return values_to_graph(values)


def _extension_attributes() -> list[CustomerAddressAttribute | None] | None:
    """Magento fills this from extension attributes that modules register; none here."""
    return []


async def _region(root: CustomerAddress) -> CustomerAddressRegion | None:
    """As Magento's `getRegionCode()`: the directory code of a pre-defined region, else the
    free-text region itself."""
    row = root.row
    code = row.region
    if row.region_id is not None:
        code = (await root.batch.details()).region_codes.get(row.region_id, row.region)
    return CustomerAddressRegion(region=row.region, region_code=code, region_id=row.region_id)


@strawberry.type(
    description="Contains detailed information about a customer's billing or shipping address."
)
class CustomerAddress:
    row: strawberry.Private[CustomerAddressEntity]
    batch: strawberry.Private[AddressBatch]

    city: str | None = strawberry.field(description="The customer's city or town.")
    company: str | None = strawberry.field(description="The customer's company.")
    country_code: CountryCodeEnum | None = strawberry.field(description="The customer's country.")
    # Magento leaves the deprecated fields undescribed; ours are described as the schema test asks.
    country_id: str | None = strawberry.field(
        description="The customer's country, as its two-letter code.",
        deprecation_reason="Use `country_code` instead.",
    )
    custom_attributes: list[CustomerAddressAttribute | None] | None = strawberry.field(
        resolver=_custom_attributes,
        description="Custom attributes as code and value pairs.",
        deprecation_reason="Use custom_attributesV2 instead.",
    )
    custom_attributesV2: list[AttributeValueInterface | None] = strawberry.field(
        resolver=_custom_attributes_v2,
        description="Custom attributes assigned to the customer address.",
    )
    customer_id: int | None = strawberry.field(
        description="The customer ID",
        deprecation_reason="`customer_id` is not needed as part of `CustomerAddress`. "
        "The `id` is a unique identifier for the addresses.",
    )
    default_billing: bool | None = strawberry.field(
        description="Indicates whether the address is the customer's default billing address."
    )
    default_shipping: bool | None = strawberry.field(
        description="Indicates whether the address is the customer's default shipping address."
    )
    extension_attributes: list[CustomerAddressAttribute | None] | None = strawberry.field(
        resolver=_extension_attributes,
        description="Contains any extension attributes for the address.",
    )
    fax: str | None = strawberry.field(description="The customer's fax number.")
    firstname: str | None = strawberry.field(
        description="The first name of the person associated with the shipping/billing address."
    )
    id: int | None = strawberry.field(
        description="The ID of a `CustomerAddress` object.", deprecation_reason="Use `uid` instead."
    )
    lastname: str | None = strawberry.field(
        description="The family name of the person associated with the shipping/billing address."
    )
    middlename: str | None = strawberry.field(
        description="The middle name of the person associated with the shipping/billing address."
    )
    postcode: str | None = strawberry.field(description="The customer's ZIP or postal code.")
    prefix: str | None = strawberry.field(description="An honorific, such as Dr., Mr., or Mrs.")
    region: CustomerAddressRegion | None = strawberry.field(
        resolver=_region,
        description="An object containing the region name, region code, and region ID.",
    )
    region_id: int | None = strawberry.field(description="The unique ID for a pre-defined region.")
    street: list[str | None] | None = strawberry.field(
        description="An array of strings that define the street number and name."
    )
    suffix: str | None = strawberry.field(description="A value such as Sr., Jr., or III.")
    telephone: str | None = strawberry.field(description="The customer's telephone number.")
    uid: strawberry.ID | None = strawberry.field(
        description="The unique ID for a `CustomerAddress` object."
    )
    vat_id: str | None = strawberry.field(
        description="The customer's Value-added tax (VAT) number (for corporate customers)."
    )

    @classmethod
    def of(
        cls,
        row: CustomerAddressEntity,
        customer: CustomerEntity | None,
        batch: AddressBatch | None = None,
    ) -> CustomerAddress:
        """`customer` is the address's owner, for the default flags; `batch` the list `row` was
        loaded with (a batch of one when omitted)."""
        return cls(
            row=row,
            batch=batch or AddressBatch([row]),
            city=row.city,
            company=row.company,
            country_code=CountryCodeEnum[row.country_id] if row.country_id else None,
            country_id=row.country_id,
            customer_id=row.parent_id,  # type: ignore[attr-defined]
            default_billing=customer is not None and customer.default_billing == row.entity_id,
            default_shipping=customer is not None and customer.default_shipping == row.entity_id,
            fax=row.fax,
            firstname=row.firstname,
            id=row.entity_id,
            lastname=row.lastname,
            middlename=row.middlename,
            postcode=row.postcode,
            prefix=row.prefix,
            region_id=row.region_id,
            street=list(addresses.street_lines(row.street)),
            suffix=row.suffix,
            telephone=row.telephone,
            uid=strawberry.ID(encode_uid(row.entity_id)),
            vat_id=row.vat_id,
        )

    @classmethod
    def many(
        cls, rows: Sequence[CustomerAddressEntity], customer: CustomerEntity | None
    ) -> list[CustomerAddress]:
        batch = AddressBatch(rows)
        return [cls.of(row, customer, batch) for row in rows]


@strawberry.type(description="A page of a customer's addresses.")
class CustomerAddresses:
    items: list[CustomerAddress | None] | None = strawberry.field(
        description="An array containing the customer's shipping and billing addresses."
    )
    page_info: SearchResultPageInfo | None = strawberry.field(
        description="Contains pagination metadata."
    )
    total_count: int | None = strawberry.field(description="The total count of customer addresses.")


@strawberry.input(description="Defines the customer's state or province.")
class CustomerAddressRegionInput:
    region: str | None = strawberry.field(
        default=strawberry.UNSET, description="The state or province name."
    )
    region_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="The address region code."
    )
    region_id: int | None = strawberry.field(
        default=strawberry.UNSET, description="The unique ID for a pre-defined region."
    )


@strawberry.input(description="Contains details about a billing or shipping address.")
class CustomerAddressInput:
    """Omitted fields are `UNSET`, so the printed schema has no defaults, as Magento's."""

    city: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's city or town."
    )
    company: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's company."
    )
    country_code: CountryCodeEnum | None = strawberry.field(
        default=strawberry.UNSET,
        description="The two-letter code representing the customer's country.",
    )
    country_id: CountryCodeEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Deprecated: use `country_code` instead."
    )
    custom_attributes: list[CustomerAddressAttributeInput | None] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Deprecated: use `custom_attributesV2` instead. Custom attributes as code "
        "and value pairs.",
    )
    custom_attributesV2: list[AttributeValueInput | None] | None = strawberry.field(
        default=strawberry.UNSET, description="Custom attributes assigned to the customer address."
    )
    default_billing: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether the address is the default billing address.",
    )
    default_shipping: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether the address is the default shipping address.",
    )
    fax: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's fax number."
    )
    firstname: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The first name of the person associated with the billing/shipping address.",
    )
    lastname: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The family name of the person associated with the billing/shipping address.",
    )
    middlename: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The middle name of the person associated with the billing/shipping address.",
    )
    postcode: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's ZIP or postal code."
    )
    prefix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="An honorific, such as Dr., Mr., or Mrs.",
    )
    region: CustomerAddressRegionInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="An object containing the region name, region code, and region ID.",
    )
    street: list[str | None] | None = strawberry.field(
        default=strawberry.UNSET,
        description="An array of strings that define the street number and name.",
    )
    suffix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A value such as Sr., Jr., or III.",
    )
    telephone: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's telephone number."
    )
    vat_id: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The customer's Tax/VAT number (for corporate customers).",
    )


@strawberry.type(description="A pre-defined region (state, province) of a country.")
class CountryRegion:
    id: int = strawberry.field(description="The region's `region_id`, as addresses store it.")
    code: str = strawberry.field(description="The region's code, such as `TX`.")
    name: str = strawberry.field(description="The region's default name, such as `Texas`.")


@strawberry.type(description="The result of an admin mutation on a customer address.")
class CustomerAddressOutput:
    address: CustomerAddress | None = strawberry.field(
        description="The address after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a customer address.")
class DeleteCustomerAddressOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted address; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the address was not deleted; empty on success."
    )


async def _customer_addresses(
    info: Info, customer_id: int
) -> tuple[CustomerEntity | None, list[CustomerAddressEntity]]:
    customer, rows = await asyncio.gather(
        info.context.loaders.customer.load(customer_id),
        info.context.loaders.addresses.load(customer_id),
    )
    return customer, rows


async def _addresses(
    root: CustomerAddressFields, info: Info
) -> list[CustomerAddress | None] | None:
    customer, rows = await _customer_addresses(info, root.entity_id)
    return list(CustomerAddress.many(rows, customer))


async def _addresses_v2(
    root: CustomerAddressFields,
    info: Info,
    current_page: Annotated[
        int | None,
        strawberry.argument(
            name="currentPage", description="The page of results to return, counting from 1."
        ),
    ] = 1,
    page_size: Annotated[
        int | None,
        strawberry.argument(
            name="pageSize", description="The maximum number of results to return at once."
        ),
    ] = 5,
) -> CustomerAddresses | None:
    """Magento's defaults apply when a client sends `null`; the page is cut from the customer's
    full list, which the DataLoader already holds."""
    customer, rows = await _customer_addresses(info, root.entity_id)
    request = PageRequest(
        5 if page_size is None else page_size, 1 if current_page is None else current_page
    )
    page = page_of_list(rows, request)
    return CustomerAddresses(
        items=list(CustomerAddress.many(page.items, customer)),
        page_info=SearchResultPageInfo.of(page),
        total_count=page.total_count,
    )


async def _admin_addresses(root: AdminCustomerAddressFields, info: Info) -> list[CustomerAddress]:
    customer, rows = await _customer_addresses(info, root.entity_id)
    return CustomerAddress.many(rows, customer)


@strawberry.type
class CustomerAddressFields:
    """Base class of the storefront `Customer` type: adds `addresses` and `addressesV2`.

    Strawberry only collects fields from bases that are strawberry types themselves, so this is a
    `@strawberry.type` that never appears in the schema on its own. The subclass supplies
    `entity_id`, the customer's id. Addresses come from the request's DataLoader, so a page of
    customers costs one address query."""

    entity_id: strawberry.Private[int]

    addresses: list[CustomerAddress | None] | None = strawberry.field(
        resolver=_addresses,
        description="An array containing the customer's shipping and billing addresses.",
    )
    addressesV2: CustomerAddresses | None = strawberry.field(
        resolver=_addresses_v2,
        description="An array containing the customer's shipping and billing addresses.",
    )


@strawberry.type
class AdminCustomerAddressFields:
    """Base class of the admin customer type: every address, oldest first. The subclass supplies
    `entity_id`, the customer's id."""

    entity_id: strawberry.Private[int]

    addresses: list[CustomerAddress] = strawberry.field(
        resolver=_admin_addresses, description="The customer's addresses, oldest first."
    )
