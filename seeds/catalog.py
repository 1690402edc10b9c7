"""The demo catalog's rows, with no I/O: a category tree under the Default Category and a few
hundred products with brand and color, prices, special prices with date windows, stock and
website links.

SKUs depend on nothing but the product's position (`WT-0001` is the first product, in Women >
Tops), so a later load, whatever its seed, recognises the catalog and does not write it twice.
Names, prices and the rest come from the seed."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from models import ProductStatus, ProductType, Visibility
from models.catalog import DEFAULT_PRODUCT_ATTRIBUTE_SET_ID
from seeds import tables
from seeds.draws import Weighted
from seeds.generate import Batch

PRODUCT_COUNT = 300
TAXABLE_GOODS_CLASS_ID = 2
BRANDS = (
    "Aurora",
    "Northwind",
    "Summit",
    "Bluepeak",
    "Ironwood",
    "Lumen",
    "Coastline",
    "Verity",
    "Mosaic",
    "Kestrel",
    "Orbit",
    "Harbor",
)
COLORS = (
    "Black",
    "White",
    "Gray",
    "Navy",
    "Blue",
    "Red",
    "Green",
    "Yellow",
    "Orange",
    "Purple",
    "Pink",
    "Brown",
)
STYLES = (
    "Classic",
    "Essential",
    "Pro",
    "Trail",
    "Urban",
    "Everyday",
    "Premium",
    "Lite",
    "Signature",
    "Active",
)


@dataclass(frozen=True)
class Leaf:
    name: str
    nouns: tuple[str, ...]


@dataclass(frozen=True)
class Department:
    name: str
    # Regular prices are drawn log-uniformly between these, in cents.
    cheapest: int
    dearest: int
    leaves: tuple[Leaf, ...]


TREE = (
    Department(
        "Women",
        1_500,
        12_000,
        (
            Leaf("Tops", ("Tee", "Tank", "Blouse", "Hoodie", "Cardigan")),
            Leaf("Bottoms", ("Jeans", "Leggings", "Shorts", "Skirt")),
            Leaf("Shoes", ("Sneaker", "Sandal", "Boot", "Flat")),
            Leaf("Accessories", ("Scarf", "Belt", "Hat", "Sunglasses")),
        ),
    ),
    Department(
        "Men",
        1_500,
        12_000,
        (
            Leaf("Tops", ("Tee", "Polo", "Hoodie", "Jacket", "Sweater")),
            Leaf("Bottoms", ("Chinos", "Jeans", "Shorts", "Joggers")),
            Leaf("Shoes", ("Sneaker", "Loafer", "Boot", "Trail Runner")),
            Leaf("Accessories", ("Wallet", "Belt", "Cap", "Watch Strap")),
        ),
    ),
    Department(
        "Gear",
        1_000,
        30_000,
        (
            Leaf("Bags", ("Backpack", "Duffle", "Tote", "Messenger Bag")),
            Leaf("Fitness", ("Yoga Mat", "Dumbbell Set", "Resistance Band", "Water Bottle")),
            Leaf("Watches", ("Sport Watch", "Dress Watch", "Smartwatch")),
        ),
    ),
    Department(
        "Home",
        800,
        25_000,
        (
            Leaf("Kitchen", ("Chef Knife", "Cutting Board", "Dutch Oven", "Kettle")),
            Leaf("Decor", ("Throw Pillow", "Vase", "Wall Clock", "Candle")),
            Leaf("Bedding", ("Duvet Cover", "Sheet Set", "Quilt", "Blanket")),
        ),
    ),
    Department(
        "Electronics",
        1_500,
        40_000,
        (
            Leaf("Audio", ("Headphones", "Earbuds", "Bluetooth Speaker")),
            Leaf("Phones & Tablets", ("Phone Case", "Tablet Stand", "Charger")),
            Leaf("Cameras", ("Action Camera", "Tripod", "Camera Bag")),
        ),
    ),
)
LEAVES = tuple((department, leaf) for department in TREE for leaf in department.leaves)
CATEGORY_COUNT = len(TREE) + len(LEAVES)


def sku(index: int) -> str:
    """The SKU of the `index`-th demo product (from 0)."""
    department, leaf = LEAVES[index % len(LEAVES)]
    return f"{department.name[0]}{leaf.name[0]}-{index + 1:04d}"


SKUS = tuple(sku(i) for i in range(PRODUCT_COUNT))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class CatalogPlan:
    """Where the catalog goes: ids, the Default Category, attributes and websites."""

    first_category_id: int
    first_product_id: int
    parent_id: int
    parent_path: str
    parent_level: int
    # Position of the first department among the parent's children.
    first_position: int
    website_ids: tuple[int, ...]
    brand_id: int
    brand_options: tuple[int, ...]
    color_id: int
    color_options: tuple[int, ...]


def _price(rng: random.Random, cheapest: int, dearest: int) -> int:
    """Log-uniform, ending in .99 (or a round .00 for one in five)."""
    dollars = int(cheapest * (dearest / cheapest) ** rng.random()) // 100
    return max(dollars, 1) * 100 if rng.random() < 0.2 else max(dollars, 1) * 100 + 99


def catalog_batch(seed: int, plan: CatalogPlan, *, today: date, loaded_at: datetime) -> Batch:
    rng = random.Random(f"catalog-{seed}")
    batch = Batch({table: [] for table in tables.CATALOG_TABLES})
    anchor = datetime.combine(today, datetime.min.time(), loaded_at.tzinfo)
    created_at = anchor - timedelta(days=1_095)

    category_id = plan.first_category_id
    leaf_ids: list[int] = []
    top_ids: list[int] = []
    for position, department in enumerate(TREE, start=plan.first_position):
        top_id = category_id
        category_id += 1
        top_path = f"{plan.parent_path}/{top_id}"
        top_ids.append(top_id)
        batch.rows[tables.CATEGORIES].append(
            (
                top_id,
                plan.parent_id,
                top_path,
                position,
                plan.parent_level + 1,
                len(department.leaves),
                department.name,
                slug(department.name),
                True,
                True,
                created_at,
                loaded_at,
            )
        )
        for leaf_position, leaf in enumerate(department.leaves, start=1):
            leaf_ids.append(category_id)
            batch.rows[tables.CATEGORIES].append(
                (
                    category_id,
                    top_id,
                    f"{top_path}/{category_id}",
                    leaf_position,
                    plan.parent_level + 2,
                    0,
                    leaf.name,
                    slug(leaf.name),
                    True,
                    True,
                    created_at,
                    loaded_at,
                )
            )
            category_id += 1
    leaf_tops = [top_ids[TREE.index(department)] for department, _ in LEAVES]

    visibilities = Weighted(
        [
            (int(Visibility.BOTH), 90),
            (int(Visibility.IN_CATALOG), 4),
            (int(Visibility.IN_SEARCH), 3),
            (int(Visibility.NOT_VISIBLE), 3),
        ]
    )
    windows = Weighted([("current", 40), ("past", 25), ("open", 20), ("future", 15)])
    positions: dict[int, int] = {}
    for index in range(PRODUCT_COUNT):
        product_id = plan.first_product_id + index
        department, leaf = LEAVES[index % len(LEAVES)]
        brand = int(rng.random() * len(BRANDS))
        color = int(rng.random() * len(COLORS)) if rng.random() < 0.9 else None
        name = (
            f"{BRANDS[brand]} {STYLES[int(rng.random() * len(STYLES))]} "
            f"{leaf.nouns[int(rng.random() * len(leaf.nouns))]}"
        )
        if color is not None:
            name += f" - {COLORS[color]}"
        price = _price(rng, department.cheapest, department.dearest)
        special: int | None = None
        special_from: date | None = None
        special_to: date | None = None
        if rng.random() < 0.2:
            special = int(price * (0.6 + 0.3 * rng.random())) // 100 * 100 + 99
            special = min(special, price - 100)
            window = windows.draw(rng)
            start = rng.randrange(0, 30)
            length = rng.randrange(7, 40)
            if window == "current":
                special_from, special_to = today - timedelta(start), today + timedelta(length)
            elif window == "past":
                special_from = today - timedelta(60 + start * 5)
                special_to = special_from + timedelta(length)
            elif window == "open":
                special_from = today - timedelta(start * 3)
            else:
                special_from = today + timedelta(5 + start)
                special_to = special_from + timedelta(length)
        weight = Decimal(rng.randrange(2, 150)).scaleb(-1)
        visibility = visibilities.draw(rng)
        status = int(ProductStatus.DISABLED if rng.random() < 0.03 else ProductStatus.ENABLED)
        in_stock = rng.random() >= 0.05
        qty = rng.randrange(1, 500) if in_stock else 0
        batch.rows[tables.PRODUCTS].append(
            (
                product_id,
                DEFAULT_PRODUCT_ATTRIBUTE_SET_ID,
                ProductType.SIMPLE.value,
                SKUS[index],
                name,
                f"{slug(name)}-{SKUS[index].lower()}",
                Decimal(price).scaleb(-2),
                Decimal(special).scaleb(-2) if special is not None else None,
                special_from,
                special_to,
                weight,
                visibility,
                status,
                TAXABLE_GOODS_CLASS_ID,
                created_at + timedelta(days=rng.randrange(0, 300)),
                loaded_at,
            )
        )
        for website_id in plan.website_ids:
            batch.rows[tables.PRODUCT_WEBSITES].append((product_id, website_id))
        batch.rows[tables.STOCK_ITEMS].append((product_id, Decimal(qty), in_stock, True))
        leaf_id = leaf_ids[index % len(LEAVES)]
        for category in (leaf_id, leaf_tops[index % len(LEAVES)]):
            positions[category] = positions.get(category, 0) + 1
            batch.rows[tables.CATEGORY_PRODUCTS].append((category, product_id, positions[category]))
        batch.rows[tables.PRODUCT_INTS].append(
            (plan.brand_id, 0, product_id, plan.brand_options[brand])
        )
        if color is not None:
            batch.rows[tables.PRODUCT_INTS].append(
                (plan.color_id, 0, product_id, plan.color_options[color])
            )
    return batch
