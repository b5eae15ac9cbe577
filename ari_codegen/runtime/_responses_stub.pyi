"""Public interface of _responses.py (checked against it by mypy.stubtest)."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._wire import Response

__all__ = [
    "decode_list",
    "decode_with",
    "expect_bytes",
    "expect_empty",
    "expect_json",
    "json_object",
]

_T = TypeVar("_T")

def expect_json(response: Response, operation: str, reasons: Mapping[int, str]) -> Any: ...
def expect_empty(response: Response, operation: str, reasons: Mapping[int, str]) -> None: ...
def expect_bytes(response: Response, operation: str, reasons: Mapping[int, str]) -> bytes: ...
def decode_with(decode: Callable[[Any], _T], value: Any, operation: str) -> _T: ...
def decode_list(decode: Callable[[Any], _T], value: Any, operation: str) -> list[_T]: ...
def json_object(value: Any) -> Any: ...
