"""Downloads: artifacts with HTTP Range, MIME type and ETag; time-limited signed links for home delivery."""

from __future__ import annotations

import time
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import FileResponse, Response

from accessible_reader.api.deps import DeskDep, ServicesDep, StaffDep, audit
from accessible_reader.api.ranges import RangeNotSatisfiable, parse_range
from accessible_reader.api.routers.catalog import artifact_out
from accessible_reader.api.schemas import ArtifactOut, SignedLink
from accessible_reader.api.services import Services

router = APIRouter(tags=["downloads"])
_MAX_LINK_TTL_S = 90 * 24 * 3600


@router.get("/api/artifacts/{artifact_id}", responses={404: {}})
def artifact(artifact_id: str, staff: StaffDep, services: ServicesDep) -> ArtifactOut:
    """An artifact's description."""
    return artifact_out(services.artifacts.get(artifact_id))


def serve_artifact(services: Services, artifact_id: str, request: Request) -> Response:
    """The artifact's file: 200, 206 (one range) or multipart/byteranges, 304 on a matching ETag, 416 on a bad Range."""
    row = services.artifacts.get(artifact_id)
    path = services.artifacts.path_of(row)
    etag = f'"{row.checksum}"'
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=0, must-revalidate",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
    }
    if_none_match = request.headers.get("if-none-match")
    if if_none_match and etag in [t.strip() for t in if_none_match.split(",")]:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    range_header = request.headers.get("range")
    if range_header is not None:
        try:
            parse_range(range_header, path.stat().st_size)
        except RangeNotSatisfiable:
            return Response(
                status_code=status.HTTP_416_RANGE_NOT_SATISFIABLE,
                headers={"Content-Range": f"bytes */{path.stat().st_size}", "ETag": etag},
            )
    return FileResponse(path, media_type=row.media_type, headers=headers, stat_result=path.stat())


_RANGE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/octet-stream": {}}},
    206: {"description": "partial content"},
    304: {"description": "not modified"},
    404: {},
    416: {"description": "range not satisfiable"},
}


@router.get("/api/artifacts/{artifact_id}/download", response_class=FileResponse, responses=_RANGE_RESPONSES)
def download(artifact_id: str, request: Request, staff: StaffDep, services: ServicesDep) -> Response:
    """Download an artifact (staff). Players may seek with Range requests."""
    return serve_artifact(services, artifact_id, request)


@router.post("/api/artifacts/{artifact_id}/link", responses={404: {}})
def make_link(
    artifact_id: str,
    staff: DeskDep,
    services: ServicesDep,
    ttl_s: Annotated[int, Query(ge=60, le=_MAX_LINK_TTL_S)] = 7 * 24 * 3600,
) -> SignedLink:
    """A signed download link valid for ``ttl_s`` seconds (default a week), for a reader at home."""
    services.artifacts.get(artifact_id)
    expires = int(time.time()) + ttl_s
    signature = services.signer.link_signature(artifact_id, expires)
    audit(services, staff, "link_create", artifact_id, f"expires={expires}")
    return SignedLink(url=f"/d/{artifact_id}?expires={expires}&sig={signature}", expires=expires)


@router.get("/d/{artifact_id}", response_class=FileResponse, responses={**_RANGE_RESPONSES, 403: {}})
def signed_download(
    artifact_id: str,
    request: Request,
    services: ServicesDep,
    expires: Annotated[int, Query(ge=0, le=2**40)],
    sig: Annotated[str, Query(min_length=1, max_length=100)],
) -> Response:
    """Download through a signed link; 403 when the link is forged or expired."""
    if not services.signer.check_link(artifact_id, expires, sig):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="下载链接无效或已过期，请向图书馆索取新链接 / "
            "the link is invalid or expired; ask the library for a new one",
        )
    return serve_artifact(services, artifact_id, request)
