"""Validators and conditional requests (RFC 9110, section 13): ETag, If-None-Match, If-Match.

A book's ETag is its version number, so two requests agree on "the same version"
without hashing bodies. A partial representation (`?fields=`) gets a weak ETag: it
still revalidates a cache (weak comparison), but cannot be used in `If-Match`,
which requires a strong one: a client cannot overwrite a book it has not fully seen.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from bookshop.api.problems import ProblemError


def version_etag(version: int, *, weak: bool = False) -> str:
    return ("W/" if weak else "") + f'"{version}"'


def body_etag(body: Any) -> str:
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f'W/"{digest}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def none_match(request: Request, etag: str) -> bool:
    """True when If-None-Match names this representation (weak comparison): answer 304."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    return header.strip() == "*" or _opaque(etag) in {_opaque(tag) for tag in _tags(header)}


def cached_json(
    request: Request, body: Any, etag: str, cache_control: str, headers: dict[str, str] | None = None
) -> Response:
    """200 with the body, or 304 with no body when the client's copy is current."""
    headers = {"ETag": etag, "Cache-Control": cache_control, **(headers or {})}
    if none_match(request, etag):
        return Response(status_code=304, headers=headers)
    return JSONResponse(body, headers=headers)


def required_version(request: Request) -> int | None:
    """The version a write is conditional on (`If-Match`), None for `If-Match: *`; 428 without it."""
    header = request.headers.get("if-match")
    if header is None:
        raise ProblemError(
            428,
            "precondition-required",
            "send If-Match with the ETag you last read, so that you cannot overwrite a newer version",
        )
    if header.strip() == "*":
        return None
    strong = [tag for tag in _tags(header) if not tag.startswith("W/")]
    versions = [int(tag.strip('"')) for tag in strong if tag.strip('"').isdigit()]
    if len(versions) != 1:
        raise ProblemError(
            412,
            "precondition-failed",
            "If-Match must hold one strong ETag of this book, as returned by GET without ?fields",
        )
    return versions[0]
