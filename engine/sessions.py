"""Signing in: Magento's `generateCustomerToken`, with its lockout after repeated failures.

Every failure gives the same message, so a caller cannot learn whether an e-mail is registered."""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from engine.auth import issue_customer_token, now
from engine.config import ACCOUNT_SHARE_WEBSITE, ConfigPath
from engine.errors import AuthenticationFailed, InputInvalid, Problem, ProblemCode
from engine.services import Services
from engine.stores import StoresSnapshot, StoreView
from models import CustomerEntity

SIGN_IN_FAILED = (
    "The account sign-in was incorrect or your account is disabled temporarily. "
    "Please wait and try again later."
)
NOT_CONFIRMED = "This account isn't confirmed. Verify and try again."


def _failed() -> AuthenticationFailed:
    return AuthenticationFailed(Problem(ProblemCode.INVALID_CREDENTIALS, SIGN_IN_FAILED))


async def find_by_email(
    email: str, store: StoreView, stores: StoresSnapshot
) -> CustomerEntity | None:
    """The account an e-mail names in this store's scope: per website, or global sharing."""
    query = CustomerEntity.filter(email=email.strip().lower())
    if stores.config_value(ConfigPath.ACCOUNT_SHARE_SCOPE, store) == ACCOUNT_SHARE_WEBSITE:
        query = query.filter(website_id=store.website.website_id)
    return await query.order_by("entity_id").first()


async def sign_in(
    email: str, password: str, store: StoreView, stores: StoresSnapshot, services: Services
) -> str:
    if not email.strip():
        raise InputInvalid(Problem(ProblemCode.REQUIRED, 'Specify the "email" value.', "email"))
    if not password:
        raise InputInvalid(
            Problem(ProblemCode.REQUIRED, 'Specify the "password" value.', "password")
        )
    customer = await find_by_email(email, store, stores)
    # Verify even without an account, so both paths take the same time.
    valid = services.passwords.verify(customer.password_hash if customer else None, password)
    if customer is None or not customer.is_active:
        raise _failed()
    moment = now()
    if customer.lock_expires is not None and customer.lock_expires > moment:
        raise _failed()
    if not valid:
        await record_failure(customer, stores, store)
        raise _failed()
    if customer.confirmation is not None:
        raise AuthenticationFailed(Problem(ProblemCode.INVALID_CREDENTIALS, NOT_CONFIRMED))
    # One transaction: the failure counter is reset (and an imported hash replaced) only with the
    # token issued.
    async with in_transaction():
        changed = []
        if customer.failures_num or customer.lock_expires is not None:
            customer.failures_num = 0
            customer.first_failure = None
            customer.lock_expires = None
            changed += ["failures_num", "first_failure", "lock_expires"]
        if customer.password_hash and services.passwords.needs_rehash(customer.password_hash):
            # A hash imported from Magento (or ours with older parameters) becomes ours now that
            # the password is known.
            customer.password_hash = services.passwords.hash(password)
            changed.append("password_hash")
        if changed:
            await customer.save(update_fields=changed)
        return await issue_customer_token(customer.entity_id, services.customer_token_lifetime)


async def record_failure(
    customer: CustomerEntity, stores: StoresSnapshot, store: StoreView
) -> None:
    """Magento's Authentication::processAuthenticationFailure: lock after N failures within the
    lockout window, for that window."""
    max_failures = stores.config_int(ConfigPath.LOCKOUT_FAILURES, store)
    window = timedelta(minutes=stores.config_int(ConfigPath.LOCKOUT_MINUTES, store))
    moment = now()
    async with in_transaction():
        fresh = await CustomerEntity.select_for_update().get(entity_id=customer.entity_id)
        if fresh.first_failure is None or moment - fresh.first_failure > window:
            fresh.first_failure = moment
            fresh.failures_num = 1
        else:
            fresh.failures_num += 1
        if max_failures and fresh.failures_num >= max_failures:
            fresh.lock_expires = moment + window
        await fresh.save(update_fields=["failures_num", "first_failure", "lock_expires"])
