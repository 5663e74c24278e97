"""The course map as the design lays it out: every node a page, every leaf a chapter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# branch title -> (slug, {chapter title: slug})
MAP: dict[str, tuple[str, dict[str, str]]] = {
    "Databases": ("databases", {"MongoDB": "mongodb", "MySQL": "mysql", "Redis": "redis"}),
    "Programming languages": ("languages", {"Python": "python", "Go vs Python": "go"}),
    "Web services": ("web-services", {"REST": "rest", "SOAP": "soap"}),
    "Others": (
        "others",
        {"Distributed systems theory": "distributed-systems", "Managing complexity and operations": "operations"},
    ),
}


def pages() -> list[str]:
    """Every map node's page, as a path under docs/."""
    found = ["index.md"]
    for slug, chapters in MAP.values():
        found.append(f"{slug}/index.md")
        found += [f"{slug}/{chapter}/index.md" for chapter in chapters.values()]
    return found


def _entry(item: Any) -> tuple[str | None, Any]:
    return next(iter(item.items())) if isinstance(item, dict) else (None, item)


def nav_problems(nav: list[Any], notebooks: list[Path]) -> list[str]:
    """What in mkdocs.yml's nav departs from the map, or leaves a notebook out."""
    problems: list[str] = []
    titles = [_entry(item)[0] for item in nav]
    if titles != ["Home", *MAP]:
        problems.append(f"nav tabs are {titles}, the map says {['Home', *MAP]}")
    listed: list[str] = []
    for item in nav:
        title, children = _entry(item)
        if title not in MAP:
            listed += [_entry(c)[1] for c in children if isinstance(children, list)]
            continue
        slug, chapters = MAP[title]
        if not isinstance(children, list) or children[0] != f"{slug}/index.md":
            problems.append(f"{title}: its first entry must be {slug}/index.md")
            continue
        chapter_titles = [_entry(c)[0] for c in children[1:]]
        if chapter_titles != list(chapters):
            problems.append(f"{title}: chapters are {chapter_titles}, the map says {list(chapters)}")
        for child in children[1:]:
            name, target = _entry(child)
            chapter = f"{slug}/{chapters.get(name, '?')}"
            lessons = target if isinstance(target, list) else [target]
            if lessons[0] != f"{chapter}/index.md":
                problems.append(f"{title} > {name}: its first entry must be {chapter}/index.md")
            for lesson in lessons[1:]:
                path = _entry(lesson)[1]
                if not str(path).startswith(f"{chapter}/"):
                    problems.append(f"{title} > {name}: {path} belongs to another chapter")
                listed.append(path)
    for notebook in notebooks:
        if str(notebook) not in listed:
            where = " > ".join(_chapter_titles(notebook)) or "Home"
            problems.append(f"notebooks/{notebook} is not in mkdocs.yml's nav (add it under {where})")
    return problems


def _chapter_titles(notebook: Path) -> list[str]:
    parts = notebook.parts
    for title, (slug, chapters) in MAP.items():
        if parts[0] == slug and len(parts) > 2:
            return [title, *(name for name, s in chapters.items() if s == parts[1])]
    return []
