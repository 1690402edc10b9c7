"""Rendering CMS content as Magento's GraphQL does (`Widget\\Model\\Template\\FilterEmulate`):
directives become HTML, everything else is kept as written.

- `{{media url="wysiwyg/a.png"}}` → the media base URL and the path;
- `{{store url="sale"}}` (or `direct_url=`) → `/sale`;
- `{{widget type="Magento\\Banner\\Block\\Widget\\Banner" banner_ids="1,2" ...}}` → the dynamic
  block placeholder Magento_Banner renders (`.widget.block-banners` with `data-ids` and the
  blocks' `data-uids`), which storefronts fill through `dynamicBlocks`;
- `{{block id="footer"}}` → that CMS block's content (one level deep);
- any other directive → nothing, as Magento drops a directive it cannot process."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable

from engine.uids import encode_uid

DIRECTIVE = re.compile(r"\{\{(\w+)((?:[^}]|\}(?!\}))*)\}\}")
PARAMETER = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
BANNER_WIDGET = "Magento\\Banner\\Block\\Widget\\Banner"


def parameters(text: str) -> dict[str, str]:
    return {
        m.group(1): next(g for g in (m.group(2), m.group(3), m.group(4)) if g is not None)
        for m in PARAMETER.finditer(text)
    }


def _attribute(value: str) -> str:
    """An HTML attribute value in double quotes (single quotes kept, as Magento's template)."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def banner_widget(params: dict[str, str], store_id: int) -> str:
    ids = [i.strip() for i in params.get("banner_ids", "").split(",") if i.strip().isdigit()]
    attributes = {
        "class": "widget block block-banners",
        "data-bind": "scope: 'banner'",
        "data-types": params.get("types", ""),
        "data-display-mode": params.get("display_mode", "fixed"),
        "data-ids": ",".join(ids),
        "data-uids": ",".join(encode_uid(i) for i in ids),
        "data-rotate": params.get("rotate", ""),
        "data-store-id": str(store_id),
        "data-banner-id": params.get("unique_id", ""),
    }
    rendered = " ".join(f'{k}="{_attribute(v)}"' for k, v in attributes.items())
    return f'<div {rendered}><ul class="banner-items"></ul></div>'


async def render(
    content: str | None,
    *,
    media_base_url: str,
    store_id: int,
    block_content: Callable[[str], Awaitable[str | None]] | None = None,
) -> str | None:
    """The content with its directives rendered."""
    if content is None:
        return None
    pieces: list[str] = []
    position = 0
    for match in DIRECTIVE.finditer(content):
        pieces.append(content[position : match.start()])
        position = match.end()
        name, params = match.group(1).lower(), parameters(match.group(2))
        if name == "media":
            base = media_base_url if media_base_url.endswith("/") else media_base_url + "/"
            pieces.append(base + params.get("url", "").lstrip("/"))
        elif name == "store":
            pieces.append("/" + (params.get("url") or params.get("direct_url") or "").lstrip("/"))
        elif name == "widget" and params.get("type", "").replace("\\\\", "\\") == BANNER_WIDGET:
            pieces.append(banner_widget(params, store_id))
        elif name == "block" and block_content is not None:
            pieces.append(await block_content(params.get("id", "")) or "")
    pieces.append(content[position:])
    return "".join(pieces)
