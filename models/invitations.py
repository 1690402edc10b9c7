"""Invitations (Adobe Commerce `Magento_Invitation`): `magento_invitation`, its status history
and the referral track, with Magento's columns."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.customers import CustomerEntity
    from models.groups import CustomerGroup
    from models.stores import Store


class InvitationStatus(StrEnum):
    """`Model/Invitation/Status.php`: varchar(8), which just fits `accepted` and `canceled`."""

    NEW = "new"
    SENT = "sent"
    ACCEPTED = "accepted"
    CANCELED = "canceled"


class MagentoInvitation(Model):
    """`magento_invitation`: `customer` is the inviter (NULL when an admin sent it), `referral`
    the invitee once accepted, `group` the customer group the invitee joins (NULL: the default
    group for new accounts)."""

    invitation_id = fields.IntField(primary_key=True)
    customer: fields.ForeignKeyNullableRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity",
        related_name="sent_invitations",
        null=True,
        on_delete=fields.SET_NULL,
    )
    invitation_date = fields.DatetimeField(null=True)
    email = fields.CharField(max_length=255, null=True)
    referral: fields.ForeignKeyNullableRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity",
        related_name="accepted_invitations",
        null=True,
        on_delete=fields.SET_NULL,
    )
    protection_code = fields.CharField(max_length=32, null=True)
    signup_date = fields.DatetimeField(null=True)
    store: fields.ForeignKeyRelation[Store] = fields.ForeignKeyField(
        "models.Store", related_name="invitations", on_delete=fields.CASCADE
    )
    group: fields.ForeignKeyNullableRelation[CustomerGroup] = fields.ForeignKeyField(
        "models.CustomerGroup", related_name="invitations", null=True, on_delete=fields.SET_NULL
    )
    message = fields.TextField(null=True)
    status = fields.CharEnumField(
        InvitationStatus, max_length=8, db_default=InvitationStatus.NEW.value
    )

    class Meta:
        table = "magento_invitation"
        indexes = (("customer_id",), ("referral_id",), ("store_id",), ("group_id",))


class MagentoInvitationStatusHistory(Model):
    """`magento_invitation_status_history`: one row per status an invitation took."""

    history_id = fields.IntField(primary_key=True)
    invitation: fields.ForeignKeyRelation[MagentoInvitation] = fields.ForeignKeyField(
        "models.MagentoInvitation", related_name="status_history", on_delete=fields.CASCADE
    )
    invitation_date = fields.DatetimeField(null=True)
    status = fields.CharEnumField(
        InvitationStatus, max_length=8, db_default=InvitationStatus.NEW.value
    )

    class Meta:
        table = "magento_invitation_status_history"
        indexes = (("invitation_id",),)


class MagentoInvitationTrack(Model):
    """`magento_invitation_track`: who brought whom, one row per (inviter, invitee)."""

    track_id = fields.IntField(primary_key=True)
    inviter: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="invitation_tracks", on_delete=fields.CASCADE
    )
    referral: fields.ForeignKeyRelation[CustomerEntity] = fields.ForeignKeyField(
        "models.CustomerEntity", related_name="referral_tracks", on_delete=fields.CASCADE
    )

    class Meta:
        table = "magento_invitation_track"
        unique_together = (("inviter", "referral"),)
        indexes = (("referral_id",),)
