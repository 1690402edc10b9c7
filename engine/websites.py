"""Websites (with their store group and store view) and configuration values, as admins
change them."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email
from tortoise.transactions import in_transaction

from engine.cache import Cache
from engine.config import ALL_COUNTRIES, RECAPTCHA_FORM_PATHS, ConfigPath, Scope
from engine.errors import NoSuchEntity, Problem, ProblemCode, Problems
from engine.invalidation import Topic, touch
from engine.mail.identities import IDENTITIES
from engine.mail.templates import INVITATION
from engine.stores import StoresSnapshot, invalidate_stores
from models import CoreConfigData, CustomerGroup, Store, StoreGroup, StoreWebsite
from models.stores import ADMIN_WEBSITE_ID

CODE_PATTERN_HELP = (
    "use lowercase letters (a-z), numbers (0-9) or underscore (_), starting with a letter"
)


@dataclass(frozen=True)
class WebsiteChanges:
    code: str | None = None
    name: str | None = None
    base_currency_code: str | None = None
    timezone: str | None = None
    # Only when creating: the store view that comes with the website.
    store_code: str | None = None
    store_name: str | None = None


def _valid_code(code: str) -> bool:
    return (
        bool(code)
        and code[0].isalpha()
        and all(c.islower() or c.isdigit() or c == "_" for c in code)
    )


async def _validate(
    changes: WebsiteChanges, website_id: int | None, currencies: frozenset[str]
) -> Problems:
    problems = Problems()
    creating = website_id is None
    for field, value, model in (
        ("code", changes.code, StoreWebsite),
        ("store_code", changes.store_code if creating else None, Store),
    ):
        if value is None:
            if creating:
                problems.add(ProblemCode.REQUIRED, f'"{field}" is required.', f"input.{field}")
            continue
        if len(value) > 32 or not _valid_code(value):
            problems.add(
                ProblemCode.INVALID,
                f'The {field} "{value}" is invalid: {CODE_PATTERN_HELP}, at most 32 characters.',
                f"input.{field}",
            )
            continue
        clash = model.filter(code=value)
        if website_id is not None and model is StoreWebsite:
            clash = clash.exclude(website_id=website_id)
        if await clash.exists():
            problems.add(
                ProblemCode.ALREADY_EXISTS,
                f'The {field} "{value}" is already used.',
                f"input.{field}",
            )
    if creating and not (changes.name or "").strip():
        problems.add(ProblemCode.REQUIRED, '"name" is required.', "input.name")
    if changes.base_currency_code is not None and changes.base_currency_code not in currencies:
        problems.add(
            ProblemCode.INVALID,
            f'The currency "{changes.base_currency_code}" is not a known currency code.',
            "input.base_currency_code",
        )
    if changes.timezone is not None and changes.timezone not in zoneinfo.available_timezones():
        problems.add(
            ProblemCode.INVALID,
            f'The timezone "{changes.timezone}" is not an IANA time zone.',
            "input.timezone",
        )
    return problems


async def create(changes: WebsiteChanges, cache: Cache, currencies: frozenset[str]) -> StoreWebsite:
    async with in_transaction():
        (await _validate(changes, None, currencies)).raise_if_any()
        website = await StoreWebsite.create(
            code=changes.code,
            name=(changes.name or "").strip(),
            base_currency_code=changes.base_currency_code or "USD",
            timezone=changes.timezone or "UTC",
            sort_order=0,
            default_group_id=0,
            is_default=False,
        )
        group = await StoreGroup.create(
            website_id=website.website_id,
            code=f"{changes.code}_store",
            name=f"{website.name} Store",
            root_category_id=0,
            default_store_id=0,
        )
        store = await Store.create(
            code=changes.store_code,
            website_id=website.website_id,
            group_id=group.group_id,
            name=changes.store_name or f"{website.name} Store View",
            sort_order=0,
            is_active=True,
            locale="en_US",
        )
        group.default_store_id = store.store_id
        await group.save()
        website.default_group_id = group.group_id
        await website.save()
        touch(Topic.SEGMENTS)  # segments read the websites' stores and timezones
    await invalidate_stores(cache)
    return website


async def update(
    website_id: int, changes: WebsiteChanges, cache: Cache, currencies: frozenset[str]
) -> StoreWebsite:
    async with in_transaction():
        website = await StoreWebsite.get_or_none(website_id=website_id)
        if website is None or website_id == ADMIN_WEBSITE_ID:
            raise NoSuchEntity(
                Problem(
                    ProblemCode.NOT_FOUND, f'Could not find a website with ID "{website_id}"', "uid"
                )
            )
        (await _validate(changes, website_id, currencies)).raise_if_any()
        for field in ("code", "name", "base_currency_code", "timezone"):
            value = getattr(changes, field)
            if value is not None:
                setattr(website, field, value.strip() if field == "name" else value)
        await website.save()
        touch(Topic.SEGMENTS)
    await invalidate_stores(cache)
    return website


FLAGS = frozenset(
    {
        ConfigPath.CONFIRM_ACCOUNT,
        ConfigPath.SHARE_CUSTOMER_GROUP,
        ConfigPath.ACCOUNT_SHARE_SCOPE,
        ConfigPath.NEWSLETTER_ACTIVE,
        ConfigPath.NEWSLETTER_GUEST_SUBSCRIBE,
        ConfigPath.NEWSLETTER_CONFIRM,
        ConfigPath.SHARE_ACTIVE_SEGMENTS,
        ConfigPath.SHARE_APPLIED_CART_RULE,
        ConfigPath.CATEGORY_PERMISSIONS_ENABLED,
        ConfigPath.REWARD_ENABLED,
        ConfigPath.REWARD_ENABLED_ON_FRONT,
        ConfigPath.REWARD_PUBLISH_HISTORY,
        ConfigPath.REWARD_REFUND_AUTOMATICALLY,
        ConfigPath.REWARD_DEDUCT_AUTOMATICALLY,
        ConfigPath.REWARD_POINTS_ORDER,
        ConfigPath.REWARD_SUBSCRIBE_BY_DEFAULT,
        ConfigPath.STORE_CREDIT_ENABLED,
        ConfigPath.STORE_CREDIT_SHOW_HISTORY,
        ConfigPath.CART_LINK_USE_QTY,
        ConfigPath.GIFT_MESSAGE_ALLOW_ORDER,
        ConfigPath.WISHLIST_ACTIVE,
        ConfigPath.MULTIPLE_WISHLISTS_ENABLED,
        ConfigPath.CONTACT_ENABLED,
        ConfigPath.PRODUCT_CANONICAL_TAG,
        ConfigPath.CATEGORY_CANONICAL_TAG,
        ConfigPath.GUEST_CHECKOUT_LOGIN,
        ConfigPath.FLATRATE_ACTIVE,
        ConfigPath.CHECKMO_ACTIVE,
        ConfigPath.FREE_PAYMENT_ACTIVE,
        ConfigPath.TAX_APPLY_AFTER_DISCOUNT,
        ConfigPath.SAVE_REWRITES_HISTORY,
        ConfigPath.SHOW_OUT_OF_STOCK,
        ConfigPath.INVITATION_ENABLED,
        ConfigPath.INVITATION_ENABLED_ON_FRONT,
        ConfigPath.INVITATION_USE_INVITER_GROUP,
        ConfigPath.INVITATION_REQUIRED,
        ConfigPath.INVITATION_ALLOW_MESSAGE,
    }
)
# Free text (names shown in e-mails and pages), e-mail addresses, and the e-mail senders
# ("identities") a setting may name.
TEXTS = frozenset(
    {
        ConfigPath.STORE_NAME,
        ConfigPath.COPYRIGHT,
        ConfigPath.IDENTITY_GENERAL_NAME,
        ConfigPath.IDENTITY_SALES_NAME,
        ConfigPath.IDENTITY_SUPPORT_NAME,
        ConfigPath.IDENTITY_CUSTOM1_NAME,
        ConfigPath.IDENTITY_CUSTOM2_NAME,
        ConfigPath.FLATRATE_TITLE,
        ConfigPath.FLATRATE_NAME,
        ConfigPath.CHECKMO_TITLE,
        ConfigPath.FREE_PAYMENT_TITLE,
        ConfigPath.PRODUCT_URL_SUFFIX,
        ConfigPath.CATEGORY_URL_SUFFIX,
        ConfigPath.CMS_HOME_PAGE,
        ConfigPath.TAX_DEFAULT_POSTCODE,
        ConfigPath.RECAPTCHA_V3_PUBLIC_KEY,
        ConfigPath.RECAPTCHA_V3_LANGUAGE,
    }
)
EMAILS = frozenset(
    {
        ConfigPath.CONTACT_RECIPIENT,
        ConfigPath.IDENTITY_GENERAL_EMAIL,
        ConfigPath.IDENTITY_SALES_EMAIL,
        ConfigPath.IDENTITY_SUPPORT_EMAIL,
        ConfigPath.IDENTITY_CUSTOM1_EMAIL,
        ConfigPath.IDENTITY_CUSTOM2_EMAIL,
    }
)
SENDERS = frozenset(
    {
        ConfigPath.WELCOME_EMAIL_IDENTITY,
        ConfigPath.FORGOT_EMAIL_IDENTITY,
        ConfigPath.CONTACT_IDENTITY,
        ConfigPath.INVITATION_EMAIL_IDENTITY,
    }
)
# Which reCAPTCHA a form uses: none (empty), v2 checkbox, v2 invisible or v3 invisible.
RECAPTCHA_TYPES = frozenset({"", "recaptcha", "invisible", "recaptcha_v3"})
# Settings that take one of a few words (Magento's source models).
CHOICES: dict[ConfigPath, frozenset[str]] = {
    ConfigPath.REWARD_EXPIRY_CALCULATION: frozenset({"static", "dynamic"}),
    ConfigPath.REWARD_POINTS_INVITATION_ORDER_FREQUENCY: frozenset({"*", "1"}),
    ConfigPath.FLATRATE_TYPE: frozenset({"I", "O"}),
    ConfigPath.TAX_BASED_ON: frozenset({"shipping", "billing", "origin"}),
    ConfigPath.RECAPTCHA_V3_POSITION: frozenset({"inline", "bottomright", "bottomleft"}),
    ConfigPath.INVITATION_EMAIL_TEMPLATE: frozenset({INVITATION}),
    # Which reCAPTCHA a form uses: none (empty), v2 checkbox, v2 invisible or v3 invisible.
    **dict.fromkeys(
        RECAPTCHA_FORM_PATHS, frozenset({"", "recaptcha", "invisible", "recaptcha_v3"})
    ),
}
# Amounts (non-negative, at most 4 decimals as `core_config_data` keeps Magento's prices).
AMOUNTS = frozenset({ConfigPath.FLATRATE_PRICE})
# One country code; a comma-separated list of country codes; of currency codes.
COUNTRIES = frozenset({ConfigPath.DEFAULT_COUNTRY, ConfigPath.TAX_DEFAULT_COUNTRY})
COUNTRY_LISTS = frozenset({ConfigPath.COUNTRIES_ALLOWED})
CURRENCY_LISTS = frozenset({ConfigPath.CURRENCIES_ALLOWED})
# Whole numbers that may also be left empty (Magento reads empty as "no limit" / "none").
OPTIONAL_NUMBERS = frozenset(
    {
        ConfigPath.REWARD_MIN_POINTS_BALANCE,
        ConfigPath.REWARD_MAX_POINTS_BALANCE,
        ConfigPath.REWARD_EXPIRATION_DAYS,
        ConfigPath.REWARD_POINTS_REGISTER,
        ConfigPath.REWARD_POINTS_NEWSLETTER,
        ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER,
        ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER_LIMIT,
        ConfigPath.REWARD_POINTS_INVITATION_ORDER,
        ConfigPath.REWARD_POINTS_INVITATION_ORDER_LIMIT,
        ConfigPath.REWARD_POINTS_REVIEW,
        ConfigPath.REWARD_POINTS_REVIEW_LIMIT,
    }
)
ALL_COUNTRY_CODES = frozenset(ALL_COUNTRIES.split(","))
# Category permission defaults: 0 no, 1 everyone, 2 the groups listed (comma-separated ids).
GRANT_MODES = frozenset(
    {
        ConfigPath.GRANT_CATEGORY_VIEW,
        ConfigPath.GRANT_PRODUCT_PRICE,
        ConfigPath.GRANT_CHECKOUT_ITEMS,
    }
)
GROUP_LISTS = frozenset(
    {
        ConfigPath.GRANT_CATEGORY_VIEW_GROUPS,
        ConfigPath.GRANT_PRODUCT_PRICE_GROUPS,
        ConfigPath.GRANT_CHECKOUT_ITEMS_GROUPS,
    }
)


def _is_amount(value: str) -> bool:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return False
    exponent = amount.as_tuple().exponent  # a letter for NaN and infinities
    return isinstance(exponent, int) and exponent >= -4 and amount >= 0


async def _validate_config_value(path: ConfigPath, value: str) -> None:
    problems = Problems()
    if path in FLAGS:
        if value not in {"0", "1"}:
            problems.add(ProblemCode.INVALID, f'"{path.value}" takes 0 or 1.', "input.value")
    elif path in GRANT_MODES:
        if value not in {"0", "1", "2"}:
            problems.add(ProblemCode.INVALID, f'"{path.value}" takes 0, 1 or 2.', "input.value")
    elif path in GROUP_LISTS:
        if value and not all(part.strip().isdigit() for part in value.split(",")):
            problems.add(
                ProblemCode.INVALID,
                f'"{path.value}" takes customer group ids separated by commas.',
                "input.value",
            )
    elif path is ConfigPath.CONFIGURABLE_THUMBNAIL_SOURCE:
        if value not in {"parent", "itself"}:
            problems.add(
                ProblemCode.INVALID, f'"{path.value}" takes parent or itself.', "input.value"
            )
    elif path in TEXTS:
        pass
    elif path in EMAILS:
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            problems.add(
                ProblemCode.INVALID, f'"{value}" is not a valid email address.', "input.value"
            )
    elif path in SENDERS:
        if value not in IDENTITIES:
            problems.add(
                ProblemCode.INVALID,
                f'"{path.value}" takes one of {", ".join(IDENTITIES)}.',
                "input.value",
            )
    elif path is ConfigPath.SECURE_BASE_URL:
        if not value.startswith(("http://", "https://")) or not value.endswith("/"):
            problems.add(
                ProblemCode.INVALID,
                f'"{path.value}" takes a URL starting with http:// or https:// and ending '
                'with "/".',
                "input.value",
            )
    elif path is ConfigPath.RESET_PROTECTION_TYPE:
        if value not in {"0", "1", "2", "3"}:
            problems.add(ProblemCode.INVALID, f'"{path.value}" takes 0, 1, 2 or 3.', "input.value")
    elif path in CHOICES:
        if value not in CHOICES[path]:
            choices = " or ".join(f'"{c}"' for c in sorted(CHOICES[path]))
            problems.add(ProblemCode.INVALID, f'"{path.value}" takes {choices}.', "input.value")
    elif path in AMOUNTS:
        if not _is_amount(value):
            problems.add(ProblemCode.INVALID, f'"{path.value}" takes an amount.', "input.value")
    elif path in COUNTRIES:
        if value not in ALL_COUNTRY_CODES:
            problems.add(ProblemCode.INVALID, f'"{value}" is not a country code.', "input.value")
    elif path in COUNTRY_LISTS:
        unknown = [c for c in value.split(",") if c not in ALL_COUNTRY_CODES]
        if unknown:
            problems.add(
                ProblemCode.INVALID,
                f'"{path.value}" takes country codes separated by commas; not one: '
                f"{', '.join(unknown)}.",
                "input.value",
            )
    elif path in CURRENCY_LISTS:
        if not all(len(c) == 3 and c.isalpha() and c.isupper() for c in value.split(",")):
            problems.add(
                ProblemCode.INVALID,
                f'"{path.value}" takes currency codes separated by commas.',
                "input.value",
            )
    elif path in OPTIONAL_NUMBERS and value == "":
        pass
    elif path is ConfigPath.DEFAULT_DISPLAY_CURRENCY:
        if len(value) != 3 or not value.isupper():
            problems.add(ProblemCode.INVALID, f'"{value}" is not a currency code.', "input.value")
    elif not value.isdigit():
        problems.add(ProblemCode.INVALID, f'"{path.value}" takes a whole number.', "input.value")
    elif path is ConfigPath.DEFAULT_GROUP and (
        value == "0" or not await CustomerGroup.exists(customer_group_id=int(value))
    ):
        problems.add(
            ProblemCode.NOT_FOUND,
            f"No such customer group {value} to make the default for new accounts.",
            "input.value",
        )
    problems.raise_if_any()


async def save_config(
    path: ConfigPath,
    value: str | None,
    website_id: int | None,
    stores: StoresSnapshot,
    cache: Cache,
) -> None:
    """Set (or, with `None`, remove) a value at default scope or for one website."""
    if website_id is not None:
        stores.website(website_id)
    if value is not None:
        await _validate_config_value(path, value)
    scope, scope_id = (Scope.DEFAULT, 0) if website_id is None else (Scope.WEBSITES, website_id)
    async with in_transaction():
        row = await CoreConfigData.get_or_none(
            scope=scope.value, scope_id=scope_id, path=path.value
        )
        if value is None:
            if row is not None:
                await row.delete()
        elif row is None:
            await CoreConfigData.create(
                scope=scope.value, scope_id=scope_id, path=path.value, value=value
            )
        else:
            row.value = value
            await row.save()
        touch(Topic.SEGMENTS)  # config that segments and storefront answers read
    await invalidate_stores(cache)
