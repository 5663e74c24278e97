"""Idempotency keys for POST (draft-ietf-httpapi-idempotency-key-header).

The first request with a key claims it in Redis (`SET NX`); its response is stored
under the key, and every retry with the same key and body gets that response again
instead of a second order. A retry while the first is still running gets 409; the
same key with another body gets 422. Answers are kept for a day; a claim whose process died
mid-request expires after a minute, so that the client's retries are not refused all day.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from fastapi import Response

from bookshop.api.problems import ProblemError

TTL_S = 24 * 3600
# A claim outlives its request only if the process died mid-request; then retries may run again after this.
IN_FLIGHT_TTL_S = 60
IN_FLIGHT = "in-flight"


KEPT_HEADERS = ("content-type", "location", "cache-control")


@dataclass(frozen=True)
class StoredResponse:
    """The first answer to a key, kept to be replayed byte for byte."""

    status: int
    headers: dict[str, str]
    body: str

    @classmethod
    def of(cls, response: Response) -> StoredResponse:
        headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        return cls(response.status_code, headers, bytes(response.body).decode())

    def replay(self) -> Response:
        return Response(self.body, status_code=self.status, headers={**self.headers, "Idempotent-Replayed": "true"})


class IdempotencyKeys:
    def __init__(self, redis: Any, prefix: str) -> None:
        self.redis, self.prefix = redis, prefix

    def _key(self, caller: str, key: str) -> str:
        # Keys are per caller: one client's key can never replay another client's order.
        return f"{self.prefix}idempotency:{caller}:{key}"

    @staticmethod
    def fingerprint(body: Any) -> str:
        return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()

    def claim(self, caller: str, key: str, body: Any) -> StoredResponse | None:
        """None if this request is the first with `key`; the stored response for a retry."""
        record = {"state": IN_FLIGHT, "fingerprint": self.fingerprint(body)}
        redis_key = self._key(caller, key)
        if self.redis.set(redis_key, json.dumps(record), nx=True, ex=IN_FLIGHT_TTL_S):
            return None
        stored = json.loads(self.redis.get(redis_key) or "null")
        if stored is None:  # expired between the two calls: claim again
            return self.claim(caller, key, body)
        if stored["fingerprint"] != record["fingerprint"]:
            raise ProblemError(
                422, "idempotency-key-reused", f"Idempotency-Key {key!r} was used with a different request body"
            )
        if stored["state"] == IN_FLIGHT:
            raise ProblemError(
                409,
                "idempotency-key-in-use",
                f"a request with Idempotency-Key {key!r} is still being processed; retry later",
                headers={"Retry-After": "1"},
            )
        return StoredResponse(stored["status"], stored["headers"], stored["body"])

    def complete(self, caller: str, key: str, body: Any, response: StoredResponse) -> None:
        record = {
            "state": "done",
            "fingerprint": self.fingerprint(body),
            "status": response.status,
            "headers": response.headers,
            "body": response.body,
        }
        self.redis.set(self._key(caller, key), json.dumps(record), ex=TTL_S)

    def release(self, caller: str, key: str) -> None:
        """Forget a claim whose request failed on the server, so that a retry can run."""
        self.redis.delete(self._key(caller, key))
