"""The demo catalog's rows, with no I/O: a category tree under the Default Category and a few
hundred products with brand and color, prices, special prices with date windows, stock and
website links. As in a real Magento apparel catalog, most of them are configurable: the products
of the clothing, shoe, accessory, bag and bedding categories are parents configured by color
and/or size, each with simple children (`<parent sku>-<COLOR>-<SIZE>`, not visible on their own)
drawn from a separate random stream, so the parents' rows are the same as before.

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
COLOR_HEX = (
    "#000000",
    "#ffffff",
    "#808080",
    "#000080",
    "#1e90ff",
    "#d32f2f",
    "#2e7d32",
    "#fbc02d",
    "#ef6c00",
    "#7b1fa2",
    "#f06292",
    "#795548",
)
SIZES = ("S", "M", "L", "7", "8", "9", "10", "Twin", "Queen", "King")
# The sizes each configurable leaf offers (by leaf name), and whether it comes in colors.
APPAREL = ("S", "M", "L")
SHOES = ("7", "8", "9", "10")
BEDDING = ("Twin", "Queen", "King")
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
    sizes: tuple[str, ...] = ()
    """The sizes its products come in; with `colored`, whether they are configurable."""
    colored: bool = False

    @property
    def configurable(self) -> bool:
        return bool(self.sizes) or self.colored


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
            Leaf("Tops", ("Tee", "Tank", "Blouse", "Hoodie", "Cardigan"), APPAREL, True),
            Leaf("Bottoms", ("Jeans", "Leggings", "Shorts", "Skirt"), APPAREL, True),
            Leaf("Shoes", ("Sneaker", "Sandal", "Boot", "Flat"), SHOES, True),
            Leaf("Accessories", ("Scarf", "Belt", "Hat", "Sunglasses"), (), True),
        ),
    ),
    Department(
        "Men",
        1_500,
        12_000,
        (
            Leaf("Tops", ("Tee", "Polo", "Hoodie", "Jacket", "Sweater"), APPAREL, True),
            Leaf("Bottoms", ("Chinos", "Jeans", "Shorts", "Joggers"), APPAREL, True),
            Leaf("Shoes", ("Sneaker", "Loafer", "Boot", "Trail Runner"), SHOES, True),
            Leaf("Accessories", ("Wallet", "Belt", "Cap", "Watch Strap"), (), True),
        ),
    ),
    Department(
        "Gear",
        1_000,
        30_000,
        (
            Leaf("Bags", ("Backpack", "Duffle", "Tote", "Messenger Bag"), (), True),
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
            Leaf("Bedding", ("Duvet Cover", "Sheet Set", "Quilt", "Blanket"), BEDDING),
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
    size_id: int = 0
    size_options: tuple[int, ...] = ()
    """The size attribute and its options in `SIZES` order; without them no product is
    configurable (the catalog is all simple products)."""
    text_attribute_ids: tuple[tuple[str, int], ...] = ()
    """The text attributes (`description`, `short_description`, `meta_description`) by code;
    without them the products have no texts."""


def product_texts(
    name: str, brand: str, department: str, leaf: str, weight: Decimal
) -> dict[str, str]:
    """The demo texts of a visible product, made from what it is (no random draw, so the rows
    drawn after them stay the same)."""
    return {
        "description": (
            f"<p>The {name} is part of the {brand} {leaf.lower()} collection in our "
            f"{department} department.</p><ul><li>Brand: {brand}</li>"
            f"<li>Shipping weight: {weight} lbs</li></ul>"
        ),
        "short_description": f"<p>{brand} {leaf.lower()}, made to last.</p>",
        "meta_description": f"Shop the {name} by {brand} in {department} > {leaf}.",
    }


@dataclass(frozen=True)
class Child:
    """A simple child of a configurable demo product."""

    sku: str
    color: int | None
    size: int | None
    extra_cents: int


def children_of(parent_sku: str, leaf: Leaf, color: int | None, rng: random.Random) -> list[Child]:
    """The children of a configurable product of `leaf`: its own color and one more (when the
    leaf is colored) times the leaf's sizes, larger sizes of bedding and bottoms costing more.
    The first child is the parent's own color in the smallest size, at the parent's price."""
    colors: list[int | None] = [None]
    if leaf.colored:
        first = color if color is not None else int(rng.random() * len(COLORS))
        others = [c for c in range(len(COLORS)) if c != first]
        colors = [first, *rng.sample(others, 1)]
    sizes: list[int | None] = [SIZES.index(size) for size in leaf.sizes] or [None]
    step = 200 if leaf.name in ("Bedding", "Bottoms") else 0
    found = []
    for c in colors:
        for position, z in enumerate(sizes):
            parts = [parent_sku]
            if c is not None:
                parts.append(COLORS[c].upper())
            if z is not None:
                parts.append(SIZES[z].upper())
            found.append(Child("-".join(parts), c, z, step * position))
    return found


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
    parents: list[tuple[int, int, str, int | None, int, int | None, date | None]] = []
    parents_to: list[tuple[date | None, Decimal, int, bool]] = []
    for index in range(PRODUCT_COUNT):
        product_id = plan.first_product_id + index
        department, leaf = LEAVES[index % len(LEAVES)]
        configurable = leaf.configurable and bool(plan.size_options)
        brand = int(rng.random() * len(BRANDS))
        color = int(rng.random() * len(COLORS)) if rng.random() < 0.9 else None
        name = (
            f"{BRANDS[brand]} {STYLES[int(rng.random() * len(STYLES))]} "
            f"{leaf.nouns[int(rng.random() * len(leaf.nouns))]}"
        )
        if color is not None and not (leaf.configurable and plan.size_options):
            name += f" - {COLORS[color]}"  # a configurable parent's colors are its children's
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
        if configurable:
            parents.append((index, product_id, name, color, price, special, special_from))
            parents_to.append((special_to, weight, status, in_stock))
        batch.rows[tables.PRODUCTS].append(
            (
                product_id,
                DEFAULT_PRODUCT_ATTRIBUTE_SET_ID,
                (ProductType.CONFIGURABLE if configurable else ProductType.SIMPLE).value,
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
        text_ids = dict(plan.text_attribute_ids)
        for code, text in product_texts(
            name, BRANDS[brand], department.name, leaf.name, weight
        ).items():
            if code in text_ids:
                table = (
                    tables.PRODUCT_VARCHARS if code == "meta_description" else tables.PRODUCT_TEXTS
                )
                batch.rows[table].append((text_ids[code], 0, product_id, text))
        if color is not None and not configurable:  # a parent's color is its children's
            batch.rows[tables.PRODUCT_INTS].append(
                (plan.color_id, 0, product_id, plan.color_options[color])
            )
    _children(batch, plan, parents, parents_to, created_at, loaded_at, seed)
    return batch


def _children(
    batch: Batch,
    plan: CatalogPlan,
    parents: list[tuple[int, int, str, int | None, int, int | None, date | None]],
    parents_to: list[tuple[date | None, Decimal, int, bool]],
    created_at: datetime,
    loaded_at: datetime,
    seed: int,
) -> None:
    """The children, super attributes and links of the configurable parents, after every
    parent (their ids follow the parents'), from their own random stream."""
    rng = random.Random(f"variants-{seed}")
    child_id = plan.first_product_id + PRODUCT_COUNT
    for (index, parent_id, name, color, price, special, special_from), (
        special_to,
        weight,
        status,
        in_stock,
    ) in zip(parents, parents_to, strict=True):
        _, leaf = LEAVES[index % len(LEAVES)]
        base = name
        position = 0
        if leaf.colored:
            batch.rows[tables.SUPER_ATTRIBUTES].append((parent_id, plan.color_id, position))
            position += 1
        if leaf.sizes:
            batch.rows[tables.SUPER_ATTRIBUTES].append((parent_id, plan.size_id, position))
        for number, child in enumerate(children_of(SKUS[index], leaf, color, rng)):
            label = " ".join(
                part
                for part in (
                    COLORS[child.color] if child.color is not None else None,
                    SIZES[child.size] if child.size is not None else None,
                )
                if part
            )
            child_name = f"{base} - {label}"
            # The first child always sells; the others are sometimes sold out.
            child_in_stock = in_stock if number == 0 else rng.random() >= 0.1
            batch.rows[tables.PRODUCTS].append(
                (
                    child_id,
                    DEFAULT_PRODUCT_ATTRIBUTE_SET_ID,
                    ProductType.SIMPLE.value,
                    child.sku,
                    child_name,
                    f"{slug(child_name)}-{child.sku.lower()}",
                    Decimal(price + child.extra_cents).scaleb(-2),
                    Decimal(special + child.extra_cents).scaleb(-2)
                    if special is not None
                    else None,
                    special_from,
                    special_to,
                    weight,
                    int(Visibility.NOT_VISIBLE),
                    status,
                    TAXABLE_GOODS_CLASS_ID,
                    created_at,
                    loaded_at,
                )
            )
            for website_id in plan.website_ids:
                batch.rows[tables.PRODUCT_WEBSITES].append((child_id, website_id))
            qty = rng.randrange(1, 200) if child_in_stock else 0
            batch.rows[tables.STOCK_ITEMS].append((child_id, Decimal(qty), child_in_stock, True))
            if child.color is not None:
                batch.rows[tables.PRODUCT_INTS].append(
                    (plan.color_id, 0, child_id, plan.color_options[child.color])
                )
            if child.size is not None:
                batch.rows[tables.PRODUCT_INTS].append(
                    (plan.size_id, 0, child_id, plan.size_options[child.size])
                )
            batch.rows[tables.SUPER_LINKS].append((child_id, parent_id))
            batch.rows[tables.RELATIONS].append((parent_id, child_id))
            child_id += 1
