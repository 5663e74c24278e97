"""The API's MySQL: the Bookshop schema plus what an HTTP API needs, and a small pool.

The relational core (`bookshop/schema.sql`) stores history with explicit ids. An API
creates rows, so it needs ids MySQL assigns, an order state for new orders, and a
version per book for optimistic concurrency (the ETag of lesson 3).
"""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bookshop import mysql
from bookshop.data import Bookshop

MIGRATION = [
    # Changing a column that foreign keys point at needs the checks off (MySQL error 1833).
    "SET foreign_key_checks = 0",
    "ALTER TABLE books MODIFY id INT UNSIGNED NOT NULL AUTO_INCREMENT",
    "ALTER TABLE orders MODIFY id INT UNSIGNED NOT NULL AUTO_INCREMENT",
    "SET foreign_key_checks = 1",
    "ALTER TABLE books ADD COLUMN version INT UNSIGNED NOT NULL DEFAULT 1",
    "ALTER TABLE orders MODIFY status ENUM('placed', 'shipped', 'delivered', 'cancelled') NOT NULL",
]


def prepare(conn: Any, shop: Bookshop) -> dict[str, int]:
    """Create the Bookshop tables, load `shop`, and migrate them for the API."""
    mysql.create_schema(conn)
    counts = mysql.load(conn, shop)
    with conn.cursor() as cur:
        for statement in MIGRATION:
            cur.execute(statement)
    conn.commit()
    return counts


class Pool:
    """At most `size` open connections, handed to one request at a time.

    `connect` makes a new autocommit connection with dict rows (a Lab's `mysql`).
    """

    def __init__(self, connect: Callable[[], Any], size: int = 4) -> None:
        self._connect = connect
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self._slots = queue.Queue[None]()
        for _ in range(size):
            self._slots.put(None)

    def _idle_or_new(self) -> Any:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            return self._connect()
        try:
            conn.ping()  # the server may have closed an idle connection (wait_timeout)
            return conn
        except Exception:
            return self._connect()

    def _after_failure(self, conn: Any) -> None:
        # A 404 or 412 is a failure too: roll back what the request began and keep the connection.
        # Dropping it instead would open a new one per error, until the server refuses connections.
        try:
            conn.rollback()
        except Exception:
            conn.close()
            return
        self._idle.put(conn)

    @contextmanager
    def connection(self) -> Iterator[Any]:
        self._slots.get()
        try:
            conn = self._idle_or_new()
            try:
                yield conn
            except BaseException:
                self._after_failure(conn)
                raise
            self._idle.put(conn)
        finally:
            self._slots.put(None)
