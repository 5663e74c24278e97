"""What wraps every request: a request id and one access-log line, a cap on body size, and CORS."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request, Response
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware

from bookshop.api.problems import problem

access_log = logging.getLogger("bookshop.api.access")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def install(app: FastAPI, max_body_bytes: int) -> None:
    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Response:
        # Refuse a large body before reading it: the declared length is enough to say no.
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > max_body_bytes):
            return problem(
                413,
                "content-too-large",
                f"a request body may hold at most {max_body_bytes} bytes",
                instance=request.url.path,
            )
        if length is None and request.headers.get("transfer-encoding"):
            return problem(411, "length-required", "send Content-Length with a request body", instance=request.url.path)
        return await call_next(request)

    @app.middleware("http")
    async def request_id_and_access_log(request: Request, call_next: Any) -> Response:
        # A client's id is kept when it is safe to log, so one id follows a request across services.
        incoming = request.headers.get("x-request-id", "")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        started = time.perf_counter()
        response = await call_next(request)
        response.headers["X-Request-ID"] = request_id
        for name, value in getattr(request.state, "rate_limit_headers", {}).items():
            response.headers.setdefault(name, value)
        caller = getattr(request.state, "caller", None)
        # One JSON line per request; never the Authorization header, a body, or a query's personal data.
        access_log.info(
            json.dumps(
                {
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.url.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "caller": f"{caller.role}:{caller.subject}" if caller else None,
                }
            )
        )
        return response


class ProblemCORSMiddleware(CORSMiddleware):
    """Starlette's CORS middleware, with a refused preflight answered as Problem Details, not plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        kept = {k: v for k, v in response.headers.items() if k not in ("content-length", "content-type")}
        return problem(400, "cors-refused", bytes(response.body).decode(), headers=kept)
