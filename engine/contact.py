"""The contact form: Magento_Contact's `contactUs` (ContactGraphQl), e-mailed to the store's
recipient (`contact/email/recipient_email`) from the contact sender identity, with the
shopper as Reply-To. Nothing is stored: the e-mail is the message."""

from __future__ import annotations

from dataclasses import dataclass

from engine.config import ConfigPath
from engine.customers import normalize_email
from engine.errors import InputInvalid, Problem, ProblemCode, Problems
from engine.mail import templates
from engine.mail.compose import compose
from engine.mail.mailer import Mailer
from engine.mail.message import Address
from engine.stores import StoresSnapshot, StoreView

UNAVAILABLE = "The contact form is unavailable."
EMAIL_INVALID = "The email address is invalid. Verify the email address and try again."
NAME_REQUIRED = "Name field is required."
COMMENT_REQUIRED = "Comment field is required."
NOT_SENT = "An error occurred while processing your form. Please try again later."


@dataclass(frozen=True)
class ContactForm:
    name: str
    email: str
    comment: str
    telephone: str | None = None


async def submit(
    form: ContactForm, store: StoreView, stores: StoresSnapshot, mailer: Mailer
) -> None:
    """Values are trimmed first; every problem is reported, in Magento's order."""
    if not stores.config_flag(ConfigPath.CONTACT_ENABLED, store):
        raise InputInvalid(Problem(ProblemCode.INVALID, UNAVAILABLE, "input"))
    name, comment = form.name.strip(), form.comment.strip()
    telephone = (form.telephone or "").strip()
    email = normalize_email(form.email)
    problems = Problems()
    if email is None:
        problems.add(ProblemCode.INVALID, EMAIL_INVALID, "input.email")
    if not name:
        problems.add(ProblemCode.REQUIRED, NAME_REQUIRED, "input.name")
    if not comment:
        problems.add(ProblemCode.REQUIRED, COMMENT_REQUIRED, "input.comment")
    problems.raise_if_any()
    assert email is not None
    recipient = stores.config_value(ConfigPath.CONTACT_RECIPIENT, store)
    message = compose(
        templates.CONTACT_FORM,
        store=store,
        stores=stores,
        sender=ConfigPath.CONTACT_IDENTITY,
        to=[Address("", recipient)],
        values={"name": name, "email": email, "telephone": telephone, "comment": comment},
        reply_to=Address(name, email),
    )
    if not await mailer.send(message):
        raise InputInvalid(Problem(ProblemCode.INVALID, NOT_SENT, "input"))
