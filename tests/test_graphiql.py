"""GraphiQL offline: pinned assets are checked against their checksum when fetched, and served
by mageseg with a page that needs no CDN (prefilled query and Store/Authorization headers)."""

from __future__ import annotations

import io
import tarfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from mageseg import graphiql
from mageseg.app import create_app
from mageseg.settings import Settings


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def test_a_tarball_is_extracted_only_when_its_checksum_is_the_pinned_one(tmp_path: Path) -> None:
    content = tarball({"package/umd/react.production.min.js": b"react()"})
    package = graphiql.Package(
        "react",
        "18.3.1",
        graphiql.integrity_of(content),
        (("package/umd/react.production.min.js", "react.production.min.js"),),
    )
    graphiql.extract(package, content, tmp_path)
    assert (tmp_path / "react.production.min.js").read_bytes() == b"react()"

    tampered = tarball({"package/umd/react.production.min.js": b"evil()"})
    with pytest.raises(ValueError, match="is not the pinned"):
        graphiql.extract(package, tampered, tmp_path / "other")
    assert not (tmp_path / "other").exists()


async def test_graphiql_is_served_from_local_assets(
    aiohttp_client: Any, settings: Settings, db: Any, tmp_path: Path
) -> None:
    assets = tmp_path / "graphiql"
    assets.mkdir()
    for name in graphiql.ASSET_NAMES:
        (assets / name).write_text(f"/* {name} */")
    client = await aiohttp_client(
        create_app(replace(settings, graphiql_assets_path=str(assets)), manage_database=False)
    )
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    page = await response.text()
    assert response.status == 200
    assert '<script src="/graphiql/graphiql.min.js"></script>' in page
    assert "unpkg" not in page
    assert "jsdelivr" not in page
    assert "query ResolveURL" in page
    assert '\\"Store\\": \\"default\\"' in page
    script = await client.get("/graphiql/react.production.min.js")
    assert await script.text() == "/* react.production.min.js */"


async def test_without_fetched_assets_strawberrys_page_is_served(
    aiohttp_client: Any, settings: Settings, db: Any, tmp_path: Path
) -> None:
    missing = replace(settings, graphiql_assets_path=str(tmp_path / "not-fetched"))
    client = await aiohttp_client(create_app(missing, manage_database=False))
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status == 200
    assert "https://unpkg.com/" in await response.text()
    assert (await client.get("/graphiql/graphiql.min.js")).status == 404
