"""Password reset by e-mail: Magento_Customer's `initiatePasswordReset` and `resetPassword`, with
Magento_Security's limits on how often a reset may be asked for, and Magento's GraphQL messages.

A request stores a fresh token's SHA-256 in `customer_entity.rp_token` (Magento stores the token
itself; a copy of the database then resets no password) with `rp_token_created_at`, and e-mails
the token in a link to `customer/account/createPassword/?token=...` on the customer's store view
(Venia's reset page reads it there). The token is good for
`customer/password/reset_link_expiration_period` hours and for one reset; a new request replaces
it. Accepted requests are logged in `password_reset_request_event`: a request is refused when the
last one from the same IP or for the same e-mail (`password_reset_protection_type`) is less than
`min_time_between_password_reset_requests` minutes old, or when
`max_number_password_reset_requests` were accepted in the last hour. Requests for one account are
serialized by a lock on its row, so two at once cannot both pass the limits."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from engine.auth import revoke_customer_tokens
from engine.clock import now
from engine.config import ACCOUNT_SHARE_WEBSITE, ConfigPath
from engine.customers import full_name, new_password_problems, normalize_email, store_of
from engine.errors import InputInvalid, Problem, ProblemCode
from engine.mail import templates
from engine.mail.compose import compose
from engine.mail.mailer import Mailer
from engine.mail.message import Address
from engine.passwords import PasswordHasher
from engine.segments import events, membership
from engine.stores import StoresSnapshot, StoreView
from models import CustomerEntity, PasswordResetRequestEvent
from models.security import CUSTOMER_PASSWORD_RESET_REQUEST

EMAIL_REQUIRED = "You must specify an email address."
EMAIL_INVALID = "The email address has an invalid format."
CANNOT_RESET = "Cannot reset the customer's password"
CANNOT_SET = "Cannot set the customer's password"
ACCOUNT_LOCKED = "The account is locked"
TOKEN_REQUIRED = "resetPasswordToken must be specified"
PASSWORD_REQUIRED = "newPassword must be specified"
TOKEN_MISMATCH = "The password token is mismatched. Reset and try again."
TOKEN_EXPIRED = "The password token is expired. Reset and try again."
# Magento_Security's ResetMethod options.
BY_IP_AND_EMAIL, BY_IP, BY_EMAIL = "1", "2", "3"
# Magento_Security counts requests over the last hour.
COUNTED_PERIOD = timedelta(hours=1)


def _refused(message: str, path: str = "email") -> InputInvalid:
    return InputInvalid(Problem(ProblemCode.INVALID, message, path))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _email(email: str) -> str:
    if not email.strip():
        raise InputInvalid(Problem(ProblemCode.REQUIRED, EMAIL_REQUIRED, "email"))
    normalized = normalize_email(email)
    if normalized is None:
        raise _refused(EMAIL_INVALID)
    return normalized


async def _locked_account(
    email: str, store: StoreView, stores: StoresSnapshot
) -> CustomerEntity | None:
    """The account the e-mail names in this store's scope, its row locked to the transaction."""
    query = CustomerEntity.filter(email=email)
    if stores.config_value(ConfigPath.ACCOUNT_SHARE_SCOPE, store) == ACCOUNT_SHARE_WEBSITE:
        query = query.filter(website_id=store.website.website_id)
    return await query.select_for_update().order_by("entity_id").first()


def _locked(customer: CustomerEntity, moment: datetime) -> bool:
    return customer.lock_expires is not None and customer.lock_expires > moment


async def _within_limits(
    email: str, ip: str, store: StoreView, stores: StoresSnapshot, moment: datetime
) -> bool:
    """Magento_Security's Frequency then Quantity checkers."""
    method = stores.config_value(ConfigPath.RESET_PROTECTION_TYPE, store)
    if method == BY_IP_AND_EMAIL:
        scope = Q(ip=ip) | Q(account_reference=email)
    elif method == BY_IP:
        scope = Q(ip=ip)
    elif method == BY_EMAIL:
        scope = Q(account_reference=email)
    else:
        return True
    events_ = PasswordResetRequestEvent.filter(scope, request_type=CUSTOMER_PASSWORD_RESET_REQUEST)
    between = timedelta(minutes=stores.config_int(ConfigPath.RESET_MIN_MINUTES_BETWEEN, store))
    if between and await events_.filter(created_at__gt=moment - between).exists():
        return False
    limit = stores.config_int(ConfigPath.RESET_MAX_REQUESTS, store)
    return not limit or await events_.filter(created_at__gt=moment - COUNTED_PERIOD).count() < limit


async def request_reset(
    email: str, ip: str, store: StoreView, stores: StoresSnapshot, mailer: Mailer
) -> bool:
    """The storefront's `requestPasswordResetEmail`. True once the e-mail is sent; False when the
    transport failed (the token stays valid, as in Magento, which answers false then too).

    Every refusal reads as Magento's GraphQL answers it: an unknown e-mail and a request over the
    limits are both "Cannot reset the customer's password"."""
    normalized = _email(email)
    token = secrets.token_hex(16)
    moment = now()
    async with in_transaction():
        customer = await _locked_account(normalized, store, stores)
        if customer is None:
            raise _refused(CANNOT_RESET)
        if _locked(customer, moment):
            raise _refused(ACCOUNT_LOCKED)
        if not await _within_limits(normalized, ip, store, stores, moment):
            raise _refused(CANNOT_RESET)
        await PasswordResetRequestEvent.create(
            request_type=CUSTOMER_PASSWORD_RESET_REQUEST,
            account_reference=normalized,
            created_at=moment,
            ip=ip[:45],
        )
        customer.rp_token = token_digest(token)
        customer.rp_token_created_at = moment
        await customer.save(update_fields=["rp_token", "rp_token_created_at"])
    own_store = store_of(customer, stores)
    name = full_name(customer)
    return await mailer.send(
        compose(
            templates.PASSWORD_RESET,
            store=own_store,
            stores=stores,
            sender=ConfigPath.FORGOT_EMAIL_IDENTITY,
            to=[Address(name, customer.email)],
            values={
                "customer_name": name,
                "reset_url": templates.StoreMail.of(own_store, stores).url(
                    "customer/account/createPassword", {"token": token}
                ),
            },
        )
    )


def _expired(created_at: datetime | None, hours: int, moment: datetime) -> bool:
    """Magento's `isResetPasswordLinkTokenExpired`: whole hours elapsed reach the period (a
    token dated in the future is expired too)."""
    if created_at is None or created_at > moment:
        return True
    return moment - created_at >= timedelta(hours=hours)


async def reset_password(
    email: str,
    token: str,
    new_password: str,
    store: StoreView,
    stores: StoresSnapshot,
    hasher: PasswordHasher,
) -> bool:
    """The storefront's `resetPassword`: the token must be the last one sent and not expired;
    the new password passes Magento's rules. The token is then spent, failed sign-ins are
    forgotten and every token of the customer is revoked."""
    normalized = _email(email)
    if not token:
        raise InputInvalid(Problem(ProblemCode.REQUIRED, TOKEN_REQUIRED, "resetPasswordToken"))
    if not new_password:
        raise InputInvalid(Problem(ProblemCode.REQUIRED, PASSWORD_REQUIRED, "newPassword"))
    moment = now()
    async with in_transaction():
        customer = await _locked_account(normalized, store, stores)
        if customer is None:
            raise _refused(CANNOT_SET)
        if _locked(customer, moment):
            raise _refused(ACCOUNT_LOCKED)
        if not customer.rp_token or not hmac.compare_digest(customer.rp_token, token_digest(token)):
            raise _refused(TOKEN_MISMATCH, "resetPasswordToken")
        own_store = store_of(customer, stores)
        hours = stores.config_int(ConfigPath.RESET_LINK_EXPIRATION_HOURS, own_store)
        if _expired(customer.rp_token_created_at, hours, moment):
            raise _refused(TOKEN_EXPIRED, "resetPasswordToken")
        problems = new_password_problems(
            new_password, customer.email, stores, own_store, "newPassword"
        )
        if problems:
            raise InputInvalid(problems)
        customer.password_hash = hasher.hash(new_password)
        customer.rp_token = None
        customer.rp_token_created_at = None
        customer.failures_num = 0
        customer.first_failure = None
        customer.lock_expires = None
        await customer.save(
            update_fields=[
                "password_hash",
                "rp_token",
                "rp_token_created_at",
                "failures_num",
                "first_failure",
                "lock_expires",
            ]
        )
        await revoke_customer_tokens(customer.entity_id)
        await membership.customer_event(customer.entity_id, events.CUSTOMER_SAVE)
    return True
