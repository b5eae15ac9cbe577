"""Runtime of the generated client: event WebSocket connections (websockets, sync and async).

A binary frame is decoded as UTF-8 (invalid bytes become U+FFFD) and handled like a text frame;
Asterisk sends text frames only. websockets is imported at the first connect; its keepalive
pings (every 20 s) notice a dead peer that sends nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from types import ModuleType
from typing import Any, Protocol, cast

from ._endpoint import _Endpoint, _import
from ._errors import AriConnectionError, AriTimeout, error_for
from ._wire import Request, Response

__all__ = [
    "AsyncEventConnection",
    "AsyncEventConnector",
    "AsyncWebsocketsConnector",
    "EventConnection",
    "EventConnector",
    "WebsocketsConnector",
    "default_async_connector",
    "default_connector",
]

#: Largest event frame accepted from the WebSocket.
MAX_FRAME_BYTES = 64 * 1024 * 1024
#: Longest wait for the server's answer to our close frame when an event stream is closed.
CLOSE_TIMEOUT = 2.0


class EventConnection(Protocol):
    """One open event WebSocket."""

    def recv(self) -> str:
        """The next text frame; AriConnectionError when the socket drops or is closed."""
        ...

    def close(self) -> None: ...


class EventConnector(Protocol):
    """Opens event WebSockets (path relative to the base URL, query as for Request)."""

    def connect(self, path: str, query: tuple[tuple[str, str], ...]) -> EventConnection: ...


class AsyncEventConnection(Protocol):
    async def recv(self) -> str: ...

    async def aclose(self) -> None: ...


class AsyncEventConnector(Protocol):
    async def connect(
        self, path: str, query: tuple[tuple[str, str], ...]
    ) -> AsyncEventConnection: ...


def _ws_endpoint(
    base_url: str,
    username: str | None,
    password: str | None,
    api_key: str | None,
    timeout: float,
) -> _Endpoint:
    endpoint = _Endpoint(base_url, username, password, api_key, timeout)
    endpoint.base = "ws" + endpoint.base[4:]  # http -> ws, https -> wss
    return endpoint


def _text(frame: str | bytes) -> str:
    if isinstance(frame, str):
        return frame
    return frame.decode("utf-8", "replace")


def _handshake_error(
    endpoint: _Endpoint, exc: Exception, exceptions: ModuleType, path: str
) -> Exception:
    """Map a failed WebSocket opening to AriError (HTTP status) or AriConnectionError."""
    operation = f"websocket {path}"
    if isinstance(exc, exceptions.InvalidStatus):
        answer = cast(Any, exc).response
        response = Response(
            int(answer.status_code),
            str(answer.reason_phrase or ""),
            answer.headers.get("Content-Type"),
            bytes(answer.body or b""),
        )
        return error_for(response, operation, {})
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
        return AriTimeout(f"{operation}: no answer from {endpoint.shown} in time")
    return AriConnectionError(
        f"{operation}: cannot connect to {endpoint.shown}: {endpoint.describe(exc)}"
    )


def _closed_error(endpoint: _Endpoint, exc: Exception) -> AriConnectionError:
    return AriConnectionError(f"event WebSocket lost: {endpoint.describe(exc)}")


class _SyncWebsocket:
    __slots__ = ("_endpoint", "_errors", "_ws")

    def __init__(self, ws: Any, errors: tuple[type[Exception], ...], endpoint: _Endpoint) -> None:
        self._ws = ws
        self._errors = errors
        self._endpoint = endpoint

    def recv(self) -> str:
        try:
            return _text(self._ws.recv())
        except self._errors as exc:
            raise _closed_error(self._endpoint, exc) from None

    def close(self) -> None:
        with contextlib.suppress(*self._errors):
            self._ws.close()


class _AsyncWebsocket:
    __slots__ = ("_endpoint", "_errors", "_ws")

    def __init__(self, ws: Any, errors: tuple[type[Exception], ...], endpoint: _Endpoint) -> None:
        self._ws = ws
        self._errors = errors
        self._endpoint = endpoint

    async def recv(self) -> str:
        try:
            return _text(await self._ws.recv())
        except self._errors as exc:
            raise _closed_error(self._endpoint, exc) from None

    async def aclose(self) -> None:
        with contextlib.suppress(*self._errors):
            await self._ws.close()


class WebsocketsConnector:
    """Event connector over ``websockets.sync.client`` (imported at the first connect)."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._endpoint = _ws_endpoint(base_url, username, password, api_key, timeout)
        self._timeout = timeout

    def connect(self, path: str, query: tuple[tuple[str, str], ...]) -> EventConnection:
        client = _import("websockets.sync.client", "WebsocketsConnector")
        exceptions = importlib.import_module("websockets.exceptions")
        errors = (exceptions.WebSocketException, OSError, EOFError)
        endpoint = self._endpoint
        try:
            ws = client.connect(
                endpoint.url(Request("GET", path, query)),
                additional_headers=endpoint.headers,
                open_timeout=self._timeout,
                close_timeout=min(self._timeout, CLOSE_TIMEOUT),
                max_size=MAX_FRAME_BYTES,
            )
        except errors as exc:
            raise _handshake_error(endpoint, exc, exceptions, path) from None
        # The context-manager form (websockets >= 17.1 warns about direct use); close() ends it.
        return _SyncWebsocket(ws.__enter__(), errors, endpoint)


class AsyncWebsocketsConnector:
    """Event connector over ``websockets.asyncio.client`` (imported at the first connect)."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._endpoint = _ws_endpoint(base_url, username, password, api_key, timeout)
        self._timeout = timeout

    async def connect(self, path: str, query: tuple[tuple[str, str], ...]) -> AsyncEventConnection:
        client = _import("websockets.asyncio.client", "AsyncWebsocketsConnector")
        exceptions = importlib.import_module("websockets.exceptions")
        errors = (exceptions.WebSocketException, OSError, EOFError, asyncio.TimeoutError)
        endpoint = self._endpoint
        try:
            ws = await client.connect(
                endpoint.url(Request("GET", path, query)),
                additional_headers=endpoint.headers,
                open_timeout=self._timeout,
                close_timeout=min(self._timeout, CLOSE_TIMEOUT),
                max_size=MAX_FRAME_BYTES,
            )
        except errors as exc:
            raise _handshake_error(endpoint, exc, exceptions, path) from None
        return _AsyncWebsocket(ws, errors, endpoint)


def default_connector(
    base_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> EventConnector:
    """WebsocketsConnector (websockets is imported at the first connect)."""
    return WebsocketsConnector(
        base_url, username=username, password=password, api_key=api_key, timeout=timeout
    )


def default_async_connector(
    base_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> AsyncEventConnector:
    """AsyncWebsocketsConnector (websockets is imported at the first connect)."""
    return AsyncWebsocketsConnector(
        base_url, username=username, password=password, api_key=api_key, timeout=timeout
    )
