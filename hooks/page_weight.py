"""Every page's HTML without its template indentation: about a tenth of a lesson page, for nothing.

A newline followed by indentation renders like a single newline outside <pre>, <textarea> and
<script>, whose text is kept exactly. A regular expression does it in milliseconds for the whole
site; an HTML minifier (htmlmin) took two seconds, which the two-second rebuild budget cannot pay.
"""

from __future__ import annotations

import re

KEPT_OR_INDENT = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)|\n\s+", re.S | re.I)


def _collapse(match: re.Match) -> str:
    return match.group(1) or "\n"


def on_post_page(output: str, page, config) -> str:
    return KEPT_OR_INDENT.sub(_collapse, output)
