from tortoise import migrations
from tortoise.migrations import operations as ops
from models.rewards import RateDirection, RewardAction
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0016_gift_messages_multiple_wishlists')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MagentoReward',
            fields=[
                ('reward_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('models.CustomerEntity', source_field='customer_id', db_constraint=True, to_field='entity_id', related_name='rewards', on_delete=OnDelete.CASCADE)),
                ('website', fields.ForeignKeyField('models.StoreWebsite', source_field='website_id', db_constraint=True, to_field='website_id', related_name='rewards', on_delete=OnDelete.CASCADE)),
                ('points_balance', fields.IntField(db_default=0)),
                ('website_currency_code', fields.CharField(null=True, max_length=3)),
            ],
            options={'table': 'magento_reward', 'app': 'models', 'unique_together': (('customer', 'website'),), 'pk_attr': 'reward_id', 'table_description': '`magento_reward`: one points balance per customer and website.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoRewardHistory',
            fields=[
                ('history_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('reward', fields.ForeignKeyField('models.MagentoReward', source_field='reward_id', db_constraint=True, to_field='reward_id', related_name='history', on_delete=OnDelete.CASCADE)),
                ('website', fields.ForeignKeyField('models.StoreWebsite', source_field='website_id', db_constraint=True, to_field='website_id', related_name='reward_history', on_delete=OnDelete.CASCADE)),
                ('store', fields.ForeignKeyField('models.Store', source_field='store_id', null=True, db_constraint=True, to_field='store_id', related_name='reward_history', on_delete=OnDelete.SET_NULL)),
                ('action', fields.IntEnumField(description='ADMIN: 0\nORDER: 1\nREGISTER: 2\nNEWSLETTER: 3\nINVITATION_CUSTOMER: 4\nINVITATION_ORDER: 5\nREVIEW: 6\nORDER_EXTRA: 8\nCREDITMEMO: 9\nSALESRULE: 10\nREVERT: 11\nCREDITMEMO_VOID: 12', enum_type=RewardAction, generated=False)),
                ('entity', fields.IntField(null=True)),
                ('points_balance', fields.IntField(db_default=0)),
                ('points_delta', fields.IntField(db_default=0)),
                ('points_used', fields.IntField(db_default=0)),
                ('points_voided', fields.IntField(db_default=0)),
                ('currency_amount', fields.DecimalField(db_default=0, max_digits=20, decimal_places=4)),
                ('currency_delta', fields.DecimalField(db_default=0, max_digits=20, decimal_places=4)),
                ('base_currency_code', fields.CharField(max_length=5)),
                ('additional_data', fields.TextField(unique=False)),
                ('comment', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expired_at_static', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('expired_at_dynamic', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('is_expired', fields.BooleanField(db_default=False)),
                ('is_duplicate_of', fields.IntField(null=True)),
                ('notification_sent', fields.BooleanField(db_default=False)),
            ],
            options={'table': 'magento_reward_history', 'app': 'models', 'indexes': [Index(fields=['reward_id', 'history_id']), Index(fields=['entity']), Index(fields=['website_id', 'is_expired'])], 'pk_attr': 'history_id', 'table_description': '`magento_reward_history`: every change of a balance, its FIFO use and its expiry (an'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoRewardRate',
            fields=[
                ('rate_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('website_id', fields.SmallIntField(db_default=0)),
                ('customer_group_id', fields.IntField(db_default=0)),
                ('direction', fields.IntEnumField(description='TO_CURRENCY: 1\nTO_POINTS: 2', db_default=RateDirection.TO_CURRENCY, enum_type=RateDirection, generated=False)),
                ('points', fields.IntField(db_default=0)),
                ('currency_amount', fields.DecimalField(db_default=0, max_digits=20, decimal_places=4)),
            ],
            options={'table': 'magento_reward_rate', 'app': 'models', 'unique_together': (('website_id', 'customer_group_id', 'direction'),), 'pk_attr': 'rate_id', 'table_description': '`magento_reward_rate`: an exchange rate for a website (0: all) and customer group (0:'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Quote',
            name='base_customer_bal_amount_used',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='Quote',
            name='base_reward_currency_amount',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='Quote',
            name='customer_balance_amount_used',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='Quote',
            name='reward_currency_amount',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='Quote',
            name='reward_points_balance',
            field=fields.IntField(db_default=0),
        ),
        ops.AddField(
            model_name='Quote',
            name='use_customer_balance',
            field=fields.BooleanField(db_default=False),
        ),
        ops.AddField(
            model_name='Quote',
            name='use_reward_points',
            field=fields.BooleanField(db_default=False),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='base_customer_balance_amount',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='base_customer_balance_refunded',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='base_reward_currency_amount',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='base_rwrd_crrncy_amnt_refnded',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='customer_balance_amount',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='customer_balance_refunded',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='reward_currency_amount',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='reward_points_balance',
            field=fields.IntField(db_default=0),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='reward_points_balance_refund',
            field=fields.IntField(db_default=0),
        ),
        ops.AddField(
            model_name='SalesOrder',
            name='rwrd_crrncy_amnt_refunded',
            field=fields.DecimalField(db_default=0, max_digits=20, decimal_places=4),
        ),
    ]
