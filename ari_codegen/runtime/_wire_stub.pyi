"""Public interface of _wire.py (checked against it by mypy.stubtest)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "AsyncTransport",
    "Request",
    "Response",
    "Transport",
    "build_query",
    "check_range",
    "dumps",
    "loads",
    "path_segment",
    "query_value",
]

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

def build_query(
    *pairs: tuple[str, str | int | float | bool | Sequence[str | int | float | bool] | None],
) -> tuple[tuple[str, str], ...]: ...
