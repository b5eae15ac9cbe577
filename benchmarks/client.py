"""Per-call cost of the generated client over a bare httpx call, on one local server.

    python benchmarks/client.py [SPEC]     (needs httpx: pip install -e '.[test]')

SPEC defaults to ../shared/ari-cassettes/master/spec (what a real Asterisk served).  A
client package is generated from it into a temporary folder; a local HTTP server on
127.0.0.1 answers every GET with the ``channels.get`` body Asterisk really sent (from the
cassette).  Side by side, in one run, sync and async:

- bare httpx: ``client.get(url)`` and the body parsed (``response.json()``): a dict;
- ari-codegen: ``ari.channels.get(channel_id=...)``: the request built (path encoded),
  sent through the same httpx client, status checked, the body decoded into ``Channel``.

The ratio is ari-codegen's time per call over bare httpx's (best of the rounds).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CASSETTE = ROOT.parent / "shared" / "ari-cassettes" / "master"
CALLS = 2000
ROUNDS = 5


def recorded_channel() -> bytes:
    for line in (CASSETTE / "rest.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["nickname"] == "get" and row["resource"] == "channels" and row["status"] == 200:
            return str(row["response"]).encode()
    raise SystemExit("no channels.get answer in the cassette")


def serve(body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def best(*runs: Callable[[], object]) -> list[float]:
    """Seconds per call of each, best of the rounds; rounds interleave (machine drift)."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(ROUNDS):
        for run, kept in zip(runs, times, strict=True):
            start = time.perf_counter()
            for _ in range(CALLS):
                run()
            kept.append((time.perf_counter() - start) / CALLS)
    return [min(kept) for kept in times]


async def best_async(*runs: Callable[[], Awaitable[object]]) -> list[float]:
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(ROUNDS):
        for run, kept in zip(runs, times, strict=True):
            start = time.perf_counter()
            for _ in range(CALLS):
                await run()
            kept.append((time.perf_counter() - start) / CALLS)
    return [min(kept) for kept in times]


def main() -> None:
    import httpx

    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else CASSETTE / "spec"
    out = Path(tempfile.mkdtemp(prefix="ari-bench-"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ari_codegen",
            "generate",
            str(spec),
            "--out",
            str(out),
            "--package",
            "ari_bench",
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(out))
    client_module: Any = importlib.import_module("ari_bench.client")
    server = serve(recorded_channel())
    base = f"http://127.0.0.1:{server.server_address[1]}/ari"
    channel_id = "a1-c1"
    url = f"{base}/channels/{channel_id}"

    with httpx.Client() as bare, client_module.Client(base) as ari:
        assert ari.channels.get(channel_id=channel_id).id == bare.get(url).json()["id"]
        sync = best(lambda: bare.get(url).json(), lambda: ari.channels.get(channel_id=channel_id))

    async def run_async() -> tuple[float, float]:
        async with httpx.AsyncClient() as bare, client_module.AsyncClient(base) as ari:

            async def bare_call() -> object:
                return (await bare.get(url)).json()

            async def ari_call() -> object:
                return await ari.channels.get(channel_id=channel_id)

            bare_time, ari_time = await best_async(bare_call, ari_call)
            return bare_time, ari_time

    asynchronous = asyncio.run(run_async())
    server.shutdown()
    print(f"channels.get on a local server, best of {ROUNDS} rounds of {CALLS} calls")
    print("| | bare httpx | ari-codegen client | overhead |")
    print("|---|---|---|---|")
    for name, (bare_time, ari_time) in (("sync", sync), ("async", asynchronous)):
        print(
            f"| {name} | {bare_time * 1e6:.0f} µs | {ari_time * 1e6:.0f} µs "
            f"| {ari_time / bare_time - 1:+.1%} |"
        )


if __name__ == "__main__":
    main()
