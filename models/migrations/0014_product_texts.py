from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

# Magento_Catalog's text attributes of a product (`InstallDefaultCategories` / `catalog_eav_attribute`
# defaults): what a product page shows and what search engines read. System attributes, values in
# `catalog_product_entity_text` / `_varchar` per store (store 0 the default).
TEXT_ATTRIBUTES = [
    ("description", "text", "textarea", "Description"),
    ("short_description", "text", "textarea", "Short Description"),
    ("meta_title", "varchar", "text", "Meta Title"),
    ("meta_keyword", "text", "textarea", "Meta Keywords"),
    ("meta_description", "varchar", "textarea", "Meta Description"),
]


def _quote(value):
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


async def install_text_attributes(apps, schema_editor):
    rows = ", ".join(
        "(" + ", ".join(_quote(v) for v in (4, code, backend, frontend, label, False, False)) + ")"
        for code, backend, frontend, label in TEXT_ATTRIBUTES
    )
    await schema_editor.client.execute_script(
        'INSERT INTO "eav_attribute" (entity_type_id, attribute_code, backend_type, '
        f"frontend_input, frontend_label, is_required, is_user_defined) VALUES {rows}"
    )


async def remove_text_attributes(apps, schema_editor):
    codes = ", ".join(_quote(code) for code, *_ in TEXT_ATTRIBUTES)
    await schema_editor.client.execute_script(
        f'DELETE FROM "eav_attribute" WHERE entity_type_id = 4 AND attribute_code IN ({codes})'
    )


class Migration(migrations.Migration):
    dependencies = [('models', '0013_segment_refresh_visitors_only')]

    initial = False

    operations = [
        ops.AddField(
            model_name='CatalogEavAttribute',
            name='is_visible_on_front',
            field=fields.BooleanField(db_default=False),
        ),
        ops.RunPython(install_text_attributes, remove_text_attributes),
    ]
