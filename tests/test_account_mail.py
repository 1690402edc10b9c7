"""The customer account as Venia uses it, with real e-mail: Venia's own operation documents
(PWA Studio 14: `@magento/peregrine` talons and `@magento/venia-ui` components), sent over HTTP.

E-mails go to the test's folder mailbox (`mail_folder`), except where a test starts a real SMTP
server (aiosmtpd) and points the app at it with `smtp://127.0.0.1:<port>`."""

from __future__ import annotations

import asyncio
import hashlib
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from prometheus_client import REGISTRY
from tortoise.context import TortoiseContext

from engine.clock import ManualClock
from graph.uids import encode_uid
from mageseg.app import create_app
from mageseg.settings import Settings
from models import CoreConfigData, CustomerAddressEntity, CustomerEntity, PasswordResetRequestEvent
from tests import transactions
from tests.factories import PASSWORD, make_address, make_customer, token_for
from tests.graphql import gql

# ---------------------------------------------------------------------------------------------
# Venia's documents, as its components send them
# ---------------------------------------------------------------------------------------------

CREATE_ACCOUNT = """
mutation CreateAccount(
    $email: String!
    $firstname: String!
    $lastname: String!
    $password: String!
    $is_subscribed: Boolean!
) {
    createCustomer(
        input: {
            email: $email
            firstname: $firstname
            lastname: $lastname
            password: $password
            is_subscribed: $is_subscribed
        }
    ) {
        # The createCustomer mutation returns a non-nullable CustomerOutput type
        # which requires that at least one of the sub fields be returned.
        customer {
            id
        }
    }
}
"""

GET_CUSTOMER_AFTER_CREATE = """
query GetCustomerAfterCreate {
    customer {
        id
        email
        firstname
        lastname
        is_subscribed
    }
}
"""

SIGN_IN = """
mutation SignIn($email: String!, $password: String!) {
    generateCustomerToken(email: $email, password: $password) {
        token
    }
}
"""

REQUEST_PASSWORD_RESET_EMAIL = """
mutation requestPasswordResetEmail($email: String!) {
    requestPasswordResetEmail(email: $email)
}
"""

RESET_PASSWORD = """
mutation resetPassword(
    $email: String!
    $token: String!
    $newPassword: String!
) {
    resetPassword(
        email: $email
        resetPasswordToken: $token
        newPassword: $newPassword
    )
}
"""

SET_CUSTOMER_INFORMATION = """
mutation SetCustomerInformation($customerInput: CustomerInput!) {
    updateCustomer(input: $customerInput) {
        # eslint-disable-next-line @graphql-eslint/require-id-when-available
        customer {
            ...AccountInformationPageFragment
        }
    }
}
fragment AccountInformationPageFragment on Customer {
    id
    firstname
    lastname
    email
}
"""

SET_NEWSLETTER_SUBSCRIPTION = """
mutation SetNewsletterSubscription($isSubscribed: Boolean!) {
    updateCustomer(input: { is_subscribed: $isSubscribed }) {
        customer {
            id
            is_subscribed
        }
    }
}
"""

# Venia's document carries `@connection(key: "updateCustomerAddress")`, a client-side directive
# that Apollo Client strips before sending: this is what reaches the server.
UPDATE_CUSTOMER_ADDRESS_IN_ADDRESS_BOOK = """
mutation UpdateCustomerAddressInAddressBook(
    $addressId: Int!
    $updated_address: CustomerAddressInput!
) {
    updateCustomerAddress(id: $addressId, input: $updated_address) {
        id
    }
}
"""

UPDATE_CUSTOMER_ADDRESS = """
mutation UpdateCustomerAddress(
    $addressId: Int!
    $address: CustomerAddressInput!
) {
    updateCustomerAddress(id: $addressId, input: $address) {
        id
    }
}
"""

DELETE_CUSTOMER_ADDRESS = """
mutation DeleteCustomerAddressFromAddressBook($addressId: Int!) {
    deleteCustomerAddress(id: $addressId)
}
"""

SUBMIT_CONTACT_FORM = """
mutation SubmitContactForm(
    $name: String!
    $email: String!
    $comment: String!
    $telephone: String
) {
    contactUs(
        input: {
            name: $name
            email: $email
            comment: $comment
            telephone: $telephone
        }
    ) {
        status
    }
}
"""

GET_STORE_CONFIG_FOR_CONTACT_US = """
query GetStoreConfigForContactUs {
    storeConfig {
        id
        contact_enabled
    }
}
"""

GET_COPYRIGHT = """
query storeConfigData {
    # eslint-disable-next-line @graphql-eslint/require-id-when-available
    storeConfig {
        store_code
        copyright
    }
}
"""

ACCOUNT_STORE_CONFIG = """
{
  storeConfig {
    store_code
    contact_enabled
    copyright
    customer_access_token_lifetime
    minimum_password_length
    required_character_classes_number
    newsletter_enabled
    product_canonical_tag
    category_canonical_tag
  }
}
"""

SAVE_CONFIG = """
mutation ($input: ConfigValueInput!) {
  adminSaveConfig(input: $input) { config { value } user_errors { code message path } }
}
"""

NEW_PASSWORD = "Brand-New-Pass9"
# Venia's reset page is `customer/account/createPassword/?token=...` on the store's base URL.
RESET_LINK = re.compile(
    r"http://localhost:8080/customer/account/createPassword/\?token=([0-9a-f]{32})"
)


# ---------------------------------------------------------------------------------------------
# Mailboxes
# ---------------------------------------------------------------------------------------------


def folder_messages(folder: Path) -> list[EmailMessage]:
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
    return str(cast(EmailMessage, part).get_content()).replace("\r\n", "\n")


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return cast(EmailMessage, part).get_content()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """What the test's SMTP server accepted."""

    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        self.messages.append(
            Received(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                message=cast(EmailMessage, message_from_bytes(content, policy=policy.default)),
            )
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server (aiosmtpd, on its own thread) and its port."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


T0 = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


def _app(settings: Settings, clock: ManualClock) -> web.Application:
    """No background runners: nothing here depends on them, and the clock jumps hours."""
    settings = replace(
        settings, time_in_process=False, refresh_in_process=False, webhooks_in_process=False
    )
    app = create_app(settings, manage_database=False, clock=clock)
    transactions.watch(app)
    return app


@pytest.fixture
def app(settings: Settings, db: TortoiseContext, clock: ManualClock) -> web.Application:
    return _app(settings, clock)


@pytest.fixture
async def smtp_client(
    aiohttp_client: Any,
    settings: Settings,
    db: TortoiseContext,
    clock: ManualClock,
    smtp_server: tuple[Inbox, int],
) -> Any:
    """The app sending through the test's SMTP server."""
    _, port = smtp_server
    return await aiohttp_client(_app(replace(settings, mail_url=f"smtp://127.0.0.1:{port}"), clock))


@pytest.fixture
async def down_client(
    aiohttp_client: Any, settings: Settings, db: TortoiseContext, clock: ManualClock
) -> Any:
    """The app pointed at an SMTP port nobody listens on."""
    return await aiohttp_client(
        _app(
            replace(settings, mail_url=f"smtp://127.0.0.1:{free_port()}", mail_timeout_seconds=2.0),
            clock,
        )
    )


def failed(template: str) -> float:
    return (
        REGISTRY.get_sample_value(
            "mageseg_mail_messages_total", {"template": template, "outcome": "failed"}
        )
        or 0.0
    )


async def save_config(client: Any, admin_token: str, path: str, value: str | None) -> None:
    response = await gql(
        client, SAVE_CONFIG, {"input": {"path": path, "value": value}}, token=admin_token
    )
    assert response.errors == []
    assert response.data["adminSaveConfig"]["user_errors"] == []  # type: ignore[index]


# ---------------------------------------------------------------------------------------------
# Creating an account
# ---------------------------------------------------------------------------------------------

NEW_ACCOUNT = {
    "email": "Nina.Park@Example.com",
    "firstname": "Nina",
    "lastname": "Park",
    "password": "Nina-Pass-2026",
    "is_subscribed": True,
}


async def test_venia_creates_an_account_and_the_welcome_email_is_in_the_mailbox(
    client: Any, mail_folder: Path
) -> None:
    created = await gql(client, CREATE_ACCOUNT, NEW_ACCOUNT)
    assert created.errors == []
    row = await CustomerEntity.get(email="nina.park@example.com")
    assert created.data == {"createCustomer": {"customer": {"id": encode_uid(row.entity_id)}}}

    (welcome,) = folder_messages(mail_folder)
    assert welcome["To"] == "Nina Park <nina.park@example.com>"
    assert welcome["From"] == "Owner <owner@example.com>"
    assert welcome["Subject"] == "Welcome to Main Website Store"
    assert text_of(welcome).splitlines()[:3] == ["Nina Park,", "", "Welcome to Main Website Store."]
    assert "Email: nina.park@example.com" in text_of(welcome)
    assert '<a href="http://localhost:8080/customer/account/">My Account</a>' in html_of(welcome)

    signed_in = await gql(
        client, SIGN_IN, {"email": NEW_ACCOUNT["email"], "password": NEW_ACCOUNT["password"]}
    )
    token = signed_in.data["generateCustomerToken"]["token"]  # type: ignore[index]
    me = await gql(client, GET_CUSTOMER_AFTER_CREATE, token=token)
    assert me.data == {
        "customer": {
            "id": encode_uid(row.entity_id),
            "email": "nina.park@example.com",
            "firstname": "Nina",
            "lastname": "Park",
            "is_subscribed": True,
        }
    }
    confirmed = await gql(client, "{ customer { is_confirmed } }", token=token)
    assert confirmed.data == {"customer": {"is_confirmed": True}}


async def test_create_customer_v2_agrees_and_sends_the_same_welcome(
    client: Any, mail_folder: Path
) -> None:
    created = await gql(
        client,
        """mutation { createCustomerV2(input: {email: "v2@example.com", firstname: "Vee",
        lastname: "Two", password: "Vee-Two-Pass1"}) { customer { email firstname } } }""",
    )
    assert created.data == {
        "createCustomerV2": {"customer": {"email": "v2@example.com", "firstname": "Vee"}}
    }
    (welcome,) = folder_messages(mail_folder)
    assert (welcome["To"], welcome["Subject"]) == (
        "Vee Two <v2@example.com>",
        "Welcome to Main Website Store",
    )


async def test_refused_account_writes_nothing_and_sends_nothing(
    client: Any, mail_folder: Path
) -> None:
    await make_customer("nina.park@example.com")
    taken = await gql(client, CREATE_ACCOUNT, NEW_ACCOUNT)
    assert taken.messages == [
        "A customer with the same email address already exists in an associated website."
    ]
    assert taken.categories == ["graphql-already-exists"]
    weak = await gql(
        client, CREATE_ACCOUNT, {**NEW_ACCOUNT, "email": "other@example.com", "password": "short"}
    )
    assert weak.messages == [
        "The password needs at least 8 characters. Create a new password and try again."
    ]
    no_name = await gql(
        client,
        'mutation { createCustomer(input: {email: "x@example.com", lastname: "X", '
        'password: "Xx-Pass-1234"}) { customer { id } } }',
    )
    assert no_name.messages == ["Required parameters are missing: First Name"]
    empty = await gql(client, "mutation { createCustomer(input: {}) { customer { id } } }")
    assert empty.messages == ['"input" value should be specified']
    assert await CustomerEntity.all().count() == 1
    assert folder_messages(mail_folder) == []


async def test_an_account_is_created_when_the_smtp_server_is_down(down_client: Any) -> None:
    before = failed("customer_create_account_email_template")
    created = await gql(down_client, CREATE_ACCOUNT, NEW_ACCOUNT)
    assert created.errors == []
    assert await CustomerEntity.filter(email="nina.park@example.com").count() == 1
    assert failed("customer_create_account_email_template") == before + 1


# ---------------------------------------------------------------------------------------------
# Password reset, through a real SMTP server
# ---------------------------------------------------------------------------------------------


async def test_password_reset_through_smtp_then_venia_sets_the_new_password(
    smtp_client: Any, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp_server
    customer = await make_customer("gary@example.com", firstname="Gary", lastname="O'Connor")
    old_token = await token_for(customer)

    asked = await gql(smtp_client, REQUEST_PASSWORD_RESET_EMAIL, {"email": "Gary@Example.com"})
    assert asked.errors == []
    assert asked.data == {"requestPasswordResetEmail": True}

    (received,) = inbox.messages
    assert received.mail_from == "support@example.com"
    assert received.rcpt_tos == ["gary@example.com"]
    assert received.message["Subject"] == "Reset your Main Website Store password"
    assert received.message["From"] == "CustomerSupport <support@example.com>"
    assert text_of(received.message).startswith("Gary O'Connor,\n")
    links = RESET_LINK.findall(text_of(received.message))
    assert len(links) == 1
    token = links[0]
    assert f'href="http://localhost:8080/customer/account/createPassword/?token={token}"' in (
        html_of(received.message)
    )
    # Only the token's digest is stored.
    row = await CustomerEntity.get(entity_id=customer.entity_id)
    assert row.rp_token == hashlib.sha256(token.encode()).hexdigest()
    assert row.rp_token_created_at == T0

    reset = await gql(
        smtp_client,
        RESET_PASSWORD,
        {"email": "gary@example.com", "token": token, "newPassword": NEW_PASSWORD},
    )
    assert reset.errors == []
    assert reset.data == {"resetPassword": True}

    signed_in = await gql(
        smtp_client, SIGN_IN, {"email": "gary@example.com", "password": NEW_PASSWORD}
    )
    assert signed_in.errors == []
    old = await gql(smtp_client, SIGN_IN, {"email": "gary@example.com", "password": PASSWORD})
    assert old.categories == ["graphql-authentication"]
    # Every token of the customer was revoked.
    revoked = await gql(smtp_client, "{ customer { email } }", token=old_token)
    assert revoked.categories == ["graphql-authentication"]

    # Single use.
    again = await gql(
        smtp_client,
        RESET_PASSWORD,
        {"email": "gary@example.com", "token": token, "newPassword": "Another-Pass-77"},
    )
    assert again.messages == ["The password token is mismatched. Reset and try again."]
    assert again.categories == ["graphql-input"]


async def test_reset_link_lifetime_and_request_limits(
    client: Any, clock: ManualClock, mail_folder: Path, admin_token: str
) -> None:
    """Magento's defaults: a link lives 2 hours; 10 minutes between requests (by IP and e-mail);
    at most 5 accepted requests an hour."""
    await make_customer("gary@example.com")
    assert (await gql(client, REQUEST_PASSWORD_RESET_EMAIL, {"email": "gary@example.com"})).data
    first = RESET_LINK.findall(text_of(folder_messages(mail_folder)[0]))[0]

    # 9 minutes later: too soon (Magento's GraphQL hides the reason behind this message).
    clock.advance(timedelta(minutes=9))
    soon = await gql(client, REQUEST_PASSWORD_RESET_EMAIL, {"email": "gary@example.com"})
    assert soon.messages == ["Cannot reset the customer's password"]
    assert await PasswordResetRequestEvent.all().count() == 1

    # 10 minutes after the first: accepted, and the first link is replaced.
    clock.advance(timedelta(minutes=1))
    assert (await gql(client, REQUEST_PASSWORD_RESET_EMAIL, {"email": "gary@example.com"})).data
    second = RESET_LINK.findall(text_of(folder_messages(mail_folder)[1]))[0]
    replaced = await gql(
        client,
        RESET_PASSWORD,
        {"email": "gary@example.com", "token": first, "newPassword": NEW_PASSWORD},
    )
    assert replaced.messages == ["The password token is mismatched. Reset and try again."]

    # The second link was issued at T0+10min; at T0+10min+2h it has expired.
    clock.advance(timedelta(hours=2))
    expired = await gql(
        client,
        RESET_PASSWORD,
        {"email": "gary@example.com", "token": second, "newPassword": NEW_PASSWORD},
    )
    assert expired.messages == ["The password token is expired. Reset and try again."]

    # Without the minimum time: 5 requests in an hour pass, the 6th does not. The two above are
    # more than an hour old now (T0 and T0+10min, the clock at T0+2h10min).
    await save_config(client, admin_token, "RESET_MIN_MINUTES_BETWEEN", "0")
    answers = []
    for _ in range(6):
        clock.advance(timedelta(minutes=1))
        response = await gql(client, REQUEST_PASSWORD_RESET_EMAIL, {"email": "gary@example.com"})
        answers.append(response.data["requestPasswordResetEmail"] if response.data else None)
    assert answers == [True, True, True, True, True, None]
    assert await PasswordResetRequestEvent.all().count() == 7
    assert len(folder_messages(mail_folder)) == 7


async def test_password_reset_refusals(client: Any, mail_folder: Path) -> None:
    customer = await make_customer("gary@example.com")
    cases = [
        (REQUEST_PASSWORD_RESET_EMAIL, {"email": ""}, "You must specify an email address."),
        (
            REQUEST_PASSWORD_RESET_EMAIL,
            {"email": "not an email"},
            "The email address has an invalid format.",
        ),
        (
            REQUEST_PASSWORD_RESET_EMAIL,
            {"email": "nobody@example.com"},
            "Cannot reset the customer's password",
        ),
        (
            RESET_PASSWORD,
            {"email": "gary@example.com", "token": "", "newPassword": NEW_PASSWORD},
            "resetPasswordToken must be specified",
        ),
        (
            RESET_PASSWORD,
            {"email": "gary@example.com", "token": "abc", "newPassword": ""},
            "newPassword must be specified",
        ),
        (
            RESET_PASSWORD,
            {"email": "nobody@example.com", "token": "abc", "newPassword": NEW_PASSWORD},
            "Cannot set the customer's password",
        ),
        (
            RESET_PASSWORD,
            {"email": "gary@example.com", "token": "abc", "newPassword": NEW_PASSWORD},
            "The password token is mismatched. Reset and try again.",
        ),
    ]
    for document, variables, message in cases:
        response = await gql(client, document, variables)
        assert (response.messages, response.categories) == ([message], ["graphql-input"])
    assert await PasswordResetRequestEvent.all().count() == 0
    assert folder_messages(mail_folder) == []

    assert (await gql(client, REQUEST_PASSWORD_RESET_EMAIL, {"email": "gary@example.com"})).data
    token = RESET_LINK.findall(text_of(folder_messages(mail_folder)[0]))[0]
    weak = await gql(
        client,
        RESET_PASSWORD,
        {"email": "gary@example.com", "token": token, "newPassword": "gary@example.com"},
    )
    assert weak.messages == [
        "Minimum of different classes of characters in password is 3. Classes of characters: "
        "Lower Case, Upper Case, Digits, Special Characters."
    ]
    unchanged = await CustomerEntity.get(entity_id=customer.entity_id)
    assert unchanged.password_hash == customer.password_hash
    assert unchanged.rp_token is not None

    await CustomerEntity.filter(entity_id=customer.entity_id).update(
        lock_expires=T0 + timedelta(minutes=5)
    )
    locked = await gql(
        client,
        RESET_PASSWORD,
        {"email": "gary@example.com", "token": token, "newPassword": NEW_PASSWORD},
    )
    assert locked.messages == ["The account is locked"]


async def test_reset_email_not_sent_answers_false_and_the_link_stays_valid(
    down_client: Any,
) -> None:
    await make_customer("gary@example.com")
    before = failed("customer_password_forgot_email_template")
    asked = await gql(down_client, REQUEST_PASSWORD_RESET_EMAIL, {"email": "gary@example.com"})
    assert asked.errors == []
    assert asked.data == {"requestPasswordResetEmail": False}
    assert failed("customer_password_forgot_email_template") == before + 1
    row = await CustomerEntity.get(email="gary@example.com")
    assert row.rp_token is not None


# ---------------------------------------------------------------------------------------------
# Account information and address book
# ---------------------------------------------------------------------------------------------


async def test_venia_edits_account_information(client: Any) -> None:
    customer = await make_customer("gary@example.com", firstname="Gary", lastname="Oak")
    token = await token_for(customer)
    renamed = await gql(
        client,
        SET_CUSTOMER_INFORMATION,
        {
            "customerInput": {
                "firstname": "Garrett",
                "lastname": "Oakes",
                "email": "gary@example.com",
            }
        },
        token=token,
    )
    assert renamed.data == {
        "updateCustomer": {
            "customer": {
                "id": encode_uid(customer.entity_id),
                "firstname": "Garrett",
                "lastname": "Oakes",
                "email": "gary@example.com",
            }
        }
    }
    empty = await gql(client, SET_CUSTOMER_INFORMATION, {"customerInput": {}}, token=token)
    assert empty.messages == ['"input" value should be specified']
    no_password = await gql(
        client,
        SET_CUSTOMER_INFORMATION,
        {"customerInput": {"email": "garrett@example.com"}},
        token=token,
    )
    assert no_password.messages == ['Provide the current "password" to change "email".']
    wrong = await gql(
        client,
        SET_CUSTOMER_INFORMATION,
        {"customerInput": {"email": "garrett@example.com", "password": "Wrong-Pass-1"}},
        token=token,
    )
    assert wrong.messages == ["Invalid login or password."]
    moved = await gql(
        client,
        SET_CUSTOMER_INFORMATION,
        {"customerInput": {"email": "garrett@example.com", "password": PASSWORD}},
        token=token,
    )
    assert moved.data["updateCustomer"]["customer"]["email"] == "garrett@example.com"  # type: ignore[index]

    subscribed = await gql(client, SET_NEWSLETTER_SUBSCRIPTION, {"isSubscribed": True}, token=token)
    assert subscribed.data == {
        "updateCustomer": {
            "customer": {"id": encode_uid(customer.entity_id), "is_subscribed": True}
        }
    }


ADDRESS_INPUT = {
    "firstname": "Gary",
    "lastname": "Oak",
    "street": ["12 Elm St", "Apt 3"],
    "city": "Dallas",
    "region": {"region_id": 57},
    "postcode": "75201",
    "country_code": "US",
    "telephone": "5550199",
}


async def test_venia_address_book_updates_and_deletes_by_numeric_id(client: Any) -> None:
    customer = await make_customer("gary@example.com")
    default = await make_address(customer)
    spare = await make_address(customer, city="Houston")
    await CustomerEntity.filter(entity_id=customer.entity_id).update(
        default_billing=default.entity_id, default_shipping=default.entity_id
    )
    token = await token_for(customer)

    updated = await gql(
        client,
        UPDATE_CUSTOMER_ADDRESS_IN_ADDRESS_BOOK,
        {"addressId": spare.entity_id, "updated_address": ADDRESS_INPUT},
        token=token,
    )
    assert updated.data == {"updateCustomerAddress": {"id": spare.entity_id}}
    row = await CustomerAddressEntity.get(entity_id=spare.entity_id)
    assert (row.street, row.city, row.postcode) == ("12 Elm St\nApt 3", "Dallas", "75201")

    checkout = await gql(
        client,
        UPDATE_CUSTOMER_ADDRESS,
        {"addressId": default.entity_id, "address": {**ADDRESS_INPUT, "city": "Plano"}},
        token=token,
    )
    assert checkout.data == {"updateCustomerAddress": {"id": default.entity_id}}

    refused = await gql(
        client, DELETE_CUSTOMER_ADDRESS, {"addressId": default.entity_id}, token=token
    )
    assert refused.messages == [
        f"Customer Address {default.entity_id} is set as default billing address and cannot be "
        "deleted"
    ]
    missing = await gql(client, DELETE_CUSTOMER_ADDRESS, {"addressId": 999999}, token=token)
    assert missing.messages == ['Could not find an address with ID "999999"']
    assert missing.categories == ["graphql-no-such-entity"]
    zero = await gql(client, DELETE_CUSTOMER_ADDRESS, {"addressId": 0}, token=token)
    assert zero.messages == ['Address "id" value must be specified']

    stranger = await make_customer("stranger@example.com")
    theirs = await gql(
        client,
        DELETE_CUSTOMER_ADDRESS,
        {"addressId": spare.entity_id},
        token=await token_for(stranger),
    )
    assert theirs.messages == [
        f'Current customer does not have permission to address with ID "{spare.entity_id}"'
    ]

    deleted = await gql(
        client, DELETE_CUSTOMER_ADDRESS, {"addressId": spare.entity_id}, token=token
    )
    assert deleted.data == {"deleteCustomerAddress": True}
    assert await CustomerAddressEntity.filter(parent_id=customer.entity_id).count() == 1

    guest = await gql(client, DELETE_CUSTOMER_ADDRESS, {"addressId": default.entity_id})
    assert guest.messages == ["The current customer isn't authorized."]


# ---------------------------------------------------------------------------------------------
# Contact form
# ---------------------------------------------------------------------------------------------

CONTACT = {
    "name": "Wendy Dominguez",
    "email": "wendy@example.org",
    "comment": "Do you ship to Canada? <b>Thanks</b>",
    "telephone": "555-0142",
}


async def test_venia_contact_form_reaches_the_merchant_over_smtp(
    smtp_client: Any, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp_server
    config = await gql(smtp_client, GET_STORE_CONFIG_FOR_CONTACT_US)
    assert config.data == {"storeConfig": {"id": 1, "contact_enabled": True}}

    sent = await gql(smtp_client, SUBMIT_CONTACT_FORM, CONTACT)
    assert sent.data == {"contactUs": {"status": True}}
    (received,) = inbox.messages
    assert received.rcpt_tos == ["hello@example.com"]
    assert received.mail_from == "custom2@example.com"
    message = received.message
    assert message["Subject"] == "Contact Form"
    assert message["From"] == "Custom 2 <custom2@example.com>"
    assert message["Reply-To"] == "Wendy Dominguez <wendy@example.org>"
    assert text_of(message) == (
        "Name: Wendy Dominguez\nEmail: wendy@example.org\nPhone: 555-0142\n\nMessage\n"
        "Do you ship to Canada? <b>Thanks</b>\n"
    )
    assert "<p>Do you ship to Canada? &lt;b&gt;Thanks&lt;/b&gt;</p>" in html_of(message)


async def test_contact_form_refusals(
    client: Any, down_client: Any, admin_token: str, mail_folder: Path
) -> None:
    invalid = await gql(
        client,
        SUBMIT_CONTACT_FORM,
        {"name": " ", "email": "nope", "comment": "", "telephone": None},
    )
    assert invalid.messages == [
        "The email address is invalid. Verify the email address and try again."
    ]
    assert invalid.categories == ["graphql-input"]
    no_name = await gql(client, SUBMIT_CONTACT_FORM, {**CONTACT, "name": "  "})
    assert no_name.messages == ["Name field is required."]

    down = await gql(down_client, SUBMIT_CONTACT_FORM, CONTACT)
    assert down.messages == [
        "An error occurred while processing your form. Please try again later."
    ]

    await save_config(client, admin_token, "CONTACT_ENABLED", "0")
    closed = await gql(client, SUBMIT_CONTACT_FORM, CONTACT)
    assert closed.messages == ["The contact form is unavailable."]
    config = await gql(client, GET_STORE_CONFIG_FOR_CONTACT_US)
    assert config.data == {"storeConfig": {"id": 1, "contact_enabled": False}}
    assert folder_messages(mail_folder) == []


# ---------------------------------------------------------------------------------------------
# storeConfig
# ---------------------------------------------------------------------------------------------


async def test_store_config_account_fields_with_magento_defaults(client: Any) -> None:
    copyright_ = await gql(client, GET_COPYRIGHT)
    assert copyright_.data == {
        "storeConfig": {
            "store_code": "default",
            "copyright": "Copyright \u00a9 2013-present Magento, Inc. All rights reserved.",
        }
    }
    response = await gql(client, ACCOUNT_STORE_CONFIG)
    assert response.data == {
        "storeConfig": {
            "store_code": "default",
            "contact_enabled": True,
            "copyright": "Copyright \u00a9 2013-present Magento, Inc. All rights reserved.",
            # The PWA module's value: oauth/access_token_lifetime/customer (1 hour) in seconds.
            "customer_access_token_lifetime": 3600.0,
            "minimum_password_length": "8",
            "required_character_classes_number": "3",
            "newsletter_enabled": True,
            "product_canonical_tag": False,
            "category_canonical_tag": False,
        }
    }


async def test_store_config_account_fields_follow_the_settings(
    client: Any, admin_token: str
) -> None:
    for path, value in (
        ("COPYRIGHT", "(c) Demo Outfitters"),
        ("PASSWORD_MIN_LENGTH", "12"),
        ("PASSWORD_CHARACTER_CLASSES", "4"),
        ("NEWSLETTER_ACTIVE", "0"),
        ("PRODUCT_CANONICAL_TAG", "1"),
        ("CATEGORY_CANONICAL_TAG", "1"),
    ):
        await save_config(client, admin_token, path, value)
    response = await gql(client, ACCOUNT_STORE_CONFIG)
    assert response.data == {
        "storeConfig": {
            "store_code": "default",
            "contact_enabled": True,
            "copyright": "(c) Demo Outfitters",
            "customer_access_token_lifetime": 3600.0,
            "minimum_password_length": "12",
            "required_character_classes_number": "4",
            "newsletter_enabled": False,
            "product_canonical_tag": True,
            "category_canonical_tag": True,
        }
    }
    assert await CoreConfigData.all().count() == 6
    refused = await gql(
        client,
        SAVE_CONFIG,
        {"input": {"path": "CONTACT_RECIPIENT", "value": "not-an-address"}},
        token=admin_token,
    )
    assert refused.data["adminSaveConfig"]["user_errors"] == [  # type: ignore[index]
        {
            "code": "INVALID",
            "message": '"not-an-address" is not a valid email address.',
            "path": "input.value",
        }
    ]


async def test_concurrent_reset_requests_pass_the_limit_once(
    client: Any,
    aiohttp_client: Any,
    settings: Settings,
    clock: ManualClock,
    mail_folder: Path,
) -> None:
    """Eight requests at once, through two application instances, for one account: the 10
    minutes between requests let exactly one through (the account's row lock serializes them on
    PostgreSQL, where the transactions interleave)."""
    await make_customer("gary@example.com")
    second = await aiohttp_client(_app(settings, clock))
    responses = await asyncio.gather(
        *(
            gql(
                (client, second)[i % 2], REQUEST_PASSWORD_RESET_EMAIL, {"email": "gary@example.com"}
            )
            for i in range(8)
        )
    )
    answers = sorted((r.data or {}).get("requestPasswordResetEmail") is True for r in responses)
    assert answers == [False] * 7 + [True]
    assert (
        sorted(m for r in responses for m in r.messages)
        == ["Cannot reset the customer's password"] * 7
    )
    assert await PasswordResetRequestEvent.all().count() == 1
    assert len(folder_messages(mail_folder)) == 1
