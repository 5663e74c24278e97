"""What every request handler may need: the settings, the stores, and who is calling."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request

from bookshop.api.auth import Caller, verify
from bookshop.api.database import Pool
from bookshop.api.idempotency import IdempotencyKeys
from bookshop.api.problems import ProblemError
from bookshop.api.ratelimit import Decision, TokenBucket


@dataclass(frozen=True)
class Settings:
    """How one Bookshop API instance behaves; a lesson changes one field to show its effect."""

    secret: str  # the key that signs tokens (HS256): from the environment in production
    redis_prefix: str = "bookshop:"
    clock: Callable[[], float] = time.time
    rate_limit: tuple[int, float] | None = (100, 20.0)  # burst, then requests per second; None: no limit
    max_body_bytes: int = 16_384
    cors_origins: tuple[str, ...] = ()
    job_delay_s: float = 0.0  # stands in for a report that takes minutes
    v1_deprecated_at: datetime | None = None  # set (aware, UTC): version 1 of a book says it is deprecated
    v1_sunset: datetime | None = None  # and from when it will stop answering

    def __post_init__(self) -> None:
        for name in ("v1_deprecated_at", "v1_sunset"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise ValueError(f"Settings.{name} must be an aware datetime, e.g. datetime(2026, 7, 1, tzinfo=UTC)")


@dataclass
class Context:
    settings: Settings
    pool: Pool
    redis: Any
    limiter: TokenBucket | None = field(init=False)
    idempotency: IdempotencyKeys = field(init=False)

    def __post_init__(self) -> None:
        prefix = self.settings.redis_prefix
        limit = self.settings.rate_limit
        self.limiter = TokenBucket(self.redis, prefix, *limit) if limit else None
        self.idempotency = IdempotencyKeys(self.redis, prefix)

    def now(self) -> datetime:
        """The API's clock as a naive UTC datetime, the form MySQL DATETIME stores."""
        return datetime.fromtimestamp(self.settings.clock(), UTC).replace(tzinfo=None, microsecond=0)


def context(request: Request) -> Context:
    return request.app.state.context


Ctx = Annotated[Context, Depends(context)]
UNKNOWN = object()  # the caller before its token has been checked


def identify(request: Request, ctx: Ctx) -> Caller | None:
    """The verified caller, or None without an Authorization header; a bad token is a 401."""
    if getattr(request.state, "caller", UNKNOWN) is UNKNOWN:
        header = request.headers.get("authorization")
        request.state.caller = verify(header, ctx.settings.secret, ctx.settings.clock()) if header else None
    return request.state.caller


Identified = Annotated[Caller | None, Depends(identify)]


def rate_limited(request: Request, ctx: Ctx) -> None:
    """One token bucket per caller (per client address when anonymous); 429 when it is empty.

    Refused tokens fill a bucket of their own per address. Once it is empty the address gets 429 before its
    token is even checked, so a guess that happens to be right cannot be told from a wrong one.
    """
    address = f"ip:{request.client.host if request.client else '?'}"
    now = ctx.settings.clock()
    failures = f"auth-failures:{address}"
    if ctx.limiter is not None and "authorization" in request.headers:
        _refuse_when_empty(request, ctx.limiter, ctx.limiter.take(failures, now, cost=0))
    try:
        caller = identify(request, ctx)
    except ProblemError:
        if ctx.limiter is not None:
            ctx.limiter.take(failures, now)
        raise
    if ctx.limiter is not None:
        who = f"{caller.role}:{caller.subject}" if caller else address
        _refuse_when_empty(request, ctx.limiter, ctx.limiter.take(who, now))


def _refuse_when_empty(request: Request, limiter: TokenBucket, decision: Decision) -> None:
    request.state.rate_limit_headers = decision.headers(limiter.capacity)
    if not decision.allowed:
        raise ProblemError(
            429,
            "rate-limited",
            f"too many requests; retry in {decision.retry_after_s} s",
            headers=request.state.rate_limit_headers,
        )


def authenticated(caller: Identified) -> Caller:
    if caller is None:
        raise ProblemError(
            401,
            "unauthenticated",
            "send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="bookshop"'},
        )
    return caller


Authenticated = Annotated[Caller, Depends(authenticated)]


def staff(caller: Authenticated) -> Caller:
    if caller.role != "staff":
        raise ProblemError(403, "forbidden", "only staff may change the catalogue or run reports")
    return caller


Staff = Annotated[Caller, Depends(staff)]
