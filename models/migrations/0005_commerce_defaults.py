"""The rows Magento installs for the catalog and sales: the Default product attribute set, the root
and Default categories, order statuses with their states, and its two sample US tax rates (linked to
no tax classes, so no tax applies until an admin links them, as in a fresh Magento)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

STATUSES = [
    # (status, label, state, is_default, visible_on_front)
    ("pending", "Pending", "new", True, True),
    ("pending_payment", "Pending Payment", "pending_payment", True, False),
    ("processing", "Processing", "processing", True, True),
    ("fraud", "Suspected Fraud", "processing", False, True),
    ("complete", "Complete", "complete", True, True),
    ("closed", "Closed", "closed", True, True),
    ("canceled", "Canceled", "canceled", True, True),
    ("holded", "On Hold", "holded", True, True),
    ("payment_review", "Payment Review", "payment_review", True, True),
]


def _quote(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _insert(table, columns, rows):
    values = ", ".join("(" + ", ".join(_quote(v) for v in row) + ")" for row in rows)
    return f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES {values}'


ROWS = [
    ("eav_attribute_set", ("attribute_set_id", "entity_type_id", "attribute_set_name", "sort_order"),
     [(3, 3, "Default", 1), (4, 4, "Default", 1)]),
    ("catalog_category_entity",
     ("entity_id", "parent_id", "path", "position", "level", "children_count", "name", "is_active",
      "include_in_menu", "created_at", "updated_at"),
     [(1, 0, "1", 0, 0, 1, "Root Catalog", True, True, "2020-01-01 00:00:00+00:00",
       "2020-01-01 00:00:00+00:00"),
      (2, 1, "1/2", 1, 1, 0, "Default Category", True, True, "2020-01-01 00:00:00+00:00",
       "2020-01-01 00:00:00+00:00")]),
    ("sales_order_status", ("status", "label"), [(s, label) for s, label, *_ in STATUSES]),
    ("sales_order_status_state", ("status_id", "state", "is_default", "visible_on_front"),
     [(s, state, default, front) for s, _, state, default, front in STATUSES]),
    ("tax_calculation_rate", ("tax_calculation_rate_id", "code", "tax_country_id", "tax_region_id",
                              "tax_postcode", "rate"),
     [(1, "US-CA-*-Rate 1", "US", 12, "*", "8.2500"), (2, "US-NY-*-Rate 1", "US", 43, "*", "8.3750")]),
]

SEQUENCES = [
    ("eav_attribute_set", "attribute_set_id"), ("catalog_category_entity", "entity_id"),
    ("sales_order_status_state", "id"), ("tax_calculation_rate", "tax_calculation_rate_id"),
]


async def install_defaults(apps, schema_editor):
    client = schema_editor.client
    for table, columns, rows in ROWS:
        await client.execute_script(_insert(table, columns, rows))
    if client.capabilities.dialect == "postgres":
        for table, column in SEQUENCES:
            await client.execute_script(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                f'(SELECT MAX("{column}") FROM "{table}"))'
            )


async def remove_defaults(apps, schema_editor):
    for table, _columns, _rows in reversed(ROWS):
        await schema_editor.client.execute_script(f'DELETE FROM "{table}"')


class Migration(migrations.Migration):
    dependencies = [("models", "0004_commerce_activity")]

    operations = [ops.RunPython(install_defaults, remove_defaults)]
