from tortoise import migrations
from tortoise.migrations import operations as ops
from models.targetrule import ApplyTo
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

# Magento's link types and their `position` attribute (`Magento_Catalog` data patches).
LINK_TYPES = [(1, "relation"), (4, "up_sell"), (5, "cross_sell")]
LINK_ATTRIBUTES = [(1, 1, "position", "int"), (2, 4, "position", "int"), (3, 5, "position", "int")]


async def install_link_types(apps, schema_editor):
    client = schema_editor.client
    for link_type_id, code in LINK_TYPES:
        await client.execute_script(
            f"INSERT INTO catalog_product_link_type (link_type_id, code) "
            f"VALUES ({link_type_id}, '{code}')"
        )
    for attribute_id, link_type_id, code, data_type in LINK_ATTRIBUTES:
        await client.execute_script(
            "INSERT INTO catalog_product_link_attribute (product_link_attribute_id, "
            "link_type_id, product_link_attribute_code, data_type) "
            f"VALUES ({attribute_id}, {link_type_id}, '{code}', '{data_type}')"
        )
    if client.capabilities.dialect == "postgres":
        for table, column in (
            ("catalog_product_link_type", "link_type_id"),
            ("catalog_product_link_attribute", "product_link_attribute_id"),
        ):
            await client.execute_script(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                f'(SELECT MAX("{column}") FROM "{table}"))'
            )


async def remove_link_types(apps, schema_editor):
    await schema_editor.client.execute_script("DELETE FROM catalog_product_link_attribute")
    await schema_editor.client.execute_script("DELETE FROM catalog_product_link_type")


class Migration(migrations.Migration):
    dependencies = [('models', '0018_order_documents')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CatalogProductLinkType',
            fields=[
                ('link_type_id', fields.SmallIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(null=True, max_length=32)),
            ],
            options={'table': 'catalog_product_link_type', 'app': 'models', 'pk_attr': 'link_type_id', 'table_description': '`catalog_product_link_type`: relation, up_sell, cross_sell.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogProductLink',
            fields=[
                ('link_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('models.CatalogProductEntity', source_field='product_id', db_constraint=True, to_field='entity_id', related_name='product_links_out', on_delete=OnDelete.CASCADE)),
                ('linked_product', fields.ForeignKeyField('models.CatalogProductEntity', source_field='linked_product_id', db_constraint=True, to_field='entity_id', related_name='product_links_in', on_delete=OnDelete.CASCADE)),
                ('link_type', fields.ForeignKeyField('models.CatalogProductLinkType', source_field='link_type_id', db_constraint=True, to_field='link_type_id', related_name='links', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'catalog_product_link', 'app': 'models', 'unique_together': (('link_type', 'product', 'linked_product'),), 'indexes': [Index(fields=['product_id']), Index(fields=['linked_product_id'])], 'pk_attr': 'link_id', 'table_description': '`catalog_product_link`: product `product_id` shows `linked_product_id` in the list of'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogProductLinkAttribute',
            fields=[
                ('product_link_attribute_id', fields.SmallIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('link_type', fields.ForeignKeyField('models.CatalogProductLinkType', source_field='link_type_id', db_constraint=True, to_field='link_type_id', related_name='attributes', on_delete=OnDelete.CASCADE)),
                ('product_link_attribute_code', fields.CharField(null=True, max_length=32)),
                ('data_type', fields.CharField(null=True, max_length=32)),
            ],
            options={'table': 'catalog_product_link_attribute', 'app': 'models', 'indexes': [Index(fields=['link_type_id'])], 'pk_attr': 'product_link_attribute_id', 'table_description': '`catalog_product_link_attribute`: the attributes a link type carries (`position`).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogProductLinkAttributeInt',
            fields=[
                ('value_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product_link_attribute', fields.ForeignKeyField('models.CatalogProductLinkAttribute', source_field='product_link_attribute_id', db_constraint=True, to_field='product_link_attribute_id', related_name='int_values', on_delete=OnDelete.CASCADE)),
                ('link', fields.ForeignKeyField('models.CatalogProductLink', source_field='link_id', db_constraint=True, to_field='link_id', related_name='int_values', on_delete=OnDelete.CASCADE)),
                ('value', fields.IntField(db_default=0)),
            ],
            options={'table': 'catalog_product_link_attribute_int', 'app': 'models', 'unique_together': (('product_link_attribute', 'link'),), 'indexes': [Index(fields=['link_id'])], 'pk_attr': 'value_id', 'table_description': "`catalog_product_link_attribute_int`: a link's integer attribute values (its position)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoTargetrule',
            fields=[
                ('rule_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(null=True, max_length=255)),
                ('from_date', fields.DateField(null=True)),
                ('to_date', fields.DateField(null=True)),
                ('is_active', fields.BooleanField(db_default=False)),
                ('conditions_serialized', fields.TextField(null=True, unique=False)),
                ('actions_serialized', fields.TextField(null=True, unique=False)),
                ('positions_limit', fields.IntField(db_default=0)),
                ('apply_to', fields.IntEnumField(description='RELATED: 1\nUP_SELLS: 2\nCROSS_SELLS: 3', db_default=ApplyTo.RELATED, enum_type=ApplyTo, generated=False)),
                ('sort_order', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'magento_targetrule', 'app': 'models', 'indexes': [Index(fields=['is_active']), Index(fields=['apply_to']), Index(fields=['sort_order']), Index(fields=['from_date', 'to_date'])], 'pk_attr': 'rule_id', 'table_description': '`magento_targetrule`: a related product rule. `conditions_serialized` (products to match)'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoTargetruleCustomersegment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rule', fields.ForeignKeyField('models.MagentoTargetrule', source_field='rule_id', db_constraint=True, to_field='rule_id', related_name='segments', on_delete=OnDelete.CASCADE)),
                ('segment', fields.ForeignKeyField('models.MagentoCustomersegmentSegment', source_field='segment_id', db_constraint=True, to_field='segment_id', related_name='target_rules', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'magento_targetrule_customersegment', 'app': 'models', 'unique_together': (('rule', 'segment'),), 'indexes': [Index(fields=['segment_id'])], 'pk_attr': 'id', 'table_description': '`magento_targetrule_customersegment`: the segments a rule is shown to (no rows: All).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoTargetruleProduct',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('rule', fields.ForeignKeyField('models.MagentoTargetrule', source_field='rule_id', db_constraint=True, to_field='rule_id', related_name='matched_products', on_delete=OnDelete.CASCADE)),
                ('product', fields.ForeignKeyField('models.CatalogProductEntity', source_field='product_id', db_constraint=True, to_field='entity_id', related_name='target_rules', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'magento_targetrule_product', 'app': 'models', 'unique_together': (('rule', 'product'),), 'indexes': [Index(fields=['product_id'])], 'pk_attr': 'id', 'table_description': '`magento_targetrule_product`: the "products to match" index, which products a rule'},
            bases=['Model'],
        ),
        ops.RunPython(install_link_types, remove_link_types),
    ]
