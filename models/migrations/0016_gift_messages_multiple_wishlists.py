from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0015_account_mail')]

    initial = False

    operations = [
        ops.CreateModel(
            name='GiftMessage',
            fields=[
                ('gift_message_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('customer_id', fields.IntField(db_default=0)),
                ('sender', fields.CharField(null=True, max_length=255)),
                ('recipient', fields.CharField(null=True, max_length=255)),
                ('message', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'gift_message', 'app': 'models', 'pk_attr': 'gift_message_id', 'table_description': '`gift_message`: who sends it, to whom, and what it says. `customer_id` is 0 for a guest.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Quote',
            name='gift_message_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='gift_message_id',
            field=fields.IntField(null=True),
        ),
        ops.AlterModelOptions(
            name='Wishlist',
            options={'table': 'wishlist', 'app': 'models', 'indexes': [Index(fields=['customer_id'])], 'pk_attr': 'wishlist_id', 'table_description': "`wishlist`: a customer's lists. Magento Open Source keeps one per customer (a unique key)"},
        ),
        ops.AlterField(
            model_name='Wishlist',
            name='customer',
            field=fields.ForeignKeyField('models.CustomerEntity', source_field='customer_id', db_constraint=True, to_field='entity_id', related_name='wishlists', on_delete=OnDelete.CASCADE),
        ),
        ops.AddIndex(
            model_name='Wishlist',
            index=Index(fields=['customer_id']),
        ),
    ]
