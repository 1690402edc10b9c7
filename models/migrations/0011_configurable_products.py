from tortoise import migrations
from tortoise.migrations import operations as ops
from models.catalog import ProductType, SwatchType
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_prices_and_rules')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CatalogProductRelation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('parent', fields.ForeignKeyField('models.CatalogProductEntity', source_field='parent_id', db_constraint=True, to_field='entity_id', related_name='child_relations', on_delete=OnDelete.CASCADE)),
                ('child', fields.ForeignKeyField('models.CatalogProductEntity', source_field='child_id', db_constraint=True, to_field='entity_id', related_name='parent_relations', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'catalog_product_relation', 'app': 'models', 'unique_together': (('parent', 'child'),), 'indexes': [Index(fields=['child_id'])], 'pk_attr': 'id', 'table_description': '`catalog_product_relation`: every parent and child pair of composite products, the table'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogProductSuperAttribute',
            fields=[
                ('product_super_attribute_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('models.CatalogProductEntity', source_field='product_id', db_constraint=True, to_field='entity_id', related_name='super_attributes', on_delete=OnDelete.CASCADE)),
                ('attribute', fields.ForeignKeyField('models.EavAttribute', source_field='attribute_id', db_constraint=True, to_field='attribute_id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('position', fields.SmallIntField(db_default=0)),
            ],
            options={'table': 'catalog_product_super_attribute', 'app': 'models', 'unique_together': (('product', 'attribute'),), 'pk_attr': 'product_super_attribute_id', 'table_description': '`catalog_product_super_attribute`: an attribute a configurable product is configured by'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogProductSuperAttributeLabel',
            fields=[
                ('value_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product_super_attribute', fields.ForeignKeyField('models.CatalogProductSuperAttribute', source_field='product_super_attribute_id', db_constraint=True, to_field='product_super_attribute_id', related_name='labels', on_delete=OnDelete.CASCADE)),
                ('store_id', fields.SmallIntField(db_default=0)),
                ('use_default', fields.BooleanField(db_default=False)),
                ('value', fields.CharField(null=True, max_length=255)),
            ],
            options={'table': 'catalog_product_super_attribute_label', 'app': 'models', 'unique_together': (('product_super_attribute', 'store_id'),), 'pk_attr': 'value_id', 'table_description': '`catalog_product_super_attribute_label`: the label of a configurable attribute on one'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogProductSuperLink',
            fields=[
                ('link_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('product', fields.ForeignKeyField('models.CatalogProductEntity', source_field='product_id', db_constraint=True, to_field='entity_id', related_name='super_parents', on_delete=OnDelete.CASCADE)),
                ('parent', fields.ForeignKeyField('models.CatalogProductEntity', source_field='parent_id', db_constraint=True, to_field='entity_id', related_name='super_children', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'catalog_product_super_link', 'app': 'models', 'unique_together': (('product', 'parent'),), 'indexes': [Index(fields=['parent_id'])], 'pk_attr': 'link_id', 'table_description': '`catalog_product_super_link`: a simple product (`product_id`) that is a variant of a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EavAttributeOptionSwatch',
            fields=[
                ('swatch_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('option', fields.ForeignKeyField('models.EavAttributeOption', source_field='option_id', db_constraint=True, to_field='option_id', related_name='swatches', on_delete=OnDelete.CASCADE)),
                ('store_id', fields.SmallIntField(db_default=0)),
                ('type', fields.IntEnumField(description='TEXT: 0\nCOLOR: 1\nIMAGE: 2', db_default=SwatchType.TEXT, enum_type=SwatchType, generated=False)),
                ('value', fields.CharField(null=True, max_length=255)),
            ],
            options={'table': 'eav_attribute_option_swatch', 'app': 'models', 'unique_together': (('option', 'store_id'),), 'pk_attr': 'swatch_id', 'table_description': '`eav_attribute_option_swatch`: the swatch of an attribute option per store (store 0 is'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WishlistItemOption',
            fields=[
                ('option_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('wishlist_item', fields.ForeignKeyField('models.WishlistItem', source_field='wishlist_item_id', db_constraint=True, to_field='wishlist_item_id', related_name='options', on_delete=OnDelete.CASCADE)),
                ('product_id', fields.IntField(null=True)),
                ('code', fields.CharField(max_length=255)),
                ('value', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'wishlist_item_option', 'app': 'models', 'indexes': [Index(fields=['wishlist_item_id'])], 'pk_attr': 'option_id', 'table_description': "`wishlist_item_option`: what was chosen for a wish list item. A configurable product's"},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='CatalogProductEntity',
            name='type_id',
            field=fields.CharEnumField(description='SIMPLE: simple\nVIRTUAL: virtual\nCONFIGURABLE: configurable', db_default=ProductType.SIMPLE, enum_type=ProductType, max_length=32),
        ),
        ops.AlterModelOptions(
            name='QuoteItem',
            options={'table': 'quote_item', 'app': 'models', 'indexes': [Index(fields=['product_id']), Index(fields=['quote_id'])], 'pk_attr': 'item_id', 'table_description': "`quote_item`: one product line of a cart, with its prices at the cart's last totals. A"},
        ),
        ops.AddField(
            model_name='QuoteItem',
            name='parent_item',
            field=fields.ForeignKeyField('models.QuoteItem', source_field='parent_item_id', null=True, db_constraint=True, to_field='item_id', related_name='children', on_delete=OnDelete.CASCADE),
        ),
        ops.AlterModelOptions(
            name='SalesOrderItem',
            options={'table': 'sales_order_item', 'app': 'models', 'indexes': [Index(fields=['product_id']), Index(fields=['order_id'])], 'pk_attr': 'item_id', 'table_description': '`sales_order_item`: a product line as ordered (sku and name copied at order time). A'},
        ),
        ops.AddField(
            model_name='SalesOrderItem',
            name='parent_item',
            field=fields.ForeignKeyField('models.SalesOrderItem', source_field='parent_item_id', null=True, db_constraint=True, to_field='item_id', related_name='children', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='SalesOrderItem',
            name='product_options',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
