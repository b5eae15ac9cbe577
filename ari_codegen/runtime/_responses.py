"""Runtime of the generated client: answers to values (called by the generated methods).

A 2xx answer becomes the value the operation returns (an undecodable one: AriResponseError);
any other answer raises the AriError that ``error_for`` chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._errors import AriResponseError, _excerpt, _printable, error_for
from ._wire import Response, loads

__all__ = [
    "decode_list",
    "decode_with",
    "expect_bytes",
    "expect_empty",
    "expect_json",
    "json_object",
]

_T = TypeVar("_T")


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
