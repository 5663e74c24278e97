"""Which checks passed, so that a test run skips those whose inputs have not changed.

A notebook's fingerprint covers everything that can change its outputs: the
notebook file itself, the code it imports from this project (courselab/,
bookshop/), the pinned requirements, the Python version and the versions of the
servers it talks to. A green run records the fingerprint; the next run executes
the notebook again only if the fingerprint differs. The browser tests use the
same records, keyed on the built site's files. `make test FORCE=1` (the
environment variable COURSE_FORCE=1) executes everything regardless.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
from functools import cache
from pathlib import Path

from courselab import config, services
from courselab.config import CACHE_DIR, PROJECT_ROOT

RECORDS = CACHE_DIR / "verified"
CODE = ["courselab", "bookshop"]


def _server_versions() -> str:
    versions = []
    if services.reachable(config.mysql(), timeout=1):
        import pymysql

        service = config.mysql()
        with pymysql.connect(host=service.host, port=service.port, **config.mysql_credentials()) as conn:
            with conn.cursor() as cur:
                cur.execute("SELECT VERSION()")
                versions.append(f"mysql {cur.fetchone()[0]}")
    if services.reachable(config.redis(), timeout=1):
        import redis

        versions.append(f"redis {redis.Redis.from_url(config.redis_url()).info('server')['redis_version']}")
    versions.append(f"mongodb-server {services.reachable(config.mongodb(), timeout=0.5)}")
    return "\n".join(versions)


@cache
def environment() -> str:
    """The fingerprint of everything but the notebook: code, requirements, interpreter, servers."""
    digest = hashlib.sha256()
    for folder in CODE:
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".sql"):
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + path.read_bytes())
    digest.update((PROJECT_ROOT / "requirements.txt").read_bytes())
    # Every installed distribution, not only requirements.txt's pins: their dependencies run in lessons too.
    installed = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    digest.update("\n".join(installed).encode())
    digest.update(platform.python_version().encode() + _server_versions().encode())
    digest.update(os.environ.get("COURSE_MONGODB", "auto").encode())
    return digest.hexdigest()


def fingerprint(notebook: Path) -> str:
    return hashlib.sha256(notebook.read_bytes() + environment().encode()).hexdigest()


def _record(key: str) -> Path:
    return RECORDS / hashlib.sha256(key.encode()).hexdigest()[:24]


def passed_before(key: str, print_: str) -> bool:
    """Did the check named `key` pass when its inputs had this fingerprint? (Never, with COURSE_FORCE=1.)"""
    if os.environ.get("COURSE_FORCE") == "1":
        return False
    record = _record(key)
    return record.is_file() and record.read_text() == print_


def record_pass(key: str, print_: str) -> None:
    RECORDS.mkdir(parents=True, exist_ok=True)
    _record(key).write_text(print_)


def directory_fingerprint(folder: Path, ignore: tuple[str, ...] = ()) -> str:
    """The fingerprint of every file under `folder` (names and bytes), minus names in `ignore`."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in ignore:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
