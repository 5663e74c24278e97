"""How hooks/notebooks.py turns notebook cells into page HTML (the site tests cover whole pages)."""

from __future__ import annotations

import importlib.util

import markdown
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

from courselab.config import PROJECT_ROOT


@pytest.fixture(scope="module")
def hooks():
    spec = importlib.util.spec_from_file_location("notebook_hooks", PROJECT_ROOT / "hooks" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def md():
    return markdown.Markdown(extensions=["admonition", "toc", "pymdownx.superfences"])


def code(source: str, text: str = "", tags: tuple[str, ...] = ()):
    cell = new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    if text:
        cell.outputs = [new_output("stream", name="stdout", text=text)]
    return cell


def test_markdown_cells_get_the_sites_markdown_and_headings(hooks, md):
    headings: list[dict] = []
    html = hooks.render_cell(new_markdown_cell('## Locks `FOR UPDATE`\n\n!!! note "Why"\n    Because.'), md, headings)
    assert 'class="admonition note"' in html
    assert headings == [{"level": 2, "id": "locks-for-update", "name": "Locks FOR UPDATE"}]
    assert 'id="locks-for-update"' in html


@pytest.mark.parametrize(
    ("tag", "shows_input", "shows_output"),
    [("remove-input", False, True), ("remove-output", True, False), ("remove-cell", False, False)],
)
def test_removal_tags_hide_their_part(hooks, md, tag, shows_input, shows_output):
    html = hooks.render_cell(code("print('seen')", "seen\n", (tag, "volatile")), md, [])
    assert ("nb-input" in html) == shows_input
    assert ("nb-output" in html) == shows_output


def test_solutions_are_collapsed_and_go_cells_highlighted_as_go(hooks, md):
    solution = hooks.render_cell(code("%%solution\nanswer = 42"), md, [])
    assert solution.count("<details") == 1 and "Reference solution" in solution
    go = hooks.render_cell(code('%%go\npackage main\nfunc main() { println("hi") }'), md, [])
    assert "language-go" in go and '<span class="kd">func</span>' in go


def test_outputs_are_escaped_and_long_ones_left_out_of_search(hooks, md):
    short = hooks.render_cell(code("x", "<b>not markup</b>\n"), md, [])
    assert "&lt;b&gt;not markup&lt;/b&gt;" in short and "data-search-exclude" not in short
    long = hooks.render_cell(code("x", "row\n" * 200), md, [])
    assert 'data-search-exclude="bulky-output"' in long


def test_cells_tagged_as_tabs_become_one_set_of_tabs(hooks, tmp_path, monkeypatch):
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[
            new_markdown_cell('=== "A"\n\n    one'),
            new_markdown_cell('=== "B"\n\n    two'),
            code("print('py')", "py\n", ("tab:Python",)),
            code("%%go\npackage main", "go\n", ("tab:Go",)),
            code("print('after')", "after\n"),
        ]
    )
    path = tmp_path / "tabs.ipynb"
    nbformat.write(nb, path)
    monkeypatch.setattr(hooks, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(hooks, "NOTEBOOKS", tmp_path)
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files

    config = load_config(str(PROJECT_ROOT / "mkdocs.yml"))
    files = Files([File("tabs.ipynb", str(tmp_path), str(tmp_path / "site"), True)])
    monkeypatch.setitem(hooks._site, "config", config)
    monkeypatch.setitem(hooks._site, "files", files)
    page = hooks.rendered(str(path))["html"]
    assert page.count('class="tabbed-set') == 3  # two Markdown sets, one set of code tabs
    ids = [part.split('"')[0] for part in page.split(' id="__tabbed_')[1:]]
    assert len(ids) == len(set(ids)), "tab ids repeat on the page"
    assert '<label for="__tabbed_t4_1">Python</label><label for="__tabbed_t4_2">Go</label>' in page
    assert page.index("after") > page.index("Go</label>")


def test_the_page_cache_key_changes_with_what_links_resolve_against(hooks):
    from mkdocs.structure.files import File, Files

    config = {"markdown_extensions": ["toc"], "mdx_configs": {}, "use_directory_urls": True}
    page = File("lesson.ipynb", "notebooks", "site", True)
    other = File("other.md", "docs", "site", True)
    key = hooks.cache_key("lesson.ipynb", b"{}", config, Files([page, other]))
    assert key == hooks.cache_key("lesson.ipynb", b"{}", config, Files([page, other]))
    assert key != hooks.cache_key("lesson.ipynb", b"{}", config, Files([page]))  # a linked page went away
    assert key != hooks.cache_key("lesson.ipynb", b"{}", {**config, "use_directory_urls": False}, Files([page, other]))
    assert key != hooks.cache_key("lesson.ipynb", b"{ }", config, Files([page, other]))
