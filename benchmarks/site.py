"""`make bench`: this course's site against the stock tooling, on the same notebooks, in one run.

The stock site is what a reader would otherwise build: MkDocs + Material + mkdocs-jupyter with
default settings, over a copy of the same Markdown pages and notebooks. Both are built cold, warm
and after a one-page edit, served by `mkdocs serve` to time an edit reaching the browser, then
served gzip-compressed (as a static host does) to Chromium for page weight and requests, and to
Lighthouse. Ratios are stock / ours; each design budget gets a verdict.

    python -m benchmarks.site [--no-lighthouse] [--tests] [--markdown]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.serving import CHROMIUM, CHROMIUM_FLAGS, StaticSite
from courselab.config import PROJECT_ROOT
from courselab.servers import free_port

LIGHTHOUSE = PROJECT_ROOT / "node_modules" / ".bin" / "lighthouse"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
EDITED_PAGE = "databases/index.md"
NOTEBOOK_PAGE = "databases/mysql/04-transactions-and-isolation/"
PAGES = {"home": "", "chapter": "databases/mysql/", "notebook": NOTEBOOK_PAGE}
STOCK_CONFIG = """\
site_name: Stock MkDocs + Material + mkdocs-jupyter
theme:
  name: material
plugins:
  - search
  - mkdocs-jupyter
"""


class Project:
    """A site to measure: its folder, its config, where its Markdown pages and caches live."""

    def __init__(self, name: str, root: Path, caches: list[Path]) -> None:
        self.name, self.root, self.caches = name, root, caches
        self.docs = root / "docs"
        self.site = root / ".cache" / f"bench-site-{name}"

    def build(self) -> float:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(self.site)],
            cwd=self.root,
            env=ENV,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - start


def stock_project(workdir: Path) -> Project:
    root = workdir / "stock"
    shutil.copytree(PROJECT_ROOT / "docs", root / "docs")
    for notebook in (PROJECT_ROOT / "notebooks").rglob("*.ipynb"):
        target = root / "docs" / notebook.relative_to(PROJECT_ROOT / "notebooks")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(notebook, target)
    (root / "mkdocs.yml").write_text(STOCK_CONFIG)
    return Project("stock", root, [root / ".cache"])


def build_times(project: Project) -> dict[str, float]:
    for cache in project.caches:
        shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(project.site, ignore_errors=True)
    cold = project.build()
    warm = project.build()
    page = project.docs / EDITED_PAGE
    original = page.read_text()
    try:
        page.write_text(original + "\nAn edit.\n")
        edit = project.build()
    finally:
        page.write_text(original)
    return {"cold build (s)": cold, "warm rebuild (s)": warm, "rebuild after a one-page edit (s)": edit}


def wait_for(url: str, text: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if text in urllib.request.urlopen(url, timeout=2).read().decode():
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout:.0f} s")


def save_to_served(project: Project) -> float:
    """Seconds from saving a Markdown page to `mkdocs serve` serving the changed page."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    page = project.docs / EDITED_PAGE
    original = page.read_text()
    url = f"http://127.0.0.1:{port}/{EDITED_PAGE.removesuffix('index.md')}"
    try:
        wait_for(url, "</html>", timeout=180)
        time.sleep(1)  # let the watcher settle after the first build
        marker = f"Edited at {time.time_ns()}"
        page.write_text(original + f"\n{marker}\n")
        return wait_for(url, marker, timeout=180)
    finally:
        page.write_text(original)
        server.terminate()
        server.wait(timeout=10)


def only_loopback(offsite: list[str], route) -> None:
    if route.request.url.startswith(("http://127.0.0.1", "data:")):
        route.continue_()
    else:  # counted, then refused: this machine reaches no other host anyway
        offsite.append(route.request.url)
        route.abort()


def in_chromium(base_url: str) -> dict[str, dict[str, float]]:
    """Per page: HTML bytes, bytes transferred, requests, requests to other hosts (gzip-served)."""
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for name, path in PAGES.items():
            context = browser.new_context()
            offsite: list[str] = []
            context.route("**/*", functools.partial(only_loopback, offsite))
            page = context.new_page()
            finished: list = []
            page.on("requestfinished", functools.partial(list.append, finished))
            response = page.goto(base_url + path, wait_until="networkidle")
            html = len(response.body())
            transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)
            results[name] = {
                "html": html,
                "transferred": transferred,
                "requests": len(finished) + len(offsite),
                "offsite": len(offsite),
            }
            context.close()
        browser.close()
    return results


def lighthouse_once(url: str) -> dict[str, object]:
    out = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--output=json",
            "--quiet",
            "--max-wait-for-load=20000",
            "--only-categories=performance,accessibility,best-practices,seo",
            f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
        ],
        capture_output=True,
        text=True,
        env={**ENV, "CHROME_PATH": CHROMIUM},
        timeout=180,
    )
    report = json.loads(out.stdout)
    scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()}
    audits = report["audits"]
    failing = sorted(
        {
            ref["id"]
            for cat in report["categories"].values()
            for ref in cat["auditRefs"]
            if ref["weight"]
            and (audits[ref["id"]].get("score") is not None)
            and audits[ref["id"]]["score"] < 1
            and cat["id"] != "performance"
        }
    )
    return {**scores, "failing": failing}


def lighthouse(url: str, runs: int = 3) -> dict[str, object]:
    """Lighthouse's median score per category over `runs` runs: one run varies by about 5 points here."""
    reports = [lighthouse_once(url) for _ in range(runs)]
    median = {key: statistics.median(r[key] for r in reports) for key in reports[0] if key != "failing"}
    return {**median, "failing": sorted({audit for r in reports for audit in r["failing"]})}


def suite_times() -> dict[str, float]:
    def run(force: str) -> float:
        start = time.perf_counter()
        suite = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup"],
            cwd=PROJECT_ROOT,
            env={**ENV, "COURSE_FORCE": force},
            capture_output=True,
            text=True,
        )
        if suite.returncode != 0:  # a red suite has no time worth printing: say why instead
            sys.exit("the test suite failed, so it was not timed:\n" + suite.stdout[-3000:])
        return time.perf_counter() - start

    return {"test suite, cold (s)": run("1"), "test suite, nothing changed (s)": run("")}


def kb(n: float) -> str:
    return f"{n / 1000:.0f} KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse (about 5 minutes)")
    parser.add_argument("--tests", action="store_true", help="also time the test suite, cold and unchanged")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()

    rows: list[tuple[str, str, str, str]] = []  # measure, stock, ours, ratio or verdict
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        ours = Project("ours", PROJECT_ROOT, [PROJECT_ROOT / ".cache" / "notebook-pages"])
        stock = stock_project(Path(tmp))
        times = {p.name: build_times(p) for p in (stock, ours)}
        for measure in times["ours"]:
            s, o = times["stock"][measure], times["ours"][measure]
            rows.append((measure, f"{s:.1f}", f"{o:.1f}", f"{s / o:.1f}x faster"))
        served = {p.name: save_to_served(p) for p in (stock, ours)}
        rows.append(
            (
                "saved page to served page (s)",
                f"{served['stock']:.1f}",
                f"{served['ours']:.1f}",
                f"{served['stock'] / served['ours']:.1f}x faster; budget 2 s: "
                + ("pass" if served["ours"] <= 2 else "FAIL"),
            )
        )
        index = {p.name: (p.site / "search" / "search_index.json").stat().st_size for p in (stock, ours)}
        rows.append(
            ("search index", kb(index["stock"]), kb(index["ours"]), f"{index['stock'] / index['ours']:.1f}x smaller")
        )

        for project in (stock, ours):
            with StaticSite(project.site) as url:
                project.browser = in_chromium(url)
                project.lighthouse = {} if args.no_lighthouse else {n: lighthouse(url + p) for n, p in PAGES.items()}
        nb_s, nb_o = stock.browser["notebook"], ours.browser["notebook"]
        rows.append(
            (
                "notebook page, HTML",
                kb(nb_s["html"]),
                kb(nb_o["html"]),
                f"{nb_s['html'] / nb_o['html']:.1f}x lighter; budget 150 KB: "
                + ("pass" if nb_o["html"] <= 150_000 else "FAIL"),
            )
        )
        rows.append(
            (
                "notebook page, transferred (gzip)",
                kb(nb_s["transferred"]),
                kb(nb_o["transferred"]),
                f"{nb_s['transferred'] / nb_o['transferred']:.1f}x less",
            )
        )
        for name in PAGES:
            s, o = stock.browser[name], ours.browser[name]
            rows.append(
                (
                    f"{name} page: requests (to other hosts)",
                    f"{s['requests']} ({s['offsite']})",
                    f"{o['requests']} ({o['offsite']})",
                    "budget 0 other hosts: " + ("pass" if o["offsite"] == 0 else "FAIL"),
                )
            )
        for name in PAGES if not args.no_lighthouse else ():
            s, o = stock.lighthouse[name], ours.lighthouse[name]
            for category in ("performance", "accessibility", "best-practices", "seo"):
                rows.append(
                    (
                        f"Lighthouse {category}, {name}",
                        str(s[category]),
                        str(o[category]),
                        "floor 95: " + ("pass" if o[category] >= 95 else "FAIL"),
                    )
                )
            if o["failing"]:
                rows.append(
                    (
                        f"Lighthouse audits not passed, {name}",
                        ", ".join(s["failing"]) or "-",
                        ", ".join(o["failing"]),
                        "",
                    )
                )
    if args.tests:
        for measure, seconds in suite_times().items():
            verdict = "" if "cold" in measure else "budget 30 s: " + ("pass" if seconds <= 30 else "FAIL")
            rows.append((measure, "-", f"{seconds:.0f}", verdict))

    header = ("measure", "stock", "this course", "ratio / verdict")
    if args.markdown:
        print("| " + " | ".join(header) + " |\n|" + " --- |" * 4)
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
        for row in [header, *rows]:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return 1 if any("FAIL" in row[3] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
