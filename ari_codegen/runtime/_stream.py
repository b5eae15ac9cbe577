"""Runtime of the generated client: event streams (sync and async), reconnecting with a Backoff.

The first connection is made on the first ``next()``; if it fails, the error is raised at once
(a wrong URL or password must not loop forever). Later drops reconnect with the stream's
``Backoff``: a reconnect attempt that fails with ``AriConnectionError`` (refused, reset,
timeout) or a 5xx answer to the upgrade (a proxy in front of a stopped Asterisk) is retried;
any other refused upgrade (401, 400 unknown app...) is raised as its ``AriError``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar, cast

from ._errors import AriClientError, AriConnectionError, AriResponseError, ServerError, _printable
from ._websocket import AsyncEventConnection, AsyncEventConnector, EventConnection, EventConnector
from ._wire import loads

__all__ = [
    "AsyncEventStream",
    "Backoff",
    "EventStream",
]

_T = TypeVar("_T")

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """Reconnect delays: initial * factor ** (attempt - 1), at most ``maximum`` seconds.

    ``max_attempts``: failed reconnect attempts in a row before giving up (None: forever);
    the count starts again after each successful reconnect.
    """

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 30.0
    max_attempts: int | None = None

    def __post_init__(self) -> None:
        if not (self.initial >= 0 and self.maximum >= 0 and self.factor >= 1):
            raise ValueError("Backoff needs initial >= 0, maximum >= 0 and factor >= 1")
        if self.max_attempts is not None and self.max_attempts < 0:
            raise ValueError("Backoff.max_attempts must be >= 0 or None")

    def delay(self, attempt: int) -> float:
        """Seconds to wait before reconnect attempt ``attempt`` (1, 2, ...)."""
        try:
            value = self.initial * self.factor ** max(attempt - 1, 0)
        except OverflowError:
            return self.maximum
        return min(value, self.maximum)


_DEFAULT_BACKOFF = Backoff()
_SKIP: Any = object()


class _StreamBase(Generic[_T]):
    """What the sync and async streams share: decoding a frame, the reconnect bookkeeping."""

    def __init__(
        self,
        path: str,
        query: tuple[tuple[str, str], ...],
        decode: Callable[[Any], _T],
        reconnect: Backoff | None,
        strict: bool,
        on_decode_error: Callable[[str, Exception], object] | None,
        on_reconnect: Callable[[int], object] | None,
    ) -> None:
        self.path = path
        self.query = query
        self.reconnects = 0
        self._decode = decode
        self._backoff = reconnect
        self._strict = strict
        self._on_decode_error = on_decode_error
        self._on_reconnect = on_reconnect
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def _event(self, raw: str) -> _T:
        """The decoded event, or _SKIP when the frame does not decode (not strict)."""
        try:
            return self._decode(loads(raw))
        except (ValueError, TypeError, LookupError) as exc:
            excerpt = _printable(raw)
            if self._strict:
                raise AriResponseError(
                    f"event frame does not decode: {_printable(str(exc), 300)}; frame: {excerpt!r}"
                ) from exc
            _log.warning("skipping an event frame that does not decode (%s): %r", exc, excerpt)
            if self._on_decode_error is not None:
                self._on_decode_error(raw, exc)
            return cast(_T, _SKIP)

    def _give_up(self, attempts: int, last: AriClientError) -> AriConnectionError:
        if self._backoff is None:
            return AriConnectionError(f"{last} (reconnect is off)")
        return AriConnectionError(f"{last} (gave up after {attempts} reconnect attempts)")

    def _reconnected(self) -> None:
        self.reconnects += 1
        _log.info("event WebSocket %s reconnected (%d)", self.path, self.reconnects)
        if self._on_reconnect is not None:
            self._on_reconnect(self.reconnects)


class EventStream(_StreamBase[_T]):
    """Iterator of decoded events from an event WebSocket, reconnecting when it drops.

    ``sleep`` (default time.sleep) waits between reconnect attempts; tests inject their own.
    """

    def __init__(
        self,
        connector: EventConnector,
        path: str,
        query: tuple[tuple[str, str], ...],
        decode: Callable[[Any], _T],
        *,
        reconnect: Backoff | None = _DEFAULT_BACKOFF,
        strict: bool = False,
        on_decode_error: Callable[[str, Exception], object] | None = None,
        on_reconnect: Callable[[int], object] | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        super().__init__(path, query, decode, reconnect, strict, on_decode_error, on_reconnect)
        self._connector = connector
        self._sleep = sleep
        self._connection: EventConnection | None = None

    def __iter__(self) -> EventStream[_T]:
        return self

    def __next__(self) -> _T:
        while True:
            if self._closed:
                raise StopIteration
            connection = self._connection
            if connection is None:
                connection = self._connector.connect(self.path, self.query)
                if self._closed:  # closed from another thread meanwhile
                    connection.close()
                    raise StopIteration
                self._connection = connection
            try:
                raw = connection.recv()
            except AriConnectionError as exc:
                if self._closed:
                    raise StopIteration from None
                self._connection = None
                connection.close()
                _log.warning("event WebSocket %s dropped: %s", self.path, exc)
                self._reconnect(exc)
                continue
            event = self._event(raw)
            if event is not _SKIP:
                return event

    def _reconnect(self, lost: AriConnectionError) -> None:
        backoff = self._backoff
        last: AriClientError = lost
        attempt = 0
        while True:
            if backoff is None or (
                backoff.max_attempts is not None and attempt >= backoff.max_attempts
            ):
                raise self._give_up(attempt, last) from None
            attempt += 1
            self._sleep(backoff.delay(attempt))
            if self._closed:
                raise StopIteration
            try:
                connection = self._connector.connect(self.path, self.query)
            except (AriConnectionError, ServerError) as exc:  # 5xx: e.g. a proxy, Asterisk down
                last = exc
                _log.info("event WebSocket %s: reconnect %d failed: %s", self.path, attempt, exc)
                continue
            if self._closed:
                connection.close()
                raise StopIteration
            self._connection = connection
            self._reconnected()
            return

    def close(self) -> None:
        """End the stream (iteration stops; a blocked next() returns StopIteration)."""
        self._closed = True
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def __enter__(self) -> EventStream[_T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncEventStream(_StreamBase[_T]):
    """Async iterator of decoded events from an event WebSocket, reconnecting when it drops.

    ``sleep`` (default asyncio.sleep) waits between reconnect attempts; tests inject their own.
    """

    def __init__(
        self,
        connector: AsyncEventConnector,
        path: str,
        query: tuple[tuple[str, str], ...],
        decode: Callable[[Any], _T],
        *,
        reconnect: Backoff | None = _DEFAULT_BACKOFF,
        strict: bool = False,
        on_decode_error: Callable[[str, Exception], object] | None = None,
        on_reconnect: Callable[[int], object] | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(path, query, decode, reconnect, strict, on_decode_error, on_reconnect)
        self._connector = connector
        self._sleep = sleep
        self._connection: AsyncEventConnection | None = None

    def __aiter__(self) -> AsyncEventStream[_T]:
        return self

    async def __anext__(self) -> _T:
        while True:
            if self._closed:
                raise StopAsyncIteration
            connection = self._connection
            if connection is None:
                connection = await self._connector.connect(self.path, self.query)
                if self._closed:
                    await connection.aclose()
                    raise StopAsyncIteration
                self._connection = connection
            try:
                raw = await connection.recv()
            except AriConnectionError as exc:
                if self._closed:
                    raise StopAsyncIteration from None
                self._connection = None
                await connection.aclose()
                _log.warning("event WebSocket %s dropped: %s", self.path, exc)
                await self._reconnect(exc)
                continue
            event = self._event(raw)
            if event is not _SKIP:
                return event

    async def _reconnect(self, lost: AriConnectionError) -> None:
        backoff = self._backoff
        last: AriClientError = lost
        attempt = 0
        while True:
            if backoff is None or (
                backoff.max_attempts is not None and attempt >= backoff.max_attempts
            ):
                raise self._give_up(attempt, last) from None
            attempt += 1
            await self._sleep(backoff.delay(attempt))
            if self._closed:
                raise StopAsyncIteration
            try:
                connection = await self._connector.connect(self.path, self.query)
            except (AriConnectionError, ServerError) as exc:  # 5xx: e.g. a proxy, Asterisk down
                last = exc
                _log.info("event WebSocket %s: reconnect %d failed: %s", self.path, attempt, exc)
                continue
            if self._closed:
                await connection.aclose()
                raise StopAsyncIteration
            self._connection = connection
            self._reconnected()
            return

    async def aclose(self) -> None:
        """End the stream (iteration stops; a pending __anext__ ends with StopAsyncIteration)."""
        self._closed = True
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.aclose()

    async def __aenter__(self) -> AsyncEventStream[_T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
