"""Public interface of _websocket.py (checked against it by mypy.stubtest)."""

from typing import Protocol

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

MAX_FRAME_BYTES: int
CLOSE_TIMEOUT: float

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
