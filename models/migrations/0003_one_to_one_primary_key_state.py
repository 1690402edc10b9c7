"""No schema change: tortoise 1.1 records a one-to-one primary key (customer_eav_attribute) under
a different option than it detects, so its autodetector asks for this once."""

from tortoise import migrations
from tortoise.migrations import operations as ops

class Migration(migrations.Migration):
    dependencies = [('models', '0002_magento_defaults')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='CustomerEavAttribute',
            options={'table': 'customer_eav_attribute', 'app': 'models', 'pk_attr': 'attribute_id', 'table_description': '`customer_eav_attribute`: the customer-specific flags of an attribute.'},
        ),
    ]
