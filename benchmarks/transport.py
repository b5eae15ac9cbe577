"""What the client runtime adds to an HTTP call: the runtime's _http/_responses vs bare httpx.

    python benchmarks/transport.py        (needs httpx: pip install -e '.[test]')

1. ``overhead``: building a Request, the URL, the Response and decoding a 200 JSON answer, with
   httpx's own call replaced by a canned answer: the runtime's cost alone.
2. ``end to end``: the same GET on a local http.server, bare ``httpx.Client.get`` + the same
   ``loads`` vs ``HttpxTransport.send`` + ``expect_json`` (the server dominates; the difference
   is noise plus the overhead above).
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from ari_codegen.runtime import _http, _responses, _wire

BODY = json.dumps(
    {
        "id": "1700000000.42",
        "name": "PJSIP/alice-00000001",
        "state": "Up",
        "protocol_id": "",
        "caller": {"name": "Alice", "number": "1001"},
        "connected": {"name": "", "number": ""},
        "accountcode": "",
        "dialplan": {"context": "default", "exten": "s", "priority": 1, "app_name": "Stasis"},
        "creationtime": "2026-12-02T04:36:24.854+0000",
        "language": "en",
    }
).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave in two writes

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _best(run: Callable[[], object], number: int, repeat: int = 5) -> float:
    """Best mean µs per call over ``repeat`` rounds of ``number`` calls."""
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            run()
        rounds.append((time.perf_counter() - start) / number * 1e6)
    return min(rounds)


class _Canned:
    """Stands for httpx.Client: request() returns one prepared httpx.Response."""

    def __init__(self) -> None:
        self.answer = httpx.Response(
            200, headers={"content-type": "application/json"}, content=BODY
        )

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.answer


def main() -> None:
    transport = _http.HttpxTransport("http://127.0.0.1:1/ari", username="cap", password="pw")
    transport._client = _Canned()
    canned = _Canned()

    def runtime_call() -> object:
        request = _wire.Request(
            "GET", "/channels/" + _wire.path_segment("1700000000.42"), operation="channels.get"
        )
        return _responses.expect_json(
            transport.send(request), "channels.get", {404: "Channel not found"}
        )

    def bare_call() -> object:
        return _wire.loads(
            canned.request("GET", "http://127.0.0.1:1/ari/channels/1700000000.42").content
        )

    runtime, bare = _best(runtime_call, 20000), _best(bare_call, 20000)
    print(
        f"overhead (canned answer): runtime {runtime:.2f} µs, "
        f"bare (same JSON parser) {bare:.2f} µs, runtime adds {runtime - bare:.2f} µs per call"
    )

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/ari"
    client = httpx.Client(headers={"Authorization": "Basic Y2FwOnB3"})
    real = _http.HttpxTransport(base, username="cap", password="pw")

    def bare_http() -> object:
        return _wire.loads(client.get(base + "/channels/1700000000.42").content)

    def runtime_http() -> object:
        request = _wire.Request(
            "GET", "/channels/" + _wire.path_segment("1700000000.42"), operation="channels.get"
        )
        return _responses.expect_json(real.send(request), "channels.get", {})

    bares, runtimes = [], []
    for _ in range(5):  # interleaved, so that drift hits both alike
        bares.append(_best(bare_http, 500, 1))
        runtimes.append(_best(runtime_http, 500, 1))
    print(
        f"end to end (local http.server): bare httpx {min(bares):.0f} µs "
        f"(median {statistics.median(bares):.0f}), runtime {min(runtimes):.0f} µs "
        f"(median {statistics.median(runtimes):.0f})"
    )
    client.close()
    real.close()
    server.shutdown()


if __name__ == "__main__":
    main()
