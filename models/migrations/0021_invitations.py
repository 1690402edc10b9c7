from tortoise import migrations
from tortoise.migrations import operations as ops
from models.invitations import InvitationStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0019_related_product_rules')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MagentoInvitation',
            fields=[
                ('invitation_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('models.CustomerEntity', source_field='customer_id', null=True, db_constraint=True, to_field='entity_id', related_name='sent_invitations', on_delete=OnDelete.SET_NULL)),
                ('invitation_date', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('email', fields.CharField(null=True, max_length=255)),
                ('referral', fields.ForeignKeyField('models.CustomerEntity', source_field='referral_id', null=True, db_constraint=True, to_field='entity_id', related_name='accepted_invitations', on_delete=OnDelete.SET_NULL)),
                ('protection_code', fields.CharField(null=True, max_length=32)),
                ('signup_date', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('store', fields.ForeignKeyField('models.Store', source_field='store_id', db_constraint=True, to_field='store_id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('group', fields.ForeignKeyField('models.CustomerGroup', source_field='group_id', null=True, db_constraint=True, to_field='customer_group_id', related_name='invitations', on_delete=OnDelete.SET_NULL)),
                ('message', fields.TextField(null=True, unique=False)),
                ('status', fields.CharEnumField(description='NEW: new\nSENT: sent\nACCEPTED: accepted\nCANCELED: canceled', db_default='new', enum_type=InvitationStatus, max_length=8)),
            ],
            options={'table': 'magento_invitation', 'app': 'models', 'indexes': [Index(fields=['customer_id']), Index(fields=['referral_id']), Index(fields=['store_id']), Index(fields=['group_id'])], 'pk_attr': 'invitation_id', 'table_description': '`magento_invitation`: `customer` is the inviter (NULL when an admin sent it), `referral`'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoInvitationStatusHistory',
            fields=[
                ('history_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('invitation', fields.ForeignKeyField('models.MagentoInvitation', source_field='invitation_id', db_constraint=True, to_field='invitation_id', related_name='status_history', on_delete=OnDelete.CASCADE)),
                ('invitation_date', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(description='NEW: new\nSENT: sent\nACCEPTED: accepted\nCANCELED: canceled', db_default='new', enum_type=InvitationStatus, max_length=8)),
            ],
            options={'table': 'magento_invitation_status_history', 'app': 'models', 'indexes': [Index(fields=['invitation_id'])], 'pk_attr': 'history_id', 'table_description': '`magento_invitation_status_history`: one row per status an invitation took.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MagentoInvitationTrack',
            fields=[
                ('track_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('inviter', fields.ForeignKeyField('models.CustomerEntity', source_field='inviter_id', db_constraint=True, to_field='entity_id', related_name='invitation_tracks', on_delete=OnDelete.CASCADE)),
                ('referral', fields.ForeignKeyField('models.CustomerEntity', source_field='referral_id', db_constraint=True, to_field='entity_id', related_name='referral_tracks', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'magento_invitation_track', 'app': 'models', 'unique_together': (('inviter', 'referral'),), 'indexes': [Index(fields=['referral_id'])], 'pk_attr': 'track_id', 'table_description': '`magento_invitation_track`: who brought whom, one row per (inviter, invitee).'},
            bases=['Model'],
        ),
    ]
