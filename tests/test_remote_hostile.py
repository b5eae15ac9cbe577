"""Hostile servers and hostile URLs: no secret printed, no wait past --timeout, exit 2.

Servers listen on 127.0.0.1 only; every test is bounded in time (a server thread
stops with its fixture; each run must end within a few seconds of its --timeout).
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from support.cli import cli
from support.specs import declaration, model

LISTING = "/ari/api-docs/resources.json"
SECRET = "s3cr:t &x=1+2"  # the api_key's password part; every spelling of it must stay unsaid
API_KEY = f"asterisk:{SECRET}"

Handler = Callable[[BaseHTTPRequestHandler], None]


@contextlib.contextmanager
def http_server(handle: Handler) -> Iterator[int]:
    class RequestHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            handle(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client that hung up (as ari-codegen does at its deadline): not news

    server = Server(("127.0.0.1", 0), RequestHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def raw_server(talk: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """A TCP server whose every connection gets ``talk(conn, stop)`` (stop: test over)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            t = threading.Thread(target=_talk, args=(conn,), daemon=True)
            threads.append(t)
            t.start()

    def _talk(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            talk(conn, stop)

    acceptor = threading.Thread(target=serve, daemon=True)
    acceptor.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        acceptor.join(timeout=5)
        for t in threads:
            t.join(timeout=5)
        listener.close()


def _reply(handler: BaseHTTPRequestHandler, status: int, body: bytes, **headers: str) -> None:
    handler.send_response(status)
    for key, value in headers.items():
        handler.send_header(key.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _fails(*args: str, limit: float = 20) -> str:
    started = time.monotonic()
    result = cli("generate", *args, "--out", "/nonexistent/never-written")
    took = time.monotonic() - started
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert took < limit, f"took {took:.1f} s"
    stderr: str = result.stderr
    assert stderr.startswith("error: ")
    assert "Traceback" not in stderr and "internal error" not in stderr
    return stderr


def _spellings(secret: str) -> list[str]:
    return [
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
        urllib.parse.urlencode({"api_key": secret}).split("=", 1)[1],
        base64.b64encode(secret.encode()).decode(),
    ]


def _says_no_secret(text: str) -> None:
    for spelling in _spellings(API_KEY) + _spellings(SECRET):
        assert spelling not in text, spelling


# --- credentials are never printed -----------------------------------------------------


def test_a_redirect_that_keeps_the_query_prints_no_api_key() -> None:
    def handle(h: BaseHTTPRequestHandler) -> None:
        query = urllib.parse.urlsplit(h.path).query
        _reply(h, 302, b"", Location=f"http://127.0.0.1:1/elsewhere?{query}")

    with http_server(handle) as port:
        stderr = _fails(f"http://127.0.0.1:{port}{LISTING}", "--api-key", API_KEY)
    assert "HTTP 302" in stderr and "redirected to http://127.0.0.1:1/elsewhere" in stderr
    _says_no_secret(stderr)


def test_a_reason_phrase_that_echoes_the_request_prints_no_api_key() -> None:
    def handle(h: BaseHTTPRequestHandler) -> None:
        body = json.dumps({"echo": h.path, "key": API_KEY}).encode()
        h.send_response(400, f"Bad request {h.path} {API_KEY}")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    with http_server(handle) as port:
        stderr = _fails(f"http://127.0.0.1:{port}{LISTING}", "--api-key", API_KEY)
    assert "HTTP 400 Bad request" in stderr
    _says_no_secret(stderr)


def test_credentials_in_the_url_are_never_printed() -> None:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(500, f"oops {h.headers.get('Authorization')}")
        h.send_header("Content-Length", "0")
        h.end_headers()

    userinfo = "asterisk:" + urllib.parse.quote(SECRET, safe="")
    with http_server(handle) as port:
        stderr = _fails(f"http://{userinfo}@127.0.0.1:{port}{LISTING}")
    assert "HTTP 500 oops Basic ***" in stderr
    _says_no_secret(stderr)


# --- a slow server cannot outlive --timeout ---------------------------------------------


def _drip(head: bytes, body_size: int) -> Callable[[socket.socket, threading.Event], None]:
    def talk(conn: socket.socket, stop: threading.Event) -> None:
        conn.recv(65536)
        payload = head + b" " * body_size
        give_up = time.monotonic() + 5  # bounded even for a client that never gives up
        for byte in payload:
            if stop.wait(0.1) or time.monotonic() > give_up:
                return
            conn.sendall(bytes([byte]))

    return talk


@pytest.mark.parametrize(
    "where", ["body", "headers"], ids=["one byte at a time in the body", "...in the headers"]
)
def test_a_slow_drip_server_is_cut_off_at_the_timeout(where: str) -> None:
    status = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n"
    head = (status + b"Content-Length: 100000\r\n\r\n") if where == "body" else status
    talk = _drip(head if where == "body" else b"", 0 if where == "headers" else 100000)
    if where == "headers":
        talk = _drip(status + b"X-Slow: " + b"a" * 100000, 0)
    with raw_server(talk) as port:
        started = time.monotonic()
        stderr = _fails(f"http://127.0.0.1:{port}{LISTING}", "--timeout", "1", limit=10)
        took = time.monotonic() - started
    assert "timed out after 1 s" in stderr
    assert took < 3, f"took {took:.1f} s for --timeout 1"


def test_the_timeout_bounds_the_whole_spec_not_each_request() -> None:
    names = [f"d{i}" for i in range(8)]
    listing = {
        "apiVersion": "1.0.0",
        "swaggerVersion": "1.1",
        "apis": [{"path": f"/api-docs/{n}.{{format}}"} for n in names],
    }

    def handle(h: BaseHTTPRequestHandler) -> None:
        if h.path == LISTING:
            _reply(h, 200, json.dumps(listing).encode())
            return
        time.sleep(0.4)  # each answer well within --timeout; all of them together are not
        name = h.path.rsplit("/", 1)[-1].removesuffix(".json")
        _reply(h, 200, json.dumps(declaration({name.upper(): model(name.upper())})).encode())

    with http_server(handle) as port:
        started = time.monotonic()
        stderr = _fails(f"http://127.0.0.1:{port}{LISTING}", "--timeout", "1", limit=10)
        took = time.monotonic() - started
    assert "timed out after 1 s" in stderr
    assert took < 2.5, f"took {took:.1f} s for --timeout 1"


# --- what a server says reaches the terminal printable ------------------------------------


def test_escape_sequences_in_a_reason_phrase_are_printed_escaped() -> None:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(500, "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b")
        h.send_header("Content-Length", "0")
        h.end_headers()

    with http_server(handle) as port:
        stderr = _fails(f"http://127.0.0.1:{port}{LISTING}")
    assert "\x1b" not in stderr and "\x07" not in stderr and "\x9b" not in stderr
    assert "HTTP 500 \\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred\\x9b" in stderr
    assert len(stderr.splitlines()) == 1


def test_escape_sequences_in_a_body_are_printed_escaped() -> None:
    body = json.dumps({"apiVersion": "1", "swaggerVersion": "1.1", "apis": [{"path": 7}]})
    body = body.replace('"apis"', '"\\u001b[2Japis\\n\\r"', 1).replace("}", ', "apis": 1}', 1)

    def handle(h: BaseHTTPRequestHandler) -> None:
        _reply(h, 200, b"\x1b[2J\x1b]0;x\x07 not JSON" if "bad" in h.path else body.encode())

    with http_server(handle) as port:
        for path in ["/ari/api-docs/bad.json", LISTING]:
            stderr = _fails(f"http://127.0.0.1:{port}{path}")
            assert "\x1b" not in stderr and "\x07" not in stderr and "\r" not in stderr, stderr
            assert all(line.startswith("error: ") for line in stderr.splitlines())


# --- a URL or timeout that cannot work is a usage error -----------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999/ari/api-docs/resources.json",
        "http://127.0.0.1:port/ari/api-docs/resources.json",
        "http://127.0.0.1:-1/ari/api-docs/resources.json",
        "http://[::1/ari/api-docs/resources.json",
        "http://[not-ipv6]/ari/api-docs/resources.json",
        "http:///ari/api-docs/resources.json",
        "http://127.0.0.1/ari/api docs/resources.json",
        "http://127.0.0.1/ari/\x1b[2J/resources.json",
    ],
)
def test_a_malformed_url_is_a_usage_error(url: str) -> None:
    stderr = _fails(url)
    assert "not a valid URL" in stderr
    assert "\x1b" not in stderr


def test_a_malformed_url_prints_no_credentials() -> None:
    stderr = _fails(f"http://asterisk:{urllib.parse.quote(SECRET)}@[::1/x?api_key=zzz")
    assert "not a valid URL" in stderr
    _says_no_secret(stderr)
    assert "zzz" not in stderr


@pytest.mark.parametrize("timeout", ["inf", "-inf", "nan", "-1", "0", "1e300"])
def test_a_timeout_that_is_not_a_positive_finite_number_is_a_usage_error(timeout: str) -> None:
    stderr = _fails("http://127.0.0.1:9/ari/api-docs/resources.json", "--timeout", timeout)
    assert "--timeout" in stderr


def test_a_slow_tls_handshake_is_cut_off_at_the_timeout() -> None:
    # A TLS record header announcing 16 KiB, then the record one byte at a time.
    talk = _drip(b"\x16\x03\x03\x40\x00", 16384)
    with raw_server(talk) as port:
        started = time.monotonic()
        stderr = _fails(f"https://127.0.0.1:{port}{LISTING}", "--timeout", "1", limit=10)
        took = time.monotonic() - started
    assert "timed out after 1 s" in stderr
    assert took < 3, f"took {took:.1f} s for --timeout 1"
