"""Notebook outputs in the form that is stored, compared and diffed.

Stored outputs must not show the machine that made them, and a re-run must be
comparable with what is stored, so both pass through `scrub`. The comparison
reads what a reader sees (text, HTML, the error's name and message); images are
compared by kind only, since their bytes change with library versions.
"""

from __future__ import annotations

import difflib
import re
import sys
import tempfile
from pathlib import Path

from courselab.config import PROJECT_ROOT

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Only the address in an object repr, `<Foo object at 0x7f…>`: any other hex number is data and is compared.
ADDRESS = re.compile(r"(?<= at )0x[0-9a-fA-F]+(?=>)")
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")


def _path_prefixes() -> list[tuple[str, str]]:
    # Longest first, so a venv inside the project reads as <python>, not <project>/.venv.
    prefixes = {
        str(Path(sys.prefix)): "<python>",
        str(Path(sys.base_prefix)): "<python>",
        str(PROJECT_ROOT): "<project>",
        str(Path(tempfile.gettempdir())): "<tmp>",
        str(Path.home()): "~",
    }
    return sorted(prefixes.items(), key=lambda item: -len(item[0]))


PATH_PREFIXES = _path_prefixes()


def scrub(text: str) -> str:
    """Replace machine paths with stable names; stored outputs and re-runs both pass here."""
    for prefix, name in PATH_PREFIXES:
        if prefix not in ("/", ""):
            text = text.replace(prefix, name)
    return text


def scrub_output(output: dict) -> dict:
    """One output as it is stored: machine paths replaced, tracebacks without colour codes."""
    if "text" in output:
        output["text"] = scrub(output["text"] if isinstance(output["text"], str) else "".join(output["text"]))
    if output.get("output_type") == "error":
        output["traceback"] = [scrub(ANSI.sub("", line)) for line in output.get("traceback", [])]
        output["evalue"] = scrub(output.get("evalue", ""))
    for mime in TEXT_MIMES:
        value = output.get("data", {}).get(mime)
        if isinstance(value, str):
            output["data"][mime] = scrub(value)
        elif isinstance(value, list):
            output["data"][mime] = scrub("".join(value))
    return output


def comparable(outputs: list[dict]) -> str:
    """What a reader sees of a cell's outputs, as one text to compare and diff."""
    lines: list[str] = []
    stream: tuple[str, str] | None = None
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            if stream and stream[0] == out["name"]:
                stream = (stream[0], stream[1] + text)
            else:
                if stream:
                    lines.append(f"[{stream[0]}]\n{stream[1]}")
                stream = (out["name"], text)
            continue
        if stream:
            lines.append(f"[{stream[0]}]\n{stream[1]}")
            stream = None
        if kind == "error":
            lines.append(f"[error] {out.get('ename')}: {out.get('evalue')}")
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            for mime in sorted(data):
                value = data[mime]
                if mime in TEXT_MIMES:
                    text = value if isinstance(value, str) else "".join(value)
                    lines.append(f"[{mime}]\n{text}")
                else:
                    lines.append(f"[{mime}] (not compared)")
    if stream:
        lines.append(f"[{stream[0]}]\n{stream[1]}")
    return ADDRESS.sub("0x…", scrub(ANSI.sub("", "\n".join(lines))))


def difference(stored: list[dict], now: list[dict]) -> str | None:
    """A unified diff of stored vs. new outputs, or None when a reader would see the same."""
    before, after = comparable(stored), comparable(now)
    if before == after:
        return None
    diff = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "stored output", "output now", lineterm="", n=2
    )
    return "\n".join(diff)
