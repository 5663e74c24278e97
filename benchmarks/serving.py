"""A built site served as a static host serves it (gzip-compressed, on loopback), and the browser that reads it.

Both the browser tests and the benchmark use these, so they see the site the same way.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import shutil
import threading
from pathlib import Path

from courselab.servers import free_port

# Debian's Chromium, driven by Playwright with executable_path (Playwright's own browser download does not
# work on these machines; a CI runner with Google Chrome uses that). The flags keep it off the network at start-up.
CHROMIUM = shutil.which("chromium") or shutil.which("google-chrome") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the parent answers with a redirect to the slash URL
            target = target / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and target.is_file() and target.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(target.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(target)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args: object) -> None:
        pass


class StaticSite:
    """`with StaticSite(folder) as url:` serves the folder, gzip-compressed, until the block ends."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(GzipHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}/"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
