"""Exercise checks: a verdict a learner can act on, and the reference solutions.

A check cell calls `check(got, expected, ...)`. A right answer prints a one-line
"Correct"; a wrong one raises ExerciseIncorrect, whose message (shown without a
traceback) says what was expected, what came back and where to look.

Reference solutions sit in cells that start with `%%solution`: collapsed on the
site and in JupyterLab, run by the test suite (COURSE_SOLUTIONS=run) so every
check is known to pass, and not run for a learner, whose own answer is checked.
"""

from __future__ import annotations

import os
from typing import Any


class ExerciseIncorrect(AssertionError):
    """The learner's answer is not right yet."""


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check(got: Any, expected: Any, what: str, hint: str = "") -> None:
    """Say whether `got` equals `expected`; `what` names the exercise in the verdict."""
    if got is Ellipsis or got is None:
        raise ExerciseIncorrect(f"Not answered yet: {what}. Fill in the cell above, run it, then run this check.")
    if got == expected:
        print(f"Correct: {what}.")
        return
    message = f"Not yet: {what}.\n  expected: {_short(expected)}\n  got:      {_short(got)}"
    if hint:
        message += f"\n  hint: {hint}"
    raise ExerciseIncorrect(message)


def solutions_run() -> bool:
    return os.environ.get("COURSE_SOLUTIONS") == "run"


def solution_cell_magic(line: str, cell: str) -> None:
    """%%solution: the reference solution, run by the tests and skipped for a learner."""
    if not solutions_run():
        print("Reference solution not run: your own answer above is what the check uses.")
        return
    from IPython import get_ipython

    result = get_ipython().run_cell(cell)
    result.raise_error()
