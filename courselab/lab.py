"""A lesson's own corner of every service, created fresh and dropped at the end.

`Lab("mysql-01-modelling")` gives the notebook its own MySQL database
(`lab_mysql_01_modelling`), Redis key prefix (`mysql-01-modelling:`) and MongoDB
database, so that all notebooks can run at once and each can run twice.
Connections are made on first use: a lesson that only needs Go never asks for MySQL.
"""

from __future__ import annotations

import atexit
import re
from functools import cached_property
from typing import TYPE_CHECKING, Any

from courselab import config, services
from courselab.errors import ServiceUnavailable
from courselab.servers import BackgroundServer

if TYPE_CHECKING:
    import pymysql
    import redis as redis_lib

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


class Lab:
    def __init__(self, name: str) -> None:
        if not NAME.match(name):
            raise ValueError(f"lab name {name!r}: use lowercase letters, digits and '-' (at most 41 characters)")
        self.name = name
        self.mysql_database = "lab_" + name.replace("-", "_")
        self.redis_prefix = f"{name}:"
        self._mysql_connections: list[pymysql.Connection] = []
        self._servers: list[BackgroundServer] = []
        self._mysql_ready = False
        self._closed = False
        atexit.register(self.close)
        from courselab import notebook

        notebook.install()

    # --- MySQL -----------------------------------------------------------------
    def mysql(self, **options: Any) -> pymysql.Connection:
        """A new connection to this lab's own database (created empty on first use).

        Each call opens another connection, so a lesson can race two sessions.
        """
        import pymysql
        import pymysql.cursors

        service = config.mysql()
        services.require(service)
        settings = dict(
            host=service.host,
            port=service.port,
            **config.mysql_credentials(),
            charset="utf8mb4",
            connect_timeout=int(config.CONNECT_TIMEOUT_S),
            autocommit=True,
            cursorclass=pymysql.cursors.DictCursor,
        )
        settings.update(options)
        try:
            if not self._mysql_ready:
                with pymysql.connect(**settings) as admin, admin.cursor() as cur:
                    cur.execute(f"DROP DATABASE IF EXISTS `{self.mysql_database}`")
                    cur.execute(
                        f"CREATE DATABASE `{self.mysql_database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                    )
                self._mysql_ready = True
            conn = pymysql.connect(database=self.mysql_database, **settings)
        except pymysql.err.OperationalError as err:
            raise ServiceUnavailable(service, str(err.args[-1])) from None
        self._mysql_connections.append(conn)
        return conn

    # --- Redis -----------------------------------------------------------------
    @cached_property
    def redis(self) -> redis_lib.Redis:
        """A client of the shared Redis; keep every key under `lab.key(...)`."""
        import redis as redis_lib

        service = config.redis()
        services.require(service)
        client = redis_lib.Redis.from_url(
            config.redis_url(), decode_responses=True, socket_connect_timeout=config.CONNECT_TIMEOUT_S
        )
        try:
            client.ping()
        except redis_lib.RedisError as err:
            raise ServiceUnavailable(service, str(err)) from None
        self._drop_redis_keys(client)
        return client

    def key(self, *parts: object) -> str:
        """This lab's Redis key for `parts`: lab.key("cart", 42) -> "<lab>:cart:42"."""
        return self.redis_prefix + ":".join(str(p) for p in parts)

    def _drop_redis_keys(self, client: redis_lib.Redis) -> int:
        keys = list(client.scan_iter(match=self.redis_prefix + "*", count=1000))
        return client.delete(*keys) if keys else 0

    # --- MongoDB ---------------------------------------------------------------
    @cached_property
    def _mongo(self) -> tuple[Any, str]:
        from courselab import mongodb

        return mongodb.connect()

    @property
    def mongo_engine(self) -> str:
        """'MongoDB server <version>' or 'embedded engine (mongomock <version>)'."""
        return self._mongo[1]

    @property
    def mongo_is_server(self) -> bool:
        return self.mongo_engine.startswith("MongoDB server")

    @cached_property
    def mongo(self) -> Any:
        """This lab's database: a pymongo Database, or mongomock's on the embedded engine."""
        client = self._mongo[0]
        database = "lab_" + self.name.replace("-", "_")
        client.drop_database(database)
        return client[database]

    # --- servers ---------------------------------------------------------------
    def serve(self, app: Any) -> BackgroundServer:
        """Serve an ASGI app on a free loopback port until the lab closes."""
        server = BackgroundServer(app).start()
        self._servers.append(server)
        return server

    # --- the end ---------------------------------------------------------------
    def close(self) -> None:
        """Stop servers and drop everything this lab created. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for server in self._servers:
            server.stop()
        for conn in self._mysql_connections:
            try:
                conn.close()
            except Exception:  # already closed by the lesson
                pass
        if self._mysql_ready:
            import pymysql

            service = config.mysql()
            with pymysql.connect(host=service.host, port=service.port, **config.mysql_credentials()) as admin:
                with admin.cursor() as cur:
                    cur.execute(f"DROP DATABASE IF EXISTS `{self.mysql_database}`")
        if "redis" in self.__dict__:
            self._drop_redis_keys(self.redis)
            self.redis.close()
        if "mongo" in self.__dict__:
            self._mongo[0].drop_database(self.mongo.name)

    def __repr__(self) -> str:
        return f"Lab({self.name!r})"
