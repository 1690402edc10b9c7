from tortoise import migrations
from tortoise.migrations import operations as ops
from models.segment_changes import DeliveryStatus, MembershipChangeKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0007_foreign_key_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MagesegCustomersegmentHistory',
            fields=[
                ('history_id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('segment', fields.ForeignKeyField('models.MagentoCustomersegmentSegment', source_field='segment_id', db_constraint=True, to_field='segment_id', related_name='history', on_delete=OnDelete.CASCADE)),
                ('customer_id', fields.IntField(db_index=True)),
                ('website_id', fields.IntField()),
                ('change', fields.CharEnumField(description='ENTERED: entered\nEXITED: exited', enum_type=MembershipChangeKind, max_length=8)),
                ('trigger', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mageseg_customersegment_history', 'app': 'models', 'indexes': [Index(fields=['segment_id', 'history_id'])], 'pk_attr': 'history_id', 'table_description': '`mageseg_customersegment_history`: one entry or exit of a registered customer. The customer'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagesegCustomersegmentTimeRun',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('website', fields.ForeignKeyField('models.StoreWebsite', source_field='website_id', unique=True, db_constraint=True, to_field='website_id', related_name='segment_time_runs', on_delete=OnDelete.CASCADE)),
                ('last_local_date', fields.DateField()),
                ('ran_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mageseg_customersegment_time_run', 'app': 'models', 'unique_together': (('website',),), 'pk_attr': 'id', 'table_description': "`mageseg_customersegment_time_run`: the last local date (in the website's timezone) whose"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagesegCustomersegmentWebhook',
            fields=[
                ('webhook_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('segment', fields.ForeignKeyField('models.MagentoCustomersegmentSegment', source_field='segment_id', db_constraint=True, to_field='segment_id', related_name='webhooks', on_delete=OnDelete.CASCADE)),
                ('url', fields.CharField(max_length=2048)),
                ('secret', fields.CharField(max_length=128)),
                ('is_active', fields.BooleanField(db_default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'mageseg_customersegment_webhook', 'app': 'models', 'pk_attr': 'webhook_id', 'table_description': "`mageseg_customersegment_webhook`: a receiver of one segment's entries and exits, signed"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagesegCustomersegmentWebhookDelivery',
            fields=[
                ('delivery_id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('webhook', fields.ForeignKeyField('models.MagesegCustomersegmentWebhook', source_field='webhook_id', db_constraint=True, to_field='webhook_id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('history', fields.ForeignKeyField('models.MagesegCustomersegmentHistory', source_field='history_id', db_constraint=True, to_field='history_id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(description='PENDING: pending\nDELIVERED: delivered\nFAILED: failed', db_default=DeliveryStatus.PENDING, enum_type=DeliveryStatus, max_length=16)),
                ('attempts', fields.IntField(db_default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(null=True, max_length=64)),
                ('last_status_code', fields.IntField(null=True)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mageseg_customersegment_webhook_delivery', 'app': 'models', 'unique_together': (('webhook', 'history'),), 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'delivery_id', 'table_description': '`mageseg_customersegment_webhook_delivery`: the outbox. Written in the transaction that'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagesegCustomersegmentWebhookAttempt',
            fields=[
                ('attempt_id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('models.MagesegCustomersegmentWebhookDelivery', source_field='delivery_id', db_constraint=True, to_field='delivery_id', related_name='log', on_delete=OnDelete.CASCADE)),
                ('attempted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status_code', fields.IntField(null=True)),
                ('error', fields.TextField(null=True, unique=False)),
                ('duration_ms', fields.IntField()),
            ],
            options={'table': 'mageseg_customersegment_webhook_attempt', 'app': 'models', 'pk_attr': 'attempt_id', 'table_description': '`mageseg_customersegment_webhook_attempt`: the delivery log, one row per HTTP attempt.'},
            bases=['Model'],
        ),
    ]
