"""Third-party browser assets served from the site itself, never from a CDN.

MathJax 3 comes from the pinned `django-static-mathjax` package (a plain copy of
MathJax's es5 build): its loader, fonts and TeX extensions are added to the site
as static files under assets/vendor/mathjax/, so that math renders offline.
"""

from __future__ import annotations

from pathlib import Path

import mathjax
from mkdocs.structure.files import File, Files

MATHJAX = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
# The loader and what it may fetch at run time: fonts, TeX extensions, the menu.
MATHJAX_PARTS = ["tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y"]


def on_files(files: Files, config) -> Files:
    for part in MATHJAX_PARTS:
        path = MATHJAX / part
        for file in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
            rel = file.relative_to(MATHJAX).as_posix()
            files.append(
                File(
                    rel,
                    str(MATHJAX),
                    config["site_dir"],
                    config["use_directory_urls"],
                    dest_uri=f"assets/vendor/mathjax/{rel}",
                )
            )
    return files
