"""runtime/_stream.py, _websocket.py: event streams on a real local WebSocket server, reconnects."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib.util
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from support.transport_servers import free_port

from ari_codegen.runtime import _errors, _stream, _websocket

if importlib.util.find_spec("websockets") is None:
    pytest.skip(
        "websockets is not installed (it is in the test extra: pip install -e '.[test]')",
        allow_module_level=True,
    )

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

QUIET = logging.getLogger("test_transport_events.server")
QUIET.disabled = True


@dataclass
class Session:
    """What the server does on one connection: send ``frames``, then ``end``."""

    frames: list[str | bytes] = field(default_factory=list)
    end: str = "hold"  # "hold" (until the client closes), "drop" (no close frame), "close"


@dataclass
class WsServer:
    base_url: str
    sessions: list[Session]
    targets: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    refuse: int | None = None  # answer the upgrade with this HTTP status


def _run_server(state: WsServer, ready: Callable[[Server], None]) -> None:
    def process_request(connection: ServerConnection, request: Any) -> Any:
        state.targets.append(request.path)
        state.headers.append({k.lower(): v for k, v in request.headers.raw_items()})
        if state.refuse is not None:
            return connection.respond(state.refuse, '{"message":"Authentication required"}')
        return None

    def handler(connection: ServerConnection) -> None:
        index = len(state.targets) - 1
        session = state.sessions[index] if index < len(state.sessions) else Session()
        for frame in session.frames:
            connection.send(frame)
        if session.end == "drop":
            time.sleep(0.05)  # let the frames leave before the TCP connection goes
            connection.socket.shutdown(socket.SHUT_RDWR)
            connection.socket.close()
            return
        if session.end == "close":
            connection.close(1001, "going away")
            return
        try:
            while True:
                connection.recv()
        except ConnectionClosed:
            pass

    with serve(handler, "127.0.0.1", 0, process_request=process_request, logger=QUIET) as server:
        ready(server)
        server.serve_forever()


@contextlib.contextmanager
def running_ws_server() -> Iterator[WsServer]:
    """A scripted WebSocket server on 127.0.0.1, in a thread."""
    holder: list[Server] = []
    started = threading.Event()
    state = WsServer("", [])

    def ready(server: Server) -> None:
        holder.append(server)
        port = server.socket.getsockname()[1]
        state.base_url = f"http://127.0.0.1:{port}/ari"
        started.set()

    thread = threading.Thread(target=_run_server, args=(state, ready), daemon=True)
    thread.start()
    assert started.wait(5)
    try:
        yield state
    finally:
        holder[0].shutdown()
        thread.join(5)


@pytest.fixture
def ws_server() -> Iterator[WsServer]:
    with running_ws_server() as state:
        yield state


def event(kind: str, n: int) -> str:
    return json.dumps({"type": kind, "n": n, "application": "a"})


def decode(value: Any) -> dict[str, Any]:
    """Stands for Message.from_dict: a dict with a str "type", else ValueError."""
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ValueError(f"not an event: {value!r}")
    return value


class Recorder:
    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.reconnects: list[int] = []
        self.decode_errors: list[tuple[str, Exception]] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def on_reconnect(self, n: int) -> None:
        self.reconnects.append(n)

    def on_decode_error(self, raw: str, exc: Exception) -> None:
        self.decode_errors.append((raw, exc))


QUERY = (("app", "a,b"), ("subscribeAll", "true"))


def sync_stream(
    connector: _websocket.EventConnector, rec: Recorder, **options: Any
) -> _stream.EventStream[Any]:
    return _stream.EventStream(
        connector,
        "/events",
        QUERY,
        decode,
        on_reconnect=rec.on_reconnect,
        on_decode_error=rec.on_decode_error,
        sleep=rec.sleep,
        **options,
    )


def async_stream(
    connector: _websocket.AsyncEventConnector, rec: Recorder, **options: Any
) -> _stream.AsyncEventStream[Any]:
    return _stream.AsyncEventStream(
        connector,
        "/events",
        QUERY,
        decode,
        on_reconnect=rec.on_reconnect,
        on_decode_error=rec.on_decode_error,
        sleep=rec.async_sleep,
        **options,
    )


def take(kind: str, connector: Any, rec: Recorder, count: int, **options: Any) -> list[Any]:
    """``count`` events from a fresh stream (sync or async), then close it."""
    if kind == "sync":
        with sync_stream(connector, rec, **options) as stream:
            return [next(stream) for _ in range(count)]

    async def run() -> list[Any]:
        got: list[Any] = []
        async with async_stream(connector, rec, **options) as stream:
            async for item in stream:
                got.append(item)
                if len(got) == count:
                    break
        return got

    return asyncio.run(run())


def connector_for(kind: str, base_url: str, **options: Any) -> Any:
    cls = _websocket.WebsocketsConnector if kind == "sync" else _websocket.AsyncWebsocketsConnector
    return cls(base_url, **options)


KINDS = ["sync", "async"]

BAD_JSON = "{not json"
BAD_SHAPE = '{"no_type": 1}'


@pytest.mark.parametrize("kind", KINDS)
def test_frames_decoded_bad_ones_skipped_drop_reconnects(kind: str, ws_server: WsServer) -> None:
    ws_server.sessions += [
        Session(
            [event("A", 1), BAD_JSON, event("B", 2), BAD_SHAPE, event("C", 3).encode()], "drop"
        ),
        Session([event("D", 4), event("E", 5)], "hold"),
    ]
    rec = Recorder()
    connector = connector_for(kind, ws_server.base_url, username="cap", password="pw")
    got = take(kind, connector, rec, 5)
    assert [(e["type"], e["n"]) for e in got] == [("A", 1), ("B", 2), ("C", 3), ("D", 4), ("E", 5)]
    assert [raw for raw, _ in rec.decode_errors] == [BAD_JSON, BAD_SHAPE]
    assert all(isinstance(exc, ValueError) for _, exc in rec.decode_errors)
    assert rec.reconnects == [1]
    assert rec.sleeps == [0.5]
    assert ws_server.targets == ["/ari/events?app=a,b&subscribeAll=true"] * 2
    token = base64.b64encode(b"cap:pw").decode()
    assert [h["authorization"] for h in ws_server.headers] == [f"Basic {token}"] * 2


@pytest.mark.parametrize("kind", KINDS)
def test_reconnect_counter_and_clean_server_close(kind: str, ws_server: WsServer) -> None:
    ws_server.sessions += [
        Session([event("A", 1)], "close"),  # a close frame the app did not ask for
        Session([event("B", 2)], "drop"),
        Session([event("C", 3)], "hold"),
    ]
    rec = Recorder()
    got = take(kind, connector_for(kind, ws_server.base_url), rec, 3)
    assert [e["n"] for e in got] == [1, 2, 3]
    assert rec.reconnects == [1, 2]
    assert rec.sleeps == [0.5, 0.5]  # the attempt count starts again after a reconnect
    assert "authorization" not in ws_server.headers[0]


@pytest.mark.parametrize("kind", KINDS)
def test_api_key_on_the_upgrade(kind: str, ws_server: WsServer) -> None:
    ws_server.sessions.append(Session([event("A", 1)]))
    key = "cap:p&w=d#"
    take(kind, connector_for(kind, ws_server.base_url, api_key=key), Recorder(), 1)
    (target,) = ws_server.targets
    assert target == "/ari/events?app=a,b&subscribeAll=true&api_key=cap%3Ap%26w%3Dd%23"
    assert "authorization" not in ws_server.headers[0]


@pytest.mark.parametrize("kind", KINDS)
def test_strict_raises_on_a_bad_frame(kind: str, ws_server: WsServer) -> None:
    ws_server.sessions.append(Session([event("A", 1), BAD_SHAPE, event("B", 2)]))
    rec = Recorder()
    with pytest.raises(_errors.AriResponseError, match="event frame does not decode") as info:
        take(kind, connector_for(kind, ws_server.base_url), rec, 3, strict=True)
    assert isinstance(info.value.__cause__, ValueError)
    assert rec.decode_errors == []


@pytest.mark.parametrize("kind", KINDS)
def test_no_reconnect(kind: str, ws_server: WsServer) -> None:
    ws_server.sessions.append(Session([event("A", 1)], "drop"))
    rec = Recorder()
    with pytest.raises(_errors.AriConnectionError, match="reconnect is off"):
        take(kind, connector_for(kind, ws_server.base_url), rec, 2, reconnect=None)
    assert rec.sleeps == [] and rec.reconnects == []


class Flaky:
    """A real connector for the first connection, then one whose port refuses connections."""

    def __init__(self, kind: str, base_url: str) -> None:
        self.connectors = [
            connector_for(kind, base_url, api_key="SECRETKEY"),
            connector_for(kind, f"http://127.0.0.1:{free_port()}/ari", api_key="SECRETKEY"),
        ]
        self.calls = 0

    def _next(self) -> Any:
        self.calls += 1
        return self.connectors[min(self.calls - 1, 1)]

    def connect(self, path: str, query: tuple[tuple[str, str], ...]) -> Any:
        return self._next().connect(path, query)


class AsyncFlaky(Flaky):
    async def connect(self, path: str, query: tuple[tuple[str, str], ...]) -> Any:  # type: ignore[override]
        return await self._next().connect(path, query)


@pytest.mark.parametrize("kind", KINDS)
def test_max_attempts_exhausted(kind: str, ws_server: WsServer) -> None:
    ws_server.sessions.append(Session([event("A", 1)], "drop"))
    rec = Recorder()
    connector = (Flaky if kind == "sync" else AsyncFlaky)(kind, ws_server.base_url)
    backoff = _stream.Backoff(initial=0.1, factor=3.0, maximum=0.5, max_attempts=3)
    with pytest.raises(
        _errors.AriConnectionError, match="gave up after 3 reconnect attempts"
    ) as info:
        take(kind, connector, rec, 2, reconnect=backoff)
    assert not isinstance(info.value, _errors.AriTimeout)
    assert "SECRETKEY" not in str(info.value)
    assert rec.sleeps == pytest.approx([0.1, 0.3, 0.5])
    assert connector.calls == 4
    assert rec.reconnects == []


@pytest.mark.parametrize("kind", KINDS)
def test_first_connect_failure_is_raised_at_once(kind: str) -> None:
    rec = Recorder()
    connector = connector_for(kind, f"http://127.0.0.1:{free_port()}/ari")
    with pytest.raises(_errors.AriConnectionError, match="cannot connect"):
        take(kind, connector, rec, 1)
    assert rec.sleeps == []


@pytest.mark.parametrize("kind", KINDS)
def test_refused_upgrade_is_an_ari_error(kind: str, ws_server: WsServer) -> None:
    ws_server.refuse = 401
    with pytest.raises(_errors.Unauthorized) as info:
        take(
            kind,
            connector_for(kind, ws_server.base_url, username="u", password="bad"),
            Recorder(),
            1,
        )
    assert info.value.status == 401
    assert info.value.message == "Authentication required"
    assert len(ws_server.targets) == 1  # not retried


def test_lazy_connect_and_close(ws_server: WsServer) -> None:
    ws_server.sessions.append(Session([event("A", 1)]))
    rec = Recorder()
    stream = sync_stream(_websocket.WebsocketsConnector(ws_server.base_url), rec)
    time.sleep(0.05)
    assert ws_server.targets == []
    assert next(stream)["n"] == 1
    assert not stream.closed
    stream.close()
    assert stream.closed
    with pytest.raises(StopIteration):
        next(stream)
    stream.close()  # idempotent


def test_close_from_another_thread_ends_a_blocked_next(ws_server: WsServer) -> None:
    ws_server.sessions.append(Session([event("A", 1)]))  # then holds, sending nothing
    rec = Recorder()
    stream = sync_stream(_websocket.WebsocketsConnector(ws_server.base_url), rec)
    got: list[Any] = []
    worker = threading.Thread(target=lambda: got.extend(stream), daemon=True)
    worker.start()
    time.sleep(0.3)
    stream.close()
    worker.join(5)
    assert not worker.is_alive()
    assert [e["n"] for e in got] == [1]
    assert rec.reconnects == [] and rec.sleeps == []


def test_async_aclose_ends_a_pending_anext(ws_server: WsServer) -> None:
    ws_server.sessions.append(Session([event("A", 1)]))

    async def run() -> list[Any]:
        stream = async_stream(_websocket.AsyncWebsocketsConnector(ws_server.base_url), Recorder())
        got: list[Any] = []

        async def consume() -> None:
            async for item in stream:
                got.append(item)

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.3)
        await stream.aclose()
        await asyncio.wait_for(task, 5)
        return got

    assert [e["n"] for e in asyncio.run(run())] == [1]


# --------------------------------------------------------------------------------------------
# Stream logic with a fake connector (no network)


class FakeConnection:
    def __init__(self, frames: list[str]) -> None:
        self.frames = list(frames)
        self.closed = False

    def recv(self) -> str:
        if self.closed or not self.frames:
            raise _errors.AriConnectionError("event WebSocket lost: dropped")
        return self.frames.pop(0)

    def close(self) -> None:
        self.closed = True


class FakeConnector:
    """Each connect: the next item of ``script`` (frames to serve, or an exception to raise)."""

    def __init__(self, script: list[list[str] | Exception]) -> None:
        self.script = list(script)
        self.opened: list[FakeConnection] = []

    def connect(self, path: str, query: tuple[tuple[str, str], ...]) -> FakeConnection:
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        self.opened.append(FakeConnection(item))
        return self.opened[-1]


def test_backoff_grows_then_resets_after_a_reconnect() -> None:
    refused = _errors.AriConnectionError("refused")
    connector = FakeConnector(
        [[event("A", 1)], refused, refused, refused, [event("B", 2)], refused, [event("C", 3)]]
    )
    rec = Recorder()
    stream = sync_stream(connector, rec)
    assert [e["n"] for e in (next(stream), next(stream), next(stream))] == [1, 2, 3]
    assert rec.sleeps == [0.5, 1.0, 2.0, 4.0, 0.5, 1.0]
    assert rec.reconnects == [1, 2] and stream.reconnects == 2
    assert all(c.closed for c in connector.opened[:-1])  # dropped connections are closed


def test_ari_errors_on_reconnect_are_not_retried() -> None:
    connector = FakeConnector([[event("A", 1)], _errors.Unauthorized(401, "bad password")])
    stream = sync_stream(connector, Recorder())
    next(stream)
    with pytest.raises(_errors.Unauthorized):
        next(stream)


def test_5xx_on_reconnect_is_retried() -> None:
    unavailable = _errors.ServerError(503, "Service Unavailable")
    connector = FakeConnector([[event("A", 1)], unavailable, unavailable, [event("B", 2)]])
    rec = Recorder()
    stream = sync_stream(connector, rec)
    assert [next(stream)["n"], next(stream)["n"]] == [1, 2]
    assert rec.sleeps == [0.5, 1.0, 2.0] and rec.reconnects == [1]


def test_decode_error_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    connector = FakeConnector([[BAD_JSON + "\x1b", event("A", 1)]])
    stream = _stream.EventStream(connector, "/events", (), decode, sleep=lambda s: None)
    with caplog.at_level(logging.WARNING, logger=_stream.__name__):
        assert next(stream)["n"] == 1
    assert "does not decode" in caplog.text and "\x1b" not in caplog.text


def test_close_during_backoff_sleep_ends_the_stream() -> None:
    connector = FakeConnector([[event("A", 1)], [event("B", 2)]])
    holder: list[_stream.EventStream[Any]] = []
    stream = _stream.EventStream(
        connector, "/events", (), decode, sleep=lambda s: holder[0].close()
    )
    holder.append(stream)
    next(stream)
    with pytest.raises(StopIteration):
        next(stream)
    assert len(connector.opened) == 1


def test_backoff() -> None:
    backoff = _stream.Backoff()
    assert (backoff.initial, backoff.factor, backoff.maximum, backoff.max_attempts) == (
        0.5,
        2.0,
        30.0,
        None,
    )
    assert [backoff.delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]
    assert backoff.delay(10**6) == 30.0  # no OverflowError
    assert _stream.Backoff(initial=0).delay(5) == 0
    with pytest.raises(ValueError):
        _stream.Backoff(factor=0.5)
    with pytest.raises(ValueError):
        _stream.Backoff(initial=-1)
    with pytest.raises(ValueError):
        _stream.Backoff(max_attempts=-1)
    with pytest.raises(AttributeError):
        backoff.initial = 1  # type: ignore[misc]
