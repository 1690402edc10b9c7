"""GraphiQL without a CDN: its scripts come from npm packages pinned by version and checksum,
fetched once at setup (`make`, or `python -m mageseg.graphiql var/graphiql`) and served by
mageseg at /graphiql/. The page opens with an example storefront query and the `Store` and
`Authorization` headers ready to fill in. Without the fetched files, GET /graphql falls back to
strawberry's GraphiQL page, which loads from a CDN."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    # npm's `dist.integrity` (sha512 of the tarball, base64)
    integrity: str
    # tarball member → file name under the assets folder
    files: tuple[tuple[str, str], ...]


PACKAGES = (
    Package(
        "react",
        "18.3.1",
        "sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==",
        (("package/umd/react.production.min.js", "react.production.min.js"),),
    ),
    Package(
        "react-dom",
        "18.3.1",
        "sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==",
        (("package/umd/react-dom.production.min.js", "react-dom.production.min.js"),),
    ),
    Package(
        "graphiql",
        "3.9.0",
        "sha512-rJYFlHdBbug9+YbFSwRVvgfPjCayC7wHecZkx/qB4XLuQPFQZw/yB9pmHFtOJV6RiNBBHro3u1GdocKa3YcGRA==",
        (
            ("package/graphiql.min.js", "graphiql.min.js"),
            ("package/graphiql.min.css", "graphiql.min.css"),
        ),
    ),
)
ASSET_NAMES = tuple(name for package in PACKAGES for _, name in package.files)

EXAMPLE_QUERY = """# mageseg speaks Magento's storefront GraphQL. Set the Store header to a store
# view code, and Authorization to "Bearer <token>" for a customer or an admin.
query ResolveURL($url: String! = "/") {
  route(url: $url) {
    relative_url
    redirect_code
    type
    ... on CmsPage { identifier title }
  }
  storeConfig { store_code store_name base_currency_code }
  products(search: "", pageSize: 3) {
    total_count
    items { sku name small_image { url } }
    aggregations { attribute_code label count }
  }
}
"""
EXAMPLE_HEADERS = {"Store": "default", "Authorization": "Bearer "}


def integrity_of(content: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(content).digest()).decode()


def extract(package: Package, tarball: bytes, folder: Path) -> None:
    """Check the tarball against the pinned checksum, then write the package's files."""
    found = integrity_of(tarball)
    if found != package.integrity:
        raise ValueError(
            f"{package.name}@{package.version}: checksum {found} is not the pinned "
            f"{package.integrity}"
        )
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "package.tgz"
        archive.write_bytes(tarball)
        with tarfile.open(archive) as tar:
            for member, name in package.files:
                source = tar.extractfile(member)
                if source is None:
                    raise ValueError(f"{package.name}@{package.version} has no {member}")
                (folder / name).write_bytes(source.read())


def fetch(folder: Path) -> None:
    """Fetch every package with npm (its registry client), verify and extract."""
    with tempfile.TemporaryDirectory() as scratch:
        for package in PACKAGES:
            subprocess.run(
                ["npm", "pack", f"{package.name}@{package.version}", "--silent"],
                cwd=scratch,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            tarball = Path(scratch) / f"{package.name}-{package.version}.tgz"
            extract(package, tarball.read_bytes(), folder)


def available(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ASSET_NAMES)


def page(assets_url: str = "/graphiql/", endpoint: str = "/graphql") -> str:
    """The GraphiQL page, loading everything from `assets_url`."""
    props = {
        "defaultQuery": EXAMPLE_QUERY,
        "defaultHeaders": json.dumps(EXAMPLE_HEADERS, indent=2),
        "shouldPersistHeaders": True,
    }
    base = html.escape(assets_url, quote=True)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mageseg GraphiQL</title>
<link rel="stylesheet" href="{base}graphiql.min.css">
<style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL...</div>
<script src="{base}react.production.min.js"></script>
<script src="{base}react-dom.production.min.js"></script>
<script src="{base}graphiql.min.js"></script>
<script>
const props = {json.dumps(props)};
props.fetcher = GraphiQL.createFetcher({{ url: {json.dumps(endpoint)} }});
ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, props)
);
</script>
</body>
</html>
"""


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/graphiql")
    if available(target):
        sys.exit(0)
    fetch(target)
    print(f"GraphiQL assets in {target}")
