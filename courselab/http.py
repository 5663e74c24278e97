"""HTTP as it travels: requests and responses printed as the text a server reads and writes.

A library hides the protocol; a lesson on REST wants it in view. `wire` sends bytes
you wrote over a plain socket and returns the bytes that came back; `exchange`
prints an httpx request and its response in the same HTTP/1.1 form. Values that
change on every run (the date, a generated request id, the free port) are shown
as placeholders, so that stored outputs stay comparable.
"""

from __future__ import annotations

import re
import socket
from typing import Any
from urllib.parse import urlsplit

VOLATILE_HEADERS = {"date": "<date>", "x-request-id": "<request id>"}
PORT = re.compile(r"127\.0\.0\.1:\d+")


def _stable(name: str, value: str) -> str:
    if name.lower() == "authorization":  # the scheme stays, the credentials never print
        scheme, _, credentials = value.partition(" ")
        return f"{scheme} <{'token' if scheme.lower() == 'bearer' else 'credentials'}>" if credentials else scheme
    return VOLATILE_HEADERS.get(name.lower(), PORT.sub("127.0.0.1:<port>", value))


def _body(content: bytes, limit: int) -> str:
    text = content.decode("utf-8", errors="replace")
    return text if len(text) <= limit else text[:limit] + f"… ({len(content)} bytes in all)"


def wire(url: str, raw_request: str, *, limit: int = 1200, timeout: float = 5.0) -> str:
    """Send `raw_request` (lines joined by \\n; sent with CRLF) to the server at `url`; return its raw answer.

    The request should say `Connection: close`, so that the server ends the answer by closing.
    """
    parts = urlsplit(url)
    data = raw_request.replace("\r\n", "\n").replace("\n", "\r\n").encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = [f"{name}: {_stable(name, value.strip())}" for name, _, value in (ln.partition(":") for ln in lines[1:])]
    return "\n".join([lines[0], *headers, "", _body(body, limit)])


def exchange(response: Any, *, limit: int = 1200, request_body: bool = True) -> str:
    """An httpx response and the request that caused it, as HTTP/1.1 text."""
    request = response.request
    target = request.url.raw_path.decode()
    lines = [f"{request.method} {target} HTTP/1.1"]
    lines += [f"{name}: {_stable(name, value)}" for name, value in request.headers.items()]
    if request_body and request.content:
        lines += ["", _body(request.content, limit)]
    lines += ["", f"HTTP/1.1 {response.status_code} {response.reason_phrase}"]
    lines += [f"{name}: {_stable(name, value)}" for name, value in response.headers.items()]
    if response.content:
        lines += ["", _body(response.content, limit)]
    return "\n".join(lines)


def show(response: Any, **options: Any) -> None:
    """Print `exchange(response)` with a separator line: the form lessons use."""
    print(exchange(response, **options))
    print("-" * 60)
