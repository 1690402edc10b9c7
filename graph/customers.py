"""Customer types: the storefront's `Customer` family exactly as Magento's schema names it, and
the admin's `AdminCustomer` with its list, filter, inputs and outputs.

Values loaded per customer (subscriptions, custom attributes, store credit, groups) go through
request-scoped DataLoaders (`customer_loaders`), so a page of customers costs a few queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader

from engine import attributes, balance, customers, groups, newsletter
from engine.attributes import StoredValue
from engine.config import ConfigPath
from engine.customers import ConfirmationStatus
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.stores import StoresSnapshot
from graph.addresses import AdminCustomerAddressFields, CustomerAddressFields
from graph.attributes import AttributeValueInput, AttributeValueInterface, values_to_graph
from graph.common import (
    FilterEqualTypeInput,
    FilterMatchTypeInput,
    FilterRangeTypeInput,
    Money,
    SearchResultPageInfo,
    SortEnum,
)
from graph.context import Context, Info
from graph.dates import magento_datetime
from graph.errors import UserError
from graph.groups import CustomerGroup, CustomerGroupStorefront
from graph.limits import LONG_TEXT, SMALLINT
from graph.orders import CustomerOrderFields
from graph.rewards import CustomerRewardFields
from graph.segments import CustomerSegmentStorefront, current_segments
from graph.store_credit import CustomerStoreCreditFields
from graph.uids import encode_uid
from graph.wishlists import CustomerWishlistFields
from models import CustomerEntity, EntityType
from models.groups import NOT_LOGGED_IN_GROUP_ID
from models.newsletter import SubscriberStatus


class CustomerLoaders:
    """DataLoaders of values shown per customer, one set per request (see `customer_loaders`)."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self.subscribed: DataLoader[int, bool] = DataLoader(load_fn=self._subscribed)
        self.attributes: DataLoader[int, list[StoredValue]] = DataLoader(load_fn=self._attributes)
        self.balances: DataLoader[int, list[balance.Balance]] = DataLoader(load_fn=self._balances)
        self.groups: DataLoader[int, CustomerGroup | None] = DataLoader(load_fn=self._groups)

    async def _stores(self) -> StoresSnapshot:
        return await self._context.stores()

    @staticmethod
    async def _subscribed(customer_ids: Sequence[int]) -> list[bool]:
        subscribed = await newsletter.subscribed_customers(customer_ids)
        return [customer_id in subscribed for customer_id in customer_ids]

    @staticmethod
    async def _attributes(customer_ids: Sequence[int]) -> list[list[StoredValue]]:
        values = await attributes.load(EntityType.CUSTOMER, customer_ids)
        return [values[customer_id] for customer_id in customer_ids]

    async def _balances(self, customer_ids: Sequence[int]) -> list[list[balance.Balance]]:
        values = await balance.balances(customer_ids, await self._stores())
        return [values[customer_id] for customer_id in customer_ids]

    async def _groups(self, group_ids: Sequence[int]) -> list[CustomerGroup | None]:
        rows = await groups.by_ids(group_ids)
        exclusions = await groups.excluded_website_ids(list(rows))
        protected = groups.default_group_ids(await self._stores()) | {NOT_LOGGED_IN_GROUP_ID}
        return [
            CustomerGroup.of(rows[group_id], exclusions[group_id], protected)
            if group_id in rows
            else None
            for group_id in group_ids
        ]


def customer_loaders(context: Context) -> CustomerLoaders:
    return context.loaders_for(CustomerLoaders)


def _filter_codes(
    values: Sequence[StoredValue], codes: Sequence[str] | None
) -> Sequence[StoredValue]:
    if not codes:
        return values
    wanted = set(codes)
    return [v for v in values if v.code in wanted]


# ---------------------------------------------------------------------------------------------
# Storefront
# ---------------------------------------------------------------------------------------------


@strawberry.enum(description="List of account confirmation statuses.")
class ConfirmationStatusEnum(Enum):
    ACCOUNT_CONFIRMED = strawberry.enum_value("ACCOUNT_CONFIRMED", description="Account confirmed")
    ACCOUNT_CONFIRMATION_NOT_REQUIRED = strawberry.enum_value(
        "ACCOUNT_CONFIRMATION_NOT_REQUIRED", description="Account confirmation not required"
    )


@strawberry.enum(description="Indicates the status of the request.")
class SubscriptionStatusesEnum(Enum):
    NOT_ACTIVE = strawberry.enum_value(
        "NOT_ACTIVE", description="The subscription awaits confirmation through its e-mail link."
    )
    SUBSCRIBED = strawberry.enum_value("SUBSCRIBED", description="The address is subscribed.")
    UNSUBSCRIBED = strawberry.enum_value(
        "UNSUBSCRIBED", description="The address was unsubscribed."
    )
    UNCONFIRMED = strawberry.enum_value(
        "UNCONFIRMED", description="The customer account itself awaits confirmation."
    )

    @classmethod
    def of(cls, status: SubscriberStatus) -> SubscriptionStatusesEnum:
        return cls[status.name]


AttributeCodes = Annotated[
    list[strawberry.ID] | None,
    strawberry.argument(
        name="attributeCodes",
        description="Only these attribute codes; every custom attribute when omitted.",
    ),
]


async def _confirmation_status(root: Customer, info: Info) -> ConfirmationStatusEnum:
    """Magento's schema has two values only; an account that still awaits confirmation (seen only
    in `createCustomerV2`'s answer, since it cannot sign in) reads as
    ACCOUNT_CONFIRMATION_NOT_REQUIRED."""
    status = customers.confirmation_status(root.row, await info.context.stores())
    if status is ConfirmationStatus.CONFIRMED:
        return ConfirmationStatusEnum.ACCOUNT_CONFIRMED
    return ConfirmationStatusEnum.ACCOUNT_CONFIRMATION_NOT_REQUIRED


async def _custom_attributes(
    root: Customer | AdminCustomer, info: Info, attribute_codes: AttributeCodes = strawberry.UNSET
) -> list[AttributeValueInterface | None]:
    values = await customer_loaders(info.context).attributes.load(root.entity_id)
    return values_to_graph(_filter_codes(values, attribute_codes))


async def _group(root: Customer, info: Info) -> CustomerGroupStorefront | None:
    """Null unless the store shares customer groups (`graphql_share_customer_group`)."""
    stores = await info.context.stores()
    if not stores.config_flag(ConfigPath.SHARE_CUSTOMER_GROUP, await info.context.store()):
        return None
    return CustomerGroupStorefront.of_id(root.row.group_id)  # type: ignore[attr-defined]


async def _segments(root: Customer, info: Info) -> list[CustomerSegmentStorefront | None]:
    return await current_segments(info, customer_id=root.entity_id)


NOT_CONFIRMED = (
    "Your account is created, You must confirm your account. "
    "Please check your email for the confirmation link."
)


async def _is_confirmed(root: Customer, info: Info) -> bool | None:
    """The PWA module's `IsConfirmed`: true, or its error while the account awaits e-mail
    confirmation."""
    status = customers.confirmation_status(root.row, await info.context.stores())
    if status is ConfirmationStatus.REQUIRED:
        raise InputInvalid(Problem(ProblemCode.INVALID, NOT_CONFIRMED, "is_confirmed"))
    return True


async def _is_subscribed(root: Customer | AdminCustomer, info: Info) -> bool:
    return await customer_loaders(info.context).subscribed.load(root.entity_id)


@strawberry.type(description="Defines the customer name, addresses, and other details.")
class Customer(
    CustomerAddressFields,
    CustomerWishlistFields,
    CustomerOrderFields,
    CustomerRewardFields,
    CustomerStoreCreditFields,
):
    row: strawberry.Private[CustomerEntity]
    entity_id: strawberry.Private[int]

    allow_remote_shopping_assistance: bool = strawberry.field(
        description="Indicates whether the customer has enabled remote shopping assistance."
    )

    confirmation_status: ConfirmationStatusEnum = strawberry.field(
        resolver=_confirmation_status, description="The customer's confirmation status."
    )

    created_at: str | None = strawberry.field(
        description="Timestamp indicating when the account was created."
    )

    custom_attributes: list[AttributeValueInterface | None] | None = strawberry.field(
        resolver=_custom_attributes, description="Customer's custom attributes."
    )

    date_of_birth: str | None = strawberry.field(description="The customer's date of birth.")
    default_billing: str | None = strawberry.field(
        description="The ID assigned to the billing address."
    )
    default_shipping: str | None = strawberry.field(
        description="The ID assigned to the shipping address."
    )
    dob: str | None = strawberry.field(
        description="The customer's date of birth.",
        deprecation_reason="Use `date_of_birth` instead.",
    )
    email: str | None = strawberry.field(description="The customer's email address. Required.")
    firstname: str | None = strawberry.field(description="The customer's first name.")
    gender: int | None = strawberry.field(
        description="The customer's gender (Male - 1, Female - 2)."
    )

    segments: list[CustomerSegmentStorefront | None] | None = strawberry.field(
        resolver=_segments,
        description="Customer segments associated with the current customer, evaluated live on "
        "the store's website (null with an error unless `share_active_segments`).",
    )
    group: CustomerGroupStorefront | None = strawberry.field(
        resolver=_group, description="Customer group assigned to the customer"
    )

    group_id: int | None = strawberry.field(
        description="The ID of the customer's group.",
        deprecation_reason="Customer group should not be exposed in the storefront scenarios.",
    )
    id: strawberry.ID = strawberry.field(description="The unique ID assigned to the customer.")

    is_subscribed: bool | None = strawberry.field(
        resolver=_is_subscribed,
        description="Indicates whether the customer is subscribed to the company's newsletter.",
    )

    lastname: str | None = strawberry.field(description="The customer's family name.")
    middlename: str | None = strawberry.field(description="The customer's middle name.")
    prefix: str | None = strawberry.field(description="An honorific, such as Dr., Mr., or Mrs.")
    suffix: str | None = strawberry.field(description="A value such as Sr., Jr., or III.")
    taxvat: str | None = strawberry.field(
        description="The customer's Value-added tax (VAT) number (for corporate customers)."
    )

    is_confirmed: bool | None = strawberry.field(
        resolver=_is_confirmed,
        description="Indicates whether the customer has confirmed their account (an error while "
        "the account awaits e-mail confirmation).",
    )

    @classmethod
    def of(cls, row: CustomerEntity) -> Customer:
        dob = row.dob.isoformat() if row.dob else None
        return cls(
            row=row,
            entity_id=row.entity_id,
            allow_remote_shopping_assistance=bool(row.allow_remote_shopping_assistance),
            created_at=magento_datetime(row.created_at),
            date_of_birth=dob,
            default_billing=None if row.default_billing is None else str(row.default_billing),
            default_shipping=None if row.default_shipping is None else str(row.default_shipping),
            dob=dob,
            email=row.email,
            firstname=row.firstname,
            gender=row.gender,
            group_id=row.group_id,  # type: ignore[attr-defined]
            id=strawberry.ID(encode_uid(row.entity_id)),
            lastname=row.lastname,
            middlename=row.middlename,
            prefix=row.prefix,
            suffix=row.suffix,
            taxvat=row.taxvat,
        )


@strawberry.type(description="Contains details about a newly-created or updated customer.")
class CustomerOutput:
    customer: Customer = strawberry.field(
        description="Customer details after creating or updating a customer."
    )


@strawberry.input(description="An input object for creating a customer.")
class CustomerCreateInput:
    """Omitted fields are `UNSET`, so the printed schema has no defaults, as Magento's."""

    allow_remote_shopping_assistance: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether the customer has enabled remote shopping assistance.",
    )
    custom_attributes: list[AttributeValueInput | None] | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's custom attributes."
    )
    date_of_birth: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's date of birth."
    )
    dob: str | None = strawberry.field(
        default=strawberry.UNSET, description="Deprecated: use `date_of_birth` instead."
    )
    email: str = strawberry.field(description="The customer's email address.")
    firstname: str = strawberry.field(description="The customer's first name.")
    gender: int | None = strawberry.field(
        metadata=SMALLINT,
        default=strawberry.UNSET,
        description="The customer's gender (Male - 1, Female - 2).",
    )
    is_subscribed: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether the customer is subscribed to the company's newsletter.",
    )
    lastname: str = strawberry.field(description="The customer's family name.")
    middlename: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's middle name."
    )
    password: str | None = strawberry.field(
        metadata=LONG_TEXT, default=strawberry.UNSET, description="The customer's password."
    )
    prefix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="An honorific, such as Dr., Mr., or Mrs.",
    )
    suffix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A value such as Sr., Jr., or III.",
    )
    taxvat: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The customer's Tax/VAT number (for corporate customers).",
    )


@strawberry.input(description="An input object for updating a customer.")
class CustomerUpdateInput:
    """Omitted fields are `UNSET`, so the printed schema has no defaults, as Magento's."""

    allow_remote_shopping_assistance: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether the customer has enabled remote shopping assistance.",
    )
    custom_attributes: list[AttributeValueInput | None] | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's custom attributes."
    )
    date_of_birth: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's date of birth."
    )
    dob: str | None = strawberry.field(
        default=strawberry.UNSET, description="Deprecated: use `date_of_birth` instead."
    )
    firstname: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's first name."
    )
    gender: int | None = strawberry.field(
        metadata=SMALLINT,
        default=strawberry.UNSET,
        description="The customer's gender (Male - 1, Female - 2).",
    )
    is_subscribed: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether the customer is subscribed to the company's newsletter.",
    )
    lastname: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's family name."
    )
    middlename: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's middle name."
    )
    prefix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="An honorific, such as Dr., Mr., or Mrs.",
    )
    suffix: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A value such as Sr., Jr., or III.",
    )
    taxvat: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The customer's Tax/VAT number (for corporate customers).",
    )


@strawberry.input(description="An input object that assigns or updates customer attributes.")
class CustomerInput:
    """The deprecated `createCustomer` / `updateCustomer` input. On update, `password` is the
    current password, needed only to change `email`. Omitted fields are `UNSET`."""

    date_of_birth: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's date of birth."
    )
    dob: str | None = strawberry.field(
        default=strawberry.UNSET, description="Deprecated: use `date_of_birth` instead."
    )
    email: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The customer's email address. Required when creating a customer.",
    )
    firstname: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's first name."
    )
    gender: int | None = strawberry.field(
        metadata=SMALLINT,
        default=strawberry.UNSET,
        description="The customer's gender (Male - 1, Female - 2).",
    )
    is_subscribed: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Indicates whether the customer is subscribed to the company's newsletter.",
    )
    lastname: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's family name."
    )
    middlename: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's middle name."
    )
    password: str | None = strawberry.field(
        metadata=LONG_TEXT, default=strawberry.UNSET, description="The customer's password."
    )
    prefix: str | None = strawberry.field(
        default=strawberry.UNSET, description="An honorific, such as Dr., Mr., or Mrs."
    )
    suffix: str | None = strawberry.field(
        default=strawberry.UNSET, description="A value such as Sr., Jr., or III."
    )
    taxvat: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The customer's Tax/VAT number (for corporate customers).",
    )


@strawberry.type(description="Contains the result of the `isEmailAvailable` query.")
class IsEmailAvailableOutput:
    is_email_available: bool | None = strawberry.field(
        description="Indicates whether the specified email address can be used to create a "
        "customer."
    )


@strawberry.type(description="Contains the result of the `subscribeEmailToNewsletter` operation.")
class SubscribeEmailToNewsletterOutput:
    status: SubscriptionStatusesEnum | None = strawberry.field(
        description="The status of the subscription request."
    )


# ---------------------------------------------------------------------------------------------
# Admin
# ---------------------------------------------------------------------------------------------


@strawberry.enum(description="Where a customer account stands with e-mail confirmation.")
class AdminConfirmationStatusEnum(Enum):
    ACCOUNT_CONFIRMED = strawberry.enum_value(
        ConfirmationStatus.CONFIRMED.value,
        description="Confirmation is required and the account is confirmed.",
    )
    ACCOUNT_CONFIRMATION_REQUIRED = strawberry.enum_value(
        ConfirmationStatus.REQUIRED.value,
        description="The account awaits confirmation and cannot sign in yet.",
    )
    ACCOUNT_CONFIRMATION_NOT_REQUIRED = strawberry.enum_value(
        ConfirmationStatus.NOT_REQUIRED.value,
        description="The customer's website does not require confirmation.",
    )


@strawberry.type(description="A customer's store credit in one website.")
class AdminCustomerStoreCredit:
    website_uid: strawberry.ID = strawberry.field(description="The website of the balance.")
    balance: Money = strawberry.field(description="The balance, in the website's base currency.")


async def _admin_group(root: AdminCustomer, info: Info) -> CustomerGroup | None:
    return await customer_loaders(info.context).groups.load(root.row.group_id)  # type: ignore[attr-defined]


async def _admin_confirmation_status(
    root: AdminCustomer, info: Info
) -> AdminConfirmationStatusEnum:
    status = customers.confirmation_status(root.row, await info.context.stores())
    return AdminConfirmationStatusEnum(status.value)


async def _store_credit(root: AdminCustomer, info: Info) -> list[AdminCustomerStoreCredit]:
    balances = await customer_loaders(info.context).balances.load(root.entity_id)
    return [
        AdminCustomerStoreCredit(
            website_uid=strawberry.ID(encode_uid(b.website_id)),
            balance=Money.of(b.amount, b.currency_code),
        )
        for b in balances
    ]


@strawberry.type(description="A customer account as admins manage it (admin token required).")
class AdminCustomer(AdminCustomerAddressFields):
    row: strawberry.Private[CustomerEntity]
    entity_id: strawberry.Private[int]

    uid: strawberry.ID = strawberry.field(description="The unique ID of the customer.")
    id: int = strawberry.field(description="Magento's numeric `entity_id`.")
    email: str = strawberry.field(description="The e-mail, unique in the website.")
    prefix: str | None = strawberry.field(description="An honorific, such as Dr., Mr., or Mrs.")
    firstname: str = strawberry.field(description="The first name.")
    middlename: str | None = strawberry.field(description="The middle name.")
    lastname: str = strawberry.field(description="The family name.")
    suffix: str | None = strawberry.field(description="A value such as Sr., Jr., or III.")
    date_of_birth: str | None = strawberry.field(description="The date of birth, `YYYY-MM-DD`.")
    gender: int | None = strawberry.field(description="1 = Male, 2 = Female.")
    taxvat: str | None = strawberry.field(description="The Tax/VAT number.")
    group_uid: strawberry.ID = strawberry.field(description="The uid of the customer's group.")

    group: CustomerGroup | None = strawberry.field(
        resolver=_admin_group, description="The customer's group."
    )

    website_uid: strawberry.ID = strawberry.field(description="The website the account is in.")
    store_uid: strawberry.ID | None = strawberry.field(
        description="The store view the account was created in or belongs to."
    )
    created_in: str | None = strawberry.field(
        description="The name of the store view the account was created in."
    )
    created_at: str = strawberry.field(description="When the account was created (ISO 8601).")
    updated_at: str = strawberry.field(description="When the account last changed (ISO 8601).")
    is_active: bool = strawberry.field(description="False for a deactivated account.")
    allow_remote_shopping_assistance: bool = strawberry.field(
        description="Whether the customer allows remote shopping assistance."
    )
    default_billing_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the default billing address."
    )
    default_shipping_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the default shipping address."
    )

    confirmation_status: AdminConfirmationStatusEnum = strawberry.field(
        resolver=_admin_confirmation_status,
        description="Where the account stands with e-mail confirmation.",
    )
    is_subscribed: bool = strawberry.field(
        resolver=_is_subscribed,
        description="Whether the customer is subscribed to the newsletter.",
    )
    store_credit: list[AdminCustomerStoreCredit] = strawberry.field(
        resolver=_store_credit,
        description="The customer's store credit, one entry per website with one.",
    )
    custom_attributes: list[AttributeValueInterface | None] = strawberry.field(
        resolver=_custom_attributes, description="The customer's custom attribute values."
    )

    @classmethod
    def of(cls, row: CustomerEntity) -> AdminCustomer:
        store_id: int | None = row.store_id  # type: ignore[attr-defined]
        return cls(
            row=row,
            entity_id=row.entity_id,
            uid=strawberry.ID(encode_uid(row.entity_id)),
            id=row.entity_id,
            email=row.email,
            prefix=row.prefix,
            firstname=row.firstname,
            middlename=row.middlename,
            lastname=row.lastname,
            suffix=row.suffix,
            date_of_birth=row.dob.isoformat() if row.dob else None,
            gender=row.gender,
            taxvat=row.taxvat,
            group_uid=strawberry.ID(encode_uid(row.group_id)),  # type: ignore[attr-defined]
            website_uid=strawberry.ID(encode_uid(row.website_id)),  # type: ignore[attr-defined]
            store_uid=None if store_id is None else strawberry.ID(encode_uid(store_id)),
            created_in=row.created_in,
            created_at=row.created_at.astimezone(UTC).isoformat(),
            updated_at=row.updated_at.astimezone(UTC).isoformat(),
            is_active=bool(row.is_active),
            allow_remote_shopping_assistance=bool(row.allow_remote_shopping_assistance),
            default_billing_uid=None
            if row.default_billing is None
            else strawberry.ID(encode_uid(row.default_billing)),
            default_shipping_uid=None
            if row.default_shipping is None
            else strawberry.ID(encode_uid(row.default_shipping)),
        )


@strawberry.type(description="A page of customers.")
class AdminCustomers:
    items: list[AdminCustomer] = strawberry.field(description="The customers on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many customers match the filter.")


@strawberry.input(description="Filters for the admin list of customers; all must match.")
class CustomerFilterInput:
    uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Customers with these uids."
    )
    email: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="The e-mail: the whole address (FULL) or a part (PARTIAL)."
    )
    name: FilterMatchTypeInput | None = strawberry.field(
        default=None,
        description="The first or last name (FULL also matches `first last`), or a part of "
        "either (PARTIAL).",
    )
    group_uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Customers in these groups."
    )
    website_uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Customers of these websites."
    )
    created_at: FilterRangeTypeInput | None = strawberry.field(
        default=None, description="Created within this range of ISO 8601 dates or datetimes."
    )


@strawberry.input(
    description="How to sort customers; fields apply in the order email, created_at, lastname, "
    "then by id."
)
class CustomerSortInput:
    email: SortEnum | None = strawberry.field(default=None, description="Sort by e-mail.")
    created_at: SortEnum | None = strawberry.field(
        default=None, description="Sort by creation time."
    )
    lastname: SortEnum | None = strawberry.field(default=None, description="Sort by family name.")


@strawberry.input(
    description="A change to one website's store credit: send `store_credit_delta` to add or "
    "subtract, or `store_credit_balance` to set the balance."
)
class AdminStoreCreditInput:
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The website; the customer's own when omitted."
    )
    store_credit_delta: float | None = strawberry.field(
        default=None, description="An amount to add (negative to subtract)."
    )
    store_credit_balance: float | None = strawberry.field(
        default=None, description="The new balance."
    )
    comment: str | None = strawberry.field(
        metadata=LONG_TEXT, default=None, description="A note kept in the balance history."
    )


@strawberry.input(description="A new customer account, as an admin creates it.")
class AdminCustomerCreateInput:
    email: str = strawberry.field(description="The e-mail, unique in the website.")
    firstname: str = strawberry.field(description="The first name.")
    lastname: str = strawberry.field(description="The family name.")
    prefix: str | None = strawberry.field(default=None, description="An honorific.")
    middlename: str | None = strawberry.field(default=None, description="The middle name.")
    suffix: str | None = strawberry.field(default=None, description="A suffix such as Jr.")
    date_of_birth: str | None = strawberry.field(
        default=None, description="The date of birth, `YYYY-MM-DD`."
    )
    gender: int | None = strawberry.field(
        metadata=SMALLINT, default=None, description="1 = Male, 2 = Female."
    )
    taxvat: str | None = strawberry.field(default=None, description="The Tax/VAT number.")
    password: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=None,
        description="A password; without one the customer must reset it.",
    )
    group_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The group; the website's default group when omitted."
    )
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="The website; the default website when omitted."
    )
    is_active: bool | None = strawberry.field(
        default=None, description="False creates a deactivated account."
    )
    confirmed: bool | None = strawberry.field(
        default=None, description="True creates the account already confirmed."
    )
    is_subscribed: bool | None = strawberry.field(
        default=None, description="Subscribe the customer to the newsletter."
    )
    allow_remote_shopping_assistance: bool | None = strawberry.field(
        default=None, description="Whether the customer allows remote shopping assistance."
    )
    custom_attributes: list[AttributeValueInput] | None = strawberry.field(
        default=None, description="Custom attribute values."
    )
    store_credit: list[AdminStoreCreditInput] | None = strawberry.field(
        default=None, description="Initial store credit."
    )
    created_at: str | None = strawberry.field(
        default=None,
        description="When the account was created (ISO 8601, UTC when no offset is given), for "
        "integrators loading accounts from another system; now when omitted. Not in the future.",
    )
    store_uid: strawberry.ID | None = strawberry.field(
        default=None,
        description="The store view the account belongs to (its `created_in`); it sets the "
        "website when `website_uid` is omitted and must be in it otherwise. The website's "
        "default store view when omitted.",
    )


@strawberry.input(description="Changes to a customer account; omitted fields stay as they are.")
class AdminCustomerUpdateInput:
    email: str | None = strawberry.field(
        default=None, description="A new e-mail, unique in the website."
    )
    firstname: str | None = strawberry.field(default=None, description="The first name.")
    lastname: str | None = strawberry.field(default=None, description="The family name.")
    prefix: str | None = strawberry.field(
        default=None, description="An honorific; an empty string clears it."
    )
    middlename: str | None = strawberry.field(
        default=None, description="The middle name; an empty string clears it."
    )
    suffix: str | None = strawberry.field(
        default=None, description="A suffix; an empty string clears it."
    )
    date_of_birth: str | None = strawberry.field(
        default=None, description="The date of birth, `YYYY-MM-DD`; an empty string clears it."
    )
    gender: int | None = strawberry.field(
        metadata=SMALLINT, default=None, description="1 = Male, 2 = Female."
    )
    taxvat: str | None = strawberry.field(
        default=None,
        description="The Tax/VAT number; an empty string clears it.",
    )
    password: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=None,
        description="A new password; revokes the customer's tokens.",
    )
    group_uid: strawberry.ID | None = strawberry.field(default=None, description="A new group.")
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="Move the account to this website."
    )
    is_active: bool | None = strawberry.field(
        default=None, description="False deactivates the account and revokes its tokens."
    )
    confirmed: bool | None = strawberry.field(
        default=None,
        description="True confirms the account; false makes it await confirmation again.",
    )
    is_subscribed: bool | None = strawberry.field(
        default=None, description="Subscribe or unsubscribe the newsletter."
    )
    allow_remote_shopping_assistance: bool | None = strawberry.field(
        default=None, description="Whether the customer allows remote shopping assistance."
    )
    custom_attributes: list[AttributeValueInput] | None = strawberry.field(
        default=None, description="Custom attribute values to set; an empty value removes one."
    )
    store_credit: list[AdminStoreCreditInput] | None = strawberry.field(
        default=None, description="Store credit changes, at most one per website."
    )


@strawberry.type(description="The result of an admin mutation on a customer.")
class AdminCustomerOutput:
    customer: AdminCustomer | None = strawberry.field(
        description="The customer after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a customer.")
class AdminDeleteCustomerOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted customer; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the customer was not deleted; empty on success."
    )
