"""Reading invitations: a customer's own ("My Invitations"), the admin grid with its filters,
and the conversion report by customer group."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from tortoise.expressions import Q
from tortoise.functions import Count

from engine.config import ConfigPath
from engine.invitations.lifecycle import store_by_id
from engine.pagination import Page, PageRequest, paginate
from engine.stores import StoresSnapshot
from models import InvitationStatus, MagentoInvitation


async def for_customer(customer_id: int, request: PageRequest) -> Page[MagentoInvitation]:
    """`Block/Customer/ListCustomer.php`: the customer's invitations, newest first."""
    query = MagentoInvitation.filter(customer_id=customer_id).order_by("-invitation_id")
    return await paginate(query, request)


@dataclass(frozen=True)
class InvitationFilter:
    ids: Sequence[int] | None = None
    statuses: Sequence[InvitationStatus] | None = None
    email: str | None = None
    email_partial: bool = False
    inviter_ids: Sequence[int] | None = None
    group_ids: Sequence[int] | None = None
    store_ids: Sequence[int] | None = None
    sent_from: datetime | None = None
    sent_to: datetime | None = None


def _filtered(filter_: InvitationFilter) -> Q:
    q = Q()
    if filter_.ids is not None:
        q &= Q(invitation_id__in=list(filter_.ids))
    if filter_.statuses is not None:
        q &= Q(status__in=list(filter_.statuses))
    if filter_.email:
        q &= (
            Q(email__icontains=filter_.email)
            if filter_.email_partial
            else Q(email=filter_.email.strip().lower())
        )
    if filter_.inviter_ids is not None:
        q &= Q(customer_id__in=list(filter_.inviter_ids))
    if filter_.group_ids is not None:
        q &= Q(group_id__in=list(filter_.group_ids))
    if filter_.store_ids is not None:
        q &= Q(store_id__in=list(filter_.store_ids))
    if filter_.sent_from is not None:
        q &= Q(invitation_date__gte=filter_.sent_from)
    if filter_.sent_to is not None:
        q &= Q(invitation_date__lte=filter_.sent_to)
    return q


async def page(filter_: InvitationFilter, request: PageRequest) -> Page[MagentoInvitation]:
    """The admin grid (Marketing > Invitations), newest first."""
    query = MagentoInvitation.filter(_filtered(filter_)).order_by("-invitation_id")
    return await paginate(query, request)


@dataclass
class GroupConversions:
    """One customer group's row of the report: invitations created for that group, how many
    were accepted and canceled, and the acceptance rate in percent (2 decimals, half up)."""

    group_id: int
    sent: int = 0
    accepted: int = 0
    canceled: int = 0
    rate: Decimal = field(default=Decimal("0.00"))


async def conversions_by_group(
    filter_: InvitationFilter, stores: StoresSnapshot
) -> list[GroupConversions]:
    """Magento's "Invitations > General" report (`ResourceModel/Report/Invitation/Collection`:
    sent = every invitation, accepted and canceled by status, rate = accepted / sent), split by
    the customer group the invitation carries. An invitation without a group counts for the
    default group of its store view, which is where its invitee lands."""
    rows = (
        await MagentoInvitation.filter(_filtered(filter_))
        .annotate(n=Count("invitation_id"))
        .group_by("group_id", "store_id", "status")
        .values("group_id", "store_id", "status", "n")
    )
    by_group: dict[int, GroupConversions] = {}
    counts: defaultdict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        group_id = row["group_id"]
        if group_id is None:
            store = store_by_id(row["store_id"], stores)
            group_id = stores.config_int(ConfigPath.DEFAULT_GROUP, store)
        counts[group_id][str(row["status"])] += row["n"]
    for group_id in sorted(counts):
        by_status = counts[group_id]
        sent = sum(by_status.values())
        accepted = by_status[InvitationStatus.ACCEPTED.value]
        rate = (Decimal(accepted * 100) / Decimal(sent)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        by_group[group_id] = GroupConversions(
            group_id=group_id,
            sent=sent,
            accepted=accepted,
            canceled=by_status[InvitationStatus.CANCELED.value],
            rate=rate,
        )
    return list(by_group.values())
