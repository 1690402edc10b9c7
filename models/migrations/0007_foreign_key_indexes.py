from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_customer_segments')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='CustomerAddressEntity',
            index=Index(fields=['parent_id']),
        ),
        ops.AddIndex(
            model_name='NewsletterSubscriber',
            index=Index(fields=['customer_id']),
        ),
        ops.AddIndex(
            model_name='QuoteItem',
            index=Index(fields=['quote_id']),
        ),
        ops.AddIndex(
            model_name='SalesOrderAddress',
            index=Index(fields=['parent_id']),
        ),
        ops.AddIndex(
            model_name='SalesOrderItem',
            index=Index(fields=['order_id']),
        ),
        ops.AddIndex(
            model_name='WishlistItem',
            index=Index(fields=['wishlist_id']),
        ),
    ]
