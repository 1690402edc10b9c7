"""Customer groups: the storefront's `customerGroup`, and admin CRUD."""

from __future__ import annotations

from typing import Annotated

import strawberry

from engine import groups
from engine.config import ConfigPath
from engine.errors import DomainError, InputInvalid, Problem, ProblemCode
from engine.pagination import PageRequest
from graph.arguments import CURRENT_PAGE, PAGE_SIZE
from graph.common import SearchResultPageInfo
from graph.context import Info
from graph.errors import UserError
from graph.groups import (
    CustomerGroup,
    CustomerGroupCreateInput,
    CustomerGroupFilterInput,
    CustomerGroupOutput,
    CustomerGroups,
    CustomerGroupStorefront,
    CustomerGroupUpdateInput,
    DeleteCustomerGroupOutput,
)
from graph.uids import decode_uid, encode_uid
from models import CustomerGroup as CustomerGroupRow
from models.groups import NOT_LOGGED_IN_GROUP_ID, RETAIL_CUSTOMER_TAX_CLASS_ID
from resolvers.access import require_admin
from resolvers.inputs import decode_uids, uids_of_filter

SHARING_DISABLED = "Sharing customer group information is disabled or not configured."


async def viewer_group_id(info: Info) -> int:
    """The caller's group: the customer's own, or NOT LOGGED IN for guests."""
    viewer = await info.context.viewer()
    if viewer.customer_id is None:
        return NOT_LOGGED_IN_GROUP_ID
    customer = await info.context.loaders.customer.load(viewer.customer_id)
    return NOT_LOGGED_IN_GROUP_ID if customer is None else customer.group_id  # type: ignore[attr-defined]


async def group_sharing_enabled(info: Info) -> bool:
    stores = await info.context.stores()
    return stores.config_flag(ConfigPath.SHARE_CUSTOMER_GROUP, await info.context.store())


async def _present(info: Info, rows: list[CustomerGroupRow]) -> list[CustomerGroup]:
    exclusions = await groups.excluded_website_ids([r.customer_group_id for r in rows])
    protected = groups.default_group_ids(await info.context.stores()) | {NOT_LOGGED_IN_GROUP_ID}
    return [CustomerGroup.of(r, exclusions[r.customer_group_id], protected) for r in rows]


@strawberry.type
class Query:
    @strawberry.field(description="Provides Customer Group assigned to the Customer or Guest.")
    async def customerGroup(self, info: Info) -> CustomerGroupStorefront:
        if not await group_sharing_enabled(info):
            raise InputInvalid(Problem(ProblemCode.INVALID, SHARING_DISABLED))
        return CustomerGroupStorefront.of_id(await viewer_group_id(info))

    @strawberry.field(description="Customer groups, filtered and paginated (admin token required).")
    async def adminCustomerGroups(
        self,
        info: Info,
        filter: Annotated[
            CustomerGroupFilterInput | None,
            strawberry.argument(description="Conditions the customer groups must meet."),
        ] = None,
        pageSize: Annotated[int, PAGE_SIZE] = 20,
        currentPage: Annotated[int, CURRENT_PAGE] = 1,
    ) -> CustomerGroups:
        await require_admin(info)
        filter_ = groups.GroupFilter(
            code_contains=filter.code.match if filter and filter.code else None,
            ids=uids_of_filter(filter.uid if filter else None, "filter.uid"),
        )
        page = await groups.page(filter_, PageRequest(pageSize, currentPage))
        return CustomerGroups(
            items=await _present(info, page.items),
            page_info=SearchResultPageInfo.of(page),
            total_count=page.total_count,
        )

    @strawberry.field(description="One customer group by uid (admin token required).")
    async def adminCustomerGroup(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the customer group to return."),
        ],
    ) -> CustomerGroup:
        await require_admin(info)
        row = await groups.get(decode_uid(uid))
        return (await _present(info, [row]))[0]


def _changes(
    input: CustomerGroupCreateInput | CustomerGroupUpdateInput,
) -> groups.GroupChanges:
    excluded = input.excluded_website_uids
    return groups.GroupChanges(
        code=input.code,
        tax_class_id=input.tax_class_id,
        excluded_website_ids=None
        if excluded is None
        else decode_uids(excluded, "input.excluded_website_uids"),
    )


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create a customer group (admin token required).")
    async def adminCreateCustomerGroup(
        self,
        info: Info,
        input: Annotated[
            CustomerGroupCreateInput,
            strawberry.argument(description="The new customer group's code and tax class."),
        ],
    ) -> CustomerGroupOutput:
        await require_admin(info)
        try:
            row = await groups.create(
                _changes(input), await info.context.stores(), RETAIL_CUSTOMER_TAX_CLASS_ID
            )
        except DomainError as error:
            return CustomerGroupOutput(customer_group=None, user_errors=UserError.from_error(error))
        return CustomerGroupOutput(customer_group=(await _present(info, [row]))[0], user_errors=[])

    @strawberry.mutation(description="Change a customer group (admin token required).")
    async def adminUpdateCustomerGroup(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the customer group to change."),
        ],
        input: Annotated[
            CustomerGroupUpdateInput,
            strawberry.argument(description="The customer group's new values."),
        ],
    ) -> CustomerGroupOutput:
        await require_admin(info)
        try:
            row = await groups.update(decode_uid(uid), _changes(input), await info.context.stores())
        except DomainError as error:
            return CustomerGroupOutput(customer_group=None, user_errors=UserError.from_error(error))
        return CustomerGroupOutput(customer_group=(await _present(info, [row]))[0], user_errors=[])

    @strawberry.mutation(
        description="Delete a customer group; its customers move to the default group "
        "(admin token required). NOT LOGGED IN and the default group cannot be deleted."
    )
    async def adminDeleteCustomerGroup(
        self,
        info: Info,
        uid: Annotated[
            strawberry.ID,
            strawberry.argument(description="The `uid` of the customer group to delete."),
        ],
    ) -> DeleteCustomerGroupOutput:
        await require_admin(info)
        try:
            row = await groups.delete(decode_uid(uid), await info.context.stores())
        except DomainError as error:
            return DeleteCustomerGroupOutput(
                deleted_uid=None, user_errors=UserError.from_error(error)
            )
        return DeleteCustomerGroupOutput(
            deleted_uid=strawberry.ID(encode_uid(row.customer_group_id)), user_errors=[]
        )
