"""/v1/orders: placing an order safely (idempotency keys) and reading only your own."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pymysql
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from bookshop.api import conditional
from bookshop.api.context import Authenticated, Ctx
from bookshop.api.idempotency import StoredResponse
from bookshop.api.models import Order, OrderIn, OrderPage
from bookshop.api.pagination import Cursor, Sort, decode_cursor, link_header
from bookshop.api.problems import ProblemError, documented

router = APIRouter(tags=["orders"])
CACHE = "private, no-cache"  # personal data: no shared cache stores it, the client revalidates
NEWEST_FIRST = Sort("id", descending=True)


def _load(conn: Any, order_ids: list[int]) -> list[dict[str, Any]]:
    if not order_ids:
        return []
    marks = ", ".join(["%s"] * len(order_ids))
    with conn.cursor() as cur:
        cur.execute(
            f"SELECT id, customer_id, placed_at, status FROM orders WHERE id IN ({marks}) ORDER BY id DESC", order_ids
        )
        orders = cur.fetchall()
        cur.execute(
            f"SELECT order_id, book_id, quantity, unit_price FROM order_lines WHERE order_id IN ({marks}) "
            "ORDER BY order_id, book_id",
            order_ids,
        )
        lines = cur.fetchall()
    bodies = []
    for order in orders:
        own = [line for line in lines if line["order_id"] == order["id"]]
        total = sum((line["unit_price"] * line["quantity"] for line in own), Decimal("0.00"))
        bodies.append(
            {
                "id": order["id"],
                "customer_id": order["customer_id"],
                # RFC 3339 wants an offset; MySQL holds the time in UTC without one.
                "placed_at": order["placed_at"].isoformat() + "Z",
                "status": order["status"],
                "lines": [
                    {"book_id": line["book_id"], "quantity": line["quantity"], "unit_price": str(line["unit_price"])}
                    for line in own
                ],
                "total": str(total),
                "links": {"self": f"/v1/orders/{order['id']}"},
            }
        )
    return bodies


def _place(ctx: Ctx, customer_id: int, order: OrderIn) -> dict[str, Any]:
    """One transaction: lock the books (in id order, so two orders cannot deadlock), check, take stock."""
    wanted = {line.book_id: line.quantity for line in order.lines}
    if len(wanted) != len(order.lines):
        raise ProblemError(422, "duplicate-book", "each book may appear in one line only; add up the quantities")
    with ctx.pool.connection() as conn:
        conn.begin()
        with conn.cursor() as cur:
            marks = ", ".join(["%s"] * len(wanted))
            cur.execute(
                f"SELECT id, price, stock FROM books WHERE id IN ({marks}) ORDER BY id FOR UPDATE", sorted(wanted)
            )
            books = {row["id"]: row for row in cur.fetchall()}
            for book_id, quantity in sorted(wanted.items()):
                if book_id not in books:
                    conn.rollback()
                    raise ProblemError(422, "unknown-book", f"there is no book {book_id}", book_id=book_id)
                if books[book_id]["stock"] < quantity:
                    conn.rollback()
                    raise ProblemError(
                        409,
                        "out-of-stock",
                        f"book {book_id}: {quantity} wanted, {books[book_id]['stock']} in stock",
                        book_id=book_id,
                        available=books[book_id]["stock"],
                    )
            try:
                cur.execute(
                    "INSERT INTO orders (customer_id, placed_at, status) VALUES (%s, %s, 'placed')",
                    (customer_id, ctx.now()),
                )
            except pymysql.err.IntegrityError:  # a signed token for a customer the shop no longer has
                raise ProblemError(403, "forbidden", f"there is no customer {customer_id}") from None
            order_id = cur.lastrowid
            cur.executemany(
                "INSERT INTO order_lines (order_id, book_id, quantity, unit_price) VALUES (%s, %s, %s, %s)",
                [(order_id, b, q, books[b]["price"]) for b, q in sorted(wanted.items())],
            )
            # The stock is part of a book's representation: a new version, a new ETag.
            cur.executemany(
                "UPDATE books SET stock = stock - %s, version = version + 1 WHERE id = %s",
                [(q, b) for b, q in sorted(wanted.items())],
            )
        # Read back before COMMIT: a failure after it would release the idempotency key of an order that
        # exists, and the client's retry would place a second one.
        placed = _load(conn, [order_id])[0]
        conn.commit()
        return placed


@router.post("/v1/orders", status_code=201, response_model=Order, responses=documented(401, 403, 409, 422))
def place_order(
    order: OrderIn,
    caller: Authenticated,
    ctx: Ctx,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=1,
            max_length=100,
            pattern=r"^[\x21-\x7e]+$",
            description="a unique value per order; retries reuse it",
        ),
    ] = None,
) -> Any:
    if caller.customer_id is None:
        raise ProblemError(403, "forbidden", "orders are placed by customers")
    if idempotency_key is None:
        return _created(_place(ctx, caller.customer_id, order))
    request_body = order.model_dump()
    stored = ctx.idempotency.claim(caller.subject, idempotency_key, request_body)
    if stored is not None:
        return stored.replay()
    try:
        response = _created(_place(ctx, caller.customer_id, order))
    except ProblemError as err:  # the same request would fail the same way: remember this answer too
        response = err.response(instance="/v1/orders")
    except BaseException:  # the server failed: forget the key so that a retry can succeed
        ctx.idempotency.release(caller.subject, idempotency_key)
        raise
    ctx.idempotency.complete(caller.subject, idempotency_key, request_body, StoredResponse.of(response))
    return response


def _created(order: dict[str, Any]) -> JSONResponse:
    return JSONResponse(order, status_code=201, headers={"Location": order["links"]["self"]})


@router.get("/v1/orders/{order_id}", response_model=Order, responses=documented(401, 404))
def get_order(request: Request, order_id: int, caller: Authenticated, ctx: Ctx) -> Any:
    with ctx.pool.connection() as conn:
        found = _load(conn, [order_id])
    # Someone else's order answers exactly like a missing one: the id tells an attacker nothing.
    if not found or (caller.role != "staff" and found[0]["customer_id"] != caller.customer_id):
        raise ProblemError(404, "not-found", f"you have no order {order_id}")
    # An order changes (its status moves on): a validator lets its owner revalidate instead of refetching.
    return conditional.cached_json(request, found[0], conditional.body_etag(found[0]), CACHE)


@router.get("/v1/orders", response_model=OrderPage, responses=documented(400, 401))
def list_orders(
    request: Request,
    caller: Authenticated,
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    cursor: Cursor = None,
) -> Any:
    """The caller's orders, newest first (staff: everyone's)."""
    where, params = [], []
    if caller.customer_id is not None:
        where.append("o.customer_id = %s")
        params.append(caller.customer_id)
    if cursor is not None:
        clause, values = NEWEST_FIRST.after(decode_cursor(cursor, NEWEST_FIRST), "o")
        where.append(clause)
        params.extend(values)
    sql = "SELECT o.id FROM orders o" + (" WHERE " + " AND ".join(where) if where else "")
    sql += f" ORDER BY {NEWEST_FIRST.order_by('o')} LIMIT %s"
    with ctx.pool.connection() as conn:
        with conn.cursor() as cur:
            cur.execute(sql, [*params, limit + 1])
            ids = [row["id"] for row in cur.fetchall()]
        orders = _load(conn, ids[:limit])
    headers = {"Cache-Control": CACHE}
    next_url = None
    if len(ids) > limit:
        headers["Link"] = link_header(
            "/v1/orders", dict(request.query_params), {"next": {"cursor": NEWEST_FIRST.cursor_of(orders[-1])}}
        )
        next_url = headers["Link"].split(">")[0][1:]
    return JSONResponse({"items": orders, "next": next_url}, headers=headers)
