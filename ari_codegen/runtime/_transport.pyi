"""Public interface of _transport.py (checked against it by mypy.stubtest)."""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

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

MAX_BODY_BYTES: int
MAX_FRAME_BYTES: int
CLOSE_TIMEOUT: float
EXCERPT_CHARS: int

def loads(data: bytes | str) -> Any: ...
def dumps(value: Any) -> bytes: ...
def path_segment(value: str) -> str: ...
def query_value(value: str | int | float | bool | Sequence[str | int | float | bool]) -> str: ...
def check_range(
    name: str, value: int | float, minimum: int | float | None, maximum: int | float | None
) -> None: ...

@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    operation: str = ""

@dataclass(frozen=True, slots=True)
class Response:
    status: int
    reason: str
    content_type: str | None
    content: bytes

class Transport(Protocol):
    def send(self, request: Request) -> Response: ...
    def close(self) -> None: ...

class AsyncTransport(Protocol):
    async def send(self, request: Request) -> Response: ...
    async def aclose(self) -> None: ...

class AriClientError(Exception): ...

class AriError(AriClientError):
    status: int
    message: str
    reason: str | None
    operation: str
    server_reason: str
    def __init__(
        self,
        status: int,
        message: str,
        reason: str | None = None,
        operation: str = "",
        server_reason: str = "",
    ) -> None: ...

class BadRequest(AriError): ...
class Unauthorized(AriError): ...
class Forbidden(AriError): ...
class NotFound(AriError): ...
class MethodNotAllowed(AriError): ...
class NotAcceptable(AriError): ...
class Conflict(AriError): ...
class PreconditionFailed(AriError): ...
class UnprocessableEntity(AriError): ...
class UpgradeRequired(AriError): ...
class ServerError(AriError): ...
class NotImplementedByServer(ServerError): ...
class AriConnectionError(AriClientError): ...
class AriTimeout(AriConnectionError): ...
class AriResponseError(AriClientError): ...

def error_for(response: Response, operation: str, reasons: Mapping[int, str]) -> AriError: ...
def expect_json(response: Response, operation: str, reasons: Mapping[int, str]) -> Any: ...
def expect_empty(response: Response, operation: str, reasons: Mapping[int, str]) -> None: ...
def expect_bytes(response: Response, operation: str, reasons: Mapping[int, str]) -> bytes: ...
def decode_with(decode: Callable[[Any], _T], value: Any, operation: str) -> _T: ...

class HttpxTransport:
    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None: ...
    def send(self, request: Request) -> Response: ...
    def close(self) -> None: ...
    def __enter__(self) -> HttpxTransport: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class AsyncHttpxTransport:
    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None: ...
    async def send(self, request: Request) -> Response: ...
    async def aclose(self) -> None: ...
    async def __aenter__(self) -> AsyncHttpxTransport: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class UrllibTransport:
    max_body: int
    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None: ...
    def send(self, request: Request) -> Response: ...
    def close(self) -> None: ...
    def __enter__(self) -> UrllibTransport: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

def default_transport(
    base_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> Transport: ...
def default_async_transport(
    base_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> AsyncTransport: ...

class EventConnection(Protocol):
    def recv(self) -> str: ...
    def close(self) -> None: ...

class EventConnector(Protocol):
    def connect(self, path: str, query: tuple[tuple[str, str], ...]) -> EventConnection: ...

class AsyncEventConnection(Protocol):
    async def recv(self) -> str: ...
    async def aclose(self) -> None: ...

class AsyncEventConnector(Protocol):
    async def connect(
        self, path: str, query: tuple[tuple[str, str], ...]
    ) -> AsyncEventConnection: ...

class WebsocketsConnector:
    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None: ...
    def connect(self, path: str, query: tuple[tuple[str, str], ...]) -> EventConnection: ...

class AsyncWebsocketsConnector:
    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None: ...
    async def connect(
        self, path: str, query: tuple[tuple[str, str], ...]
    ) -> AsyncEventConnection: ...

def default_connector(
    base_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> EventConnector: ...
def default_async_connector(
    base_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    timeout: float = 30.0,
) -> AsyncEventConnector: ...

@dataclass(frozen=True)
class Backoff:
    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 30.0
    max_attempts: int | None = None
    def __post_init__(self) -> None: ...
    def delay(self, attempt: int) -> float: ...

class _StreamBase(Generic[_T]):
    path: str
    query: tuple[tuple[str, str], ...]
    reconnects: int
    def __init__(
        self,
        path: str,
        query: tuple[tuple[str, str], ...],
        decode: Callable[[Any], _T],
        reconnect: Backoff | None,
        strict: bool,
        on_decode_error: Callable[[str, Exception], object] | None,
        on_reconnect: Callable[[int], object] | None,
    ) -> None: ...
    @property
    def closed(self) -> bool: ...

class EventStream(_StreamBase[_T]):
    def __init__(
        self,
        connector: EventConnector,
        path: str,
        query: tuple[tuple[str, str], ...],
        decode: Callable[[Any], _T],
        *,
        reconnect: Backoff | None = ...,
        strict: bool = False,
        on_decode_error: Callable[[str, Exception], object] | None = None,
        on_reconnect: Callable[[int], object] | None = None,
        sleep: Callable[[float], object] = ...,
    ) -> None: ...
    def __iter__(self) -> EventStream[_T]: ...
    def __next__(self) -> _T: ...
    def close(self) -> None: ...
    def __enter__(self) -> EventStream[_T]: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

class AsyncEventStream(_StreamBase[_T]):
    def __init__(
        self,
        connector: AsyncEventConnector,
        path: str,
        query: tuple[tuple[str, str], ...],
        decode: Callable[[Any], _T],
        *,
        reconnect: Backoff | None = ...,
        strict: bool = False,
        on_decode_error: Callable[[str, Exception], object] | None = None,
        on_reconnect: Callable[[int], object] | None = None,
        sleep: Callable[[float], Awaitable[object]] = ...,
    ) -> None: ...
    def __aiter__(self) -> AsyncEventStream[_T]: ...
    async def __anext__(self) -> _T: ...
    async def aclose(self) -> None: ...
    async def __aenter__(self) -> AsyncEventStream[_T]: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
