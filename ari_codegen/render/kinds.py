"""Render layer: how generated code decodes and encodes a field (one kind, one template macro each).

Each :class:`Decode` / :class:`Encode` member names its macro in
``templates/dataclasses/kinds.j2`` (``decode_is``, ``encode_date``...); the templates
look the macro up by that name, so a kind without a macro fails the render.
"""

from __future__ import annotations

import enum

from ..graph import Enum, ListOf, ModelRef, Prim, TypeExpr


class Decode(str, enum.Enum):
    """How ``_ari_decode`` checks or converts a field's JSON value."""

    TAG = "tag"  # a concrete subtype's discriminator: exactly its own tag
    IS = "is"  # one JSON kind: ``type(v) is str``
    OBJECT = "object"  # a JSON object: a dict (or a dict subclass, such as OrderedDict)
    ENUM = "enum"  # the same for a Literal field, without narrowing it to its base type
    FLOAT = "float"  # an int or a float
    DATE = "date"  # a string that is a date with an offset → datetime
    MODEL = "model"  # a model (no dispatch)
    DISPATCH = "dispatch"  # a discriminated base: the class its tag names
    LIST_IS = "list_is"  # a list of one JSON kind
    LIST_MODEL = "list_model"  # a list of models (no dispatch)
    GENERIC = "generic"  # anything else: the runtime walks a type spec
    ANY = "any"  # any JSON value: nothing to check

    @property
    def macro(self) -> str:
        return f"decode_{self.value}"


class Encode(str, enum.Enum):
    """How ``to_dict`` encodes a field's value."""

    PLAIN = "plain"  # as it is (immutable: str, int, float, bool)
    LIST_PLAIN = "list_plain"  # a new list of the same immutable items
    DATE = "date"  # Asterisk's date form
    MODEL = "model"  # ``.to_dict()``
    LIST_MODEL = "list_model"  # each item's ``.to_dict()``
    GENERIC = "generic"  # the runtime walks the value

    @property
    def macro(self) -> str:
        return f"encode_{self.value}"


_SIMPLE_CHECKS = {"str": "str", "int": "int", "bool": "bool", "object": "dict"}


def decode_kind(t: TypeExpr, names: dict[str, str], dispatching: set[str]) -> tuple[Decode, str]:
    """(kind, argument) for the generated decoder; anything unusual goes the generic way."""
    base = t.base if isinstance(t, Enum) else t
    if isinstance(base, Prim):
        if base.name == "object":
            return Decode.OBJECT, "dict"
        if base.name in _SIMPLE_CHECKS:
            # A Literal field must not be narrowed to its base type by the check.
            literal = isinstance(t, Enum) and base.name in ("str", "int")
            return (Decode.ENUM if literal else Decode.IS), _SIMPLE_CHECKS[base.name]
        if base.name == "float":
            return Decode.FLOAT, ""
        if base.name == "datetime":
            return Decode.DATE, ""
        return Decode.ANY, ""
    if isinstance(base, ModelRef):
        return (Decode.DISPATCH if base.id in dispatching else Decode.MODEL), names[base.id]
    if isinstance(base, ListOf):
        item = base.item.base if isinstance(base.item, Enum) else base.item
        if isinstance(item, Prim) and item.name in _SIMPLE_CHECKS:
            return Decode.LIST_IS, _SIMPLE_CHECKS[item.name]
        if isinstance(item, ModelRef) and item.id not in dispatching:
            return Decode.LIST_MODEL, names[item.id]
    return Decode.GENERIC, _generic_spec(t, names, dispatching)


def _generic_spec(t: TypeExpr, names: dict[str, str], dispatching: set[str]) -> str:
    """A nested tuple the runtime's generic decoder walks: ``("list", ("datetime",))``."""
    if isinstance(t, Enum):
        t = t.base
    if isinstance(t, Prim):
        return f'("{t.name}",)'
    if isinstance(t, ListOf):
        return f'("list", {_generic_spec(t.item, names, dispatching)})'
    if isinstance(t, ModelRef):
        return f'("model", {names[t.id]})'
    options = ", ".join(_generic_spec(o, names, dispatching) for o in t.options)
    return f'("union", {options})'


# JSON values that are containers: ``to_dict`` copies them (the generic way, deeply).
_CONTAINERS = ("datetime", "object", "any")


def encode_kind(t: TypeExpr) -> Encode:
    """How ``to_dict`` spells the value of a field of type ``t``; never the object's own list."""
    if isinstance(t, Prim):
        if t.name == "datetime":
            return Encode.DATE
        return Encode.GENERIC if t.name in _CONTAINERS else Encode.PLAIN
    if isinstance(t, Enum):
        return Encode.PLAIN
    if isinstance(t, ModelRef):
        return Encode.MODEL
    if isinstance(t, ListOf):
        if isinstance(t.item, Enum) or (
            isinstance(t.item, Prim) and t.item.name not in _CONTAINERS
        ):
            return Encode.LIST_PLAIN
        if isinstance(t.item, ModelRef):
            return Encode.LIST_MODEL
    return Encode.GENERIC
