"""Reading a built site: every internal link and anchor resolves, nothing loads from another host."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Elements whose URL the browser fetches when the page loads (unlike <a href>, which waits for a click).
LOADED = {
    ("script", "src"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("embed", "src"),
    ("object", "data"),
}
LOADED_LINK_RELS = {"stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}
CSS_URL = re.compile(r"""(?:@import\s+|url\()\s*["']?((?:https?:)?//[^"')\s]+)""")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.loads: list[str] = []
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for key in ("id", "name") if tag in ("a",) else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        href = values.get("href") or values.get("xlink:href")  # xlink:href: links inside inline SVG
        if tag == "a" and href:
            self.links.append(href)
        if tag == "link" and set(values.get("rel", "").split()) & LOADED_LINK_RELS:
            self.loads.append(values.get("href", ""))
        for element, attr in LOADED:
            if tag == element and attr in values:
                self.loads.append(values[attr])
        if "style" in values:
            self.inline_css.append(values["style"])
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.inline_css.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") or url.startswith("//")


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def target_file(site: Path, url_path: str) -> Path | None:
    candidate = site / unquote(url_path).lstrip("/")
    if url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site(site: Path) -> tuple[list[str], list[str]]:
    """(broken internal links and anchors, requests to other hosts), each as readable lines."""
    pages = {p: parse(p) for p in site.rglob("*.html")}
    broken: list[str] = []
    offsite: list[str] = []
    for path, page in pages.items():
        rel = path.relative_to(site).as_posix()
        base = "/" + rel
        for url in page.loads:
            if is_external(url):
                offsite.append(f"{rel}: loads {url}")
        for css in page.inline_css:
            offsite += [f"{rel}: inline CSS loads {u}" for u in CSS_URL.findall(css)]
        for href in page.links:
            if is_external(href) or href.startswith(("mailto:", "data:", "javascript:")) or not href:
                continue
            resolved = urlsplit(urljoin(base, href))
            target = target_file(site, resolved.path)
            if target is None:
                broken.append(f"{rel}: link {href} -> no such page")
            elif resolved.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(resolved.fragment) not in ids:
                    broken.append(f"{rel}: link {href} -> no anchor #{resolved.fragment}")
    for css_file in site.rglob("*.css"):
        offsite += [f"{css_file.relative_to(site)}: loads {u}" for u in CSS_URL.findall(css_file.read_text())]
    return broken, offsite
