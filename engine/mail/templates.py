"""Magento's e-mail templates that mageseg sends, rendered for one store view.

Each template keeps Magento's identifier (`customer/.../email_template` settings name them), its
subject and its wording; the layout is a plain header and footer instead of Magento's theme.
Values are escaped in the HTML part. Links are built on the store view's base URL
(`web/secure/base_url`) as Magento's `getUrl` builds them, e.g.
`https://shop.example.com/customer/account/createPassword/?token=...`."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from string import Template
from urllib.parse import urlencode

from engine.config import ConfigPath
from engine.stores import StoresSnapshot, StoreView

WELCOME = "customer_create_account_email_template"
PASSWORD_RESET = "customer_password_forgot_email_template"
CONTACT_FORM = "contact_email_email_template"
INVITATION = "magento_invitation_email_template"


@dataclass(frozen=True)
class StoreMail:
    """What every template reads from the store view it is sent for."""

    name: str
    base_url: str

    @classmethod
    def of(cls, store: StoreView, stores: StoresSnapshot) -> StoreMail:
        """Magento's `Store::getFrontendName`: the configured store name, else the store
        group's."""
        name = stores.config_value(ConfigPath.STORE_NAME, store).strip() or store.group_name
        base_url = stores.config_value(ConfigPath.SECURE_BASE_URL, store)
        return cls(name=name, base_url=base_url if base_url.endswith("/") else base_url + "/")

    def url(self, route: str, query: Mapping[str, str] | None = None) -> str:
        """`getUrl($store, route, [_query: ...])`: the route with its trailing slash."""
        url = self.base_url + route.strip("/") + "/"
        return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class MailTemplate:
    """`$name` placeholders; `html` is the body between the shared header and footer."""

    code: str
    subject: str
    text: str
    html: str

    def render(self, store: StoreMail, values: Mapping[str, str]) -> Rendered:
        plain = {"store_name": store.name, **values}
        escaped = {key: html.escape(value) for key, value in plain.items()}
        body = Template(self.html).substitute(escaped)
        return Rendered(
            subject=Template(self.subject).substitute(plain),
            text=Template(self.text).substitute(plain),
            html=_HTML_LAYOUT.substitute(
                title=html.escape(Template(self.subject).substitute(plain)),
                store_name=escaped["store_name"],
                store_url=html.escape(store.base_url),
                body=body,
            ),
        )


_HTML_LAYOUT = Template(
    """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>$title</title></head>
<body style="font-family: sans-serif; color: #333">
<p><a href="$store_url">$store_name</a></p>
$body
<p>$store_name</p>
</body></html>
"""
)

TEMPLATES: dict[str, MailTemplate] = {
    WELCOME: MailTemplate(
        code=WELCOME,
        subject="Welcome to $store_name",
        text="""$customer_name,

Welcome to $store_name.

To sign in to our site, use these credentials during checkout or on the My Account page
($account_url):

Email: $customer_email
Password: Password you set when creating account

When you sign in to your account, you will be able to:
- Proceed through checkout faster
- Check the status of orders
- View past orders
- Store alternative addresses (for shipping to multiple family members and friends)
""",
        html="""<p>$customer_name,</p>
<p>Welcome to $store_name.</p>
<p>To sign in to our site, use these credentials during checkout or on the
<a href="$account_url">My Account</a> page:</p>
<ul>
<li><strong>Email:</strong> $customer_email</li>
<li><strong>Password:</strong> <em>Password you set when creating account</em></li>
</ul>
<p>When you sign in to your account, you will be able to:</p>
<ul>
<li>Proceed through checkout faster</li>
<li>Check the status of orders</li>
<li>View past orders</li>
<li>Store alternative addresses (for shipping to multiple family members and friends)</li>
</ul>""",
    ),
    PASSWORD_RESET: MailTemplate(
        code=PASSWORD_RESET,
        subject="Reset your $store_name password",
        text="""$customer_name,

There was recently a request to change the password for your account.

If you requested this change, set a new password here:
$reset_url

If you did not make this request, you can ignore this email and your password will remain the
same.
""",
        html="""<p>$customer_name,</p>
<p>There was recently a request to change the password for your account.</p>
<p>If you requested this change, set a new password here:</p>
<p><a href="$reset_url">Set a New Password</a></p>
<p>If you did not make this request, you can ignore this email and your password will remain
the same.</p>""",
    ),
    CONTACT_FORM: MailTemplate(
        code=CONTACT_FORM,
        subject="Contact Form",
        text="""Name: $name
Email: $email
Phone: $telephone

Message
$comment
""",
        html="""<table>
<tr><th>Name</th><td>$name</td></tr>
<tr><th>Email</th><td>$email</td></tr>
<tr><th>Phone</th><td>$telephone</td></tr>
</table>
<p><strong>Message</strong></p>
<p>$comment</p>""",
    ),
    # Adobe Commerce `Magento_Invitation`: the wording is mageseg's (Magento's template was not
    # transcribed); its variables are Magento's (url, message, store, store_name, inviter_name)
    # and `invited_by`, the first sentence, which names the inviter when there is one.
    INVITATION: MailTemplate(
        code=INVITATION,
        subject="Invitation to $store_name",
        text="""Hello,

$invited_by
$message
To accept the invitation, create your account here:
$url
""",
        html="""<p>Hello,</p>
<p>$invited_by</p>
<p>$message</p>
<p>To accept the invitation, <a href="$url">create your account</a>.</p>""",
    ),
}
