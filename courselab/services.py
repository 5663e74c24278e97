"""Finding the services, and starting them for the test suite when they are down.

`python -m courselab services` is what `make test` runs first: it finds MySQL
(MariaDB here) and Redis, starts the locally installed server when one is not
answering, and stops with what to install when a server is not there at all.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time

from courselab import config
from courselab.config import Service
from courselab.errors import ServiceUnavailable


def reachable(service: Service, timeout: float = config.CONNECT_TIMEOUT_S) -> bool:
    try:
        with socket.create_connection((service.host, service.port), timeout=timeout):
            return True
    except OSError:
        return False


def require(service: Service) -> None:
    """Raise a learner-readable ServiceUnavailable unless the service accepts connections."""
    try:
        with socket.create_connection((service.host, service.port), timeout=config.CONNECT_TIMEOUT_S):
            return
    except TimeoutError:
        raise ServiceUnavailable(service, f"no answer within {config.CONNECT_TIMEOUT_S:.0f} s") from None
    except OSError as err:
        raise ServiceUnavailable(service, err.strerror or str(err)) from None


# How to start each service from the distro packages on this project's machines.
LOCAL_STARTERS: dict[str, tuple[str, list[str]]] = {
    "MySQL": (
        "mariadbd",
        ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"],
    ),
    "Redis": (
        "redis-server",
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "-::1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
    ),
}


def _installed(binary: str) -> bool:
    return shutil.which(binary) is not None or shutil.which(binary, path="/usr/sbin:/usr/local/sbin") is not None


def ensure_up(service: Service, wait_s: float = 30.0) -> str:
    """Return how the service was found ('running' or 'started'); raise if it cannot be had."""
    if reachable(service, timeout=1.0):
        return "running"
    binary, command = LOCAL_STARTERS[service.name]
    local = service.host in ("127.0.0.1", "localhost", "::1")
    if not local or not _installed(binary):
        raise ServiceUnavailable(service, f"not running, and no local {binary} to start")
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if reachable(service, timeout=1.0):
            return "started"
        time.sleep(0.2)
    raise ServiceUnavailable(service, f"started {binary} but it did not answer within {wait_s:.0f} s")


def up() -> int:
    ok = True
    for service in (config.mysql(), config.redis()):
        try:
            print(f"{service.name:<8} {service.address:<16} {ensure_up(service)}")
        except (ServiceUnavailable, subprocess.CalledProcessError) as err:
            ok = False
            print(f"{service.name:<8} {service.address:<16} MISSING\n  {err}", file=sys.stderr)
    mongo = "real server" if reachable(config.mongodb(), timeout=0.5) else "embedded engine (mongomock)"
    print(f"{'MongoDB':<8} {config.mongodb().address:<16} {mongo}")
    if not ok:
        print(
            "\nInstall the missing server (Debian/Ubuntu: apt install mariadb-server redis-server)"
            " or run `docker compose up -d`, then try again.",
            file=sys.stderr,
        )
    return 0 if ok else 1
