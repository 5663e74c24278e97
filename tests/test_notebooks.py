"""Every lesson notebook: its hygiene, then a fresh execution compared with what is stored."""

from __future__ import annotations

import nbformat
import pytest

from courselab import hygiene, runner, verified

NOTEBOOKS = runner.discover()
IDS = [runner.relative(p) for p in NOTEBOOKS]


def each(paths):
    # One xdist group per notebook: its runs share its lab (database, key prefix), so they take turns.
    return [pytest.param(p, id=runner.relative(p), marks=pytest.mark.xdist_group(runner.relative(p))) for p in paths]


def report(problems: list[runner.Problem]) -> str:
    return "\n\n".join(str(p) for p in problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_hygiene(path):
    problems = hygiene.check(path)
    assert not problems, report(problems)


def unless_unchanged(kind: str, path, run) -> None:
    """Run `run(path)` and fail on its problems, unless it passed on this very notebook and code before."""
    key, fingerprint = f"{kind} {runner.relative(path)}", verified.fingerprint(path)
    if verified.passed_before(key, fingerprint):
        pytest.skip("unchanged since its last green run (make test FORCE=1 runs it anyway)")
    problems = run(path)
    assert not problems, report(problems)
    verified.record_pass(key, fingerprint)


@pytest.mark.parametrize("path", each(NOTEBOOKS))
def test_outputs_are_reproduced(path):
    unless_unchanged("notebook", path, runner.verify)


WITH_EXERCISES = [p for p in NOTEBOOKS if runner.check_cells(nbformat.read(p, as_version=4))]


@pytest.mark.parametrize("path", each(WITH_EXERCISES))
def test_exercise_checks_fail_on_empty_starters(path):
    unless_unchanged("starters", path, runner.starter_problems)


def test_each_notebook_has_its_own_lab():
    shared = {name: users for name, users in hygiene.lab_names(NOTEBOOKS).items() if len(users) > 1}
    assert not shared, f"notebooks sharing a Lab name would trample each other's data: {shared}"


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebook found under notebooks/"
