"""Load layer: strict JSON reading (duplicate keys and invalid text reported with a location)."""

from __future__ import annotations

import json
from typing import Any

from ..errors import Loc, PathPart, Problem, Problems, SpecError


class JSONObject(dict[str, Any]):
    """A JSON object that remembers the keys it saw more than once with different values.

    A key repeated with the very same value is harmless (several real specs do it) and
    is not recorded; a key repeated with another value is ambiguous: JSON readers
    silently keep the last one.
    """

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.duplicates: tuple[str, ...] = ()
        if len(self) != len(pairs):
            first: dict[str, Any] = {}
            dups: list[str] = []
            for key, value in pairs:
                if key in first and first[key] != value and key not in dups:
                    dups.append(key)
                first.setdefault(key, value)
            self.duplicates = tuple(dups)

    @classmethod
    def of(cls, source: dict[str, Any], keys: list[str]) -> JSONObject:
        """A copy of some of ``source``'s members that keeps its duplicate record."""
        copy = cls([(k, source[k]) for k in keys])
        copy.duplicates = getattr(source, "duplicates", ())
        return copy


class _Constant:
    """``NaN``, ``Infinity`` or ``-Infinity``: Python's json reads them, JSON has none.

    They are kept as such while parsing and reported afterwards with their JSON path.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def _constants(value: Any, file: str) -> list[Problem]:
    found: list[Problem] = []
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Constant):
            found.append(Problem(Loc(file, path), f"invalid JSON: {node.name} is not a JSON value"))
        elif isinstance(node, dict):
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))
    return sorted(found, key=lambda p: str(p.loc))


def _found(exc: json.JSONDecodeError) -> str:
    """What stands where the JSON went wrong: the culprit, for the message."""
    if exc.pos >= len(exc.doc):
        return "the end of the file"
    return repr(exc.doc[exc.pos : exc.pos + 12].split("\n")[0])


def parse_json(text: str | bytes, file: str) -> Any:
    """Parse JSON text; raise :class:`SpecError` naming the file and line:column."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
            raise SpecError.at(Loc(file), message) from None
    if not text.strip():
        raise SpecError.at(Loc(file), "empty file: expected a JSON object")
    try:
        value = json.loads(text, object_pairs_hook=JSONObject, parse_constant=_Constant)
    except json.JSONDecodeError as exc:
        loc = Loc(file, line=exc.lineno, column=exc.colno)
        raise SpecError.at(loc, f"invalid JSON: {exc.msg}, found {_found(exc)}") from None
    except RecursionError:
        raise SpecError.at(Loc(file), "invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise SpecError.at(Loc(file), f"invalid JSON: {exc}") from None
    if "NaN" in text or "Infinity" in text:
        constants = _constants(value, file)
        if constants:
            raise SpecError(constants)
    return value


def find_duplicate_keys(
    value: Any, loc: Loc, problems: Problems, skip: frozenset[str] = frozenset()
) -> None:
    """Report every object in ``value`` that repeats a key (iteratively: specs nest deeply).

    ``skip`` names top-level members not to look into.
    """
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if not path and isinstance(node, dict):
            node = JSONObject.of(node, [k for k in node if k not in skip])
        if isinstance(node, JSONObject):
            for key in node.duplicates:
                problems.add(
                    loc.child(*path, key),
                    f"key {key!r} appears twice in one JSON object with different values "
                    "(JSON readers silently keep the last; --duplicate-keys=last does so)",
                )
            stack.extend((v, (*path, k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(node))


Scalar = str | int | float | bool


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"the number {value!r}"
