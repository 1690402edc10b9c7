"""Customer group types: the storefront's uid-only `CustomerGroupStorefront`, and the admin's
full `CustomerGroup` with its inputs and outputs."""

from __future__ import annotations

import strawberry

from graph.common import FilterEqualTypeInput, FilterMatchTypeInput, SearchResultPageInfo
from graph.errors import UserError
from graph.uids import encode_uid
from models import CustomerGroup as CustomerGroupRow


@strawberry.type(description="Data of customer group.")
class CustomerGroupStorefront:
    uid: strawberry.ID = strawberry.field(description="The unique ID for a `CustomerGroup` object.")

    @classmethod
    def of_id(cls, group_id: int) -> CustomerGroupStorefront:
        return cls(uid=strawberry.ID(encode_uid(group_id)))


@strawberry.type(description="A customer group as admins manage it (admin token required).")
class CustomerGroup:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the group.")
    id: int = strawberry.field(description="Magento's numeric `customer_group_id`.")
    code: str = strawberry.field(description="The group's name, at most 32 characters.")
    tax_class_id: int = strawberry.field(description="The customer tax class of the group.")
    excluded_website_uids: list[strawberry.ID] = strawberry.field(
        description="Websites where this group gets no group-specific prices."
    )
    is_protected: bool = strawberry.field(
        description="True for NOT LOGGED IN and the default group for new accounts, "
        "which cannot be deleted."
    )

    @classmethod
    def of(
        cls, row: CustomerGroupRow, excluded_website_ids: list[int], protected_ids: set[int]
    ) -> CustomerGroup:
        return cls(
            uid=strawberry.ID(encode_uid(row.customer_group_id)),
            id=row.customer_group_id,
            code=row.customer_group_code,
            tax_class_id=row.tax_class_id,  # type: ignore[attr-defined]
            excluded_website_uids=[strawberry.ID(encode_uid(w)) for w in excluded_website_ids],
            is_protected=row.customer_group_id in protected_ids,
        )


@strawberry.type(description="A page of customer groups.")
class CustomerGroups:
    items: list[CustomerGroup] = strawberry.field(description="The groups on this page.")
    page_info: SearchResultPageInfo = strawberry.field(description="Pagination metadata.")
    total_count: int = strawberry.field(description="How many groups match the filter.")


@strawberry.input(description="Filters for the admin list of customer groups.")
class CustomerGroupFilterInput:
    code: FilterMatchTypeInput | None = strawberry.field(
        default=None, description="Groups whose code contains this text."
    )
    uid: FilterEqualTypeInput | None = strawberry.field(
        default=None, description="Groups with these uids."
    )


@strawberry.input(description="A new customer group.")
class CustomerGroupCreateInput:
    code: str = strawberry.field(description="The group's name, unique, at most 32 characters.")
    tax_class_id: int | None = strawberry.field(
        default=None, description="A customer tax class; Retail Customer (3) when omitted."
    )
    excluded_website_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Websites where the group gets no group-specific prices."
    )


@strawberry.input(description="Changes to a customer group; omitted fields stay as they are.")
class CustomerGroupUpdateInput:
    code: str | None = strawberry.field(default=None, description="A new, unique code.")
    tax_class_id: int | None = strawberry.field(default=None, description="A customer tax class.")
    excluded_website_uids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the excluded websites when given."
    )


@strawberry.type(description="The result of an admin mutation on a customer group.")
class CustomerGroupOutput:
    customer_group: CustomerGroup | None = strawberry.field(
        description="The group after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Every problem with the input; empty on success."
    )


@strawberry.type(description="The result of deleting a customer group.")
class DeleteCustomerGroupOutput:
    deleted_uid: strawberry.ID | None = strawberry.field(
        description="The uid of the deleted group; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the group was not deleted; empty on success."
    )
