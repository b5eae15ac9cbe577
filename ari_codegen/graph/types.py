"""Graph layer: type expressions (Prim, ListOf, ModelRef, Enum, UnionOf) and one walk over them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..load.jsondoc import Scalar


@dataclass(frozen=True)
class Prim:
    """``str int float bool datetime`` (a JSON string on the wire), ``object`` (a JSON
    object, ``dict[str, Any]``) or ``any`` (any JSON value)."""

    name: str


@dataclass(frozen=True)
class ListOf:
    item: TypeExpr


@dataclass(frozen=True)
class ModelRef:
    id: str


@dataclass(frozen=True)
class Enum:
    """A closed set of values (``allowableValues`` LIST, ``enum``): a ``Literal``."""

    base: Prim
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class UnionOf:
    """A type that differs between merged spec versions."""

    options: tuple[TypeExpr, ...]


TypeExpr = Prim | ListOf | ModelRef | Enum | UnionOf


def walk(t: TypeExpr) -> Iterator[TypeExpr]:
    """``t`` and every type inside it (list items, union options), outermost first."""
    yield t
    if isinstance(t, ListOf):
        yield from walk(t.item)
    elif isinstance(t, UnionOf):
        for option in t.options:
            yield from walk(option)


def referenced_models(t: TypeExpr) -> Iterator[str]:
    """The ids of the models ``t`` refers to, in order."""
    return (n.id for n in walk(t) if isinstance(n, ModelRef))


def enums(t: TypeExpr) -> Iterator[Enum]:
    """The closed sets of values inside ``t``."""
    return (n for n in walk(t) if isinstance(n, Enum))


def describe(t: TypeExpr) -> str:
    """A short, spec-like spelling of a type for messages and diffs."""
    if isinstance(t, Prim):
        return t.name
    if isinstance(t, ListOf):
        return f"List[{describe(t.item)}]"
    if isinstance(t, ModelRef):
        return t.id
    if isinstance(t, Enum):
        return f"{t.base.name} in {{{', '.join(repr(v) for v in t.values)}}}"
    return " | ".join(describe(o) for o in t.options)


def merge_types(a: TypeExpr, b: TypeExpr) -> TypeExpr:
    """The narrowest type that admits both: equal, wider enum, or a union."""
    if a == b:
        return a
    if isinstance(a, Enum) and isinstance(b, Enum) and a.base == b.base:
        return Enum(a.base, tuple(dict.fromkeys(a.values + b.values)))
    if isinstance(a, Enum) and a.base == b:
        return b
    if isinstance(b, Enum) and b.base == a:
        return a
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return ListOf(merge_types(a.item, b.item))
    if isinstance(a, Prim) and isinstance(b, Prim) and {a.name, b.name} == {"int", "float"}:
        return Prim("float")  # a JSON integer is a valid float
    options: list[TypeExpr] = []
    for t in (a, b):
        for option in t.options if isinstance(t, UnionOf) else (t,):
            merged = False
            for i, existing in enumerate(options):
                if not _is_union_pair(existing, option):
                    options[i] = merge_types(existing, option)
                    merged = True
                    break
            if not merged:
                options.append(option)
    return options[0] if len(options) == 1 else UnionOf(tuple(options))


def _is_union_pair(a: TypeExpr, b: TypeExpr) -> bool:
    """Would merging these two need a union (no narrower common type)?"""
    if a == b:
        return False
    if isinstance(a, Enum) and isinstance(b, Enum):
        return a.base != b.base
    if isinstance(a, Enum):
        return a.base != b
    if isinstance(b, Enum):
        return b.base != a
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return False
    if isinstance(a, Prim) and isinstance(b, Prim):
        return {a.name, b.name} != {"int", "float"}
    return True
