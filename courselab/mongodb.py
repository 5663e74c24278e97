"""MongoDB: a real server when one answers, otherwise the embedded engine.

No package registry these machines reach carries a MongoDB server, so lessons
fall back to mongomock, which covers CRUD, most aggregation stages and unique
indexes. Cells that need a real server carry the tag `needs-mongodb-server` and
are skipped on the embedded engine. `COURSE_MONGODB=embedded` forces the fallback.
"""

from __future__ import annotations

import os
from importlib.metadata import version
from typing import Any

from courselab import config, services


def connect() -> tuple[Any, str]:
    """(a MongoClient or mongomock's, a description of the engine for the lesson to print)."""
    service = config.mongodb()
    wanted = os.environ.get("COURSE_MONGODB", "auto")
    if wanted != "embedded" and services.reachable(service, timeout=0.5):
        import pymongo

        client = pymongo.MongoClient(config.mongodb_uri(), serverSelectionTimeoutMS=3000)
        return client, f"MongoDB server {client.server_info()['version']}"
    if wanted == "server":
        services.require(service)
    import mongomock

    return mongomock.MongoClient(), f"embedded engine (mongomock {version('mongomock')})"


def engine_is_server() -> bool:
    """What the executor asks before running a cell tagged needs-mongodb-server."""
    return os.environ.get("COURSE_MONGODB") != "embedded" and services.reachable(config.mongodb(), timeout=0.5)
