"""magento/magento2-pwa's `ProductInterface.custom_attributes` (EavGraphQlAux and
CatalogGraphQlAux): a product's user-defined attributes with their metadata, the options a select
holds and the value a text field holds."""

from __future__ import annotations

import base64
from enum import Enum

import strawberry

from engine.product_attributes import ShownAttribute, data_type
from models import FrontendInput

PRODUCT_ENTITY = "catalog_product"


def _uid(*parts: str) -> strawberry.ID:
    """magento2-pwa's uids: base64 of `catalog_product/<code>` (and `/<option id>`)."""
    return strawberry.ID(base64.b64encode("/".join(parts).encode()).decode())


@strawberry.enum(
    description="List of all entity types. Populated by the modules introducing EAV entities."
)
class AttributeEntityTypeEnum(Enum):
    CATALOG_PRODUCT = strawberry.enum_value("CATALOG_PRODUCT", description="Products.")
    CATALOG_CATEGORY = strawberry.enum_value("CATALOG_CATEGORY", description="Categories.")
    CUSTOMER = strawberry.enum_value("CUSTOMER", description="Customers.")
    CUSTOMER_ADDRESS = strawberry.enum_value("CUSTOMER_ADDRESS", description="Addresses.")
    RMA_ITEM = strawberry.enum_value("RMA_ITEM", description="Returned items.")
    PRODUCT = strawberry.enum_value("PRODUCT", description="Products (magento2-pwa's name).")


@strawberry.enum(description="The data type of an attribute value.")
class ObjectDataTypeEnum(Enum):
    STRING = strawberry.enum_value("STRING", description="Text.")
    FLOAT = strawberry.enum_value("FLOAT", description="A decimal number.")
    INT = strawberry.enum_value("INT", description="An integer (select options are ids).")
    BOOLEAN = strawberry.enum_value("BOOLEAN", description="True or false.")
    COMPLEX = strawberry.enum_value("COMPLEX", description="A structured value.")


@strawberry.enum(description="The frontend input type of an attribute.")
class UiInputTypeEnum(Enum):
    BOOLEAN = strawberry.enum_value("BOOLEAN", description="Yes or no.")
    DATE = strawberry.enum_value("DATE", description="A date.")
    DATETIME = strawberry.enum_value("DATETIME", description="A date and time.")
    GALLERY = strawberry.enum_value("GALLERY", description="A media gallery.")
    IMAGE = strawberry.enum_value("IMAGE", description="An image.")
    MEDIA_IMAGE = strawberry.enum_value("MEDIA_IMAGE", description="A media image role.")
    MULTISELECT = strawberry.enum_value("MULTISELECT", description="Several options.")
    PRICE = strawberry.enum_value("PRICE", description="A price.")
    SELECT = strawberry.enum_value("SELECT", description="One option.")
    TEXT = strawberry.enum_value("TEXT", description="A text field.")
    TEXTAREA = strawberry.enum_value("TEXTAREA", description="A text area.")
    TEXTEDITOR = strawberry.enum_value("TEXTEDITOR", description="A WYSIWYG text area.")
    WEIGHT = strawberry.enum_value("WEIGHT", description="A weight.")
    FIXED_PRODUCT_TAX = strawberry.enum_value(
        "FIXED_PRODUCT_TAX", description="A fixed product tax."
    )
    PAGEBUILDER = strawberry.enum_value("PAGEBUILDER", description="Page Builder content.")


@strawberry.enum(description="Places in the storefront where an attribute is used.")
class CustomAttributesListsEnum(Enum):
    PRODUCT_DETAILS_PAGE = strawberry.enum_value(
        "PRODUCT_DETAILS_PAGE", description="The product page (visible on catalog pages)."
    )
    PRODUCTS_LISTING = strawberry.enum_value(
        "PRODUCTS_LISTING", description="Product listings (used in product listing)."
    )
    PRODUCTS_COMPARE = strawberry.enum_value("PRODUCTS_COMPARE", description="The comparison page.")
    PRODUCT_SORT = strawberry.enum_value("PRODUCT_SORT", description="Listing sort options.")
    PRODUCT_FILTER = strawberry.enum_value(
        "PRODUCT_FILTER", description="Layered navigation of categories (filterable)."
    )
    PRODUCT_SEARCH_RESULTS_FILTER = strawberry.enum_value(
        "PRODUCT_SEARCH_RESULTS_FILTER", description="Layered navigation of search results."
    )
    ADVANCED_CATALOG_SEARCH = strawberry.enum_value(
        "ADVANCED_CATALOG_SEARCH", description="The advanced search form (searchable)."
    )


@strawberry.type(description="Contains the store code and label of an attribute.")
class StoreLabels:
    store_code: str | None = strawberry.field(description="The assigned store code.")
    label: str | None = strawberry.field(description="The label assigned to the attribute.")


@strawberry.interface(description="Defines frontend UI properties of an attribute.")
class UiInputTypeInterface:
    ui_input_type: UiInputTypeEnum | None = strawberry.field(
        description="The frontend input type of the attribute."
    )
    is_html_allowed: bool | None = strawberry.field(
        description="Indicates whether the attribute value allowed to have html content."
    )


@strawberry.type(description="A select attribute's UI properties.")
class UiAttributeTypeSelect(UiInputTypeInterface):
    pass


@strawberry.type(description="A multiselect attribute's UI properties.")
class UiAttributeTypeMultiSelect(UiInputTypeInterface):
    pass


@strawberry.type(description="A yes/no attribute's UI properties.")
class UiAttributeTypeBoolean(UiInputTypeInterface):
    pass


@strawberry.type(description="The UI properties of an attribute of any other input type.")
class UiAttributeTypeAny(UiInputTypeInterface):
    pass


@strawberry.type(description="A text area attribute's UI properties.")
class UiAttributeTypeTextarea(UiInputTypeInterface):
    pass


@strawberry.type(description="A WYSIWYG text area attribute's UI properties.")
class UiAttributeTypeTextEditor(UiInputTypeInterface):
    pass


@strawberry.type(description="A fixed product tax attribute's UI properties.")
class UiAttributeTypeFixedProductTax(UiInputTypeInterface):
    pass


@strawberry.type(description="A Page Builder attribute's UI properties.")
class UiAttributeTypePageBuilder(UiInputTypeInterface):
    pass


UI_TYPES: dict[FrontendInput, type[UiInputTypeInterface]] = {
    FrontendInput.SELECT: UiAttributeTypeSelect,
    FrontendInput.MULTISELECT: UiAttributeTypeMultiSelect,
    FrontendInput.BOOLEAN: UiAttributeTypeBoolean,
    FrontendInput.TEXTAREA: UiAttributeTypeTextarea,
}


@strawberry.interface(description="An interface containing fields that define attributes.")
class AttributeMetadataInterface:
    uid: strawberry.ID | None = strawberry.field(description="The unique ID of an attribute.")
    code: str | None = strawberry.field(
        description="The unique identifier for an attribute code. This value should be in "
        "lowercase letters without spaces."
    )
    label: str | None = strawberry.field(description="The label assigned to the attribute.")
    attribute_labels: list[StoreLabels | None] | None = strawberry.field(
        description="An array of attribute labels defined for the current store."
    )
    data_type: ObjectDataTypeEnum | None = strawberry.field(
        description="The data type of the attribute."
    )
    is_system: bool | None = strawberry.field(
        description="Indicates whether the attribute is a system attribute."
    )
    entity_type: AttributeEntityTypeEnum | None = strawberry.field(
        description="The type of entity that defines the attribute."
    )
    ui_input: UiInputTypeInterface | None = strawberry.field(
        description="Frontend UI properties of the attribute."
    )


@strawberry.type(description="Product attribute metadata.")
class ProductAttributeMetadata(AttributeMetadataInterface):
    used_in_components: list[CustomAttributesListsEnum] | None = strawberry.field(
        description="Places in the store front where the attribute is used."
    )


@strawberry.interface(description="Defines attribute options.")
class AttributeOptionInterface:
    uid: strawberry.ID = strawberry.field(description="The unique ID of an attribute option.")
    label: str | None = strawberry.field(description="The label assigned to the attribute option.")
    is_default: bool | None = strawberry.field(
        description="Indicates if option is set to be used as default value."
    )


@strawberry.type(description="Defines an attribute option.")
class AttributeOption(AttributeOptionInterface):
    pass


@strawberry.type(description="The options a select or multiselect attribute value holds.")
class SelectedAttributeOption:
    attribute_option: list[AttributeOptionInterface] | None = strawberry.field(
        description="Selected attribute option details."
    )


@strawberry.type(description="The value of an attribute entered as text.")
class EnteredAttributeValue:
    value: str | None = strawberry.field(description="Attribute value.")


@strawberry.type(description="Contains custom attribute value and metadata details.")
class CustomAttribute:
    selected_attribute_options: SelectedAttributeOption | None = strawberry.field(
        description="Attribute value represented as selected options using input type like select."
    )
    entered_attribute_value: EnteredAttributeValue | None = strawberry.field(
        description="Attribute value represented as entered data using input type like text field."
    )
    attribute_metadata: AttributeMetadataInterface | None = strawberry.field(
        description="Attribute metadata details."
    )

    @classmethod
    def of(cls, shown: ShownAttribute) -> CustomAttribute:
        """As magento2-pwa: a select's options (with `entered_attribute_value` empty), or the
        entered text (with no options)."""
        attribute, settings, value = shown.attribute, shown.settings, shown.value
        code = attribute.attribute_code
        components = []
        if settings is not None:
            for flag, component in (
                (settings.is_visible_on_front, CustomAttributesListsEnum.PRODUCT_DETAILS_PAGE),
                (settings.used_in_product_listing, CustomAttributesListsEnum.PRODUCTS_LISTING),
                (settings.is_filterable, CustomAttributesListsEnum.PRODUCT_FILTER),
                (settings.is_searchable, CustomAttributesListsEnum.ADVANCED_CATALOG_SEARCH),
            ):
                if flag:
                    components.append(component)
        ui_type = UI_TYPES.get(attribute.frontend_input, UiAttributeTypeAny)
        metadata = ProductAttributeMetadata(
            uid=_uid(PRODUCT_ENTITY, code),
            code=code,
            label=attribute.frontend_label,
            attribute_labels=[],
            data_type=ObjectDataTypeEnum(data_type(attribute)),
            is_system=not attribute.is_user_defined,
            entity_type=AttributeEntityTypeEnum.CATALOG_PRODUCT,
            ui_input=ui_type(
                ui_input_type=UiInputTypeEnum(attribute.frontend_input.value.upper()),
                is_html_allowed=False,
            ),
            used_in_components=components,
        )
        if attribute.frontend_input in (FrontendInput.SELECT, FrontendInput.MULTISELECT):
            options: list[AttributeOptionInterface] = [
                AttributeOption(
                    uid=_uid(PRODUCT_ENTITY, code, option_id),
                    label=label,
                    is_default=option_id == attribute.default_value,
                )
                for option_id, label in value.options or ()
            ]
            return cls(
                selected_attribute_options=SelectedAttributeOption(attribute_option=options),
                entered_attribute_value=EnteredAttributeValue(value=None),
                attribute_metadata=metadata,
            )
        return cls(
            selected_attribute_options=SelectedAttributeOption(attribute_option=None),
            entered_attribute_value=EnteredAttributeValue(value=value.value),
            attribute_metadata=metadata,
        )


PRODUCT_ATTRIBUTE_TYPES: list[type] = [
    ProductAttributeMetadata,
    AttributeOption,
    UiAttributeTypeSelect,
    UiAttributeTypeMultiSelect,
    UiAttributeTypeBoolean,
    UiAttributeTypeAny,
    UiAttributeTypeTextarea,
    UiAttributeTypeTextEditor,
    UiAttributeTypeFixedProductTax,
    UiAttributeTypePageBuilder,
]
