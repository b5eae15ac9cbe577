"""Graph layer: the types of operations' parameters and answers, and how a dataType resolves.

Besides the model types (:mod:`.types`): ``MapOf`` (a JSON object of name → value) and
``Shape`` (a JSON object of known keys that no model describes, printed as a TypedDict).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from ..errors import Problems, shown
from ..load.jsondoc import Scalar
from ..load.parameters import RawParameter
from .types import Enum, ListOf, ModelRef, Prim, TypeExpr, UnionOf, describe


@dataclass(frozen=True)
class MapOf:
    """A JSON object with string keys, all values of one type: ``Mapping[str, V]``."""

    value: OpType


@dataclass(frozen=True)
class ShapeField:
    wire_name: str
    type: OpType
    required: bool


@dataclass(frozen=True)
class Shape:
    """A JSON object of known keys that is no model of the spec: a ``TypedDict`` ``name``."""

    name: str
    fields: tuple[ShapeField, ...]
    description: str | None = None


# Propose for the restructured graph: TypeExpr itself gains MapOf and Shape (then the
# graph's ListOf / UnionOf may hold them without the casts of _graph_type below).
OpType = Prim | ListOf | ModelRef | Enum | UnionOf | MapOf | Shape


VARIABLE_VALUE = Shape(
    "VariableValue",
    (
        ShapeField("value", Prim("str"), True),
        ShapeField("report_events", Prim("bool"), False),
    ),
    "A channel or bridge variable whose changes are reported in events (Asterisk 20.20, "
    "22.10, 23.4 and later).",
)


EVENT_TYPE = Shape(
    "EventTypeFilter",
    (ShapeField("type", Prim("str"), True),),
    "One event type of an application's event filter.",
)


EVENT_FILTER = Shape(
    "EventFilter",
    (
        ShapeField("allowed", ListOf(cast(TypeExpr, EVENT_TYPE)), False),
        ShapeField("disallowed", ListOf(cast(TypeExpr, EVENT_TYPE)), False),
    ),
    "An application's event filter: the event types allowed and disallowed.",
)


VARIABLES = MapOf(UnionOf((Prim("str"), cast(TypeExpr, VARIABLE_VALUE))))


STRING_MAP = MapOf(Prim("str"))


def describe_type(t: OpType) -> str:
    """A short spelling of a type for messages and diffs."""
    if isinstance(t, MapOf):
        return f"Map[str, {describe_type(t.value)}]"
    if isinstance(t, Shape):
        return t.name
    if isinstance(t, ListOf):
        return f"List[{describe_type(t.item)}]"
    if isinstance(t, UnionOf):
        return " | ".join(describe_type(o) for o in t.options)
    return describe(t)


def shapes(t: OpType) -> Iterable[Shape]:
    """Every :class:`Shape` a type uses (the renderer declares each once)."""
    if isinstance(t, Shape):
        yield t
        for f in t.fields:
            yield from shapes(f.type)
    elif isinstance(t, MapOf):
        yield from shapes(t.value)
    elif isinstance(t, ListOf):
        yield from shapes(t.item)
    elif isinstance(t, UnionOf):
        for option in t.options:
            yield from shapes(option)


def op_referenced_models(t: OpType | None) -> Iterable[str]:
    """Model ids a parameter or response type refers to."""
    if isinstance(t, ModelRef):
        yield t.id
    elif isinstance(t, ListOf):
        yield from op_referenced_models(t.item)
    elif isinstance(t, UnionOf):
        for option in t.options:
            yield from op_referenced_models(option)
    elif isinstance(t, MapOf):
        yield from op_referenced_models(t.value)
    elif isinstance(t, Shape):
        for f in t.fields:
            yield from op_referenced_models(f.type)


_PRIMITIVES = {
    "string": "str",
    "int": "int",
    "integer": "int",
    "long": "int",
    "double": "float",
    "float": "float",
    "number": "float",
    "boolean": "bool",
    "bool": "bool",
}


_LIST = re.compile(r"^List\[(.*)\]$", re.DOTALL)


def named_type(name: str, models: frozenset[str]) -> TypeExpr | None:
    """A type name as written in dataType / responseClass: primitive, model, List[X]."""
    if name in models:
        return ModelRef(name)
    prim = _PRIMITIVES.get(name.lower())
    if prim is not None:
        return Prim(prim)
    match = _LIST.match(name)
    if match:
        item = named_type(match.group(1).strip(), models)
        return ListOf(item) if item is not None else None
    return None


def is_scalar(t: Prim | Enum) -> bool:
    return isinstance(t, Enum) or t.name in ("str", "int", "float", "bool")


def fits(value: Scalar, base: str) -> bool:
    if base == "str":
        return isinstance(value, str)
    if base == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parameter_type(
    raw: RawParameter, notes: str | None, models: frozenset[str], problems: Problems
) -> OpType | None:
    where = raw.loc.child("dataType")
    name = raw.data_type
    lowered = name.lower()
    if lowered in ("containers", "object"):
        if raw.param_type != "body":
            problems.add(
                where,
                f"a {raw.param_type} parameter cannot be a JSON object ({shown(name)}); "
                "only a body parameter can",
            )
            return None
        if lowered == "containers":
            return _object_type(raw, models)
        return _plain_object(raw, notes)
    t = named_type(name, models)
    if t is None:
        problems.add(
            where,
            f"unknown dataType {shown(name)}: neither a Swagger type nor a model of this spec",
        )
        return None
    if raw.param_type != "body" and not _sendable_as_text(t):
        problems.add(
            where,
            f"a {raw.param_type} parameter cannot be a {shown(describe_type(t))} "
            "(only a body parameter can hold a model or a list)",
        )
        return None
    return t


def _sendable_as_text(t: TypeExpr) -> bool:
    return isinstance(t, Prim)


def _object_type(raw: RawParameter, models: frozenset[str]) -> OpType:
    """``containers``: a JSON object of name → value, typed as its description allows."""
    text = raw.description or ""
    if "report_events" in text:
        return VARIABLES
    named = [m for m in sorted(models) if re.search(rf"\b{re.escape(m)}s?\b", text)]
    if len(named) == 1 and re.search(r"\blist\b", text, re.IGNORECASE):
        return ListOf(ModelRef(named[0]))
    return STRING_MAP


def _plain_object(raw: RawParameter, notes: str | None) -> OpType:
    """``object``: the event filter when the texts describe one, else any JSON object.

    ``applications.filter``: "Specify which event types to allow/disallow", its notes
    naming the ``"allowed"`` and ``"disallowed"`` keys.
    """
    text = f"{raw.description or ''} {notes or ''}".lower()
    if "disallow" in text and "event type" in text:
        return EVENT_FILTER
    return Prim("object")
