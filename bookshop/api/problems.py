"""Errors as Problem Details (RFC 9457): one JSON shape a client can act on.

Every error the API returns, including FastAPI's own 404/405/422 and a crash,
leaves through `problem()`, so a client never has to parse an HTML page or prose.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://bookshop.example/problems/"
log = logging.getLogger("bookshop.api")

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    411: "Length required",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
}


class Problem(BaseModel):
    """The body of every error response (RFC 9457, section 3)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None


class ProblemError(Exception):
    """Raise to answer with a problem: `ProblemError(409, "out-of-stock", "…", book_id=7)`."""

    def __init__(self, status: int, slug: str, detail: str, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status, self.slug, self.detail = status, slug, detail
        self.headers = headers or {}
        self.extra = extra

    def response(self, instance: str | None = None) -> JSONResponse:
        return problem(self.status, self.slug, self.detail, instance=instance, headers=self.headers, **self.extra)


def problem(
    status: int,
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": TYPE_BASE + slug, "title": TITLES.get(status, "Error"), "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body.update(extra)
    # An error describes this request only: no cache may store it.
    return JSONResponse(
        body, status_code=status, media_type=MEDIA_TYPE, headers={"Cache-Control": "no-store", **(headers or {})}
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """FastAPI's error list, kept to what a client needs: where, and what is wrong."""
    return [
        {"location": ".".join(str(part) for part in error["loc"]), "message": error["msg"]} for error in exc.errors()
    ]


SLUGS = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "content-too-large",
    415: "unsupported-media-type",
}


def install(app: FastAPI) -> None:
    """Route every error through `problem()`, and document errors as Problem Details."""
    app.openapi = openapi_with_problem_media_type(app)

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return exc.response(instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors)
        return problem(422, "invalid-request", detail, instance=request.url.path, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        headers = dict(exc.headers or {})
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no resource at {request.url.path}"
        if exc.status_code == 405:
            # Starlette names the methods of the first route that matched the path; RFC 9110, 15.5.6, wants all.
            headers["Allow"] = ", ".join(allowed_methods(app, request))
            detail = f"{request.method} is not allowed on {request.url.path}; allowed: {headers['Allow']}"
        slug = SLUGS.get(exc.status_code, "http-error")
        return problem(exc.status_code, slug, detail, instance=request.url.path, headers=headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        # The client learns that it failed, not how: details stay in the server's log.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(
            500, "internal-error", "the server failed to answer; the error is logged", instance=request.url.path
        )


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method the API documents at this request's path (its OpenAPI paths are its routes)."""
    methods = set()
    for template, operations in app.openapi()["paths"].items():
        if compile_path(template)[0].match(request.url.path):
            methods |= {method.upper() for method in operations}
    return sorted(methods)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these error statuses, all Problem Details."""
    return {status: {"model": Problem, "description": TITLES[status]} for status in statuses}


def openapi_with_problem_media_type(app: FastAPI) -> Any:
    """The app's OpenAPI document, with error bodies under `application/problem+json`.

    FastAPI files every documented model under the route's media type, `application/json`;
    error responses are sent as Problem Details, so the document must say so.
    """
    default = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = default()
            for operation in (op for path in document["paths"].values() for op in path.values()):
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[MEDIA_TYPE] = content.pop("application/json")
                        # FastAPI's own 422 documents its default body, which problem() replaces.
                        content[MEDIA_TYPE]["schema"] = {"$ref": "#/components/schemas/Problem"}
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            app.openapi_schema = document
        return app.openapi_schema

    return openapi
