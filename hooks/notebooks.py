"""Lesson notebooks into the site: found in notebooks/, rendered as light HTML.

mkdocs-jupyter keeps doing what it does well (a notebook as a page, its table of
contents, the .ipynb copied beside it). The HTML itself is made here, because the
plugin's converter inlines ~575 KB of JupyterLab CSS into every page and renders
Markdown cells with nbconvert's renderer, which knows none of the site's Markdown
(admonitions, tabs, links to other pages). Here a notebook page is built from:

- Markdown cells, rendered by Python-Markdown with the site's own extensions and
  MkDocs' link rewriting, exactly like a .md page;
- code cells, highlighted like any code block on the site (so they share its
  colours, dark scheme and copy button); `%%go` cells are highlighted as Go;
- consecutive code cells tagged `tab:<label>` (say `tab:Python` and `tab:Go`) as one set of
  content tabs, each tab the cell with its output;
- outputs, in their richest safe form; cells tagged `remove-cell`,
  `remove-input` or `remove-output` lose that part; `%%solution` cells are
  collapsed under "Reference solution".

The table of contents is taken from the headings as rendered, so its links match.
Rendered pages are cached under .cache/notebook-pages, keyed on the notebook,
this file, the Markdown configuration and the versions of what renders them.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib.metadata import version
from pathlib import Path

import markdown
import mkdocs_jupyter.convert
import mkdocs_jupyter.plugin
import nbformat
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import _RelativePathTreeprocessor
from nbconvert.filters.ansi import ansi2html
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CACHE = ROOT / ".cache" / "notebook-pages"
RENDERERS = ("markdown", "pymdown-extensions", "pygments", "nbformat", "nbconvert", "mkdocs")
RENDERER_VERSIONS = " ".join(version(p) for p in RENDERERS)
MAGIC_LEXERS = {"go": "go", "bash": "bash", "sh": "bash", "sql": "sql", "html": "html", "solution": "python"}
FORMATTER = HtmlFormatter(nowrap=True)
# Tokens the site shows in the plain code colour: their <span> wrappers only add weight (a third of a
# lesson page's bytes). Names, punctuation, whitespace, and the classes Material's theme gives no colour
# (Go's names `nx`, string prefixes `sa`, magic names `vm` and `fm`).
BULKY_OUTPUT_CHARS = 400  # longer outputs stay on the page but out of the search index
PLAIN_TOKEN = re.compile(r'<span class="(?:n|p|w|nx|sa|vm|fm)">([^<]*)</span>')

_site: dict = {}


@event_priority(100)  # before mkdocs-jupyter's on_files, which turns .ipynb files into pages
def on_files(files: Files, config) -> Files:
    for path in sorted(NOTEBOOKS.rglob("*.ipynb")):
        if ".ipynb_checkpoints" not in path.parts:
            files.append(
                File(str(path.relative_to(NOTEBOOKS)), str(NOTEBOOKS), config["site_dir"], config["use_directory_urls"])
            )
    return files


def on_nav(nav, config, files: Files):
    # The final files, after mkdocs-jupyter made notebooks into pages: links are resolved against these.
    _site.update(config=config, files=files)
    return nav


def on_config(config):
    # The seams: mkdocs-jupyter looks its converter and its table of contents up at render time.
    mkdocs_jupyter.convert.nb2html = render_notebook
    mkdocs_jupyter.plugin._get_nb_toc_tokens = notebook_toc
    return config


def cache_key(nb_path: str, source: bytes, config, files: Files) -> str:
    """Everything that changes a notebook's page: the notebook, this renderer and the versions of what it uses,
    the Markdown settings, and what its links resolve against (the site's files and URL style)."""
    site = [config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"]]
    return hashlib.sha256(
        source
        + Path(__file__).read_bytes()
        + RENDERER_VERSIONS.encode()
        + json.dumps(site, default=str, sort_keys=True).encode()
        + "\n".join(sorted(f.src_uri for f in files)).encode()
        + nb_path.encode()
    ).hexdigest()


def rendered(nb_path: str) -> dict:
    """The page body and its headings (flat: level, id, name), from the cache when nothing changed."""
    config, files = _site["config"], _site["files"]
    source = Path(nb_path).read_bytes()
    cached = CACHE / f"{cache_key(nb_path, source, config, files)}.json"
    if cached.exists():
        return json.loads(cached.read_text(encoding="utf-8"))
    page_file = files.get_file_from_path(str(Path(nb_path).relative_to(NOTEBOOKS)))
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    # MkDocs' own link rewriting: [MySQL](databases/mysql/index.md) works in a notebook as on a page.
    _RelativePathTreeprocessor(page_file, files, config)._register(md)
    nb = nbformat.reads(source.decode("utf-8"), as_version=4)
    headings: list[dict] = []
    parts: list[str] = []
    tabs: list[tuple[str, str]] = []  # consecutive cells tagged tab:<label>, shown as one set of tabs
    for index, cell in enumerate(nb.cells):
        # Tab ids restart in each cell's Markdown; make them unique on the page.
        html = render_cell(cell, md, headings).replace("__tabbed_", f"__tabbed_c{index}_")
        label = next((t.removeprefix("tab:") for t in cell.metadata.get("tags", []) if t.startswith("tab:")), None)
        if label:
            tabs.append((label, html))
            continue
        if tabs:
            parts.append(tab_set(tabs, f"t{index}"))
            tabs = []
        parts.append(html)
    if tabs:
        parts.append(tab_set(tabs, "tlast"))
    page = {"html": '<div class="nb">\n' + "\n".join(parts) + "\n</div>", "toc": headings}
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(page), encoding="utf-8")
    return page


def tab_set(tabs: list[tuple[str, str]], set_id: str) -> str:
    """Cells as Material content tabs (pymdownx.tabbed's markup), e.g. the same idea in Python and in Go."""
    name = f"__tabbed_{set_id}"
    inputs = "".join(
        f'<input {"checked " if n == 1 else ""}id="{name}_{n}" name="{name}" type="radio">'
        for n in range(1, len(tabs) + 1)
    )
    labels = "".join(f'<label for="{name}_{n}">{html.escape(label)}</label>' for n, (label, _) in enumerate(tabs, 1))
    blocks = "".join(f'<div class="tabbed-block">{body}</div>' for _, body in tabs)
    return (
        f'<div class="tabbed-set tabbed-alternate nb-tabs" data-tabs="1:{len(tabs)}">{inputs}'
        f'<div class="tabbed-labels">{labels}</div><div class="tabbed-content">{blocks}</div></div>'
    )


def render_notebook(nb_path: str, **_plugin_options) -> str:
    return rendered(nb_path)["html"]


def notebook_toc(nb_path: str, toc_depth: int) -> tuple[list[dict], str | None]:
    """The table of contents from the headings as rendered, so its links match their ids."""
    headings = [h for h in rendered(nb_path)["toc"] if h["level"] <= toc_depth]
    title = next((h["name"] for h in headings if h["level"] == 1), None)
    root: list[dict] = []
    stack: list[dict] = []
    for heading in headings:
        node = {**heading, "children": []}
        while stack and stack[-1]["level"] >= node["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(node)
        stack.append(node)
    return root, title


def flat_headings(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append({"level": token["level"], "id": token["id"], "name": token["name"]})
        flat += flat_headings(token.get("children", []))
    return flat


def render_cell(cell, md: markdown.Markdown, headings: list[dict]) -> str:
    tags = set(cell.metadata.get("tags", []))
    if "remove-cell" in tags:
        return ""
    if cell.cell_type == "markdown":
        md.reset()
        body = md.convert(cell.source)
        headings += flat_headings(getattr(md, "toc_tokens", []))
        return f'<div class="nb-cell nb-markdown">\n{body}\n</div>'
    if cell.cell_type != "code" or not cell.source.strip():
        return ""
    parts = []
    if "remove-input" not in tags:
        parts.append(render_input(cell.source))
    if "remove-output" not in tags and cell.outputs:
        outputs = "".join(out_of_search_if_bulky(render_output(o, md), o) for o in cell.outputs)
        parts.append(f'<div class="nb-outputs">{outputs}</div>')
    inner = "\n".join(parts)
    if cell.source.startswith("%%solution"):
        inner = f'<details class="success nb-solution"><summary>Reference solution</summary>\n{inner}\n</details>'
    tag_classes = " ".join(f"nb-tag-{t}" for t in sorted(tags) if t.replace("-", "").isalnum())
    return f'<div class="nb-cell nb-code {tag_classes}">\n{inner}\n</div>'


def highlighted(source: str, language: str) -> str:
    return PLAIN_TOKEN.sub(r"\1", highlight(source, get_lexer_by_name(language), FORMATTER))


def render_input(source: str) -> str:
    first, _, rest = source.partition("\n")
    if first.startswith("%%"):
        magic = first[2:].split()[0] if first[2:].split() else ""
        language = MAGIC_LEXERS.get(magic, "python")
        code = f'<span class="nd">{html.escape(first)}</span>\n' + highlighted(rest, language)
    else:
        code, language = highlighted(source, "ipython3"), "python"
    # `no-copy`: Material sets up its copy buttons block by block at load, which costs a long lesson its
    # Lighthouse speed; assets/javascripts/notebook.js gives these blocks a lighter one.
    return f'<div class="language-{language} highlight nb-input no-copy"><pre><code>{code}</code></pre></div>'


def out_of_search_if_bulky(rendered: str, output) -> str:
    """Long outputs stay on the page but out of the search index, which keeps prose and code."""
    text = output.get("text") or output.get("evalue") or output.get("data", {}).get("text/plain", "")
    if len(text) <= BULKY_OUTPUT_CHARS and "text/html" not in output.get("data", {}):
        return rendered
    return rendered.replace('class="nb-output', 'data-search-exclude="bulky-output" class="nb-output', 1)


def render_output(output, md: markdown.Markdown) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        css = "nb-stderr" if output.get("name") == "stderr" else "nb-stdout"
        return f'<pre class="nb-output {css}">{html.escape(output.get("text", ""))}</pre>'
    if kind == "error":
        trace = "\n".join(output.get("traceback", [])) or f"{output.get('ename')}: {output.get('evalue')}"
        return f'<pre class="nb-output nb-error">{ansi2html(trace)}</pre>'
    data = output.get("data", {})
    if "text/html" in data:
        return f'<div class="nb-output nb-html">{data["text/html"]}</div>'
    if "image/svg+xml" in data:
        return f'<div class="nb-output nb-image">{data["image/svg+xml"]}</div>'
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            alt = html.escape(data.get("text/plain", "output image"), quote=True)
            payload = data[mime] if isinstance(data[mime], str) else base64.b64encode(data[mime]).decode()
            return f'<div class="nb-output nb-image"><img src="data:{mime};base64,{payload.strip()}" alt="{alt}"></div>'
    if "text/markdown" in data:
        md.reset()
        return f'<div class="nb-output nb-markdown">{md.convert(data["text/markdown"])}</div>'
    if "text/latex" in data:
        return f'<div class="nb-output arithmatex">{html.escape(data["text/latex"])}</div>'
    if "text/plain" in data:
        return f'<pre class="nb-output nb-result">{html.escape(data["text/plain"])}</pre>'
    return ""
