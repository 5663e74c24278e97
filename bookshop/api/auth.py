"""Bearer tokens (RFC 6750) carrying a JWT, validated the way RFC 8725 asks.

The Bookshop's authorization server is out of scope: `issue_token` plays its part so
that lessons and tests can hold a token. The API itself only validates: one pinned
algorithm (never `none`, never the token's own choice), a signature, an issuer, an
audience, and an expiry checked against the API's clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import jwt

from bookshop.api.problems import ProblemError

ALGORITHM = "HS256"
ISSUER = "https://auth.bookshop.example"
AUDIENCE = "bookshop-api"
LEEWAY_S = 30  # clocks of two machines differ by a few seconds

Role = Literal["customer", "staff"]


@dataclass(frozen=True)
class Caller:
    """Who sent the request: a customer (by id) or a member of staff."""

    subject: str
    role: Role

    @property
    def customer_id(self) -> int | None:
        return int(self.subject) if self.role == "customer" else None


def issue_token(secret: str, subject: str | int, role: Role, *, now: float, ttl_s: int = 900, **claims: Any) -> str:
    payload = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(subject),
        "role": role,
        "iat": int(now),
        "exp": int(now) + ttl_s,
        **claims,
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def _unauthenticated(detail: str, error: str | None = "invalid_token") -> ProblemError:
    challenge = 'Bearer realm="bookshop"' + (f', error="{error}"' if error else "")
    return ProblemError(401, "unauthenticated", detail, headers={"WWW-Authenticate": challenge})


def verify(authorization: str | None, secret: str, now: float) -> Caller:
    """The caller named by an `Authorization: Bearer <jwt>` header, or a 401 problem (400 if malformed)."""
    if not authorization:
        raise _unauthenticated("send 'Authorization: Bearer <token>'", error=None)
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer":
        # Another scheme is no malformed bearer request: RFC 6750, 3.1, a challenge without an error code.
        raise _unauthenticated(f"this API takes 'Authorization: Bearer <token>', not {scheme!r}", error=None)
    if not token.strip():
        raise ProblemError(
            400,
            "invalid-request",
            "the Authorization header holds no token after 'Bearer'",
            headers={"WWW-Authenticate": 'Bearer realm="bookshop", error="invalid_request"'},
        )
    try:
        claims = jwt.decode(
            token.strip(),
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            # Expiry is checked below against the API's clock, which tests and lessons can set.
            options={"require": ["exp", "iat", "sub", "iss", "aud"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError as err:
        raise _unauthenticated(f"invalid token: {err}") from None
    if not isinstance(claims["exp"], int) or claims["exp"] + LEEWAY_S <= now:
        raise _unauthenticated("the token has expired")
    if claims.get("role") not in ("customer", "staff"):
        raise _unauthenticated("the token names no known role")
    if claims["role"] == "customer" and not re.fullmatch(r"[1-9][0-9]{0,8}", str(claims["sub"])):
        raise _unauthenticated("a customer token's subject must be a customer id")
    return Caller(str(claims["sub"]), claims["role"])
