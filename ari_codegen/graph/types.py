"""Graph layer: type expressions (Prim, ListOf, ModelRef, Enum, UnionOf) and one walk over them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..load.swagger import Scalar


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
