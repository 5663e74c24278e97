"""Serving a built site the way a static host does: gzip-compressed text, on loopback."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import threading
from pathlib import Path

from courselab.servers import free_port

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
