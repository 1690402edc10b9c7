"""Tortoise models named after Magento's tables and columns. Imports nothing above it."""

from models.attributes import (
    BackendType,
    CustomerAddressEntityDatetime,
    CustomerAddressEntityDecimal,
    CustomerAddressEntityInt,
    CustomerAddressEntityText,
    CustomerAddressEntityVarchar,
    CustomerEavAttribute,
    CustomerEntityDatetime,
    CustomerEntityDecimal,
    CustomerEntityInt,
    CustomerEntityText,
    CustomerEntityVarchar,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
)
from models.auth import Integration, OauthToken, UserType
from models.balance import BalanceAction, MagentoCustomerbalance, MagentoCustomerbalanceHistory
from models.customers import CustomerAddressEntity, CustomerEntity, DirectoryCountryRegion
from models.groups import CustomerGroup, CustomerGroupExcludedWebsite, TaxClass
from models.newsletter import NewsletterSubscriber, SubscriberStatus
from models.stores import CoreConfigData, Store, StoreGroup, StoreWebsite

__all__ = [
    "BackendType",
    "BalanceAction",
    "CoreConfigData",
    "CustomerAddressEntity",
    "CustomerAddressEntityDatetime",
    "CustomerAddressEntityDecimal",
    "CustomerAddressEntityInt",
    "CustomerAddressEntityText",
    "CustomerAddressEntityVarchar",
    "CustomerEavAttribute",
    "CustomerEntity",
    "CustomerEntityDatetime",
    "CustomerEntityDecimal",
    "CustomerEntityInt",
    "CustomerEntityText",
    "CustomerEntityVarchar",
    "CustomerGroup",
    "CustomerGroupExcludedWebsite",
    "DirectoryCountryRegion",
    "EavAttribute",
    "EavAttributeOption",
    "EavAttributeOptionValue",
    "EntityType",
    "FrontendInput",
    "Integration",
    "MagentoCustomerbalance",
    "MagentoCustomerbalanceHistory",
    "NewsletterSubscriber",
    "OauthToken",
    "Store",
    "StoreGroup",
    "StoreWebsite",
    "SubscriberStatus",
    "TaxClass",
    "UserType",
]
