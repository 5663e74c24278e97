"""Executing lesson notebooks the way the tests and `make notebooks` do.

Each notebook runs top to bottom in a fresh kernel, in its own folder, with the
reference solutions switched on. Limits: 30 s a cell (a cell tagged `timeout-N`
gets N s and says why in its first line) and 120 s a notebook. `verify` compares
every code cell's new outputs with the stored ones (cells tagged `volatile` are
run, not compared); `store` writes the new outputs back, normalised.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from courselab import mongodb
from courselab.config import CACHE_DIR, PROJECT_ROOT
from courselab.outputs import ANSI, difference, scrub, scrub_output

NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
CELL_BUDGET_S = 30
NOTEBOOK_BUDGET_S = 120
TIMEOUT_TAG = re.compile(r"^timeout-(\d+)$")
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


@dataclass(frozen=True)
class Problem:
    """Something wrong with a notebook, said so that a contributor knows where to look."""

    notebook: str
    cell: int | None
    reason: str

    def __str__(self) -> str:
        where = self.notebook if self.cell is None else f"{self.notebook}, cell {self.cell}"
        return f"{where}: {self.reason}"


def discover(root: Path = NOTEBOOKS_DIR) -> list[Path]:
    return sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def cell_timeout(cell: dict) -> int:
    for tag in cell.get("metadata", {}).get("tags", []):
        if match := TIMEOUT_TAG.match(tag):
            return int(match.group(1))
    return CELL_BUDGET_S


def first_line(cell: dict) -> str:
    source = cell.get("source", "")
    source = source if isinstance(source, str) else "".join(source)
    line = next((ln for ln in source.splitlines() if ln.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


class LessonClient(NotebookClient):
    """nbclient with the course's limits: per-cell budgets inside one notebook budget."""

    def __init__(self, nb: nbformat.NotebookNode, folder: Path, allow_errors: bool = False) -> None:
        self.deadline = time.monotonic() + NOTEBOOK_BUDGET_S
        self.current_cell = 0
        super().__init__(
            nb,
            kernel_name="python3",
            resources={"metadata": {"path": str(folder)}},
            allow_errors=allow_errors,
            record_timing=False,
            timeout_func=self._timeout,
            # Cells that need a real MongoDB server are skipped on the embedded engine.
            skip_cells_with_tag="needs-mongodb-server" if not mongodb.engine_is_server() else "-",
        )

    def _timeout(self, cell: dict) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            # nbclient reads a timeout of 0 as "none": the next cell must not start at all.
            raise CellTimeoutError.error_from_timeout_and_cell("notebook budget spent", NOTEBOOK_BUDGET_S, cell)
        return min(cell_timeout(cell), remaining)

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        self.current_cell = cell_index + 1
        return await super().async_execute_cell(cell, cell_index, *args, **kwargs)


def kernel_env(solutions: bool = True) -> dict[str, str]:
    (CACHE_DIR / "ipython").mkdir(parents=True, exist_ok=True)
    return {
        **{k: v for k, v in os.environ.items() if k != "COURSE_SOLUTIONS"},
        **({"COURSE_SOLUTIONS": "run"} if solutions else {}),
        "IPYTHONDIR": str(CACHE_DIR / "ipython"),
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
    }


def execute(path: Path, as_learner: bool = False) -> tuple[nbformat.NotebookNode, list[Problem]]:
    """Run a copy of the notebook; return it with any problem found on the way.

    `as_learner` runs it as a learner who has answered nothing: reference solutions off,
    and errors recorded in the cells' outputs instead of stopping the run.
    """
    stored = nbformat.read(path, as_version=4)
    nb = nbformat.from_dict(stored)
    client = LessonClient(nb, path.parent, allow_errors=as_learner)
    name = relative(path)
    try:
        client.execute(env=kernel_env(solutions=not as_learner))
    except CellTimeoutError:
        cell = nb.cells[client.current_cell - 1]
        over_budget = time.monotonic() >= client.deadline
        limit = f"the notebook's {NOTEBOOK_BUDGET_S} s" if over_budget else f"its {cell_timeout(cell)} s"
        return nb, [Problem(name, client.current_cell, f"`{first_line(cell)}` ran past {limit} limit")]
    except CellExecutionError as err:
        cell = nb.cells[client.current_cell - 1]
        trace = scrub(ANSI.sub("", err.traceback)).strip().splitlines()
        reason = (
            f"`{first_line(cell)}` raised {err.ename}: {scrub(err.evalue)}\n"
            + "\n".join("    " + line for line in trace[-8:])
            + "\n    (tag the cell `raises-exception` if the error is the lesson)"
        )
        return nb, [Problem(name, client.current_cell, reason)]
    except DeadKernelError as err:
        return nb, [Problem(name, client.current_cell, f"the kernel died: {err}")]
    return nb, []


def verify(path: Path) -> list[Problem]:
    """Execute the notebook and compare each code cell's outputs with the stored ones."""
    stored = nbformat.read(path, as_version=4)
    nb, problems = execute(path)
    if problems:
        return problems
    mongodb_cells_skipped = not mongodb.engine_is_server()
    for index, (old, new) in enumerate(zip(stored.cells, nb.cells, strict=True), start=1):
        tags = set(old.get("metadata", {}).get("tags", []))
        if old.cell_type != "code" or "volatile" in tags or (mongodb_cells_skipped and "needs-mongodb-server" in tags):
            continue
        if diff := difference(old.outputs, [scrub_output(dict(o)) for o in new.outputs]):
            problems.append(
                Problem(relative(path), index, f"`{first_line(old)}`: output differs from the stored one\n{diff}")
            )
    return problems


def is_solution(cell: dict) -> bool:
    return cell.get("cell_type") == "code" and str(cell.get("source", "")).startswith("%%solution")


def check_cells(nb: nbformat.NotebookNode) -> list[int]:
    """0-based indexes of each exercise's check: the first code cell calling check( after a solution."""
    found = []
    for index, cell in enumerate(nb.cells):
        if is_solution(cell):
            after = (j for j in range(index + 1, len(nb.cells)) if nb.cells[j].cell_type == "code")
            found += [j for j in after if "check(" in nb.cells[j].source][:1]
    return found


def starter_problems(path: Path) -> list[Problem]:
    """Each exercise's check must fail, with its own message, for a learner who has not answered yet."""
    nb, problems = execute(path, as_learner=True)
    if problems:
        return problems
    for index in check_cells(nb):
        cell = nb.cells[index]
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        if not errors:
            reason = "passes without an answer: the check must fail until the learner solves the exercise"
        elif errors[0]["ename"] != "ExerciseIncorrect":
            reason = (
                f"fails with {errors[0]['ename']}: {scrub(errors[0]['evalue'])[:200]} instead of a "
                "check verdict: an unanswered exercise must get check()'s message, not a stack trace"
            )
        else:
            continue
        problems.append(Problem(relative(path), index + 1, f"`{first_line(cell)}` {reason}"))
    return problems


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Stable metadata and machine-free outputs: what a committed notebook looks like."""
    language = nb.metadata.get("language_info", {})
    nb.metadata = nbformat.from_dict(
        {
            "kernelspec": KERNEL,
            "language_info": {
                "name": "python",
                "pygments_lexer": "ipython3",
                "version": ".".join(str(language.get("version", "3.11")).split(".")[:2]),
            },
        }
    )
    for cell in nb.cells:
        keep = {k: v for k, v in cell.metadata.items() if k in ("tags", "jupyter")}
        cell.metadata = nbformat.from_dict(keep)
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(scrub_output(dict(o))) for o in cell.outputs]
    return nb


def store(path: Path) -> list[Problem]:
    """Execute the notebook and write its new outputs back; leave it untouched on failure."""
    nb, problems = execute(path)
    if not problems:
        nbformat.write(normalise(nb), path)
    return problems
