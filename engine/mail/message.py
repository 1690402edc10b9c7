"""One e-mail, ready for a transport: who, what, in plain text and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


@dataclass(frozen=True)
class Address:
    name: str
    email: str

    def header(self) -> HeaderAddress:
        return HeaderAddress(display_name=self.name, addr_spec=self.email)


@dataclass(frozen=True)
class Message:
    """`template` names the Magento template it was rendered from (metrics and file names)."""

    template: str
    sender: Address
    to: tuple[Address, ...]
    subject: str
    text: str
    html: str
    reply_to: Address | None = None

    def to_email(self) -> EmailMessage:
        """A MIME message: text/plain with a text/html alternative."""
        email = EmailMessage()
        email["Subject"] = self.subject
        email["From"] = self.sender.header()
        email["To"] = [a.header() for a in self.to]
        if self.reply_to is not None:
            email["Reply-To"] = self.reply_to.header()
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = make_msgid(domain=self.sender.email.rpartition("@")[2] or None)
        email.set_content(self.text, cte=_transfer_encoding(self.text))
        email.add_alternative(self.html, subtype="html", cte=_transfer_encoding(self.html))
        return email


def _transfer_encoding(body: str) -> str:
    """Plain 7bit while the text allows it, so that links stay whole in the `.eml` file (a
    developer greps the reset token out of it); quoted-printable otherwise."""
    if body.isascii() and all(len(line) <= 998 for line in body.splitlines()):
        return "7bit"
    return "quoted-printable"
