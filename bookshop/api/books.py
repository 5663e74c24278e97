"""/v1/books and /v2/books: the catalogue as resources."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from email.utils import format_datetime
from typing import Annotated, Any, Literal

import pymysql
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from bookshop.api import conditional
from bookshop.api.context import Ctx, Staff
from bookshop.api.models import Book, BookIn, BookPage, BookPatch, BookV2
from bookshop.api.pagination import Cursor, Sort, decode_cursor, link_header
from bookshop.api.problems import ProblemError, documented

router = APIRouter(tags=["books"])

FIELDS = tuple(Book.model_fields)
SortOrder = Literal["id", "-id", "title", "-title", "price", "-price", "published", "-published"]
_ONE_FIELD = "(" + "|".join(FIELDS) + ")"
FieldList = Annotated[
    str | None,
    Query(
        pattern=f"^{_ONE_FIELD}(,{_ONE_FIELD})*$",
        max_length=200,
        description="the fields to return, comma-separated (a partial representation)",
    ),
]
ITEM_CACHE = "public, max-age=60"
LIST_CACHE = "public, max-age=10"
# STRAIGHT_JOIN: read books first, in the order asked, and stop at the page's end. Left to itself, MariaDB
# may start from categories and sort the whole join before it can return the first 20 rows.
SELECT = """
    SELECT STRAIGHT_JOIN b.id, b.isbn, b.title, b.author_id, a.name AS author, c.name AS category, b.price, b.published,
           b.pages, b.language, b.stock, b.version
    FROM books b JOIN authors a ON a.id = b.author_id JOIN categories c ON c.id = b.category_id
"""


def representation(row: dict[str, Any]) -> dict[str, Any]:
    book = {name: row[name] for name in FIELDS if name in row}
    book["price"] = str(row["price"])
    book["published"] = row["published"].isoformat()
    book["links"] = {"self": f"/v1/books/{row['id']}"}
    return book


def _fields(text: str | None) -> list[str] | None:
    """The names of `?fields=` (already checked against FIELDS by the parameter's pattern)."""
    return None if text is None else text.split(",")


def _like(words: str | None) -> str | None:
    """A LIKE pattern matching `words` literally: % and _ typed by a client are not wildcards."""
    if words is None:
        return None
    return "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _decimal(value: float | None) -> Decimal | None:
    # Compared as exact DECIMAL in MySQL: 19.99 must not become 19.989999999999998.
    return None if value is None else Decimal(str(value))


def _partial(book: dict[str, Any], names: list[str] | None) -> dict[str, Any]:
    return book if names is None else {name: book[name] for name in names}


def load(conn: Any, book_id: int) -> dict[str, Any]:
    with conn.cursor() as cur:
        cur.execute(SELECT + " WHERE b.id = %s", (book_id,))
        row = cur.fetchone()
    if row is None:
        raise ProblemError(404, "not-found", f"there is no book {book_id}")
    return row


@router.get("/v1/books", response_model=BookPage, responses=documented(400))
def list_books(
    request: Request,
    ctx: Ctx,
    q: Annotated[str | None, Query(max_length=100, description="words in the title")] = None,
    category: Annotated[str | None, Query(max_length=60)] = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2}$")] = None,
    author_id: Annotated[int | None, Query(ge=1, le=4_294_967_295)] = None,
    min_price: Annotated[float | None, Query(ge=0, le=1_000_000)] = None,
    max_price: Annotated[float | None, Query(ge=0, le=1_000_000)] = None,
    sort: Annotated[SortOrder, Query(description="a column; '-' before it for descending")] = "id",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int | None, Query(ge=0, le=10_000, description="rows to skip (drifts under inserts)")] = None,
    cursor: Cursor = None,
    fields: FieldList = None,
) -> Any:
    order = Sort.parse(sort)
    names = _fields(fields)
    if offset is not None and cursor is not None:
        raise ProblemError(400, "invalid-page", "send offset or cursor, not both")
    filters = {
        "b.title LIKE %s": _like(q),
        # By id, so that the index on books.category_id serves it (the join order is fixed).
        "b.category_id = (SELECT id FROM categories WHERE name = %s)": category,
        "b.language = %s": language,
        "b.author_id = %s": author_id,
        "b.price >= %s": _decimal(min_price),
        "b.price <= %s": _decimal(max_price),
    }
    where = [clause for clause, value in filters.items() if value is not None]
    params = [value for value in filters.values() if value is not None]
    if cursor is not None:
        clause, values = order.after(decode_cursor(cursor, order), "b")
        where.append(clause)
        params.extend(values)
    sql = SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY " + order.order_by("b")
    sql += " LIMIT %s" + (" OFFSET %s" if offset is not None else "")
    params += [limit + 1] + ([offset] if offset is not None else [])
    with ctx.pool.connection() as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()

    more, rows = len(rows) > limit, rows[:limit]
    query = dict(request.query_params)
    next_page: dict[str, Any] | None = None
    if more and offset is not None:
        next_page = {"offset": offset + limit}
    elif more:
        next_page = {"cursor": order.cursor_of(rows[-1])}
    headers = {}
    next_url = None
    if next_page:
        headers["Link"] = link_header("/v1/books", query, {"next": next_page})
        next_url = headers["Link"].split(">")[0][1:]
    body = {"items": [_partial(representation(row), names) for row in rows], "next": next_url}
    return conditional.cached_json(request, body, conditional.body_etag(body), LIST_CACHE, headers)


def _deprecation(ctx: Ctx, book_id: int) -> dict[str, str]:
    deprecated, sunset = ctx.settings.v1_deprecated_at, ctx.settings.v1_sunset
    if deprecated is None:
        return {}
    # RFC 9745: Deprecation carries the moment as @<unix time>; RFC 8594: Sunset, when it stops answering.
    headers = {
        "Deprecation": f"@{int(deprecated.timestamp())}",
        "Link": f'</v2/books/{book_id}>; rel="successor-version"',
    }
    if sunset is not None:
        headers["Sunset"] = format_datetime(sunset.astimezone(UTC), usegmt=True)
    return headers


@router.get("/v1/books/{book_id}", response_model=Book, responses=documented(400, 404))
def get_book(request: Request, book_id: int, ctx: Ctx, fields: FieldList = None) -> Any:
    names = _fields(fields)
    with ctx.pool.connection() as conn:
        row = load(conn, book_id)
    etag = conditional.version_etag(row["version"], weak=names is not None)
    body = _partial(representation(row), names)
    return conditional.cached_json(request, body, etag, ITEM_CACHE, _deprecation(ctx, book_id))


@router.get("/v2/books/{book_id}", response_model=BookV2, responses=documented(404))
def get_book_v2(request: Request, book_id: int, ctx: Ctx) -> Any:
    with ctx.pool.connection() as conn:
        row = load(conn, book_id)
    body = representation(row)
    body["price"] = {"amount": body["price"], "currency": "EUR"}
    body["links"] = {"self": f"/v2/books/{book_id}"}
    return conditional.cached_json(request, body, conditional.version_etag(row["version"]), ITEM_CACHE)


def _ids(cur: Any, book: dict[str, Any]) -> int:
    """The category id for the book's category name; 422 for an unknown author or category."""
    cur.execute("SELECT id FROM categories WHERE name = %s", (book["category"],))
    category = cur.fetchone()
    if category is None:
        raise ProblemError(422, "unknown-category", f"there is no category {book['category']!r}")
    cur.execute("SELECT 1 FROM authors WHERE id = %s", (book["author_id"],))
    if cur.fetchone() is None:
        raise ProblemError(422, "unknown-author", f"there is no author {book['author_id']}")
    return category["id"]


COLUMNS = ("isbn", "title", "author_id", "category_id", "price", "published", "pages", "language", "stock")


def _values(book: dict[str, Any], category_id: int) -> list[Any]:
    return [category_id if column == "category_id" else book[column] for column in COLUMNS]


def _isbn_taken(isbn: str | None) -> ProblemError:
    # Not the database's message: it names an index and differs between MySQL and MariaDB.
    return ProblemError(409, "isbn-taken", f"another book already has ISBN {isbn}")


@router.post("/v1/books", status_code=201, response_model=Book, responses=documented(401, 403, 409, 422))
def create_book(book: BookIn, ctx: Ctx, _: Staff) -> Any:
    data = book.model_dump()
    with ctx.pool.connection() as conn, conn.cursor() as cur:
        category_id = _ids(cur, data)
        try:
            cur.execute(
                f"INSERT INTO books ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})",
                _values(data, category_id),
            )
        except pymysql.err.IntegrityError:
            raise _isbn_taken(data["isbn"]) from None
        row = load(conn, cur.lastrowid)
    return JSONResponse(
        representation(row),
        status_code=201,
        headers={"Location": f"/v1/books/{row['id']}", "ETag": conditional.version_etag(1)},
    )


def _update(ctx: Ctx, request: Request, book_id: int, changes: dict[str, Any]) -> JSONResponse:
    """Write `changes` only if the book is still at the version the client read (If-Match)."""
    expected = conditional.required_version(request)
    with ctx.pool.connection() as conn, conn.cursor() as cur:
        # The row is locked from the read to the write: the UPDATE rewrites every column, and with
        # `If-Match: *` (no version to compare) an order's stock change committed in between would be lost.
        conn.begin()
        cur.execute("SELECT id FROM books WHERE id = %s FOR UPDATE", (book_id,))
        current = load(conn, book_id)
        book = {**current, **changes}
        category_id = _ids(cur, book)
        sql = f"UPDATE books SET {', '.join(c + ' = %s' for c in COLUMNS)}, version = version + 1 WHERE id = %s" + (
            " AND version = %s" if expected is not None else ""
        )
        try:
            cur.execute(sql, [*_values(book, category_id), book_id, *([expected] if expected is not None else [])])
        except pymysql.err.IntegrityError:
            raise _isbn_taken(book["isbn"]) from None
        if cur.rowcount == 0:
            # The row changed since the client read it: the compare in WHERE is the lock.
            now = load(conn, book_id)["version"]
            raise ProblemError(
                412,
                "precondition-failed",
                f"book {book_id} is at version {now}, not {expected}: someone changed it since you "
                "read it; GET it again and re-apply your change",
                headers={"ETag": conditional.version_etag(now)},
            )
        row = load(conn, book_id)
        conn.commit()
    return JSONResponse(representation(row), headers={"ETag": conditional.version_etag(row["version"])})


def merge_patch_body(request: Request) -> None:
    """PATCH takes a JSON Merge Patch (RFC 7396); any other patch format is a 415 naming the one accepted."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ("application/merge-patch+json", "application/json"):
        raise ProblemError(
            415,
            "unsupported-media-type",
            f"a PATCH body must be application/merge-patch+json, not {media_type or 'nothing'}",
            headers={"Accept-Patch": "application/merge-patch+json"},
        )


@router.put("/v1/books/{book_id}", response_model=Book, responses=documented(401, 403, 404, 409, 412, 422, 428))
def replace_book(request: Request, book_id: int, book: BookIn, ctx: Ctx, _: Staff) -> Any:
    response = _update(ctx, request, book_id, book.model_dump())
    # RFC 9110, 9.3.4: no validator after a PUT whose content was stored transformed (ours gains id, author,
    # links), so that a client never takes the ETag for the version of what it sent. GET it again.
    del response.headers["etag"]
    return response


@router.patch(
    "/v1/books/{book_id}",
    response_model=Book,
    responses=documented(401, 403, 404, 409, 412, 415, 422, 428),
    dependencies=[Depends(merge_patch_body)],
    openapi_extra={
        "requestBody": {
            "content": {"application/merge-patch+json": {"schema": {"$ref": "#/components/schemas/BookPatch"}}}
        }
    },
)
def patch_book(request: Request, book_id: int, patch: BookPatch, ctx: Ctx, _: Staff) -> Any:
    return _update(ctx, request, book_id, patch.model_dump(exclude_unset=True))
