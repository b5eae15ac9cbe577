"""examples/ari_client.py against a fake ARI server on 127.0.0.1 that replays real events.

The client runs as a subprocess (as a user runs it) with a package generated here from the
Asterisk spec that matches the replayed payloads.  The fake server checks the WebSocket's
``app``/``api_key`` and the REST calls' basic auth, and records every REST call.
Everything is bounded in time: no test waits more than ``TIMEOUT`` seconds for anything.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from support.packages import generate_package
from support.paths import REPO, ari_spec, require_shared

EXAMPLE = REPO / "examples" / "ari_client.py"
APP = "hello-world"
USER = "asterisk"
PASSWORD = "s3cr:t &x=1+2"  # ':' '&' '=' '+' ' ' must survive the api_key query parameter
TIMEOUT = 30.0

# The Asterisk 12 "Getting Started with ARI" session, captured 2014-05-20 (SOURCES.md):
# StasisStart, the REST reply to play, PlaybackStarted/Finished and StasisEnd all belong
# to channel 1400609726.3 of the application hello-world.
STASIS_START = "001_StasisStart.json"
PLAYBACK = "002_Playback.json"
PLAYBACK_STARTED = "003_PlaybackStarted.json"
PLAYBACK_FINISHED = "004_PlaybackFinished.json"
STASIS_END = "005_StasisEnd.json"
DTMF = "012_ChannelDtmfReceived.json"  # Asterisk 13/14 era, another system's channel
PEER_STATUS = "044_PeerStatusChange.json"  # an event type Asterisk 12's spec lacks


def payload_text(name: str) -> str:
    return require_shared("ari-payloads", name).read_text(encoding="utf-8")


def payload(name: str) -> Any:
    return json.loads(payload_text(name))


@pytest.fixture(scope="module")
def models12(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Models of Asterisk 12.0.0, the version the replayed session came from."""
    # 12.0.0's recordings.json repeats two keys in LiveRecording: keep the last, as
    # every JSON reader (and Asterisk's own tooling) did.
    out = tmp_path_factory.mktemp("models12")
    return generate_package(
        ari_spec("12.0.0"), "dataclasses", out, "ari12_models", duplicate_keys="last"
    )


@dataclass
class FakeAri:
    """A scripted ARI: WebSocket frames to send, REST calls to record."""

    frames: list[str]
    hold: bool = False  # after the frames, keep the WebSocket open until the client closes it
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    client_closed: bool = False

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/ari/events", self.events)
        app.router.add_post("/ari/channels/{id}/answer", self.answer)
        app.router.add_post("/ari/channels/{id}/play", self.play)
        app.router.add_route("*", "/{tail:.*}", self.other)  # recorded too, then 404
        return app

    async def events(self, request: web.Request) -> web.StreamResponse:
        if request.query.get("app") != APP or request.query.get("api_key") != f"{USER}:{PASSWORD}":
            self.rejected.append(f"{request.method} {request.path}")
            raise web.HTTPUnauthorized()
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        for frame in self.frames:
            await ws.send_str(frame)
        if self.hold:
            async for _ in ws:  # until the client's close frame
                pass
            self.client_closed = True
        else:
            await ws.close()
        return ws

    def _check(self, request: web.Request) -> None:
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            self.rejected.append(f"{request.method} {request.path}")
            raise web.HTTPUnauthorized()
        self.requests.append((request.method, request.path, dict(request.query)))

    async def answer(self, request: web.Request) -> web.Response:
        self._check(request)
        return web.Response(status=204)

    async def other(self, request: web.Request) -> web.Response:
        self._check(request)
        raise web.HTTPNotFound()

    async def play(self, request: web.Request) -> web.Response:
        self._check(request)
        return web.Response(
            status=201, text=payload_text(PLAYBACK), content_type="application/json"
        )


@contextlib.asynccontextmanager
async def serving(fake: FakeAri) -> AsyncIterator[str]:
    """Serve ``fake`` on a free port of 127.0.0.1; yield the ARI base URL."""
    runner = web.AppRunner(fake.app(), shutdown_timeout=1.0)
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, sock)
    await site.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/ari"
    finally:
        await asyncio.wait_for(runner.cleanup(), TIMEOUT)


@contextlib.asynccontextmanager
async def client(
    url: str, models: Path, *args: str, password: str = PASSWORD
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The example as a subprocess (stdout and stderr together); killed if left running."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(models.parent), env.get("PYTHONPATH")]))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        *("--url", url, "--app", APP, "--user", USER, "--password", password),
        *("--models", models.name, *args),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def finish(process: asyncio.subprocess.Process, before: str = "") -> tuple[int, str]:
    """Wait (bounded) for the client to exit; return its exit code and its whole output."""
    try:
        out, _ = await asyncio.wait_for(process.communicate(), TIMEOUT)
    except asyncio.TimeoutError:
        process.kill()
        out, _ = await process.communicate()
        pytest.fail(f"the client did not stop within {TIMEOUT}s:\n{before}{out.decode()}")
    assert process.returncode is not None
    return process.returncode, before + out.decode()


async def run_client(url: str, models: Path, *args: str, **kwargs: str) -> tuple[int, str]:
    async with client(url, models, *args, **kwargs) as process:
        return await finish(process)


def in_order(output: str, *needles: str) -> None:
    """Each needle occurs in ``output``, after the previous one."""
    position = 0
    for needle in needles:
        found = output.find(needle, position)
        assert found >= 0, f"{needle!r} not found (in order) in the client's output:\n{output}"
        position = found + len(needle)


def assert_clean(output: str, *allowed: str) -> None:
    """No traceback, no Python warning, and no warning or error logged unless ``allowed``."""
    for bad in ("Traceback", "Warning", "undecodable", "WARNING", "ERROR"):
        assert bad in allowed or bad not in output, output


def test_answers_plays_and_logs_a_replayed_call(models12: Path) -> None:
    start, end, dtmf = payload(STASIS_START), payload(STASIS_END), payload(DTMF)
    channel = start["channel"]
    assert end["channel"]["id"] == channel["id"]
    names = [STASIS_START, PLAYBACK_STARTED, DTMF, PEER_STATUS, PLAYBACK_FINISHED, STASIS_END]
    fake = FakeAri([payload_text(name) for name in names])

    async def scenario() -> tuple[int, str]:
        async with serving(fake) as url:
            return await run_client(url, models12, "--verbose")

    code, output = asyncio.run(scenario())

    assert code == 0, output
    channel_path = f"/ari/channels/{channel['id']}"
    assert fake.requests == [
        ("POST", f"{channel_path}/answer", {}),
        ("POST", f"{channel_path}/play", {"media": "sound:hello-world"}),
    ]
    assert fake.rejected == []
    playback = payload(PLAYBACK)
    extra = sorted(set(payload(PEER_STATUS)) - {"type", "application", "timestamp"})
    in_order(
        output,
        f"StasisStart: channel {channel['id']} ({channel['name']}) args={start['args']}",
        f"answered channel {channel['id']}",
        f"playing {playback['media_uri']} on {channel['id']} (playback {playback['id']})",
        "ignored PlaybackStarted",
        f"DTMF {dtmf['digit']!r} on channel {dtmf['channel']['id']}",
        f"unknown event PeerStatusChange (fields not in the models: {extra})",
        "ignored PlaybackFinished",
        f"StasisEnd: channel {channel['id']} left the application",
        "the WebSocket was closed (code 1000)",
    )
    assert_clean(output)
    assert PASSWORD not in output


def test_max_events_stops_the_client_and_closes_the_websocket(models12: Path) -> None:
    fake = FakeAri([payload_text(STASIS_START), payload_text(DTMF)], hold=True)

    async def scenario() -> tuple[int, str]:
        async with serving(fake) as url:
            return await run_client(url, models12, "--max-events", "2")

    code, output = asyncio.run(scenario())

    assert code == 0, output
    in_order(output, "DTMF", "stopping after 2 events")
    assert fake.client_closed, "the client left without closing the WebSocket"
    assert [path for _, path, _ in fake.requests] == [
        f"/ari/channels/{payload(STASIS_START)['channel']['id']}/answer",
        f"/ari/channels/{payload(STASIS_START)['channel']['id']}/play",
    ]
    assert_clean(output)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT (Ctrl-C) to the client")
def test_ctrl_c_stops_the_client_cleanly(models12: Path) -> None:
    fake = FakeAri([payload_text(STASIS_START)], hold=True)

    async def scenario() -> tuple[int, str]:
        async with serving(fake) as url, client(url, models12) as process:
            assert process.stdout is not None
            seen = ""
            while "playing" not in seen:  # the call was handled; now the client just waits
                line = await asyncio.wait_for(process.stdout.readline(), TIMEOUT)
                if not line:
                    break
                seen += line.decode()
            process.send_signal(signal.SIGINT)
            return await finish(process, seen)

    code, output = asyncio.run(scenario())

    assert code == 0, output
    in_order(output, "playing sound:hello-world", "interrupted, bye")
    assert fake.client_closed, "Ctrl-C left the WebSocket without a close handshake"
    assert_clean(output)


def test_wrong_password_is_reported_without_leaking_it(models12: Path) -> None:
    fake = FakeAri([payload_text(STASIS_START)])
    wrong = "not-the-password"

    async def scenario() -> tuple[int, str]:
        async with serving(fake) as url:
            return await run_client(url, models12, password=wrong)

    code, output = asyncio.run(scenario())

    assert code == 1, output
    assert "refused us: 401" in output
    assert wrong not in output
    assert fake.requests == []
    assert fake.rejected == ["GET /ari/events"]
    assert_clean(output, "ERROR")


def test_an_undecodable_event_is_logged_and_skipped(tmp_path: Path) -> None:
    """Asterisk 16 models; an Asterisk 12 StasisStart lacks Channel.language (required in 16)."""
    models16 = generate_package(ari_spec("16.0.0"), "dataclasses", tmp_path, "ari16_models")
    old, new = payload("016_StasisStart.json"), payload("017_StasisStart.json")
    assert "language" not in old["channel"] and "language" in new["channel"]
    fake = FakeAri([payload_text("016_StasisStart.json"), payload_text("017_StasisStart.json")])

    async def scenario() -> tuple[int, str]:
        async with serving(fake) as url:
            return await run_client(url, models16)

    code, output = asyncio.run(scenario())

    assert code == 0, output
    in_order(
        output,
        "undecodable event: StasisStart.channel.language: missing required field",
        f"StasisStart: channel {new['channel']['id']}",
        f"answered channel {new['channel']['id']}",
    )
    assert [path for _, path, _ in fake.requests] == [
        f"/ari/channels/{new['channel']['id']}/answer",
        f"/ari/channels/{new['channel']['id']}/play",
    ]
    assert_clean(output, "undecodable", "WARNING")


def test_the_example_type_checks_against_the_committed_models(tmp_path: Path) -> None:
    """``mypy --strict`` (Python 3.10, the oldest supported) with generated/'s ari_models."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    env["MYPYPATH"] = str(REPO / "generated" / "dataclasses")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--config-file", str(config)),
            *("--cache-dir", str(tmp_path / "cache"), "--strict", "--python-version", "3.10"),
            str(EXAMPLE),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
