"""examples/ari_client.py against a fake ARI on 127.0.0.1 (REST and event WebSocket).

The example runs as a subprocess (as a user runs it) with a client package ``ari_models``
generated here from the master cassette's spec (``../shared/ari-cassettes/master``).  The
fake ARI serves REST and the WebSocket on one port, as Asterisk does (``http.server``, the
WebSocket side through websockets' sans-I/O protocol).  Its events are real frames of that
cassette's ``events.jsonl``; the playback ones get the id the client chose.  It checks basic
auth, records every REST call, and reacts to them like Asterisk: ``play`` is followed by
PlaybackStarted / PlaybackFinished, ``hangup`` by StasisEnd.

Every wait is bounded: nothing waits more than ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from support.packages import generate_package
from support.paths import REPO, require_shared

websockets_server = pytest.importorskip("websockets.server")
pytest.importorskip("httpx")
from websockets.datastructures import Headers  # noqa: E402
from websockets.frames import Opcode  # noqa: E402
from websockets.http11 import Request  # noqa: E402
from websockets.protocol import State  # noqa: E402

EXAMPLE = REPO / "examples" / "ari_client.py"
APP = "cap"  # the application of the recorded events
USER = "asterisk"
PASSWORD = "s3cr:t &x=1+2"  # ':' '&' '=' '+' ' ' in a password: basic auth copes
TIMEOUT = 30.0
CHANNEL = "a1-c1"  # the recorded StasisStart / StasisEnd channel

DROP = object()  # in the outbox: cut the WebSocket's TCP connection (no close frame)


# --------------------------------------------------------------------------- recorded data


def cassette() -> Path:
    return require_shared("ari-cassettes", "master")


def recorded_event(kind: str, **match: str) -> dict[str, Any]:
    """The first recorded event of type ``kind`` (whose channel id is ``match['channel']``)."""
    with (cassette() / "events.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            if event["type"] != kind:
                continue
            if "channel" in match and event["channel"]["id"] != match["channel"]:
                continue
            return dict(event)
    raise LookupError(f"no recorded {kind} {match}")


def recorded_play_answer() -> dict[str, Any]:
    """The body Asterisk answered a recorded channels.play with (201)."""
    with (cassette() / "rest.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["nickname"] == "play" and row["resource"] == "channels" and row["status"] == 201:
                return dict(json.loads(row["response"]))
    raise LookupError("no recorded play")


def with_playback(event: dict[str, Any], playback: dict[str, Any]) -> str:
    """A recorded Playback* event (or answer) about ``playback`` instead, as a frame."""
    changed = copy.deepcopy(event)
    changed["playback"] = {**changed["playback"], **playback}
    changed["playback"].pop("next_media_uri", None)
    return json.dumps(changed)


# --------------------------------------------------------------------------- the fake ARI


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class FakeAri:
    """Asterisk as far as the example sees it; ``outbox`` feeds the event WebSocket."""

    statuses: dict[tuple[str, str], int] = field(default_factory=dict)  # override an answer
    finish_playbacks: bool = True
    drop_during_playback: bool = False
    outbox: queue.Queue[object] = field(default_factory=queue.Queue)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    connections: list[dict[str, str]] = field(default_factory=list)  # each upgrade's query
    drops: int = 0
    client_closed: bool = False
    stopping: threading.Event = field(default_factory=threading.Event)

    def send(self, *frames: object) -> None:
        for frame in frames:
            self.outbox.put(frame)

    def authorized(self, headers: Any) -> bool:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        return bool(headers.get("Authorization") == f"Basic {token}")

    def rest(self, method: str, path: str, query: dict[str, str]) -> tuple[int, Any]:
        """The answer to a REST call (status, JSON body or None); queues the events it causes."""
        self.requests.append((method, path, query))
        parts = path.removeprefix("/ari/").split("/")
        status = self.statuses.get((method, path))
        if status is not None:
            return status, {"message": "Channel not found"}
        if method == "POST" and parts[0] == "channels" and parts[2:] == ["answer"]:
            return 204, None
        if method == "POST" and parts[0] == "channels" and parts[2:] == ["play"]:
            playback = {
                "id": query.get("playbackId", "no-id"),
                "media_uri": query["media"],
                "target_uri": f"channel:{parts[1]}",
            }
            answer = json.loads(with_playback({"playback": recorded_play_answer()}, playback))
            self.send(with_playback(recorded_event("PlaybackStarted"), playback))
            if self.drop_during_playback:
                self.send(DROP)
            if self.finish_playbacks:
                self.send(with_playback(recorded_event("PlaybackFinished"), playback))
            return 201, answer["playback"]
        if method == "DELETE" and parts[0] == "channels" and len(parts) == 2:
            self.send(json.dumps(recorded_event("StasisEnd", channel=parts[1])))
            return 204, None
        return 404, {"message": "Resource not found"}

    def websocket(self, handler: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        """Accept the upgrade, then send the outbox's frames until a DROP or a close."""
        self.connections.append(query)
        handshake = websockets_server.ServerProtocol()
        headers = Headers(list(handler.headers.items()))
        handshake.send_response(handshake.accept(Request(handler.path, headers)))
        sock = handler.connection
        sock.sendall(b"".join(handshake.data_to_send()))
        # http.server parsed the request: a protocol that starts past the handshake.
        protocol = websockets_server.ServerProtocol(state=State.OPEN)
        flush = lambda: sock.sendall(b"".join(protocol.data_to_send()))  # noqa: E731
        while not self.stopping.is_set():
            readable, _, _ = select.select([sock], [], [], 0.02)
            if readable:
                data = sock.recv(65536)
                if not data:
                    return
                protocol.receive_data(data)
                for frame in protocol.events_received():
                    if frame.opcode is Opcode.CLOSE:
                        self.client_closed = True
                flush()  # our close frame in reply
                if self.client_closed:
                    return
            try:
                item = self.outbox.get_nowait()
            except queue.Empty:
                continue
            if item is DROP:
                self.drops += 1
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                return
            assert isinstance(item, str)
            protocol.send_text(item.encode())
            flush()


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _handle(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if not fake.authorized(self.headers):
            fake.rejected.append(f"{self.command} {parts.path}")
            self._answer(401, {"message": "Authentication required"})
        elif parts.path == "/ari/events" and self.headers.get("Upgrade", "").lower() == "websocket":
            self.close_connection = True
            fake.websocket(self, query)
        else:
            self._answer(*fake.rest(self.command, parts.path, query))

    def _answer(self, status: int, body: Any) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeAri) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


@contextlib.contextmanager
def serving(fake: FakeAri) -> Iterator[str]:
    """Serve ``fake`` on a free port of 127.0.0.1; yield the ARI base URL."""
    server = _Server(fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ari"
    finally:
        fake.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


# --------------------------------------------------------------------------- the example


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ari_models`` (models and client) of the spec the cassette was recorded from."""
    out = tmp_path_factory.mktemp("example")
    return generate_package(cassette() / "spec", "dataclasses", out, "ari_models")


class Example:
    """The example as a subprocess; its output (stdout and stderr) read by a thread."""

    def __init__(self, url: str, models: Path, *args: str, password: str = PASSWORD) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["PYTHONPATH"] = str(models.parent)
        self.process = subprocess.Popen(
            [
                *(sys.executable, str(EXAMPLE), "--url", url, "--app", APP),
                *("--user", USER, "--password", password, *args),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
            # Ctrl-C as in a terminal, even when this test runs where SIGINT is ignored
            # (a background job inherits SIG_IGN, and so would the example)
            preexec_fn=_default_sigint if sys.platform != "win32" else None,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str) -> None:
        """Until ``text`` is in the output (bounded)."""
        deadline = time.monotonic() + TIMEOUT
        while text not in self.output:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.kill()
                pytest.fail(f"{text!r} not seen; the example said:\n{self.output}")
            time.sleep(0.02)

    def finish(self) -> tuple[int, str]:
        """Wait (bounded) for the example to exit; its exit status and whole output."""
        try:
            code = self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the example did not stop within {TIMEOUT}s:\n{self.output}")
        self._reader.join(5)
        return code, self.output

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


@contextlib.contextmanager
def example(url: str, models: Path, *args: str, **kwargs: str) -> Iterator[Example]:
    running = Example(url, models, *args, **kwargs)
    try:
        yield running
    finally:
        running.kill()


def in_order(output: str, *needles: str) -> None:
    """Each needle occurs in ``output``, after the previous one."""
    position = 0
    for needle in needles:
        found = output.find(needle, position)
        assert found >= 0, f"{needle!r} not found (in order) in the example's output:\n{output}"
        position = found + len(needle)


def assert_clean(output: str, *allowed: str) -> None:
    """No traceback, no Python warning, and no warning or error logged unless ``allowed``."""
    for bad in ("Traceback", "Warning:", "WARNING", "ERROR"):
        assert bad in allowed or bad not in output, output
    assert PASSWORD not in output


def started(channel: str = CHANNEL) -> str:
    return json.dumps(recorded_event("StasisStart", channel=channel))


def undecodable() -> str:
    """A real StasisStart whose channel lost its (required) id."""
    event = recorded_event("StasisStart", channel=CHANNEL)
    del event["channel"]["id"]
    return json.dumps(event)


def playback_id(fake: FakeAri) -> str:
    plays = [query for method, path, query in fake.requests if path.endswith("/play")]
    assert len(plays) == 1, fake.requests
    return plays[0]["playbackId"]


# --------------------------------------------------------------------------- tests


def test_a_call_is_answered_played_and_hung_up_across_a_dropped_websocket(models: Path) -> None:
    fake = FakeAri(drop_during_playback=True)
    dtmf = recorded_event("ChannelDtmfReceived")
    fake.send(undecodable(), started(), json.dumps(dtmf))
    # Events: StasisStart, DTMF, PlaybackStarted, (drop) PlaybackFinished, StasisEnd.
    with serving(fake) as url, example(url, models, "--max-events", "5") as running:
        code, output = running.finish()

    assert code == 0, output
    channel = f"/ari/channels/{CHANNEL}"
    pid = playback_id(fake)
    assert fake.requests == [
        ("POST", f"{channel}/answer", {}),
        ("POST", f"{channel}/play", {"media": "sound:hello-world", "playbackId": pid}),
        ("DELETE", channel, {}),
    ]
    assert fake.rejected == []
    assert fake.drops == 1
    assert fake.connections == [{"app": APP}, {"app": APP}]  # reconnected, same query
    assert fake.client_closed, output + "--max-events left without a WebSocket close handshake"
    in_order(
        output,
        "undecodable event skipped: StasisStart.channel.id: missing required field",
        f"StasisStart: channel {CHANNEL} (Local/wait@stasis-test-00000000;1) args=['one', 'two']",
        f"answered channel {CHANNEL}",
        f"playing sound:hello-world on {CHANNEL} (playback {pid})",
        "event WebSocket reconnected (1 so far)",
        f"playback {pid} finished (done)",
        f"hung up channel {CHANNEL}",
    )
    in_order(output, f"StasisEnd: channel {CHANNEL} left", "stopping after 5 events")
    in_order(output, f"DTMF {dtmf['digit']!r} on channel {dtmf['channel']['id']}")
    assert_clean(output, "WARNING")  # the undecodable frame and the reconnect
    assert output.count("WARNING") == 2, output


def test_a_caller_gone_ends_that_call_only(models: Path) -> None:
    """answer: 404 (NotFound) for the first call; the second plays, times out, hangs up."""
    fake = FakeAri(statuses={("POST", "/ari/channels/a1-c2/answer"): 404}, finish_playbacks=False)
    fake.send(started("a1-c2"), started())
    args = ("--max-events", "3", "--playback-timeout", "0.5")  # 2 StasisStart, 1 StasisEnd
    with serving(fake) as url, example(url, models, *args) as running:
        code, output = running.finish()

    assert code == 0, output
    calls = [(method, path) for method, path, _ in fake.requests]
    # The two calls run concurrently: each one's requests in order, interleaved somehow.
    assert [call for call in calls if "a1-c2" in call[1]] == [
        ("POST", "/ari/channels/a1-c2/answer")
    ]
    assert [call for call in calls if "a1-c2" not in call[1]] == [
        ("POST", f"/ari/channels/{CHANNEL}/answer"),
        ("POST", f"/ari/channels/{CHANNEL}/play"),
        ("DELETE", f"/ari/channels/{CHANNEL}"),
    ]
    in_order(output, "channel a1-c2 is gone: channels.answer: 404 Not Found: Channel not found")
    in_order(
        output,
        f"answered channel {CHANNEL}",
        f"playback {playback_id(fake)}: no PlaybackFinished in time",
        f"hung up channel {CHANNEL}",
    )
    assert_clean(output, "WARNING")
    assert output.count("WARNING") == 1, output


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT (Ctrl-C) to the example")
def test_ctrl_c_stops_the_example_cleanly(models: Path) -> None:
    fake = FakeAri()
    fake.send(started())
    with serving(fake) as url, example(url, models) as running:
        running.wait_for(f"hung up channel {CHANNEL}")  # now it just listens
        running.process.send_signal(signal.SIGINT)
        code, output = running.finish()

    assert code == 0, output
    in_order(output, f"hung up channel {CHANNEL}", "interrupted, bye")
    assert fake.client_closed, "Ctrl-C left the WebSocket without a close handshake"
    assert_clean(output)


def test_a_wrong_password_is_reported_without_leaking_it(models: Path) -> None:
    fake = FakeAri()
    wrong = "not-the-password"
    with serving(fake) as url, example(url, models, password=wrong) as running:
        code, output = running.finish()

    assert code == 1, output
    assert "refused us: websocket /events: 401 Unauthorized" in output
    assert wrong not in output
    assert fake.requests == []
    assert fake.rejected == ["GET /ari/events"]
    assert_clean(output, "ERROR")


def test_the_example_type_checks_against_a_generated_client(models: Path, tmp_path: Path) -> None:
    """``mypy --strict`` (Python 3.10, the oldest supported) with the generated ari_models."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    env["MYPYPATH"] = str(models.parent)
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
