"""Real local servers (127.0.0.1 only) for the tests of the client runtime (ari_codegen/runtime)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    target: str  # raw request target: path and query exactly as sent
    headers: dict[str, str]
    body: bytes


@dataclass
class Answer:
    status: int = 200
    reason: str | None = None
    content_type: str | None = "application/json"
    body: bytes = b'{"ok":true}'
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    close_delimited: bool = False  # no Content-Length: the body ends when the connection closes


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.server.seen.append(Seen(self.command, self.path, headers, body))
        path = self.path.split("?", 1)[0]
        answer = self.server.answers.get(path, Answer())
        if answer.delay:
            time.sleep(answer.delay)
        self.send_response(answer.status, answer.reason)
        if answer.content_type is not None:
            self.send_header("Content-Type", answer.content_type)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.close_delimited:
            self.send_header("Connection", "close")
            self.close_connection = True
        else:
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if answer.body:
            self.wfile.write(answer.body)

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout tests): broken pipes are expected

    seen: list[Seen]
    answers: dict[str, Answer]


@dataclass
class HttpServer:
    base_url: str  # http://127.0.0.1:PORT/ari
    port: int
    seen: list[Seen]
    answers: dict[str, Answer]

    def json_answer(
        self, path: str, value: Any, status: int = 200, reason: str | None = None
    ) -> None:
        self.answers[path] = Answer(status, reason, "application/json", json.dumps(value).encode())


def http_server() -> Iterator[HttpServer]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.seen = []
    server.answers = {}
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    port = server.server_address[1]
    try:
        yield HttpServer(f"http://127.0.0.1:{port}/ari", port, server.seen, server.answers)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
