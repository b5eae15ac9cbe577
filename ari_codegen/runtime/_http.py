"""Runtime of the generated client: HTTP transports (httpx, sync and async; urllib).

Redirects are never followed (Asterisk does not redirect; following one could send credentials
to another host): a 3xx answer is an ``AriError``. httpx is imported when a transport is made.
"""

from __future__ import annotations

import http.client
import importlib
import socket
import urllib.error
import urllib.request
from types import TracebackType
from typing import Any

from ._endpoint import _Endpoint, _import
from ._errors import AriConnectionError, AriResponseError, AriTimeout
from ._wire import AsyncTransport, Request, Response, Transport

__all__ = [
    "AsyncHttpxTransport",
    "HttpxTransport",
    "UrllibTransport",
    "default_async_transport",
    "default_transport",
]

#: Largest response body the urllib transport reads (bigger: AriResponseError).
MAX_BODY_BYTES = 64 * 1024 * 1024

_JSON_HEADERS = {"Content-Type": "application/json"}


def _where(request: Request) -> str:
    return f"{request.operation}: " if request.operation else ""


class HttpxTransport:
    """Sync transport over ``httpx.Client`` (one connection pool, keep-alive)."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._endpoint = _Endpoint(base_url, username, password, api_key, timeout)
        httpx = _import("httpx", "HttpxTransport")
        self._timeout_error: type[Exception] = httpx.TimeoutException
        self._transport_error: type[Exception] = httpx.TransportError
        self._request_error: type[Exception] = httpx.RequestError  # e.g. DecodingError
        self._client: Any = httpx.Client(
            headers=self._endpoint.headers, timeout=timeout, follow_redirects=False
        )

    def send(self, request: Request) -> Response:
        endpoint = self._endpoint
        try:
            answer = self._client.request(
                request.method,
                endpoint.url(request),
                content=request.body,
                headers=None if request.body is None else _JSON_HEADERS,
            )
        except self._timeout_error as exc:
            message = f"{_where(request)}no answer from {endpoint.shown} in time: "
            raise AriTimeout(message + endpoint.describe(exc)) from None
        except self._transport_error as exc:
            message = f"{_where(request)}cannot reach {endpoint.shown}: "
            raise AriConnectionError(message + endpoint.describe(exc)) from None
        except self._request_error as exc:
            message = f"{_where(request)}unreadable answer from {endpoint.shown}: "
            raise AriResponseError(message + endpoint.describe(exc)) from None
        return Response(
            answer.status_code,
            answer.reason_phrase,
            answer.headers.get("content-type"),
            answer.content,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpxTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncHttpxTransport:
    """Async transport over ``httpx.AsyncClient``."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._endpoint = _Endpoint(base_url, username, password, api_key, timeout)
        httpx = _import("httpx", "AsyncHttpxTransport")
        self._timeout_error: type[Exception] = httpx.TimeoutException
        self._transport_error: type[Exception] = httpx.TransportError
        self._request_error: type[Exception] = httpx.RequestError  # e.g. DecodingError
        self._client: Any = httpx.AsyncClient(
            headers=self._endpoint.headers, timeout=timeout, follow_redirects=False
        )

    async def send(self, request: Request) -> Response:
        endpoint = self._endpoint
        try:
            answer = await self._client.request(
                request.method,
                endpoint.url(request),
                content=request.body,
                headers=None if request.body is None else _JSON_HEADERS,
            )
        except self._timeout_error as exc:
            message = f"{_where(request)}no answer from {endpoint.shown} in time: "
            raise AriTimeout(message + endpoint.describe(exc)) from None
        except self._transport_error as exc:
            message = f"{_where(request)}cannot reach {endpoint.shown}: "
            raise AriConnectionError(message + endpoint.describe(exc)) from None
        except self._request_error as exc:
            message = f"{_where(request)}unreadable answer from {endpoint.shown}: "
            raise AriResponseError(message + endpoint.describe(exc)) from None
        return Response(
            answer.status_code,
            answer.reason_phrase,
            answer.headers.get("content-type"),
            answer.content,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> AsyncHttpxTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class _KeepAnswers(urllib.request.HTTPErrorProcessor):
    """Hand every answer back as is: no HTTPError, and so no redirect is ever followed."""

    def http_response(self, request: Any, response: Any) -> Any:
        return response

    https_response = http_response


def _is_timeout(exc: BaseException) -> bool:
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    return isinstance(exc, (TimeoutError, socket.timeout))


class UrllibTransport:
    """Sync transport on the standard library only (a new connection per request)."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._endpoint = _Endpoint(base_url, username, password, api_key, timeout)
        self._timeout = timeout
        self._opener = urllib.request.build_opener(_KeepAnswers())
        self.max_body = MAX_BODY_BYTES

    def send(self, request: Request) -> Response:
        endpoint = self._endpoint
        headers = dict(endpoint.headers)
        if request.body is not None:
            headers.update(_JSON_HEADERS)
        raw = urllib.request.Request(
            endpoint.url(request), data=request.body, headers=headers, method=request.method
        )
        try:
            with self._opener.open(raw, timeout=self._timeout) as answer:
                length = getattr(answer, "length", None)  # Content-Length, if given
                too_big = length is not None and length > self.max_body
                content = b"" if too_big else answer.read(self.max_body + 1)
                status: int = answer.status
                reason: str = answer.reason or ""
                content_type: str | None = answer.headers.get("Content-Type")
        except (OSError, http.client.HTTPException) as exc:
            if _is_timeout(exc):
                message = f"{_where(request)}no answer from {endpoint.shown} in time: "
                raise AriTimeout(message + endpoint.describe(exc)) from None
            message = f"{_where(request)}cannot reach {endpoint.shown}: "
            raise AriConnectionError(message + endpoint.describe(exc)) from None
        if too_big or len(content) > self.max_body:
            raise AriResponseError(
                f"{_where(request)}{status} answer is larger than {self.max_body} bytes"
            )
        return Response(status, reason, content_type, content)

    def close(self) -> None:
        """Nothing to release: urllib opens a connection per request."""

    def __enter__(self) -> UrllibTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _have(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def default_transport(
    base_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> Transport:
    """HttpxTransport when httpx is importable, else UrllibTransport."""
    cls: type[HttpxTransport] | type[UrllibTransport]
    cls = HttpxTransport if _have("httpx") else UrllibTransport
    return cls(base_url, username=username, password=password, api_key=api_key, timeout=timeout)


def default_async_transport(
    base_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> AsyncTransport:
    """AsyncHttpxTransport (ImportError naming ``pip install httpx`` when httpx is missing)."""
    return AsyncHttpxTransport(
        base_url, username=username, password=password, api_key=api_key, timeout=timeout
    )
