"""Storefront navigation: product media, CMS pages and blocks, URL rewrites, the country
directory with Canada's and Germany's regions, category display columns."""

from tortoise import migrations
from tortoise.migrations import operations as ops

COUNTRIES = [
    ("AD", "AND"), ("AE", "ARE"), ("AF", "AFG"), ("AG", "ATG"), ("AI", "AIA"), ("AL", "ALB"),
    ("AM", "ARM"), ("AN", "ANT"), ("AO", "AGO"), ("AQ", "ATA"), ("AR", "ARG"), ("AS", "ASM"),
    ("AT", "AUT"), ("AU", "AUS"), ("AW", "ABW"), ("AX", "ALA"), ("AZ", "AZE"), ("BA", "BIH"),
    ("BB", "BRB"), ("BD", "BGD"), ("BE", "BEL"), ("BF", "BFA"), ("BG", "BGR"), ("BH", "BHR"),
    ("BI", "BDI"), ("BJ", "BEN"), ("BL", "BLM"), ("BM", "BMU"), ("BN", "BRN"), ("BO", "BOL"),
    ("BR", "BRA"), ("BS", "BHS"), ("BT", "BTN"), ("BV", "BVT"), ("BW", "BWA"), ("BY", "BLR"),
    ("BZ", "BLZ"), ("CA", "CAN"), ("CC", "CCK"), ("CD", "COD"), ("CF", "CAF"), ("CG", "COG"),
    ("CH", "CHE"), ("CI", "CIV"), ("CK", "COK"), ("CL", "CHL"), ("CM", "CMR"), ("CN", "CHN"),
    ("CO", "COL"), ("CR", "CRI"), ("CU", "CUB"), ("CV", "CPV"), ("CX", "CXR"), ("CY", "CYP"),
    ("CZ", "CZE"), ("DE", "DEU"), ("DJ", "DJI"), ("DK", "DNK"), ("DM", "DMA"), ("DO", "DOM"),
    ("DZ", "DZA"), ("EC", "ECU"), ("EE", "EST"), ("EG", "EGY"), ("EH", "ESH"), ("ER", "ERI"),
    ("ES", "ESP"), ("ET", "ETH"), ("FI", "FIN"), ("FJ", "FJI"), ("FK", "FLK"), ("FM", "FSM"),
    ("FO", "FRO"), ("FR", "FRA"), ("GA", "GAB"), ("GB", "GBR"), ("GD", "GRD"), ("GE", "GEO"),
    ("GF", "GUF"), ("GG", "GGY"), ("GH", "GHA"), ("GI", "GIB"), ("GL", "GRL"), ("GM", "GMB"),
    ("GN", "GIN"), ("GP", "GLP"), ("GQ", "GNQ"), ("GR", "GRC"), ("GS", "SGS"), ("GT", "GTM"),
    ("GU", "GUM"), ("GW", "GNB"), ("GY", "GUY"), ("HK", "HKG"), ("HM", "HMD"), ("HN", "HND"),
    ("HR", "HRV"), ("HT", "HTI"), ("HU", "HUN"), ("ID", "IDN"), ("IE", "IRL"), ("IL", "ISR"),
    ("IM", "IMN"), ("IN", "IND"), ("IO", "IOT"), ("IQ", "IRQ"), ("IR", "IRN"), ("IS", "ISL"),
    ("IT", "ITA"), ("JE", "JEY"), ("JM", "JAM"), ("JO", "JOR"), ("JP", "JPN"), ("KE", "KEN"),
    ("KG", "KGZ"), ("KH", "KHM"), ("KI", "KIR"), ("KM", "COM"), ("KN", "KNA"), ("KP", "PRK"),
    ("KR", "KOR"), ("KW", "KWT"), ("KY", "CYM"), ("KZ", "KAZ"), ("LA", "LAO"), ("LB", "LBN"),
    ("LC", "LCA"), ("LI", "LIE"), ("LK", "LKA"), ("LR", "LBR"), ("LS", "LSO"), ("LT", "LTU"),
    ("LU", "LUX"), ("LV", "LVA"), ("LY", "LBY"), ("MA", "MAR"), ("MC", "MCO"), ("MD", "MDA"),
    ("ME", "MNE"), ("MF", "MAF"), ("MG", "MDG"), ("MH", "MHL"), ("MK", "MKD"), ("ML", "MLI"),
    ("MM", "MMR"), ("MN", "MNG"), ("MO", "MAC"), ("MP", "MNP"), ("MQ", "MTQ"), ("MR", "MRT"),
    ("MS", "MSR"), ("MT", "MLT"), ("MU", "MUS"), ("MV", "MDV"), ("MW", "MWI"), ("MX", "MEX"),
    ("MY", "MYS"), ("MZ", "MOZ"), ("NA", "NAM"), ("NC", "NCL"), ("NE", "NER"), ("NF", "NFK"),
    ("NG", "NGA"), ("NI", "NIC"), ("NL", "NLD"), ("NO", "NOR"), ("NP", "NPL"), ("NR", "NRU"),
    ("NU", "NIU"), ("NZ", "NZL"), ("OM", "OMN"), ("PA", "PAN"), ("PE", "PER"), ("PF", "PYF"),
    ("PG", "PNG"), ("PH", "PHL"), ("PK", "PAK"), ("PL", "POL"), ("PM", "SPM"), ("PN", "PCN"),
    ("PS", "PSE"), ("PT", "PRT"), ("PW", "PLW"), ("PY", "PRY"), ("QA", "QAT"), ("RE", "REU"),
    ("RO", "ROU"), ("RS", "SRB"), ("RU", "RUS"), ("RW", "RWA"), ("SA", "SAU"), ("SB", "SLB"),
    ("SC", "SYC"), ("SD", "SDN"), ("SE", "SWE"), ("SG", "SGP"), ("SH", "SHN"), ("SI", "SVN"),
    ("SJ", "SJM"), ("SK", "SVK"), ("SL", "SLE"), ("SM", "SMR"), ("SN", "SEN"), ("SO", "SOM"),
    ("SR", "SUR"), ("ST", "STP"), ("SV", "SLV"), ("SY", "SYR"), ("SZ", "SWZ"), ("TC", "TCA"),
    ("TD", "TCD"), ("TF", "ATF"), ("TG", "TGO"), ("TH", "THA"), ("TJ", "TJK"), ("TK", "TKL"),
    ("TL", "TLS"), ("TM", "TKM"), ("TN", "TUN"), ("TO", "TON"), ("TR", "TUR"), ("TT", "TTO"),
    ("TV", "TUV"), ("TW", "TWN"), ("TZ", "TZA"), ("UA", "UKR"), ("UG", "UGA"), ("UM", "UMI"),
    ("US", "USA"), ("UY", "URY"), ("UZ", "UZB"), ("VA", "VAT"), ("VC", "VCT"), ("VE", "VEN"),
    ("VG", "VGB"), ("VI", "VIR"), ("VN", "VNM"), ("VU", "VUT"), ("WF", "WLF"), ("WS", "WSM"),
    ("YE", "YEM"), ("YT", "MYT"), ("ZA", "ZAF"), ("ZM", "ZMB"), ("ZW", "ZWE"), ("BQ", "BES"),
    ("CW", "CUW"), ("SX", "SXM"), ("XK", "XKX"),
]

# Magento's InitializeDirectoryData ids: the US are 1-65 (0002), Canada 66-78, Germany 79-94.
REGIONS = [
    (66, "CA", "AB", "Alberta"), (67, "CA", "BC", "British Columbia"), (68, "CA", "MB", "Manitoba"),
    (69, "CA", "NL", "Newfoundland and Labrador"), (70, "CA", "NB", "New Brunswick"),
    (71, "CA", "NS", "Nova Scotia"), (72, "CA", "NT", "Northwest Territories"),
    (73, "CA", "NU", "Nunavut"), (74, "CA", "ON", "Ontario"), (75, "CA", "PE", "Prince Edward Island"),
    (76, "CA", "QC", "Quebec"), (77, "CA", "SK", "Saskatchewan"), (78, "CA", "YT", "Yukon Territory"),
    (79, "DE", "NDS", "Niedersachsen"), (80, "DE", "BAW", "Baden-Württemberg"),
    (81, "DE", "BAY", "Bayern"), (82, "DE", "BER", "Berlin"), (83, "DE", "BRG", "Brandenburg"),
    (84, "DE", "BRE", "Bremen"), (85, "DE", "HAM", "Hamburg"), (86, "DE", "HES", "Hessen"),
    (87, "DE", "MEC", "Mecklenburg-Vorpommern"), (88, "DE", "NRW", "Nordrhein-Westfalen"),
    (89, "DE", "RHE", "Rheinland-Pfalz"), (90, "DE", "SAR", "Saarland"), (91, "DE", "SAS", "Sachsen"),
    (92, "DE", "SAC", "Sachsen-Anhalt"), (93, "DE", "SCN", "Schleswig-Holstein"),
    (94, "DE", "THE", "Thüringen"),
]

# The product attributes Magento_Catalog installs for media (system attributes, not user-defined).
MEDIA_ATTRIBUTES = [
    ("image", "varchar", "media_image", "Base"),
    ("small_image", "varchar", "media_image", "Small"),
    ("thumbnail", "varchar", "media_image", "Thumbnail"),
    ("media_gallery", "static", "gallery", "Media Gallery"),
]


# Magento_Cms `CreateDefaultPages`: the 404 page, the home page and the cookies page, in every
# store view (store 0), with their URLs in the default store view.
NO_ROUTE_CONTENT = (
    '<dl><dt>The page you requested was not found, and we have a fine guess why.</dt>'
    '<dd><ul class="disc"><li>If you typed the URL directly, please make sure the spelling is '
    'correct.</li><li>If you clicked on a link to get here, the link is outdated.</li></ul></dd>'
    '</dl>'
)
COOKIES_CONTENT = (
    '<div class="enable-cookies cms-content"><p>"Cookies" are little pieces of data we send '
    'when you visit our store. Cookies help us get to know you better and personalize your '
    'experience.</p><p>To use this store, cookies must be enabled in your browser.</p></div>'
)
CMS_PAGES = [
    (1, "404 Not Found", "2columns-right", "no-route", "Whoops, our bad...", NO_ROUTE_CONTENT),
    (2, "Home page", "1column", "home", "Home Page", "<p>CMS homepage content goes here.</p>"),
    (3, "Enable Cookies", "1column", "enable-cookies", "What are Cookies?", COOKIES_CONTENT),
]


def _quote(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _insert(table, columns, rows):
    values = ", ".join("(" + ", ".join(_quote(v) for v in row) + ")" for row in rows)
    return f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES {values}'


async def install_directory_and_media(apps, schema_editor):
    client = schema_editor.client
    await client.execute_script(
        _insert("directory_country", ("country_id", "iso2_code", "iso3_code"),
                [(a, a, b) for a, b in COUNTRIES])
    )
    await client.execute_script(
        _insert("directory_country_region", ("region_id", "country_id", "code", "default_name"),
                REGIONS)
    )
    await client.execute_script(
        _insert("eav_attribute", ("entity_type_id", "attribute_code", "backend_type",
                                  "frontend_input", "frontend_label", "is_required",
                                  "is_user_defined"),
                [(4, code, backend, frontend, label, False, False)
                 for code, backend, frontend, label in MEDIA_ATTRIBUTES])
    )
    await client.execute_script(
        _insert("cms_page", ("page_id", "title", "page_layout", "identifier", "content_heading",
                             "content", "is_active", "sort_order", "creation_time", "update_time"),
                [(*page, True, 0, "2020-01-01 00:00:00+00:00", "2020-01-01 00:00:00+00:00")
                 for page in CMS_PAGES])
    )
    await client.execute_script(
        _insert("cms_page_store", ("page_id", "store_id"), [(page[0], 0) for page in CMS_PAGES])
    )
    await client.execute_script(
        _insert("url_rewrite", ("entity_type", "entity_id", "request_path", "target_path",
                                "redirect_type", "store_id", "is_autogenerated"),
                [("cms-page", page[0], page[3], f"cms/page/view/page_id/{page[0]}", 0, 1, True)
                 for page in CMS_PAGES])
    )
    if client.capabilities.dialect == "postgres":
        for table, column in (("directory_country_region", "region_id"), ("cms_page", "page_id")):
            await client.execute_script(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                f'(SELECT MAX("{column}") FROM "{table}"))'
            )


async def remove_directory_and_media(apps, schema_editor):
    client = schema_editor.client
    for table in ("url_rewrite", "cms_page_store", "cms_page"):
        await client.execute_script(f'DELETE FROM "{table}"')
    codes = ", ".join(_quote(code) for code, *_ in MEDIA_ATTRIBUTES)
    await client.execute_script(
        f'DELETE FROM "eav_attribute" WHERE entity_type_id = 4 AND attribute_code IN ({codes})'
    )
    ids = ", ".join(str(row[0]) for row in REGIONS)
    await client.execute_script(f'DELETE FROM "directory_country_region" WHERE region_id IN ({ids})')
    await client.execute_script('DELETE FROM "directory_country"')

from models.attributes import BackendType, FrontendInput
from models.url_rewrite import UrlEntityType
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0011_configurable_products')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CatalogProductEntityMediaGallery',
            fields=[
                ('value_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('attribute', fields.ForeignKeyField('models.EavAttribute', source_field='attribute_id', db_constraint=True, to_field='attribute_id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('value', fields.CharField(null=True, max_length=255)),
                ('media_type', fields.CharField(db_default='image', max_length=32)),
                ('disabled', fields.BooleanField(db_default=False)),
            ],
            options={'table': 'catalog_product_entity_media_gallery', 'app': 'models', 'pk_attr': 'value_id', 'table_description': '`catalog_product_entity_media_gallery`: a file under `catalog/product` (`/a/b/ab.png`).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogProductEntityMediaGalleryValue',
            fields=[
                ('record_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('value', fields.ForeignKeyField('models.CatalogProductEntityMediaGallery', source_field='value_id', db_constraint=True, to_field='value_id', related_name='values', on_delete=OnDelete.CASCADE)),
                ('store_id', fields.SmallIntField(db_default=0)),
                ('entity', fields.ForeignKeyField('models.CatalogProductEntity', source_field='entity_id', db_constraint=True, to_field='entity_id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('label', fields.CharField(null=True, max_length=255)),
                ('position', fields.IntField(null=True)),
                ('disabled', fields.BooleanField(db_default=False)),
            ],
            options={'table': 'catalog_product_entity_media_gallery_value', 'app': 'models', 'unique_together': (('value', 'entity', 'store_id'),), 'indexes': [Index(fields=['entity_id', 'store_id'])], 'pk_attr': 'record_id', 'table_description': "`catalog_product_entity_media_gallery_value`: a file's label, position and disabled flag"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CatalogProductEntityMediaGalleryValueToEntity',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('value', fields.ForeignKeyField('models.CatalogProductEntityMediaGallery', source_field='value_id', db_constraint=True, to_field='value_id', related_name='links', on_delete=OnDelete.CASCADE)),
                ('entity', fields.ForeignKeyField('models.CatalogProductEntity', source_field='entity_id', db_constraint=True, to_field='entity_id', related_name=False, on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'catalog_product_entity_media_gallery_value_to_entity', 'app': 'models', 'unique_together': (('value', 'entity'),), 'indexes': [Index(fields=['entity_id'])], 'pk_attr': 'id', 'table_description': '`catalog_product_entity_media_gallery_value_to_entity`: the products a file belongs to.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CmsBlock',
            fields=[
                ('block_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(max_length=255)),
                ('identifier', fields.CharField(max_length=255)),
                ('content', fields.TextField(null=True, unique=False)),
                ('creation_time', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('update_time', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('is_active', fields.BooleanField(db_default=True)),
            ],
            options={'table': 'cms_block', 'app': 'models', 'indexes': [Index(fields=['identifier'])], 'pk_attr': 'block_id', 'table_description': '`cms_block`: a piece of content placed by its `identifier`.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CmsBlockStore',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('block', fields.ForeignKeyField('models.CmsBlock', source_field='block_id', db_constraint=True, to_field='block_id', related_name='stores', on_delete=OnDelete.CASCADE)),
                ('store_id', fields.SmallIntField()),
            ],
            options={'table': 'cms_block_store', 'app': 'models', 'unique_together': (('block', 'store_id'),), 'indexes': [Index(fields=['store_id'])], 'pk_attr': 'id', 'table_description': '`cms_block_store`: the store views a block shows in.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CmsPage',
            fields=[
                ('page_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('title', fields.CharField(null=True, max_length=255)),
                ('page_layout', fields.CharField(null=True, max_length=255)),
                ('meta_keywords', fields.TextField(null=True, unique=False)),
                ('meta_description', fields.TextField(null=True, unique=False)),
                ('identifier', fields.CharField(null=True, max_length=100)),
                ('content_heading', fields.CharField(null=True, max_length=255)),
                ('content', fields.TextField(null=True, unique=False)),
                ('creation_time', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('update_time', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('is_active', fields.BooleanField(db_default=True)),
                ('sort_order', fields.SmallIntField(db_default=0)),
                ('meta_title', fields.CharField(null=True, max_length=255)),
            ],
            options={'table': 'cms_page', 'app': 'models', 'indexes': [Index(fields=['identifier'])], 'pk_attr': 'page_id', 'table_description': '`cms_page`: a content page reached by its `identifier` (its URL key).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CmsPageStore',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('page', fields.ForeignKeyField('models.CmsPage', source_field='page_id', db_constraint=True, to_field='page_id', related_name='stores', on_delete=OnDelete.CASCADE)),
                ('store_id', fields.SmallIntField()),
            ],
            options={'table': 'cms_page_store', 'app': 'models', 'unique_together': (('page', 'store_id'),), 'indexes': [Index(fields=['store_id'])], 'pk_attr': 'id', 'table_description': '`cms_page_store`: the store views a page shows in.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DirectoryCountry',
            fields=[
                ('country_id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=2)),
                ('iso2_code', fields.CharField(null=True, max_length=2)),
                ('iso3_code', fields.CharField(null=True, max_length=3)),
            ],
            options={'table': 'directory_country', 'app': 'models', 'pk_attr': 'country_id', 'table_description': '`directory_country`: a country by its ISO 3166-1 codes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UrlRewrite',
            fields=[
                ('url_rewrite_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entity_type', fields.CharEnumField(description='PRODUCT: product\nCATEGORY: category\nCMS_PAGE: cms-page\nCUSTOM: custom', enum_type=UrlEntityType, max_length=32)),
                ('entity_id', fields.IntField()),
                ('request_path', fields.CharField(null=True, max_length=255)),
                ('target_path', fields.CharField(null=True, max_length=255)),
                ('redirect_type', fields.SmallIntField(db_default=0)),
                ('store_id', fields.SmallIntField()),
                ('description', fields.CharField(null=True, max_length=255)),
                ('is_autogenerated', fields.BooleanField(db_default=False)),
                ('metadata', fields.CharField(null=True, max_length=255)),
            ],
            options={'table': 'url_rewrite', 'app': 'models', 'unique_together': (('request_path', 'store_id'),), 'indexes': [Index(fields=['entity_type', 'entity_id']), Index(fields=['store_id', 'entity_id'])], 'pk_attr': 'url_rewrite_id', 'table_description': '`url_rewrite`: `request_path` (`men/shirts.html`) answers for an entity, and a row with a'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='CatalogCategoryEntity',
            name='description',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='CatalogCategoryEntity',
            name='display_mode',
            field=fields.CharField(db_default='PRODUCTS', max_length=32),
        ),
        ops.AddField(
            model_name='CatalogCategoryEntity',
            name='image',
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AddField(
            model_name='CatalogCategoryEntity',
            name='meta_description',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='CatalogCategoryEntity',
            name='meta_keywords',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='CatalogCategoryEntity',
            name='landing_page',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='CatalogCategoryEntity',
            name='meta_title',
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AlterField(
            model_name='EavAttribute',
            name='backend_type',
            field=fields.CharEnumField(description='VARCHAR: varchar\nINT: int\nDECIMAL: decimal\nDATETIME: datetime\nTEXT: text\nSTATIC: static', enum_type=BackendType, max_length=8),
        ),
        ops.AlterField(
            model_name='EavAttribute',
            name='frontend_input',
            field=fields.CharEnumField(description='TEXT: text\nTEXTAREA: textarea\nSELECT: select\nMULTISELECT: multiselect\nBOOLEAN: boolean\nDATE: date\nDATETIME: datetime\nMEDIA_IMAGE: media_image\nGALLERY: gallery', enum_type=FrontendInput, max_length=16),
        ),
        ops.RunPython(install_directory_and_media, remove_directory_and_media),
    ]
