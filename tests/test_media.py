"""Product media: the admin uploads images (validated type and size) into a product's gallery
with roles; the storefront reads `image`, `small_image`, `thumbnail`, `media_gallery` and
`media_gallery_entries` as Venia's product page and listings ask for them; files are served
under /media/ or behind a CDN's base URL."""

from __future__ import annotations

import base64
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from engine import catalog
from engine.catalog import ProductChanges
from graph.uids import encode_uid
from mageseg.app import create_app
from mageseg.settings import Settings
from seeds.images import png
from tests.graphql import gql

UPLOAD = """
mutation ($input: ProductImageUploadInput!) {
  adminUploadProductImage(input: $input) {
    entry { uid file label position disabled types }
    url
    user_errors { code message path }
  }
}
"""
REMOVE = """
mutation ($uid: ID!) { adminRemoveProductImage(uid: $uid) { user_errors { code message path } } }
"""
# Venia's product page (ProductFullDetail) and gallery fields, and a listing's small image.
PRODUCT_PAGE = """
query getProductDetailForProductPage($urlKey: String!) {
  products(filter: { url_key: { eq: $urlKey } }) {
    items {
      uid
      name
      image { url label }
      small_image { url label }
      thumbnail { url label }
      media_gallery { __typename url label position disabled types }
      media_gallery_entries { uid label position disabled file }
    }
  }
}
"""
RED = png(4, 4, (200, 0, 0))
BLUE = png(4, 4, (0, 0, 200), band=2)


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


async def shirt() -> int:
    details = await catalog.create_product(
        ProductChanges(sku="shirt-1", name="Blue Shirt", price=Decimal("30"), qty=Decimal(5))
    )
    return details.product.entity_id


async def upload(client: Any, token: str, **fields: Any) -> Any:
    response = await gql(client, UPLOAD, {"input": fields}, token=token)
    assert response.errors == [], response.errors
    return response.data["adminUploadProductImage"]  # type: ignore[index]


async def page(client: Any) -> Any:
    response = await gql(client, PRODUCT_PAGE, {"urlKey": "blue-shirt"})
    assert response.errors == [], response.errors
    return response.data["products"]["items"][0]  # type: ignore[index]


async def test_uploaded_images_make_the_gallery_and_the_roles(
    client: Any, admin_token: str, media_folder: Path
) -> None:
    product = encode_uid(await shirt())
    front = await upload(
        client,
        admin_token,
        product_uid=product,
        name="Blue Shirt Front.PNG",
        base64_content=b64(RED),
        label="Front",
        types=["image", "small_image", "thumbnail"],
    )
    back = await upload(
        client, admin_token, product_uid=product, name="back.png", base64_content=b64(BLUE)
    )
    hidden = await upload(
        client,
        admin_token,
        product_uid=product,
        name="back.png",
        base64_content=b64(BLUE),
        label="Old",
        disabled=True,
        position=0,
    )
    assert front == {
        "entry": {
            "uid": front["entry"]["uid"],
            "file": "/b/l/blue_shirt_front.png",
            "label": "Front",
            "position": 1,
            "disabled": False,
            "types": ["image", "small_image", "thumbnail"],
        },
        "url": "/media/catalog/product/b/l/blue_shirt_front.png",
        "user_errors": [],
    }
    assert back["entry"]["position"] == 2
    assert hidden["entry"]["file"] == "/b/a/back_1.png"  # the name was taken

    url = "/media/catalog/product/b/l/blue_shirt_front.png"
    assert await page(client) == {
        "uid": product,
        "name": "Blue Shirt",
        "image": {"url": url, "label": "Front"},
        "small_image": {"url": url, "label": "Front"},
        "thumbnail": {"url": url, "label": "Front"},
        "media_gallery": [
            {
                "__typename": "ProductImage",
                "url": "/media/catalog/product/b/a/back_1.png",
                "label": "Old",
                "position": 0,
                "disabled": True,
                "types": [],
            },
            {
                "__typename": "ProductImage",
                "url": url,
                "label": "Front",
                "position": 1,
                "disabled": False,
                "types": ["image", "small_image", "thumbnail"],
            },
            {
                "__typename": "ProductImage",
                "url": "/media/catalog/product/b/a/back.png",
                "label": None,
                "position": 2,
                "disabled": False,
                "types": [],
            },
        ],
        "media_gallery_entries": [
            {
                "uid": hidden["entry"]["uid"],
                "label": "Old",
                "position": 0,
                "disabled": True,
                "file": "/b/a/back_1.png",
            },
            {
                "uid": front["entry"]["uid"],
                "label": "Front",
                "position": 1,
                "disabled": False,
                "file": "/b/l/blue_shirt_front.png",
            },
            {
                "uid": back["entry"]["uid"],
                "label": None,
                "position": 2,
                "disabled": False,
                "file": "/b/a/back.png",
            },
        ],
    }
    served = await client.get(url)
    assert served.status == 200
    assert await served.read() == RED
    assert (media_folder / "catalog/product/b/a/back_1.png").read_bytes() == BLUE

    removed = await gql(client, REMOVE, {"uid": front["entry"]["uid"]}, token=admin_token)
    assert removed.data == {"adminRemoveProductImage": {"user_errors": []}}
    after = await page(client)
    assert after["image"] == {
        "url": "/media/catalog/product/placeholder/image.jpg",
        "label": "Blue Shirt",
    }
    assert [e["position"] for e in after["media_gallery"]] == [0, 2]
    assert not (media_folder / "catalog/product/b/l/blue_shirt_front.png").exists()
    assert (await client.get(url)).status == 404


async def test_uploads_are_checked_and_nothing_is_kept_when_refused(
    client: Any, admin_token: str, media_folder: Path
) -> None:
    product = encode_uid(await shirt())
    refused = await upload(
        client,
        admin_token,
        product_uid=product,
        name="script.exe",
        base64_content=b64(b"MZ not an image"),
        types=["swatch"],
    )
    assert refused == {
        "entry": None,
        "url": None,
        "user_errors": [
            {
                "code": "INVALID",
                "message": "The image content must be a JPEG, PNG, GIF or WebP image.",
                "path": "input.base64_content",
            },
            {
                "code": "INVALID",
                "message": "The file name's extension must be jpg, jpeg, png, gif or webp.",
                "path": "input.name",
            },
            {
                "code": "INVALID",
                "message": "An image type must be image, small_image or thumbnail.",
                "path": "input.types.0",
            },
        ],
    }
    not_base64 = await upload(
        client, admin_token, product_uid=product, name="a.png", base64_content="%%%"
    )
    assert not_base64["user_errors"] == [
        {
            "code": "INVALID",
            "message": "The image content must be base64-encoded.",
            "path": "input.base64_content",
        }
    ]
    no_product = await upload(
        client, admin_token, product_uid=encode_uid(999), name="a.png", base64_content=b64(RED)
    )
    assert no_product["user_errors"] == [
        {
            "code": "NOT_FOUND",
            "message": "The product that was requested doesn't exist. "
            "Verify the product and try again.",
            "path": "input.product_uid",
        }
    ]
    assert not (media_folder / "catalog").exists()
    guest = await gql(
        client,
        UPLOAD,
        {"input": {"product_uid": product, "name": "a.png", "base64_content": b64(RED)}},
    )
    assert guest.categories == ["graphql-authorization"]


async def test_size_limit_and_cdn_base_url(
    aiohttp_client: Any, settings: Settings, db: Any, admin_token: str
) -> None:
    cdn = replace(
        settings, media_url="https://cdn.example.com/media/", media_max_upload_bytes=len(RED)
    )
    client = await aiohttp_client(create_app(cdn, manage_database=False))
    product = encode_uid(await shirt())
    too_big = await upload(
        client, admin_token, product_uid=product, name="b.png", base64_content=b64(BLUE + b"x")
    )
    assert too_big["user_errors"] == [
        {
            "code": "INVALID",
            "message": f"The file is {len(BLUE) + 1} bytes, more than the {len(RED)} allowed.",
            "path": "input.base64_content",
        }
    ]
    done = await upload(
        client,
        admin_token,
        product_uid=product,
        name="front.png",
        base64_content=b64(RED),
        types=["thumbnail"],
    )
    assert done["url"] == "https://cdn.example.com/media/catalog/product/f/r/front.png"
    item = await page(client)
    assert item["thumbnail"] == {
        "url": "https://cdn.example.com/media/catalog/product/f/r/front.png",
        "label": "Blue Shirt",
    }
    # The origin still serves the folder at /media/ for the CDN to pull.
    assert await (await client.get("/media/catalog/product/f/r/front.png")).read() == RED
    config = await gql(client, "{ storeConfig { secure_base_media_url } }")
    assert config.data == {
        "storeConfig": {"secure_base_media_url": "https://cdn.example.com/media/"}
    }
