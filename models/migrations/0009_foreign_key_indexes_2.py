from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_live_membership')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='CatalogCategoryProduct',
            index=Index(fields=['product_id']),
        ),
        ops.AddIndex(
            model_name='CustomerVisitor',
            index=Index(fields=['customer_id']),
        ),
        ops.AddIndex(
            model_name='MagentoCustomerbalanceHistory',
            index=Index(fields=['balance_id']),
        ),
        ops.AddIndex(
            model_name='MagesegCustomersegmentWebhook',
            index=Index(fields=['segment_id']),
        ),
        ops.AddIndex(
            model_name='MagesegCustomersegmentWebhookAttempt',
            index=Index(fields=['delivery_id']),
        ),
        ops.AddIndex(
            model_name='MagesegCustomersegmentWebhookDelivery',
            index=Index(fields=['history_id']),
        ),
        ops.AddIndex(
            model_name='OauthToken',
            index=Index(fields=['customer_id']),
        ),
        ops.AddIndex(
            model_name='QuoteAddress',
            index=Index(fields=['quote_id']),
        ),
        ops.AddIndex(
            model_name='SalesOrderPayment',
            index=Index(fields=['parent_id']),
        ),
        ops.AddIndex(
            model_name='SalesOrderStatusHistory',
            index=Index(fields=['parent_id']),
        ),
    ]
