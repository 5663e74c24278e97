"""Where the services are: the one place that reads the environment.

Every address has a local default that matches `docker compose up` and the
distro packages, so a learner sets nothing unless their set-up differs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("COURSE_CACHE_DIR", PROJECT_ROOT / ".cache"))


@dataclass(frozen=True)
class Service:
    """A server a lesson talks to, and how a learner gets one running."""

    name: str
    host: str
    port: int
    start_command: str

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


def mysql() -> Service:
    return Service(
        "MySQL",
        os.environ.get("MYSQL_HOST", "127.0.0.1"),
        int(os.environ.get("MYSQL_PORT", "3306")),
        "docker compose up -d mysql   (or: sudo systemctl start mariadb)",
    )


def mysql_credentials() -> dict[str, str]:
    return {
        "user": os.environ.get("MYSQL_USER", "root"),
        "password": os.environ.get("MYSQL_PASSWORD", ""),
    }


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis() -> Service:
    host, port = _host_port(redis_url(), 6379)
    return Service("Redis", host, port, "docker compose up -d redis   (or: sudo systemctl start redis-server)")


def mongodb_uri() -> str:
    return os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017")


def mongodb() -> Service:
    host, port = _host_port(mongodb_uri(), 27017)
    return Service("MongoDB", host, port, "docker compose up -d mongodb")


# How long a lesson waits for a service before it says what is wrong.
CONNECT_TIMEOUT_S = float(os.environ.get("COURSE_CONNECT_TIMEOUT", "3"))
