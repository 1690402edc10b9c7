"""Store configuration for the storefront (`StoreConfig`), websites and settings for admins."""

from __future__ import annotations

from enum import Enum

import strawberry

from engine import gift_messages
from engine.config import ConfigPath
from engine.stores import StoresSnapshot, StoreView, WebsiteView
from graph.enums import described_enum
from graph.errors import UserError
from graph.limits import LONG_TEXT, length
from graph.uids import encode_uid


@strawberry.type(description="Contains information about a store's configuration.")
class StoreConfig:
    allow_gift_receipt: str | None = strawberry.field(
        description="Indicates if the gift sender has the option to send a gift receipt. "
        "Possible values: 1 (Yes) and 0 (No)."
    )
    allow_order: str | None = strawberry.field(
        description="The value of the Allow Gift Messages on Order Level option"
    )
    allow_printed_card: str | None = strawberry.field(
        description="Indicates if a printed card can accompany an order. Possible values: 1 "
        "(Yes) and 0 (No)."
    )
    base_currency_code: str | None = strawberry.field(description="The base currency code.")
    category_url_suffix: str | None = strawberry.field(
        description="The suffix applied to category pages, such as `.htm` or `.html`."
    )
    category_canonical_tag: bool | None = strawberry.field(
        description="Indicates whether category pages declare a canonical link "
        "(`catalog/seo/category_canonical_tag`; neither Adobe's nor the PWA module's schema "
        "declares it, Venia reads it)."
    )
    code: str | None = strawberry.field(
        description="A code assigned to the store to identify it.",
        deprecation_reason="Use `store_code` instead.",
    )
    configurable_thumbnail_source: str | None = strawberry.field(
        description="Indicates whether the `parent` or child (`itself`) thumbnail should be used "
        "in the cart for configurable products."
    )
    contact_enabled: bool = strawberry.field(
        description="Indicates whether the Contact Us form in enabled."
    )
    copyright: str | None = strawberry.field(
        description="The copyright statement that appears at the bottom of each page."
    )
    customer_access_token_lifetime: float | None = strawberry.field(
        description="Customer access token lifetime, in seconds (the PWA module's: the "
        "configured hours times 3600)."
    )
    default_display_currency_code: str | None = strawberry.field(
        description="The default display currency code."
    )
    enable_multiple_wishlists: str | None = strawberry.field(
        description="Indicates whether customers can have multiple wish lists. Possible values: "
        "1 (Yes) and 0 (No)."
    )
    grid_per_page: int | None = strawberry.field(
        description="The default number of products per page in Grid View."
    )
    enable_guest_checkout_login: bool | None = strawberry.field(
        description="Configuration data from checkout/options/enable_guest_checkout_login: "
        "whether `isEmailAvailable` tells whether an account exists (off: it always answers "
        "true)."
    )
    graphql_share_customer_group: bool | None = strawberry.field(
        description="Configuration data from "
        "customer/account_information/graphql_share_customer_group"
    )
    id: int | None = strawberry.field(
        description="The ID number assigned to the store.",
        deprecation_reason="Use `store_code` instead.",
    )
    is_default_store: bool | None = strawberry.field(
        description="Indicates whether the store view has been designated as the default within "
        "the store group."
    )
    is_default_store_group: bool | None = strawberry.field(
        description="Indicates whether the store group has been designated as the default within "
        "the website."
    )
    locale: str | None = strawberry.field(description="The store locale.")
    magento_reward_general_is_enabled: str | None = strawberry.field(
        description=(
            "Indicates whether reward points functionality is enabled. Possible values: 1 "
            "(Enabled) and 0 (Disabled)."
        )
    )
    magento_reward_general_is_enabled_on_front: str | None = strawberry.field(
        description=(
            "Indicates whether reward points functionality is enabled on the storefront. Possible"
            " values: 1 (Enabled) and 0 (Disabled)."
        )
    )
    magento_reward_general_min_points_balance: str | None = strawberry.field(
        description=(
            "The minimum point balance customers must have before they can redeem them. A null "
            "value indicates no minimum."
        )
    )
    magento_reward_general_publish_history: str | None = strawberry.field(
        description=(
            "When enabled, customers can see a detailed history of their reward points. Possible "
            "values: 1 (Enabled) and 0 (Disabled)."
        )
    )
    magento_reward_points_invitation_customer: str | None = strawberry.field(
        description="The number of points for a referral when an invitee registers on the site."
    )
    magento_reward_points_invitation_customer_limit: str | None = strawberry.field(
        description=(
            "The maximum number of registration referrals that will qualify for rewards. A null "
            "value indicates no limit."
        )
    )
    magento_reward_points_invitation_order: str | None = strawberry.field(
        description=(
            "The number of points for a referral, when an invitee places their first order on the"
            " site."
        )
    )
    magento_reward_points_invitation_order_limit: str | None = strawberry.field(
        description=(
            "The number of order conversions that can earn points for the customer who sends the "
            "invitation. A null value indicates no limit."
        )
    )
    magento_reward_points_newsletter: str | None = strawberry.field(
        description=(
            "The number of points earned by registered customers who subscribe to a newsletter."
        )
    )
    magento_reward_points_order: str | None = strawberry.field(
        description=(
            "Indicates customers earn points for shopping according to the reward point exchange "
            "rate."
        )
    )
    magento_reward_points_register: str | None = strawberry.field(
        description="The number of points customer gets for registering."
    )
    magento_reward_points_review: str | None = strawberry.field(
        description="The number of points for writing a review."
    )
    magento_reward_points_review_limit: str | None = strawberry.field(
        description=(
            "The maximum number of reviews that will qualify for the rewards. A null value "
            "indicates no limit."
        )
    )
    magento_wishlist_general_is_enabled: str | None = strawberry.field(
        description="Indicates whether wishlists are enabled (1) or disabled (0)."
    )
    maximum_number_of_wishlists: str | None = strawberry.field(
        description="If multiple wish lists are enabled, the maximum number of wish lists the "
        "customer can have."
    )
    minimum_password_length: str | None = strawberry.field(
        description="The minimum number of characters required for a valid password."
    )
    newsletter_enabled: bool = strawberry.field(
        description="Indicates whether newsletters are enabled."
    )
    product_canonical_tag: bool | None = strawberry.field(
        description="Indicates whether product pages declare a canonical link "
        "(`catalog/seo/product_canonical_tag`; neither Adobe's nor the PWA module's schema "
        "declares it, Venia reads it)."
    )
    product_url_suffix: str | None = strawberry.field(
        description="The suffix applied to product pages, such as `.htm` or `.html`."
    )
    required_character_classes_number: str | None = strawberry.field(
        description="The number of different character classes (lowercase, uppercase, digits, "
        "special characters) required in a password."
    )
    root_category_uid: strawberry.ID | None = strawberry.field(
        description="The unique ID for a `CategoryInterface` object."
    )
    secure_base_media_url: str | None = strawberry.field(
        description="The secure fully-qualified URL that specifies the location of media files."
    )
    share_active_segments: bool | None = strawberry.field(
        description="Configuration data from customer/magento_customersegment/share_active_segments"
    )
    share_applied_cart_rule: bool | None = strawberry.field(
        description="Configuration data from promo/graphql/share_applied_cart_rule"
    )
    store_code: strawberry.ID | None = strawberry.field(
        description="The unique ID of the store view."
    )
    store_group_code: strawberry.ID | None = strawberry.field(
        description="The unique ID assigned to the store group. In the Admin, this is called the "
        "Store Name."
    )
    store_group_name: str | None = strawberry.field(
        description="The label assigned to the store group."
    )
    store_name: str | None = strawberry.field(description="The label assigned to the store view.")
    store_sort_order: int | None = strawberry.field(description="The store view sort order.")
    timezone: str | None = strawberry.field(description="The time zone of the store.")
    website_code: strawberry.ID | None = strawberry.field(
        description="The unique ID for the website."
    )
    website_id: int | None = strawberry.field(
        description="The ID number assigned to the website store.",
        deprecation_reason="The field should not be used on the storefront.",
    )
    website_name: str | None = strawberry.field(description="The label assigned to the website.")

    @classmethod
    def of(
        cls,
        store: StoreView,
        stores: StoresSnapshot,
        media_url: str = "/media/",
        token_lifetime_seconds: float = 3600.0,
    ) -> StoreConfig:
        def flag(path: ConfigPath) -> bool:
            return stores.config_flag(path, store)

        def yes_no(path: ConfigPath) -> str:
            return "1" if flag(path) else "0"

        def reward(path: ConfigPath) -> str | None:
            """A `magento_reward/*` value as stored; null when it is not set."""
            return stores.config_value(path, store).strip() or None

        return cls(
            allow_gift_receipt=gift_messages.GIFT_RECEIPT_ALLOWED,
            allow_order=yes_no(ConfigPath.GIFT_MESSAGE_ALLOW_ORDER),
            allow_printed_card=gift_messages.PRINTED_CARD_ALLOWED,
            base_currency_code=store.website.base_currency_code,
            category_url_suffix=stores.config_value(ConfigPath.CATEGORY_URL_SUFFIX, store),
            category_canonical_tag=flag(ConfigPath.CATEGORY_CANONICAL_TAG),
            code=store.code,
            configurable_thumbnail_source=stores.config_value(
                ConfigPath.CONFIGURABLE_THUMBNAIL_SOURCE, store
            ),
            contact_enabled=flag(ConfigPath.CONTACT_ENABLED),
            copyright=stores.config_value(ConfigPath.COPYRIGHT, store) or None,
            customer_access_token_lifetime=token_lifetime_seconds,
            default_display_currency_code=stores.config_value(
                ConfigPath.DEFAULT_DISPLAY_CURRENCY, store
            ),
            enable_multiple_wishlists=yes_no(ConfigPath.MULTIPLE_WISHLISTS_ENABLED),
            grid_per_page=stores.config_int(ConfigPath.GRID_PER_PAGE, store),
            enable_guest_checkout_login=flag(ConfigPath.GUEST_CHECKOUT_LOGIN),
            graphql_share_customer_group=flag(ConfigPath.SHARE_CUSTOMER_GROUP),
            id=store.store_id,
            is_default_store=store.is_default_store,
            is_default_store_group=store.is_default_group,
            locale=store.locale,
            magento_reward_general_is_enabled=reward(ConfigPath.REWARD_ENABLED),
            magento_reward_general_is_enabled_on_front=reward(ConfigPath.REWARD_ENABLED_ON_FRONT),
            magento_reward_general_min_points_balance=reward(ConfigPath.REWARD_MIN_POINTS_BALANCE),
            magento_reward_general_publish_history=reward(ConfigPath.REWARD_PUBLISH_HISTORY),
            magento_reward_points_invitation_customer=reward(
                ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER
            ),
            magento_reward_points_invitation_customer_limit=reward(
                ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER_LIMIT
            ),
            magento_reward_points_invitation_order=reward(
                ConfigPath.REWARD_POINTS_INVITATION_ORDER
            ),
            magento_reward_points_invitation_order_limit=reward(
                ConfigPath.REWARD_POINTS_INVITATION_ORDER_LIMIT
            ),
            magento_reward_points_newsletter=reward(ConfigPath.REWARD_POINTS_NEWSLETTER),
            magento_reward_points_order=reward(ConfigPath.REWARD_POINTS_ORDER),
            magento_reward_points_register=reward(ConfigPath.REWARD_POINTS_REGISTER),
            magento_reward_points_review=reward(ConfigPath.REWARD_POINTS_REVIEW),
            magento_reward_points_review_limit=reward(ConfigPath.REWARD_POINTS_REVIEW_LIMIT),
            magento_wishlist_general_is_enabled=yes_no(ConfigPath.WISHLIST_ACTIVE),
            maximum_number_of_wishlists=stores.config_value(
                ConfigPath.MULTIPLE_WISHLISTS_NUMBER, store
            ),
            minimum_password_length=stores.config_value(ConfigPath.PASSWORD_MIN_LENGTH, store),
            newsletter_enabled=flag(ConfigPath.NEWSLETTER_ACTIVE),
            product_canonical_tag=flag(ConfigPath.PRODUCT_CANONICAL_TAG),
            required_character_classes_number=stores.config_value(
                ConfigPath.PASSWORD_CHARACTER_CLASSES, store
            ),
            product_url_suffix=stores.config_value(ConfigPath.PRODUCT_URL_SUFFIX, store),
            root_category_uid=strawberry.ID(encode_uid(store.root_category_id)),
            secure_base_media_url=media_url,
            share_active_segments=flag(ConfigPath.SHARE_ACTIVE_SEGMENTS),
            share_applied_cart_rule=flag(ConfigPath.SHARE_APPLIED_CART_RULE),
            store_code=strawberry.ID(store.code),
            store_group_code=strawberry.ID(store.group_code),
            store_group_name=store.group_name,
            store_name=store.name,
            store_sort_order=store.sort_order,
            timezone=store.website.timezone,
            website_code=strawberry.ID(store.website.code),
            website_id=store.website.website_id,
            website_name=store.website.name,
        )


@strawberry.type(description="A store view, as admins see it.")
class AdminStoreView:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the store view.")
    code: str = strawberry.field(description="The code clients send in the `Store` header.")
    name: str = strawberry.field(description="The store view's label.")
    is_active: bool = strawberry.field(description="Whether the storefront serves this view.")
    locale: str = strawberry.field(description="The store view's locale.")

    @classmethod
    def of(cls, store: StoreView) -> AdminStoreView:
        return cls(
            uid=strawberry.ID(encode_uid(store.store_id)),
            code=store.code,
            name=store.name,
            is_active=store.is_active,
            locale=store.locale,
        )


@strawberry.type(description="A website, as admins see it (admin token required).")
class Website:
    uid: strawberry.ID = strawberry.field(description="The unique ID of the website.")
    id: int = strawberry.field(description="Magento's numeric `website_id`.")
    code: str = strawberry.field(description="The website's code.")
    name: str = strawberry.field(description="The website's label.")
    base_currency_code: str = strawberry.field(description="The website's base currency.")
    timezone: str = strawberry.field(description="The website's IANA time zone.")
    is_default: bool = strawberry.field(description="Whether this is the default website.")
    store_views: list[AdminStoreView] = strawberry.field(description="The website's store views.")

    @classmethod
    def of(cls, website: WebsiteView, stores: StoresSnapshot) -> Website:
        return cls(
            uid=strawberry.ID(encode_uid(website.website_id)),
            id=website.website_id,
            code=website.code,
            name=website.name,
            base_currency_code=website.base_currency_code,
            timezone=website.timezone,
            is_default=website.is_default,
            store_views=[
                AdminStoreView.of(s)
                for s in stores.stores
                if s.website.website_id == website.website_id
            ],
        )


@strawberry.input(description="A new website, with its store group and first store view.")
class WebsiteCreateInput:
    code: str = strawberry.field(description="Lowercase letters, digits and underscores.")
    name: str = strawberry.field(metadata=length(64), description="The website's label.")
    base_currency_code: str | None = strawberry.field(
        metadata=length(3), default=None, description="USD when omitted."
    )
    timezone: str | None = strawberry.field(
        metadata=length(64), default=None, description="UTC when omitted."
    )
    store_code: str = strawberry.field(description="The code of the website's first store view.")
    store_name: str | None = strawberry.field(default=None, description="The store view's label.")


@strawberry.input(description="Changes to a website; omitted fields stay as they are.")
class WebsiteUpdateInput:
    code: str | None = strawberry.field(default=None, description="A new, unique code.")
    name: str | None = strawberry.field(
        metadata=length(64), default=None, description="A new label."
    )
    base_currency_code: str | None = strawberry.field(
        metadata=length(3), default=None, description="A currency code."
    )
    timezone: str | None = strawberry.field(
        metadata=length(64), default=None, description="An IANA time zone."
    )


@strawberry.type(description="The result of an admin mutation on a website.")
class WebsiteOutput:
    website: Website | None = strawberry.field(
        description="The website after the change; null when the input was refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


ConfigPathEnum = described_enum(
    "ConfigPathEnum",
    {path.name: (path.value, f"Magento's `{path.value}`.") for path in ConfigPath},
    "The Magento configuration settings mageseg reads.",
)


@strawberry.type(description="A configuration value as it applies at one scope.")
class ConfigValue:
    path: ConfigPathEnum = strawberry.field(description="The setting.")  # type: ignore[valid-type]
    value: str = strawberry.field(
        description="Its effective value: the website's own, else the default scope's, "
        "else Magento's default."
    )
    website_uid: strawberry.ID | None = strawberry.field(
        description="The website the value applies to; null for the default scope."
    )


@strawberry.input(description="Sets or clears one configuration value.")
class ConfigValueInput:
    path: ConfigPathEnum = strawberry.field(description="The setting.")  # type: ignore[valid-type]
    value: str | None = strawberry.field(
        metadata=LONG_TEXT,
        default=None,
        description="The new value; null removes it, so the broader scope applies.",
    )
    website_uid: strawberry.ID | None = strawberry.field(
        default=None, description="A website to set it for; the default scope when omitted."
    )


@strawberry.type(description="The result of saving a configuration value.")
class ConfigValueOutput:
    config: ConfigValue | None = strawberry.field(description="The value now in force.")
    user_errors: list[UserError] = strawberry.field(description="Every problem with the input.")


@strawberry.enum(description="The forms a storefront can protect with reCAPTCHA.")
class ReCaptchaFormEnum(Enum):
    PLACE_ORDER = strawberry.enum_value("PLACE_ORDER", description="Placing an order.")
    CONTACT = strawberry.enum_value("CONTACT", description="The contact form.")
    CUSTOMER_LOGIN = strawberry.enum_value("CUSTOMER_LOGIN", description="Signing in.")
    CUSTOMER_FORGOT_PASSWORD = strawberry.enum_value(
        "CUSTOMER_FORGOT_PASSWORD", description="Asking for a password reset."
    )
    CUSTOMER_CREATE = strawberry.enum_value("CUSTOMER_CREATE", description="Creating an account.")
    CUSTOMER_EDIT = strawberry.enum_value("CUSTOMER_EDIT", description="Editing the account.")
    NEWSLETTER = strawberry.enum_value("NEWSLETTER", description="Subscribing to the newsletter.")
    PRODUCT_REVIEW = strawberry.enum_value("PRODUCT_REVIEW", description="Writing a review.")
    SENDFRIEND = strawberry.enum_value("SENDFRIEND", description="Sending a product to a friend.")
    BRAINTREE = strawberry.enum_value("BRAINTREE", description="Paying with Braintree.")
    RESEND_CONFIRMATION_EMAIL = strawberry.enum_value(
        "RESEND_CONFIRMATION_EMAIL", description="Resending the confirmation e-mail."
    )


RECAPTCHA_FORMS: dict[ReCaptchaFormEnum, ConfigPath] = {
    ReCaptchaFormEnum.PLACE_ORDER: ConfigPath.RECAPTCHA_FOR_PLACE_ORDER,
    ReCaptchaFormEnum.CONTACT: ConfigPath.RECAPTCHA_FOR_CONTACT,
    ReCaptchaFormEnum.CUSTOMER_LOGIN: ConfigPath.RECAPTCHA_FOR_CUSTOMER_LOGIN,
    ReCaptchaFormEnum.CUSTOMER_FORGOT_PASSWORD: ConfigPath.RECAPTCHA_FOR_CUSTOMER_FORGOT_PASSWORD,
    ReCaptchaFormEnum.CUSTOMER_CREATE: ConfigPath.RECAPTCHA_FOR_CUSTOMER_CREATE,
    ReCaptchaFormEnum.CUSTOMER_EDIT: ConfigPath.RECAPTCHA_FOR_CUSTOMER_EDIT,
    ReCaptchaFormEnum.NEWSLETTER: ConfigPath.RECAPTCHA_FOR_NEWSLETTER,
    ReCaptchaFormEnum.PRODUCT_REVIEW: ConfigPath.RECAPTCHA_FOR_PRODUCT_REVIEW,
    ReCaptchaFormEnum.SENDFRIEND: ConfigPath.RECAPTCHA_FOR_SENDFRIEND,
    ReCaptchaFormEnum.BRAINTREE: ConfigPath.RECAPTCHA_FOR_BRAINTREE,
    ReCaptchaFormEnum.RESEND_CONFIRMATION_EMAIL: ConfigPath.RECAPTCHA_FOR_RESEND_CONFIRMATION,
}


@strawberry.type(description="Contains reCAPTCHA V3-Invisible configuration details.")
class ReCaptchaConfigurationV3:
    badge_position: str = strawberry.field(
        description="The position of the invisible reCAPTCHA badge on each page."
    )
    failure_message: str = strawberry.field(
        description="The message that appears to the user if validation fails."
    )
    forms: list[ReCaptchaFormEnum | None] = strawberry.field(
        description="A list of forms on the storefront that have been configured to use "
        "reCAPTCHA V3."
    )
    is_enabled: bool = strawberry.field(description="Return whether recaptcha is enabled or not")
    language_code: str | None = strawberry.field(
        description="A two-character code that specifies the language that is used for Google "
        "reCAPTCHA text and messaging."
    )
    website_key: str = strawberry.field(
        description="The website key generated when the Google reCAPTCHA account was registered."
    )

    @classmethod
    def of(cls, store: StoreView, stores: StoresSnapshot) -> ReCaptchaConfigurationV3:
        """Magento_ReCaptchaWebapiGraphQl: the forms whose type is `recaptcha_v3`; enabled when
        a key is set and at least one form uses it."""
        key = stores.config_value(ConfigPath.RECAPTCHA_V3_PUBLIC_KEY, store)
        forms = [
            form
            for form, path in RECAPTCHA_FORMS.items()
            if stores.config_value(path, store) == "recaptcha_v3"
        ]
        return cls(
            badge_position=stores.config_value(ConfigPath.RECAPTCHA_V3_POSITION, store),
            failure_message="reCAPTCHA verification failed.",
            forms=list(forms),
            is_enabled=bool(key) and bool(forms),
            language_code=stores.config_value(ConfigPath.RECAPTCHA_V3_LANGUAGE, store) or None,
            website_key=key,
        )
