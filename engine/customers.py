"""Customer accounts: Magento's AccountManagement and CustomerRepository.

Validation follows Magento's customer attributes and validators, with their messages: names
required and at most 255 characters (prefix and suffix 40, taxvat 50), names only of letters,
digits, spaces and a few punctuation marks (`Validator\\Name`), an e-mail valid and unique in
its website (or everywhere when accounts are shared globally), an ISO date of birth not in the
future, gender 1 (Male) or 2 (Female), and Magento's password strength rules. Every problem is
reported at once, and each write runs in one transaction that writes nothing when any problem
exists."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import Enum

from email_validator import EmailNotValidError, validate_email
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from engine import attributes, balance, newsletter
from engine.attributes import AttributeValueData, ParsedValue
from engine.auth import now, revoke_customer_tokens
from engine.balance import BalanceChange
from engine.config import ACCOUNT_SHARE_WEBSITE, ConfigPath
from engine.errors import (
    AlreadyExists,
    AuthenticationFailed,
    InputInvalid,
    NoSuchEntity,
    Problem,
    ProblemCode,
    Problems,
)
from engine.mail import templates
from engine.mail.compose import compose
from engine.mail.mailer import Mailer
from engine.mail.message import Address
from engine.pagination import Page, PageRequest, paginate
from engine.passwords import PasswordHasher, password_problems
from engine.rewards import actions as reward_actions
from engine.segments import events, membership
from engine.sessions import find_by_email, record_failure
from engine.stores import StoresSnapshot, StoreView
from models import CustomerEntity, CustomerGroup, EntityType
from models.groups import NOT_LOGGED_IN_GROUP_ID
from models.stores import ADMIN_WEBSITE_ID

EMAIL_EXISTS = "A customer with the same email address already exists in an associated website."
INVALID_LOGIN = "Invalid login or password."
ACCOUNT_LOCKED = "The account is locked."
MAX_PASSWORD_LENGTH = 256
# Magento's `Validator\Name` punctuation (comma, dash, underscore, period, quotes, ampersand).
NAME_EXTRA_CHARACTERS = frozenset(",-_.'\u2019`&")

# Magento's attribute labels and column lengths of the scalar customer fields.
LABELS = {
    "email": "Email",
    "prefix": "Name Prefix",
    "firstname": "First Name",
    "middlename": "Middle Name/Initial",
    "lastname": "Last Name",
    "suffix": "Name Suffix",
    "taxvat": "Tax/VAT Number",
}
MAX_LENGTHS = {
    "email": 255,
    "prefix": 40,
    "firstname": 255,
    "middlename": 255,
    "lastname": 255,
    "suffix": 40,
    "taxvat": 50,
}
NAME_FIELDS = ("prefix", "firstname", "middlename", "lastname", "suffix")
REQUIRED_FIELDS = ("email", "firstname", "lastname")
GENDERS = (1, 2)


class ConfirmationStatus(Enum):
    """Magento's `AccountManagementInterface::ACCOUNT_CONFIRM*` values."""

    CONFIRMED = "account_confirmed"
    REQUIRED = "account_confirmation_required"
    NOT_REQUIRED = "account_confirmation_not_required"


@dataclass(frozen=True)
class CustomerChanges:
    """What a caller sends; `None` leaves a value as it is, and an empty string clears an
    optional text (or the date of birth). The storefront never sets the admin-only fields."""

    email: str | None = None
    prefix: str | None = None
    firstname: str | None = None
    middlename: str | None = None
    lastname: str | None = None
    suffix: str | None = None
    dob: str | None = None
    dob_path: str = "input.date_of_birth"
    gender: int | None = None
    taxvat: str | None = None
    password: str | None = None
    allow_remote_shopping_assistance: bool | None = None
    is_subscribed: bool | None = None
    custom_attributes: Sequence[AttributeValueData] | None = None
    # Admin only.
    group_id: int | None = None
    website_id: int | None = None
    is_active: bool | None = None
    confirmed: bool | None = None
    store_credit: Sequence[BalanceChange] = field(default_factory=tuple)
    # Admin creation only, for integrators loading accounts from another system.
    created_at: datetime | None = None
    store_id: int | None = None


@dataclass(frozen=True)
class CustomerFilter:
    email: str | None = None
    email_partial: bool = False
    name: str | None = None
    name_partial: bool = False
    ids: Sequence[int] | None = None
    group_ids: Sequence[int] | None = None
    website_ids: Sequence[int] | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None


class SortField(Enum):
    EMAIL = "email"
    CREATED_AT = "created_at"
    LASTNAME = "lastname"


@dataclass(frozen=True)
class CustomerSort:
    field: SortField
    descending: bool = False


async def load_many(customer_ids: Sequence[int]) -> list[CustomerEntity | None]:
    """DataLoader batch: customers in the order asked, `None` where missing."""
    rows = {c.entity_id: c for c in await CustomerEntity.filter(entity_id__in=list(customer_ids))}
    return [rows.get(customer_id) for customer_id in customer_ids]


def not_found(customer_id: int, path: str = "uid") -> NoSuchEntity:
    return NoSuchEntity(
        Problem(ProblemCode.NOT_FOUND, f"No such entity with customerId = {customer_id}", path)
    )


async def get(customer_id: int, path: str = "uid") -> CustomerEntity:
    customer = await CustomerEntity.get_or_none(entity_id=customer_id)
    if customer is None:
        raise not_found(customer_id, path)
    return customer


def store_of(customer: CustomerEntity, stores: StoresSnapshot) -> StoreView:
    """The store view whose configuration applies to a customer: its own, else its website's
    default one."""
    website_id: int = customer.website_id  # type: ignore[attr-defined]
    store_id: int | None = customer.store_id  # type: ignore[attr-defined]
    return website_store(website_id, stores, store_id)


def website_store(
    website_id: int, stores: StoresSnapshot, store_id: int | None = None
) -> StoreView:
    candidates = [s for s in stores.stores if s.website.website_id == website_id]
    for store in candidates:
        if store.store_id == store_id:
            return store
    for store in candidates:
        if store.is_default_group and store.is_default_store:
            return store
    if candidates:
        return candidates[0]
    return stores.default_store()


def confirmation_status(customer: CustomerEntity, stores: StoresSnapshot) -> ConfirmationStatus:
    """Magento's `AccountManagement::getConfirmationStatus`, by the customer's website config."""
    if not stores.config_flag(ConfigPath.CONFIRM_ACCOUNT, store_of(customer, stores)):
        return ConfirmationStatus.NOT_REQUIRED
    if customer.confirmation is None:
        return ConfirmationStatus.CONFIRMED
    return ConfirmationStatus.REQUIRED


def _shared_globally(stores: StoresSnapshot, store: StoreView) -> bool:
    return stores.config_value(ConfigPath.ACCOUNT_SHARE_SCOPE, store) != ACCOUNT_SHARE_WEBSITE


def _valid_name(value: str) -> bool:
    return all(
        c.isalpha()
        or c.isdigit()
        or c.isspace()
        or unicodedata.category(c).startswith("M")
        or c in NAME_EXTRA_CHARACTERS
        for c in value
    )


def normalize_email(email: str) -> str | None:
    """The e-mail as stored (trimmed, lowercase), or `None` when it is not a valid address."""
    email = email.strip()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return None
    return email.lower()


async def email_taken(
    email: str, website_id: int, stores: StoresSnapshot, store: StoreView, exclude: int | None
) -> bool:
    query = CustomerEntity.filter(email=email)
    if not _shared_globally(stores, store):
        query = query.filter(website_id=website_id)
    if exclude is not None:
        query = query.exclude(entity_id=exclude)
    return await query.exists()


async def is_email_available(email: str, store: StoreView, stores: StoresSnapshot) -> bool:
    """The storefront's `isEmailAvailable`: free in this store's website (or anywhere, with
    global account sharing). As Magento 2.4.7+ (`AccountManagement::isEmailAvailable`), always
    true unless `checkout/options/enable_guest_checkout_login` is on: the answer would otherwise
    tell anyone which emails have accounts."""
    normalized = normalize_email(email)
    if normalized is None:
        raise InputInvalid(Problem(ProblemCode.INVALID, "Email is invalid", "email"))
    if not stores.config_flag(ConfigPath.GUEST_CHECKOUT_LOGIN, store):
        return True
    return await find_by_email(normalized, store, stores) is None


def new_password_problems(
    password: str, email: str, stores: StoresSnapshot, store: StoreView, path: str
) -> list[Problem]:
    """`AccountManagement::checkPasswordStrength` plus `checkPasswordDifferentFromEmail`."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return [
            Problem(
                ProblemCode.TOO_LONG,
                f"Please enter a password with at most {MAX_PASSWORD_LENGTH} characters.",
                path,
            )
        ]
    problems = password_problems(
        password,
        stores.config_int(ConfigPath.PASSWORD_MIN_LENGTH, store),
        stores.config_int(ConfigPath.PASSWORD_CHARACTER_CLASSES, store),
        path,
    )
    if password.lower() == email.lower():
        problems.append(
            Problem(
                ProblemCode.INVALID,
                "The password can't be the same as the email address. "
                "Create a new password and try again.",
                path,
            )
        )
    return problems


def _parse_dob(raw: str, path: str, problems: Problems) -> date | None:
    try:
        dob = date.fromisoformat(raw.strip())
    except ValueError:
        problems.add(
            ProblemCode.INVALID, '"Date of Birth" does not fit the entered date format.', path
        )
        return None
    if dob > now().date():
        problems.add(
            ProblemCode.INVALID, "The Date of Birth should not be greater than today.", path
        )
        return None
    return dob


@dataclass
class _Checked:
    problems: Problems
    email: str | None = None
    dob: date | None = None
    attributes: list[ParsedValue] = field(default_factory=list)


async def _validate(
    changes: CustomerChanges,
    customer: CustomerEntity | None,
    website_id: int,
    store: StoreView,
    stores: StoresSnapshot,
) -> _Checked:
    creating = customer is None
    checked = _Checked(Problems())
    problems = checked.problems
    for name in REQUIRED_FIELDS:
        value = getattr(changes, name)
        if (creating and value is None) or (value is not None and not value.strip()):
            problems.add(
                ProblemCode.REQUIRED,
                f"Required parameters are missing: {LABELS[name]}",
                f"input.{name}",
            )
    for name, limit in MAX_LENGTHS.items():
        value = getattr(changes, name)
        if value is None or not value.strip():
            continue
        if len(value.strip()) > limit:
            problems.add(
                ProblemCode.TOO_LONG,
                f'"{LABELS[name]}" length must be equal or less than {limit} characters.',
                f"input.{name}",
            )
        elif name in NAME_FIELDS and not _valid_name(value.strip()):
            problems.add(ProblemCode.INVALID, f"{LABELS[name]} is not valid!", f"input.{name}")
    email = customer.email if customer is not None else None
    if changes.email is not None and changes.email.strip() and len(changes.email.strip()) <= 255:
        email = normalize_email(changes.email)
        if email is None:
            problems.add(
                ProblemCode.INVALID, '"Email" is not a valid email address.', "input.email"
            )
        elif await email_taken(
            email, website_id, stores, store, None if customer is None else customer.entity_id
        ):
            problems.add(ProblemCode.ALREADY_EXISTS, EMAIL_EXISTS, "input.email")
    checked.email = email
    if changes.dob:
        checked.dob = _parse_dob(changes.dob, changes.dob_path, problems)
    if changes.gender is not None and changes.gender not in GENDERS:
        problems.add(ProblemCode.INVALID, '"Gender" is not a valid value.', "input.gender")
    if changes.password is not None:
        for problem in new_password_problems(
            changes.password, email or "", stores, store, "input.password"
        ):
            problems.add(problem.code, problem.message, problem.path)
    if changes.custom_attributes is not None or creating:
        parsed, attribute_problems = await attributes.validate(
            EntityType.CUSTOMER,
            changes.custom_attributes or (),
            "input.custom_attributes",
            creating=creating,
        )
        checked.attributes = parsed
        for problem in attribute_problems:
            problems.add(problem.code, problem.message, problem.path)
    if changes.group_id is not None:
        if changes.group_id == NOT_LOGGED_IN_GROUP_ID:
            problems.add(
                ProblemCode.INVALID,
                'The "NOT LOGGED IN" group cannot be assigned to a customer.',
                "input.group_uid",
            )
        elif not await CustomerGroup.exists(customer_group_id=changes.group_id):
            problems.add(
                ProblemCode.NOT_FOUND,
                f"No such entity with groupId = {changes.group_id}",
                "input.group_uid",
            )
    if changes.store_credit:
        for problem in await balance.validate(
            changes.store_credit,
            None if customer is None else customer.entity_id,
            website_id,
            stores,
            _shared_globally(stores, store),
            "input.store_credit",
        ):
            problems.add(problem.code, problem.message, problem.path)
    return checked


def _website_problem(website_id: int, stores: StoresSnapshot) -> Problem | None:
    if website_id != ADMIN_WEBSITE_ID and any(w.website_id == website_id for w in stores.websites):
        return None
    return Problem(
        ProblemCode.NOT_FOUND,
        f'Could not find a website with ID "{website_id}"',
        "input.website_uid",
    )


def _text(value: str | None) -> str | None:
    """An optional text as stored: trimmed, and NULL when empty."""
    if value is None:
        return None
    return value.strip() or None


def _assign(customer: CustomerEntity, changes: CustomerChanges, checked: _Checked) -> None:
    if checked.email is not None:
        customer.email = checked.email
    for name in ("firstname", "lastname"):
        value = getattr(changes, name)
        if value is not None:
            setattr(customer, name, value.strip())
    for name in ("prefix", "middlename", "suffix", "taxvat"):
        value = getattr(changes, name)
        if value is not None:
            setattr(customer, name, _text(value))
    if changes.dob is not None:
        customer.dob = checked.dob
    if changes.gender is not None:
        customer.gender = changes.gender
    if changes.allow_remote_shopping_assistance is not None:
        customer.allow_remote_shopping_assistance = changes.allow_remote_shopping_assistance
    if changes.group_id is not None:
        customer.group_id = changes.group_id
    if changes.is_active is not None:
        customer.is_active = changes.is_active


async def _save(customer: CustomerEntity) -> None:
    """Save; a concurrent request that took the e-mail first trips the (email, website) unique
    key, which is the same refusal as the check before."""
    try:
        await customer.save()
    except IntegrityError:
        raise AlreadyExists(
            Problem(ProblemCode.ALREADY_EXISTS, EMAIL_EXISTS, "input.email")
        ) from None


async def create(
    changes: CustomerChanges,
    store: StoreView,
    stores: StoresSnapshot,
    hasher: PasswordHasher,
    *,
    storefront: bool = False,
) -> CustomerEntity:
    """A new account in `store`'s website (or `changes.website_id`, for admins). Without a
    group it gets the store's configured default group; with confirmation required and a
    password, the account awaits e-mail confirmation (Magento confirms password-less accounts).
    An account created on the `storefront` earns the registration reward points (Magento's
    frontend-only `CustomerRegister` plugin: admins' and imports' accounts earn none)."""
    chosen = _chosen_store(changes.store_id, stores)
    if chosen is not None and changes.website_id is None:
        store = chosen
    website_id = store.website.website_id if changes.website_id is None else changes.website_id
    website_problem = _website_problem(website_id, stores)
    if website_problem is not None:
        raise NoSuchEntity(website_problem)
    if website_id != store.website.website_id:
        store = website_store(website_id, stores)
    password_hash = None
    async with in_transaction():
        checked = await _validate(changes, None, website_id, store, stores)
        if chosen is not None and chosen.website.website_id != website_id:
            checked.problems.add(
                ProblemCode.INVALID,
                f'The store view "{chosen.code}" is not in the customer\'s website.',
                "input.store_uid",
            )
        elif chosen is not None:
            store = chosen
        if changes.created_at is not None and changes.created_at > now():
            checked.problems.add(
                ProblemCode.INVALID,
                "The account creation date can't be in the future.",
                "input.created_at",
            )
        checked.problems.raise_if_any()
        if changes.password:
            password_hash = hasher.hash(changes.password)
        pending = (
            password_hash is not None
            and not changes.confirmed
            and stores.config_flag(ConfigPath.CONFIRM_ACCOUNT, store)
        )
        customer = CustomerEntity(
            website_id=website_id,
            store_id=store.store_id,
            created_in=store.name,
            group_id=stores.config_int(ConfigPath.DEFAULT_GROUP, store),
            password_hash=password_hash,
            confirmation=secrets.token_hex(16) if pending else None,
        )
        if changes.created_at is not None:
            customer.created_at = changes.created_at  # kept: auto_now_add fills only a None
        _assign(customer, changes, checked)
        await _save(customer)
        await attributes.save(EntityType.CUSTOMER, customer.entity_id, checked.attributes)
        if changes.is_subscribed:
            await newsletter.set_customer_subscription(customer, True, store, stores)
        if changes.store_credit:
            await balance.apply(customer.entity_id, changes.store_credit, website_id, stores)
        if storefront:
            await reward_actions.registered(customer, store.store_id, stores)
        await membership.customer_event(customer.entity_id, _events_of(changes))
    return customer


def _chosen_store(store_id: int | None, stores: StoresSnapshot) -> StoreView | None:
    """The store view an admin names for a new account; the admin store view is none."""
    if store_id is None:
        return None
    for store in stores.stores:
        if store.store_id == store_id and store.website.website_id != ADMIN_WEBSITE_ID:
            return store
    raise NoSuchEntity(
        Problem(
            ProblemCode.NOT_FOUND, f'Could not find a store with ID "{store_id}"', "input.store_uid"
        )
    )


def _events_of(changes: CustomerChanges) -> list[str]:
    """The Magento events a customer save fires: its own, plus the subscriber's and the store
    credit's when those change with it."""
    fired = [events.CUSTOMER_SAVE]
    if changes.is_subscribed is not None:
        fired.append(events.NEWSLETTER_SAVE)
    if changes.store_credit:
        fired.append(events.BALANCE_SAVE)
    return fired


async def update(
    customer_id: int,
    changes: CustomerChanges,
    stores: StoresSnapshot,
    hasher: PasswordHasher,
    keep_token_id: int | None = None,
) -> CustomerEntity:
    """Change an account. A new password, a new e-mail or deactivation revoke the customer's
    tokens (except `keep_token_id`, the caller's own when the customer acts)."""
    async with in_transaction():
        customer = await get(customer_id)
        website_id: int = (
            customer.website_id if changes.website_id is None else changes.website_id  # type: ignore[attr-defined]
        )
        website_problem = _website_problem(website_id, stores)
        if website_problem is not None:
            raise NoSuchEntity(website_problem)
        store = store_of(customer, stores)
        if website_id != store.website.website_id:
            store = website_store(website_id, stores)
        checked = await _validate(changes, customer, website_id, store, stores)
        checked.problems.raise_if_any()
        old_email = customer.email
        _assign(customer, changes, checked)
        revoke = bool(changes.password) or customer.email != old_email or changes.is_active is False
        if changes.password:
            customer.password_hash = hasher.hash(changes.password)
        if changes.website_id is not None:
            customer.website_id = website_id
            customer.store_id = store.store_id
        if changes.confirmed is True:
            customer.confirmation = None
        elif changes.confirmed is False and customer.confirmation is None:
            customer.confirmation = secrets.token_hex(16)
        await _save(customer)
        await attributes.save(EntityType.CUSTOMER, customer.entity_id, checked.attributes)
        if customer.email != old_email:
            await newsletter.follow_email_change(customer)
        if changes.is_subscribed is not None:
            await newsletter.set_customer_subscription(
                customer, changes.is_subscribed, store, stores
            )
        if changes.store_credit:
            await balance.apply(customer.entity_id, changes.store_credit, website_id, stores)
        if revoke:
            await revoke_customer_tokens(customer.entity_id, keep_token_id)
        await membership.customer_event(customer.entity_id, _events_of(changes))
    return customer


def full_name(customer: CustomerEntity) -> str:
    """Magento's `CustomerNameGenerationInterface::getCustomerName`: prefix, first, middle and
    last name, suffix, separated by spaces."""
    parts = (customer.prefix, customer.firstname, customer.middlename, customer.lastname)
    return " ".join(p for p in (*parts, customer.suffix) if p)


async def register(
    changes: CustomerChanges,
    store: StoreView,
    stores: StoresSnapshot,
    hasher: PasswordHasher,
    mailer: Mailer,
) -> CustomerEntity:
    """The storefront's `createCustomer`: the account, then (after its transaction committed)
    Magento's welcome e-mail from the customer's store view. A mail failure is logged and
    counted, and the account stays, as Magento's `AccountManagement::sendEmailConfirmation`.
    An account that awaits confirmation gets no welcome e-mail (the confirmation e-mail is not
    sent by mageseg yet)."""
    customer = await create(changes, store, stores, hasher, storefront=True)
    await send_welcome(customer, store, stores, mailer)
    return customer


async def send_welcome(
    customer: CustomerEntity, store: StoreView, stores: StoresSnapshot, mailer: Mailer
) -> None:
    """Magento's welcome e-mail for a new storefront account, from the customer's store view;
    none for an account that awaits confirmation. Call it after the account's transaction."""
    if customer.confirmation is not None:
        return
    own_store = store_of(customer, stores)
    await mailer.send(
        compose(
            templates.WELCOME,
            store=own_store,
            stores=stores,
            sender=ConfigPath.WELCOME_EMAIL_IDENTITY,
            to=[Address(full_name(customer), customer.email)],
            values={
                "customer_name": full_name(customer),
                "customer_email": customer.email,
                "account_url": templates.StoreMail.of(own_store, stores).url("customer/account"),
            },
        )
    )


async def update_own(
    customer_id: int,
    changes: CustomerChanges,
    current_password: str | None,
    stores: StoresSnapshot,
    hasher: PasswordHasher,
    keep_token_id: int | None,
) -> CustomerEntity:
    """The deprecated storefront `updateCustomer`: as `updateCustomerV2`, and a new e-mail is
    accepted with the current password (`input.password`), as Magento's
    `UpdateCustomerAccount`; an unchanged e-mail needs none."""
    customer = await get(customer_id)
    if changes.email is not None and changes.email.strip().lower() != customer.email:
        if not current_password:
            raise InputInvalid(
                Problem(
                    ProblemCode.REQUIRED,
                    'Provide the current "password" to change "email".',
                    "input.password",
                )
            )
        await _check_password(customer, current_password, stores, hasher)
    else:
        changes = replace(changes, email=None)
    return await update(customer_id, changes, stores, hasher, keep_token_id)


async def _check_password(
    customer: CustomerEntity, password: str, stores: StoresSnapshot, hasher: PasswordHasher
) -> None:
    """Magento's `CheckCustomerPassword`: a wrong password counts towards the lockout."""
    if customer.lock_expires is not None and customer.lock_expires > now():
        raise AuthenticationFailed(Problem(ProblemCode.INVALID_CREDENTIALS, ACCOUNT_LOCKED))
    if not hasher.verify(customer.password_hash, password):
        await record_failure(customer, stores, store_of(customer, stores))
        raise AuthenticationFailed(Problem(ProblemCode.INVALID_CREDENTIALS, INVALID_LOGIN))


async def change_email(
    customer_id: int,
    email: str,
    password: str,
    stores: StoresSnapshot,
    hasher: PasswordHasher,
    keep_token_id: int | None,
) -> CustomerEntity:
    """The storefront's `updateCustomerEmail`. The password is checked first, so a wrong one
    never tells whether the new address is taken."""
    customer = await get(customer_id)
    if not password:
        raise InputInvalid(
            Problem(
                ProblemCode.REQUIRED,
                'Provide the current "password" to change "email".',
                "password",
            )
        )
    await _check_password(customer, password, stores, hasher)
    return await update(customer_id, CustomerChanges(email=email), stores, hasher, keep_token_id)


async def change_password(
    customer_id: int,
    current_password: str,
    new_password: str,
    stores: StoresSnapshot,
    hasher: PasswordHasher,
    keep_token_id: int | None,
) -> CustomerEntity:
    """The storefront's `changeCustomerPassword`; the customer's other tokens are revoked."""
    if not current_password.strip():
        raise InputInvalid(
            Problem(ProblemCode.REQUIRED, 'Specify the "currentPassword" value.', "currentPassword")
        )
    if not new_password.strip():
        raise InputInvalid(
            Problem(ProblemCode.REQUIRED, 'Specify the "newPassword" value.', "newPassword")
        )
    customer = await get(customer_id)
    await _check_password(customer, current_password, stores, hasher)
    problems = new_password_problems(
        new_password, customer.email, stores, store_of(customer, stores), "newPassword"
    )
    if problems:
        raise InputInvalid(problems)
    async with in_transaction():
        customer = await CustomerEntity.select_for_update().get(entity_id=customer_id)
        customer.password_hash = hasher.hash(new_password)
        customer.failures_num = 0
        customer.first_failure = None
        customer.lock_expires = None
        await customer.save()
        await revoke_customer_tokens(customer_id, keep_token_id)
        await membership.customer_event(customer_id, events.CUSTOMER_SAVE)
    return customer


async def delete(customer_id: int) -> CustomerEntity:
    """Delete an account; its addresses, attribute values, subscriptions, store credit and tokens
    go with it."""
    async with in_transaction():
        customer = await get(customer_id)
        await revoke_customer_tokens(customer_id)
        await membership.customer_deleted(customer_id)
        await customer.delete()
    return customer


def _name_query(text: str, partial: bool) -> Q:
    text = text.strip()
    if partial:
        return Q(firstname__icontains=text) | Q(lastname__icontains=text)
    query = Q(firstname__iexact=text) | Q(lastname__iexact=text)
    first, _, last = text.partition(" ")
    if last.strip():
        query |= Q(firstname__iexact=first) & Q(lastname__iexact=last.strip())
    return query


async def page(
    filter_: CustomerFilter, sort: Sequence[CustomerSort], request: PageRequest
) -> Page[CustomerEntity]:
    query = CustomerEntity.all()
    if filter_.email:
        text = filter_.email.strip().lower()
        query = (
            query.filter(email__icontains=text)
            if filter_.email_partial
            else query.filter(email=text)
        )
    if filter_.name and filter_.name.strip():
        query = query.filter(_name_query(filter_.name, filter_.name_partial))
    if filter_.ids is not None:
        query = query.filter(entity_id__in=list(filter_.ids))
    if filter_.group_ids is not None:
        query = query.filter(group_id__in=list(filter_.group_ids))
    if filter_.website_ids is not None:
        query = query.filter(website_id__in=list(filter_.website_ids))
    if filter_.created_from is not None:
        query = query.filter(created_at__gte=filter_.created_from)
    if filter_.created_to is not None:
        query = query.filter(created_at__lte=filter_.created_to)
    orderings = [f"-{s.field.value}" if s.descending else s.field.value for s in sort]
    return await paginate(query.order_by(*orderings, "entity_id"), request)


def parse_datetime(raw: str, path: str) -> datetime:
    """An ISO 8601 date or datetime for a filter; naive values are UTC."""
    try:
        parsed = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise InputInvalid(
            Problem(ProblemCode.INVALID, f'"{raw}" is not an ISO 8601 date or datetime.', path)
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
