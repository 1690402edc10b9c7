from tortoise import migrations
from tortoise.migrations import operations as ops
from models.segments import ApplyTo, RefreshStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_commerce_defaults')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MagentoCustomersegmentSegment',
            fields=[
                ('segment_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=255)),
                ('description', fields.TextField(null=True, unique=False)),
                ('is_active', fields.BooleanField(db_default=True)),
                ('conditions_serialized', fields.TextField(null=True, unique=False)),
                ('processing_frequency', fields.IntField(db_default=1)),
                ('condition_sql', fields.TextField(null=True, unique=False)),
                ('apply_to', fields.IntEnumField(description='BOTH: 0\nREGISTERED: 1\nVISITORS: 2', db_default=ApplyTo.BOTH, enum_type=ApplyTo, generated=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('refresh_status', fields.CharEnumField(description='NEVER: never\nQUEUED: queued\nRUNNING: running\nDONE: done\nFAILED: failed', db_default=RefreshStatus.NEVER, enum_type=RefreshStatus, max_length=16)),
                ('refresh_queued_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('refresh_started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('refresh_finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('refresh_duration_ms', fields.IntField(null=True)),
                ('refresh_error', fields.TextField(null=True, unique=False)),
                ('refresh_owner', fields.CharField(null=True, max_length=64)),
                ('matched_count', fields.IntField(null=True)),
            ],
            options={'table': 'magento_customersegment_segment', 'app': 'models', 'pk_attr': 'segment_id', 'table_description': '`magento_customersegment_segment`: one segment and its JSON condition tree.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoCustomersegmentCustomer',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('segment', fields.ForeignKeyField('models.MagentoCustomersegmentSegment', source_field='segment_id', db_constraint=True, to_field='segment_id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.CustomerEntity', source_field='customer_id', db_constraint=True, to_field='entity_id', related_name='segment_memberships', on_delete=OnDelete.CASCADE)),
                ('website', fields.ForeignKeyField('models.StoreWebsite', source_field='website_id', db_constraint=True, to_field='website_id', related_name='segment_memberships', on_delete=OnDelete.CASCADE)),
                ('added_date', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_date', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'magento_customersegment_customer', 'app': 'models', 'unique_together': (('segment', 'website', 'customer'),), 'indexes': [Index(fields=['customer_id', 'website_id'])], 'pk_attr': 'id', 'table_description': '`magento_customersegment_customer`: materialized membership of registered customers.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoCustomersegmentEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('segment', fields.ForeignKeyField('models.MagentoCustomersegmentSegment', source_field='segment_id', db_constraint=True, to_field='segment_id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('event', fields.CharField(db_index=True, max_length=255)),
            ],
            options={'table': 'magento_customersegment_event', 'app': 'models', 'unique_together': (('segment', 'event'),), 'pk_attr': 'id', 'table_description': "`magento_customersegment_event`: the events whose data a segment's conditions read."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoCustomersegmentWebsite',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('segment', fields.ForeignKeyField('models.MagentoCustomersegmentSegment', source_field='segment_id', db_constraint=True, to_field='segment_id', related_name='websites', on_delete=OnDelete.CASCADE)),
                ('website', fields.ForeignKeyField('models.StoreWebsite', source_field='website_id', db_constraint=True, to_field='website_id', related_name='segments', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'magento_customersegment_website', 'app': 'models', 'unique_together': (('segment', 'website'),), 'pk_attr': 'id', 'table_description': '`magento_customersegment_website`: the websites a segment is assigned to.'},
            bases=['Model'],
        ),
    ]
