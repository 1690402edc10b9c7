"""The shop around the customers: a second website, extra groups, custom attributes.

Created once and found again on later loads (looked up by code), so seeding twice appends
customers without duplicating the structure."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from engine.config import ConfigPath, Scope
from models import (
    BackendType,
    CoreConfigData,
    CustomerEavAttribute,
    CustomerGroup,
    CustomerGroupExcludedWebsite,
    DirectoryCountryRegion,
    EavAttribute,
    EavAttributeOption,
    EavAttributeOptionValue,
    EntityType,
    FrontendInput,
    Store,
    StoreGroup,
    StoreWebsite,
)
from models.groups import RETAIL_CUSTOMER_TAX_CLASS_ID
from models.stores import BASE_WEBSITE_ID, DEFAULT_STORE_ID

WHOLESALE_GROUP_ID = 2
RETAILER_GROUP_ID = 3
LOYALTY_TIERS = ("Bronze", "Silver", "Gold", "Platinum")
# Regions of directory_country_region that are not a state or DC: territories and armed forces.
NOT_STATES = frozenset(
    {"AA", "AC", "AE", "AF", "AM", "AP", "AS", "FM", "GU", "MH", "MP", "PR", "PW", "VI"}
)


@dataclass(frozen=True)
class WebsiteSlot:
    website_id: int
    code: str
    store_id: int
    store_code: str
    store_name: str


@dataclass(frozen=True)
class Region:
    region_id: int
    code: str
    name: str


@dataclass(frozen=True)
class Catalog:
    """Ids the generator needs, read from (or created in) the database."""

    base: WebsiteSlot
    wholesale: WebsiteSlot
    vip_group_id: int
    employee_group_id: int
    loyalty_tier_id: int
    # Option ids of loyalty_tier, in LOYALTY_TIERS order.
    loyalty_option_ids: tuple[int, ...]
    accepts_marketing_calls_id: int
    membership_since_id: int
    delivery_instructions_id: int
    regions: tuple[Region, ...]


@dataclass(frozen=True)
class AttributeSpec:
    entity_type: EntityType
    code: str
    label: str
    backend_type: BackendType
    frontend_input: FrontendInput
    sort_order: int
    options: tuple[str, ...] = ()


ATTRIBUTES = (
    AttributeSpec(
        EntityType.CUSTOMER,
        "loyalty_tier",
        "Loyalty Tier",
        BackendType.INT,
        FrontendInput.SELECT,
        110,
        LOYALTY_TIERS,
    ),
    AttributeSpec(
        EntityType.CUSTOMER,
        "accepts_marketing_calls",
        "Accepts Marketing Calls",
        BackendType.INT,
        FrontendInput.BOOLEAN,
        120,
    ),
    AttributeSpec(
        EntityType.CUSTOMER,
        "membership_since",
        "Member Since",
        BackendType.DATETIME,
        FrontendInput.DATE,
        130,
    ),
    AttributeSpec(
        EntityType.CUSTOMER_ADDRESS,
        "delivery_instructions",
        "Delivery Instructions",
        BackendType.VARCHAR,
        FrontendInput.TEXT,
        140,
    ),
)


async def _wholesale_website() -> WebsiteSlot:
    website = await StoreWebsite.get_or_none(code="wholesale")
    if website is None:
        website = await StoreWebsite.create(
            code="wholesale",
            name="Wholesale Website",
            sort_order=1,
            default_group_id=0,
            is_default=False,
            base_currency_code="USD",
            timezone="America/New_York",
        )
        group = await StoreGroup.create(
            website=website,
            code="wholesale_store",
            name="Wholesale Store",
            root_category_id=2,
            default_store_id=0,
        )
        store = await Store.create(
            code="wholesale",
            website=website,
            group=group,
            name="Wholesale Store View",
            sort_order=0,
            is_active=True,
            locale="en_US",
        )
        website.default_group_id = group.group_id
        await website.save(update_fields=["default_group_id"])
        group.default_store_id = store.store_id
        await group.save(update_fields=["default_store_id"])
        # New accounts on the wholesale website join the Wholesale group.
        await CoreConfigData.create(
            scope=Scope.WEBSITES.value,
            scope_id=website.website_id,
            path=ConfigPath.DEFAULT_GROUP.value,
            value=str(WHOLESALE_GROUP_ID),
        )
    store = await Store.get(code="wholesale")
    return WebsiteSlot(website.website_id, website.code, store.store_id, store.code, store.name)


async def _group(code: str) -> int:
    group, _ = await CustomerGroup.get_or_create(
        customer_group_code=code, defaults={"tax_class_id": RETAIL_CUSTOMER_TAX_CLASS_ID}
    )
    return group.customer_group_id


async def _attribute(spec: AttributeSpec) -> tuple[int, tuple[int, ...]]:
    """The attribute's id and its option ids (in `spec.options` order)."""
    attribute = await EavAttribute.get_or_none(
        entity_type_id=spec.entity_type, attribute_code=spec.code
    )
    if attribute is None:
        attribute = await EavAttribute.create(
            entity_type_id=spec.entity_type,
            attribute_code=spec.code,
            backend_type=spec.backend_type,
            frontend_input=spec.frontend_input,
            frontend_label=spec.label,
            is_required=False,
            is_user_defined=True,
        )
        await CustomerEavAttribute.create(
            attribute=attribute,
            is_visible=True,
            sort_order=spec.sort_order,
            is_used_in_grid=True,
            is_filterable_in_grid=True,
            is_used_for_customer_segment=True,
        )
        for position, label in enumerate(spec.options):
            option = await EavAttributeOption.create(attribute=attribute, sort_order=position)
            await EavAttributeOptionValue.create(option=option, store_id=0, value=label)
    labels = {
        row.option_id: row.value  # type: ignore[attr-defined]
        for row in await EavAttributeOptionValue.filter(
            option__attribute_id=attribute.attribute_id, store_id=0
        )
    }
    by_label = {label: option_id for option_id, label in labels.items()}
    return attribute.attribute_id, tuple(by_label[label] for label in spec.options)


async def ensure_structure() -> Catalog:
    async with in_transaction():
        wholesale = await _wholesale_website()
        vip = await _group("VIP")
        employee = await _group("Employee")
        await CustomerGroupExcludedWebsite.get_or_create(
            customer_group_id=employee, website_id=wholesale.website_id
        )
        ids = {spec.code: await _attribute(spec) for spec in ATTRIBUTES}
    base_store = await Store.get(store_id=DEFAULT_STORE_ID)
    regions = await DirectoryCountryRegion.filter(country_id="US").order_by("region_id")
    return Catalog(
        base=WebsiteSlot(
            BASE_WEBSITE_ID, "base", base_store.store_id, base_store.code, base_store.name
        ),
        wholesale=wholesale,
        vip_group_id=vip,
        employee_group_id=employee,
        loyalty_tier_id=ids["loyalty_tier"][0],
        loyalty_option_ids=ids["loyalty_tier"][1],
        accepts_marketing_calls_id=ids["accepts_marketing_calls"][0],
        membership_since_id=ids["membership_since"][0],
        delivery_instructions_id=ids["delivery_instructions"][0],
        regions=tuple(
            Region(r.region_id, r.code, r.default_name) for r in regions if r.code not in NOT_STATES
        ),
    )
