"""Customer accounts: the storefront's own-account operations (Magento's names and messages) and
admin CRUD with store credit."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any

import strawberry

from engine import customers, newsletter, password_reset
from engine.auth import ViewerKind
from engine.balance import BalanceChange
from engine.customers import CustomerChanges, CustomerFilter, CustomerSort, SortField
from engine.errors import DomainError, InputInvalid, NotAuthorized, Problem, ProblemCode
from engine.invitations import registration
from engine.pagination import PageRequest
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.attributes import values_from_input
from graph.common import FilterMatchTypeEnum, FilterMatchTypeInput, SearchResultPageInfo, SortEnum
from graph.context import Info
from graph.customers import (
    AdminCustomer,
    AdminCustomerCreateInput,
    AdminCustomerOutput,
    AdminCustomers,
    AdminCustomerUpdateInput,
    AdminDeleteCustomerOutput,
    AdminStoreCreditInput,
    Customer,
    CustomerCreateInput,
    CustomerFilterInput,
    CustomerInput,
    CustomerOutput,
    CustomerSortInput,
    CustomerUpdateInput,
    IsEmailAvailableOutput,
    SubscribeEmailToNewsletterOutput,
    SubscriptionStatusesEnum,
)
from graph.errors import UserError
from graph.limits import LONG_TEXT
from graph.uids import decode_uid, encode_uid
from models import CustomerEntity
from resolvers.access import CUSTOMER_NOT_AUTHORIZED, require_admin, require_customer
from resolvers.inputs import uids_of_filter

GUESTS_ONLY = "A signed-in customer cannot create another account. Sign out and try again."


async def _own_customer(info: Info) -> tuple[int, int | None]:
    """The calling customer's id and token id."""
    viewer = await require_customer(info)
    assert viewer.customer_id is not None
    return viewer.customer_id, viewer.token_id


def fresh_customer(info: Info, row: CustomerEntity) -> Customer:
    """The storefront type of a row just written; the request's loader gets the new version."""
    info.context.loaders.customer.prime(row.entity_id, row, force=True)
    return Customer.of(row)


def _given(value: Any) -> Any:
    """Input fields a client omitted are `UNSET`; the engine reads them as `None`."""
    return None if value is strawberry.UNSET else value


def storefront_changes(input: CustomerCreateInput | CustomerUpdateInput) -> CustomerChanges:
    """`date_of_birth` wins over the deprecated `dob`, as in Magento."""
    dob, dob_path = _given(input.date_of_birth), "input.date_of_birth"
    if dob is None:
        dob, dob_path = _given(input.dob), "input.dob"
    return CustomerChanges(
        email=input.email if isinstance(input, CustomerCreateInput) else None,
        password=_given(input.password) if isinstance(input, CustomerCreateInput) else None,
        prefix=_given(input.prefix),
        firstname=_given(input.firstname),
        middlename=_given(input.middlename),
        lastname=_given(input.lastname),
        suffix=_given(input.suffix),
        dob=dob,
        dob_path=dob_path,
        gender=_given(input.gender),
        taxvat=_given(input.taxvat),
        allow_remote_shopping_assistance=_given(input.allow_remote_shopping_assistance),
        is_subscribed=_given(input.is_subscribed),
        custom_attributes=values_from_input(_given(input.custom_attributes)),
    )


INPUT_REQUIRED = '"input" value should be specified'


def _legacy_changes(input: CustomerInput, creating: bool) -> CustomerChanges:
    """The deprecated `CustomerInput`: on create, `password` is the new account's; on update it
    is the current one (see `customers.update_own`) and `email` changes the address. An input
    with no field at all is refused, as Magento's resolvers do."""
    if all(value is strawberry.UNSET for value in vars(input).values()):
        raise InputInvalid(Problem(ProblemCode.REQUIRED, INPUT_REQUIRED, "input"))
    dob, dob_path = _given(input.date_of_birth), "input.date_of_birth"
    if dob is None:
        dob, dob_path = _given(input.dob), "input.dob"
    return CustomerChanges(
        email=_given(input.email),
        password=_given(input.password) if creating else None,
        prefix=_given(input.prefix),
        firstname=_given(input.firstname),
        middlename=_given(input.middlename),
        lastname=_given(input.lastname),
        suffix=_given(input.suffix),
        dob=dob,
        dob_path=dob_path,
        gender=_given(input.gender),
        taxvat=_given(input.taxvat),
        is_subscribed=_given(input.is_subscribed),
    )


def _match(filter_: FilterMatchTypeInput | None) -> tuple[str | None, bool]:
    if filter_ is None or not filter_.match:
        return None, False
    return filter_.match, filter_.match_type is FilterMatchTypeEnum.PARTIAL


def _filter(filter_: CustomerFilterInput | None) -> CustomerFilter:
    if filter_ is None:
        return CustomerFilter()
    email, email_partial = _match(filter_.email)
    name, name_partial = _match(filter_.name)
    created = filter_.created_at
    return CustomerFilter(
        email=email,
        email_partial=email_partial,
        name=name,
        name_partial=name_partial,
        ids=uids_of_filter(filter_.uid, "filter.uid"),
        group_ids=uids_of_filter(filter_.group_uid, "filter.group_uid"),
        website_ids=uids_of_filter(filter_.website_uid, "filter.website_uid"),
        created_from=customers.parse_datetime(created.from_, "filter.created_at.from")
        if created is not None and created.from_
        else None,
        created_to=customers.parse_datetime(created.to, "filter.created_at.to")
        if created is not None and created.to
        else None,
    )


def _sort(sort: CustomerSortInput | None) -> list[CustomerSort]:
    if sort is None:
        return []
    return [
        CustomerSort(field, descending=direction is SortEnum.DESC)
        for field, direction in (
            (SortField.EMAIL, sort.email),
            (SortField.CREATED_AT, sort.created_at),
            (SortField.LASTNAME, sort.lastname),
        )
        if direction is not None
    ]


def _optional_uid(uid: str | None, path: str) -> int | None:
    return None if uid is None else decode_uid(uid, path)


def _credit(items: Sequence[AdminStoreCreditInput] | None) -> tuple[BalanceChange, ...]:
    problems: list[Problem] = []
    changes: list[BalanceChange] = []
    for index, item in enumerate(items or ()):
        try:
            website_id = _optional_uid(item.website_uid, f"input.store_credit.{index}.website_uid")
        except DomainError as error:
            problems.extend(error.problems)
            continue
        changes.append(
            BalanceChange(
                website_id=website_id,
                delta=None
                if item.store_credit_delta is None
                else Decimal(str(item.store_credit_delta)),
                balance=None
                if item.store_credit_balance is None
                else Decimal(str(item.store_credit_balance)),
                comment=item.comment,
            )
        )
    if problems:
        raise DomainError(problems)
    return tuple(changes)


def _admin_changes(input: AdminCustomerCreateInput | AdminCustomerUpdateInput) -> CustomerChanges:
    """Engine values from admin input; every malformed uid is reported at once."""
    problems: list[Problem] = []
    ids: dict[str, int | None] = {}
    for name in ("group_uid", "website_uid"):
        try:
            ids[name] = _optional_uid(getattr(input, name), f"input.{name}")
        except DomainError as error:
            problems.extend(error.problems)
    try:
        credit = _credit(input.store_credit)
    except DomainError as error:
        problems.extend(error.problems)
    created_at = None
    store_id = None
    if isinstance(input, AdminCustomerCreateInput):
        try:
            store_id = _optional_uid(input.store_uid, "input.store_uid")
        except DomainError as error:
            problems.extend(error.problems)
        if input.created_at is not None:
            try:
                created_at = customers.parse_datetime(input.created_at, "input.created_at")
            except DomainError as error:
                problems.extend(error.problems)
    if problems:
        raise DomainError(problems)
    return CustomerChanges(
        created_at=created_at,
        store_id=store_id,
        email=input.email,
        prefix=input.prefix,
        firstname=input.firstname,
        middlename=input.middlename,
        lastname=input.lastname,
        suffix=input.suffix,
        dob=input.date_of_birth,
        gender=input.gender,
        taxvat=input.taxvat,
        password=input.password,
        allow_remote_shopping_assistance=input.allow_remote_shopping_assistance,
        is_subscribed=input.is_subscribed,
        custom_attributes=values_from_input(list(input.custom_attributes or ()))
        if input.custom_attributes is not None
        else None,
        group_id=ids["group_uid"],
        website_id=ids["website_uid"],
        is_active=input.is_active,
        confirmed=input.confirmed,
        store_credit=credit,
    )


async def _guest_only(info: Info) -> None:
    viewer = await info.context.viewer()
    if viewer.kind is not ViewerKind.GUEST:
        raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, GUESTS_ONLY))


async def _register(info: Info, changes: CustomerChanges) -> CustomerOutput:
    """`createCustomer` and `createCustomerV2` (guests only, checked first, and only while
    registration is open to all, `magento_invitation/general/registration_required_invitation`);
    the welcome e-mail follows."""
    store = await info.context.store()
    stores = await info.context.stores()
    registration.require_open_registration(store, stores)
    row = await customers.register(
        changes, store, stores, info.context.services.passwords, info.context.services.mail
    )
    return CustomerOutput(customer=fresh_customer(info, row))


@strawberry.type
class Query:
    @strawberry.field(description="Return detailed information about a customer account.")
    async def customer(self, info: Info) -> Customer | None:
        customer_id, _ = await _own_customer(info)
        row = await info.context.loaders.customer.load(customer_id)
        if row is None:
            raise NotAuthorized(Problem(ProblemCode.INVALID_CREDENTIALS, CUSTOMER_NOT_AUTHORIZED))
        return Customer.of(row)

    @strawberry.field(
        description="Check whether the specified email has already been used to create a "
        "customer account."
    )
    async def isEmailAvailable(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The email address to check.")],
    ) -> IsEmailAvailableOutput | None:
        available = await customers.is_email_available(
            email, await info.context.store(), await info.context.stores()
        )
        return IsEmailAvailableOutput(is_email_available=available)

    @strawberry.field(
        description="Customers, filtered, sorted and paginated (admin token required)."
    )
    async def adminCustomers(
        self,
        info: Info,
        filter: Annotated[
            CustomerFilterInput | None,
            strawberry.argument(description="Conditions the customers must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
        sort: Annotated[
            CustomerSortInput | None,
            strawberry.argument(
                description="The field to sort the customers by, and the direction."
            ),
        ] = None,
    ) -> AdminCustomers:
        await require_admin(info)
        page = await customers.page(
            _filter(filter), _sort(sort), PageRequest(pageSize, currentPage)
        )
        return AdminCustomers(
            items=[AdminCustomer.of(row) for row in page.items],
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(description="One customer by uid (admin token required).")
    async def adminCustomer(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the customer to return.")
        ],
    ) -> AdminCustomer:
        await require_admin(info)
        return AdminCustomer.of(await customers.get(decode_uid(uid)))


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create a customer account.",
        deprecation_reason="Use `createCustomerV2` instead.",
    )
    async def createCustomer(
        self,
        info: Info,
        input: Annotated[
            CustomerInput, strawberry.argument(description="The new account's details.")
        ],
    ) -> CustomerOutput | None:
        await _guest_only(info)
        return await _register(info, _legacy_changes(input, creating=True))

    @strawberry.mutation(description="Create a customer account.")
    async def createCustomerV2(
        self,
        info: Info,
        input: Annotated[
            CustomerCreateInput,
            strawberry.argument(description="An input object that defines the customer to create."),
        ],
    ) -> CustomerOutput | None:
        await _guest_only(info)
        return await _register(info, storefront_changes(input))

    @strawberry.mutation(
        description="Update the customer's personal information.",
        deprecation_reason="Use `updateCustomerV2` instead.",
    )
    async def updateCustomer(
        self,
        info: Info,
        input: Annotated[
            CustomerInput,
            strawberry.argument(
                description="The details to change; `password` (the current one) is needed to "
                "change `email`."
            ),
        ],
    ) -> CustomerOutput | None:
        customer_id, token_id = await _own_customer(info)
        row = await customers.update_own(
            customer_id,
            _legacy_changes(input, creating=False),
            _given(input.password),
            await info.context.stores(),
            info.context.services.passwords,
            keep_token_id=token_id,
        )
        return CustomerOutput(customer=fresh_customer(info, row))

    @strawberry.mutation(
        description="Request an email with a reset password token for the registered customer "
        "identified by the specified email."
    )
    async def requestPasswordResetEmail(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The customer's email address.")],
    ) -> bool | None:
        return await password_reset.request_reset(
            email,
            info.context.remote_ip,
            await info.context.store(),
            await info.context.stores(),
            info.context.services.mail,
        )

    @strawberry.mutation(
        description="Reset a customer's password using the reset password token that the "
        "customer received in an email after requesting it using `requestPasswordResetEmail`."
    )
    async def resetPassword(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The customer's email address.")],
        resetPasswordToken: Annotated[
            str,
            strawberry.argument(
                description="A runtime token generated by the `requestPasswordResetEmail` mutation."
            ),
        ],
        newPassword: Annotated[
            str,
            strawberry.argument(metadata=LONG_TEXT, description="The customer's new password."),
        ],
    ) -> bool | None:
        return await password_reset.reset_password(
            email,
            resetPasswordToken,
            newPassword,
            await info.context.store(),
            await info.context.stores(),
            info.context.services.passwords,
        )

    @strawberry.mutation(description="Update the customer's personal information.")
    async def updateCustomerV2(
        self,
        info: Info,
        input: Annotated[
            CustomerUpdateInput,
            strawberry.argument(
                description="An input object that defines the customer characteristics to update."
            ),
        ],
    ) -> CustomerOutput | None:
        customer_id, token_id = await _own_customer(info)
        row = await customers.update(
            customer_id,
            storefront_changes(input),
            await info.context.stores(),
            info.context.services.passwords,
            keep_token_id=token_id,
        )
        return CustomerOutput(customer=fresh_customer(info, row))

    @strawberry.mutation(description="Change the email address for the logged-in customer.")
    async def updateCustomerEmail(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The customer's new email address.")],
        password: Annotated[
            str,
            strawberry.argument(
                metadata=LONG_TEXT,
                description="The customer's current password, which confirms the change.",
            ),
        ],
    ) -> CustomerOutput | None:
        customer_id, token_id = await _own_customer(info)
        row = await customers.change_email(
            customer_id,
            email,
            password,
            await info.context.stores(),
            info.context.services.passwords,
            keep_token_id=token_id,
        )
        return CustomerOutput(customer=fresh_customer(info, row))

    @strawberry.mutation(description="Change the password for the logged-in customer.")
    async def changeCustomerPassword(
        self,
        info: Info,
        currentPassword: Annotated[
            str,
            strawberry.argument(
                metadata=LONG_TEXT, description="The customer's original password."
            ),
        ],
        newPassword: Annotated[
            str,
            strawberry.argument(metadata=LONG_TEXT, description="The customer's updated password."),
        ],
    ) -> Customer | None:
        customer_id, token_id = await _own_customer(info)
        row = await customers.change_password(
            customer_id,
            currentPassword,
            newPassword,
            await info.context.stores(),
            info.context.services.passwords,
            keep_token_id=token_id,
        )
        return fresh_customer(info, row)

    @strawberry.mutation(description="Delete customer account")
    async def deleteCustomer(self, info: Info) -> bool | None:
        customer_id, _ = await _own_customer(info)
        await customers.delete(customer_id)
        info.context.loaders.customer.prime(customer_id, None, force=True)
        return True

    @strawberry.mutation(description="Subscribe the specified email to the store's newsletter.")
    async def subscribeEmailToNewsletter(
        self,
        info: Info,
        email: Annotated[
            str,
            strawberry.argument(
                description="The email address that will receive the store's newsletter."
            ),
        ],
    ) -> SubscribeEmailToNewsletterOutput | None:
        viewer = await info.context.viewer()
        customer_id = viewer.customer_id if viewer.kind is ViewerKind.CUSTOMER else None
        status = await newsletter.subscribe_email(
            email, customer_id, await info.context.store(), await info.context.stores()
        )
        return SubscribeEmailToNewsletterOutput(status=SubscriptionStatusesEnum.of(status))

    @strawberry.mutation(description="Create a customer account (admin token required).")
    async def adminCreateCustomer(
        self,
        info: Info,
        input: Annotated[
            AdminCustomerCreateInput,
            strawberry.argument(description="The new customer's account fields."),
        ],
    ) -> AdminCustomerOutput:
        await require_admin(info)
        stores = await info.context.stores()
        try:
            row = await customers.create(
                _admin_changes(input),
                stores.default_store(),
                stores,
                info.context.services.passwords,
            )
        except DomainError as error:
            return AdminCustomerOutput(customer=None, user_errors=UserError.from_error(error))
        return AdminCustomerOutput(customer=AdminCustomer.of(row), user_errors=[])

    @strawberry.mutation(description="Change a customer account (admin token required).")
    async def adminUpdateCustomer(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the customer to change.")
        ],
        input: Annotated[
            AdminCustomerUpdateInput, strawberry.argument(description="The customer's new values.")
        ],
    ) -> AdminCustomerOutput:
        await require_admin(info)
        try:
            row = await customers.update(
                decode_uid(uid),
                _admin_changes(input),
                await info.context.stores(),
                info.context.services.passwords,
            )
        except DomainError as error:
            return AdminCustomerOutput(customer=None, user_errors=UserError.from_error(error))
        return AdminCustomerOutput(customer=AdminCustomer.of(row), user_errors=[])

    @strawberry.mutation(
        description="Delete a customer account with its addresses, subscriptions and store "
        "credit (admin token required)."
    )
    async def adminDeleteCustomer(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID, strawberry.argument(description="The `uid` of the customer to delete.")
        ],
    ) -> AdminDeleteCustomerOutput:
        await require_admin(info)
        try:
            row = await customers.delete(decode_uid(uid))
        except DomainError as error:
            return AdminDeleteCustomerOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return AdminDeleteCustomerOutput(
            deleted_uid=strawberry.ID(encode_uid(row.entity_id)), user_errors=[]
        )
