from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0014_product_texts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PasswordResetRequestEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('request_type', fields.SmallIntField(db_default=0)),
                ('account_reference', fields.CharField(null=True, max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ip', fields.CharField(max_length=45)),
            ],
            options={'table': 'password_reset_request_event', 'app': 'models', 'indexes': [Index(fields=['account_reference']), Index(fields=['created_at']), Index(fields=['ip'])], 'pk_attr': 'id', 'table_description': '`password_reset_request_event`. `account_reference` is the e-mail asked for.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='CustomerEntity',
            name='rp_token',
            field=fields.CharField(null=True, max_length=128),
        ),
        ops.AddField(
            model_name='CustomerEntity',
            name='rp_token_created_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
