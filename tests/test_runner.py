"""The notebook pipeline fails loudly and says where: the failure modes a contributor will meet."""

from __future__ import annotations

from pathlib import Path

import nbformat

from courselab import hygiene, runner
from tests import course_map


def test_matching_outputs_pass(make_notebook):
    path = make_notebook(("print(6 * 7)", "42\n", []), ("x = 1", None, []))
    assert runner.verify(path) == []


def test_a_broken_stored_output_is_named_with_its_cell_and_a_diff(make_notebook):
    path = make_notebook(("print('ok')", "ok\n", []), ("print(1 + 1)", "3\n", []))
    [problem] = runner.verify(path)
    assert problem.cell == 2
    assert "output differs" in problem.reason
    assert "-3" in problem.reason and "+2" in problem.reason


def test_object_addresses_are_not_compared_but_other_hex_numbers_are(make_notebook):
    path = make_notebook(("print(object())", "<object object at 0x7f0000000000>\n", []))
    assert runner.verify(path) == []
    path = make_notebook(("print(hex(0xC0FFEE42))", "0xdeadbeef\n", []))
    [problem] = runner.verify(path)
    assert "0xc0ffee42" in problem.reason


def test_volatile_cells_run_but_are_not_compared(make_notebook):
    path = make_notebook(("import time; print(time.time_ns())", "0\n", ["volatile"]))
    assert runner.verify(path) == []


def test_an_unexpected_error_names_the_cell_and_the_exception(make_notebook):
    path = make_notebook(("x = 1", None, []), ("1 / 0", None, []))
    [problem] = runner.verify(path)
    assert problem.cell == 2
    assert "ZeroDivisionError" in problem.reason
    assert "raises-exception" in problem.reason  # says how to mark an intended error


def test_an_intended_error_passes_with_its_tag(make_notebook):
    path = make_notebook(("1 / 0", None, ["raises-exception"]))
    nb, problems = runner.execute(path)
    assert problems == []
    assert nb.cells[0].outputs[0]["ename"] == "ZeroDivisionError"


def test_a_slow_cell_is_stopped_at_its_limit(make_notebook):
    path = make_notebook(("# sleeps past its own limit, on purpose\nimport time; time.sleep(30)", None, ["timeout-1"]))
    [problem] = runner.verify(path)
    assert problem.cell == 1 and "1 s limit" in problem.reason


def test_the_notebook_budget_stops_short_cells_too(make_notebook, monkeypatch):
    monkeypatch.setattr(runner, "NOTEBOOK_BUDGET_S", 2)
    path = make_notebook(*[("import time; time.sleep(0.6)", None, [])] * 8)
    [problem] = runner.verify(path)
    assert "the notebook's 2 s limit" in problem.reason and problem.cell < 8


def test_store_writes_normalised_outputs(make_notebook):
    path = make_notebook(("import courselab, sys; print(courselab.__file__)", None, []))
    assert runner.store(path) == []
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].outputs[0]["text"].startswith("<project>/courselab/")
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert hygiene.check(path) == []


def test_hygiene_finds_unexecuted_cells_and_untagged_errors(make_notebook):
    path = make_notebook(("print(1)", None, []))
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].execution_count = None
    nb.cells.append(nbformat.v4.new_code_cell("1/0", execution_count=2))
    nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="", traceback=[])]
    nbformat.write(nb, path)
    reasons = [(p.cell, p.reason) for p in hygiene.check(path)]
    assert (1, "`print(1)` was never executed") in reasons
    assert any(cell == 2 and "raises-exception" in reason for cell, reason in reasons)


def test_hygiene_finds_machine_paths_in_outputs(make_notebook):
    path = make_notebook(("print(open.__module__)", "/home/someone/project/x.py\n", []))
    [problem] = hygiene.check(path)
    assert "machine path" in problem.reason


def test_a_notebook_missing_from_the_nav_is_named():
    nav = [
        {"Home": ["index.md"]},
        *(
            {title: [f"{slug}/index.md", *({c: f"{slug}/{s}/index.md"} for c, s in chapters.items())]}
            for title, (slug, chapters) in course_map.MAP.items()
        ),
    ]
    problems = course_map.nav_problems(nav, [Path("databases/mysql/01-modelling.ipynb")])
    assert problems == [
        "notebooks/databases/mysql/01-modelling.ipynb is not in mkdocs.yml's nav (add it under Databases > MySQL)"
    ]


def test_a_green_run_is_remembered_until_the_notebook_changes(make_notebook, monkeypatch, tmp_path):
    from courselab import verified

    monkeypatch.setattr(verified, "RECORDS", tmp_path / "records")
    monkeypatch.delenv("COURSE_FORCE", raising=False)
    path = make_notebook(("print(1)", "1\n", []))
    assert not verified.passed_before("lesson", verified.fingerprint(path))
    verified.record_pass("lesson", verified.fingerprint(path))
    assert verified.passed_before("lesson", verified.fingerprint(path))
    monkeypatch.setenv("COURSE_FORCE", "1")
    assert not verified.passed_before("lesson", verified.fingerprint(path))
    monkeypatch.delenv("COURSE_FORCE")
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].outputs[0]["text"] = "2\n"
    nbformat.write(nb, path)
    assert not verified.passed_before("lesson", verified.fingerprint(path))


def exercise(check_source: str) -> tuple:
    return (
        ('from courselab import Lab, check\nlab = Lab("test-starter")', None, []),
        ("answer = ...", None, []),
        ("%%solution\nanswer = 3", None, ["solution"]),
        (check_source, None, []),
    )


def test_an_unanswered_exercise_gets_the_checks_verdict(make_notebook):
    path = make_notebook(*exercise('check(answer, 3, "three")'))
    assert runner.starter_problems(path) == []


def test_a_check_that_passes_without_an_answer_is_named(make_notebook):
    path = make_notebook(*exercise('check(3, 3, "three")'))
    [problem] = runner.starter_problems(path)
    assert problem.cell == 4 and "passes without an answer" in problem.reason


def test_a_check_that_crashes_on_a_starter_is_named(make_notebook):
    path = make_notebook(*exercise('check(answer + 1, 4, "three plus one")'))
    [problem] = runner.starter_problems(path)
    assert problem.cell == 4 and "fails with TypeError" in problem.reason
