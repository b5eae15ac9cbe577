"""Runtime of the generated client: the wire format (JSON, requests, responses, transports).

ari-codegen copies the client's runtime modules (``_wire``, ``_errors``, ``_responses``,
``_endpoint``, ``_http``, ``_websocket``, ``_stream``) verbatim into every generated package
that has a client. They import only the standard library at module level: httpx (HTTP),
websockets (events) and orjson (faster JSON) are optional and imported on first use, so
``import <package>.client`` works with none of them installed (the sync client then talks
through urllib).
"""

from __future__ import annotations

import importlib
import json
import math
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

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


def build_query(
    *pairs: tuple[str, str | int | float | bool | Sequence[str | int | float | bool] | None],
) -> tuple[tuple[str, str], ...]:
    """The query of one call: each ``(name, value)`` whose value is not None, as text."""
    return tuple((name, query_value(value)) for name, value in pairs if value is not None)
