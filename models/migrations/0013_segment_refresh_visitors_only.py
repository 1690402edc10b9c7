from tortoise import migrations
from tortoise.migrations import operations as ops
from models.segments import RefreshStatus
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0012_storefront_navigation')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='MagentoCustomersegmentSegment',
            name='refresh_status',
            field=fields.CharEnumField(description='NEVER: never\nQUEUED: queued\nRUNNING: running\nDONE: done\nFAILED: failed\nVISITORS_ONLY: visitors_only', db_default=RefreshStatus.NEVER, enum_type=RefreshStatus, max_length=16),
        ),
    ]
