"""Invitations through HTTP (Adobe Commerce `Magento_Invitation`, mageseg's GraphQL): a customer
invites by e-mail, the e-mail goes out through the mail transport with the invitation link, the
invitee registers with the code and lands in the invitation's group; Magento's statuses,
guards, limits and messages; the admin's list, send, resend, cancel and report; the inviter's
rewards."""

from __future__ import annotations

import asyncio
import re
import socket
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import pytest
from aiohttp import web

from engine.invitations import codes
from mageseg.app import create_app
from mageseg.settings import Settings
from models import (
    CoreConfigData,
    CustomerEntity,
    MagentoInvitation,
    MagentoInvitationStatusHistory,
    MagentoInvitationTrack,
    MagentoReward,
    MagentoRewardHistory,
    Store,
    StoreGroup,
    StoreWebsite,
)
from tests import transactions
from tests.factories import make_customer, token_for
from tests.graphql import gql
from tests.test_orders_support import admin_order_input, make_product

SEND = """
mutation ($emails: [String!]!, $message: String) {
  sendInvitations(input: {emails: $emails, message: $message}) {
    invitations { email status message signup_date }
  }
}
"""
MINE = """
query ($size: Int, $page: Int) {
  customerInvitations(pageSize: $size, currentPage: $page) {
    items { uid email status message signup_date }
    total_count page_info { current_page page_size total_pages }
  }
}
"""
LOOKUP = """
query ($code: String!) {
  invitation(invitation_code: $code) { email message inviter_name store_code }
}
"""
REGISTER = """
mutation ($code: String!, $input: CustomerCreateInput!) {
  createCustomerWithInvitation(invitation_code: $code, input: $input) {
    customer { email firstname group { uid } }
  }
}
"""
CREATE_V2 = """
mutation ($input: CustomerCreateInput!) {
  createCustomerV2(input: $input) { customer { email } }
}
"""
ADMIN_FIELDS = """
  id email status message store_uid group_uid inviter_uid invitee_uid invitation_code url_key
"""
ADMIN_SEND = f"""
mutation ($input: AdminSendInvitationsInput!) {{
  adminSendInvitations(input: $input) {{
    invitations {{ {ADMIN_FIELDS} }} failed_emails user_errors {{ code message path }}
  }}
}}
"""
ADMIN_RESEND = f"""
mutation ($uids: [ID!]!) {{
  adminResendInvitations(uids: $uids) {{
    invitations {{ {ADMIN_FIELDS} }} failed_emails user_errors {{ code message path }}
  }}
}}
"""
ADMIN_CANCEL = """
mutation ($uids: [ID!]!) {
  adminCancelInvitations(uids: $uids) {
    invitations { id status } failed_emails user_errors { code message path }
  }
}
"""
ADMIN_LIST = f"""
query ($filter: AdminInvitationFilterInput) {{
  adminInvitations(filter: $filter) {{ items {{ {ADMIN_FIELDS} }} total_count }}
}}
"""
REPORT = """
query { adminInvitationConversions { group_uid sent accepted canceled conversion_rate } }
"""
SAVE_CONFIG = """
mutation ($path: ConfigPathEnum!, $value: String) {
  adminSaveConfig(input: {path: $path, value: $value}) { user_errors { message } }
}
"""

INCORRECT = "The invitation code is incorrect. Verify the code and try again."
NOT_VALID = "This invitation is not valid."
PASSWORD = "Invitee-Pass1"
URL = re.compile(r"https?://\S+/invitation/customer_account/create/invitation/([A-Za-z0-9_~-]+)/")


def account(email: str = "bea@example.com", firstname: str = "Bea") -> dict[str, Any]:
    return {"email": email, "firstname": firstname, "lastname": "Ray", "password": PASSWORD}


def uid(value: int) -> str:
    return codes.base64.b64encode(str(value).encode()).decode()


async def save_config(client: Any, admin_token: str, path: str, value: str | None) -> None:
    response = await gql(client, SAVE_CONFIG, {"path": path, "value": value}, token=admin_token)
    assert response.data == {"adminSaveConfig": {"user_errors": []}}, response.errors


def mailbox(folder: Path) -> list[EmailMessage]:
    """The folder mailbox's messages, oldest first."""
    if not folder.exists():
        return []
    return [
        cast(EmailMessage, message_from_bytes(path.read_bytes(), policy=policy.default))
        for path in sorted(folder.glob("*.eml"))
    ]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return cast(EmailMessage, part).get_content()


def invitations_mail(folder: Path) -> list[EmailMessage]:
    return [m for m in mailbox(folder) if URL.search(text_of(m))]


def code_in(message: EmailMessage) -> str:
    found = URL.search(text_of(message))
    assert found is not None
    return found.group(1)


async def rows() -> list[tuple[Any, ...]]:
    """Every invitation row, history row and track row, as stored."""
    invitations = (
        await MagentoInvitation.all()
        .order_by("invitation_id")
        .values_list(
            "invitation_id",
            "customer_id",
            "email",
            "referral_id",
            "store_id",
            "group_id",
            "message",
            "status",
            "signup_date",
        )
    )
    history = (
        await MagentoInvitationStatusHistory.all()
        .order_by("history_id")
        .values_list("invitation_id", "status")
    )
    tracks = await MagentoInvitationTrack.all().values_list("inviter_id", "referral_id")
    return [*invitations, *history, *tracks]


async def statuses(invitation_id: int) -> list[str]:
    return [
        str(s)
        for s in await MagentoInvitationStatusHistory.filter(invitation_id=invitation_id)
        .order_by("history_id")
        .values_list("status", flat=True)
    ]


async def second_website() -> None:
    """Website 2 with store view 2 (`tokyo_ja`)."""
    await StoreWebsite.create(website_id=2, code="tokyo", name="Tokyo", timezone="Asia/Tokyo")
    await StoreGroup.create(group_id=2, website_id=2, code="tokyo_group", name="Tokyo")
    await Store.create(store_id=2, code="tokyo_ja", website_id=2, group_id=2, name="Tokyo JA")


async def invite(client: Any, inviter: CustomerEntity, *emails: str, message: str = "") -> Any:
    response = await gql(
        client, SEND, {"emails": list(emails), "message": message}, token=await token_for(inviter)
    )
    assert response.errors == [], response.errors
    return response.data


# ---------------------------------------------------------------------------------------------
# The whole flow
# ---------------------------------------------------------------------------------------------


async def test_invite_mail_lookup_register_and_track(client: Any, mail_folder: Path) -> None:
    inviter = await make_customer("ann@example.com", group_id=3)  # Retailer
    data = await invite(client, inviter, "Bea@Example.com", "cal@example.com", message="Join!")
    assert data == {
        "sendInvitations": {
            "invitations": [
                {
                    "email": "bea@example.com",
                    "status": "SENT",
                    "message": "Join!",
                    "signup_date": None,
                },
                {
                    "email": "cal@example.com",
                    "status": "SENT",
                    "message": "Join!",
                    "signup_date": None,
                },
            ]
        }
    }
    first, second = await MagentoInvitation.all().order_by("invitation_id")
    # The group is fixed now: the inviter's (Retailer, 3), on the inviter's store view.
    assert [(i.group_id, i.store_id, i.customer_id) for i in (first, second)] == [  # type: ignore[attr-defined]
        (3, 1, inviter.entity_id),
        (3, 1, inviter.entity_id),
    ]
    assert await statuses(first.invitation_id) == ["new", "sent"]

    # The e-mails went out through the transport, one per invitee, with Magento's link.
    sent = invitations_mail(mail_folder)
    assert [m["To"] for m in sent] == ["bea@example.com", "cal@example.com"]
    key = code_in(sent[0])
    assert key == codes.url_encode(f"{first.invitation_id}:{first.protection_code}")
    assert sent[0]["Subject"] == "Invitation to Main Website Store"
    body = text_of(sent[0])
    assert "Ann Lee invites you to join Main Website Store." in body
    assert "Join!" in body

    # My invitations, newest first.
    mine = await gql(client, MINE, token=await token_for(inviter))
    assert mine.data is not None
    assert [i["email"] for i in mine.data["customerInvitations"]["items"]] == [
        "cal@example.com",
        "bea@example.com",
    ]
    assert mine.data["customerInvitations"]["total_count"] == 2

    # The signup page reads the invitation by the link's key; no inviter e-mail, no group.
    lookup = await gql(client, LOOKUP, {"code": key})
    assert lookup.data == {
        "invitation": {
            "email": "bea@example.com",
            "message": "Join!",
            "inviter_name": "Ann Lee",
            "store_code": "default",
        }
    }

    registered = await gql(client, REGISTER, {"code": key, "input": account()})
    assert registered.errors == []
    assert registered.data == {
        "createCustomerWithInvitation": {
            "customer": {"email": "bea@example.com", "firstname": "Bea", "group": {"uid": "Mw=="}}
        }
    }
    # Magento's welcome e-mail follows, as for any storefront account.
    welcome = mailbox(mail_folder)[-1]
    assert (welcome["To"], welcome["Subject"]) == (
        "Bea Ray <bea@example.com>",
        "Welcome to Main Website Store",
    )
    invitee = await CustomerEntity.get(email="bea@example.com")
    assert invitee.group_id == 3  # type: ignore[attr-defined]
    await first.refresh_from_db()
    assert (first.status, first.referral_id) == ("accepted", invitee.entity_id)  # type: ignore[attr-defined]
    assert first.signup_date is not None
    assert await statuses(first.invitation_id) == ["new", "sent", "accepted"]
    assert await MagentoInvitationTrack.all().values_list("inviter_id", "referral_id") == [
        (inviter.entity_id, invitee.entity_id)
    ]
    # Accepted: the same code no longer opens anything.
    again = await gql(client, REGISTER, {"code": key, "input": account("dan@example.com")})
    assert (again.messages, again.categories) == ([NOT_VALID], ["graphql-input"])
    assert await CustomerEntity.filter(email="dan@example.com").count() == 0
    assert (await gql(client, LOOKUP, {"code": key})).messages == [NOT_VALID]


async def test_default_group_setting_sends_the_invitee_to_the_default_group(
    client: Any, admin_token: str
) -> None:
    await save_config(client, admin_token, "INVITATION_USE_INVITER_GROUP", "0")
    await save_config(client, admin_token, "DEFAULT_GROUP", "2")  # Wholesale for new accounts
    inviter = await make_customer(group_id=3)
    await invite(client, inviter, "bea@example.com")
    invitation = await MagentoInvitation.get()
    assert invitation.group_id is None  # type: ignore[attr-defined]
    code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
    registered = await gql(client, REGISTER, {"code": code, "input": account()})
    assert registered.errors == []
    assert (await CustomerEntity.get(email="bea@example.com")).group_id == 2  # type: ignore[attr-defined]


async def test_the_group_is_the_one_at_invitation_time(client: Any) -> None:
    """The inviter moves to another group after inviting: the invitee gets the old one."""
    inviter = await make_customer(group_id=3)
    await invite(client, inviter, "bea@example.com")
    await CustomerEntity.filter(entity_id=inviter.entity_id).update(group_id=2)
    invitation = await MagentoInvitation.get()
    code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
    assert (await gql(client, REGISTER, {"code": code, "input": account()})).errors == []
    assert (await CustomerEntity.get(email="bea@example.com")).group_id == 3  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Sending: limits, existing customers, messages
# ---------------------------------------------------------------------------------------------


async def test_at_most_max_per_send_counting_invalid_emails(
    client: Any, admin_token: str, mail_folder: Path
) -> None:
    inviter = await make_customer()
    token = await token_for(inviter)
    six = [f"p{n}@example.com" for n in range(6)]
    refused = await gql(client, SEND, {"emails": six}, token=token)
    assert (refused.messages, refused.categories) == (
        ["You can send at most 5 invitation(s) at one time."],
        ["graphql-input"],
    )
    assert refused.errors[0]["extensions"]["input_path"] == "input.emails"
    await save_config(client, admin_token, "INVITATION_MAX_PER_SEND", "2")
    # Two entries, one invalid: within the limit, but the invalid one refuses the whole send.
    bad = await gql(client, SEND, {"emails": ["ok@example.com", "not an email"]}, token=token)
    assert bad.messages == ['"not an email" is not a valid email address.']
    assert bad.errors[0]["extensions"]["input_path"] == "input.emails.1"
    # Three entries, one invalid: the invalid one counts (Magento's attempts), so too many.
    three = ["a@example.com", "not an email", "b@example.com"]
    assert (await gql(client, SEND, {"emails": three}, token=token)).messages == [
        "You can send at most 2 invitation(s) at one time."
    ]
    # A maximum below 1 is 1 (`getMaxInvitationsPerSend`).
    await save_config(client, admin_token, "INVITATION_MAX_PER_SEND", "0")
    two = ["a@example.com", "b@example.com"]
    assert (await gql(client, SEND, {"emails": two}, token=token)).messages == [
        "You can send at most 1 invitation(s) at one time."
    ]
    assert (await gql(client, SEND, {"emails": []}, token=token)).messages == [
        "Please specify at least one email address."
    ]
    assert await rows() == []
    assert invitations_mail(mail_folder) == []


async def test_existing_customers_are_refused_per_website(
    client: Any, admin_token: str, mail_folder: Path
) -> None:
    await second_website()
    inviter = await make_customer()
    await make_customer("zoe@example.com", website_id=2, store_id=2)
    await make_customer("yan@example.com")
    token = await token_for(inviter)
    refused = await gql(
        client, SEND, {"emails": ["new@example.com", "YAN@example.com"]}, token=token
    )
    assert refused.messages == [
        'This invitation is addressed to current customer "yan@example.com".'
    ]
    # Magento throws an AlreadyExistsException.
    assert refused.categories == ["graphql-already-exists"]
    assert refused.errors[0]["extensions"]["input_path"] == "input.emails.1"
    assert await rows() == []
    # zoe has an account on the other website only: she may be invited here.
    data = await invite(client, inviter, "zoe@example.com")
    assert data["sendInvitations"]["invitations"][0]["status"] == "SENT"
    # With accounts shared globally, zoe is a current customer everywhere.
    await save_config(client, admin_token, "ACCOUNT_SHARE_SCOPE", "0")
    again = await gql(client, SEND, {"emails": ["zoe@example.com"]}, token=token)
    assert again.messages == ['This invitation is addressed to current customer "zoe@example.com".']


async def test_the_message_is_dropped_when_customers_may_not_add_one(
    client: Any, admin_token: str, mail_folder: Path
) -> None:
    await save_config(client, admin_token, "INVITATION_ALLOW_MESSAGE", "0")
    inviter = await make_customer()
    data = await invite(client, inviter, "bea@example.com", message="Secret sale")
    assert data["sendInvitations"]["invitations"][0]["message"] is None
    assert "Secret sale" not in text_of(invitations_mail(mail_folder)[0])


async def test_disabled_on_the_storefront(client: Any, admin_token: str) -> None:
    await save_config(client, admin_token, "INVITATION_ENABLED_ON_FRONT", "0")
    inviter = await make_customer()
    response = await gql(
        client, SEND, {"emails": ["bea@example.com"]}, token=await token_for(inviter)
    )
    assert (response.messages, response.categories) == (
        ["Invitations are disabled."],
        ["graphql-authorization"],
    )
    assert await rows() == []


async def test_guests_and_admins_cannot_send(client: Any, admin_token: str) -> None:
    for token in (None, admin_token):
        response = await gql(client, SEND, {"emails": ["bea@example.com"]}, token=token)
        assert response.messages == ["The current customer isn't authorized."]
    assert await rows() == []


# ---------------------------------------------------------------------------------------------
# Accepting: codes, websites, "By Invitation Only"
# ---------------------------------------------------------------------------------------------


async def test_wrong_codes_are_refused_and_create_nothing(client: Any) -> None:
    inviter = await make_customer()
    await invite(client, inviter, "bea@example.com")
    invitation = await MagentoInvitation.get()
    before = await rows()
    customers_before = await CustomerEntity.all().count()
    for code in (
        f"{invitation.invitation_id}:{'0' * 32}",  # wrong protection code
        f"{invitation.invitation_id + 1}:{invitation.protection_code}",  # no such invitation
        "garbage",
        codes.url_encode("x:y"),
    ):
        response = await gql(client, REGISTER, {"code": code, "input": account()})
        assert (response.messages, response.categories) == ([INCORRECT], ["graphql-no-such-entity"])
        assert (await gql(client, LOOKUP, {"code": code})).messages == [INCORRECT]
    # A valid code with refused account data: nothing accepted, nothing created.
    code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
    bad = await gql(client, REGISTER, {"code": code, "input": {**account(), "firstname": ""}})
    assert bad.errors != []
    assert await rows() == before
    assert await CustomerEntity.all().count() == customers_before


async def test_canceled_and_other_website_invitations_are_not_valid(
    client: Any, admin_token: str
) -> None:
    await second_website()
    inviter = await make_customer()
    await invite(client, inviter, "bea@example.com", "cal@example.com")
    bea, cal = await MagentoInvitation.all().order_by("invitation_id")
    canceled = await gql(
        client, ADMIN_CANCEL, {"uids": [uid(bea.invitation_id)]}, token=admin_token
    )
    assert canceled.data == {
        "adminCancelInvitations": {
            "invitations": [{"id": bea.invitation_id, "status": "CANCELED"}],
            "failed_emails": [],
            "user_errors": [],
        }
    }
    code = codes.invitation_code(bea.invitation_id, bea.protection_code or "")
    assert (await gql(client, REGISTER, {"code": code, "input": account()})).messages == [NOT_VALID]
    # cal's invitation was sent from website 1: registering on website 2 is refused.
    code = codes.invitation_code(cal.invitation_id, cal.protection_code or "")
    other = await gql(
        client, REGISTER, {"code": code, "input": account("cal@example.com")}, store="tokyo_ja"
    )
    assert other.messages == [NOT_VALID]
    assert (
        await CustomerEntity.filter(email__in=["bea@example.com", "cal@example.com"]).count() == 0
    )


async def test_by_invitation_only(client: Any, admin_token: str) -> None:
    await save_config(client, admin_token, "INVITATION_REQUIRED", "1")
    refused = await gql(client, CREATE_V2, {"input": account("walk-in@example.com")})
    assert (refused.messages, refused.categories) == (
        ["New accounts can be created only with an invitation."],
        ["graphql-authorization"],
    )
    inviter = await make_customer()
    await invite(client, inviter, "bea@example.com")
    invitation = await MagentoInvitation.get()
    code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
    assert (await gql(client, REGISTER, {"code": code, "input": account()})).errors == []
    # With invitations off on the storefront the setting does not apply (Magento's plugin).
    await save_config(client, admin_token, "INVITATION_ENABLED_ON_FRONT", "0")
    assert (await gql(client, CREATE_V2, {"input": account("walk-in@example.com")})).errors == []


async def test_signed_in_customers_cannot_register_with_a_code(client: Any) -> None:
    inviter = await make_customer()
    await invite(client, inviter, "bea@example.com")
    invitation = await MagentoInvitation.get()
    code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
    response = await gql(
        client, REGISTER, {"code": code, "input": account()}, token=await token_for(inviter)
    )
    assert response.categories == ["graphql-authorization"]
    assert (await MagentoInvitation.get()).status == "sent"


async def test_twelve_registrations_with_one_code_at_once_through_two_instances(
    client: Any, aiohttp_client: Any, settings: Settings
) -> None:
    """The acceptance is claimed by one conditional update: whichever registration commits
    first wins, the others are refused and create no account (on PostgreSQL the transactions
    interleave; on SQLite they are serialized)."""
    other = create_app(settings, manage_database=False)
    transactions.watch(other)
    second = await aiohttp_client(other)
    inviter = await make_customer()
    await invite(client, inviter, "bea@example.com")
    invitation = await MagentoInvitation.get()
    code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
    emails = [f"n{n}@example.com" for n in range(12)]
    responses = await asyncio.gather(
        *(
            gql((client, second)[n % 2], REGISTER, {"code": code, "input": account(email)})
            for n, email in enumerate(emails)
        )
    )
    assert sorted(len(r.errors) for r in responses) == [0] + [1] * 11
    assert {m for r in responses for m in r.messages} == {NOT_VALID}
    assert await CustomerEntity.filter(email__in=emails).count() == 1
    await invitation.refresh_from_db()
    winner = await CustomerEntity.get(email__in=emails)
    assert (invitation.status, invitation.referral_id) == ("accepted", winner.entity_id)  # type: ignore[attr-defined]
    assert await statuses(invitation.invitation_id) == ["new", "sent", "accepted"]


# ---------------------------------------------------------------------------------------------
# Mail transport failures
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def down_client(aiohttp_client: Any, settings: Settings, db: Any) -> Any:
    """The app pointed at an SMTP port nobody listens on."""
    app: web.Application = create_app(
        replace(settings, mail_url=f"smtp://127.0.0.1:{free_port()}", mail_timeout_seconds=2.0),
        manage_database=False,
    )
    transactions.watch(app)
    return await aiohttp_client(app)


async def test_an_invitation_stays_new_when_its_email_fails(
    down_client: Any, admin_token: str
) -> None:
    inviter = await make_customer()
    data = await invite(down_client, inviter, "bea@example.com")
    assert data["sendInvitations"]["invitations"][0]["status"] == "NEW"
    invitation = await MagentoInvitation.get()
    assert await statuses(invitation.invitation_id) == ["new"]
    # The admin resends it later: still down, still new, and said so.
    resent = await gql(
        down_client, ADMIN_RESEND, {"uids": [uid(invitation.invitation_id)]}, token=admin_token
    )
    assert resent.data is not None
    output = resent.data["adminResendInvitations"]
    assert (output["failed_emails"], output["invitations"][0]["status"]) == (
        ["bea@example.com"],
        "NEW",
    )


# ---------------------------------------------------------------------------------------------
# Admin
# ---------------------------------------------------------------------------------------------


async def test_admin_sends_for_a_group_and_the_invitee_joins_it(
    client: Any, admin_token: str, mail_folder: Path
) -> None:
    await make_customer("yan@example.com")
    no_group = await gql(
        client,
        ADMIN_SEND,
        {"input": {"emails": ["bea@example.com"], "store_uid": "MQ=="}},
        token=admin_token,
    )
    assert no_group.data is not None
    assert no_group.data["adminSendInvitations"]["user_errors"] == [
        {
            "code": "REQUIRED",
            "message": "A customer ID group is missing. Enter a group and try again.",
            "path": "input.group_uid",
        }
    ]
    refused = await gql(
        client,
        ADMIN_SEND,
        {
            "input": {
                "emails": ["bea@example.com", "yan@example.com", "bad"],
                "store_uid": "OTk=",
                "group_uid": "Mg==",
            }
        },
        token=admin_token,
    )
    assert refused.data is not None
    assert refused.data["adminSendInvitations"]["user_errors"] == [
        {
            "code": "NOT_FOUND",
            "message": "The incorrect store is specified. Verify the store and try again.",
            "path": "input.store_uid",
        }
    ]
    refused = await gql(
        client,
        ADMIN_SEND,
        {
            "input": {
                "emails": ["bea@example.com", "yan@example.com", "bad"],
                "store_uid": "MQ==",
                "group_uid": "Mg==",
            }
        },
        token=admin_token,
    )
    assert refused.data is not None
    assert refused.data["adminSendInvitations"]["user_errors"] == [
        {
            "code": "ALREADY_EXISTS",
            "message": 'This invitation is addressed to current customer "yan@example.com".',
            "path": "input.emails.1",
        },
        {
            "code": "INVALID",
            "message": '"bad" is not a valid email address.',
            "path": "input.emails.2",
        },
    ]
    assert await rows() == []
    sent = await gql(
        client,
        ADMIN_SEND,
        {
            "input": {
                "emails": ["bea@example.com"],
                "store_uid": "MQ==",
                "group_uid": "Mg==",
                "message": "Welcome, wholesale partner",
            }
        },
        token=admin_token,
    )
    assert sent.data is not None
    (invitation,) = sent.data["adminSendInvitations"]["invitations"]
    row = await MagentoInvitation.get()
    assert invitation == {
        "id": row.invitation_id,
        "email": "bea@example.com",
        "status": "SENT",
        "message": "Welcome, wholesale partner",
        "store_uid": "MQ==",
        "group_uid": "Mg==",
        "inviter_uid": None,
        "invitee_uid": None,
        "invitation_code": f"{row.invitation_id}:{row.protection_code}",
        "url_key": codes.url_encode(f"{row.invitation_id}:{row.protection_code}"),
    }
    assert code_in(invitations_mail(mail_folder)[0]) == invitation["url_key"]
    registered = await gql(client, REGISTER, {"code": invitation["url_key"], "input": account()})
    assert registered.data is not None
    assert registered.data["createCustomerWithInvitation"]["customer"]["group"] == {"uid": "Mg=="}
    # An admin invitation has no inviter: nothing tracked.
    assert await MagentoInvitationTrack.all().count() == 0


async def test_admin_cancel_and_resend_follow_magentos_transitions(
    client: Any, admin_token: str, mail_folder: Path
) -> None:
    inviter = await make_customer()
    await invite(client, inviter, "bea@example.com", "cal@example.com")
    bea, cal = await MagentoInvitation.all().order_by("invitation_id")
    code = codes.invitation_code(cal.invitation_id, cal.protection_code or "")
    assert (
        await gql(client, REGISTER, {"code": code, "input": account("cal@example.com")})
    ).errors == []
    before = await rows()
    # cal's is accepted: cancel refuses the whole request.
    refused = await gql(
        client,
        ADMIN_CANCEL,
        {"uids": [uid(bea.invitation_id), uid(cal.invitation_id), uid(999)]},
        token=admin_token,
    )
    assert refused.data is not None
    assert refused.data["adminCancelInvitations"]["user_errors"] == [
        {
            "code": "NOT_FOUND",
            "message": 'Could not find an invitation with ID "999"',
            "path": "uids.2",
        }
    ]
    refused = await gql(
        client,
        ADMIN_CANCEL,
        {"uids": [uid(bea.invitation_id), uid(cal.invitation_id)]},
        token=admin_token,
    )
    assert refused.data is not None
    assert refused.data["adminCancelInvitations"]["user_errors"] == [
        {"code": "INVALID", "message": NOT_VALID, "path": "uids.1"}
    ]
    # An accepted invitation cannot be sent again either (its invitee is a customer now).
    resend = await gql(client, ADMIN_RESEND, {"uids": [uid(cal.invitation_id)]}, token=admin_token)
    assert resend.data is not None
    assert resend.data["adminResendInvitations"]["user_errors"] == [
        {"code": "INVALID", "message": NOT_VALID, "path": "uids.0"}
    ]
    assert await rows() == before
    # Canceled, then sent again by the admin (Magento's admin may send a canceled one).
    assert (
        await gql(client, ADMIN_CANCEL, {"uids": [uid(bea.invitation_id)]}, token=admin_token)
    ).errors == []
    mails_before = len(invitations_mail(mail_folder))
    resend = await gql(client, ADMIN_RESEND, {"uids": [uid(bea.invitation_id)]}, token=admin_token)
    assert resend.data is not None
    assert resend.data["adminResendInvitations"]["invitations"][0]["status"] == "SENT"
    assert len(invitations_mail(mail_folder)) == mails_before + 1
    assert await statuses(bea.invitation_id) == ["new", "sent", "canceled", "sent"]
    # Someone registered with bea's address meanwhile: no more resending.
    await make_customer("bea@example.com")
    resend = await gql(client, ADMIN_RESEND, {"uids": [uid(bea.invitation_id)]}, token=admin_token)
    assert resend.data is not None
    assert resend.data["adminResendInvitations"]["user_errors"] == [
        {
            "code": "ALREADY_EXISTS",
            "message": 'This invitation is addressed to current customer "bea@example.com".',
            "path": "uids.0",
        }
    ]


async def test_admin_list_filters_and_conversion_report(client: Any, admin_token: str) -> None:
    retailer = await make_customer("ann@example.com", group_id=3)
    wholesaler = await make_customer("wes@example.com", group_id=2)
    await invite(client, retailer, "r1@example.com", "r2@example.com", "r3@example.com")
    await invite(client, wholesaler, "w1@example.com", "w2@example.com")
    r1, _, r3, w1, _ = await MagentoInvitation.all().order_by("invitation_id")
    for invitation in (r1, w1):
        code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
        answer = await gql(
            client, REGISTER, {"code": code, "input": account(invitation.email or "")}
        )
        assert answer.errors == []
    await gql(client, ADMIN_CANCEL, {"uids": [uid(r3.invitation_id)]}, token=admin_token)

    listed = await gql(
        client,
        ADMIN_LIST,
        {"filter": {"status": ["SENT"], "inviter_uid": [uid(retailer.entity_id)]}},
        token=admin_token,
    )
    assert listed.data is not None
    assert [i["email"] for i in listed.data["adminInvitations"]["items"]] == ["r2@example.com"]
    partial = await gql(
        client,
        ADMIN_LIST,
        {"filter": {"email": {"match": "w", "match_type": "PARTIAL"}}},
        token=admin_token,
    )
    assert partial.data is not None
    assert [i["email"] for i in partial.data["adminInvitations"]["items"]] == [
        "w2@example.com",
        "w1@example.com",
    ]

    report = await gql(client, REPORT, token=admin_token)
    # Wholesale (2): 2 sent, 1 accepted → 50.00 %; Retailer (3): 3 sent, 1 accepted, 1
    # canceled → 1 / 3 = 33.333… → 33.33 %.
    assert report.data == {
        "adminInvitationConversions": [
            {"group_uid": "Mg==", "sent": 2, "accepted": 1, "canceled": 0, "conversion_rate": 50.0},
            {
                "group_uid": "Mw==",
                "sent": 3,
                "accepted": 1,
                "canceled": 1,
                "conversion_rate": 33.33,
            },
        ]
    }


# ---------------------------------------------------------------------------------------------
# The inviter's rewards (Reward actions 4 and 5)
# ---------------------------------------------------------------------------------------------


async def set_config(path: str, value: str) -> None:
    await CoreConfigData.create(path=path, value=value)


async def test_the_inviter_earns_points_for_each_conversion_up_to_the_limit(
    client: Any,
) -> None:
    # 25 points per invitation converted to a customer, at most 2 conversions.
    await set_config("magento_reward/points/invitation_customer", "25")
    await set_config("magento_reward/points/invitation_customer_limit", "2")
    inviter = await make_customer()
    await invite(client, inviter, "a@example.com", "b@example.com", "c@example.com")
    for invitation in await MagentoInvitation.all().order_by("invitation_id"):
        code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
        answer = await gql(
            client, REGISTER, {"code": code, "input": account(invitation.email or "")}
        )
        assert answer.errors == []
    # Three conversions, the third past the limit: 25 + 25 = 50.
    reward = await MagentoReward.get(customer_id=inviter.entity_id)
    assert reward.points_balance == 50
    messages = (
        await MagentoRewardHistory.filter(reward_id=reward.reward_id)
        .order_by("history_id")
        .values_list("points_delta", flat=True)
    )
    assert list(messages) == [25, 25]


CREATE_ORDER = """
mutation ($input: AdminOrderCreateInput!) {
  adminCreateOrder(input: $input) { order { id } user_errors { message } }
}
"""
ORDER_STATUS = """
mutation ($uid: ID!, $status: String!) {
  adminUpdateOrderStatus(uid: $uid, status: $status) { user_errors { message } }
}
"""


async def pay(client: Any, admin_token: str, email: str, number: str) -> None:
    """An order of the invitee's, recorded pending, then processing, then complete: with no
    invoice, `complete` declares it paid (processing alone is no payment)."""
    created = await gql(
        client,
        CREATE_ORDER,
        {"input": admin_order_input(increment_id=number, customer_email=email, status="pending")},
        token=admin_token,
    )
    assert created.data is not None, created.errors
    assert created.data["adminCreateOrder"]["user_errors"] == []
    order_uid = created.data["adminCreateOrder"]["order"]["id"]
    for status in ("processing", "complete"):
        moved = await gql(
            client, ORDER_STATUS, {"uid": order_uid, "status": status}, token=admin_token
        )
        assert moved.data == {"adminUpdateOrderStatus": {"user_errors": []}}, moved.errors


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        # "First" (unset, the default): one credit per invitation, whatever the orders.
        ("", [40]),
        # "Each" (`*`): every paid order, up to the limit of 2 conversions.
        ("*", [40, 40]),
    ],
)
async def test_the_inviter_earns_points_when_the_invitees_order_is_paid(
    client: Any, admin_token: str, frequency: str, expected: list[int]
) -> None:
    await set_config("magento_reward/points/invitation_order", "40")
    await set_config("magento_reward/points/invitation_order_limit", "2")
    await set_config("magento_reward/points/invitation_order_frequency", frequency)
    await make_product("SKU-A", "10.50")
    inviter = await make_customer()
    await invite(client, inviter, "bea@example.com")
    invitation = await MagentoInvitation.get()
    code = codes.invitation_code(invitation.invitation_id, invitation.protection_code or "")
    assert (await gql(client, REGISTER, {"code": code, "input": account()})).errors == []
    # Three paid orders (each moved to processing, then complete: paid once each, on complete).
    for number in ("H-1", "H-2", "H-3"):
        await pay(client, admin_token, "bea@example.com", number)
    reward = await MagentoReward.get(customer_id=inviter.entity_id)
    deltas = (
        await MagentoRewardHistory.filter(reward_id=reward.reward_id)
        .order_by("history_id")
        .values_list("points_delta", flat=True)
    )
    assert list(deltas) == expected
    assert reward.points_balance == sum(expected)
