"""/v1/reports and /v1/jobs: a long operation answered with 202 and a status resource.

A report may take minutes; no client should hold a connection open that long, and
proxies time out first. `POST /v1/reports` answers `202 Accepted` at once with the
job's URL in `Location`; the client polls `GET /v1/jobs/{id}` (honouring
`Retry-After`) until the job links to the finished report (RFC 9110, 15.3.3).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bookshop.api.context import Context, Ctx, Staff
from bookshop.api.models import Job, Report, ReportIn
from bookshop.api.problems import ProblemError, documented

router = APIRouter(tags=["reports"])
log = logging.getLogger("bookshop.api")

SALES_BY_CATEGORY = """
    SELECT c.name AS category, COUNT(DISTINCT o.id) AS orders, SUM(l.quantity * l.unit_price) AS revenue
    FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN books b ON b.id = l.book_id
    JOIN categories c ON c.id = b.category_id
    WHERE o.status <> 'cancelled' AND o.placed_at >= %s AND o.placed_at < %s
    GROUP BY c.name ORDER BY revenue DESC, c.name
"""


def _job_key(ctx: Context, job_id: int) -> str:
    return f"{ctx.settings.redis_prefix}job:{job_id}"


def _job(ctx: Context, job_id: int) -> dict[str, Any]:
    job = ctx.redis.hgetall(_job_key(ctx, job_id))
    if not job:
        raise ProblemError(404, "not-found", f"there is no job {job_id}")
    return job


def _run(ctx: Context, job_id: int, year: int) -> None:
    key = _job_key(ctx, job_id)
    ctx.redis.hset(key, "status", "running")
    try:
        time.sleep(ctx.settings.job_delay_s)
        with ctx.pool.connection() as conn, conn.cursor() as cur:
            cur.execute(SALES_BY_CATEGORY, (f"{year}-01-01", f"{year + 1}-01-01"))
            sales = [{**row, "revenue": str(row["revenue"])} for row in cur.fetchall()]
        report = {"id": job_id, "year": year, "sales": sales}
        ctx.redis.hset(key, mapping={"status": "done", "report": json.dumps(report)})
    except Exception:
        log.exception("report job %s failed", job_id)
        ctx.redis.hset(key, "status", "failed")


def _job_body(job_id: int, status: str) -> dict[str, Any]:
    links = {"self": f"/v1/jobs/{job_id}"}
    if status == "done":
        links["result"] = f"/v1/reports/{job_id}"
    return {"id": job_id, "status": status, "links": links}


@router.post("/v1/reports", status_code=202, response_model=Job, responses=documented(401, 403, 422))
def start_report(request: ReportIn, _: Staff, ctx: Ctx) -> Any:
    job_id = int(ctx.redis.incr(f"{ctx.settings.redis_prefix}jobs"))
    ctx.redis.hset(_job_key(ctx, job_id), mapping={"status": "queued", "year": request.year})
    ctx.redis.expire(_job_key(ctx, job_id), 24 * 3600)
    threading.Thread(target=_run, args=(ctx, job_id, request.year), name=f"report-{job_id}", daemon=True).start()
    return JSONResponse(
        _job_body(job_id, "queued"), status_code=202, headers={"Location": f"/v1/jobs/{job_id}", "Retry-After": "1"}
    )


@router.get("/v1/jobs/{job_id}", response_model=Job, responses=documented(401, 403, 404))
def job_status(job_id: int, _: Staff, ctx: Ctx) -> Any:
    status = _job(ctx, job_id)["status"]
    headers = {"Cache-Control": "no-store"} | ({} if status in ("done", "failed") else {"Retry-After": "1"})
    return JSONResponse(_job_body(job_id, status), headers=headers)


@router.get("/v1/reports/{report_id}", response_model=Report, responses=documented(401, 403, 404))
def get_report(report_id: int, _: Staff, ctx: Ctx) -> Any:
    job = _job(ctx, report_id)
    if job["status"] != "done":
        raise ProblemError(404, "not-found", f"report {report_id} is not ready; see /v1/jobs/{report_id}")
    return JSONResponse(json.loads(job["report"]), headers={"Cache-Control": "private, max-age=3600"})
