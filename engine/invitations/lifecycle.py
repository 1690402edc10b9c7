"""An invitation's life (`Model/Invitation.php`, `Model/Invitation/Status.php`): created `new`
with its protection code, store and customer group; `sent` when its e-mail went out; `accepted`
when the invitee registers with its code; `canceled` by an admin.

Every function is one transaction that validates the whole input first and writes nothing when
any of it is refused (Magento's storefront skips the refused e-mails and sends the others; a
GraphQL client gets every problem at once instead, with a path).

The e-mail is sent inside the transaction, right after the row is written, so that the status
moves to `sent` in the same commit, and only when the transport accepted the message (as
Magento, a failed send leaves the invitation `new`). A transport is bounded by its timeout."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from tortoise.transactions import in_transaction

from engine import customers
from engine.auth import now
from engine.customers import CustomerChanges
from engine.errors import (
    InputInvalid,
    NoSuchEntity,
    NotAuthorized,
    Problem,
    ProblemCode,
    Problems,
)
from engine.invitations import codes, conversions
from engine.invitations.settings import InvitationSettings
from engine.passwords import PasswordHasher
from engine.stores import StoresSnapshot, StoreView
from models import (
    CustomerEntity,
    CustomerGroup,
    InvitationStatus,
    MagentoInvitation,
    MagentoInvitationStatusHistory,
    MagentoInvitationTrack,
    Store,
)
from models.groups import NOT_LOGGED_IN_GROUP_ID
from models.stores import ADMIN_WEBSITE_ID

# Magento's messages.
CODE_INCORRECT = "The invitation code is incorrect. Verify the code and try again."
NOT_VALID = "This invitation is not valid."
INCORRECT_STORE = "The incorrect store is specified. Verify the store and try again."
GROUP_MISSING = "A customer ID group is missing. Enter a group and try again."
NO_EMAILS = "Please specify at least one email address."
# mageseg's own, where Magento has none (its storefront skips these e-mails silently, its
# controllers answer 404 when invitations are off).
DISABLED = "Invitations are disabled."


def addressed_to_customer(email: str) -> str:
    return f'This invitation is addressed to current customer "{email}".'


def invalid_email(email: str) -> str:
    return f'"{email}" is not a valid email address.'


def too_many(maximum: int) -> str:
    return f"You can send at most {maximum} invitation(s) at one time."


STOREFRONT_SENDABLE = frozenset({InvitationStatus.NEW})
ADMIN_SENDABLE = frozenset({InvitationStatus.NEW, InvitationStatus.SENT, InvitationStatus.CANCELED})
ACCEPTABLE = frozenset({InvitationStatus.NEW, InvitationStatus.SENT})
CANCELABLE = ACCEPTABLE


class SendEmail(Protocol):
    """Sends one invitation's e-mail; False when the transport failed (`engine/invitations/
    email.py` implements it on the project's mail transport)."""

    async def __call__(
        self,
        invitation: MagentoInvitation,
        inviter: CustomerEntity | None,
        store: StoreView,
        stores: StoresSnapshot,
    ) -> bool: ...


def store_by_id(store_id: int, stores: StoresSnapshot) -> StoreView | None:
    """A storefront store view (the admin store is none)."""
    for store in stores.stores:
        if store.store_id == store_id and store.website.website_id != ADMIN_WEBSITE_ID:
            return store
    return None


def require_enabled(store: StoreView, stores: StoresSnapshot) -> InvitationSettings:
    settings = InvitationSettings.of(store, stores)
    if not settings.enabled_on_front:
        raise NotAuthorized(Problem(ProblemCode.INVALID, DISABLED))
    return settings


async def _record(invitation: MagentoInvitation) -> None:
    await MagentoInvitationStatusHistory.create(
        invitation_id=invitation.invitation_id,
        invitation_date=now(),
        status=invitation.status,
    )


async def _check_emails(
    emails: Sequence[str], store: StoreView, stores: StoresSnapshot, path: str, problems: Problems
) -> list[str]:
    """Each e-mail as stored (trimmed, lowercase); an invalid one or one of an existing
    customer of the store's website (or anywhere, with global account sharing) is a problem."""
    checked = []
    for index, raw in enumerate(emails):
        email = customers.normalize_email(raw)
        if email is None:
            problems.add(ProblemCode.INVALID, invalid_email(raw), f"{path}.{index}")
            continue
        if await customers.email_taken(email, store.website.website_id, stores, store, None):
            problems.add(
                ProblemCode.ALREADY_EXISTS, addressed_to_customer(email), f"{path}.{index}"
            )
            continue
        checked.append(email)
    return checked


async def _send(
    invitation: MagentoInvitation,
    inviter: CustomerEntity | None,
    store: StoreView,
    stores: StoresSnapshot,
    send_email: SendEmail,
) -> bool:
    """`sendInvitationEmail`: → `sent` only when the e-mail went out."""
    if not await send_email(invitation, inviter, store, stores):
        return False
    if invitation.status is not InvitationStatus.SENT:
        invitation.status = InvitationStatus.SENT
        await invitation.save(update_fields=["status"])
        await _record(invitation)
    return True


async def _create(
    email: str,
    store: StoreView,
    inviter: CustomerEntity | None,
    group_id: int | None,
    message: str | None,
) -> MagentoInvitation:
    invitation = await MagentoInvitation.create(
        customer_id=inviter.entity_id if inviter is not None else None,
        invitation_date=now(),
        email=email,
        protection_code=codes.new_protection_code(),
        store_id=store.store_id,
        group_id=group_id,
        message=message,
        status=InvitationStatus.NEW,
    )
    await _record(invitation)
    return invitation


@dataclass(frozen=True)
class Sent:
    """What a send did: every invitation written, in the order of the e-mails given, and the
    e-mails whose message could not be delivered (those invitations stay `new`)."""

    invitations: list[MagentoInvitation]
    failed: list[str]


async def send_as_customer(
    inviter_id: int,
    emails: Sequence[str],
    message: str | None,
    store: StoreView,
    stores: StoresSnapshot,
    send_email: SendEmail,
) -> Sent:
    """A signed-in customer invites `emails` (`Controller/Index/Send.php`). At most
    `max_invitation_amount_per_send` e-mails, counting every e-mail given, valid or not (as
    Magento counts an invalid e-mail as an attempt); the message is dropped when customers may
    not add one. The invitee will join the inviter's group, or the default group."""
    settings = require_enabled(store, stores)
    problems = Problems()
    if not emails:
        problems.add(ProblemCode.REQUIRED, NO_EMAILS, "input.emails")
    elif len(emails) > settings.max_per_send:
        problems.add(ProblemCode.INVALID, too_many(settings.max_per_send), "input.emails")
    problems.raise_if_any()
    async with in_transaction():
        inviter = await customers.get(inviter_id)
        checked = await _check_emails(emails, store, stores, "input.emails", problems)
        problems.raise_if_any()
        text = (message or "").strip() or None if settings.allow_customer_message else None
        group_id = inviter.group_id if settings.use_inviter_group else None  # type: ignore[attr-defined]
        created = [await _create(email, store, inviter, group_id, text) for email in checked]
        failed = [
            i.email or "" for i in created if not await _send(i, inviter, store, stores, send_email)
        ]
    return Sent(created, failed)


async def send_as_admin(
    emails: Sequence[str],
    store_id: int,
    group_id: int | None,
    message: str | None,
    stores: StoresSnapshot,
    send_email: SendEmail,
) -> Sent:
    """An admin invites `emails` from a store view (`Controller/Adminhtml/Index/Save.php`), for
    the group they pick. With "Referred Customer Group" = "Same as Inviter" the group is
    required (an admin invitation has no inviter); with "Default Customer Group" it is not kept
    (NULL: the invitee gets the default group for new accounts), as Magento's `beforeSave`."""
    problems = Problems()
    store = store_by_id(store_id, stores)
    if store is None:
        raise InputInvalid(Problem(ProblemCode.NOT_FOUND, INCORRECT_STORE, "input.store_uid"))
    settings = InvitationSettings.of(store, stores)
    if not emails:
        problems.add(ProblemCode.REQUIRED, NO_EMAILS, "input.emails")
    if settings.use_inviter_group:
        if group_id is None:
            problems.add(ProblemCode.REQUIRED, GROUP_MISSING, "input.group_uid")
        elif group_id == NOT_LOGGED_IN_GROUP_ID or not await CustomerGroup.exists(
            customer_group_id=group_id
        ):
            problems.add(
                ProblemCode.NOT_FOUND,
                f"No such entity with groupId = {group_id}",
                "input.group_uid",
            )
    else:
        group_id = None
    async with in_transaction():
        checked = await _check_emails(emails, store, stores, "input.emails", problems)
        problems.raise_if_any()
        text = (message or "").strip() or None
        created = [await _create(email, store, None, group_id, text) for email in checked]
        failed = [
            i.email or "" for i in created if not await _send(i, None, store, stores, send_email)
        ]
    return Sent(created, failed)


async def _locked(invitation_ids: Sequence[int], path: str) -> list[MagentoInvitation]:
    rows = {
        r.invitation_id: r
        for r in await MagentoInvitation.filter(invitation_id__in=list(invitation_ids))
        .select_for_update()
        .order_by("invitation_id")
    }
    problems = Problems()
    for index, invitation_id in enumerate(invitation_ids):
        if invitation_id not in rows:
            problems.add(
                ProblemCode.NOT_FOUND,
                f'Could not find an invitation with ID "{invitation_id}"',
                f"{path}.{index}",
            )
    problems.raise_if_any()
    return [rows[i] for i in dict.fromkeys(invitation_ids)]


async def resend(
    invitation_ids: Sequence[int], stores: StoresSnapshot, send_email: SendEmail
) -> Sent:
    """The admin's mass "Send" (`Status(isAdmin)`: new, sent or canceled may be sent; an
    invitation becomes `sent` again, a canceled one too). The invitee must still not be a
    customer of the invitation's website."""
    problems = Problems()
    async with in_transaction():
        invitations = await _locked(invitation_ids, "uids")
        stores_of: dict[int, StoreView] = {}
        for index, invitation in enumerate(invitations):
            path = f"uids.{index}"
            store = store_by_id(invitation.store_id, stores)  # type: ignore[attr-defined]
            if invitation.status not in ADMIN_SENDABLE or store is None:
                problems.add(ProblemCode.INVALID, NOT_VALID, path)
                continue
            stores_of[invitation.invitation_id] = store
            email = invitation.email or ""
            website_id = store.website.website_id
            if await customers.email_taken(email, website_id, stores, store, None):
                problems.add(ProblemCode.ALREADY_EXISTS, addressed_to_customer(email), path)
        problems.raise_if_any()
        inviters = {
            c.entity_id: c
            for c in await CustomerEntity.filter(
                entity_id__in=[i.customer_id for i in invitations if i.customer_id]  # type: ignore[attr-defined]
            )
        }
        failed = []
        for invitation in invitations:
            inviter = inviters.get(invitation.customer_id)  # type: ignore[attr-defined]
            store = stores_of[invitation.invitation_id]
            if not await _send(invitation, inviter, store, stores, send_email):
                failed.append(invitation.email or "")
    return Sent(invitations, failed)


async def cancel(invitation_ids: Sequence[int]) -> list[MagentoInvitation]:
    """The admin's mass "Discard": only `new` and `sent` invitations can be canceled."""
    problems = Problems()
    async with in_transaction():
        invitations = await _locked(invitation_ids, "uids")
        for index, invitation in enumerate(invitations):
            if invitation.status not in CANCELABLE:
                problems.add(ProblemCode.INVALID, NOT_VALID, f"uids.{index}")
        problems.raise_if_any()
        for invitation in invitations:
            invitation.status = InvitationStatus.CANCELED
            await invitation.save(update_fields=["status"])
            await _record(invitation)
    return invitations


async def by_code(code: str, store: StoreView, path: str = "invitation_code") -> MagentoInvitation:
    """`loadByInvitationCode` then `makeSureCanBeAccepted` for the current website: the code
    must name an invitation with that protection code, still `new` or `sent`, sent from a
    store view of this website."""
    parsed = codes.parse_code(code)
    invitation = (
        await MagentoInvitation.get_or_none(invitation_id=parsed.invitation_id)
        if parsed is not None
        else None
    )
    if (
        parsed is None
        or invitation is None
        or invitation.protection_code is None
        or not _same(invitation.protection_code, parsed.protection_code)
    ):
        raise NoSuchEntity(Problem(ProblemCode.NOT_FOUND, CODE_INCORRECT, path))
    if invitation.status not in ACCEPTABLE or not await _same_website(invitation, store):
        raise InputInvalid(Problem(ProblemCode.INVALID, NOT_VALID, path))
    return invitation


def _same(stored: str, given: str) -> bool:
    return hmac.compare_digest(stored.encode(), given.encode())


async def _same_website(invitation: MagentoInvitation, store: StoreView) -> bool:
    store_id: int = invitation.store_id  # type: ignore[attr-defined]
    return await Store.exists(store_id=store_id, website_id=store.website.website_id)


async def create_account(
    code: str,
    changes: CustomerChanges,
    store: StoreView,
    stores: StoresSnapshot,
    hasher: PasswordHasher,
) -> CustomerEntity:
    """Registration with an invitation (`CreatePost` + `Observer/CustomerCreate` +
    `Invitation::accept`), in one transaction: the account is created in the invitation's
    customer group (NULL: the default group for new accounts), the invitation becomes
    `accepted` with the invitee as its referral, the inviter and the invitee are tracked, and
    the inviter earns the "invitation converted" reward. Unlike Magento, which creates the
    account and then swallows a failed acceptance, an invitation that cannot be accepted
    refuses the registration: the code was the reason to come."""
    require_enabled(store, stores)
    async with in_transaction():
        invitation = await by_code(code, store)
        # The claim: only one registration moves the invitation out of new/sent.
        claimed = await MagentoInvitation.filter(
            invitation_id=invitation.invitation_id, status__in=list(ACCEPTABLE)
        ).update(status=InvitationStatus.ACCEPTED, signup_date=now())
        if not claimed:
            raise InputInvalid(Problem(ProblemCode.INVALID, NOT_VALID, "invitation_code"))
        group_id: int | None = invitation.group_id  # type: ignore[attr-defined]
        customer = await customers.create(
            _with_group(changes, group_id), store, stores, hasher, storefront=True
        )
        await MagentoInvitation.filter(invitation_id=invitation.invitation_id).update(
            referral_id=customer.entity_id
        )
        await invitation.refresh_from_db()
        await _record(invitation)
        inviter_id: int | None = invitation.customer_id  # type: ignore[attr-defined]
        if inviter_id is not None:
            await _track(inviter_id, customer.entity_id)
        await conversions.accepted(invitation, customer, stores)
    return customer


def _with_group(changes: CustomerChanges, group_id: int | None) -> CustomerChanges:
    return replace(changes, group_id=group_id)


async def _track(inviter_id: int, referral_id: int) -> None:
    """`trackReferral`: insert-on-duplicate of (inviter, invitee)."""
    if not await MagentoInvitationTrack.exists(inviter_id=inviter_id, referral_id=referral_id):
        await MagentoInvitationTrack.create(inviter_id=inviter_id, referral_id=referral_id)
