"""The Bookshop in MySQL: create the schema, load generated rows, in batches."""

from __future__ import annotations

from dataclasses import astuple, fields
from importlib.resources import files
from typing import Any

from bookshop.data import Bookshop

TABLES = ["authors", "categories", "books", "customers", "orders", "order_lines"]
BATCH = 5_000


def schema_statements() -> list[str]:
    text = files("bookshop").joinpath("schema.sql").read_text()
    without_comments = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [stmt.strip() for stmt in without_comments.split(";") if stmt.strip()]


def create_schema(conn: Any) -> None:
    """Drop and re-create the Bookshop tables (children first, then parents)."""
    with conn.cursor() as cur:
        for table in reversed(TABLES):
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in schema_statements():
            cur.execute(statement)


def load(conn: Any, shop: Bookshop) -> dict[str, int]:
    """Insert every row of `shop`; return the row count per table."""
    counts = {}
    with conn.cursor() as cur:
        for table in TABLES:
            rows = getattr(shop, table)
            columns = [f.name for f in fields(rows[0])]
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            for start in range(0, len(rows), BATCH):
                cur.executemany(sql, [astuple(row) for row in rows[start : start + BATCH]])
            counts[table] = len(rows)
    conn.commit()
    return counts
