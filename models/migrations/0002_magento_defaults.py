"""The rows Magento installs: admin and base websites, their store views, tax classes, the four
customer groups, and the US regions. Values are frozen here on purpose: a migration must not change
when the code does."""

from tortoise import migrations
from tortoise.migrations import operations as ops

US_REGIONS = [
    (1, "AL", "Alabama"), (2, "AK", "Alaska"), (3, "AS", "American Samoa"), (4, "AZ", "Arizona"),
    (5, "AR", "Arkansas"), (6, "AE", "Armed Forces Africa"), (7, "AA", "Armed Forces Americas"),
    (8, "AC", "Armed Forces Canada"), (9, "AF", "Armed Forces Europe"),
    (10, "AM", "Armed Forces Middle East"), (11, "AP", "Armed Forces Pacific"),
    (12, "CA", "California"), (13, "CO", "Colorado"), (14, "CT", "Connecticut"),
    (15, "DE", "Delaware"), (16, "DC", "District of Columbia"),
    (17, "FM", "Federated States Of Micronesia"), (18, "FL", "Florida"), (19, "GA", "Georgia"),
    (20, "GU", "Guam"), (21, "HI", "Hawaii"), (22, "ID", "Idaho"), (23, "IL", "Illinois"),
    (24, "IN", "Indiana"), (25, "IA", "Iowa"), (26, "KS", "Kansas"), (27, "KY", "Kentucky"),
    (28, "LA", "Louisiana"), (29, "ME", "Maine"), (30, "MH", "Marshall Islands"),
    (31, "MD", "Maryland"), (32, "MA", "Massachusetts"), (33, "MI", "Michigan"),
    (34, "MN", "Minnesota"), (35, "MS", "Mississippi"), (36, "MO", "Missouri"),
    (37, "MT", "Montana"), (38, "NE", "Nebraska"), (39, "NV", "Nevada"),
    (40, "NH", "New Hampshire"), (41, "NJ", "New Jersey"), (42, "NM", "New Mexico"),
    (43, "NY", "New York"), (44, "NC", "North Carolina"), (45, "ND", "North Dakota"),
    (46, "MP", "Northern Mariana Islands"), (47, "OH", "Ohio"), (48, "OK", "Oklahoma"),
    (49, "OR", "Oregon"), (50, "PW", "Palau"), (51, "PA", "Pennsylvania"),
    (52, "PR", "Puerto Rico"), (53, "RI", "Rhode Island"), (54, "SC", "South Carolina"),
    (55, "SD", "South Dakota"), (56, "TN", "Tennessee"), (57, "TX", "Texas"), (58, "UT", "Utah"),
    (59, "VT", "Vermont"), (60, "VI", "Virgin Islands"), (61, "VA", "Virginia"),
    (62, "WA", "Washington"), (63, "WV", "West Virginia"), (64, "WI", "Wisconsin"),
    (65, "WY", "Wyoming"),
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
    ("store_website", ("website_id", "code", "name", "sort_order", "default_group_id", "is_default",
                       "base_currency_code", "timezone"),
     [(0, "admin", "Admin", 0, 0, False, "USD", "UTC"),
      (1, "base", "Main Website", 0, 1, True, "USD", "America/Chicago")]),
    ("store_group", ("group_id", "website_id", "code", "name", "root_category_id", "default_store_id"),
     [(0, 0, "default", "Default", 0, 0),
      (1, 1, "main_website_store", "Main Website Store", 2, 1)]),
    ("store", ("store_id", "code", "website_id", "group_id", "name", "sort_order", "is_active", "locale"),
     [(0, "admin", 0, 0, "Admin", 0, True, "en_US"),
      (1, "default", 1, 1, "Default Store View", 0, True, "en_US")]),
    ("tax_class", ("class_id", "class_name", "class_type"),
     [(2, "Taxable Goods", "PRODUCT"), (3, "Retail Customer", "CUSTOMER")]),
    ("customer_group", ("customer_group_id", "customer_group_code", "tax_class_id"),
     [(0, "NOT LOGGED IN", 3), (1, "General", 3), (2, "Wholesale", 3), (3, "Retailer", 3)]),
    ("directory_country_region", ("region_id", "country_id", "code", "default_name"),
     [(rid, "US", code, name) for rid, code, name in US_REGIONS]),
]

# Explicit ids do not advance PostgreSQL's identity sequences; move them past the inserted rows.
SEQUENCES = [
    ("store_website", "website_id"), ("store_group", "group_id"), ("store", "store_id"),
    ("tax_class", "class_id"), ("customer_group", "customer_group_id"),
    ("directory_country_region", "region_id"),
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
    dependencies = [("models", "0001_initial")]

    operations = [ops.RunPython(install_defaults, remove_defaults)]
