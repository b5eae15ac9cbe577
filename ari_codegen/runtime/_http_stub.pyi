"""Public interface of _http.py (checked against it by mypy.stubtest)."""

from types import TracebackType

from ._wire import AsyncTransport, Request, Response, Transport

__all__ = [
    "AsyncHttpxTransport",
    "HttpxTransport",
    "UrllibTransport",
    "default_async_transport",
    "default_transport",
]

MAX_BODY_BYTES: int

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
