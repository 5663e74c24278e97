"""`make new-lesson`: a lesson notebook with the course's anatomy, ready to fill in."""

from __future__ import annotations

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from courselab.runner import KERNEL, NOTEBOOKS_DIR

SLUG = re.compile(r"^\d\d-[a-z0-9-]+$")


def lesson_cells(lab_name: str, title: str) -> list:
    solution = new_code_cell("%%solution\nanswer = ...  # the reference answer, run by the tests")
    solution.metadata.update(tags=["solution"], jupyter={"source_hidden": True})
    return [
        new_markdown_cell(
            f"# {title}\n\nWhat this lesson is about, in terms of the Bookshop.\n\n"
            "## Objectives\n\nAfter this lesson you can:\n\n- ...\n"
        ),
        new_code_cell(f'from courselab import Lab, check\n\nlab = Lab("{lab_name}")'),
        new_markdown_cell("## Concepts\n\nEach idea, then the code that shows it."),
        new_markdown_cell("## Experiment: see it happen\n\nSet it up, run it, read what happened."),
        new_markdown_cell("## Pitfalls\n\n- ..."),
        new_markdown_cell("## Exercises\n\n### Exercise 1\n\n**Task.** ...\n"),
        new_code_cell("answer = ...  # your answer here"),
        solution,
        new_code_cell('check(answer, ..., "exercise 1", hint="...")'),
        new_markdown_cell("## Summary\n\n- ...\n\n## Further reading\n\n- ..."),
        new_code_cell("lab.close()"),
    ]


def new_lesson(chapter: str, slug: str, title: str) -> str:
    """Create notebooks/<chapter>/<slug>.ipynb and say what to add to the nav."""
    folder = NOTEBOOKS_DIR / chapter
    if not (NOTEBOOKS_DIR.parent / "docs" / chapter / "index.md").is_file():
        raise SystemExit(f"no chapter docs/{chapter}/index.md: CHAPTER is e.g. databases/mysql")
    if not SLUG.match(slug):
        raise SystemExit(f"SLUG {slug!r}: two digits, a dash, then lowercase words, e.g. 01-relational-modelling")
    path = folder / f"{slug}.ipynb"
    if path.exists():
        raise SystemExit(f"{path.relative_to(NOTEBOOKS_DIR.parent)} exists already: nothing written")
    lab_name = f"{chapter.split('/')[-1]}-{slug}"[:41].rstrip("-")
    nb = new_notebook(cells=lesson_cells(lab_name, title), metadata={"kernelspec": KERNEL})
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return (
        f"wrote {path.relative_to(NOTEBOOKS_DIR.parent)}\n"
        f"add it to mkdocs.yml's nav under its chapter:  - {title}: {chapter}/{slug}.ipynb\n"
        f"then: make notebooks NB={path.relative_to(NOTEBOOKS_DIR.parent)}"
    )
