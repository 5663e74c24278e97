"""The Bookshop API on a lab of its own, for the API's unit and contract tests."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from bookshop import data
from bookshop.api import Settings, create_app, database
from bookshop.api.auth import issue_token
from courselab import Lab

SECRET = "test-secret-" + "x" * 32
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@dataclass
class Clock:
    """The API's clock, moved by the test."""

    now: float = START

    def __call__(self) -> float:
        return self.now


@dataclass
class Api:
    lab: Lab
    clock: Clock
    client: TestClient
    staff: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.staff = self.bearer("staff-1", "staff")

    def bearer(self, subject: str | int, role: str = "customer", **claims: Any) -> dict[str, str]:
        token = issue_token(SECRET, subject, role, now=self.clock.now, **claims)
        return {"Authorization": f"Bearer {token}"}

    def customer(self, customer_id: int) -> dict[str, str]:
        return self.bearer(customer_id, "customer")

    def sql(self, query: str, *params: Any) -> list[dict[str, Any]]:
        conn = self.lab.mysql()
        try:
            with conn.cursor() as cur:
                cur.execute(query, params)
                return list(cur.fetchall())
        finally:
            conn.close()

    def state(self) -> tuple[Any, ...]:
        """Everything a request could change: MySQL table checksums and the lab's Redis keys and values."""
        sums = self.sql("CHECKSUM TABLE books, orders, order_lines, authors, categories, customers")
        redis = self.lab.redis
        keys = sorted(redis.scan_iter(match=self.lab.key("*")))
        values = {key: redis.hgetall(key) if redis.type(key) == "hash" else redis.get(key) for key in keys}
        return tuple(row["Checksum"] for row in sums), values


def start(name: str, **settings: Any) -> Api:
    lab = Lab(name)
    database.prepare(lab.mysql(), data.generate(size=200, seed=42))
    clock = Clock()
    app = create_app(lab.mysql, lab.redis, Settings(secret=SECRET, redis_prefix=lab.key(""), clock=clock, **settings))
    return Api(lab, clock, TestClient(app, raise_server_exceptions=False))


def unsigned_token(**payload: Any) -> str:
    """A JWT with `alg: none`: what an attacker sends hoping the server trusts the header."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."
