"""Extra database servers that a lesson starts, breaks and stops by itself.

Replication, failover and durability only show with more than one server, or with a
server you are allowed to stop: a primary and its replica, a replica that lags, a
server that crashes. The shared services cannot be used for that, since every other
notebook talks to them. So a lesson starts its own throwaway servers here: each one a
child process bound to 127.0.0.1 on a free port, its data in a temporary folder, and
stopped when the lesson ends, when its kernel exits, or when start-up fails.

    from courselab.instances import start_mariadb

    primary = start_mariadb(server_id=1)            # binary log on
    with primary.connect() as conn: ...             # a PyMySQL connection as root
    primary.stop()                                  # or: with start_mariadb(2) as replica: ...

    redis = start_redis("--maxmemory", "2mb")       # a Redis whose settings are the lesson's
    redis.client().set("k", "v"); redis.kill(); redis.restart()
    sentinel = start_sentinel(redis.port)           # a Sentinel watching that server as its primary

`Instance` is the part any server shares (process, port, folder, stop, clean-up); each
kind of server adds one `start_*` function.
"""

from __future__ import annotations

import atexit
import functools
import getpass
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from courselab import services
from courselab.config import Service
from courselab.errors import ServiceUnavailable
from courselab.servers import free_port

if TYPE_CHECKING:
    import pymysql

# Server binaries often live in sbin folders that a normal user's PATH leaves out.
EXTRA_PATHS = ("/usr/sbin", "/usr/local/sbin", "/opt/homebrew/sbin", "/opt/homebrew/bin", "/usr/local/bin")
MARIADB_INSTALL = "Debian/Ubuntu: sudo apt install mariadb-server   macOS: brew install mariadb"


class ProgramNotInstalled(ServiceUnavailable):
    """A program the lesson runs is not installed; the message says what to install.

    A ServiceUnavailable, so a notebook shows it as a message rather than a stack trace.
    """

    def __init__(self, names: tuple[str, ...], install: str, why: str) -> None:
        self.service = None
        RuntimeError.__init__(
            self,
            f"{' or '.join(names)} is not installed (looked in PATH and {', '.join(EXTRA_PATHS[:2])}).\n"
            f"This part of the lesson {why}.\n"
            f"Install it with: {install}",
        )


def find_program(*names: str, install: str, why: str = "needs it") -> str:
    """The full path of the first of `names` that is installed, or ProgramNotInstalled."""
    search = os.pathsep.join([os.environ.get("PATH", ""), *EXTRA_PATHS])
    for name in names:
        if found := shutil.which(name, path=search):
            return found
    raise ProgramNotInstalled(names, install, why)


_running: list[Instance] = []


@atexit.register
def stop_all() -> None:
    """Stop every instance still running; registered to run when the interpreter exits."""
    for instance in list(_running):
        instance.stop()


class Instance:
    """A server process on 127.0.0.1:`port` whose files live in `directory`."""

    kind = "server"

    def __init__(self, name: str, port: int, directory: Path, process: subprocess.Popen, log: Path) -> None:
        self.name = name
        self.port = port
        self.directory = directory
        self.process = process
        self.log = log
        _running.append(self)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def wait_until(self, answers: Callable[[], bool], timeout: float) -> None:
        """Poll `answers()` until it is true; fail with the end of the log if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while not answers():
            if not self.running:
                raise RuntimeError(f"{self.kind} exited during start-up. The end of its log:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{self.kind} did not answer within {timeout:.0f} s. The end of its log:\n{self.log_tail()}"
                )
            time.sleep(0.05)

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def kill(self) -> None:
        """Stop the process the way a power cut would (SIGKILL), keeping its files."""
        if self.running:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self, remove_files: bool = True) -> None:
        """Stop cleanly (SIGTERM, then SIGKILL after 10 s) and delete the folder. Safe to call twice."""
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self in _running:
            _running.remove(self)
        if remove_files:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<{self.kind} {self.name!r} on 127.0.0.1, {state}>"


class MariaDBInstance(Instance):
    """A MariaDB server of its own: root without a password, reachable on loopback only."""

    kind = "MariaDB"

    def __init__(self, *args: Any, server_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.server_id = server_id

    @property
    def datadir(self) -> Path:
        return self.directory / "data"

    def connect(self, **options: Any) -> pymysql.Connection:
        """A new PyMySQL connection as root (DictCursor, autocommit); options go to pymysql.connect."""
        import pymysql
        import pymysql.cursors

        settings: dict[str, Any] = dict(
            host="127.0.0.1",
            port=self.port,
            user="root",
            password="",
            charset="utf8mb4",
            connect_timeout=3,
            autocommit=True,
            cursorclass=pymysql.cursors.DictCursor,
        )
        settings.update(options)
        return pymysql.connect(**settings)

    def client_options(self) -> list[str]:
        """Command-line options that point the mariadb client tools at this instance."""
        return ["--no-defaults", "--protocol=TCP", "--host=127.0.0.1", f"--port={self.port}", "--user=root"]


def _mariadb_answers(instance: MariaDBInstance) -> bool:
    import pymysql

    try:
        instance.connect(connect_timeout=1).close()
        return True
    except pymysql.err.OperationalError:
        return False


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM the server if the process that started it dies without cleaning up.

    atexit does not run when a kernel is killed; without this, its servers would outlive it.
    """
    import ctypes

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


PREFIX = "courselab-server-"
OWNER = "owner.pid"  # the process that made a folder; a folder whose owner has died is left-over


def _make_folder(kind: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-"))
    (folder / OWNER).write_text(str(os.getpid()))
    return folder


def _remove_leftovers() -> None:
    """Delete the folders of servers whose notebook was killed before it could clean up."""
    for folder in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            owner = int((folder / OWNER).read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue  # not ours to judge: unreadable, or owned by another user


_templates: dict[tuple[str, ...], Path] = {}


@atexit.register
def _remove_templates() -> None:
    for template in _templates.values():
        shutil.rmtree(template.parent, ignore_errors=True)


def _mariadb_template(install_db: str, user: str, sizes: tuple[str, ...]) -> Path:
    """An initialized, never-started data directory, made once per process and copied for each server.

    mariadb-install-db takes seconds on a busy machine; copying its result takes milliseconds.
    """
    key = (install_db, user, *sizes)
    if key not in _templates:
        folder = _make_folder("template")
        setup = subprocess.run(
            [
                install_db,
                "--no-defaults",
                f"--user={user}",
                f"--datadir={folder / 'data'}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                *sizes,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if setup.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"mariadb-install-db failed:\n{(setup.stdout + setup.stderr)[-2000:]}")
        _templates[key] = folder / "data"
    return _templates[key]


def start_mariadb(
    server_id: int,
    *,
    log_bin: bool = True,
    options: tuple[str, ...] | list[str] = (),
    name: str | None = None,
    timeout: float = 20.0,
) -> MariaDBInstance:
    """Start a MariaDB server with an empty data directory on a free loopback port.

    `server_id` must differ between servers that replicate from each other. With `log_bin`
    the server writes a binary log (files `binlog.NNNNNN` in its data directory); relay logs
    are named `relay-bin.NNNNNN`, so file names never depend on the host name. `options` are
    extra mariadbd options, such as "--rpl-semi-sync-master-enabled=ON".
    """
    why = "starts extra MariaDB servers of its own (mariadbd), for replication and recovery"
    # MariaDB's own names only: MySQL's mysqld takes different start-up options and has no install-db.
    mariadbd = find_program("mariadbd", install=MARIADB_INSTALL, why=why)
    install_db = find_program("mariadb-install-db", install=MARIADB_INSTALL, why=why)
    user = getpass.getuser()
    # Small memory and log files: a lesson's server holds kilobytes, and several run at once.
    sizes = ("--innodb-buffer-pool-size=16M", "--innodb-log-file-size=4M")
    _remove_leftovers()
    template = _mariadb_template(install_db, user, sizes)
    directory = _make_folder(str(server_id))
    datadir = directory / "data"
    try:
        shutil.copytree(template, datadir)
        for attempt in range(3):
            port = free_port()
            log = directory / "error.log"
            command = [
                mariadbd,
                "--no-defaults",
                f"--user={user}",
                f"--datadir={datadir}",
                f"--socket={directory / 'sock'}",
                f"--pid-file={directory / 'mariadbd.pid'}",
                f"--log-error={log}",
                f"--port={port}",
                "--bind-address=127.0.0.1",
                f"--server-id={server_id}",
                *sizes,
                *(["--log-bin=binlog"] if log_bin else []),
                "--relay-log=relay-bin",
                *options,
            ]
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
            instance = MariaDBInstance(
                name or f"mariadb-{server_id}", port, directory, process, log, server_id=server_id
            )
            try:
                instance.wait_until(functools.partial(_mariadb_answers, instance), timeout)
                return instance
            except RuntimeError:
                in_use = "already in use" in instance.log_tail(40)
                instance.stop(remove_files=False)
                if not in_use or attempt == 2:
                    raise
                log.unlink(missing_ok=True)  # another process took the port between choosing and binding
        raise AssertionError("unreachable")
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


REDIS_INSTALL = "Debian/Ubuntu: sudo apt install redis-server   macOS: brew install redis"


def _redis_server_slot(kind: str, purpose: str) -> tuple[str, Path, int]:
    """What every Redis-family server a lesson starts needs: the binary, a fresh folder and a free port."""
    server = find_program(
        "redis-server", install=REDIS_INSTALL, why=f"starts Redis servers of its own (redis-server), {purpose}"
    )
    _remove_leftovers()
    return server, _make_folder(kind), free_port()


class RedisInstance(Instance):
    """A Redis server of its own, on loopback: its settings, persistence and life are the lesson's to change."""

    kind = "Redis"

    def client(self, **options: Any) -> Any:
        """A redis-py client of this server (decode_responses=True unless overridden)."""
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, **{"decode_responses": True, **options})

    def restart(self, timeout: float = 10.0) -> None:
        """Start the server again on the same port and folder (after `kill()` or `stop(remove_files=False)`)."""
        self.process = subprocess.Popen(
            self.command,
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        if self not in _running:
            _running.append(self)
        self.wait_until(functools.partial(_redis_answers, self), timeout)


def _redis_answers(instance: RedisInstance) -> bool:
    import redis

    try:
        return bool(instance.client(socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:  # not listening yet, or still loading its data (BusyLoadingError)
        return False


def start_redis(*options: str, name: str = "redis", timeout: float = 10.0) -> RedisInstance:
    """Start a redis-server on a free loopback port, its files in a fresh folder.

    `options` are redis-server options as on its command line, e.g. "--appendonly", "yes",
    or "--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru". By default the server
    keeps nothing on disk (`--save ""`); pass "--save", "60 1" or "--appendonly", "yes" to
    study persistence, and "--replicaof", "127.0.0.1", str(port) for a replica.
    """
    server, directory, port = _redis_server_slot("redis", "to change and break them")
    log = directory / "redis.log"
    command = [
        server,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(directory),
        "--logfile",
        str(log),
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        *options,
    ]
    process = subprocess.Popen(
        command,
        cwd=directory,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    instance = RedisInstance(name, port, directory, process, log)
    instance.command = command
    try:
        instance.wait_until(functools.partial(_redis_answers, instance), timeout)
    except BaseException:
        instance.stop()
        raise
    return instance


class SentinelInstance(RedisInstance):
    """A Redis Sentinel of its own: it watches one primary and votes with other Sentinels to replace it.

    `client()` talks to the Sentinel itself (SENTINEL commands, PING), not to the primary it watches.
    """

    kind = "Sentinel"

    def __init__(self, *args: Any, primary_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.primary_name = primary_name


def start_sentinel(
    primary_port: int,
    *,
    primary_name: str = "bookshop",
    quorum: int = 2,
    down_after_ms: int = 1000,
    failover_timeout_ms: int = 10000,
    settings: tuple[str, ...] | list[str] = (),
    name: str = "sentinel",
    timeout: float = 10.0,
) -> SentinelInstance:
    """Start a Redis Sentinel on a free loopback port that watches the primary on 127.0.0.1:`primary_port`.

    The Sentinel calls the primary `primary_name`. It considers the primary down once it has not answered for
    `down_after_ms`, and a failover starts when `quorum` Sentinels agree. Start several (three is the usual
    minimum) with the same arguments. `settings` are extra lines for the configuration file, such as
    "sentinel parallel-syncs bookshop 1". A Sentinel needs a configuration file it can rewrite, since it records
    what it learns there (other Sentinels, replicas, the current primary): it is `sentinel.conf` in its folder.
    """
    server, directory, port = _redis_server_slot("sentinel", "to watch and replace a primary (--sentinel)")
    log = directory / "sentinel.log"
    config = directory / "sentinel.conf"
    config.write_text(
        "\n".join(
            [
                f"port {port}",
                "bind 127.0.0.1",
                f"dir {directory}",
                f"logfile {log}",
                "daemonize no",
                f"sentinel monitor {primary_name} 127.0.0.1 {primary_port} {quorum}",
                f"sentinel down-after-milliseconds {primary_name} {down_after_ms}",
                f"sentinel failover-timeout {primary_name} {failover_timeout_ms}",
                *settings,
            ]
        )
        + "\n"
    )
    command = [server, str(config), "--sentinel"]
    process = subprocess.Popen(
        command,
        cwd=directory,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    instance = SentinelInstance(name, port, directory, process, log, primary_name=primary_name)
    instance.command = command
    try:
        instance.wait_until(functools.partial(_redis_answers, instance), timeout)
    except BaseException:
        instance.stop()
        raise
    return instance


def start_process(command: list[str], port: int, name: str, timeout: float = 10.0) -> Instance:
    """Start any server program (say a Go binary from courselab.go.build_go) that listens on 127.0.0.1:`port`.

    Returns once the port accepts connections; the Instance stops it like the servers above.
    """
    directory = _make_folder("process")
    log = directory / "output.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    instance = Instance(name, port, directory, process, log)
    try:
        instance.wait_until(lambda: services.reachable(Service(name, "127.0.0.1", port, ""), timeout=0.5), timeout)
    except RuntimeError:
        instance.stop(remove_files=False)
        raise
    return instance


def start_cluster_node(*options: str, name: str = "cluster-node", timeout: float = 10.0) -> RedisInstance:
    """Start a redis-server in cluster mode (`--cluster-enabled yes`), its node file `nodes.conf` in its folder.

    A cluster node also listens on its port + 10000 (the cluster bus), so Redis refuses ports above 55535:
    this starts again on another free port until it gets one that works. `options` are as for `start_redis`.
    """
    attempts = 20
    for attempt in range(attempts):
        try:
            return start_redis(
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", *options, name=name, timeout=timeout
            )
        except RuntimeError as err:
            port_problem = "55535 or less" in str(err) or "already in use" in str(err)
            if not port_problem or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
