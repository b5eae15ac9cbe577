"""Public interface of _stream.py (checked against it by mypy.stubtest)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

from ._websocket import AsyncEventConnector, EventConnector

__all__ = [
    "AsyncEventStream",
    "Backoff",
    "EventStream",
]

_T = TypeVar("_T")

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
