"""The site: built strictly, shaped like the map, every link resolving, nothing loaded from elsewhere."""

from __future__ import annotations

import html

import nbformat
import pytest
import yaml

from courselab import runner
from courselab.config import PROJECT_ROOT
from tests import course_map, site_links

pytestmark = pytest.mark.xdist_group("site")
PAGE_BUDGET_BYTES = 150_000


def mkdocs_nav() -> list:
    # mkdocs.yml uses no custom YAML tags, so the safe loader reads it.
    return yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text())["nav"]


def test_every_map_node_has_its_page():
    missing = [p for p in course_map.pages() if not (PROJECT_ROOT / "docs" / p).is_file()]
    assert not missing, f"map nodes without a page: {missing}"


def test_nav_is_the_map_and_lists_every_notebook():
    notebooks = [p.relative_to(runner.NOTEBOOKS_DIR) for p in runner.discover()]
    problems = course_map.nav_problems(mkdocs_nav(), notebooks)
    assert not problems, "\n".join(problems)


def test_links_and_anchors_resolve(site):
    broken, _ = site_links.check_site(site)
    assert not broken, "\n".join(broken[:50])


def test_no_request_leaves_the_site(site):
    _, offsite = site_links.check_site(site)
    assert not offsite, "\n".join(offsite[:50])


def test_home_map_links_every_node(site):
    page = site_links.parse(site / "index.html")
    for node in course_map.pages()[1:]:
        url = node.removesuffix("index.md")
        assert url in page.links, f"the home page's map has no link to {url}"


@pytest.mark.parametrize("notebook", runner.discover(), ids=lambda p: runner.relative(p))
def test_notebook_page_shows_stored_outputs(site, notebook):
    rel = notebook.relative_to(runner.NOTEBOOKS_DIR).with_suffix("")
    page_path = site / rel / "index.html"
    page = page_path.read_text(encoding="utf-8")
    nb = nbformat.read(notebook, as_version=4)
    streams = [
        o["text"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "stream" and "remove-output" not in c.metadata.get("tags", [])
    ]
    missing = [text[:60] for text in streams if html.escape(text) not in page]
    assert not missing, f"{rel}: stored outputs not on the page: {missing}"
    assert (page_path.parent / notebook.name).is_file(), "the notebook is not offered for download"
    assert f'href="{notebook.name}" download' in page, "no download button on the notebook page"
    assert len(page.encode()) <= PAGE_BUDGET_BYTES, f"{rel}: {len(page.encode()) // 1000} KB of HTML"


def test_math_is_served_by_the_site(site):
    assert (site / "assets/vendor/mathjax/tex-chtml.js").is_file()
    assert (site / "assets/vendor/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff").is_file()
