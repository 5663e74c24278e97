"""The rules a committed notebook follows, checked without running it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from courselab.runner import KERNEL, TIMEOUT_TAG, Problem, first_line, relative

SIZE_LIMIT = 1_000_000
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:root|tmp|work|home|Users|var/folders)/[\w.-]")
LAB_NAME = re.compile(r"""\bLab\(\s*["']([^"']+)["']""")


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


def check(path: Path) -> list[Problem]:
    name = relative(path)
    problems: list[Problem] = []

    def say(cell: int | None, reason: str) -> None:
        problems.append(Problem(name, cell, reason))

    size = path.stat().st_size
    if size > SIZE_LIMIT:
        say(None, f"{size // 1000} KB with its outputs, over the {SIZE_LIMIT // 1_000_000} MB limit")
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # any unreadable file is reported, not raised
        say(None, f"not a valid notebook: {err}")
        return problems
    if nb.metadata.get("kernelspec", {}).get("name") != KERNEL["name"]:
        say(None, "kernelspec is not python3: run `make notebooks NB=...` to normalise it")
    for index, cell in enumerate(nb.cells, start=1):
        text = source(cell)
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type != "code" or not text.strip():
            continue
        if cell.get("execution_count") is None and "needs-mongodb-server" not in tags:
            say(index, f"`{first_line(cell)}` was never executed")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and "raises-exception" not in tags:
                say(index, f"error output {out.get('ename')} without the `raises-exception` tag")
            if hit := MACHINE_PATH.search(str(out)):
                say(index, f"output shows a machine path near '{hit.group(0)}'")
        if text.startswith("%%solution") and not cell.metadata.get("jupyter", {}).get("source_hidden"):
            say(index, "a %%solution cell must be collapsed (metadata jupyter.source_hidden: true)")
        if "solution" in tags and not text.startswith("%%solution"):
            say(index, "a cell tagged `solution` must start with %%solution")
        if any(TIMEOUT_TAG.match(t) for t in tags) and not text.lstrip().startswith("#"):
            say(index, "a cell with a longer timeout must say why in a comment on its first line")
    return problems


def lab_names(paths: list[Path]) -> dict[str, list[str]]:
    """Lab name -> notebooks using it; two notebooks sharing one would trample each other."""
    names: dict[str, list[str]] = {}
    for path in paths:
        for cell in nbformat.read(path, as_version=4).cells:
            for match in LAB_NAME.finditer(source(cell)) if cell.cell_type == "code" else ():
                names.setdefault(match.group(1), []).append(relative(path))
    return names
