"""The built site in a real browser: Debian's Chromium driven by Playwright, served on loopback.

Skipped, with the reason in the summary, only when no Chromium is installed (`make test` installs Debian's
package when it runs as root) or, for the accessibility checks, when axe-core is not installed (`npm ci`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from benchmarks import serving
from benchmarks.serving import CHROMIUM, CHROMIUM_FLAGS, StaticSite
from courselab import runner, verified
from courselab.config import PROJECT_ROOT
from tests import course_map

pytestmark = pytest.mark.xdist_group("site")

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
LAB = "00-set-up-your-lab/"
CHAPTER = "databases/mysql/"


@pytest.fixture(scope="session")
def site_fingerprint(site: Path) -> str:
    """What a browser test sees: the built files (less the dated sitemap), these tests, how the site is served
    and the browser."""
    inputs = [
        verified.directory_fingerprint(site, ignore=("sitemap.xml", "sitemap.xml.gz")),
        hashlib.sha256(Path(__file__).read_bytes() + Path(serving.__file__).read_bytes()).hexdigest(),
        str(Path(CHROMIUM).stat().st_mtime_ns) if Path(CHROMIUM).exists() else "no chromium",
        str(AXE.stat().st_mtime_ns) if AXE.exists() else "no axe",
    ]
    return hashlib.sha256(" ".join(inputs).encode()).hexdigest()


@pytest.fixture(autouse=True)
def skip_when_unchanged(request, site_fingerprint):
    """A browser test that passed on this very site is not run again (make test FORCE=1 runs it)."""
    key = f"browser {request.node.nodeid}"
    if verified.passed_before(key, site_fingerprint):
        pytest.skip("the built site is unchanged since this test last passed")
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.passed:
        verified.record_pass(key, site_fingerprint)


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    with StaticSite(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium: install Debian's `chromium` package (make test does, when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened in its own context, recording what went wrong while it loaded."""

    def __init__(self, browser, base_url: str, path: str, scheme: str = "light") -> None:
        self.problems: list[str] = []
        self.context = browser.new_context(color_scheme=scheme, accept_downloads=True)
        self.context.route("**/*", self._only_loopback)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        self.page.goto(base_url + path, wait_until="networkidle")

    def _failed(self, request) -> None:
        # ERR_ABORTED is a request the page itself cancelled (e.g. the favicon as the page is closed).
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _only_loopback(self, route) -> None:
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            self.problems.append(f"off-site request: {route.request.url}")
            route.abort()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, base_url):
    opened: list[Visit] = []

    def open_page(path: str, scheme: str = "light") -> Visit:
        opened.append(Visit(browser, base_url, path, scheme))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html"))


def test_every_page_loads_without_errors_or_offsite_requests(site, visit):
    problems = []
    for path in site_pages(site):
        page = visit(path)
        problems += [f"/{path}: {p}" for p in page.problems]
        page.close()
    assert not problems, "\n".join(problems)


def test_the_home_map_reaches_every_page(visit):
    home = visit("")
    for node in course_map.pages()[1:]:
        url = node.removesuffix("index.md")
        home.page.locator(f".course-map a[*|href='{url}']").click()
        home.page.wait_for_url(f"**/{url}")
        assert home.page.locator("h1").first.is_visible(), url
        home.page.go_back()
    assert not home.problems, home.problems


def luminance(css_color: str) -> float:
    red, green, blue = (float(v) for v in re.findall(r"[\d.]+", css_color)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_notebook_page_shows_outputs_math_and_follows_the_scheme(visit, scheme):
    lesson = visit(LAB, scheme)
    page = lesson.page
    assert page.locator(".nb-output").first.is_visible()
    page.wait_for_function("document.querySelectorAll('mjx-container').length > 0")
    glyph = page.evaluate("getComputedStyle(document.querySelector('mjx-container mjx-c'), '::before').content")
    assert glyph not in ("none", ""), "math is laid out but its glyphs have no content"
    background = page.evaluate("getComputedStyle(document.querySelector('.nb-input pre > code')).backgroundColor")
    assert (luminance(background) < 0.3) == (scheme == "dark"), f"{scheme} scheme, code background {background}"
    assert not lesson.problems, lesson.problems


def test_the_scheme_toggle_switches_remembers_and_answers_enter(visit):
    home = visit(CHAPTER, "dark")
    page = home.page
    scheme = lambda: page.evaluate("document.body.dataset.mdColorScheme")  # noqa: E731
    toggle = page.locator("[data-course-palette] label:not([hidden])")
    assert scheme() == "slate" and toggle.get_attribute("title") == "Switch to light mode"
    toggle.click()
    assert scheme() == "default" and toggle.get_attribute("title") == "Switch to dark mode"
    page.reload(wait_until="networkidle")
    assert scheme() == "default", "the reader's pick is forgotten on the next page"
    toggle.focus()
    page.keyboard.press("Enter")
    assert scheme() == "slate"
    assert page.evaluate("document.querySelector('meta[name=color-scheme]').content") == "dark"
    assert not home.problems, home.problems


def test_math_renders_on_a_lesson_reached_by_a_link(visit):
    branch = visit("databases/")
    branch.page.locator(f".md-content a[href$='{LAB}']").first.click()
    branch.page.wait_for_url(f"**/{LAB}")
    branch.page.wait_for_function("document.querySelectorAll('mjx-container mjx-c').length > 0")
    glyph = branch.page.evaluate("getComputedStyle(document.querySelector('mjx-container mjx-c'), '::before').content")
    assert glyph not in ("none", ""), "math typeset after following a link has no glyphs"
    assert not branch.problems, branch.problems


def test_pages_without_math_do_not_load_mathjax(visit):
    chapter = visit(CHAPTER)
    assert chapter.page.evaluate("document.getElementById('mathjax-script') === null")


def test_the_download_button_gives_the_notebook(visit, tmp_path):
    lesson = visit(LAB)
    with lesson.page.expect_download() as download:
        lesson.page.locator("a[download].md-content__button").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "00-set-up-your-lab.ipynb"
    assert nbformat.read(saved, as_version=4).cells, "the download is not a notebook"


def notebook_only_word() -> str:
    """A word of a notebook's prose that no Markdown page contains."""
    pages = " ".join(p.read_text().lower() for p in (PROJECT_ROOT / "docs").rglob("*.md"))
    lab = nbformat.read(runner.NOTEBOOKS_DIR / "00-set-up-your-lab.ipynb", as_version=4)
    prose = " ".join(c.source for c in lab.cells if c.cell_type == "markdown").lower()
    words = sorted({w.strip(".,:;()*`") for w in prose.split()}, key=len, reverse=True)
    return next(w for w in words if w.isalpha() and len(w) > 6 and w not in pages)


def test_search_finds_words_that_only_a_notebook_contains(visit):
    word = notebook_only_word()
    home = visit("")
    home.page.locator("label.md-search__icon, .md-search__input").first.click()
    home.page.keyboard.type(word)  # Material searches on key events, which fill() does not send
    results = home.page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(LAB in (h or "") for h in hrefs), f"searching {word!r} found {hrefs}"


def test_content_tabs_and_collapsed_solutions_work(visit):
    home = visit("")
    run_locally = home.page.get_by_text("make lab", exact=False).first
    assert not run_locally.is_visible()
    home.page.locator(".tabbed-labels label", has_text="Run it locally").click()
    assert run_locally.is_visible()

    lesson = visit(LAB)
    solution = lesson.page.locator("details.nb-solution").first
    code = solution.locator("pre").first
    assert not code.is_visible(), "the reference solution should start collapsed"
    solution.locator("summary").click()
    assert code.is_visible()


def test_a_cells_copy_button_copies_its_code(visit):
    lesson = visit(LAB)
    lesson.context.grant_permissions(["clipboard-read", "clipboard-write"])
    cell = lesson.page.locator(".nb-input").first
    cell.locator(".nb-copy").click()
    copied = lesson.page.evaluate("navigator.clipboard.readText()")
    assert copied == cell.locator("code").inner_text()
    assert copied.startswith("from courselab import Lab")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", CHAPTER, LAB], ids=["home", "chapter", "notebook"])
def test_no_serious_accessibility_violation(visit, path, scheme):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does, when npm is available)")
    page = visit(path, scheme).page
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}" for v in serious]
    assert not serious, json.dumps(report, indent=1)
