"""`GET /admin/segments/{uid}/members.csv`: a segment's members as CSV, streamed.

Rows are read in keyset batches (`service.export_members`) and written as they come, so the
server's memory stays flat whatever the segment's size (Magento's ExportCsv of the report grid)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from aiohttp import web

from engine.auth import ViewerKind, authenticate
from engine.errors import DomainError
from engine.segments import service
from engine.uids import decode_uid, encode_uid

COLUMNS = (
    "customer_uid",
    "customer_id",
    "email",
    "firstname",
    "lastname",
    "website_uid",
    "added_date",
    "updated_date",
)
# Rows written to the response per flush.
FLUSH_ROWS = 500


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _date(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _line(values: tuple[object, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def _text_error(status: int, message: str) -> web.Response:
    return web.Response(status=status, text=message + "\n", content_type="text/plain")


async def segment_members_csv(request: web.Request) -> web.StreamResponse:
    """Needs an admin (integration) bearer token: 401 otherwise, 404 for an unknown segment."""
    token = _bearer(request.headers.get("Authorization"))
    if token is None:
        return _text_error(401, "An admin bearer token is required.")
    try:
        viewer = await authenticate(token)
    except DomainError as error:
        return _text_error(401, str(error))
    if viewer.kind is not ViewerKind.ADMIN:
        return _text_error(401, "The current user isn't authorized: this needs an admin token.")
    try:
        segment_id = decode_uid(request.match_info["uid"])
        await service.get(segment_id)
    except DomainError as error:
        return _text_error(404, str(error))

    response = web.StreamResponse(
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="segment-{segment_id}-members.csv"',
        }
    )
    await response.prepare(request)
    chunk = [_line(COLUMNS)]
    async for member in service.export_members(segment_id):
        chunk.append(
            _line(
                (
                    encode_uid(member.customer_id),
                    member.customer_id,
                    member.email,
                    member.firstname or "",
                    member.lastname or "",
                    encode_uid(member.website_id),
                    _date(member.added_date),
                    _date(member.updated_date),
                )
            )
        )
        if len(chunk) >= FLUSH_ROWS:
            await response.write("".join(chunk).encode())
            chunk = []
    if chunk:
        await response.write("".join(chunk).encode())
    await response.write_eof()
    return response


def add_routes(app: web.Application) -> None:
    app.router.add_get("/admin/segments/{uid}/members.csv", segment_members_csv)
