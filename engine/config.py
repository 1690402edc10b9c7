"""Magento configuration paths this service reads, with Magento's defaults.

Values live in `core_config_data` by scope (default, websites, stores); a store-view lookup
falls back: store → website → default → the default declared here, as Magento's ScopeConfig does."""

from __future__ import annotations

from enum import StrEnum


class ConfigPath(StrEnum):
    DEFAULT_GROUP = "customer/create_account/default_group"
    CONFIRM_ACCOUNT = "customer/create_account/confirm"
    SHARE_CUSTOMER_GROUP = "customer/account_information/graphql_share_customer_group"
    ACCOUNT_SHARE_SCOPE = "customer/account_share/scope"
    PASSWORD_MIN_LENGTH = "customer/password/minimum_password_length"
    PASSWORD_CHARACTER_CLASSES = "customer/password/required_character_classes_number"
    LOCKOUT_FAILURES = "customer/password/lockout_failures"
    LOCKOUT_MINUTES = "customer/password/lockout_threshold"
    STREET_LINES = "customer/address/street_lines"
    NEWSLETTER_ACTIVE = "newsletter/general/active"
    NEWSLETTER_GUEST_SUBSCRIBE = "newsletter/subscription/allow_guest_subscribe"
    NEWSLETTER_CONFIRM = "newsletter/subscription/confirm"
    SHARE_ACTIVE_SEGMENTS = "customer/magento_customersegment/share_active_segments"
    SHARE_APPLIED_CART_RULE = "promo/graphql/share_applied_cart_rule"
    DEFAULT_DISPLAY_CURRENCY = "currency/options/default"
    # Magento 2.4.7+: off (the default), `isEmailAvailable` always answers true, so the storefront
    # cannot be used to find out which emails have accounts.
    GUEST_CHECKOUT_LOGIN = "checkout/options/enable_guest_checkout_login"
    # Carts (Magento's defaults): the flat-rate carrier, check / money order and zero-total payment,
    # and where tax is computed when a cart has no address yet.
    FLATRATE_ACTIVE = "carriers/flatrate/active"
    FLATRATE_PRICE = "carriers/flatrate/price"
    FLATRATE_TYPE = "carriers/flatrate/type"
    FLATRATE_TITLE = "carriers/flatrate/title"
    FLATRATE_NAME = "carriers/flatrate/name"
    CHECKMO_ACTIVE = "payment/checkmo/active"
    CHECKMO_TITLE = "payment/checkmo/title"
    FREE_PAYMENT_ACTIVE = "payment/free/active"
    FREE_PAYMENT_TITLE = "payment/free/title"
    TAX_BASED_ON = "tax/calculation/based_on"
    TAX_DEFAULT_COUNTRY = "tax/defaults/country"
    TAX_DEFAULT_REGION = "tax/defaults/region"
    TAX_DEFAULT_POSTCODE = "tax/defaults/postcode"
    # Cart price rules: tax on the row after its cart discount (Magento's default 1, "After
    # Discount"), and how many coupons a cart may hold (Adobe Commerce multicoupon; 1 = one).
    TAX_APPLY_AFTER_DISCOUNT = "tax/calculation/apply_after_discount"
    MAX_COUPONS = "sales/multicoupon/maximum_number_of_coupons_per_order"
    # Category permissions (Adobe Commerce `Magento_CatalogPermissions`): on/off, and each grant's
    # default where no category permission decides: 0 no, 1 everyone, 2 the groups listed.
    CATEGORY_PERMISSIONS_ENABLED = "catalog/magento_catalogpermissions/enabled"
    GRANT_CATEGORY_VIEW = "catalog/magento_catalogpermissions/grant_catalog_category_view"
    GRANT_CATEGORY_VIEW_GROUPS = (
        "catalog/magento_catalogpermissions/grant_catalog_category_view_groups"
    )
    GRANT_PRODUCT_PRICE = "catalog/magento_catalogpermissions/grant_catalog_product_price"
    GRANT_PRODUCT_PRICE_GROUPS = (
        "catalog/magento_catalogpermissions/grant_catalog_product_price_groups"
    )
    GRANT_CHECKOUT_ITEMS = "catalog/magento_catalogpermissions/grant_checkout_items"
    GRANT_CHECKOUT_ITEMS_GROUPS = "catalog/magento_catalogpermissions/grant_checkout_items_groups"
    # Storefront navigation: URL suffixes and rewrites history (Magento_CatalogUrlRewrite), the
    # CMS home page (Magento_Cms), listing defaults and layered navigation (Magento_Catalog),
    # stock display (Magento_CatalogInventory), directory and currencies, reCAPTCHA v3.
    PRODUCT_URL_SUFFIX = "catalog/seo/product_url_suffix"
    CATEGORY_URL_SUFFIX = "catalog/seo/category_url_suffix"
    SAVE_REWRITES_HISTORY = "catalog/seo/save_rewrites_history"
    CMS_HOME_PAGE = "web/default/cms_home_page"
    GRID_PER_PAGE = "catalog/frontend/grid_per_page"
    SHOW_OUT_OF_STOCK = "cataloginventory/options/show_out_of_stock"
    # Magento_ConfigurableProduct: whose thumbnail a configurable cart line shows, `parent` or
    # `itself` (the chosen child's).
    CONFIGURABLE_THUMBNAIL_SOURCE = "checkout/cart/configurable_product_image"
    COUNTRIES_ALLOWED = "general/country/allow"
    DEFAULT_COUNTRY = "general/country/default"
    CURRENCIES_ALLOWED = "currency/options/allow"
    # How long a cache in front of mageseg may keep a cacheable GET answer (Magento's full page
    # cache TTL, seconds).
    FULL_PAGE_CACHE_TTL = "system/full_page_cache/ttl"
    # The cart link's count (PWA Studio's `total_summary_quantity_including_config`): 1 the
    # quantities, 0 the number of lines.
    CART_LINK_USE_QTY = "checkout/cart_link/use_qty"
    # Gift messages (Magento_GiftMessage) on the order. Gift receipts, printed cards
    # and gift wrapping are Adobe Commerce's Magento_GiftWrapping, which mageseg does not have:
    # the storefront answers their "No" (`engine.gift_messages`).
    GIFT_MESSAGE_ALLOW_ORDER = "sales/gift_options/allow_order"
    # Wish lists (Magento_Wishlist) and several lists per customer (Adobe Commerce
    # Magento_MultipleWishlist).
    WISHLIST_ACTIVE = "wishlist/general/active"
    MULTIPLE_WISHLISTS_ENABLED = "wishlist/general/multiple_enabled"
    MULTIPLE_WISHLISTS_NUMBER = "wishlist/general/multiple_wishlist_number"
    RECAPTCHA_V3_PUBLIC_KEY = "recaptcha_frontend/type_recaptcha_v3/public_key"
    RECAPTCHA_V3_POSITION = "recaptcha_frontend/type_recaptcha_v3/position"
    RECAPTCHA_V3_LANGUAGE = "recaptcha_frontend/type_recaptcha_v3/lang"
    RECAPTCHA_FOR_PLACE_ORDER = "recaptcha_frontend/type_for/place_order"
    RECAPTCHA_FOR_CONTACT = "recaptcha_frontend/type_for/contact"
    RECAPTCHA_FOR_CUSTOMER_LOGIN = "recaptcha_frontend/type_for/customer_login"
    RECAPTCHA_FOR_CUSTOMER_FORGOT_PASSWORD = "recaptcha_frontend/type_for/customer_forgot_password"
    RECAPTCHA_FOR_CUSTOMER_CREATE = "recaptcha_frontend/type_for/customer_create"
    RECAPTCHA_FOR_CUSTOMER_EDIT = "recaptcha_frontend/type_for/customer_edit"
    RECAPTCHA_FOR_NEWSLETTER = "recaptcha_frontend/type_for/newsletter"
    RECAPTCHA_FOR_PRODUCT_REVIEW = "recaptcha_frontend/type_for/product_review"
    RECAPTCHA_FOR_SENDFRIEND = "recaptcha_frontend/type_for/sendfriend"
    RECAPTCHA_FOR_BRAINTREE = "recaptcha_frontend/type_for/braintree"
    RECAPTCHA_FOR_RESEND_CONFIRMATION = "recaptcha_frontend/type_for/resend_confirmation_email"
    # Invitations (Adobe Commerce `Magento_Invitation`, etc/config.xml).
    INVITATION_ENABLED = "magento_invitation/general/enabled"
    INVITATION_ENABLED_ON_FRONT = "magento_invitation/general/enabled_on_front"
    INVITATION_USE_INVITER_GROUP = "magento_invitation/general/registration_use_inviter_group"
    INVITATION_REQUIRED = "magento_invitation/general/registration_required_invitation"
    INVITATION_ALLOW_MESSAGE = "magento_invitation/general/allow_customer_message"
    INVITATION_MAX_PER_SEND = "magento_invitation/general/max_invitation_amount_per_send"
    INVITATION_EMAIL_IDENTITY = "magento_invitation/email/identity"
    INVITATION_EMAIL_TEMPLATE = "magento_invitation/email/template"
    # The customer account's e-mails and password reset (Magento_Customer, Magento_Security),
    # the contact form (Magento_Contact), the store's e-mail senders (Magento_Email's
    # "Store Email Addresses"), its name in e-mails and the base URL their links start with.
    STORE_NAME = "general/store_information/name"
    SECURE_BASE_URL = "web/secure/base_url"
    WELCOME_EMAIL_IDENTITY = "customer/create_account/email_identity"
    FORGOT_EMAIL_IDENTITY = "customer/password/forgot_email_identity"
    RESET_LINK_EXPIRATION_HOURS = "customer/password/reset_link_expiration_period"
    RESET_PROTECTION_TYPE = "customer/password/password_reset_protection_type"
    RESET_MAX_REQUESTS = "customer/password/max_number_password_reset_requests"
    RESET_MIN_MINUTES_BETWEEN = "customer/password/min_time_between_password_reset_requests"
    CONTACT_ENABLED = "contact/contact/enabled"
    CONTACT_RECIPIENT = "contact/email/recipient_email"
    CONTACT_IDENTITY = "contact/email/sender_email_identity"
    IDENTITY_GENERAL_NAME = "trans_email/ident_general/name"
    IDENTITY_GENERAL_EMAIL = "trans_email/ident_general/email"
    IDENTITY_SALES_NAME = "trans_email/ident_sales/name"
    IDENTITY_SALES_EMAIL = "trans_email/ident_sales/email"
    IDENTITY_SUPPORT_NAME = "trans_email/ident_support/name"
    IDENTITY_SUPPORT_EMAIL = "trans_email/ident_support/email"
    IDENTITY_CUSTOM1_NAME = "trans_email/ident_custom1/name"
    IDENTITY_CUSTOM1_EMAIL = "trans_email/ident_custom1/email"
    IDENTITY_CUSTOM2_NAME = "trans_email/ident_custom2/name"
    IDENTITY_CUSTOM2_EMAIL = "trans_email/ident_custom2/email"
    # Page furniture and SEO the storefront reads from `storeConfig`.
    COPYRIGHT = "design/footer/copyright"
    PRODUCT_CANONICAL_TAG = "catalog/seo/product_canonical_tag"
    CATEGORY_CANONICAL_TAG = "catalog/seo/category_canonical_tag"
    # Reward points (Adobe Commerce Magento_Reward, `etc/config.xml`): an empty value means "not
    # set" (no threshold, no cap, no expiry, no points for the action).
    REWARD_ENABLED = "magento_reward/general/is_enabled"
    REWARD_ENABLED_ON_FRONT = "magento_reward/general/is_enabled_on_front"
    REWARD_PUBLISH_HISTORY = "magento_reward/general/publish_history"
    REWARD_MIN_POINTS_BALANCE = "magento_reward/general/min_points_balance"
    REWARD_MAX_POINTS_BALANCE = "magento_reward/general/max_points_balance"
    REWARD_EXPIRATION_DAYS = "magento_reward/general/expiration_days"
    REWARD_EXPIRY_CALCULATION = "magento_reward/general/expiry_calculation"
    REWARD_REFUND_AUTOMATICALLY = "magento_reward/general/refund_automatically"
    REWARD_DEDUCT_AUTOMATICALLY = "magento_reward/general/deduct_automatically"
    REWARD_POINTS_ORDER = "magento_reward/points/order"
    REWARD_POINTS_REGISTER = "magento_reward/points/register"
    REWARD_POINTS_NEWSLETTER = "magento_reward/points/newsletter"
    REWARD_POINTS_INVITATION_CUSTOMER = "magento_reward/points/invitation_customer"
    REWARD_POINTS_INVITATION_CUSTOMER_LIMIT = "magento_reward/points/invitation_customer_limit"
    REWARD_POINTS_INVITATION_ORDER = "magento_reward/points/invitation_order"
    REWARD_POINTS_INVITATION_ORDER_LIMIT = "magento_reward/points/invitation_order_limit"
    REWARD_POINTS_INVITATION_ORDER_FREQUENCY = "magento_reward/points/invitation_order_frequency"
    REWARD_POINTS_REVIEW = "magento_reward/points/review"
    REWARD_POINTS_REVIEW_LIMIT = "magento_reward/points/review_limit"
    REWARD_SUBSCRIBE_BY_DEFAULT = "magento_reward/notification/subscribe_by_default"
    # Store credit (Adobe Commerce Magento_CustomerBalance, `etc/config.xml`).
    STORE_CREDIT_ENABLED = "customer/magento_customerbalance/is_enabled"
    STORE_CREDIT_SHOW_HISTORY = "customer/magento_customerbalance/show_history"
    # Rule-Based Product Relations (Magento_TargetRule, default scope only): list length, whether
    # manual links, rule-based products or both are shown (0 both, 1 selected only, 2 rule-based
    # only) and the rotation (0 by priority then random, 1 by priority then id, 2 weighted).
    TARGETRULE_RELATED_LIMIT = "catalog/magento_targetrule/related_position_limit"
    TARGETRULE_RELATED_BEHAVIOR = "catalog/magento_targetrule/related_position_behavior"
    TARGETRULE_RELATED_ROTATION = "catalog/magento_targetrule/related_rotation_mode"
    TARGETRULE_UPSELL_LIMIT = "catalog/magento_targetrule/upsell_position_limit"
    TARGETRULE_UPSELL_BEHAVIOR = "catalog/magento_targetrule/upsell_position_behavior"
    TARGETRULE_UPSELL_ROTATION = "catalog/magento_targetrule/upsell_rotation_mode"
    TARGETRULE_CROSSSELL_LIMIT = "catalog/magento_targetrule/crosssell_position_limit"
    TARGETRULE_CROSSSELL_BEHAVIOR = "catalog/magento_targetrule/crosssell_position_behavior"
    TARGETRULE_CROSSSELL_ROTATION = "catalog/magento_targetrule/crosssell_rotation_mode"


RECAPTCHA_FORM_PATHS = tuple(p for p in ConfigPath if p.startswith("recaptcha_frontend/type_for/"))

# Every country `directory_country` holds as Magento installs it (migration 0016).
ALL_COUNTRIES = ",".join(
    (
        "AD",
        "AE",
        "AF",
        "AG",
        "AI",
        "AL",
        "AM",
        "AN",
        "AO",
        "AQ",
        "AR",
        "AS",
        "AT",
        "AU",
        "AW",
        "AX",
        "AZ",
        "BA",
        "BB",
        "BD",
        "BE",
        "BF",
        "BG",
        "BH",
        "BI",
        "BJ",
        "BL",
        "BM",
        "BN",
        "BO",
        "BR",
        "BS",
        "BT",
        "BV",
        "BW",
        "BY",
        "BZ",
        "CA",
        "CC",
        "CD",
        "CF",
        "CG",
        "CH",
        "CI",
        "CK",
        "CL",
        "CM",
        "CN",
        "CO",
        "CR",
        "CU",
        "CV",
        "CX",
        "CY",
        "CZ",
        "DE",
        "DJ",
        "DK",
        "DM",
        "DO",
        "DZ",
        "EC",
        "EE",
        "EG",
        "EH",
        "ER",
        "ES",
        "ET",
        "FI",
        "FJ",
        "FK",
        "FM",
        "FO",
        "FR",
        "GA",
        "GB",
        "GD",
        "GE",
        "GF",
        "GG",
        "GH",
        "GI",
        "GL",
        "GM",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GS",
        "GT",
        "GU",
        "GW",
        "GY",
        "HK",
        "HM",
        "HN",
        "HR",
        "HT",
        "HU",
        "ID",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "IS",
        "IT",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KG",
        "KH",
        "KI",
        "KM",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "KZ",
        "LA",
        "LB",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MK",
        "ML",
        "MM",
        "MN",
        "MO",
        "MP",
        "MQ",
        "MR",
        "MS",
        "MT",
        "MU",
        "MV",
        "MW",
        "MX",
        "MY",
        "MZ",
        "NA",
        "NC",
        "NE",
        "NF",
        "NG",
        "NI",
        "NL",
        "NO",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PF",
        "PG",
        "PH",
        "PK",
        "PL",
        "PM",
        "PN",
        "PS",
        "PT",
        "PW",
        "PY",
        "QA",
        "RE",
        "RO",
        "RS",
        "RU",
        "RW",
        "SA",
        "SB",
        "SC",
        "SD",
        "SE",
        "SG",
        "SH",
        "SI",
        "SJ",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SR",
        "ST",
        "SV",
        "SY",
        "SZ",
        "TC",
        "TD",
        "TF",
        "TG",
        "TH",
        "TJ",
        "TK",
        "TL",
        "TM",
        "TN",
        "TO",
        "TR",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UA",
        "UG",
        "UM",
        "US",
        "UY",
        "UZ",
        "VA",
        "VC",
        "VE",
        "VG",
        "VI",
        "VN",
        "VU",
        "WF",
        "WS",
        "YE",
        "YT",
        "ZA",
        "ZM",
        "ZW",
        "BQ",
        "CW",
        "SX",
        "XK",
    )
)

# `customer/account_share/scope`: 1 = accounts are per website (Magento's default), 0 = global.
ACCOUNT_SHARE_WEBSITE = "1"

DEFAULTS: dict[ConfigPath, str] = {
    ConfigPath.DEFAULT_GROUP: "1",
    ConfigPath.CONFIRM_ACCOUNT: "0",
    ConfigPath.SHARE_CUSTOMER_GROUP: "1",
    ConfigPath.ACCOUNT_SHARE_SCOPE: ACCOUNT_SHARE_WEBSITE,
    ConfigPath.PASSWORD_MIN_LENGTH: "8",
    ConfigPath.PASSWORD_CHARACTER_CLASSES: "3",
    ConfigPath.LOCKOUT_FAILURES: "10",
    ConfigPath.LOCKOUT_MINUTES: "10",
    ConfigPath.STREET_LINES: "2",
    ConfigPath.NEWSLETTER_ACTIVE: "1",
    ConfigPath.NEWSLETTER_GUEST_SUBSCRIBE: "1",
    ConfigPath.NEWSLETTER_CONFIRM: "0",
    ConfigPath.SHARE_ACTIVE_SEGMENTS: "1",
    ConfigPath.SHARE_APPLIED_CART_RULE: "1",
    ConfigPath.DEFAULT_DISPLAY_CURRENCY: "USD",
    ConfigPath.GUEST_CHECKOUT_LOGIN: "0",
    ConfigPath.FLATRATE_ACTIVE: "1",
    ConfigPath.FLATRATE_PRICE: "5.00",
    # I: the price is per item (times the quantity shipped), O: once per order.
    ConfigPath.FLATRATE_TYPE: "I",
    ConfigPath.FLATRATE_TITLE: "Flat Rate",
    ConfigPath.FLATRATE_NAME: "Fixed",
    ConfigPath.CHECKMO_ACTIVE: "1",
    ConfigPath.CHECKMO_TITLE: "Check / Money order",
    ConfigPath.FREE_PAYMENT_ACTIVE: "1",
    ConfigPath.FREE_PAYMENT_TITLE: "No Payment Information Required",
    # shipping, billing or origin (the defaults below), as Magento.
    ConfigPath.TAX_BASED_ON: "shipping",
    ConfigPath.TAX_DEFAULT_COUNTRY: "US",
    ConfigPath.TAX_DEFAULT_REGION: "0",
    ConfigPath.TAX_DEFAULT_POSTCODE: "*",
    ConfigPath.TAX_APPLY_AFTER_DISCOUNT: "1",
    ConfigPath.MAX_COUPONS: "1",
    # Magento_CatalogPermissions `etc/config.xml`: off, and every grant "No" once enabled.
    ConfigPath.CATEGORY_PERMISSIONS_ENABLED: "0",
    ConfigPath.GRANT_CATEGORY_VIEW: "0",
    ConfigPath.GRANT_CATEGORY_VIEW_GROUPS: "",
    ConfigPath.GRANT_PRODUCT_PRICE: "0",
    ConfigPath.GRANT_PRODUCT_PRICE_GROUPS: "",
    ConfigPath.GRANT_CHECKOUT_ITEMS: "0",
    ConfigPath.GRANT_CHECKOUT_ITEMS_GROUPS: "",
    ConfigPath.PRODUCT_URL_SUFFIX: ".html",
    ConfigPath.CATEGORY_URL_SUFFIX: ".html",
    ConfigPath.SAVE_REWRITES_HISTORY: "1",
    ConfigPath.CMS_HOME_PAGE: "home",
    ConfigPath.GRID_PER_PAGE: "12",
    ConfigPath.SHOW_OUT_OF_STOCK: "0",
    ConfigPath.CONFIGURABLE_THUMBNAIL_SOURCE: "parent",
    ConfigPath.TARGETRULE_RELATED_LIMIT: "6",
    ConfigPath.TARGETRULE_RELATED_BEHAVIOR: "0",
    ConfigPath.TARGETRULE_RELATED_ROTATION: "0",
    ConfigPath.TARGETRULE_UPSELL_LIMIT: "8",
    ConfigPath.TARGETRULE_UPSELL_BEHAVIOR: "0",
    ConfigPath.TARGETRULE_UPSELL_ROTATION: "0",
    ConfigPath.TARGETRULE_CROSSSELL_LIMIT: "5",
    ConfigPath.TARGETRULE_CROSSSELL_BEHAVIOR: "0",
    ConfigPath.TARGETRULE_CROSSSELL_ROTATION: "0",
    # Magento's config.xml allows every country it installs (`engine.directory.COUNTRY_IDS`).
    ConfigPath.COUNTRIES_ALLOWED: ALL_COUNTRIES,
    ConfigPath.DEFAULT_COUNTRY: "US",
    ConfigPath.FULL_PAGE_CACHE_TTL: "86400",
    ConfigPath.CART_LINK_USE_QTY: "1",
    ConfigPath.GIFT_MESSAGE_ALLOW_ORDER: "0",
    ConfigPath.WISHLIST_ACTIVE: "1",
    ConfigPath.MULTIPLE_WISHLISTS_ENABLED: "0",
    ConfigPath.MULTIPLE_WISHLISTS_NUMBER: "3",
    ConfigPath.CURRENCIES_ALLOWED: "USD",
    # Magento_ReCaptchaFrontendUi: no key and no form uses reCAPTCHA until an admin sets them
    # (a form's value is its reCAPTCHA type, `recaptcha_v3` for the invisible one).
    ConfigPath.RECAPTCHA_V3_PUBLIC_KEY: "",
    ConfigPath.RECAPTCHA_V3_POSITION: "inline",
    ConfigPath.RECAPTCHA_V3_LANGUAGE: "",
    **dict.fromkeys(RECAPTCHA_FORM_PATHS, ""),
    ConfigPath.INVITATION_ENABLED: "1",
    ConfigPath.INVITATION_ENABLED_ON_FRONT: "1",
    ConfigPath.INVITATION_USE_INVITER_GROUP: "1",
    ConfigPath.INVITATION_REQUIRED: "0",
    ConfigPath.INVITATION_ALLOW_MESSAGE: "1",
    ConfigPath.INVITATION_MAX_PER_SEND: "5",
    ConfigPath.INVITATION_EMAIL_IDENTITY: "general",
    ConfigPath.INVITATION_EMAIL_TEMPLATE: "magento_invitation_email_template",
    # Empty: e-mails name the store by its store group ("Main Website Store"), as Magento.
    ConfigPath.STORE_NAME: "",
    # Set it to the storefront's URL (Venia's): reset links are built on it.
    ConfigPath.SECURE_BASE_URL: "http://localhost:8080/",
    ConfigPath.WELCOME_EMAIL_IDENTITY: "general",
    ConfigPath.FORGOT_EMAIL_IDENTITY: "support",
    # Hours a reset link stays valid (Magento_Customer's "Recovery Link Expiration Period").
    ConfigPath.RESET_LINK_EXPIRATION_HOURS: "2",
    # Magento_Security: 1 by IP and e-mail, 2 by IP, 3 by e-mail, 0 none; at most 5 requests an
    # hour and 10 minutes between two.
    ConfigPath.RESET_PROTECTION_TYPE: "1",
    ConfigPath.RESET_MAX_REQUESTS: "5",
    ConfigPath.RESET_MIN_MINUTES_BETWEEN: "10",
    ConfigPath.CONTACT_ENABLED: "1",
    ConfigPath.CONTACT_RECIPIENT: "hello@example.com",
    ConfigPath.CONTACT_IDENTITY: "custom2",
    ConfigPath.IDENTITY_GENERAL_NAME: "Owner",
    ConfigPath.IDENTITY_GENERAL_EMAIL: "owner@example.com",
    ConfigPath.IDENTITY_SALES_NAME: "Sales",
    ConfigPath.IDENTITY_SALES_EMAIL: "sales@example.com",
    ConfigPath.IDENTITY_SUPPORT_NAME: "CustomerSupport",
    ConfigPath.IDENTITY_SUPPORT_EMAIL: "support@example.com",
    ConfigPath.IDENTITY_CUSTOM1_NAME: "Custom 1",
    ConfigPath.IDENTITY_CUSTOM1_EMAIL: "custom1@example.com",
    ConfigPath.IDENTITY_CUSTOM2_NAME: "Custom 2",
    ConfigPath.IDENTITY_CUSTOM2_EMAIL: "custom2@example.com",
    ConfigPath.COPYRIGHT: "Copyright \u00a9 2013-present Magento, Inc. All rights reserved.",
    ConfigPath.PRODUCT_CANONICAL_TAG: "0",
    ConfigPath.CATEGORY_CANONICAL_TAG: "0",
    ConfigPath.REWARD_ENABLED: "1",
    ConfigPath.REWARD_ENABLED_ON_FRONT: "1",
    ConfigPath.REWARD_PUBLISH_HISTORY: "1",
    ConfigPath.REWARD_MIN_POINTS_BALANCE: "",
    ConfigPath.REWARD_MAX_POINTS_BALANCE: "",
    ConfigPath.REWARD_EXPIRATION_DAYS: "",
    ConfigPath.REWARD_EXPIRY_CALCULATION: "static",
    ConfigPath.REWARD_REFUND_AUTOMATICALLY: "0",
    ConfigPath.REWARD_DEDUCT_AUTOMATICALLY: "1",
    ConfigPath.REWARD_POINTS_ORDER: "",
    ConfigPath.REWARD_POINTS_REGISTER: "",
    ConfigPath.REWARD_POINTS_NEWSLETTER: "",
    ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER: "",
    ConfigPath.REWARD_POINTS_INVITATION_CUSTOMER_LIMIT: "",
    ConfigPath.REWARD_POINTS_INVITATION_ORDER: "",
    ConfigPath.REWARD_POINTS_INVITATION_ORDER_LIMIT: "",
    ConfigPath.REWARD_POINTS_INVITATION_ORDER_FREQUENCY: "",
    ConfigPath.REWARD_POINTS_REVIEW: "",
    ConfigPath.REWARD_POINTS_REVIEW_LIMIT: "",
    ConfigPath.REWARD_SUBSCRIBE_BY_DEFAULT: "1",
    ConfigPath.STORE_CREDIT_ENABLED: "1",
    ConfigPath.STORE_CREDIT_SHOW_HISTORY: "1",
}


class Scope(StrEnum):
    DEFAULT = "default"
    WEBSITES = "websites"
    STORES = "stores"
