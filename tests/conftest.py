from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output


@pytest.fixture
def make_notebook(tmp_path):
    """Write a notebook of (source, stored stdout, tags) cells; return its path."""

    def make(*cells: tuple[str, str | None, list[str]]) -> Path:
        nb = new_notebook(
            metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}
        )
        for count, (source, stdout, tags) in enumerate(cells, start=1):
            cell = new_code_cell(source, execution_count=count, metadata={"tags": tags} if tags else {})
            if stdout is not None:
                cell.outputs = [new_output("stream", name="stdout", text=stdout)]
            nb.cells.append(cell)
        path = tmp_path / "lesson.ipynb"
        nbformat.write(nb, path)
        return path

    return make
