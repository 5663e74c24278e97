"""The Bookshop API: one FastAPI application over the Bookshop's MySQL and Redis."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, FastAPI

from bookshop.api import books, middleware, orders, problems, reports
from bookshop.api.context import Context, Settings, rate_limited
from bookshop.api.database import Pool

DESCRIPTION = """The Bookshop's catalogue and orders over HTTP.

Errors are Problem Details (RFC 9457). Writes to a book need `If-Match`; orders accept an
`Idempotency-Key`. Authenticate with `Authorization: Bearer <token>`."""


def create_app(connect: Callable[[], Any], redis: Any, settings: Settings, pool_size: int = 4) -> FastAPI:
    """The API, reading MySQL through `connect()` (a new autocommit, dict-row connection) and `redis`."""
    app = FastAPI(
        title="Bookshop API",
        version="1.0.0",
        description=DESCRIPTION,
        dependencies=[Depends(rate_limited)],
        responses=problems.documented(400, 413, 422, 429, 500),
    )
    app.state.context = Context(settings, Pool(connect, pool_size), redis)
    problems.install(app)
    middleware.install(app, settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            middleware.ProblemCORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "PATCH"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key"],
            expose_headers=["ETag", "Location", "Link", "Retry-After"],
            max_age=600,
        )

    @app.get("/v1", tags=["root"])
    def root() -> dict[str, Any]:
        """Where a client starts: links to what it can do next (hypermedia)."""
        return {
            "links": {
                "books": "/v1/books",
                "orders": "/v1/orders",
                "reports": "/v1/reports",
                "openapi": "/openapi.json",
            }
        }

    for router in (books.router, orders.router, reports.router):
        app.include_router(router)
    return app
