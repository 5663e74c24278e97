"""Pages of a collection: by offset (simple, drifts) or by keyset cursor (stable, indexable).

`LIMIT n OFFSET k` counts rows: when rows are inserted before position k between two
requests, the next page repeats rows. A keyset cursor remembers the last row's sort
key instead and asks for rows after it, `WHERE (price, id) > (%s, %s)`, which an
index answers without reading the skipped rows. The cursor is opaque to clients
(base64 of JSON) so the server may change what it holds.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query

from bookshop.api.problems import ProblemError

Cursor = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z0-9_-]+$", max_length=200, description="the cursor from the previous page's `next` link"),
]


@dataclass(frozen=True)
class Sort:
    """`price` or `-price`: a column of the collection, ascending or descending, ties broken by id."""

    column: str
    descending: bool

    @classmethod
    def parse(cls, text: str) -> Sort:
        """`-price` -> Sort("price", descending=True); the route's parameter type lists the allowed columns."""
        return cls(text.removeprefix("-"), text.startswith("-"))

    def __str__(self) -> str:
        return ("-" if self.descending else "") + self.column

    def order_by(self, alias: str) -> str:
        direction = "DESC" if self.descending else "ASC"
        by_id = f"{alias}.id {direction}"
        return by_id if self.column == "id" else f"{alias}.{self.column} {direction}, {by_id}"

    def after(self, cursor: list[Any], alias: str) -> tuple[str, list[Any]]:
        """The WHERE clause and parameters selecting the rows that follow the cursor's row."""
        op = "<" if self.descending else ">"
        if self.column == "id":
            return f"{alias}.id {op} %s", [cursor[-1]]
        return f"({alias}.{self.column}, {alias}.id) {op} (%s, %s)", list(cursor)

    def cursor_of(self, row: dict[str, Any]) -> str:
        """The cursor that continues after `row`."""
        return encode_cursor([row["id"]] if self.column == "id" else [str(row[self.column]), row["id"]])


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def _is_sort_key(value: Any) -> bool:
    # json.loads accepts NaN, Infinity and 1e999, which no SQL comparison can take.
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def decode_cursor(cursor: str, sort: Sort) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    expected = 1 if sort.column == "id" else 2
    if not isinstance(values, list) or len(values) != expected or not all(_is_sort_key(v) for v in values):
        raise ProblemError(
            400,
            "invalid-cursor",
            "the cursor is not one this API issued for this sort order; start again without a cursor",
        )
    return values


def link_header(path: str, params: dict[str, Any], links: dict[str, dict[str, Any]]) -> str:
    """An RFC 8288 `Link` header: `<url>; rel="next", …` for each relation given."""
    parts = []
    for rel, changes in links.items():
        query = {k: v for k, v in {**params, **changes}.items() if v is not None}
        parts.append(f'<{path}?{urlencode(query)}>; rel="{rel}"')
    return ", ".join(parts)
