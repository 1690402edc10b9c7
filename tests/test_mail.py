"""The mail module on its own: transports chosen by URL, the folder mailbox, SMTP against a real
server, Magento's templates rendered per store view, and the mailer's failure accounting."""

from __future__ import annotations

from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import cast

import pytest
from aiosmtpd.controller import Controller
from prometheus_client import REGISTRY

from engine.config import ConfigPath, Scope
from engine.mail import templates
from engine.mail.compose import compose
from engine.mail.mailer import Mailer
from engine.mail.message import Address, Message
from engine.mail.transports import (
    FolderMailbox,
    MailUrlInvalid,
    SmtpTransport,
    transport_from_url,
)
from engine.stores import StoresSnapshot, StoreView, WebsiteView
from mageseg import preflight
from tests.test_account_mail import Inbox, free_port

WEBSITE = WebsiteView(1, "base", "Main Website", "USD", "America/Chicago", True, 0)
STORE = StoreView(
    store_id=1,
    code="default",
    name="Default Store View",
    sort_order=0,
    locale="en_US",
    is_active=True,
    group_id=1,
    group_code="main_website_store",
    group_name="Main Website Store",
    is_default_store=True,
    is_default_group=True,
    website=WEBSITE,
)
FRENCH = replace(STORE, store_id=2, code="fr", name="French")


def snapshot(*values: tuple[str, int, ConfigPath, str]) -> StoresSnapshot:
    return StoresSnapshot(
        (WEBSITE,),
        (STORE, FRENCH),
        tuple(((scope, scope_id, path.value), value) for scope, scope_id, path, value in values),
    )


MESSAGE = Message(
    template="test_template",
    sender=Address("Owner", "owner@example.com"),
    to=(Address("Ann Lee", "ann@example.com"),),
    subject="Hello",
    text="Plain body\n",
    html="<p>HTML body</p>\n",
    reply_to=Address("Bob", "bob@example.org"),
)


# ---------------------------------------------------------------------------------------------
# Transports by URL
# ---------------------------------------------------------------------------------------------


def test_an_empty_url_is_the_default_folder_mailbox(tmp_path: Path) -> None:
    assert transport_from_url("", tmp_path / "mail") == FolderMailbox(tmp_path / "mail")
    assert transport_from_url("folder:///srv/mail", tmp_path) == FolderMailbox(Path("/srv/mail"))
    assert transport_from_url("folder://var/mail", tmp_path) == FolderMailbox(Path("var/mail"))


def test_smtp_urls() -> None:
    assert transport_from_url(
        "smtp://app%40shop:p%3Ass@mail.example.com:2525?starttls=require", Path(), 5.0
    ) == SmtpTransport(
        hostname="mail.example.com",
        port=2525,
        username="app@shop",
        password="p:ss",
        use_tls=False,
        start_tls=True,
        timeout=5.0,
    )
    assert transport_from_url("smtp://localhost", Path()) == SmtpTransport(
        "localhost", None, None, None, use_tls=False, start_tls=None, timeout=10.0
    )
    smtps = transport_from_url("smtps://mail.example.com", Path())
    assert smtps == SmtpTransport(
        "mail.example.com", None, None, None, use_tls=True, start_tls=False, timeout=10.0
    )
    assert smtps.describe() == "smtps://mail.example.com:465"
    assert transport_from_url("smtp://h?starttls=off", Path()).start_tls is False  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "imap://mail.example.com",
            "Unknown mail URL imap://...: use folder://PATH, smtp://host:port or "
            "smtps://host:port.",
        ),
        ("folder://", "A folder:// mail URL needs a path (folder://var/mail)."),
        ("smtp://h?starttls=maybe", 'starttls takes auto, require or off, not "maybe".'),
        ("smtp://h:port", "The mail URL's port is not a number."),
    ],
)
def test_bad_mail_urls_say_what_to_write(url: str, message: str) -> None:
    with pytest.raises(MailUrlInvalid) as raised:
        transport_from_url(url, Path())
    assert str(raised.value) == message


# ---------------------------------------------------------------------------------------------
# Delivery
# ---------------------------------------------------------------------------------------------


async def test_the_folder_mailbox_writes_one_eml_file_per_message(tmp_path: Path) -> None:
    mailbox = FolderMailbox(tmp_path / "mail")
    await mailbox.deliver(MESSAGE.to_email(), "test_template")
    (path,) = sorted((tmp_path / "mail").iterdir())
    assert path.name.endswith(".eml")
    assert "-test_template-" in path.name
    read = cast(EmailMessage, message_from_bytes(path.read_bytes(), policy=policy.default))
    assert (read["From"], read["To"], read["Reply-To"], read["Subject"]) == (
        "Owner <owner@example.com>",
        "Ann Lee <ann@example.com>",
        "Bob <bob@example.org>",
        "Hello",
    )
    assert read["Message-ID"].endswith("@example.com>")
    assert read.get_content_type() == "multipart/alternative"
    plain = read.get_body(preferencelist=("plain",))
    assert plain is not None
    assert cast(EmailMessage, plain).get_content() == "Plain body\n"


async def test_smtp_transport_delivers_to_a_real_server() -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mailer = Mailer(transport_from_url(f"smtp://127.0.0.1:{port}", Path()))
        assert await mailer.send(MESSAGE) is True
    finally:
        controller.stop()
    (received,) = inbox.messages
    assert received.mail_from == "owner@example.com"
    assert received.rcpt_tos == ["ann@example.com"]
    assert received.message["Subject"] == "Hello"


def _count(template: str, outcome: str) -> float:
    return (
        REGISTRY.get_sample_value(
            "mageseg_mail_messages_total", {"template": template, "outcome": outcome}
        )
        or 0.0
    )


async def test_a_failed_delivery_is_counted_and_answered_false(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the mailbox folder should be")
    sent, failed = _count("test_template", "sent"), _count("test_template", "failed")
    assert await Mailer(FolderMailbox(blocked)).send(MESSAGE) is False
    assert await Mailer(FolderMailbox(tmp_path / "ok")).send(MESSAGE) is True
    assert _count("test_template", "failed") == failed + 1
    assert _count("test_template", "sent") == sent + 1


# ---------------------------------------------------------------------------------------------
# Templates per store view
# ---------------------------------------------------------------------------------------------


def test_reset_email_per_store_view() -> None:
    """The store view's own name and base URL win over the website's and the default's."""
    stores = snapshot(
        (Scope.DEFAULT.value, 0, ConfigPath.SECURE_BASE_URL, "https://shop.example.com/"),
        (Scope.STORES.value, 2, ConfigPath.SECURE_BASE_URL, "https://fr.shop.example.com"),
        (Scope.STORES.value, 2, ConfigPath.STORE_NAME, "Boutique <FR>"),
        (Scope.WEBSITES.value, 1, ConfigPath.IDENTITY_SUPPORT_NAME, "Help Desk"),
    )
    values = {"customer_name": "Ann & Bob", "reset_url": "RESET"}
    default = compose(
        templates.PASSWORD_RESET,
        store=STORE,
        stores=stores,
        sender=ConfigPath.FORGOT_EMAIL_IDENTITY,
        to=[Address("Ann", "ann@example.com")],
        values=values,
    )
    assert default.subject == "Reset your Main Website Store password"
    assert default.sender == Address("Help Desk", "support@example.com")
    assert default.text.startswith("Ann & Bob,\n")
    assert '<p><a href="https://shop.example.com/">Main Website Store</a></p>' in default.html
    assert "<p>Ann &amp; Bob,</p>" in default.html

    french = compose(
        templates.PASSWORD_RESET,
        store=FRENCH,
        stores=stores,
        sender=ConfigPath.FORGOT_EMAIL_IDENTITY,
        to=[Address("Ann", "ann@example.com")],
        values=values,
    )
    assert french.subject == "Reset your Boutique <FR> password"
    assert "<title>Reset your Boutique &lt;FR&gt; password</title>" in french.html
    assert '<a href="https://fr.shop.example.com/">Boutique &lt;FR&gt;</a>' in french.html
    store_mail = templates.StoreMail.of(FRENCH, stores)
    assert store_mail.url("customer/account/createPassword", {"token": "ab12"}) == (
        "https://fr.shop.example.com/customer/account/createPassword/?token=ab12"
    )
    assert store_mail.url("/customer/account/") == "https://fr.shop.example.com/customer/account/"


def test_an_unknown_identity_falls_back_to_the_general_contact() -> None:
    stores = snapshot((Scope.DEFAULT.value, 0, ConfigPath.CONTACT_IDENTITY, "nobody"))
    message = compose(
        templates.CONTACT_FORM,
        store=STORE,
        stores=stores,
        sender=ConfigPath.CONTACT_IDENTITY,
        to=[Address("", "hello@example.com")],
        values={"name": "N", "email": "n@example.com", "telephone": "", "comment": "Hi"},
    )
    assert message.sender == Address("Owner", "owner@example.com")
    assert message.subject == "Contact Form"


def test_every_template_renders_with_its_values() -> None:
    needed = {
        templates.WELCOME: {"customer_name", "customer_email", "account_url"},
        templates.PASSWORD_RESET: {"customer_name", "reset_url"},
        templates.CONTACT_FORM: {"name", "email", "telephone", "comment"},
        templates.INVITATION: {"invited_by", "message", "url"},
    }
    assert set(needed) == set(templates.TEMPLATES)
    store = templates.StoreMail("Shop", "https://shop.example.com/")
    for code, names in needed.items():
        rendered = templates.TEMPLATES[code].render(store, {n: f"<{n}>" for n in names})
        for name in names:
            assert f"<{name}>" in rendered.text
            assert f"&lt;{name}&gt;" in rendered.html
        with pytest.raises(KeyError):
            templates.TEMPLATES[code].render(store, {})


async def test_links_stay_whole_in_the_eml_file_and_other_text_is_quoted_printable(
    tmp_path: Path,
) -> None:
    link = "http://localhost:8080/customer/account/createPassword/?token=" + "ab" * 16
    mailbox = FolderMailbox(tmp_path)
    await mailbox.deliver(replace(MESSAGE, text=f"{link}\n").to_email(), "ascii")
    await mailbox.deliver(replace(MESSAGE, text="Zoë\n").to_email(), "accented")
    ascii_file, accented_file = (_eml(tmp_path, name) for name in ("ascii", "accented"))
    assert link.encode() in ascii_file
    assert b"Content-Transfer-Encoding: quoted-printable" in accented_file
    assert b"Zo=C3=AB" in accented_file


def _eml(folder: Path, name: str) -> bytes:
    return next(folder.glob(f"*-{name}-*.eml")).read_bytes()


def test_a_bad_mail_url_stops_the_command_line_with_one_line() -> None:
    with pytest.raises(MailUrlInvalid) as raised:
        transport_from_url("pop3://mail.example.com", Path())
    wrapped = RuntimeError("start-up failed")
    assert preflight.explain(wrapped, "sqlite://x", None) is None
    wrapped.__cause__ = raised.value
    assert preflight.explain(wrapped, "sqlite://x", None) == (
        "error: MAGESEG_MAIL_URL: Unknown mail URL pop3://...: use folder://PATH, "
        "smtp://host:port or smtps://host:port."
    )
