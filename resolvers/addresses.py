"""Customer addresses: the storefront's create / update / delete of the caller's own addresses,
and admin CRUD on any customer's addresses, plus the regions address forms offer."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from engine import addresses
from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from graph.addresses import (
    CountryRegion,
    CustomerAddress,
    CustomerAddressInput,
    CustomerAddressOutput,
    DeleteCustomerAddressOutput,
)
from graph.attributes import values_from_input
from graph.context import Info
from graph.errors import UserError
from graph.iso_codes import CountryCodeEnum
from graph.uids import decode_uid, encode_uid
from resolvers.access import require_admin, require_customer

INPUT_REQUIRED_ON_CREATE = '"input" value should be specified'
INPUT_REQUIRED_ON_UPDATE = '"input" value must be specified'
UID_REQUIRED = 'Address "uid" value must be specified'
ID_REQUIRED = 'Address "id" value must be specified'
AddressId = Annotated[int, strawberry.argument(description="The ID of the customer address.")]


def _given(value: Any) -> Any:
    """Input fields a client omitted are `UNSET`; the engine reads them as `None`."""
    return None if value is strawberry.UNSET else value


def _country(value: Any) -> str | None:
    value = _given(value)
    return None if value is None else str(value.value)


def address_data(input: CustomerAddressInput) -> addresses.AddressData:
    """Engine values of `input`: `country_code` wins over the deprecated `country_id`."""
    region = _given(input.region)
    street = _given(input.street)
    v2 = values_from_input(_given(input.custom_attributesV2))
    legacy = values_from_input(None, _given(input.custom_attributes))
    text = {name: _given(getattr(input, name)) for name in addresses.TEXT_FIELDS}
    return addresses.AddressData(
        **text,
        street=None if street is None else tuple(street),
        country_id=_country(input.country_code) or _country(input.country_id),
        region=None
        if region is None
        else addresses.RegionData(
            region=_given(region.region),
            region_code=_given(region.region_code),
            region_id=_given(region.region_id),
        ),
        default_billing=_given(input.default_billing),
        default_shipping=_given(input.default_shipping),
        custom_attributes=None if v2 is None else tuple(v2),
        legacy_custom_attributes=None if legacy is None else tuple(legacy),
    )


def _input_invalid(message: str, path: str) -> InputInvalid:
    return InputInvalid(Problem(ProblemCode.REQUIRED, message, path))


@strawberry.type
class Query:
    @strawberry.field(
        description="The pre-defined regions (states, provinces) of a country, by name, for "
        "address forms; empty where regions are free text (admin token required)."
    )
    async def adminCountryRegions(
        self,
        info: Info,
        country_code: Annotated[
            CountryCodeEnum, strawberry.argument(description="The country whose regions to return.")
        ],
    ) -> list[CountryRegion]:
        await require_admin(info)
        rows = await addresses.regions(str(country_code.value))
        return [CountryRegion(id=r.region_id, code=r.code, name=r.default_name) for r in rows]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a billing or shipping address for a customer or guest."
    )
    async def createCustomerAddress(
        self,
        info: Info,
        input: Annotated[
            CustomerAddressInput,
            strawberry.argument(description="An input object that defines the address to create."),
        ],
    ) -> CustomerAddress | None:
        viewer = await require_customer(info)
        data = address_data(input)
        if data.is_empty():
            raise _input_invalid(INPUT_REQUIRED_ON_CREATE, "input")
        assert viewer.customer_id is not None
        try:
            saved = await addresses.create(
                viewer.customer_id, data, await info.context.stores(), await info.context.store()
            )
        except DomainError as error:
            raise addresses.as_storefront_error(error) from None
        return CustomerAddress.of(saved.address, saved.customer)

    @strawberry.mutation(
        description="Update the billing or shipping address of a customer or guest."
    )
    async def updateCustomerAddressV2(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The unique ID of the customer address to update."),
        ],
        input: Annotated[
            CustomerAddressInput | None,
            strawberry.argument(
                description="An input object that contains changes to the customer address."
            ),
        ] = strawberry.UNSET,
    ) -> CustomerAddress | None:
        viewer = await require_customer(info)
        if not uid:
            raise _input_invalid(UID_REQUIRED, "uid")
        data = address_data(input) if input else addresses.AddressData()
        if data.is_empty():
            raise _input_invalid(INPUT_REQUIRED_ON_UPDATE, "input")
        try:
            saved = await addresses.update(
                decode_uid(uid),
                data,
                await info.context.stores(),
                viewer.customer_id,
                await info.context.store(),
            )
        except DomainError as error:
            raise addresses.as_storefront_error(error) from None
        return CustomerAddress.of(saved.address, saved.customer)

    @strawberry.mutation(
        description="Update the billing or shipping address of a customer or guest.",
        deprecation_reason="Use `updateCustomerAddressV2` instead.",
    )
    async def updateCustomerAddress(
        self,
        info: Info,
        id: AddressId,
        input: Annotated[
            CustomerAddressInput | None,
            strawberry.argument(description="The address fields to change."),
        ] = strawberry.UNSET,
    ) -> CustomerAddress | None:
        """Magento's `UpdateCustomerAddress`: the address by its numeric id."""
        viewer = await require_customer(info)
        if id <= 0:
            raise _input_invalid(ID_REQUIRED, "id")
        data = address_data(input) if input else addresses.AddressData()
        if data.is_empty():
            raise _input_invalid(INPUT_REQUIRED_ON_UPDATE, "input")
        try:
            saved = await addresses.update(
                id,
                data,
                await info.context.stores(),
                viewer.customer_id,
                await info.context.store(),
                path="id",
            )
        except DomainError as error:
            raise addresses.as_storefront_error(error) from None
        return CustomerAddress.of(saved.address, saved.customer)

    @strawberry.mutation(
        description="Delete the billing or shipping address of a customer.",
        deprecation_reason="Use `deleteCustomerAddressV2` instead.",
    )
    async def deleteCustomerAddress(self, info: Info, id: AddressId) -> bool | None:
        """Magento's `DeleteCustomerAddress`: the address by its numeric id."""
        viewer = await require_customer(info)
        if id <= 0:
            raise _input_invalid(ID_REQUIRED, "id")
        await addresses.delete(id, viewer.customer_id, keep_defaults=True, path="id")
        return True

    @strawberry.mutation(description="Delete the billing or shipping address of a customer.")
    async def deleteCustomerAddressV2(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The unique ID of the customer address to delete."),
        ],
    ) -> bool | None:
        viewer = await require_customer(info)
        if not uid:
            raise _input_invalid(UID_REQUIRED, "uid")
        await addresses.delete(decode_uid(uid), viewer.customer_id, keep_defaults=True)
        return True

    @strawberry.mutation(
        description="Create an address for any customer (admin token required). Every problem "
        "with the input is reported in `user_errors`."
    )
    async def adminCreateCustomerAddress(
        self,
        info: Info,
        customer_uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the customer who gets the address."),
        ],
        input: Annotated[
            CustomerAddressInput, strawberry.argument(description="The new address's fields.")
        ],
    ) -> CustomerAddressOutput:
        await require_admin(info)
        try:
            saved = await addresses.create(
                decode_uid(customer_uid, "customer_uid"),
                address_data(input),
                await info.context.stores(),
                customer_path="customer_uid",
            )
        except DomainError as error:
            return CustomerAddressOutput(address=None, user_errors=UserError.from_error(error))
        return CustomerAddressOutput(
            address=CustomerAddress.of(saved.address, saved.customer), user_errors=[]
        )

    @strawberry.mutation(
        description="Change any customer's address (admin token required); omitted fields stay "
        "as they are."
    )
    async def adminUpdateCustomerAddress(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the address to change.")
        ],
        input: Annotated[
            CustomerAddressInput,
            strawberry.argument(
                description="The address fields to change; omitted fields stay as they are."
            ),
        ],
    ) -> CustomerAddressOutput:
        await require_admin(info)
        try:
            saved = await addresses.update(
                decode_uid(uid), address_data(input), await info.context.stores(), None
            )
        except DomainError as error:
            return CustomerAddressOutput(address=None, user_errors=UserError.from_error(error))
        return CustomerAddressOutput(
            address=CustomerAddress.of(saved.address, saved.customer), user_errors=[]
        )

    @strawberry.mutation(
        description="Delete any customer's address (admin token required). Unlike the "
        "storefront, admins may delete a default billing or shipping address: the customer is "
        "then left without that default, as when an admin deletes it in Magento's back office."
    )
    async def adminDeleteCustomerAddress(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the address to delete.")
        ],
    ) -> DeleteCustomerAddressOutput:
        await require_admin(info)
        try:
            saved = await addresses.delete(decode_uid(uid), None, keep_defaults=False)
        except DomainError as error:
            return DeleteCustomerAddressOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return DeleteCustomerAddressOutput(
            deleted_uid=strawberry.ID(encode_uid(saved.address.entity_id)), user_errors=[]
        )
