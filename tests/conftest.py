from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from courselab.config import PROJECT_ROOT
from courselab.runner import KERNEL


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, for fixtures that act on the outcome."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site, built once per test worker with `mkdocs build --strict`; any warning fails."""
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    warnings = [line for line in build.stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert build.returncode == 0 and not warnings, "mkdocs build --strict failed:\n" + build.stderr[-4000:]
    return out


@pytest.fixture
def make_notebook(tmp_path):
    """Write a notebook of (source, stored stdout, tags) cells; return its path."""

    def make(*cells: tuple[str, str | None, list[str]]) -> Path:
        nb = new_notebook(metadata={"kernelspec": KERNEL})
        for count, (source, stdout, tags) in enumerate(cells, start=1):
            cell = new_code_cell(source, execution_count=count, metadata={"tags": tags} if tags else {})
            if stdout is not None:
                cell.outputs = [new_output("stream", name="stdout", text=stdout)]
            nb.cells.append(cell)
        path = tmp_path / "lesson.ipynb"
        nbformat.write(nb, path)
        return path

    return make
