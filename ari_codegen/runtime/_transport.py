"""HTTP and WebSocket runtime of a generated ARI client (hand-written, spec-independent).

ari-codegen copies this file verbatim into every generated package that has a client. It imports
only the standard library at module level: httpx (HTTP), websockets (events) and orjson (faster
JSON) are optional and imported on first use, so ``import <package>.client`` works with none of
them installed (the sync client then talks through urllib).

Decisions worth knowing:

* Errors never carry the password or the api_key: exception texts of the HTTP/WebSocket libraries
  are scrubbed, and they are not chained (``from None``) because their tracebacks would print the
  URL. Server texts put into messages are cut to a short, printable excerpt.
* Redirects are never followed (Asterisk does not redirect; following one could send credentials
  to another host): a 3xx answer is an ``AriError``.
* Event frames: a binary frame is decoded as UTF-8 (invalid bytes become U+FFFD) and handled like
  a text frame; Asterisk sends text frames only.
* ``EventStream``: the first connection is made on the first ``next()``; if it fails, the error is
  raised at once (a wrong URL or password must not loop forever). Later drops reconnect with the
  stream's ``Backoff``: a reconnect attempt that fails with ``AriConnectionError`` (refused,
  reset, timeout) or a 5xx answer to the upgrade (a proxy in front of a stopped Asterisk) is
  retried; any other refused upgrade (401, 400 unknown app...) is raised as its ``AriError``.
  websockets' keepalive pings (every 20 s) notice a dead peer that sends nothing.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import importlib
import json
import logging
import math
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType, TracebackType
from typing import Any, Generic, Protocol, TypeVar, cast

__all__ = [
    "AriClientError",
    "AriConnectionError",
    "AriError",
    "AriResponseError",
    "AriTimeout",
    "AsyncEventConnection",
    "AsyncEventConnector",
    "AsyncEventStream",
    "AsyncHttpxTransport",
    "AsyncTransport",
    "AsyncWebsocketsConnector",
    "Backoff",
    "BadRequest",
    "Conflict",
    "EventConnection",
    "EventConnector",
    "EventStream",
    "Forbidden",
    "HttpxTransport",
    "MethodNotAllowed",
    "NotAcceptable",
    "NotFound",
    "NotImplementedByServer",
    "PreconditionFailed",
    "Request",
    "Response",
    "ServerError",
    "Transport",
    "Unauthorized",
    "UnprocessableEntity",
    "UpgradeRequired",
    "UrllibTransport",
    "WebsocketsConnector",
    "check_range",
    "decode_with",
    "default_async_connector",
    "default_async_transport",
    "default_connector",
    "default_transport",
    "dumps",
    "error_for",
    "expect_bytes",
    "expect_empty",
    "expect_json",
    "loads",
    "path_segment",
    "query_value",
]

_T = TypeVar("_T")

_log = logging.getLogger(__name__)

#: Largest response body the urllib transport reads (bigger: AriResponseError).
MAX_BODY_BYTES = 64 * 1024 * 1024
#: Largest event frame accepted from the WebSocket.
MAX_FRAME_BYTES = 64 * 1024 * 1024
#: Longest wait for the server's answer to our close frame when an event stream is closed.
CLOSE_TIMEOUT = 2.0
#: Longest excerpt of a server text put into an exception message.
EXCERPT_CHARS = 200


# --------------------------------------------------------------------------------------------
# JSON


class _OrjsonModule(Protocol):
    def loads(self, data: bytes | str, /) -> Any: ...
    def dumps(self, value: Any, /) -> bytes: ...


def _find_orjson() -> _OrjsonModule | None:
    try:
        return cast(_OrjsonModule, importlib.import_module("orjson"))
    except ImportError:
        return None


#: orjson when importable (tests set it to None to exercise the json fallback).
_orjson: _OrjsonModule | None = _find_orjson()


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads(data: bytes | str) -> Any:
    """Parse JSON (orjson when importable, else json); NaN/Infinity are refused (ValueError)."""
    if _orjson is not None:
        return _orjson.loads(data)
    return json.loads(data, parse_constant=_refuse_constant)


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (orjson when importable, else json)."""
    if _orjson is not None:
        return _orjson.dumps(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


# --------------------------------------------------------------------------------------------
# Request building


def path_segment(value: str) -> str:
    """Percent-encode one path parameter: everything but unreserved characters.

    ``"."`` and ``".."`` are encoded too (``%2E``), so no HTTP library can collapse them as dot
    segments; an empty value is a ValueError (it would address another resource).
    """
    encoded = urllib.parse.quote(value, safe="")
    if encoded in (".", ".."):
        return "%2E" * len(encoded)
    if not encoded:
        raise ValueError("a path parameter must not be empty")
    return encoded


def _scalar_value(value: str | int | float | bool) -> str:
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} cannot be sent as a query value")
    return str(value)


def query_value(
    value: str | int | float | bool | Sequence[str | int | float | bool],
) -> str:
    """One query value: bool -> "true"/"false"; a sequence -> ONE comma-joined value."""
    if isinstance(value, (str, int, float)):
        return _scalar_value(value)
    return ",".join([_scalar_value(item) for item in value])


def check_range(
    name: str,
    value: int | float,
    minimum: int | float | None,
    maximum: int | float | None,
) -> None:
    """Raise ValueError("<name>: <value> is outside <min>..<max>") when value is out of bounds."""
    if (
        (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
        or value != value  # NaN
    ):
        low = "" if minimum is None else minimum
        high = "" if maximum is None else maximum
        raise ValueError(f"{name}: {value} is outside {low}..{high}")


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request, relative to the base URL; built by the generated client."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    operation: str = ""


@dataclass(frozen=True, slots=True)
class Response:
    """What a transport hands back: status, reason phrase, content type (None: absent), body."""

    status: int
    reason: str
    content_type: str | None
    content: bytes


class Transport(Protocol):
    """Sends a Request synchronously (HttpxTransport, UrllibTransport, or your own)."""

    def send(self, request: Request) -> Response: ...

    def close(self) -> None: ...


class AsyncTransport(Protocol):
    """Sends a Request from asyncio (AsyncHttpxTransport, or your own)."""

    async def send(self, request: Request) -> Response: ...

    async def aclose(self) -> None: ...


# --------------------------------------------------------------------------------------------
# Errors


class AriClientError(Exception):
    """Base class of everything the client raises."""


class AriError(AriClientError):
    """The server answered with a status that is not 2xx."""

    def __init__(
        self,
        status: int,
        message: str,
        reason: str | None = None,
        operation: str = "",
        server_reason: str = "",
    ) -> None:
        super().__init__(status, message, reason, operation, server_reason)
        self.status = status
        self.message = message
        self.reason = reason
        self.operation = operation
        self.server_reason = server_reason

    def __str__(self) -> str:
        head = f"{self.operation}: " if self.operation else ""
        text = f"{head}{self.status} {self.server_reason}".rstrip()
        if self.message and self.message != self.server_reason:
            text = f"{text}: {self.message}"
        if self.reason and self.reason != self.message:
            text = f"{text} (spec: {self.reason})"
        return text


class BadRequest(AriError):
    """400"""


class Unauthorized(AriError):
    """401"""


class Forbidden(AriError):
    """403"""


class NotFound(AriError):
    """404"""


class MethodNotAllowed(AriError):
    """405"""


class NotAcceptable(AriError):
    """406"""


class Conflict(AriError):
    """409"""


class PreconditionFailed(AriError):
    """412"""


class UnprocessableEntity(AriError):
    """422"""


class UpgradeRequired(AriError):
    """426"""


class ServerError(AriError):
    """Any 5xx."""


class NotImplementedByServer(ServerError):
    """501"""


class AriConnectionError(AriClientError):
    """No answer: connection refused, DNS failure, reset, dropped WebSocket."""


class AriTimeout(AriConnectionError):
    """No answer within the timeout."""


class AriResponseError(AriClientError):
    """A 2xx answer whose body is not what the operation returns (not JSON, HTML, wrong shape)."""


_ERRORS: dict[int, type[AriError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    406: NotAcceptable,
    409: Conflict,
    412: PreconditionFailed,
    422: UnprocessableEntity,
    426: UpgradeRequired,
    501: NotImplementedByServer,
}

_SPACES = re.compile(r"\s+")


def _printable(text: str, limit: int = EXCERPT_CHARS) -> str:
    """One line of at most ``limit`` printable characters (control characters become U+FFFD)."""
    text = _SPACES.sub(" ", text[: limit * 2]).strip()
    if not text.isprintable():
        text = "".join(char if char.isprintable() else "\ufffd" for char in text)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text


def _excerpt(content: bytes, limit: int = EXCERPT_CHARS) -> str:
    """A short printable excerpt of a body, for messages."""
    return _printable(content[: limit * 4].decode("utf-8", "replace"), limit)


def _error_message(response: Response) -> str:
    content = response.content
    if content:
        try:
            parsed = loads(content)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            for key in ("message", "error"):
                text = parsed.get(key)
                if isinstance(text, str):
                    return _printable(text)
        return _excerpt(content)
    if response.reason:
        return _printable(response.reason)
    try:
        return http.client.responses[response.status]
    except KeyError:
        return ""


def error_for(response: Response, operation: str, reasons: Mapping[int, str]) -> AriError:
    """The AriError (subclass chosen by status) for a non-2xx response."""
    status = response.status
    cls = _ERRORS.get(status)
    if cls is None:
        cls = ServerError if 500 <= status <= 599 else AriError
    return cls(
        status,
        _error_message(response),
        reasons.get(status),
        operation,
        _printable(response.reason),
    )


# --------------------------------------------------------------------------------------------
# Response handling (called by the generated methods)


def expect_json(response: Response, operation: str, reasons: Mapping[int, str]) -> Any:
    """2xx: the parsed JSON body (not JSON: AriResponseError); else raise error_for(...)."""
    if 200 <= response.status <= 299:
        try:
            return loads(response.content)
        except ValueError as exc:
            kind = response.content_type or "no content type"
            raise AriResponseError(
                f"{operation}: {response.status} answer is not JSON ({_printable(kind, 80)}): "
                f"{_excerpt(response.content)!r}"
            ) from exc
    raise error_for(response, operation, reasons)


def expect_empty(response: Response, operation: str, reasons: Mapping[int, str]) -> None:
    """2xx (204 with no body, or any body): None; else raise error_for(...)."""
    if 200 <= response.status <= 299:
        return
    raise error_for(response, operation, reasons)


def expect_bytes(response: Response, operation: str, reasons: Mapping[int, str]) -> bytes:
    """2xx: the raw body; else raise error_for(...)."""
    if 200 <= response.status <= 299:
        return response.content
    raise error_for(response, operation, reasons)


def decode_with(decode: Callable[[Any], _T], value: Any, operation: str) -> _T:
    """``decode(value)``; a ValueError/TypeError (e.g. DecodeError) becomes AriResponseError."""
    try:
        return decode(value)
    except (ValueError, TypeError) as exc:
        raise AriResponseError(
            f"{operation}: answer does not match the spec: {_printable(str(exc), 500)}"
        ) from exc


# --------------------------------------------------------------------------------------------
# Credentials and URLs


def _quote_query(value: str) -> str:
    return urllib.parse.quote(value, safe=",:@/*")


class _Endpoint:
    """Base URL, credentials and the helpers every transport/connector shares."""

    __slots__ = ("auth_query", "base", "headers", "secrets", "shown")

    def __init__(
        self,
        base_url: str,
        username: str | None,
        password: str | None,
        api_key: str | None,
        timeout: float,
    ) -> None:
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https"):
            raise ValueError("base_url must start with http:// or https://")
        if not parts.hostname:
            raise ValueError("base_url has no host")
        if any(char.isspace() or not char.isprintable() for char in base_url):
            raise ValueError("base_url must not contain spaces or control characters")
        if parts.query or parts.fragment:
            raise ValueError("base_url must not have a query or fragment")
        if parts.username is not None or parts.password is not None:
            if username is not None or password is not None:
                raise ValueError("credentials given both in base_url and as username/password")
            username = urllib.parse.unquote(parts.username or "")
            password = urllib.parse.unquote(parts.password or "")
            netloc = parts.netloc.rpartition("@")[2]
            parts = parts._replace(netloc=netloc)
        if (username is None) != (password is None):
            raise ValueError("username and password must be given together")
        if api_key is not None and username is not None:
            raise ValueError("give either username/password or api_key, not both")
        if username is not None and ":" in username:
            raise ValueError("a username for HTTP Basic auth cannot contain ':'")
        if api_key == "":
            raise ValueError("api_key must not be empty")
        if not (timeout > 0 and math.isfinite(timeout)):
            raise ValueError("timeout must be a finite number of seconds > 0")
        self.base = urllib.parse.urlunsplit(parts).rstrip("/")
        self.shown = self.base
        self.headers: dict[str, str] = {}
        self.auth_query = ""
        secrets: list[str] = []
        if username is not None and password is not None:
            token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
            self.headers["Authorization"] = f"Basic {token}"
            secrets += [password, token]
        if api_key is not None:
            self.auth_query = "api_key=" + urllib.parse.quote(api_key, safe="")
            secrets += [api_key, self.auth_query[8:], _quote_query(api_key)]
            secrets.append(urllib.parse.quote_plus(api_key))
        # Longest first, so that a secret containing another is scrubbed whole.
        self.secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))

    def url(self, request: Request) -> str:
        url = self.base + request.path
        query = request.query
        if query:
            url += "?" + "&".join([f"{_quote_query(k)}={_quote_query(v)}" for k, v in query])
            if self.auth_query:
                url += "&" + self.auth_query
        elif self.auth_query:
            url += "?" + self.auth_query
        return url

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def describe(self, exc: BaseException) -> str:
        """``Type: text`` of a library exception, scrubbed and cut."""
        text = self.scrub(str(exc))
        name = type(exc).__name__
        return _printable(f"{name}: {text}" if text else name, 300)


def _import(module: str, purpose: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.partition(".")[0]
        raise ImportError(
            f"{purpose} needs the '{package}' package: pip install {package}"
        ) from None


# --------------------------------------------------------------------------------------------
# HTTP transports

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


# --------------------------------------------------------------------------------------------
# Events: connections


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


# --------------------------------------------------------------------------------------------
# Events: streams


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


# --------------------------------------------------------------------------------------------
# Small helpers the generated methods call


def build_query(
    *pairs: tuple[str, str | int | float | bool | Sequence[str | int | float | bool] | None],
) -> tuple[tuple[str, str], ...]:
    """The query of one call: each ``(name, value)`` whose value is not None, as text."""
    return tuple((name, query_value(value)) for name, value in pairs if value is not None)


def decode_list(decode: Callable[[Any], _T], value: Any, operation: str) -> list[_T]:
    """A JSON array, each item decoded; anything else is an AriResponseError."""
    if not isinstance(value, list):
        raise AriResponseError(f"{operation}: answer does not match the spec: expected a list")
    return [decode_with(decode, item, operation) for item in value]


def json_object(value: Any) -> Any:
    """The event stream's check for the TypedDict style: a JSON object, else ValueError."""
    if not isinstance(value, dict):
        raise ValueError("an event must be a JSON object")
    return value
