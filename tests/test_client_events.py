"""The generated client's event stream against the recorded events.jsonl (issue 10).

EventServer streams a cassette's frames verbatim over a real WebSocket on 127.0.0.1 and
drops the first connection (TCP closed, no close frame) mid-stream; on reconnect it resumes
with the first frame not sent yet (see tests/support/cassette.py).  The client's
``client.events.event_websocket(app=["cap", "cap2"], subscribe_all=True, reconnect=Backoff(...))``
must yield every frame decoded (``Message.from_dict(frame)``; the parsed JSON for the typeddict
style), reconnect exactly once and say so (``reconnects``, ``on_reconnect``), sync and async;
an undecodable frame is skipped and handed to ``on_decode_error``, or raises with strict=True.

These tests FAIL (they do not skip) while the generated package has no client.py.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support import cassette as cs
from support.cassette import GeneratedClient

TIMEOUT = 20.0  # a hung stream fails the test instead of hanging the run
# Frames streamed around an undecodable one: 20 before it, 3 after.  Few after it on purpose:
# a stream closed with many frames still unread is test_events_close_is_prompt's business.
BAD_AT, AFTER_BAD = 20, 3
CLOSE_LIMIT = 4.0
UNREAD_CLOSE = (
    "closing an event stream with {} frames unread did not return promptly (websockets "
    "stops reading when its receive queue is full, then waits close_timeout for the close "
    "handshake)"
)
AUTH = "Basic " + base64.b64encode(f"{cs.USERNAME}:{cs.PASSWORD}".encode()).decode()
STYLES = ("dataclasses", "typeddict")


@pytest.fixture(scope="module", params=cs.cassette_names())
def cassette(request: pytest.FixtureRequest) -> cs.Cassette:
    pytest.importorskip(
        "websockets", reason="websockets is not installed (the event stream uses it)"
    )
    loaded = cs.load_cassette(request.param)
    assert loaded.frames, f"{loaded.name}: events.jsonl is empty"
    return loaded


def _generated(
    cassette: cs.Cassette, style: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[cs.GeneratedFolder]:
    folder = cs.generated_folder(cassette, style, tmp_path_factory)
    try:
        yield folder
    finally:
        cs.forget_package(folder.folder.name)


@pytest.fixture(scope="module", params=STYLES)
def generated_folder(
    request: pytest.FixtureRequest, cassette: cs.Cassette, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[cs.GeneratedFolder]:
    yield from _generated(cassette, request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def dataclasses_folder(
    cassette: cs.Cassette, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GeneratedClient]:
    """TypedDicts are not validated: only the dataclasses client can reject a frame."""
    yield from _generated(cassette, "dataclasses", tmp_path_factory)


def _expected(generated: GeneratedClient, frame: str) -> Any:
    data = json.loads(frame)
    if generated.style == "typeddict":
        return data
    return generated.models.Message.from_dict(data)


def _compare(generated: GeneratedClient, frames: list[str], got: list[Any]) -> list[str]:
    problems = []
    if len(got) != len(frames):
        problems.append(f"{len(got)} messages for {len(frames)} frames")
    for index, (frame, message) in enumerate(zip(frames, got, strict=False), start=1):
        want = _expected(generated, frame)
        same = (
            cs.strict_equal(message, want)
            if generated.style == "typeddict"
            else type(message) is type(want) and message == want
        )
        if not same:
            problems.append(f"frame {index}: {str(message)[:100]} != {frame[:100]}")
        if len(problems) > 20:
            problems.append("...")
            break
    return problems


def _check_connections(server: cs.EventServer, count: int) -> list[str]:
    problems = []
    if len(server.connections) != count:
        problems.append(f"{len(server.connections)} connections, expected {count}")
    for log in server.connections:
        if log.path != "/ari/events":
            problems.append(f"upgrade path {log.path!r}")
        if sorted(log.query) != [("app", "cap,cap2"), ("subscribeAll", "true")]:
            problems.append(f"upgrade query {log.query!r}")
        if log.authorization != AUTH:
            problems.append("upgrade without HTTP Basic for cap")
    return problems


def _backoff(generated: GeneratedClient) -> Any:
    return generated.client.Backoff(initial=0.01, factor=2.0, maximum=0.05, max_attempts=20)


def _in_thread(
    consume: Callable[[], None],
    timeout: float = TIMEOUT,
    what: str = "the event stream did not deliver the frames",
) -> None:
    """Run a sync consumer with a deadline (a stream that never ends must not hang pytest)."""
    error: list[BaseException] = []

    def run() -> None:
        try:
            consume()
        except BaseException as exc:
            error.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail(f"{what} within {timeout} s")
    if error:
        raise error[0]


def test_events_sync_reconnect(cassette: cs.Cassette, generated_folder: cs.GeneratedFolder) -> None:
    generated = generated_folder.load()  # in the call phase: no client is a FAILED test
    frames = list(cassette.frames)
    drop = len(frames) // 2
    reconnected: list[int] = []
    undecodable: list[str] = []
    got: list[Any] = []
    state: dict[str, Any] = {}
    with cs.EventServer(frames, drop_after=drop) as server:
        client = generated.client.Client(
            server.base_url, username=cs.USERNAME, password=cs.PASSWORD
        )

        def consume() -> None:
            stream = client.events.event_websocket(
                app=["cap", "cap2"],
                subscribe_all=True,
                reconnect=_backoff(generated),
                on_reconnect=reconnected.append,
                on_decode_error=lambda raw, exc: undecodable.append(raw),
            )
            with stream:
                for message in stream:
                    got.append(message)
                    if len(got) == len(frames):
                        break
            state["reconnects"] = stream.reconnects

        with client:
            _in_thread(consume)
        problems = _compare(generated, frames, got) + _check_connections(server, 2)
    if state.get("reconnects") != 1:
        problems.append(f"stream.reconnects == {state.get('reconnects')!r}, expected 1")
    if reconnected != [1]:
        problems.append(f"on_reconnect calls {reconnected}, expected [1]")
    if undecodable:
        problems.append(f"{len(undecodable)} frames reported undecodable: {undecodable[0][:100]}")
    assert not problems, f"{cassette.name} ({generated.style}, sync):\n" + "\n".join(problems)


def test_events_async_reconnect(
    cassette: cs.Cassette, generated_folder: cs.GeneratedFolder
) -> None:
    generated = generated_folder.load()  # in the call phase: no client is a FAILED test
    frames = list(cassette.frames)
    drop = len(frames) // 3
    reconnected: list[int] = []
    undecodable: list[str] = []

    async def consume(server: cs.EventServer) -> tuple[list[Any], int]:
        got: list[Any] = []
        async with generated.client.AsyncClient(
            server.base_url, username=cs.USERNAME, password=cs.PASSWORD
        ) as client:
            stream = client.events.event_websocket(
                app=["cap", "cap2"],
                subscribe_all=True,
                reconnect=_backoff(generated),
                on_reconnect=reconnected.append,
                on_decode_error=lambda raw, exc: undecodable.append(raw),
            )
            async with stream:
                async for message in stream:
                    got.append(message)
                    if len(got) == len(frames):
                        break
            return got, stream.reconnects

    with cs.EventServer(frames, drop_after=drop) as server:
        got, reconnects = asyncio.run(asyncio.wait_for(consume(server), TIMEOUT))
        problems = _compare(generated, frames, got) + _check_connections(server, 2)
    if reconnects != 1:
        problems.append(f"stream.reconnects == {reconnects!r}, expected 1")
    if reconnected != [1]:
        problems.append(f"on_reconnect calls {reconnected}, expected [1]")
    if undecodable:
        problems.append(f"{len(undecodable)} frames reported undecodable: {undecodable[0][:100]}")
    assert not problems, f"{cassette.name} ({generated.style}, async):\n" + "\n".join(problems)


# --------------------------------------------------------------------------- undecodable frames


def _with_bad_frame(frames: list[str], at: int) -> tuple[list[str], str]:
    """``frames[:at] + [bad] + frames[at:]``: ``bad`` is a copy of a recorded event whose
    required ``application`` (a string in every spec's Event) is a number."""
    source = next(f for f in frames if '"application"' in f)
    data = json.loads(source)
    data["application"] = 12345
    bad = json.dumps(data, separators=(",", ":"))
    return [*frames[:at], bad, *frames[at:]], bad


def test_events_undecodable_skipped(
    cassette: cs.Cassette, dataclasses_folder: cs.GeneratedFolder
) -> None:
    generated = dataclasses_folder.load()  # in the call phase: no client is a FAILED test
    frames = list(cassette.frames[:40])
    streamed, bad = _with_bad_frame(frames, BAD_AT)
    errors: list[tuple[str, BaseException]] = []
    got: list[Any] = []

    def run(client: Any) -> None:
        stream = client.events.event_websocket(
            app=["cap", "cap2"],
            subscribe_all=True,
            reconnect=None,
            on_decode_error=lambda raw, exc: errors.append((raw, exc)),
        )
        with stream:
            for message in stream:
                got.append(message)
                if len(got) == len(frames):
                    break

    with (
        cs.EventServer(streamed) as server,
        generated.client.Client(
            server.base_url, username=cs.USERNAME, password=cs.PASSWORD
        ) as client,
    ):
        _in_thread(lambda: run(client))
    problems = _compare(generated, frames, got)
    assert not problems, "\n".join(problems)
    assert [raw for raw, _ in errors] == [bad]
    assert isinstance(errors[0][1], Exception)


def test_events_undecodable_strict(
    cassette: cs.Cassette, dataclasses_folder: cs.GeneratedFolder
) -> None:
    generated = dataclasses_folder.load()  # in the call phase: no client is a FAILED test
    frames = list(cassette.frames[: BAD_AT + AFTER_BAD])
    streamed, _ = _with_bad_frame(frames, BAD_AT)
    got: list[Any] = []
    raised: list[BaseException] = []

    def run(client: Any) -> None:
        stream = client.events.event_websocket(
            app=["cap", "cap2"], subscribe_all=True, reconnect=None, strict=True
        )
        with stream:
            try:
                for message in stream:
                    got.append(message)
                    if len(got) == len(frames):
                        break
            except generated.client.AriResponseError as exc:
                raised.append(exc)

    with (
        cs.EventServer(streamed) as server,
        generated.client.Client(
            server.base_url, username=cs.USERNAME, password=cs.PASSWORD
        ) as client,
    ):
        _in_thread(lambda: run(client))
    assert len(raised) == 1, "strict=True did not raise AriResponseError on the bad frame"
    assert _compare(generated, frames[:BAD_AT], got) == []


def test_events_undecodable_async(
    cassette: cs.Cassette, dataclasses_folder: cs.GeneratedFolder
) -> None:
    generated = dataclasses_folder.load()  # in the call phase: no client is a FAILED test
    frames = list(cassette.frames[: BAD_AT + AFTER_BAD])
    streamed, bad = _with_bad_frame(frames, BAD_AT)
    errors: list[str] = []

    async def consume(server: cs.EventServer, strict: bool) -> tuple[list[Any], Any]:
        got: list[Any] = []
        async with generated.client.AsyncClient(
            server.base_url, username=cs.USERNAME, password=cs.PASSWORD
        ) as client:
            stream = client.events.event_websocket(
                app=["cap", "cap2"],
                subscribe_all=True,
                reconnect=None,
                strict=strict,
                on_decode_error=lambda raw, exc: errors.append(raw),
            )
            try:
                async with stream:
                    async for message in stream:
                        got.append(message)
                        if len(got) == len(frames):
                            break
            except generated.client.AriResponseError as exc:
                return got, exc
        return got, None

    with cs.EventServer(streamed) as server:
        got, raised = asyncio.run(asyncio.wait_for(consume(server, False), TIMEOUT))
    assert raised is None and _compare(generated, frames, got) == []
    assert errors == [bad]
    with cs.EventServer(streamed) as server:
        got, raised = asyncio.run(asyncio.wait_for(consume(server, True), TIMEOUT))
    assert isinstance(raised, generated.client.AriResponseError)
    assert _compare(generated, frames[:BAD_AT], got) == []


def test_events_close_is_prompt(
    cassette: cs.Cassette, dataclasses_folder: cs.GeneratedFolder
) -> None:
    """An application that stops reading (break, strict error) while the server keeps
    pushing events must get its close() back promptly, sync and async (a real Asterisk
    streams continuously; websockets pauses reading when its receive queue is full, and then
    waits close_timeout for the close handshake)."""
    generated = dataclasses_folder.load()  # in the call phase: no client is a FAILED test
    frames = list(cassette.frames[:200])
    timings: dict[str, float] = {}

    def run(client: Any) -> None:
        stream = client.events.event_websocket(app=["cap", "cap2"], subscribe_all=True)
        with stream:
            for count, _ in enumerate(stream, start=1):
                if count == 5:
                    time.sleep(0.3)  # let the rest arrive and queue up
                    break
            started = time.monotonic()
        timings["sync"] = time.monotonic() - started

    async def run_async(server: cs.EventServer) -> None:
        async with generated.client.AsyncClient(
            server.base_url, username=cs.USERNAME, password=cs.PASSWORD
        ) as client:
            stream = client.events.event_websocket(app=["cap", "cap2"], subscribe_all=True)
            async with stream:
                count = 0
                async for _ in stream:
                    count += 1
                    if count == 5:
                        await asyncio.sleep(0.3)
                        break
                started = time.monotonic()
            timings["async"] = time.monotonic() - started

    with (
        cs.EventServer(frames) as server,
        generated.client.Client(
            server.base_url, username=cs.USERNAME, password=cs.PASSWORD
        ) as client,
    ):
        _in_thread(lambda: run(client), CLOSE_LIMIT * 2, UNREAD_CLOSE.format(len(frames) - 5))
    with cs.EventServer(frames) as server:
        try:
            asyncio.run(asyncio.wait_for(run_async(server), CLOSE_LIMIT * 2))
        except asyncio.TimeoutError:
            pytest.fail("async: " + UNREAD_CLOSE.format(len(frames) - 5))
    slow = {mode: round(seconds, 1) for mode, seconds in timings.items() if seconds > CLOSE_LIMIT}
    assert not slow, UNREAD_CLOSE.format(len(frames) - 5) + f": {slow} s"
